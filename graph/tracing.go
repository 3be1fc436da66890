package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"yanzhen/tracing"
)

// traceOperations gives each GraphQL operation a span (inside the HTTP
// request's, around the SQL statements' spans): its name and kind, and the
// codes of its errors — never its variables, which may hold personal data.
func traceOperations(srv *handler.Server) {
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		oc := graphql.GetOperationContext(ctx)
		name, kind := operationOf(oc)
		spanName := kind
		if name != "" {
			spanName += " " + name
		}
		ctx, span := tracing.Tracer().Start(ctx, spanName,
			tracing.Attributes(attribute.String("graphql.operation.name", name), attribute.String("graphql.operation.type", kind)))
		defer span.End()
		resp := next(ctx)
		if resp != nil && len(resp.Errors) > 0 {
			codesSeen := make([]string, 0, len(resp.Errors))
			for _, e := range resp.Errors {
				c, _ := e.Extensions["code"].(string)
				codesSeen = append(codesSeen, c)
			}
			span.SetAttributes(attribute.StringSlice("graphql.error.codes", codesSeen))
			span.SetStatus(codes.Error, codesSeen[0])
		}
		return resp
	})
}
