package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/errcode"
)

// Direction is which way a lineage is walked.
type Direction string

const (
	Descendants Direction = "DESCENDANTS" // mentees, their mentees …
	Ancestors   Direction = "ANCESTORS"   // mentors, their mentors …
)

// MaxLineageDepth bounds how many generations one lineage query walks.
const MaxLineageDepth = 10

// LineageEntry is one person reached in a lineage.
type LineageEntry struct {
	PersonID int
	Depth    int
	// Path holds the person IDs from the start to this person.
	Path []int
	// MentorshipID joins this person to the previous on the path (0 at depth 0).
	MentorshipID int
	// x+N figures of this person as a mentor.
	ActiveMentees, TotalMentees int
}

// Lineage walks the mentoring graph from personID up to depth generations in
// one recursive query. Entries come depth-first (a person, then their
// subtree), so they render as a tree; a person reached along two paths
// appears once per path.
func Lineage(ctx context.Context, c *ent.Client, personID int, dir Direction, depth int) ([]LineageEntry, error) {
	if depth < 0 || depth > MaxLineageDepth {
		return nil, errcode.BadInput("depth", "depth must be between 0 and %d, got %d / 层级须在 0 到 %d 之间", MaxLineageDepth, depth, MaxLineageDepth)
	}
	from, to := "mentor_id", "mentee_id"
	switch dir {
	case Descendants:
	case Ancestors:
		from, to = to, from
	default:
		return nil, errcode.BadInput("direction", "unknown direction %q / 未知方向", dir)
	}
	// The depth bound also stops the walk should the data ever hold a cycle
	// (the rules forbid one).
	// The walk follows only mentorships and people the viewer may see, so
	// a scoped viewer's lineage stops where their area ends; the mentee
	// counts are of those same mentorships.
	args := []any{personID, depth}
	root := seesPeople(ctx, "p.id", &args)
	link := seesMentorships(ctx, "m.id", &args) + " AND " + seesPeople(ctx, "m."+to, &args)
	counted := seesMentorships(ctx, "a.id", &args)
	q := fmt.Sprintf(`WITH RECURSIVE tree(person_id, depth, path, mentorship_id) AS (
		SELECT p.id, 0, CAST(p.id AS TEXT), CAST(NULL AS BIGINT) FROM persons p WHERE p.id = $1 AND %[3]s
		UNION ALL
		SELECT m.%[2]s, t.depth + 1, t.path || ',' || CAST(m.%[2]s AS TEXT), m.id
		FROM tree t JOIN mentorships m ON m.%[1]s = t.person_id
		WHERE t.depth < $2 AND %[4]s
	)
	SELECT t.person_id, t.depth, t.path, t.mentorship_id,
		(SELECT COUNT(DISTINCT a.mentee_id) FROM mentorships a WHERE a.mentor_id = t.person_id AND a.status = 'ACTIVE' AND %[5]s),
		(SELECT COUNT(DISTINCT a.mentee_id) FROM mentorships a WHERE a.mentor_id = t.person_id AND %[5]s)
	FROM tree t`, from, to, root, link, counted)
	var out []LineageEntry
	err := queryRows(ctx, c, q, args, func(rows *sql.Rows) error {
		var (
			e    LineageEntry
			path string
			ms   sql.NullInt64
		)
		if err := rows.Scan(&e.PersonID, &e.Depth, &path, &ms, &e.ActiveMentees, &e.TotalMentees); err != nil {
			return err
		}
		for _, s := range strings.Split(path, ",") {
			id, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("lineage path %q: %w", path, err)
			}
			e.Path = append(e.Path, id)
		}
		e.MentorshipID = int(ms.Int64)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mentor lineage: %w", err)
	}
	if len(out) == 0 {
		return nil, errcode.New(errcode.NotFound, "no person with this ID / 未找到该人员")
	}
	slices.SortFunc(out, func(a, b LineageEntry) int { return slices.Compare(a.Path, b.Path) })
	return out, nil
}

// Pipeline is the 雏雁 pipeline of a region subtree (see ReservePipeline).
type Pipeline struct {
	RegionID                            int
	People, Reserves, Mentees, Mentored int
	BecameSecretaries, BecameCommittee  int
	Mentors                             []PipelineMentor
}

// PipelineMentor is a mentor of people in the pipeline.
type PipelineMentor struct {
	MentorID                                    int
	Mentees, BecameSecretaries, BecameCommittee int
}

