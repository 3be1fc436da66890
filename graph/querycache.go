package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/metrics"
)

// Parsed queries: the most recently used, each from a query text of at most
// parsedQueryBytes. A query found here was parsed, counted (RequestLimits)
// and validated once; its requests skip all three.
const (
	parsedQueries    = 1000
	parsedQueryBytes = 16 << 10
)

// queryCache is gqlgen's parsed-query cache, bounded by text length too.
// The documents in it are shared by every request with the same text, so
// nothing may change them: RequestLimits writes default page sizes into a
// per-request copy (copyDocument).
type queryCache struct {
	*lru.LRU[*ast.QueryDocument]
	metrics *metrics.Metrics
}

func newQueryCache(m *metrics.Metrics) queryCache {
	return queryCache{lru.New[*ast.QueryDocument](parsedQueries), m}
}

// Peek looks query up without counting a lookup (RequestLimits' look ahead).
func (c queryCache) Peek(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	return c.LRU.Get(ctx, query)
}

func (c queryCache) Get(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	doc, ok := c.LRU.Get(ctx, query)
	c.metrics.Lookup("parsed_documents", ok)
	return doc, ok
}

func (c queryCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= parsedQueryBytes {
		c.LRU.Add(ctx, query, doc)
	}
}

var _ graphql.Cache[*ast.QueryDocument] = queryCache{}

// copyDocument copies what a request may change of doc: the selections of
// its operations and fragments, down to each field's argument list (the
// values, definitions and positions stay shared, nothing writes them). It
// returns the copy and the copy of op.
func copyDocument(doc *ast.QueryDocument, op *ast.OperationDefinition) (*ast.QueryDocument, *ast.OperationDefinition) {
	out := &ast.QueryDocument{Position: doc.Position, Comment: doc.Comment}
	fragments := make(map[*ast.FragmentDefinition]*ast.FragmentDefinition, len(doc.Fragments))
	for _, f := range doc.Fragments {
		c := *f
		fragments[f] = &c
		out.Fragments = append(out.Fragments, &c)
	}
	for _, c := range out.Fragments {
		c.SelectionSet = copySelections(c.SelectionSet, fragments)
	}
	var opCopy *ast.OperationDefinition
	for _, o := range doc.Operations {
		c := *o
		c.SelectionSet = copySelections(o.SelectionSet, fragments)
		out.Operations = append(out.Operations, &c)
		if o == op {
			opCopy = &c
		}
	}
	return out, opCopy
}

func copySelections(set ast.SelectionSet, fragments map[*ast.FragmentDefinition]*ast.FragmentDefinition) ast.SelectionSet {
	if set == nil {
		return nil
	}
	out := make(ast.SelectionSet, len(set))
	for i, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			c := *s
			c.Arguments = append(ast.ArgumentList(nil), s.Arguments...)
			c.SelectionSet = copySelections(s.SelectionSet, fragments)
			out[i] = &c
		case *ast.InlineFragment:
			c := *s
			c.SelectionSet = copySelections(s.SelectionSet, fragments)
			out[i] = &c
		case *ast.FragmentSpread:
			c := *s
			if d, ok := fragments[s.Definition]; ok {
				c.Definition = d
			}
			out[i] = &c
		default:
			out[i] = sel
		}
	}
	return out
}
