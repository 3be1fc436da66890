package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"yanzhen/errcode"
)

const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// RequestLimits bounds what one operation may ask for before anything runs:
// every connection gets a page size (default 20, at most 100, for root and
// nested connections alike, so eager loading is bounded too), and selections
// may not nest deeper than MaxDepth.
//
// It writes the default `first` into the parsed document. That is safe only
// because the handler keeps no parsed-query cache: each request owns its
// document (see NewHandler).
type RequestLimits struct {
	MaxDepth int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = RequestLimits{}

func (RequestLimits) ExtensionName() string                          { return "RequestLimits" }
func (RequestLimits) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l RequestLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	w := &limitWalker{vars: oc.Variables, maxDepth: l.MaxDepth, seen: map[*ast.SelectionSet]bool{}}
	if oc.Operation != nil {
		w.walk(oc.Operation.SelectionSet, 1)
	}
	if len(w.errs) > 0 {
		return w.errs[0]
	}
	return nil
}

type limitWalker struct {
	vars     map[string]any
	maxDepth int
	errs     gqlerror.List
	seen     map[*ast.SelectionSet]bool
}

func (w *limitWalker) walk(set ast.SelectionSet, depth int) {
	if len(w.errs) > 0 {
		return
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if w.maxDepth > 0 && depth > w.maxDepth && len(s.SelectionSet) > 0 {
				w.fail(s.Position, "the query nests deeper than %d levels / 查询嵌套过深", w.maxDepth)
				return
			}
			w.limitPage(s)
			w.walk(s.SelectionSet, depth+1)
		case *ast.InlineFragment:
			w.walk(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				w.walk(s.Definition.SelectionSet, depth)
			}
		}
	}
}

// limitPage checks first/last on a connection field and adds the default.
func (w *limitWalker) limitPage(f *ast.Field) {
	if f.Definition == nil || !strings.HasSuffix(f.Definition.Type.Name(), "Connection") ||
		f.Definition.Arguments.ForName("first") == nil {
		return
	}
	args := f.ArgumentMap(w.vars)
	given := false
	for _, name := range []string{"first", "last"} {
		v, ok := args[name]
		if !ok || v == nil {
			continue
		}
		n, ok := toInt(v)
		switch {
		case !ok:
			w.fail(f.Position, "%s must be a whole number", name)
		case n < 0:
			w.fail(f.Position, "%s of %s must not be negative / 分页数不能为负", name, f.Alias)
		case n > maxPageSize:
			w.fail(f.Position, "%s: %d on %s exceeds the maximum page size %d / 每页最多 %d 条",
				name, n, f.Alias, maxPageSize, maxPageSize)
		}
		given = true
	}
	if given {
		return
	}
	name := "first"
	if v, ok := args["before"]; ok && v != nil {
		name = "last" // paging backwards
	}
	f.Arguments = append(f.Arguments, &ast.Argument{
		Name:     name,
		Value:    &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(defaultPageSize), Position: f.Position},
		Position: f.Position,
	})
}

func (w *limitWalker) fail(pos *ast.Position, format string, args ...any) {
	err := gqlerror.ErrorPosf(pos, format, args...)
	err.Extensions = map[string]any{"code": errcode.BadUserInput}
	w.errs = append(w.errs, err)
}

func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), n == float64(int64(n))
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case string:
		i, err := strconv.ParseInt(n, 10, 64)
		return i, err == nil
	}
	return 0, false
}

// costSchema prices a connection at its page size times what each item
// costs, so a request's complexity counts the rows it may return (like
// GitHub's node limit) rather than the fields it names.
type costSchema struct{ graphql.ExecutableSchema }

func (s costSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	for _, name := range []string{"first", "last"} {
		if v, ok := args[name]; ok && v != nil {
			if n, ok := toInt(v); ok && n > 0 {
				return 1 + int(n)*max(child, 1), true
			}
		}
	}
	if c, ok := s.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return c, true
	}
	return child + 1, true
}

// String describes the limits for logs.
func (l RequestLimits) String() string {
	return fmt.Sprintf("page %d..%d, depth %d", defaultPageSize, maxPageSize, l.MaxDepth)
}
