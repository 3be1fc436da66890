package database

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"yanzhen/tracing"
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

// statementSpan starts the span of one statement (tracing): its SQL with
// placeholders, never its arguments. end records the statement's error.
func statementSpan(ctx context.Context, system, query string) (context.Context, func(error) error) {
	if !trace.SpanFromContext(ctx).SpanContext().IsValid() {
		// Outside any traced request (the jobs, the figures' refresher):
		// no span of its own, so as not to start traces nobody asked for.
		return ctx, func(err error) error { return err }
	}
	attrs := []attribute.KeyValue{attribute.String("db.query.text", query)}
	if system != "" {
		attrs = append(attrs, attribute.String("db.system.name", system))
	}
	ctx, span := tracing.Tracer().Start(ctx, "sql "+firstWord(query), trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx, func(err error) error {
		if err != nil {
			span.SetStatus(codes.Error, "statement failed")
		}
		span.End()
		return err
	}
}

func firstWord(q string) string {
	for i, r := range q {
		if r == ' ' || r == '\n' || r == '\t' {
			return q[:i]
		}
	}
	return q
}
