package insight

import (
	"context"
	"database/sql"
	"fmt"
	"golang.org/x/sync/errgroup"
	"slices"
	"strings"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
)

// Statistics is the structure of a region subtree on a date.
type Statistics struct {
	Region *ent.Region `json:"-"`
	AsOf   time.Time   `json:"-"`
	// ComputedAt is when the figures were computed: now for an answer
	// computed for the request, earlier for figures kept in region_figures.
	ComputedAt time.Time `json:"-"`
	// Villages are the village-level regions of kind VILLAGE or none (村),
	// Communities those of kind COMMUNITY (社区); ExemptCommunities, of
	// these, the communities of counties that exempt them from the village
	// rules (Region.communities_exempt): they count in no rule figure.
	Villages, Communities, ExemptCommunities int
	Committee                                *CommitteeStatistics
	Reserves                                 *ReserveStatistics
	Advisers                                 *AdviserStatistics
	Experts                                  *ExpertStatistics
	ResidentCadresByDispatchLevel            []ValueCount
	Contributions                            *ContributionStatistics
	Duties                                   *DutyStatistics
	Assessments                              *AssessmentStatistics
	Training                                 *TrainingStatistics
	Rewards                                  *RewardStatistics
	// Children holds the same figures per child region (their own Children
	// are empty).
	Children []*Statistics `json:"-"`
}

// CommitteeStatistics describes the current 两委 members.
type CommitteeStatistics struct {
	Members, Male, Female                                      int
	AgedUpTo35, Aged36To45, Aged46To60, AgedOver60, AgeUnknown int
	AverageAge                                                 *float64
	CollegeEducated                                            int
	CollegeShare                                               *float64
	PartyMembers                                               int
	PartyShare                                                 *float64
	// OneShoulderVillages: villages (not communities) whose secretary is
	// also committee director (一肩挑); the share is over the villages.
	OneShoulderVillages int
	OneShoulderShare    *float64
	// OneShoulderCommunities: the same of the communities under the
	// village rules (not exempt); the share is over those communities.
	OneShoulderCommunities    int
	OneShoulderCommunityShare *float64
	RichLeaders               int
	RichLeaderShare           *float64
}

// ReserveStatistics describes the current reserve cadres. The villages and
// the communities under the village rules with fewer reserves than the
// minimum (MinReserves, 2) are counted apart.
type ReserveStatistics struct {
	Total                       int
	ByList                      []ValueCount
	VillagesWithFewerThanTwo    int
	CommunitiesWithFewerThanTwo int
}

// AdviserStatistics describes the adviser appointments in force, and the
// villages and the communities under the village rules without one.
type AdviserStatistics struct {
	Appointments       int
	ByKind             []ValueCount
	VillagesWithout    int
	CommunitiesWithout int
}

// ExpertStatistics describes expert assignments in force and demands.
// VillagesCovered and CommunitiesCovered count the villages and the
// communities with an assignment there (coverage is not a village rule:
// exempt communities count).
type ExpertStatistics struct {
	ActiveAssignments, Experts, VillagesCovered, CommunitiesCovered, TownshipsCovered int
	DemandsByStatus                                                                   []ValueCount
}

// DutyStatistics counts the duty items (履职清单) of the date's year as they
// stood on the date: done by then, cancelled, past their deadline, open.
type DutyStatistics struct {
	Items, Done, Cancelled, Overdue, Open int
	// CompletionShare is Done over the items not cancelled.
	CompletionShare *float64
}

// AssessmentStatistics counts the annual assessments (年度考核) of the year
// before the date's (the assessment of a year is held early in the next)
// recorded in the subtree, per grade.
type AssessmentStatistics struct {
	Year, Assessed int
	ByGrade        []ValueCount
	ExcellentShare *float64
	Incompetent    int
}

