package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/i18n"
)

// AlertKind names what an alert is about.
type AlertKind string

// The alert kinds, in the order alerts are listed.
const (
	FewReserves         AlertKind = "FEW_RESERVES"
	NoSecretary         AlertKind = "NO_SECRETARY"
	AdviserNotContacted AlertKind = "ADVISER_NOT_CONTACTED"
	MentorshipOverdue   AlertKind = "MENTORSHIP_OVERDUE"
	ExpertInactive      AlertKind = "EXPERT_INACTIVE"
	DemandOpenTooLong   AlertKind = "DEMAND_OPEN_TOO_LONG"
	RankedLast          AlertKind = "RANKED_LAST"
	AssessedIncompetent AlertKind = "ASSESSED_INCOMPETENT"
	DutyOverdue         AlertKind = "DUTY_OVERDUE"
	TrainingBelowMin    AlertKind = "TRAINING_BELOW_MINIMUM"
	// FilingMissing: an appointment made through a candidacy (资格联审)
	// that the county has not filed (备案) by the date.
	FilingMissing AlertKind = "FILING_MISSING"
)

// AlertKinds lists every kind in listing order.
var AlertKinds = []AlertKind{FewReserves, NoSecretary, AdviserNotContacted, MentorshipOverdue, ExpertInactive, DemandOpenTooLong,
	RankedLast, AssessedIncompetent, DutyOverdue, TrainingBelowMin, FilingMissing}

// AlertThresholds are the rules alerts check.
type AlertThresholds struct {
	// MinReserves is how many reserve cadres a village should have (2).
	MinReserves int
	// ContactDays is how long an adviser may go without contact (30: monthly).
	ContactDays int
	// ServiceDays is how long an expert may go without a service record (90).
	ServiceDays int
	// DemandOpenDays is how long a demand may stay open (60).
	DemandOpenDays int
	// LastRankYears is how many years running a cadre may rank last in
	// the 述职评议 before the alert (2: 沙市 adjusted the secretary ranked
	// last two years running).
	LastRankYears int
	// MinTrainingHours is the yearly minimum of training hours of a 两委
	// cadre (32; YANZHEN_TRAINING_MIN_HOURS).
	MinTrainingHours float64
}

// DefaultAlertThresholds are the rules of the programme documents.
var DefaultAlertThresholds = AlertThresholds{MinReserves: 2, ContactDays: 30, ServiceDays: 90, DemandOpenDays: 60, LastRankYears: 2, MinTrainingHours: 32}

// Alert is one thing that needs attention.
type Alert struct {
	Kind AlertKind
	// NodeID is the village, appointment, mentorship, assignment or demand.
	NodeID   int
	RegionID int
	// RegionKind is the kind of a village-level region (VILLAGE for one
	// without a kind), "" for another region.
	RegionKind region.Kind
	// DaysOverdue is how many days past the threshold or end date, or nil.
	DaysOverdue *int
	Message     i18n.Text
	Cursor      AlertCursor
}

// AlertCursor is the position of an alert in the listing order.
type AlertCursor struct {
	Kind   int
	Code   string
	NodeID int
}

// AlertPage is a page of alerts.
type AlertPage struct {
	Alerts      []Alert
	TotalCount  int
	HasNextPage bool
}

