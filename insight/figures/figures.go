// Package figures marks the precomputed figures of region subtrees
// (region_figures, ent RegionFigures) out of date when something they count
// changes. The ent hooks of ent/schema (figures_hooks.go) call it in the
// writer's transaction for every write to a table the statistics or the
// alerts read: for every kept region above the written one — the country
// and the prefixes of its code down to the county — it inserts a mark
// (region_figures_marks). A row of figures is fresh only while no mark of
// its code exists; the refresher deletes a code's marks before it
// recomputes, so a write it cannot see yet leaves its mark behind, and a
// rolled-back write takes its marks with it. Writers only insert: two
// writes in one province never wait for each other here.
//
// It is apart from package insight, which computes the figures, because
// the hooks cannot depend on a package that imports the ent client.
package figures

import (
	"context"
	"crypto/rand"
	stdsql "database/sql"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DB runs statements: an *ent.Client (inside its transaction when it has
// one), a *sql.Tx or a *sql.DB.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
}

// Kept are the lengths of the codes whose figures are kept: the country
// (""), provinces, cities and counties (the levels of package regioncode,
// which this package does not import to stay below the ent client).
// Townships and villages are computed for each request in milliseconds.
var Kept = []int{0, 2, 4, 6}

// KeptLevel reports whether the figures of code are kept.
func KeptLevel(code string) bool { return slices.Contains(Kept, len(code)) }

// chunk bounds the IDs of one statement.
const chunk = 500

// Where the rows of a table are: SQL selecting the region code of each row
// whose id is in the list that follows it ("IN (…)").
const (
	PostRegions         = `SELECT r.code FROM posts t JOIN regions r ON r.id = t.region_id WHERE t.id `
	AppointmentRegions  = `SELECT r.code FROM adviser_appointments t JOIN regions r ON r.id = t.village_id WHERE t.id `
	ContactLogRegions   = `SELECT r.code FROM contact_logs t JOIN adviser_appointments a ON a.id = t.appointment_id JOIN regions r ON r.id = a.village_id WHERE t.id `
	AssignmentRegions   = `SELECT r.code FROM expert_assignments t JOIN regions r ON r.id = t.region_id WHERE t.id `
	ServiceRecordRegion = `SELECT r.code FROM service_records t JOIN expert_assignments a ON a.id = t.assignment_id JOIN regions r ON r.id = a.region_id WHERE t.id `
	MentorshipRegions   = `SELECT r.code FROM mentorships t JOIN regions r ON r.id = t.region_id WHERE t.id `
	DemandRegions       = `SELECT r.code FROM demands t JOIN regions r ON r.id = t.region_id WHERE t.id `
	ContributionRegions = `SELECT r.code FROM contributions t JOIN regions r ON r.id = t.village_id WHERE t.id `
	RegionCodes         = `SELECT r.code FROM regions r WHERE r.id `
	AssessmentRegions   = `SELECT r.code FROM assessments t JOIN regions r ON r.id = t.region_id WHERE t.id `
	DutyItemRegions     = `SELECT r.code FROM duty_items t JOIN regions r ON r.id = t.region_id WHERE t.id `
	// A candidacy counts in the FILING_MISSING alert of its village.
	CandidacyRegions = `SELECT r.code FROM candidacies t JOIN regions r ON r.id = t.region_id WHERE t.id `
	// Rewards count in the statistics of their region.
	RewardRegions = `SELECT r.code FROM rewards t JOIN regions r ON r.id = t.region_id WHERE t.id `
	// An enrolment counts in the statistics of its region, and in the
	// training alert and hours of its trainee, in the regions of their
	// posts (among their places).
	TrainingEnrolmentRegions = `SELECT x.code FROM (
		SELECT r.code, t.id FROM training_enrolments t JOIN regions r ON r.id = t.region_id
		UNION ALL SELECT pp.code, t.id FROM training_enrolments t JOIN person_places pp ON pp.person_id = t.person_id) x WHERE x.id `
	// A class counts in the statistics of its region, and through its
	// dates and hours in those of its enrolments.
	TrainingClassRegions = `SELECT x.code FROM (
		SELECT r.code, t.id FROM training_classes t JOIN regions r ON r.id = t.region_id
		UNION ALL SELECT r.code, e.class_id FROM training_enrolments e JOIN regions r ON r.id = e.region_id
		UNION ALL SELECT pp.code, e.class_id FROM training_enrolments e JOIN person_places pp ON pp.person_id = e.person_id) x WHERE x.id `
	// A person counts in the figures of the regions of their posts, which
	// are among their places (person_places).
	PersonRegions = `SELECT t.code FROM person_places t WHERE t.person_id `
)

// Rows marks the figures above the rows ids of a table stale; regions is
// one of the SQL texts above. Under a batch, the rows' regions are read at
// its Flush: for rows that are still there then (created or updated ones).
func Rows(ctx context.Context, db DB, regions string, ids ...int) error {
	if b := batchFrom(ctx); b != nil {
		b.addRows(regions, ids)
		return nil
	}
	return Before(ctx, db, regions, ids...)
}

// Before is Rows reading the rows' regions now, for rows about to be
// deleted or moved.
func Before(ctx context.Context, db DB, regions string, ids ...int) error {
	codes, err := Codes(ctx, db, regions, ids...)
	if err != nil {
		return err
	}
	return Mark(ctx, db, codes...)
}

// Codes reads the region codes of the rows ids (see Rows).
func Codes(ctx context.Context, db DB, regions string, ids ...int) ([]string, error) {
	var codes []string
	for len(ids) > 0 {
		n := min(len(ids), chunk)
		part := ids[:n]
		ids = ids[n:]
		q, args := inList(regions, part, 0)
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, err
			}
			codes = append(codes, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// Above returns the codes of the kept regions whose subtree holds one of
// codes (the country, and each code's ancestors and itself down to the
// county), sorted, each once.
func Above(codes ...string) []string {
	var out []string
	for _, c := range codes {
		for _, n := range Kept {
			if n <= len(c) {
				out = append(out, c[:n])
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Mark marks the figures of every kept region whose subtree holds one of
// codes, in one statement (or notes the codes in the batch of ctx).
func Mark(ctx context.Context, db DB, codes ...string) error {
	if len(codes) == 0 {
		return nil
	}
	if b := batchFrom(ctx); b != nil {
		b.add(codes)
		return nil
	}
	return mark(ctx, db, Above(codes...))
}

func mark(ctx context.Context, db DB, above []string) error {
	for len(above) > 0 {
		n := min(len(above), chunk)
		part := above[:n]
		above = above[n:]
		args := make([]any, 0, 2*len(part))
		var values strings.Builder
		for i, c := range part {
			if i > 0 {
				values.WriteByte(',')
			}
			values.WriteString("($" + strconv.Itoa(2*i+1) + ",$" + strconv.Itoa(2*i+2) + ")")
			args = append(args, markID(), c)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO region_figures_marks (id, code) VALUES `+values.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// markID is a mark's random key.
func markID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// All marks every row: for the writers that bypass ent (the demo
// generator, the divisions import).
func All(ctx context.Context, db DB) error {
	rows, err := db.QueryContext(ctx, `SELECT code FROM region_figures`)
	if err != nil {
		return err
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(codes)
	return mark(ctx, db, codes)
}

// inList appends "IN ($k+1,…)" for ids to q.
func inList(q string, ids []int, k int) (string, []any) {
	var b strings.Builder
	b.WriteString(q)
	b.WriteString("IN (")
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("$" + strconv.Itoa(k+i+1))
		args[i] = id
	}
	b.WriteByte(')')
	return b.String(), args
}

// Batch collects the codes a bulk writer's rows touched, so that the rows
// of region_figures are locked once, at its end, rather than from its
// first row on.
type Batch struct {
	mu    sync.Mutex
	codes []string
	rows  map[string][]int // regions SQL → row IDs, read at Flush
}

type batchKey struct{}

// WithBatch returns ctx carrying a new batch: the hooks under it only note
// the codes (reading them when they run), and the writer calls Flush
// before it commits.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{}
	return context.WithValue(ctx, batchKey{}, b), b
}

func batchFrom(ctx context.Context) *Batch {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	return b
}

func (b *Batch) add(codes []string) {
	b.mu.Lock()
	b.codes = append(b.codes, Above(codes...)...)
	b.mu.Unlock()
}

func (b *Batch) addRows(regions string, ids []int) {
	b.mu.Lock()
	if b.rows == nil {
		b.rows = map[string][]int{}
	}
	b.rows[regions] = append(b.rows[regions], ids...)
	b.mu.Unlock()
}

// Flush marks the figures above every code and row noted, in db (the
// writer's transaction): one statement per table and per 500 rows to read
// the rows' regions, then one per 500 regions to mark.
func (b *Batch) Flush(ctx context.Context, db DB) error {
	b.mu.Lock()
	codes, rows := b.codes, b.rows
	b.codes, b.rows = nil, nil
	b.mu.Unlock()
	for regions, ids := range rows {
		slices.Sort(ids)
		more, err := Codes(ctx, db, regions, slices.Compact(ids)...)
		if err != nil {
			return err
		}
		codes = append(codes, Above(more...)...)
	}
	return mark(ctx, db, Above(codes...))
}
