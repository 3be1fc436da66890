package graph

import (
	"context"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/auth"
	"yanzhen/database"
)

// ReadAfterHeader carries a WAL position between the processes of one
// deployment: a mutation's response names the primary's position after its
// commit, and a request that sends it back is answered only from a replica
// that has replayed it (or from the primary). One process needs no header:
// it remembers its viewers' writes itself.
const ReadAfterHeader = "Yanzhen-Read-After"

// readRouting lets the reads of a query operation go to a streaming replica
// (database.Router), unless the viewer has just written; after a mutation
// it records the viewer's write. Registered before the transaction
// extension, so that the write it records has been committed.
type readRouting struct{ replicas *database.Router }

func (readRouting) ExtensionName() string                          { return "ReadRouting" }
func (readRouting) Validate(schema graphql.ExecutableSchema) error { return nil }

func (readRouting) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Query {
		ctx = database.ReadOnly(ctx, writerKey(ctx))
	}
	return next(ctx)
}

func (r readRouting) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if !graphql.HasOperationContext(ctx) {
		return resp
	}
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		lsn := r.replicas.NoteWrite(ctx, writerKey(ctx))
		if h, ok := ctx.Value(readAfterKey{}).(http.Header); ok && lsn != 0 {
			h.Set(ReadAfterHeader, lsn.String())
		}
	}
	return resp
}

// writerKey names the viewer whose writes its reads must see: the account;
// anonymous callers write nothing but their login, whose session is read on
// the primary anyway (authentication is not an operation).
func writerKey(ctx context.Context) string {
	if v := auth.FromContext(ctx); v != nil && v.UserID != 0 {
		return "user " + strconv.Itoa(v.UserID)
	}
	return ""
}

type readAfterKey struct{}

// withReadAfter honours a request's ReadAfterHeader and lets readRouting
// answer a mutation with one. gqlgen writes the response after the
// extensions have run, so the header is set in time.
func withReadAfter(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), readAfterKey{}, w.Header())
		if v := r.Header.Get(ReadAfterHeader); v != "" {
			if lsn, err := database.ParseLSN(v); err == nil {
				ctx = database.ReadAfter(ctx, lsn)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