// alertSQL returns the SELECT of one kind: kind order, node, region, region
// code, name and kind (regionKindSQL), a count and a reference date. Parameters: $1, $2 the code
// range, $3 the date, $4 the minimum reserves, $5, $6, $7 the cut-off dates
// for contacts, service records and open demands, $8 the date's year, $9
// the years running of the last-rank rule, $10, $11 the first day of the
// year before the date's and of the date's year, $12 the minimum training
// hours.
//
// The village rules' kinds (FEW_RESERVES, NO_SECRETARY) look at villages
// and at the communities of counties that do not exempt them
// (underVillageRules).
//
// The assessment kinds look at a person's latest assessment up to the
// date's year, if it is of that year or the one before (the assessment of
// a year is held early in the next): 不称职 there, or ranked last in it and
// in each of the years running before it.
func alertSQL(k AlertKind) string {
	ord := slices.Index(AlertKinds, k)
	head := fmt.Sprintf("SELECT %d AS kind_ord, ", ord)
	switch k {
	case FewReserves:
		return fmt.Sprintf(fewReservesSQL, ord, regionKindSQL("v"), underVillageRules("v"))
	case NoSecretary:
		return head + `v.id, v.id, v.code, v.name, ` + regionKindSQL("v") + `, 0, CAST(NULL AS DATE)
		FROM regions v WHERE v.level = 'VILLAGE' AND v.code >= $1 AND v.code < $2 AND ` + underVillageRules("v") + `
		AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.region_id = v.id
			AND p.role IN ('PARTY_SECRETARY', 'SECRETARY_AND_DIRECTOR') AND p.start_date <= $3 AND (p.end_date IS NULL OR p.end_date >= $3))`
	case AdviserNotContacted:
		return head + `a.id, v.id, v.code, v.name, ` + regionKindSQL("v") + `, 0,
			COALESCE((SELECT MAX(l.date) FROM contact_logs l WHERE l.appointment_id = a.id AND l.date <= $3), a.start_date)
		FROM adviser_appointments a JOIN regions v ON v.id = a.village_id
		WHERE v.code >= $1 AND v.code < $2 AND a.start_date <= $3 AND (a.end_date IS NULL OR a.end_date >= $3)
		AND a.start_date < $5
		AND NOT EXISTS (SELECT 1 FROM contact_logs l WHERE l.appointment_id = a.id AND l.date >= $5 AND l.date <= $3)`
	case MentorshipOverdue:
		return head + `m.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, 0, m.end_date
		FROM mentorships m JOIN regions r ON r.id = m.region_id
		WHERE r.code >= $1 AND r.code < $2 AND m.status = 'ACTIVE' AND m.end_date < $3`
	case ExpertInactive:
		return head + `a.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, 0,
			COALESCE((SELECT MAX(s.date) FROM service_records s WHERE s.assignment_id = a.id AND s.date <= $3), a.start_date)
		FROM expert_assignments a JOIN regions r ON r.id = a.region_id
		WHERE r.code >= $1 AND r.code < $2 AND a.start_date <= $3 AND (a.end_date IS NULL OR a.end_date >= $3)
		AND a.start_date < $6
		AND NOT EXISTS (SELECT 1 FROM service_records s WHERE s.assignment_id = a.id AND s.date >= $6 AND s.date <= $3)`
	case DemandOpenTooLong:
		return head + `d.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, 0, d.raised_on
		FROM demands d JOIN regions r ON r.id = d.region_id
		WHERE r.code >= $1 AND r.code < $2 AND d.status = 'OPEN' AND d.raised_on < $7`
	case RankedLast:
		return head + `a.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, a.year, CAST(NULL AS DATE)
		FROM assessments a JOIN regions r ON r.id = a.region_id
		WHERE r.code >= $1 AND r.code < $2 AND ` + latestAssessment + `
		AND (SELECT COUNT(*) FROM assessments b WHERE b.person_id = a.person_id AND b.year > a.year - $9 AND b.year <= a.year
			AND b.ranked_among > 1 AND b.rank = b.ranked_among) = $9`
	case AssessedIncompetent:
		return head + `a.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, a.year, CAST(NULL AS DATE)
		FROM assessments a JOIN regions r ON r.id = a.region_id
		WHERE r.code >= $1 AND r.code < $2 AND a.grade = 'INCOMPETENT' AND ` + latestAssessment
	case DutyOverdue:
		// Past its deadline on the date and not done by then (a CANCELLED
		// item is off the list).
		return head + `t.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, 0, t.deadline
		FROM duty_items t JOIN regions r ON r.id = t.region_id
		WHERE r.code >= $1 AND r.code < $2 AND t.status <> 'CANCELLED' AND t.deadline < $3
		AND (t.completed_on IS NULL OR t.completed_on > $3)`
	case FilingMissing:
		// Appointed on or before the date and not filed by then.
		return head + `c.id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, 0, c.appointed_on
		FROM candidacies c JOIN regions r ON r.id = c.region_id
		WHERE r.code >= $1 AND r.code < $2 AND c.appointed_on <= $3
		AND (c.state = 'APPOINTED' OR (c.state = 'FILED' AND c.filed_on > $3))`
	case TrainingBelowMin:
		// A 两委 cadre in force on the date (once, at the first region of
		// their posts by code) credited fewer hours than the minimum in the
		// last completed year; n is the hours in tenths.
		return head + `x.person_id, r.id, r.code, r.name, ` + regionKindSQL("r") + `, CAST(ROUND(x.hours * 10) AS INTEGER), CAST(NULL AS DATE)
		FROM (SELECT c.person_id, c.code, COALESCE((SELECT SUM(COALESCE(e.hours, k.hours, 0))
				FROM training_enrolments e JOIN training_classes k ON k.id = e.class_id
				WHERE e.person_id = c.person_id AND e.completed
					AND COALESCE(k.ends_on, k.starts_on) >= $10 AND COALESCE(k.ends_on, k.starts_on) < $11), 0) AS hours
			FROM (SELECT p.person_id, MIN(r.code) AS code FROM posts p JOIN regions r ON r.id = p.region_id
				WHERE r.code >= $1 AND r.code < $2 AND p.role IN (` + sqlList(committeeRoles) + `)
					AND p.start_date <= $3 AND (p.end_date IS NULL OR p.end_date >= $3)
				GROUP BY p.person_id) c) x
		JOIN regions r ON r.code = x.code
		WHERE x.hours < $12`
	}
	return ""
}

