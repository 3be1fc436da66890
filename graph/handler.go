package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/errcode"
	"yanzhen/frontend"
	"yanzhen/graph/generated"
	"yanzhen/graph/load"
	"yanzhen/i18n"
	"yanzhen/insight"
	"yanzhen/metrics"
	"yanzhen/roster"
	"yanzhen/trusted"
)

// Config tunes the GraphQL endpoint.
type Config struct {
	// Introspection lets clients ask for the schema (GraphiQL needs it).
	Introspection bool
	// Suggestions lets validation errors guess what was meant ("Did you
	// mean …"), which tells a stranger the schema piece by piece.
	Suggestions bool
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
	// Accounts signs users in: the session lifetime and the login limiter.
	// Nil gets the default settings with a new accounts.NewLoginLimiter,
	// whose state belongs to the handler.
	Accounts *accounts.Service
	// ImportJobs, when set, is the roster import runner of this process:
	// importRoster wakes it, and importJob reads live progress from it.
	ImportJobs ImportJobs
	// OnOperation, when set, learns each operation's name and kind (for logs).
	OnOperation func(ctx context.Context, name string, kind ast.Operation)
	// SearchLimiter bounds the searches of each account (anonymous callers:
	// of each client address); nil gets a new NewSearchLimiter. Its state
	// belongs to the handler that uses it.
	SearchLimiter auth.Limiter

	// Tracing gives each operation a span (tracing.Start exports them).
	Tracing bool

	// Metrics, when set, records each operation (latency, statements,
	// error codes) and the caches' hits.
	Metrics *metrics.Metrics

	// Documents are the trusted documents (nil: the web app's, built in,
	// and those registered in the database); DocumentMode says whether
	// other documents run (trusted.Any) or are refused (trusted.Only).
	Documents    *trusted.Store
	DocumentMode trusted.Mode

	// parsed replaces the parsed-query cache (tests watch it).
	parsed graphql.Cache[*ast.QueryDocument]
}

// Searches each account may make: SearchBurst at once, then one every
// SearchEvery (30 a minute). Typing in the search box costs one search per
// pause; rebuilding phone numbers by their endings costs thousands.
const (
	SearchBurst = 30
	SearchEvery = 2 * time.Second
)

// NewSearchLimiter is the default search limiter: SearchBurst at once, then
// one every SearchEvery, per account.
func NewSearchLimiter() *auth.RateLimiter { return auth.NewRateLimiter(SearchEvery, SearchBurst) }

// DefaultConfig is what the server uses unless configured otherwise.
var DefaultConfig = Config{
	Introspection: true, Suggestions: true, ComplexityLimit: 50000, MaxDepth: 12, MaxAliases: 30, MaxFields: 500,
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
	return costSchema{generated.NewExecutableSchema(generated.Config{
		Resolvers:  r,
		Directives: generated.DirectiveRoot{Scoped: scopedFilter},
	})}
}

// NewHandler builds the GraphQL-over-HTTP handler: JSON POST, GET for
// queries only (gqlgen's GET transport refuses mutations), and OPTIONS.
func NewHandler(db *database.DB, cfg Config) http.Handler {
	client := db.Client
	searches := cfg.SearchLimiter
	if searches == nil {
		searches = NewSearchLimiter()
	}
	signIn := accounts.Service{LoginLimiter: accounts.NewLoginLimiter()}
	if cfg.Accounts != nil {
		signIn = *cfg.Accounts
	}
	srv := handler.New(ExecutableSchema(&Resolver{client: client, store: db, insight: cfg.Insight, searches: searches, jobs: cfg.ImportJobs,
		roster: roster.Limits{MaxFileBytes: cfg.MaxUploadBytes}, accounts: signIn}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(specTransport{transport.GET{}})
	srv.AddTransport(specTransport{transport.POST{}})
	// GraphQL multipart request spec, for file uploads (importRoster).
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: cfg.MaxUploadBytes, MaxMemory: 8 << 20})
	// A query is parsed and validated once, then served from the cache;
	// RequestLimits works on a per-request copy of the document.
	var parsed graphql.Cache[*ast.QueryDocument] = newQueryCache(cfg.Metrics)
	if cfg.parsed != nil {
		parsed = cfg.parsed
	}
	srv.SetQueryCache(parsed)
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	srv.SetDisableSuggestion(!cfg.Suggestions)
	// Before RequestLimits: a hash-only request gets its query text here
	// (a trusted document's, or in development one the client sent before),
	// and in trusted-only mode any other document is refused.
	documents := cfg.Documents
	if documents == nil {
		var err error
		if documents, err = trusted.NewStore(frontend.TrustedDocuments, client); err != nil {
			panic(err) // the committed manifest is checked by its tests
		}
	}
	srv.Use(trusted.Documents{Store: documents, Mode: cfg.DocumentMode, Metrics: cfg.Metrics,
		APQ: boundedCache{lru.New[string](persistedQueries), persistedQueryBytes, cfg.Metrics}})
	srv.Use(RequestLimits{Parsed: parsed, MaxDepth: cfg.MaxDepth, MaxAliases: limitOr(cfg.MaxAliases, DefaultConfig.MaxAliases),
		MaxFields: limitOr(cfg.MaxFields, DefaultConfig.MaxFields)})
	srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	// Every mutation runs in one transaction: a failed mutation writes nothing.
	// databaseFailures, outside it, reports a transaction that could not
	// begin or commit with a code (see errors.go).
	srv.Use(databaseFailures{})
	if db.Replicas != nil {
		// Outside the transaction: a mutation's write is recorded once committed.
		srv.Use(readRouting{db.Replicas})
	}
	srv.Use(transactions{entgql.Transactioner{TxOpener: recordTxFailures{client}}})
	// Inside the transaction: a keyed mutation's answer is stored with it.
	srv.Use(idempotency{})
	present := PresentError
	if !cfg.Suggestions {
		// gqlgen's switch covers unknown fields only; arguments, input
		// fields and enum values still guess.
		present = func(ctx context.Context, err error) *gqlerror.Error {
			e := PresentError(ctx, err)
			e.Message = suggestion.ReplaceAllString(e.Message, "")
			if t, ok := e.Extensions["text"].(i18n.Text); ok {
				t.Zh, t.En = suggestion.ReplaceAllString(t.Zh, ""), suggestion.ReplaceAllString(t.En, "")
				e.Extensions["text"] = t
			}
			return e
		}
	}
	if cfg.Metrics != nil {
		// Every error answered, request errors (parse, validation) too, by code.
		inner := present
		present = func(ctx context.Context, err error) *gqlerror.Error {
			e := inner(ctx, err)
			code, _ := e.Extensions["code"].(string)
			cfg.Metrics.Error(code)
			return e
		}
	}
	srv.SetErrorPresenter(present)
	srv.AroundResponses(capErrors)
	if cfg.Metrics != nil {
		observe(srv, cfg.Metrics)
	}
	if cfg.Tracing {
		traceOperations(srv)
	}
	// Fields loaded for a whole list at once (load.ByParent) keep their
	// batches per operation.
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(load.WithLists(ctx))
	})
	srv.AroundFields(codeRangeArguments)
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
	if db.Replicas != nil {
		return retryOnPrimary(withReadAfter(withIdempotencyKey(srv)))
	}
	return withIdempotencyKey(srv)
}