// TrainingStatistics counts the training of the date's year up to the date:
// classes organized in the subtree, enrolments recorded in it (a class
// counts on its end, or its start when open-ended), the hours credited by
// the completed ones, and the 两委 members in force on the date with at
// least one completed enrolment so far, with their average hours, and
// those credited fewer hours so far than the yearly minimum.
type TrainingStatistics struct {
	Year, Classes, Enrolments, Completed int
	Hours                                float64
	CadresTrained                        int
	AverageHoursPerCadre                 *float64
	BelowMinimum                         int
}

// RewardStatistics counts the 奖惩 of the date's year up to the date recorded
// in the subtree.
type RewardStatistics struct {
	Year, Rewards, Punishments, PeopleRewarded int
	AmountYuan                                 int64
}

// ContributionStatistics counts contributions per kind, and funds.
type ContributionStatistics struct {
	ByKind    []ValueCount
	FundsYuan int64
}

func newStatistics(r *ent.Region, asOf time.Time) *Statistics {
	return &Statistics{
		Region: r, AsOf: asOf,
		Committee: &CommitteeStatistics{}, Reserves: &ReserveStatistics{}, Advisers: &AdviserStatistics{},
		Experts: &ExpertStatistics{}, Contributions: &ContributionStatistics{}, Duties: &DutyStatistics{},
		Assessments: &AssessmentStatistics{Year: asOf.Year() - 1, ByGrade: []ValueCount{}},
		Training:    &TrainingStatistics{Year: asOf.Year()}, Rewards: &RewardStatistics{Year: asOf.Year()},
		ResidentCadresByDispatchLevel: []ValueCount{}, Children: []*Statistics{},
	}
}

// RegionStatistics computes the structure of the subtree of code on asOf, and
// the same per child region, by SQL aggregation over the region-code range:
// four statements for the region and four for all its children together.
// th gives the reserve count below which a village is short (MinReserves,
// 2) and the yearly minimum of training hours (MinTrainingHours, 32).
//
// The figures of a province or a city on a date are read from
// region_figures when a row of that date is fresh (see regionfigures.go);
// otherwise they are computed here, by the same code the refresher runs.
//
// The code "" is the whole country, for national admins: its region is
// nil and its children are the provinces.
func RegionStatistics(ctx context.Context, c *ent.Client, code string, asOf time.Time, th AlertThresholds) (*Statistics, error) {
	r, err := analyticsSubtree(ctx, c, code)
	if err != nil {
		return nil, err
	}
	asOf = day(asOf)
	children, err := childRegions(ctx, c, r)
	if err != nil {
		return nil, err
	}
	if s, err := storedStatistics(ctx, c, code, r, children, asOf, th); err != nil || s != nil {
		return s, err
	}
	return liveStatistics(ctx, c, code, r, children, asOf, th)
}

// childRegions loads the children of r, by code, unless r is a village;
// for the country (nil), the provinces.
func childRegions(ctx context.Context, c *ent.Client, r *ent.Region) ([]*ent.Region, error) {
	if r == nil {
		return c.Region.Query().Where(region.LevelEQ(region.LevelPROVINCE)).Order(region.ByCode()).All(ctx)
	}
	if i := slices.Index(regioncode.Lengths, len(r.Code)); i < 0 || i == len(regioncode.Lengths)-1 {
		return nil, nil
	}
	return c.Region.Query().Where(region.ParentID(r.ID)).Order(region.ByCode()).All(ctx)
}