// latestAssessment: a is its person's latest assessment up to the year $8,
// and of $8 or the year before.
const latestAssessment = `a.year <= $8 AND a.year >= $8 - 1
		AND NOT EXISTS (SELECT 1 FROM assessments l WHERE l.person_id = a.person_id AND l.year > a.year AND l.year <= $8)`

// fewReservesSQL: villages and communities under the village rules of the
// range with fewer than $4 reserves in post (the kind order, the region
// kind and the rules' test are filled in).
const fewReservesSQL = `SELECT %d AS kind_ord, v.id AS node_id, v.id AS region_id, v.code AS code, v.name AS name, v.rk AS rk, v.n AS n, CAST(NULL AS DATE) AS ref
	FROM (SELECT v.id, v.code, v.name, %s AS rk, (SELECT COUNT(DISTINCT p.person_id) FROM posts p WHERE p.region_id = v.id
			AND p.role = 'RESERVE_CADRE' AND p.start_date <= $3 AND (p.end_date IS NULL OR p.end_date >= $3)) AS n
		FROM regions v WHERE v.level = 'VILLAGE' AND v.code >= $1 AND v.code < $2 AND %s) v
	WHERE v.n < $4`

// Alerts lists the alerts of the given kinds (all when empty) in the subtree
// of code on asOf, ordered by kind, region code and node, first of them
// after the cursor. It takes two statements, the page and the total; for a
// province or a city whose counts are kept (region_figures), one read of
// them and a statement per kind of the page.
func Alerts(ctx context.Context, c *ent.Client, code string, kinds []AlertKind, asOf time.Time, th AlertThresholds, first int, after *AlertCursor) (*AlertPage, error) {
	return alerts(ctx, c, code, kinds, "", asOf, th, first, after, true)
}

// AlertsOfKind is Alerts narrowed to the alerts whose region is of the
// region kind rk: region.KindVILLAGE the villages' (kind VILLAGE or none),
// region.KindCOMMUNITY the communities'; an alert whose region is not a
// village-level region (a township's mentorship, a county's assignment …)
// is of neither. An empty rk is Alerts.
func AlertsOfKind(ctx context.Context, c *ent.Client, code string, kinds []AlertKind, rk region.Kind, asOf time.Time, th AlertThresholds, first int, after *AlertCursor) (*AlertPage, error) {
	return alerts(ctx, c, code, kinds, rk, asOf, th, first, after, true)
}

