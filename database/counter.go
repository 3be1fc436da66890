package database

import (
	"context"
	stdsql "database/sql"
	"sync"
	"sync/atomic"

	"entgo.io/ent/dialect"
)

// Counter wraps an ent driver and counts the statements sent through it,
// inside transactions too. Tests use it to prove that a nested query costs a
// fixed number of statements, whatever the number of rows.
type Counter struct {
	dialect.Driver
	n atomic.Int64

	mu        sync.Mutex
	recording bool
	recorded  []Statement
}

// Statement is one statement a recording Counter saw.
type Statement struct {
	Query string
	Args  []any
}

// Record starts keeping the statements (for tests that read the SQL a
// request sends, or EXPLAIN it) and forgets those kept before.
func (c *Counter) Record() {
	c.mu.Lock()
	c.recording, c.recorded = true, nil
	c.mu.Unlock()
}

// Recorded returns the statements kept since Record.
func (c *Counter) Recorded() []Statement {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Statement(nil), c.recorded...)
}

func (c *Counter) count(query string, args any) {
	c.n.Add(1)
	c.mu.Lock()
	if c.recording {
		list, _ := args.([]any)
		c.recorded = append(c.recorded, Statement{query, list})
	}
	c.mu.Unlock()
}

// NewCounter wraps d.
func NewCounter(d dialect.Driver) *Counter { return &Counter{Driver: d} }

// Count returns the number of statements so far.
func (c *Counter) Count() int64 { return c.n.Load() }

// Reset sets the count to zero.
func (c *Counter) Reset() { c.n.Store(0) }

func (c *Counter) Exec(ctx context.Context, query string, args, v any) error {
	c.count(query, args)
	return c.Driver.Exec(ctx, query, args, v)
}

func (c *Counter) Query(ctx context.Context, query string, args, v any) error {
	c.count(query, args)
	return c.Driver.Query(ctx, query, args, v)
}

func (c *Counter) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := c.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countedTx{Tx: tx, c: c}, nil
}

type countedTx struct {
	dialect.Tx
	c *Counter
}

func (t *countedTx) Exec(ctx context.Context, query string, args, v any) error {
	t.c.count(query, args)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countedTx) Query(ctx context.Context, query string, args, v any) error {
	t.c.count(query, args)
	return t.Tx.Query(ctx, query, args, v)
}

// Raw statements (ent's sql/execquery feature) pass through and count too.

type rawQuerier interface {
	QueryContext(context.Context, string, ...any) (*stdsql.Rows, error)
	ExecContext(context.Context, string, ...any) (stdsql.Result, error)
}

func (c *Counter) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	c.count(query, args)
	return c.Driver.(rawQuerier).QueryContext(ctx, query, args...)
}

func (c *Counter) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	c.count(query, args)
	return c.Driver.(rawQuerier).ExecContext(ctx, query, args...)
}

func (t *countedTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	t.c.count(query, args)
	return t.Tx.(rawQuerier).QueryContext(ctx, query, args...)
}

func (t *countedTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	t.c.count(query, args)
	return t.Tx.(rawQuerier).ExecContext(ctx, query, args...)
}
