package importjob

import (
	"context"
	stdsql "database/sql"
	"strings"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"

	"yanzhen/database"
	"yanzhen/database/dbtest"
	entjob "yanzhen/ent/importjob"
)

// panicOnce makes the first INSERT into persons panic, as a bug deep in a
// write would.
type panicOnce struct {
	dialect.Driver
	done *atomic.Bool
}

func (d panicOnce) check(query string) {
	if (strings.Contains(query, "`persons` (") || strings.Contains(query, `"persons" (`)) &&
		strings.HasPrefix(query, "INSERT") && d.done.CompareAndSwap(false, true) {
		panic("a bug while writing people")
	}
}

func (d panicOnce) Exec(ctx context.Context, q string, args, v any) error {
	d.check(q)
	return d.Driver.Exec(ctx, q, args, v)
}

func (d panicOnce) Query(ctx context.Context, q string, args, v any) error {
	d.check(q)
	return d.Driver.Query(ctx, q, args, v)
}

func (d panicOnce) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return panicTx{tx, d}, nil
}

type panicTx struct {
	dialect.Tx
	d panicOnce
}

func (t panicTx) Exec(ctx context.Context, q string, args, v any) error {
	t.d.check(q)
	return t.Tx.Exec(ctx, q, args, v)
}

func (t panicTx) Query(ctx context.Context, q string, args, v any) error {
	t.d.check(q)
	return t.Tx.Query(ctx, q, args, v)
}

// A panic while a job writes fails that job and nothing else: the server
// and its runner go on, the transaction is rolled back (on SQLite its
// write lock freed), and the next job writes.
func TestPanicFailsOnlyItsJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		var done atomic.Bool
		wrapped, err := database.Open(context.Background(), db.URL, database.Options{
			Keys:       dbtest.TestKeys,
			WrapDriver: func(d dialect.Driver) dialect.Driver { return panicOnce{d, &done} },
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { wrapped.Close() })
		ctx, cancel := context.WithCancel(context.Background())
		r := Start(ctx, wrapped, fast)
		t.Cleanup(func() { cancel(); r.Wait() })

		first := await(t, db, submit(t, db, f.admin, workbook(t, 3, "A", f.village, false), false).ID)
		if first.Status != entjob.StatusFAILED || first.FailureCode == nil || *first.FailureCode != entjob.FailureCodeINTERNAL {
			t.Fatalf("the job that panicked: %s %v", first.Status, first.FailureCode)
		}
		if !done.Load() || people(t, db) != 0 {
			t.Fatalf("panicked: %v; people written: %d", done.Load(), people(t, db))
		}
		second := await(t, db, submit(t, db, f.admin, workbook(t, 3, "B", f.village, false), false).ID)
		if second.Status != entjob.StatusSUCCEEDED || people(t, db) != 3 {
			t.Fatalf("the next job: %s %v %v, %d people", second.Status, second.FailureCode, second.StatusMessage, people(t, db))
		}
	})
}

// The raw statements of ent's execquery feature (the audit and search-key
// batches) pass through as well.

type rawQuerier interface {
	QueryContext(context.Context, string, ...any) (*stdsql.Rows, error)
	ExecContext(context.Context, string, ...any) (stdsql.Result, error)
}

func (d panicOnce) QueryContext(ctx context.Context, q string, args ...any) (*stdsql.Rows, error) {
	d.check(q)
	return d.Driver.(rawQuerier).QueryContext(ctx, q, args...)
}

func (d panicOnce) ExecContext(ctx context.Context, q string, args ...any) (stdsql.Result, error) {
	d.check(q)
	return d.Driver.(rawQuerier).ExecContext(ctx, q, args...)
}

func (t panicTx) QueryContext(ctx context.Context, q string, args ...any) (*stdsql.Rows, error) {
	t.d.check(q)
	return t.Tx.(rawQuerier).QueryContext(ctx, q, args...)
}

func (t panicTx) ExecContext(ctx context.Context, q string, args ...any) (stdsql.Result, error) {
	t.d.check(q)
	return t.Tx.(rawQuerier).ExecContext(ctx, q, args...)
}