// alerts is AlertsOfKind, reading kept counts only when kept is set.
func alerts(ctx context.Context, c *ent.Client, code string, kinds []AlertKind, rk region.Kind, asOf time.Time, th AlertThresholds, first int, after *AlertCursor, kept bool) (*AlertPage, error) {
	if _, err := analyticsSubtree(ctx, c, code); err != nil {
		return nil, err
	}
	if first < 0 || first > 100 {
		return nil, errcode.BadInput("first", "first must be between 0 and 100 / 每页最多 100 条")
	}
	if rk != "" && region.KindValidator(rk) != nil {
		return nil, errcode.BadInput("regionKind", "unknown region kind / 未知的村（社区）类别")
	}
	if len(kinds) == 0 {
		kinds = AlertKinds
	}
	asOf = day(asOf)
	union, args := alertUnion(code, kinds, asOf, th)
	if union == "" {
		return nil, errcode.BadInput("kinds", "unknown alert kinds / 未知提醒类型")
	}
	// where narrows "a" to the region kind asked, its parameter numbered
	// after args.
	where := func(args []any) (string, []any) {
		if rk == "" {
			return "", args
		}
		return fmt.Sprintf(" WHERE a.rk = $%d", len(args)+1), append(args, string(rk))
	}
	page := &AlertPage{}
	// The counts per kind of a province or a city are kept in
	// region_figures; elsewhere, or when they are stale, they are counted.
	var counts map[AlertKind]int
	var err error
	if kept {
		if counts, err = storedAlertCounts(ctx, c, code, rk, asOf, th); err != nil {
			return nil, err
		}
	}
	if counts != nil {
		for _, k := range kinds {
			page.TotalCount += counts[k]
		}
	} else {
		w, cargs := where(args)
		if err := queryRows(ctx, c, union+"SELECT COUNT(*) FROM a"+w, cargs, func(rows *sql.Rows) error {
			return rows.Scan(&page.TotalCount)
		}); err != nil {
			return nil, fmt.Errorf("counting alerts: %w", err)
		}
	}
	if counts != nil {
		// The counts say which kinds have alerts: the page reads those
		// kinds one by one, in listing order, each an ordered range of
		// the region codes cut off at what the page still needs, rather
		// than sorting the alerts of a whole province.
		err = kindByKind(ctx, c, code, kinds, rk, counts, asOf, th, first, after, page)
		if err != nil {
			return nil, fmt.Errorf("listing alerts: %w", err)
		}
		return page, nil
	}
	w, args := where(args)
	q := union + "SELECT kind_ord, node_id, region_id, code, name, rk, n, ref FROM a" + w
	if after != nil {
		n := len(args)
		args = append(args, after.Kind, after.Code, after.NodeID)
		q += and(w) + fmt.Sprintf("(a.kind_ord, a.code, a.node_id) > ($%d, $%d, $%d)", n+1, n+2, n+3)
	}
	args = append(args, first+1)
	q += fmt.Sprintf(" ORDER BY a.kind_ord, a.code, a.node_id LIMIT $%d", len(args))
	if err = queryRows(ctx, c, q, args, scanAlerts(page, asOf, th)); err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	if len(page.Alerts) > first {
		page.Alerts, page.HasNextPage = page.Alerts[:first], true
	}
	return page, nil
}

// and continues the WHERE clause w, or starts one.
func and(w string) string {
	if w == "" {
		return " WHERE "
	}
	return " AND "
}

// scanAlerts appends the alerts of the rows to the page.
func scanAlerts(page *AlertPage, asOf time.Time, th AlertThresholds) func(rows *sql.Rows) error {
	return func(rows *sql.Rows) error {
		var (
			a        Alert
			name, rk string
			n        int
			ref      scanDate
		)
		if err := rows.Scan(&a.Cursor.Kind, &a.NodeID, &a.RegionID, &a.Cursor.Code, &name, &rk, &n, &ref); err != nil {
			return err
		}
		a.Cursor.NodeID = a.NodeID
		a.Kind = AlertKinds[a.Cursor.Kind]
		a.RegionKind = region.Kind(rk)
		describeAlert(&a, name, n, ref, asOf, th)
		page.Alerts = append(page.Alerts, a)
		return nil
	}
}

// kindByKind fills the page with the alerts of kinds (of the region kind
// rk, when given) after the cursor, one statement per kind that has
// alerts (by counts), until the page and one more alert (for HasNextPage)
// are found.
func kindByKind(ctx context.Context, c *ent.Client, code string, kinds []AlertKind, rk region.Kind, counts map[AlertKind]int,
	asOf time.Time, th AlertThresholds, first int, after *AlertCursor, page *AlertPage) error {
	for ord, k := range AlertKinds {
		need := first + 1 - len(page.Alerts)
		if need <= 0 {
			break
		}
		if !slices.Contains(kinds, k) || counts[k] == 0 || after != nil && ord < after.Kind {
			continue
		}
		union, args := alertUnion(code, []AlertKind{k}, asOf, th)
		q := union + "SELECT kind_ord, node_id, region_id, code, name, rk, n, ref FROM a"
		var conds []string
		if rk != "" {
			args = append(args, string(rk))
			conds = append(conds, fmt.Sprintf("a.rk = $%d", len(args)))
		}
		if after != nil && ord == after.Kind {
			n := len(args)
			args = append(args, after.Code, after.NodeID)
			conds = append(conds, fmt.Sprintf("(a.code, a.node_id) > ($%d, $%d)", n+1, n+2))
		}
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		args = append(args, need)
		q += fmt.Sprintf(" ORDER BY a.code, a.node_id LIMIT $%d", len(args))
		if err := queryRows(ctx, c, q, args, scanAlerts(page, asOf, th)); err != nil {
			return err
		}
	}
	if len(page.Alerts) > first {
		page.Alerts, page.HasNextPage = page.Alerts[:first], true
	}
	return nil
}

