// Package graph serves the talent graph over GraphQL. Resolvers are thin calls
// into ent: validation lives in ent/schema hooks, eager loading in entgql's
// CollectFields, error codes in errors.go, request limits in limits.go.
package graph

import (
	"context"
	"fmt"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/ent"
	entjob "yanzhen/ent/importjob"
	"yanzhen/errcode"
	"yanzhen/importjob"
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
	// searches limits the search field per account (see Config).
	searches auth.Limiter
	// accounts signs users in (see Config).
	accounts accounts.Service
	// jobs is the roster import runner of this process (nil when there is
	// none: jobs then wait for a runner elsewhere).
	jobs ImportJobs
}

// ImportJobs is what the API needs of the roster import runner
// (importjob.Runner).
type ImportJobs interface {
	// Wake has a queued job looked at now.
	Wake()
	// Progress is the live progress of a job this process runs.
	Progress(id int) (importjob.Progress, bool)
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

// spendSearch takes one search from the viewer's budget: per account, per
// client address for anonymous callers (who find only regions and
// institutions), none for the system.
func (r *Resolver) spendSearch(v *auth.Viewer) error {
	if r.searches == nil || v.System() {
		return nil
	}
	key := "address "
	switch {
	case v == nil:
	case v.UserID != 0:
		key = fmt.Sprintf("user %d", v.UserID)
	default:
		key += v.ClientIP
	}
	if !r.searches.Allow(key) {
		return errcode.New(errcode.TooManyRequests, "too many searches; wait a minute / 查询过于频繁，请稍后再试")
	}
	return nil
}

// notEnded refuses to end what has already ended; a wrong end date is
// corrected with the update mutation instead.
func notEnded(end *time.Time) error {
	if end != nil {
		return errcode.ConflictWith("already ended on %s / 已于该日结束", end.Format(time.DateOnly))
	}
	return nil
}

// jobColumns are the columns of an import job the API reads: all but the
// uploaded file, which only the runner needs, and the annotated copy, which
// only its download reads (both may be large).
var jobColumns = func() []string {
	var out []string
	for _, c := range entjob.Columns {
		if c != entjob.FieldContent && c != entjob.FieldAnnotated {
			out = append(out, c)
		}
	}
	return out
}()

// vocabularyAdmin is the viewer of a vocabulary change: admins only, each
// writing the terms and words of their own area (see vocabdb).
func vocabularyAdmin(ctx context.Context) (*auth.Viewer, error) {
	v := auth.FromContext(ctx)
	if !v.Is(auth.RoleAdmin) {
		return nil, auth.Deny(v)
	}
	return v, nil
}
