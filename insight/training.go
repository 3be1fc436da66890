package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/errcode"
	"yanzhen/rules"
)

// TrainingCohort is what became of the trainees of a class: who later took
// which post, and who holds a village secretary seat today (the 雏鹰 85 →
// 15).
type TrainingCohort struct {
	Class *ent.TrainingClass
	// Trainees and Completed count the members listed.
	Trainees, Completed int
	// NowSecretaries counts the members holding a secretary seat today.
	NowSecretaries int
	// LaterPostsByRole counts, per role, the members who took a post of
	// it on or after the class's start.
	LaterPostsByRole []ValueCount
	Members          []*CohortMember
}

// CohortMember is one trainee of a cohort.
type CohortMember struct {
	Person     *ent.Person
	Enrolment  *ent.TrainingEnrolment
	LaterPosts []*ent.Post
	// NowSecretary: the trainee holds a secretary seat today.
	NowSecretary bool
}

// Cohort answers the cohort of class id as the viewer sees it: the class
// must be one they may see (NOT_FOUND otherwise), its members are the
// enrolments and trainees they may see, and the posts are theirs to see
// too — everything is read through ent as the viewer, so the privacy
// policies (package scope) narrow each statement. It takes three
// statements whatever the class's size: the class, the enrolments with
// their trainees, and the trainees' posts.
func Cohort(ctx context.Context, c *ent.Client, classID int) (*TrainingCohort, error) {
	class, err := c.TrainingClass.Get(ctx, classID)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.NotFound, "no training class with this ID / 未找到该培训班次")
	}
	if e, ok := errcode.As(err); ok { // refused: anonymous callers
		return nil, e
	}
	if err != nil {
		return nil, fmt.Errorf("loading the training class: %w", err)
	}
	enrolments, err := c.TrainingEnrolment.Query().
		Where(trainingenrolment.ClassID(classID)).
		WithPerson().
		Order(trainingenrolment.ByPersonID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the enrolments: %w", err)
	}
	out := &TrainingCohort{Class: class, LaterPostsByRole: []ValueCount{}, Members: []*CohortMember{}}
	var ids []int
	byPerson := map[int]*CohortMember{}
	for _, e := range enrolments {
		p := e.Edges.Person
		if p == nil { // a trainee the viewer may not see
			continue
		}
		m := &CohortMember{Person: p, Enrolment: e, LaterPosts: []*ent.Post{}}
		out.Members = append(out.Members, m)
		byPerson[p.ID] = m
		ids = append(ids, p.ID)
		out.Trainees++
		if e.Completed {
			out.Completed++
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	today := Today()
	// One statement: the posts taken since the class started, and the
	// secretary seats held today.
	posts, err := c.Post.Query().
		Where(post.PersonIDIn(ids...), post.Or(
			post.StartDateGTE(class.StartsOn),
			post.And(post.RoleIn(entRoles(secretaryRoles)...), post.StartDateLTE(today),
				post.Or(post.EndDateIsNil(), post.EndDateGTE(today))),
		)).
		Order(post.ByStartDate(), post.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the trainees' posts: %w", err)
	}
	roles := map[string]map[int]bool{}
	for _, p := range posts {
		m := byPerson[p.PersonID]
		if m == nil {
			continue
		}
		if !day(p.StartDate).Before(day(class.StartsOn)) {
			m.LaterPosts = append(m.LaterPosts, p)
			r := string(p.Role)
			if roles[r] == nil {
				roles[r] = map[int]bool{}
			}
			roles[r][p.PersonID] = true
		}
		if rules.IsSecretary(string(p.Role)) && currentOn(p.StartDate, p.EndDate, today) {
			m.NowSecretary = true
		}
	}
	for _, m := range out.Members {
		if m.NowSecretary {
			out.NowSecretaries++
		}
	}
	for r, people := range roles {
		out.LaterPostsByRole = append(out.LaterPostsByRole, ValueCount{Value: r, Count: len(people)})
	}
	slices.SortFunc(out.LaterPostsByRole, func(a, b ValueCount) int { return strings.Compare(a.Value, b.Value) })
	return out, nil
}

// currentOn reports whether a period [start, end] covers the day d.
func currentOn(start time.Time, end *time.Time, d time.Time) bool {
	return !day(start).After(d) && (end == nil || !day(*end).Before(d))
}

// CadreTrainingHours is a 两委 cadre's training in a year.
type CadreTrainingHours struct {
	Person *ent.Person
	Year   int
	// Hours credited by the completed enrolments of the year (see
	// creditedHours), and how many classes they are.
	Hours        float64
	Classes      int
	BelowMinimum bool
	Cursor       HoursCursor
}

// HoursCursor is a position in the fewest-hours-first order.
type HoursCursor struct {
	Hours    float64
	PersonID int
}

// String is the cursor's text: hours and person ID.
func (c HoursCursor) String() string {
	return strconv.FormatFloat(c.Hours, 'g', -1, 64) + "|" + strconv.Itoa(c.PersonID)
}

// ParseHoursCursor reads a cursor written by String.
func ParseHoursCursor(s string) (*HoursCursor, error) {
	h, id, ok := strings.Cut(s, "|")
	var c HoursCursor
	var err1, err2 error
	c.Hours, err1 = strconv.ParseFloat(h, 64)
	c.PersonID, err2 = strconv.Atoi(id)
	if !ok || err1 != nil || err2 != nil {
		return nil, errcode.BadInput("after", "the cursor is not a training hours cursor / 分页游标无效")
	}
	return &c, nil
}

// HoursPage is a page of cadres' training hours.
type HoursPage struct {
	Cadres       []*CadreTrainingHours
	TotalCount   int
	HasNextPage  bool
	MinimumHours float64
}

// creditedHoursSQL is the CTE "credited" of the hours each person was
// credited in the year [$from, $to) (parameters named by the caller): the
// completed enrolments of classes ending in it (starting in it, when
// open-ended); an enrolment without hours is credited its class's.
func creditedHoursSQL(from, to string) string {
	return `credited AS (
		SELECT e.person_id, SUM(COALESCE(e.hours, k.hours, 0)) AS hours, COUNT(*) AS classes
		FROM training_enrolments e JOIN training_classes k ON k.id = e.class_id
		WHERE e.completed AND COALESCE(k.ends_on, k.starts_on) >= ` + from + ` AND COALESCE(k.ends_on, k.starts_on) < ` + to + `
		GROUP BY e.person_id
	)`
}

// TrainingHours lists the 两委 cadres of the subtree of code — those in
// force at the end of year, or today for the current year — with the hours
// they were credited in the year, fewest first (then by person), first of
// them after the cursor; with belowMinimum, only those under the minimum.
// The viewer must cover the subtree (analyticsSubtree), and the cadres are
// narrowed to the people they may see in the SQL. A cadre's hours count
// all their completed enrolments, wherever recorded. Two statements (the
// page and the total) and one for the page's people.
func TrainingHours(ctx context.Context, c *ent.Client, code string, year int, belowMinimum bool, minimum float64,
	first int, after *HoursCursor) (*HoursPage, error) {
	if _, err := analyticsSubtree(ctx, c, code); err != nil {
		return nil, err
	}
	if v := rules.CheckYear("year", year, time.Now()); v != nil {
		return nil, errcode.BadInput("year", "year %d is out of range / 年度超出范围", year)
	}
	if first < 0 || first > 100 {
		return nil, errcode.BadInput("first", "first must be between 0 and 100 / 每页最多 100 条")
	}
	asOf := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if t := Today(); t.Before(asOf) {
		asOf = t
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	lo, hi := codeRange(code)
	args := []any{lo, hi, asOf, from, from.AddDate(1, 0, 0), minimum}
	sees := seesPeople(ctx, "p.person_id", &args)
	q := `WITH cadres AS (
		SELECT DISTINCT p.person_id FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE r.code >= $1 AND r.code < $2 AND p.role IN (` + sqlList(committeeRoles) + `)
			AND p.start_date <= $3 AND (p.end_date IS NULL OR p.end_date >= $3) AND ` + sees + `
	), ` + creditedHoursSQL("$4", "$5") + `, t AS (
		SELECT m.person_id, CAST(COALESCE(h.hours, 0) AS DOUBLE PRECISION) AS hours, COALESCE(h.classes, 0) AS classes
		FROM cadres m LEFT JOIN credited h ON h.person_id = m.person_id
	)
	`
	where := "WHERE (t.hours < $6 OR NOT " + strconv.FormatBool(belowMinimum) + ")"
	page := &HoursPage{MinimumHours: minimum}
	if err := queryRows(ctx, c, q+"SELECT COUNT(*) FROM t "+where, args, func(rows *sql.Rows) error {
		return rows.Scan(&page.TotalCount)
	}); err != nil {
		return nil, fmt.Errorf("counting training hours: %w", err)
	}
	if after != nil {
		n := len(args)
		args = append(args, after.Hours, after.PersonID)
		where += fmt.Sprintf(" AND (t.hours > $%d OR t.hours = $%d AND t.person_id > $%d)", n+1, n+1, n+2)
	}
	args = append(args, first+1)
	list := q + "SELECT t.person_id, t.hours, t.classes FROM t " + where + fmt.Sprintf(" ORDER BY t.hours, t.person_id LIMIT $%d", len(args))
	var ids []int
	err := queryRows(ctx, c, list, args, func(rows *sql.Rows) error {
		h := &CadreTrainingHours{Year: year}
		if err := rows.Scan(&h.Cursor.PersonID, &h.Hours, &h.Classes); err != nil {
			return err
		}
		h.Cursor.Hours = h.Hours
		h.BelowMinimum = h.Hours < minimum
		page.Cadres = append(page.Cadres, h)
		ids = append(ids, h.Cursor.PersonID)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing training hours: %w", err)
	}
	if len(page.Cadres) > first {
		page.Cadres, page.HasNextPage, ids = page.Cadres[:first], true, ids[:first]
	}
	if len(ids) == 0 {
		return page, nil
	}
	people, err := c.Person.Query().Where(person.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the cadres: %w", err)
	}
	byID := map[int]*ent.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	kept := page.Cadres[:0]
	for _, h := range page.Cadres {
		if h.Person = byID[h.Cursor.PersonID]; h.Person != nil {
			kept = append(kept, h)
		}
	}
	page.Cadres = kept
	return page, nil
}

// entRoles turns role names into ent's post roles, for ent predicates.
func entRoles(names []string) []post.Role {
	out := make([]post.Role, len(names))
	for i, n := range names {
		out[i] = post.Role(n)
	}
	return out
}
