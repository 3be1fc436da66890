package database

import (
	"context"
	"sync/atomic"
)

// A per-operation count of the statements sent through ent (the metrics'
// SQL statements per operation): the API puts a counter in the context of
// each operation, and countStar, which every statement passes, adds to it.

type statementsKey struct{}

// WithStatementCount returns ctx with a new statement counter.
func WithStatementCount(ctx context.Context) context.Context {
	return context.WithValue(ctx, statementsKey{}, new(atomic.Int64))
}

// StatementCount is the number of statements sent under ctx since
// WithStatementCount (0 without a counter).
func StatementCount(ctx context.Context) int64 {
	if n, ok := ctx.Value(statementsKey{}).(*atomic.Int64); ok {
		return n.Load()
	}
	return 0
}

func countStatement(ctx context.Context) {
	if n, ok := ctx.Value(statementsKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
