// Package changes is the change feed: what was created, updated and
// deleted in the graph, in commit order, for clients that keep a copy (a
// mobile app's county, a partner's experts) and sync it. The hook records
// each change of a feed type at its transaction's commit; Read returns the
// changes after a cursor that a viewer may learn of (docs/api.md, "Change
// feed").
package changes

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/feedentry"
	"yanzhen/ent/privacy"
)

// Types are the entities the feed carries: the talent graph a client keeps,
// every one a GraphQL node. Accounts, import jobs, the vocabularies (read
// whole by vocabulary(kind:)) and the bookkeeping tables are not in it, nor
// the divisions (reference data loaded by a command, hundreds of thousands
// of rows).
var Types = []string{
	"Person", "Institution", "Post", "Mentorship", "AdviserAppointment", "ContactLog", "Contribution",
	"Assessment", "DutyItem", "ExpertAssignment", "ServiceRecord", "Demand", "Reward", "StarRating",
	"OfficeAudit", "Term", "TrainingClass", "TrainingEnrolment", "PersonAttribute", "Candidacy",
	"CandidacyStep", "ResidentTeam", "ResidentArea", "ResidentAssessment", "ExpertAgreement",
	"SubsidyPayment", "DoctorFarm",
}

var carried = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range Types {
		m[t] = true
	}
	return m
}()

// entry is one object's change in a transaction, before it is written.
type entry struct {
	op  feedentry.Op
	typ string
	id  int
	// regions and institution were read before the write (a deletion, an
	// update that may move the object); the places it has after the commit
	// are added at the commit for creates and updates.
	regions     []string
	institution int
}

type mutation interface {
	ent.Mutation
	IDs(context.Context) ([]int, error)
	ID() (int, bool)
	Client() *gen.Client
	BoundTx() (*gen.Tx, error)
	TxDriver() dialect.Driver
}

// Hook records the objects a mutation of a feed type creates, updates or
// deletes. In a transaction the entries wait for its commit (a rolled-back
// transaction leaves none); a write outside one is recorded right after it.
// Every writer is recorded — users, commands, imports, the hooks' own
// writes — since a client's copy must follow them all.
func Hook() ent.Hook { return record }

func record(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		cm, ok := m.(mutation)
		if !ok || !carried[m.Type()] {
			return next.Mutate(ctx, m)
		}
		ictx := internal(ctx)
		var (
			ids    []int
			before map[int]place
			err    error
		)
		switch {
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne | ent.OpUpdate):
			if ids, err = cm.IDs(ictx); err != nil {
				return nil, err
			}
		case m.Op().Is(ent.OpUpdateOne):
			id, _ := cm.ID()
			ids = []int{id}
		}
		// A deletion's tombstone goes where the object was; an update that
		// changes a link may move it, and then the viewers of where it was
		// learn that it left.
		if len(ids) > 0 && (m.Op().Is(ent.OpDelete|ent.OpDeleteOne) || movesObject(m)) {
			if before, err = placesOf(ictx, cm.Client(), m.Type(), ids); err != nil {
				return nil, fmt.Errorf("reading where the changed objects are for the change feed: %w", err)
			}
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		op := feedentry.OpUPDATE
		switch {
		case m.Op().Is(ent.OpCreate):
			op = feedentry.OpCREATE
			if id, ok := cm.ID(); ok {
				ids = []int{id}
			}
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
			op = feedentry.OpDELETE
		}
		entries := make([]entry, 0, len(ids))
		for _, id := range ids {
			p := before[id]
			entries = append(entries, entry{op: op, typ: m.Type(), id: id, regions: p.regions, institution: p.institution})
		}
		if len(entries) == 0 {
			return v, nil
		}
		if d := cm.TxDriver(); d != nil {
			if err := atCommit(d, cm, entries); err != nil {
				return nil, err
			}
			return v, nil
		}
		if err := writeAlone(ctx, cm.Client(), entries); err != nil {
			return nil, err
		}
		return v, nil
	})
}

// movesObject reports whether an update changes a link of the object
// (a foreign key or an edge), which may put it in another region.
func movesObject(m ent.Mutation) bool {
	if !m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
		return false
	}
	if len(m.AddedEdges()) > 0 || len(m.RemovedEdges()) > 0 || len(m.ClearedEdges()) > 0 {
		return true
	}
	for _, f := range append(m.Fields(), m.ClearedFields()...) {
		if strings.HasSuffix(f, "_id") && f != "external_id" {
			return true
		}
	}
	return false
}

func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(auth.System(ctx), privacy.Allow)
}

// pending are the entries of the open transactions, by transaction driver.
var pending sync.Map // dialect.Driver → *txEntries

type txEntries struct {
	mu      sync.Mutex
	entries []entry
}

// atCommit keeps entries for the commit of the transaction of d, setting up
// its commit and rollback hooks with the first.
func atCommit(d dialect.Driver, bound interface{ BoundTx() (*gen.Tx, error) }, entries []entry) error {
	got, loaded := pending.LoadOrStore(d, &txEntries{})
	p := got.(*txEntries)
	p.mu.Lock()
	p.entries = append(p.entries, entries...)
	p.mu.Unlock()
	if loaded {
		return nil
	}
	tx, err := bound.BoundTx()
	if err != nil {
		return err
	}
	tx.OnCommit(func(next gen.Committer) gen.Committer {
		return gen.CommitFunc(func(ctx context.Context, tx *gen.Tx) error {
			got, ok := pending.LoadAndDelete(d)
			if ok {
				if err := write(ctx, tx.Client(), got.(*txEntries).entries); err != nil {
					return err
				}
			}
			return next.Commit(ctx, tx)
		})
	})
	tx.OnRollback(func(next gen.Rollbacker) gen.Rollbacker {
		return gen.RollbackFunc(func(ctx context.Context, tx *gen.Tx) error {
			pending.Delete(d)
			return next.Rollback(ctx, tx)
		})
	})
	return nil
}

