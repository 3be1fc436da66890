// Package audit keeps the audit log: the ent hook that records every change
// of an audited entity in the transaction of the change (Hook), the
// interceptor that masks entries again as they are read (Remask), and the
// writer of the entries no hook writes — logins, reveals, imports, exports
// (Record). A Batch collects the hook's entries of a bulk write (a roster
// import) and writes them in a few statements instead of two per row.
//
// Every function returns the error of its write: an operation whose audit
// entry cannot be written fails, and its transaction writes nothing.
package audit

import (
	"context"
	"errors"
	"slices"
	"sync"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/privacy"
)

// Entry is an audit entry. Empty actor and region default to the viewer's.
type Entry struct {
	Action     auditlog.Action
	ActorID    int    // default: the viewer
	ActorName  string // default: the viewer
	EntityType string
	ObjectIDs  []int
	RegionCode string // default: the viewer's scope
	Reason     string
	Before     map[string]any
	After      map[string]any
}

// row is an entry ready to be written: defaults filled in from the viewer.
type row struct {
	Entry
	requestID string
	// fromHook: written by the entity hook (no reason column), and, when
	// lookup is set, its region is the region of its object (read at
	// write time, the viewer's scope when it has none).
	fromHook bool
	lookup   bool
	scope    string
}

// resolve fills the defaults of e from the viewer of ctx.
func resolve(ctx context.Context, e Entry) row {
	v := auth.FromContext(ctx)
	if e.ActorName == "" {
		e.ActorName, e.ActorID = v.Name(), 0
		if v != nil {
			e.ActorID = v.UserID
		}
	}
	r := row{Entry: e}
	if v != nil {
		r.requestID = v.RequestID
		r.scope = v.Scope
	}
	if r.RegionCode == "" {
		r.RegionCode = r.scope
	}
	return r
}

func (r row) create(c *ent.Client) *ent.AuditLogCreate {
	q := c.AuditLog.Create().SetAction(r.Action).SetActorName(r.ActorName).
		SetEntityType(r.EntityType).SetRegionCode(r.RegionCode).SetRequestID(r.requestID)
	if !r.fromHook {
		q.SetReason(r.Reason)
	}
	if r.ActorID != 0 {
		q.SetActorID(r.ActorID)
	}
	if r.fromHook || len(r.ObjectIDs) > 0 {
		q.SetObjectIds(r.ObjectIDs)
	}
	if r.Before != nil && (!r.fromHook || len(r.Before) > 0) {
		q.SetBefore(r.Before)
	}
	if r.After != nil && (!r.fromHook || len(r.After) > 0) {
		q.SetAfter(r.After)
	}
	return q
}

// internal is ctx with the privacy policies bypassed: entries are written
// and objects' regions read whatever the viewer may read.
func internal(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

var errWrite = errors.New("writing the audit log")

// Record writes an audit entry for the viewer of ctx, through c (the
// operation's transaction, where there is one).
func Record(ctx context.Context, c *ent.Client, e Entry) error {
	return write(ctx, c, []row{resolve(ctx, e)})
}

// bulkSize is the number of entries of one multi-row INSERT: 11 columns,
// well below the parameter limits of SQLite and PostgreSQL.
const bulkSize = 1000

// write writes rows, one INSERT per bulkSize, after looking up the regions
// of those that need theirs (one query per type and bulkSize objects).
func write(ctx context.Context, c *ent.Client, rows []row) error {
	ictx := internal(ctx)
	if err := lookupRegions(ictx, c, rows); err != nil {
		return errors.Join(errWrite, err)
	}
	for chunk := range slices.Chunk(rows, bulkSize) {
		var err error
		if len(chunk) == 1 {
			err = chunk[0].create(c).Exec(ictx)
		} else {
			bs := make([]*ent.AuditLogCreate, len(chunk))
			for i, r := range chunk {
				bs[i] = r.create(c)
			}
			err = c.AuditLog.CreateBulk(bs...).Exec(ictx)
		}
		if err != nil {
			return errors.Join(errWrite, err)
		}
	}
	return nil
}

// Batch collects the entries the hook would write one by one while ctx
// carries it (WithBatch), and those given to its Record, for Flush to write
// together. The caller must Flush in the same transaction before it
// commits: entries not flushed are not written.
type Batch struct {
	mu   sync.Mutex
	rows []row
}

type batchKey struct{}

// WithBatch returns ctx carrying a new, empty batch.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{}
	return context.WithValue(ctx, batchKey{}, b), b
}

func batchFrom(ctx context.Context) *Batch {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	return b
}

func (b *Batch) add(rows ...row) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rows = append(b.rows, rows...)
}

// Record adds an entry for the viewer of ctx to the batch.
func (b *Batch) Record(ctx context.Context, e Entry) { b.add(resolve(ctx, e)) }

// Len is the number of entries waiting.
func (b *Batch) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.rows)
}

// Flush writes the entries collected so far through c and empties the
// batch.
func (b *Batch) Flush(ctx context.Context, c *ent.Client) error {
	b.mu.Lock()
	rows := b.rows
	b.rows = nil
	b.mu.Unlock()
	return write(ctx, c, rows)
}
