package insight

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/post"
	"yanzhen/ent/predicate"
	"yanzhen/rules"
)

// TimelineKind is what a timeline entry records.
type TimelineKind string

const (
	PostEntry        TimelineKind = "POST"
	AppointmentEntry TimelineKind = "ADVISER_APPOINTMENT"
	AssignmentEntry  TimelineKind = "EXPERT_ASSIGNMENT"
	MentoringEntry   TimelineKind = "MENTORING" // the person is the mentor
	MentoredEntry    TimelineKind = "MENTORED"  // the person is the mentee
	// A dated attribute changed (the period from the day), or a tag lost
	// (the period until the day); ID is the period's.
	AttributeChangedEntry TimelineKind = "ATTRIBUTE_CHANGED"
	// A period corrected in place, on the day of the correction.
	AttributeCorrectedEntry TimelineKind = "ATTRIBUTE_CORRECTED"
)

// AssignmentTitle is the title of an expert assignment in a timeline.
const AssignmentTitle = "SCIENCE_TECHNOLOGY_COMMISSIONER"

// TimelineEntry is one dated relationship of a person.
type TimelineEntry struct {
	Kind      TimelineKind
	ID        int
	StartDate time.Time
	EndDate   *time.Time
	RegionID  int // 0 when none
	// Title is the role, appointment kind, AssignmentTitle or mentoring programme.
	Title string
	// CounterpartID is the other person of a mentorship (0 otherwise).
	CounterpartID int
}

// PersonTimeline lists every post, adviser appointment, expert assignment
// and mentorship (as mentor and as mentee) of a person, by start date, in
// one UNION ALL query.
func PersonTimeline(ctx context.Context, c *ent.Client, personID int) ([]TimelineEntry, error) {
	if err := personExists(ctx, c, personID); err != nil {
		return nil, err
	}
	// Each entry is one the viewer may see, with a counterpart they may see.
	args := []any{personID}
	posts := seesPosts(ctx, "p.id", &args)
	appointments := seesAppointments(ctx, "a.id", &args)
	assignments := seesAssignments(ctx, "e.id", &args)
	mentoring := seesMentorships(ctx, "m.id", &args) + " AND " + seesPeople(ctx, "m.mentee_id", &args)
	mentored := seesMentorships(ctx, "m.id", &args) + " AND " + seesPeople(ctx, "m.mentor_id", &args)
	q := `SELECT 'POST' AS kind, p.id, p.start_date, p.end_date, p.region_id, p.role AS title, CAST(NULL AS BIGINT) AS other
		FROM posts p WHERE p.person_id = $1 AND ` + posts + `
	UNION ALL
	SELECT 'ADVISER_APPOINTMENT', a.id, a.start_date, a.end_date, a.village_id, a.kind, NULL
		FROM adviser_appointments a WHERE a.person_id = $1 AND ` + appointments + `
	UNION ALL
	SELECT 'EXPERT_ASSIGNMENT', e.id, e.start_date, e.end_date, e.region_id, '` + AssignmentTitle + `', NULL
		FROM expert_assignments e WHERE e.expert_id = $1 AND ` + assignments + `
	UNION ALL
	SELECT 'MENTORING', m.id, m.start_date, m.end_date, m.region_id, m.program, m.mentee_id
		FROM mentorships m WHERE m.mentor_id = $1 AND ` + mentoring + `
	UNION ALL
	SELECT 'MENTORED', m.id, m.start_date, m.end_date, m.region_id, m.program, m.mentor_id
		FROM mentorships m WHERE m.mentee_id = $1 AND ` + mentored + `
	ORDER BY 3, 1, 2`
	var out []TimelineEntry
	err := queryRows(ctx, c, q, args, func(rows *sql.Rows) error {
		var (
			e             TimelineEntry
			start, end    scanDate
			region, other sql.NullInt64
		)
		if err := rows.Scan(&e.Kind, &e.ID, &start, &end, &region, &e.Title, &other); err != nil {
			return err
		}
		e.StartDate, e.EndDate = start.Time, end.ptr()
		e.RegionID, e.CounterpartID = int(region.Int64), int(other.Int64)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("person timeline: %w", err)
	}
	changes, err := attributeEntries(ctx, c, personID)
	if err != nil {
		return nil, fmt.Errorf("person timeline: %w", err)
	}
	if len(changes) == 0 {
		return out, nil
	}
	out = append(out, changes...)
	slices.SortStableFunc(out, func(a, b TimelineEntry) int {
		return cmp.Or(a.StartDate.Compare(b.StartDate), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// PostHolders selects the posts that held role's office in the region on
// day (started on or before it, not ended before it), earliest start first.
// A 一肩挑 holds two offices, so asking for the party secretary or the
// committee director finds them too.
func PostHolders(c *ent.Client, regionID int, role post.Role, on time.Time) *ent.PostQuery {
	on = day(on)
	return c.Post.Query().
		Where(post.RegionID(regionID), holding(role), post.StartDateLTE(on),
			post.Or(post.EndDateIsNil(), post.EndDateGTE(on))).
		Order(post.ByStartDate(), post.ByID())
}

// holding selects the posts that hold role's office, by the rules of
// package rules: the secretary's seat is rules.IsSecretary as the post hook
// stored it (and the seat the unique index guards), the director's office
// rules.Directors.
func holding(role post.Role) predicate.Post {
	switch {
	case role == post.RolePARTY_SECRETARY:
		return post.SeatEQ(post.SeatSECRETARY)
	case role == post.RoleCOMMITTEE_DIRECTOR:
		roles := make([]post.Role, len(rules.Directors))
		for i, r := range rules.Directors {
			roles[i] = post.Role(r)
		}
		return post.RoleIn(roles...)
	}
	return post.RoleEQ(role)
}