// writeAlone records the changes of a write made outside a transaction, in
// a transaction of their own (the clock's lock needs one).
func writeAlone(ctx context.Context, c *gen.Client, entries []entry) error {
	tx, err := c.Tx(ctx)
	if err != nil {
		return err
	}
	if err := write(ctx, tx.Client(), entries); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// write inserts the entries of a transaction as FeedEntry rows, one per region
// the object is or was in. It first takes the clock's row lock, held to the
// commit, so the rows' ids follow commit order.
func write(ctx context.Context, c *gen.Client, entries []entry) error {
	ctx = internal(ctx)
	entries = merge(entries)
	if len(entries) == 0 {
		return nil
	}
	// Where creates and updates are once the transaction is done.
	now := map[string][]int{}
	for _, e := range entries {
		if e.op != feedentry.OpDELETE {
			now[e.typ] = append(now[e.typ], e.id)
		}
	}
	after := map[string]map[int]place{}
	for typ, ids := range now {
		p, err := placesOf(ctx, c, typ, ids)
		if err != nil {
			return fmt.Errorf("reading where the changed objects are for the change feed: %w", err)
		}
		after[typ] = p
	}
	if err := tick(ctx, c); err != nil {
		return fmt.Errorf("taking the change feed's clock: %w", err)
	}
	at := time.Now()
	var rows []*gen.FeedEntryCreate
	for _, e := range entries {
		regions, institution := e.regions, e.institution
		if p, ok := after[e.typ][e.id]; ok {
			regions = union(regions, p.regions)
			if p.institution != 0 {
				institution = p.institution
			}
		}
		if len(regions) == 0 {
			regions = []string{""}
		}
		for _, r := range regions {
			rows = append(rows, c.FeedEntry.Create().SetAt(at).SetOp(e.op).SetEntityType(e.typ).
				SetObjectID(e.id).SetRegionCode(r).SetInstitutionID(institution))
		}
	}
	for chunk := range slices.Chunk(rows, 1000) {
		if err := c.FeedEntry.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("writing the change feed: %w", err)
		}
	}
	return nil
}

// merge keeps one entry per object: created and deleted in the same
// transaction is nothing to others; created then updated is a creation;
// anything then deleted is a deletion, where it ever was.
func merge(entries []entry) []entry {
	type key struct {
		typ string
		id  int
	}
	at := map[key]int{}
	var out []entry
	gone := map[key]bool{}
	for _, e := range entries {
		k := key{e.typ, e.id}
		i, seen := at[k]
		if !seen {
			at[k] = len(out)
			out = append(out, e)
			continue
		}
		prev := &out[i]
		prev.regions = union(prev.regions, e.regions)
		if e.institution != 0 {
			prev.institution = e.institution
		}
		switch {
		case e.op == feedentry.OpDELETE && prev.op == feedentry.OpCREATE:
			gone[k] = true
		case e.op == feedentry.OpDELETE:
			prev.op = feedentry.OpDELETE
		}
	}
	return slices.DeleteFunc(out, func(e entry) bool { return gone[key{e.typ, e.id}] })
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// tick counts one more transaction on the clock row, taking its lock
// (PostgreSQL holds it to the commit; SQLite has one writer at a time).
func tick(ctx context.Context, c *gen.Client) error {
	_, err := c.ExecContext(ctx, `INSERT INTO feed_clocks (id, commits) VALUES (1, 1)
		ON CONFLICT (id) DO UPDATE SET commits = feed_clocks.commits + 1`)
	return err
}

// Places is where some people were before their links changed (PlacesOf).
type Places map[int]place

// PlacesOf reads where people are, before a change of their links (a post
// deleted, a mentorship moved) that PeopleRelinked then records.
func PlacesOf(ctx context.Context, c *gen.Client, people []int) (Places, error) {
	if len(people) == 0 {
		return nil, nil
	}
	return placesOf(internal(ctx), c, "Person", people)
}

// PeopleRelinked records that people's places changed with a link (a post,
// an appointment, an assignment, a mentorship created, moved or deleted):
// a person comes into the feeds of the regions the link adds, and leaves
// (REMOVED) those it took away. before is what PlacesOf read before the
// change (nil for a created link, which only adds).
func PeopleRelinked(ctx context.Context, c *gen.Client, people []int, before Places) error {
	if len(people) == 0 {
		return nil
	}
	entries := make([]entry, 0, len(people))
	for _, p := range people {
		if p == 0 {
			continue
		}
		b := before[p]
		entries = append(entries, entry{op: feedentry.OpUPDATE, typ: "Person", id: p, regions: b.regions, institution: b.institution})
	}
	if d := c.TxDriver(); d != nil {
		return atCommit(d, c, entries)
	}
	return writeAlone(ctx, c, entries)
}
