// Package graph serves the talent graph over GraphQL. Resolvers are thin calls
// into ent: validation lives in ent/schema hooks, eager loading in entgql's
// CollectFields, error codes in errors.go, request limits in limits.go.
package graph

import (
	"context"
	"time"

	"yanzhen/database"
	"yanzhen/ent"
	"yanzhen/errcode"
	"yanzhen/insight"
	"yanzhen/roster"
)

// Resolver is the root resolver.
type Resolver struct {
	client *ent.Client
	// db serves the operations that manage their own transaction (the
	// roster import); nil when the schema is only printed.
	store   *database.DB
	insight insight.Config
	// roster bounds the workbooks importRoster reads.
	roster roster.Limits
}

// db is the client to use: the request's transaction during a mutation (see
// entgql.Transactioner in handler.go), the plain client otherwise.
func (r *Resolver) db(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.client
}

// currentOn reports whether a period [start, end] covers day.
func currentOn(start time.Time, end *time.Time, day time.Time) bool {
	d := day.Format(time.DateOnly)
	return start.Format(time.DateOnly) <= d && (end == nil || end.Format(time.DateOnly) >= d)
}

func today() time.Time { return time.Now() }

// notEnded refuses to end what has already ended; a wrong end date is
// corrected with the update mutation instead.
func notEnded(end *time.Time) error {
	if end != nil {
		return errcode.ConflictWith("already ended on %s / 已于该日结束", end.Format(time.DateOnly))
	}
	return nil
}
