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
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/database"
	"yanzhen/errcode"
	"yanzhen/graph/generated"
	"yanzhen/insight"
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
	// Insight holds the matching weights and alert thresholds.
	Insight insight.Config
	// MaxUploadBytes caps a multipart upload (the roster workbook).
	MaxUploadBytes int64
	// OnOperation, when set, learns each operation's name and kind (for logs).
	OnOperation func(ctx context.Context, name string, kind ast.Operation)
}

// DefaultConfig is what the server uses unless configured otherwise.
var DefaultConfig = Config{
	Introspection: true, ComplexityLimit: 50000, MaxDepth: 12,
	Insight: insight.DefaultConfig, MaxUploadBytes: 32 << 20,
}

// ExecutableSchema is the schema with its resolvers and cost model.
func ExecutableSchema(r *Resolver) graphql.ExecutableSchema {
	return costSchema{generated.NewExecutableSchema(generated.Config{Resolvers: r})}
}

// NewHandler builds the GraphQL-over-HTTP handler: JSON POST, GET for
// queries only (gqlgen's GET transport refuses mutations), and OPTIONS.
func NewHandler(db *database.DB, cfg Config) http.Handler {
	client := db.Client
	srv := handler.New(ExecutableSchema(&Resolver{client: client, store: db, insight: cfg.Insight}))
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
	srv.Use(RequestLimits{MaxDepth: cfg.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	// Every mutation runs in one transaction: a failed mutation writes nothing.
	srv.Use(transactions{entgql.Transactioner{TxOpener: client}})
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