// limitOr is a configured limit n, or def when unset (0).
func limitOr(n, def int) int {
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
	metrics  *metrics.Metrics
}

func (c boundedCache) Get(ctx context.Context, hash string) (string, bool) {
	q, ok := c.LRU.Get(ctx, hash)
	c.metrics.Lookup("persisted_queries", ok)
	return q, ok
}

func (c boundedCache) Add(ctx context.Context, hash, query string) {
	if len(query) <= c.maxBytes {
		c.LRU.Add(ctx, hash, query)
	}
}

var suggestion = regexp.MustCompile(` ?Did you mean [^?]*\?`)

// maxErrors caps the errors of one response: past it, a request is answered
// with one error instead of a list that grows with what it sent.
const maxErrors = 50

func capErrors(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > maxErrors {
		err := gqlerror.Errorf("the request caused more than %d errors; fix the first ones and send it again / 错误过多（超过 %d 个），请先修正前面的错误", maxErrors, maxErrors)
		err.Extensions = map[string]any{"code": errcode.BadUserInput}
		resp.Errors = gqlerror.List{err}
		resp.Data = nil
	}
	return resp
}

// noIntrospection refuses __schema and __type with a client error before
// anything runs (gqlgen would answer each with an unexplained internal
// error). __typename stays: clients need it to read unions.
type noIntrospection struct{}

func (noIntrospection) ExtensionName() string                          { return "NoIntrospection" }
func (noIntrospection) Validate(schema graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !asksSchema(oc.Operation.SelectionSet, map[string]bool{}) {
		return nil
	}
	err := gqlerror.Errorf("introspection is turned off on this server / 本服务器已关闭内省查询")
	err.Extensions = map[string]any{"code": errcode.BadUserInput}
	return err
}

func asksSchema(set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" || asksSchema(s.SelectionSet, seen) {
				return true
			}
		case *ast.InlineFragment:
			if asksSchema(s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !seen[s.Name] {
				seen[s.Name] = true
				if asksSchema(s.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}

// observe records each operation with m: from the request's arrival to its
// answer, and the statements it sent (a counter in its context).
func observe(srv *handler.Server, m *metrics.Metrics) {
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(database.WithStatementCount(ctx))
	})
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		oc := graphql.GetOperationContext(ctx)
		start := oc.Stats.Read.Start
		if start.IsZero() {
			start = oc.Stats.OperationStart
		}
		name, kind := operationOf(oc)
		m.Operation(name, kind, time.Since(start), database.StatementCount(ctx))
		return resp
	})
}

// operationOf is an operation's name (the document's, else the request's
// operationName) and kind (query when the document did not parse).
func operationOf(oc *graphql.OperationContext) (name, kind string) {
	name, kind = oc.OperationName, "query"
	if oc.Operation != nil {
		kind = string(oc.Operation.Operation)
		if oc.Operation.Name != "" {
			name = oc.Operation.Name
		}
	}
	return name, kind
}
