// Package places keeps person_places (ent PersonPlace) in step with the
// links that put a person in a region subtree: home village, posts,
// adviser appointments, expert assignments and mentorships. scope.People
// reads it; the link hooks of ent/schema (places_hooks.go) write it in the
// writer's own transaction, one statement for a new link and two to
// recompute the people a removed or moved link concerned. A bulk writer
// (the roster import) collects the people with WithBatch and recomputes
// them all at its end; the writers that bypass ent (mergePeople's moves,
// the demo generator, the migration that fills the table) call Refresh or
// FillAll themselves.
//
// It is apart from package scope, which states the rule, because it writes
// through the ent client the rule's package cannot depend on in a hook.
package places

import (
	"context"
	stdsql "database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Execer runs a statement: an *ent.Client (inside its transaction when it
// has one), a *sql.Tx or a *sql.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
}

// chunk bounds the people of one statement; the list is bound once and
// referred to by each arm of the union, far below SQLite's limit.
const chunk = 1000

// links is every (person, region) link, the union the table is derived
// from; %[1]s is the condition on the person column of each arm
// ("IN ($1,…)" or "IS NOT NULL" for all).
const links = `SELECT id AS person_id, home_village_id AS region_id FROM persons WHERE id %[1]s
	UNION ALL SELECT person_id, region_id FROM posts WHERE person_id %[1]s
	UNION ALL SELECT person_id, village_id FROM adviser_appointments WHERE person_id %[1]s
	UNION ALL SELECT expert_id, region_id FROM expert_assignments WHERE expert_id %[1]s
	UNION ALL SELECT mentor_id, region_id FROM mentorships WHERE mentor_id %[1]s
	UNION ALL SELECT mentee_id, region_id FROM mentorships WHERE mentee_id %[1]s`

// fill inserts the places of the links chosen by cond; a NULL region
// (no home village, a mentorship without one) joins nothing.
func fill(cond string) string {
	return `INSERT INTO person_places (person_id, code)
	SELECT DISTINCT l.person_id, r.code FROM (` + strings.ReplaceAll(links, "%[1]s", cond) + `) l
	JOIN regions r ON r.id = l.region_id`
}

// Linked records that people gained a link to the region: one statement,
// a place they already have is kept (ON CONFLICT DO NOTHING).
func Linked(ctx context.Context, db Execer, regionID int, people ...int) error {
	if b := batchFrom(ctx); b != nil {
		b.add(people)
		return nil
	}
	for _, id := range people {
		if _, err := db.ExecContext(ctx, `INSERT INTO person_places (person_id, code)
			SELECT $1, code FROM regions WHERE id = $2
			ON CONFLICT (person_id, code) DO NOTHING`, id, regionID); err != nil {
			return err
		}
	}
	return nil
}

// Refresh recomputes the places of people from their links, after a link
// went or moved: two statements per thousand people.
func Refresh(ctx context.Context, db Execer, people []int) error {
	if b := batchFrom(ctx); b != nil {
		b.add(people)
		return nil
	}
	return refresh(ctx, db, people)
}

func refresh(ctx context.Context, db Execer, people []int) error {
	people = slices.Clone(people)
	slices.Sort(people)
	people = slices.Compact(people)
	for len(people) > 0 {
		n := min(len(people), chunk)
		part := people[:n]
		people = people[n:]
		var in strings.Builder
		args := make([]any, len(part))
		in.WriteString("IN (")
		for i, id := range part {
			if i > 0 {
				in.WriteByte(',')
			}
			in.WriteString("$" + strconv.Itoa(i+1))
			args[i] = id
		}
		in.WriteByte(')')
		if _, err := db.ExecContext(ctx, `DELETE FROM person_places WHERE person_id `+in.String(), args...); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, fill(in.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// FillAll derives the whole table from the links, for a table that is empty
// (the migration that adds it, a bulk load that bypassed ent).
func FillAll(ctx context.Context, db Execer) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM person_places`); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, fill("IS NOT NULL"))
	return err
}

// Batch collects the people whose places a bulk writer's links changed.
type Batch struct {
	mu     sync.Mutex
	people []int
}

type batchKey struct{}

// WithBatch returns ctx carrying a new batch: the hooks under it only note
// the people, and the writer calls Flush before it commits.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{}
	return context.WithValue(ctx, batchKey{}, b), b
}

func batchFrom(ctx context.Context) *Batch {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	return b
}

func (b *Batch) add(people []int) {
	b.mu.Lock()
	b.people = append(b.people, people...)
	b.mu.Unlock()
}

// Flush recomputes the places of every person noted, in db (the writer's
// transaction).
func (b *Batch) Flush(ctx context.Context, db Execer) error {
	b.mu.Lock()
	people := b.people
	b.people = nil
	b.mu.Unlock()
	return refresh(ctx, db, people)
}