// committeeRoles are the 两委 posts; the first two hold the secretary seat.
var committeeRoles = []string{"PARTY_SECRETARY", "SECRETARY_AND_DIRECTOR", "COMMITTEE_DIRECTOR", "DEPUTY_SECRETARY", "COMMITTEE_MEMBER"}

func sqlList(values []string) string {
	return "'" + strings.Join(values, "','") + "'"
}

// pipelineCTE defines the pipeline of the subtree [$1, $2): entries (people
// with a reserve post or a mentorship as mentee there, with the date), the
// cohort (each person once, with the date they first entered) and outcome
// (who of them took a secretary or 两委 post that started later).
var pipelineCTE = `WITH entries(person_id, source, entered) AS (
		SELECT p.person_id, 'R', p.start_date FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE p.role = 'RESERVE_CADRE' AND r.code >= $1 AND r.code < $2
		UNION ALL
		SELECT m.mentee_id, 'M', m.start_date FROM mentorships m JOIN regions r ON r.id = m.region_id
		WHERE r.code >= $1 AND r.code < $2
	),
	cohort AS (SELECT person_id, MIN(entered) AS entered FROM entries GROUP BY person_id),
	outcome AS (
		SELECT c.person_id,
			MAX(CASE WHEN p.role IN ('PARTY_SECRETARY', 'SECRETARY_AND_DIRECTOR') THEN 1 ELSE 0 END) AS secretary
		FROM cohort c JOIN posts p ON p.person_id = c.person_id AND p.start_date > c.entered
		WHERE p.role IN (` + sqlList(committeeRoles) + `)
		GROUP BY c.person_id
	)`

// ReservePipeline counts the 雏雁 pipeline of the region with code: the people
// who have held a reserve-cadre post there or been mentees of a mentorship
// there, how many have a mentor, how many later (after first entering the
// pipeline) took a secretary or 两委 post anywhere, and their mentors (the
// first `mentors`, most mentees first).
func ReservePipeline(ctx context.Context, c *ent.Client, code string, mentors int) (*Pipeline, error) {
	r, err := analyticsRegion(ctx, c, code)
	if err != nil {
		return nil, err
	}
	lo, hi := codeRange(code)
	p := Pipeline{RegionID: r.ID}
	summary := pipelineCTE + `
	SELECT
		(SELECT COUNT(*) FROM cohort),
		(SELECT COUNT(DISTINCT person_id) FROM entries WHERE source = 'R'),
		(SELECT COUNT(DISTINCT person_id) FROM entries WHERE source = 'M'),
		(SELECT COUNT(*) FROM cohort c WHERE EXISTS (SELECT 1 FROM mentorships m WHERE m.mentee_id = c.person_id)),
		(SELECT COUNT(*) FROM outcome WHERE secretary = 1),
		(SELECT COUNT(*) FROM outcome)`
	err = queryRows(ctx, c, summary, []any{lo, hi}, func(rows *sql.Rows) error {
		return rows.Scan(&p.People, &p.Reserves, &p.Mentees, &p.Mentored, &p.BecameSecretaries, &p.BecameCommittee)
	})
	if err != nil {
		return nil, fmt.Errorf("reserve pipeline: %w", err)
	}
	// Mentors from outside the viewer's area are not listed.
	args := []any{lo, hi, mentors}
	mentor := seesPeople(ctx, "m.mentor_id", &args)
	list := pipelineCTE + `
	SELECT m.mentor_id, COUNT(DISTINCT m.mentee_id),
		COUNT(DISTINCT CASE WHEN o.secretary = 1 THEN m.mentee_id END),
		COUNT(DISTINCT o.person_id)
	FROM mentorships m JOIN cohort c ON c.person_id = m.mentee_id
	LEFT JOIN outcome o ON o.person_id = m.mentee_id
	WHERE ` + mentor + `
	GROUP BY m.mentor_id
	ORDER BY 2 DESC, 1
	LIMIT $3`
	err = queryRows(ctx, c, list, args, func(rows *sql.Rows) error {
		var m PipelineMentor
		if err := rows.Scan(&m.MentorID, &m.Mentees, &m.BecameSecretaries, &m.BecameCommittee); err != nil {
			return err
		}
		p.Mentors = append(p.Mentors, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reserve pipeline mentors: %w", err)
	}
	return &p, nil
}

// personExists reports whether a person with id exists.
func personExists(ctx context.Context, c *ent.Client, id int) error {
	ok, err := c.Person.Query().Where(person.ID(id)).Exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errcode.New(errcode.NotFound, "no person with this ID / 未找到该人员")
	}
	return nil
}