// liveStatistics computes the figures of the subtree of code (region r, nil
// for the country; its children given) on asOf from the tables.
func liveStatistics(ctx context.Context, c *ent.Client, code string, r *ent.Region, children []*ent.Region, asOf time.Time, th AlertThresholds) (*Statistics, error) {
	total := newStatistics(r, asOf)
	total.ComputedAt = time.Now()
	if len(children) == 0 {
		if err := aggregate(ctx, c, code, len(code), asOf, th, map[string]*Statistics{code: total}); err != nil {
			return nil, err
		}
		return total, nil
	}
	byCode := map[string]*Statistics{}
	for _, ch := range children {
		s := newStatistics(ch, asOf)
		s.ComputedAt = total.ComputedAt
		total.Children = append(total.Children, s)
		byCode[ch.Code] = s
	}
	// The region's own figures and its children's are two scans of the same
	// range; distinct-person counts are not additive, so both are needed.
	// They run side by side on two connections.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return aggregate(gctx, c, code, len(code), asOf, th, map[string]*Statistics{code: total})
	})
	g.Go(func() error {
		return aggregate(gctx, c, code, len(children[0].Code), asOf, th, byCode)
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return total, nil
}

// current is the SQL test that a period row t is in force on $4.
func current(t string) string {
	return fmt.Sprintf("%[1]s.start_date <= $4 AND (%[1]s.end_date IS NULL OR %[1]s.end_date >= $4)", t)
}

// aggregate fills the statistics of the groups in into, each group being the
// regions whose code starts with the group's code of length keyLen, within
// the subtree of code. Rows for groups not in into (figures of a region above
// the children, such as a county-level assignment) are dropped.
//
// Parameters shared by the statements: $1, $2 the code range, $3 keyLen, $4
// the date.
func aggregate(ctx context.Context, c *ent.Client, code string, keyLen int, asOf time.Time, th AlertThresholds, into map[string]*Statistics) error {
	minReserves := th.MinReserves
	lo, hi := codeRange(code)
	base := []any{lo, hi, keyLen, asOf}
	group := func(key string) *Statistics { return into[key] }

	// Villages: kinds, reserves short, no adviser, 一肩挑 — joins of per-village
	// aggregates rather than correlated subqueries, so the database hashes once
	// instead of probing three times per village. k tells a village (V) from
	// a community under the village rules (C) and an exempt one (X): the
	// rule figures count villages and communities apart, exempt ones in
	// neither.
	villages := `WITH v AS (
		SELECT r.id, r.code, ` + villageClass("r") + ` AS k
		FROM regions r WHERE r.level = 'VILLAGE' AND r.code >= $1 AND r.code < $2
	), res AS (
		SELECT p.region_id, COUNT(DISTINCT p.person_id) AS n FROM posts p JOIN v ON v.id = p.region_id
		WHERE p.role = 'RESERVE_CADRE' AND ` + current("p") + ` GROUP BY p.region_id
	), adv AS (
		SELECT DISTINCT a.village_id FROM adviser_appointments a JOIN v ON v.id = a.village_id
		WHERE ` + current("a") + `
	), one AS (
		SELECT DISTINCT p.region_id FROM posts p JOIN v ON v.id = p.region_id
		WHERE p.role = 'SECRETARY_AND_DIRECTOR' AND ` + current("p") + `
	)
	SELECT SUBSTR(v.code, 1, $3) AS g,
		SUM(CASE WHEN v.k = 'V' THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'V' THEN 0 ELSE 1 END),
		SUM(CASE WHEN v.k = 'X' THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'V' AND COALESCE(res.n, 0) < $5 THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'C' AND COALESCE(res.n, 0) < $5 THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'V' AND adv.village_id IS NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'C' AND adv.village_id IS NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'V' AND one.region_id IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.k = 'C' AND one.region_id IS NOT NULL THEN 1 ELSE 0 END)
	FROM v LEFT JOIN res ON res.region_id = v.id
		LEFT JOIN adv ON adv.village_id = v.id
		LEFT JOIN one ON one.region_id = v.id
	GROUP BY SUBSTR(v.code, 1, $3)`
	err := queryRows(ctx, c, villages, append(base, minReserves), func(rows *sql.Rows) error {
		var (
			g                   string
			vil, com, exempt    int
			few, fewC           int
			without, withoutC   int
			oneShoulder, oneShC int
		)
		if err := rows.Scan(&g, &vil, &com, &exempt, &few, &fewC, &without, &withoutC, &oneShoulder, &oneShC); err != nil {
			return err
		}
		if s := group(g); s != nil {
			s.Villages, s.Communities, s.ExemptCommunities = vil, com, exempt
			s.Reserves.VillagesWithFewerThanTwo, s.Reserves.CommunitiesWithFewerThanTwo = few, fewC
			s.Advisers.VillagesWithout, s.Advisers.CommunitiesWithout = without, withoutC
			s.Committee.OneShoulderVillages, s.Committee.OneShoulderCommunities = oneShoulder, oneShC
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("village statistics: %w", err)
	}

	// 两委 members, each person once per group, with their education,
	// party status and tags as they stood on the date.
	age := ageSQL("x.birth_date", "$5", "$6")
	at := attributesOn("x", "$4", asOf)
	members := `WITH m AS (
		SELECT DISTINCT SUBSTR(r.code, 1, $3) AS g, p.person_id
		FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE r.code >= $1 AND r.code < $2 AND p.role IN (` + sqlList(committeeRoles) + `) AND ` + current("p") + `
	)
	SELECT m.g, COUNT(*),
		SUM(CASE WHEN x.gender = 'MALE' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.gender = 'FEMALE' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.birth_date IS NOT NULL AND ` + age + ` <= 35 THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + age + ` BETWEEN 36 AND 45 THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + age + ` BETWEEN 46 AND 60 THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + age + ` > 60 THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.birth_date IS NULL THEN 1 ELSE 0 END),
		AVG(CAST(` + age + ` AS REAL)),
		SUM(CASE WHEN ` + at.education() + ` IN (` + collegeEducations + `) THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + at.political() + ` IN (` + partyStatuses + `) THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + at.hasTag("RICH_LEADER") + ` THEN 1 ELSE 0 END)
	FROM m JOIN persons x ON x.id = m.person_id
	GROUP BY m.g`
	err = queryRows(ctx, c, members, append(base, asOf.Year(), asOf.Format("01-02")), func(rows *sql.Rows) error {
		var (
			g   string
			m   CommitteeStatistics
			avg sql.NullFloat64
		)
		if err := rows.Scan(&g, &m.Members, &m.Male, &m.Female, &m.AgedUpTo35, &m.Aged36To45, &m.Aged46To60,
			&m.AgedOver60, &m.AgeUnknown, &avg, &m.CollegeEducated, &m.PartyMembers, &m.RichLeaders); err != nil {
			return err
		}
		if s := group(g); s != nil {
			m.OneShoulderVillages, m.OneShoulderCommunities = s.Committee.OneShoulderVillages, s.Committee.OneShoulderCommunities
			if avg.Valid {
				a := avg.Float64
				m.AverageAge = &a
			}
			*s.Committee = m
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("committee statistics: %w", err)
	}

	// Experts: assignments in force in the subtree.
	experts := `SELECT SUBSTR(r.code, 1, $3), COUNT(*), COUNT(DISTINCT a.expert_id),
		COUNT(DISTINCT CASE WHEN r.level = 'VILLAGE' AND (r.kind IS NULL OR r.kind <> 'COMMUNITY') THEN r.id END),
		COUNT(DISTINCT CASE WHEN r.level = 'VILLAGE' AND r.kind = 'COMMUNITY' THEN r.id END),
		COUNT(DISTINCT CASE WHEN LENGTH(r.code) >= 9 THEN SUBSTR(r.code, 1, 9) END)
	FROM expert_assignments a JOIN regions r ON r.id = a.region_id
	WHERE r.code >= $1 AND r.code < $2 AND ` + current("a") + `
	GROUP BY SUBSTR(r.code, 1, $3)`
	err = queryRows(ctx, c, experts, base, func(rows *sql.Rows) error {
		var (
			g string
			e ExpertStatistics
		)
		if err := rows.Scan(&g, &e.ActiveAssignments, &e.Experts, &e.VillagesCovered, &e.CommunitiesCovered, &e.TownshipsCovered); err != nil {
			return err
		}
		if s := group(g); s != nil {
			e.DemandsByStatus = s.Experts.DemandsByStatus
			*s.Experts = e
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("expert statistics: %w", err)
	}

	// Counts by an enum value, in one statement: what names the figure;
	// n a count, amount a sum of yuan (or a second count), h a sum of hours.
	// m: the 两委 members in force, per group; credited: their training
	// hours of the year up to the date ($6, $8 the year's first day and the
	// day after the date, $7 the yearly minimum).
	counts := `WITH m AS (
		SELECT DISTINCT SUBSTR(r.code, 1, $3) AS g, p.person_id
		FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE r.code >= $1 AND r.code < $2 AND p.role IN (` + sqlList(committeeRoles) + `) AND ` + current("p") + `
	), credited AS (
		SELECT e.person_id, SUM(COALESCE(e.hours, k.hours, 0)) AS hours
		FROM training_enrolments e JOIN training_classes k ON k.id = e.class_id
		WHERE e.completed AND e.person_id IN (SELECT person_id FROM m)
			AND COALESCE(k.ends_on, k.starts_on) >= $6 AND COALESCE(k.ends_on, k.starts_on) < $8
		GROUP BY e.person_id
	)
	SELECT 'reserve', SUBSTR(r.code, 1, $3), COALESCE(p.reserve_list, 'UNSPECIFIED'), COUNT(DISTINCT p.person_id), 0, CAST(0 AS DOUBLE PRECISION)
		FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE r.code >= $1 AND r.code < $2 AND p.role = 'RESERVE_CADRE' AND ` + current("p") + `
		GROUP BY SUBSTR(r.code, 1, $3), COALESCE(p.reserve_list, 'UNSPECIFIED')
	UNION ALL
	SELECT 'reserves', SUBSTR(r.code, 1, $3), '', COUNT(DISTINCT p.person_id), 0, CAST(0 AS DOUBLE PRECISION)
		FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE r.code >= $1 AND r.code < $2 AND p.role = 'RESERVE_CADRE' AND ` + current("p") + `
		GROUP BY SUBSTR(r.code, 1, $3)
	UNION ALL
	SELECT 'adviser', SUBSTR(r.code, 1, $3), a.kind, COUNT(*), 0, CAST(0 AS DOUBLE PRECISION)
		FROM adviser_appointments a JOIN regions r ON r.id = a.village_id
		WHERE r.code >= $1 AND r.code < $2 AND ` + current("a") + `
		GROUP BY SUBSTR(r.code, 1, $3), a.kind
	UNION ALL
	SELECT 'demand', SUBSTR(r.code, 1, $3), d.status, COUNT(*), 0, CAST(0 AS DOUBLE PRECISION)
		FROM demands d JOIN regions r ON r.id = d.region_id
		WHERE r.code >= $1 AND r.code < $2 AND d.raised_on <= $4
		GROUP BY SUBSTR(r.code, 1, $3), d.status
	UNION ALL
	SELECT 'resident', SUBSTR(r.code, 1, $3), COALESCE(p.dispatch_level, 'UNSPECIFIED'), COUNT(DISTINCT p.person_id), 0, CAST(0 AS DOUBLE PRECISION)
		FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE r.code >= $1 AND r.code < $2 AND p.role IN ('FIRST_SECRETARY', 'WORK_TEAM_MEMBER') AND ` + current("p") + `
		GROUP BY SUBSTR(r.code, 1, $3), COALESCE(p.dispatch_level, 'UNSPECIFIED')
	UNION ALL
	SELECT 'contribution', SUBSTR(r.code, 1, $3), k.kind, COUNT(*), SUM(k.amount_yuan), CAST(0 AS DOUBLE PRECISION)
		FROM contributions k JOIN regions r ON r.id = k.village_id
		WHERE r.code >= $1 AND r.code < $2 AND k.date <= $4
		GROUP BY SUBSTR(r.code, 1, $3), k.kind
	UNION ALL
	SELECT 'duty', SUBSTR(r.code, 1, $3), CASE
			WHEN t.completed_on IS NOT NULL AND t.completed_on <= $4 THEN 'DONE'
			WHEN t.status = 'CANCELLED' THEN 'CANCELLED'
			WHEN t.deadline < $4 THEN 'OVERDUE'
			ELSE 'OPEN' END, COUNT(*), 0, CAST(0 AS DOUBLE PRECISION)
		FROM duty_items t JOIN regions r ON r.id = t.region_id
		WHERE r.code >= $1 AND r.code < $2 AND t.year = $5
		GROUP BY SUBSTR(r.code, 1, $3), CASE
			WHEN t.completed_on IS NOT NULL AND t.completed_on <= $4 THEN 'DONE'
			WHEN t.status = 'CANCELLED' THEN 'CANCELLED'
			WHEN t.deadline < $4 THEN 'OVERDUE'
			ELSE 'OPEN' END
	UNION ALL
	SELECT 'grade', SUBSTR(r.code, 1, $3), a.grade, COUNT(*), 0, CAST(0 AS DOUBLE PRECISION)
		FROM assessments a JOIN regions r ON r.id = a.region_id
		WHERE r.code >= $1 AND r.code < $2 AND a.year = $5 - 1
		GROUP BY SUBSTR(r.code, 1, $3), a.grade
	UNION ALL
	SELECT 'reward', SUBSTR(r.code, 1, $3), w.kind, COUNT(*), COALESCE(SUM(w.amount_yuan), 0), CAST(0 AS DOUBLE PRECISION)
		FROM rewards w JOIN regions r ON r.id = w.region_id
		WHERE r.code >= $1 AND r.code < $2 AND w.date >= $6 AND w.date < $8
		GROUP BY SUBSTR(r.code, 1, $3), w.kind
	UNION ALL
	SELECT 'rewarded', SUBSTR(r.code, 1, $3), '', COUNT(DISTINCT w.person_id), 0, CAST(0 AS DOUBLE PRECISION)
		FROM rewards w JOIN regions r ON r.id = w.region_id
		WHERE r.code >= $1 AND r.code < $2 AND w.date >= $6 AND w.date < $8 AND w.kind = 'REWARD'
		GROUP BY SUBSTR(r.code, 1, $3)
	UNION ALL
	SELECT 'class', SUBSTR(r.code, 1, $3), '', COUNT(*), 0, CAST(0 AS DOUBLE PRECISION)
		FROM training_classes k JOIN regions r ON r.id = k.region_id
		WHERE r.code >= $1 AND r.code < $2 AND COALESCE(k.ends_on, k.starts_on) >= $6 AND COALESCE(k.ends_on, k.starts_on) < $8
		GROUP BY SUBSTR(r.code, 1, $3)
	UNION ALL
	SELECT 'enrolment', SUBSTR(r.code, 1, $3), '', COUNT(*), SUM(CASE WHEN e.completed THEN 1 ELSE 0 END),
			CAST(COALESCE(SUM(CASE WHEN e.completed THEN COALESCE(e.hours, k.hours, 0) END), 0) AS DOUBLE PRECISION)
		FROM training_enrolments e JOIN training_classes k ON k.id = e.class_id JOIN regions r ON r.id = e.region_id
		WHERE r.code >= $1 AND r.code < $2 AND COALESCE(k.ends_on, k.starts_on) >= $6 AND COALESCE(k.ends_on, k.starts_on) < $8
		GROUP BY SUBSTR(r.code, 1, $3)
	UNION ALL
	SELECT 'trained', m.g, '', COUNT(h.person_id), SUM(CASE WHEN COALESCE(h.hours, 0) < $7 THEN 1 ELSE 0 END),
			CAST(COALESCE(SUM(h.hours), 0) AS DOUBLE PRECISION)
		FROM m LEFT JOIN credited h ON h.person_id = m.person_id
		GROUP BY m.g`
	from := time.Date(asOf.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	err = queryRows(ctx, c, counts, append(base, asOf.Year(), from, th.MinTrainingHours, asOf.AddDate(0, 0, 1)), func(rows *sql.Rows) error {
		var (
			what, g, value string
			n              int
			amount         int64
			hours          float64
		)
		if err := rows.Scan(&what, &g, &value, &n, &amount, &hours); err != nil {
			return err
		}
		s := group(g)
		if s == nil {
			return nil
		}
		vc := ValueCount{Value: value, Count: n}
		switch what {
		case "reserve":
			s.Reserves.ByList = append(s.Reserves.ByList, vc)
		case "reserves":
			s.Reserves.Total = n
		case "adviser":
			s.Advisers.ByKind = append(s.Advisers.ByKind, vc)
			s.Advisers.Appointments += n
		case "demand":
			s.Experts.DemandsByStatus = append(s.Experts.DemandsByStatus, vc)
		case "resident":
			s.ResidentCadresByDispatchLevel = append(s.ResidentCadresByDispatchLevel, vc)
		case "contribution":
			s.Contributions.ByKind = append(s.Contributions.ByKind, vc)
			s.Contributions.FundsYuan += amount
		case "duty":
			d := s.Duties
			d.Items += n
			switch value {
			case "DONE":
				d.Done += n
			case "CANCELLED":
				d.Cancelled += n
			case "OVERDUE":
				d.Overdue += n
			default:
				d.Open += n
			}
		case "grade":
			a := s.Assessments
			a.ByGrade = append(a.ByGrade, vc)
			a.Assessed += n
			if value == "INCOMPETENT" {
				a.Incompetent = n
			}
		case "reward":
			if value == "REWARD" {
				s.Rewards.Rewards, s.Rewards.AmountYuan = n, amount
			} else {
				s.Rewards.Punishments += n
			}
		case "rewarded":
			s.Rewards.PeopleRewarded = n
		case "class":
			s.Training.Classes = n
		case "enrolment":
			s.Training.Enrolments, s.Training.Completed, s.Training.Hours = n, int(amount), hours
		case "trained":
			s.Training.CadresTrained, s.Training.BelowMinimum = n, int(amount)
			if n > 0 {
				avg := hours / float64(n)
				s.Training.AverageHoursPerCadre = &avg
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("counts by kind: %w", err)
	}
	for _, s := range into {
		finish(s)
	}
	return nil
}

// finish computes the shares and puts value counts in a stable order.
func finish(s *Statistics) {
	m := s.Committee
	m.OneShoulderShare = share(m.OneShoulderVillages, s.Villages)
	m.OneShoulderCommunityShare = share(m.OneShoulderCommunities, s.Communities-s.ExemptCommunities)
	m.CollegeShare = share(m.CollegeEducated, m.Members)
	m.PartyShare = share(m.PartyMembers, m.Members)
	m.RichLeaderShare = share(m.RichLeaders, m.Members)
	s.Duties.CompletionShare = share(s.Duties.Done, s.Duties.Items-s.Duties.Cancelled)
	excellent := 0
	for _, g := range s.Assessments.ByGrade {
		if g.Value == "EXCELLENT" {
			excellent = g.Count
		}
	}
	s.Assessments.ExcellentShare = share(excellent, s.Assessments.Assessed)
	for _, l := range []*[]ValueCount{&s.Reserves.ByList, &s.Advisers.ByKind, &s.Experts.DemandsByStatus,
		&s.ResidentCadresByDispatchLevel, &s.Contributions.ByKind, &s.Assessments.ByGrade} {
		if *l == nil {
			*l = []ValueCount{}
		}
		slices.SortFunc(*l, func(a, b ValueCount) int { return strings.Compare(a.Value, b.Value) })
	}
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	f := float64(n) / float64(of)
	return &f
}
