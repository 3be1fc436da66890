package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/database"
	"yanzhen/errcode"
	"yanzhen/graph/generated"
	"yanzhen/insight"
	"yanzhen/roster"
)

// Config tunes the GraphQL endpoint.
type Config struct {
	// Introspection lets clients ask for the schema (GraphiQL needs it).
	Introspection bool
	// ComplexityLimit caps the cost of one operation; connections cost their
	// page size times their items (see costSchema).
	ComplexityLimit int
	// MaxDepth caps how deep selections may nest.
	MaxDepth int
	// MaxAliases caps the aliased fields of one request and MaxFields its
	// fields, counted through fragments; checked before validation (see
	// RequestLimits). Zero means the default; negative, no limit.
	MaxAliases, MaxFields int
	// Insight holds the matching weights and alert thresholds.
	Insight insight.Config
	// MaxUploadBytes caps a multipart upload (the roster workbook).
	MaxUploadBytes int64
	// OnOperation, when set, learns each operation's name and kind (for logs).
	OnOperation func(ctx context.Context, name string, kind ast.Operation)
}

// DefaultConfig is what the server uses unless configured otherwise.
var DefaultConfig = Config{
	Introspection: true, ComplexityLimit: 50000, MaxDepth: 12, MaxAliases: 30, MaxFields: 500,
	Insight: insight.DefaultConfig, MaxUploadBytes: 32 << 20,
}

// Automatic persisted queries: the most recently used queries, each at most
// persistedQueryBytes, so the cache stays within a few megabytes.
const (
	persistedQueries    = 1000
	persistedQueryBytes = 16 << 10
)

// ExecutableSchema is the schema with its resolvers and cost model.
func ExecutableSchema(r *Resolver) graphql.ExecutableSchema {
	return costSchema{generated.NewExecutableSchema(generated.Config{Resolvers: r})}
}

// NewHandler builds the GraphQL-over-HTTP handler: JSON POST, GET for
// queries only (gqlgen's GET transport refuses mutations), and OPTIONS.
func NewHandler(db *database.DB, cfg Config) http.Handler {
	client := db.Client
	srv := handler.New(ExecutableSchema(&Resolver{client: client, store: db, insight: cfg.Insight,
		roster: roster.Limits{MaxFileBytes: cfg.MaxUploadBytes}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	// GraphQL multipart request spec, for file uploads (importRoster).
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: cfg.MaxUploadBytes, MaxMemory: 8 << 20})
	// No parsed-query cache on purpose: RequestLimits writes default page
	// sizes into the parsed document, which must not be shared.
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	// Before RequestLimits: a hash-only request gets its query text here.
	srv.Use(extension.AutomaticPersistedQuery{Cache: boundedCache{lru.New[string](persistedQueries), persistedQueryBytes}})
	srv.Use(RequestLimits{MaxDepth: cfg.MaxDepth, MaxAliases: orDefault(cfg.MaxAliases, DefaultConfig.MaxAliases),
		MaxFields: orDefault(cfg.MaxFields, DefaultConfig.MaxFields)})
	srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	// Every mutation runs in one transaction: a failed mutation writes nothing.
	// databaseFailures, outside it, reports a transaction that could not
	// begin or commit with a code (see errors.go).
	srv.Use(databaseFailures{})
	srv.Use(transactions{entgql.Transactioner{TxOpener: recordTxFailures{client}}})
	srv.SetErrorPresenter(PresentError)
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		slog.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p))
		return errcode.New(errcode.Internal, "internal error / 系统内部错误")
	})
	if cfg.OnOperation != nil {
		srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
			oc := graphql.GetOperationContext(ctx)
			if oc.Operation != nil {
				cfg.OnOperation(ctx, oc.Operation.Name, oc.Operation.Operation)
			}
			return next(ctx)
		})
	}
	return srv
}

func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return max(n, 0)
}

// boundedCache keeps queries up to maxBytes long; a longer one is not
// persisted, and its client simply sends it in full again.
type boundedCache struct {
	*lru.LRU[string]
	maxBytes int
}

func (c boundedCache) Add(ctx context.Context, hash, query string) {
	if len(query) <= c.maxBytes {
		c.LRU.Add(ctx, hash, query)
	}
}