// alertUnion is the WITH clause naming "a" the alerts of kinds in the
// subtree of code on asOf, and its parameters; "" when no kind is known.
func alertUnion(code string, kinds []AlertKind, asOf time.Time, th AlertThresholds) (string, []any) {
	var parts []string
	for _, k := range AlertKinds {
		if !slices.Contains(kinds, k) {
			continue
		}
		parts = append(parts, alertSQL(k))
	}
	if len(parts) == 0 {
		return "", nil
	}
	lo, hi := codeRange(code)
	args := []any{lo, hi, asOf, th.MinReserves,
		asOf.AddDate(0, 0, -th.ContactDays), asOf.AddDate(0, 0, -th.ServiceDays), asOf.AddDate(0, 0, -th.DemandOpenDays),
		asOf.Year(), max(th.LastRankYears, 1),
		time.Date(asOf.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(asOf.Year(), 1, 1, 0, 0, 0, 0, time.UTC), th.MinTrainingHours}
	// The column list names the union's columns whichever kind comes first.
	// thresholds types the parameters that the chosen kinds may not use
	// (PostgreSQL must know every parameter's type).
	union := "WITH thresholds(as_of, min_reserves, contact_cutoff, service_cutoff, demand_cutoff, year, last_rank_years, " +
		"last_year, this_year, min_hours) AS (" +
		"SELECT CAST($3 AS DATE), CAST($4 AS INTEGER), CAST($5 AS DATE), CAST($6 AS DATE), CAST($7 AS DATE), CAST($8 AS INTEGER), CAST($9 AS INTEGER), " +
		"CAST($10 AS DATE), CAST($11 AS DATE), CAST($12 AS DOUBLE PRECISION)),\n" +
		"a(kind_ord, node_id, region_id, code, name, rk, n, ref) AS (" + strings.Join(parts, "\nUNION ALL\n") + ")\n"
	return union, args
}

// AlertCounts are the counts of alerts per kind: of all alerts, and of
// those of villages and of communities (an alert of another region counts
// in All only).
type AlertCounts struct {
	All, Villages, Communities map[AlertKind]int
}

// of gives the counts of the alerts of the region kind rk ("" all).
func (a AlertCounts) of(rk region.Kind) map[AlertKind]int {
	switch rk {
	case region.KindVILLAGE:
		return a.Villages
	case region.KindCOMMUNITY:
		return a.Communities
	}
	return a.All
}

// complete reports whether every count is there (rows stored by an older
// version lack the per-region-kind counts).
func (a AlertCounts) complete() bool {
	for _, m := range []map[AlertKind]int{a.All, a.Villages, a.Communities} {
		if len(m) != len(AlertKinds) {
			return false
		}
	}
	return true
}

// alertCounts counts the alerts of every kind in the subtree of code on
// asOf, in total and per region kind, in one statement.
func alertCounts(ctx context.Context, c *ent.Client, code string, asOf time.Time, th AlertThresholds) (AlertCounts, error) {
	union, args := alertUnion(code, AlertKinds, asOf, th)
	counts := AlertCounts{All: map[AlertKind]int{}, Villages: map[AlertKind]int{}, Communities: map[AlertKind]int{}}
	for _, k := range AlertKinds {
		counts.All[k], counts.Villages[k], counts.Communities[k] = 0, 0, 0
	}
	err := queryRows(ctx, c, union+"SELECT kind_ord, rk, COUNT(*) FROM a GROUP BY kind_ord, rk", args, func(rows *sql.Rows) error {
		var (
			ord, n int
			rk     string
		)
		if err := rows.Scan(&ord, &rk, &n); err != nil {
			return err
		}
		k := AlertKinds[ord]
		counts.All[k] += n
		if m := counts.of(region.Kind(rk)); rk != "" && m != nil {
			m[k] += n
		}
		return nil
	})
	if err != nil {
		return AlertCounts{}, fmt.Errorf("counting alerts: %w", err)
	}
	return counts, nil
}

// placeNames is how the messages name the region of an alert: a village
// (村) or a community (社区) says which it is — in Chinese when its name
// does not already say so, in English always — and other regions go by
// their names.
func placeNames(name string, rk region.Kind) (zh, en string) {
	switch rk {
	case region.KindCOMMUNITY:
		zh, en = name, "community "+name
		if !strings.Contains(name, "社区") {
			zh = name + "（社区）"
		}
	case region.KindVILLAGE:
		zh, en = name, "village "+name
		if !strings.HasSuffix(name, "村") {
			zh = name + "（村）"
		}
	default:
		zh, en = name, name
	}
	return zh, en
}

// describeAlert sets the days overdue and the message.
func describeAlert(a *Alert, name string, n int, ref scanDate, asOf time.Time, th AlertThresholds) {
	zhName, enName := placeNames(name, a.RegionKind)
	// text formats the message with the region named in each language:
	// the first verb of both formats is the region.
	text := func(zh, en string, args ...any) i18n.Text {
		return i18n.Text{Zh: fmt.Sprintf(zh, append([]any{zhName}, args...)...), En: fmt.Sprintf(en, append([]any{enName}, args...)...)}
	}
	since := 0
	if ref.Valid {
		since = daysBetween(ref.Time, asOf)
	}
	overdue := func(d int) { a.DaysOverdue = &d }
	switch a.Kind {
	case FewReserves:
		a.Message = text("%s现有后备干部 %d 名，少于 %d 名", "%s has %d reserve cadre(s), fewer than %d", n, th.MinReserves)
	case NoSecretary:
		a.Message = text("%s无在任党组织书记", "%s has no party secretary in post")
	case AdviserNotContacted:
		overdue(since - th.ContactDays)
		a.Message = text("%s的顾问已 %d 天未联系（超过 %d 天的要求）", "the adviser of %s has not been contacted for %d days (the rule is %d)",
			since, th.ContactDays)
	case MentorshipOverdue:
		overdue(since)
		a.Message = text("%s的结对帮带已于 %s 到期，仍为在帮状态", "a mentorship in %s ended on %s but is still active",
			ref.Time.Format(time.DateOnly))
	case ExpertInactive:
		overdue(since - th.ServiceDays)
		a.Message = text("%s的科技特派员已 %d 天无服务记录（要求 %d 天内）", "the expert in %s has no service record for %d days (the rule is %d)",
			since, th.ServiceDays)
	case DemandOpenTooLong:
		overdue(since - th.DemandOpenDays)
		a.Message = text("%s的需求已挂单 %d 天未对接（要求 %d 天内）", "a demand of %s has been open for %d days (the rule is %d)",
			since, th.DemandOpenDays)
	case RankedLast:
		a.Message = text("%s有干部在述职评议中连续 %d 年排名末位（至 %d 年度）", "a cadre of %s ranked last in the review %d years running (to %d)",
			max(th.LastRankYears, 1), n)
	case AssessedIncompetent:
		a.Message = text("%s有干部 %d 年度考核为不称职", "a cadre of %s was assessed incompetent for %d", n)
	case DutyOverdue:
		overdue(since)
		a.Message = text("%s的履职事项已逾期 %d 天（截止 %s）", "a duty item of %s is %d days past its deadline (%s)",
			since, ref.Time.Format(time.DateOnly))
	case FilingMissing:
		overdue(since)
		a.Message = text("%s于 %s 任命的干部尚未备案（%d 天）", "an appointment in %s on %s has not been filed for %d days",
			ref.Time.Format(time.DateOnly), since)
	case TrainingBelowMin:
		a.Message = text("%s有两委干部 %d 年度培训 %.1f 学时，少于 %g 学时", "a committee member of %s was credited, in %d, %.1f training hours, fewer than %g",
			asOf.Year()-1, float64(n)/10, th.MinTrainingHours)
	}
}
