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
	"github.com/vektah/gqlparser/v2/parser"

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
// It also counts aliases and fields before the query is validated, because
// validation itself is what an alias bomb attacks: gqlparser's
// "overlapping fields can be merged" rule compares every pair of fields of a
// selection set, so 40,000 aliased fields (600 KB) keep a CPU busy for more
// than a minute. The count walks fragments where they are spread, so a
// fragment spread ten times counts ten times.
//
// It writes the default `first` into a copy of the parsed document made for
// the request: the document itself is shared through the parsed-query
// cache (see querycache.go).
type RequestLimits struct {
	MaxDepth int
	// Parsed, when set, is the handler's parsed-query cache: a query found
	// there passed these counts already and is not parsed again.
	Parsed graphql.Cache[*ast.QueryDocument]
	// MaxAliases caps the aliased fields of a request (0: no limit).
	MaxAliases int
	// MaxFields caps the fields of a request, counted through fragments
	// (0: no limit). A fragment spread counts as one more: it is work for
	// the validator even when the fragment selects nothing.
	MaxFields int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = RequestLimits{}

func (RequestLimits) ExtensionName() string                          { return "RequestLimits" }
func (RequestLimits) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters counts aliases and fields on a parse of its
// own, before gqlgen parses and validates. A query that does not parse is
// left to gqlgen, which reports the syntax error with its position.
func (l RequestLimits) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if l.MaxAliases <= 0 && l.MaxFields <= 0 {
		return nil
	}
	if l.Parsed != nil {
		// A look of its own, not counted as the cache's lookup (gqlgen's, next).
		get := l.Parsed.Get
		if p, ok := l.Parsed.(interface {
			Peek(context.Context, string) (*ast.QueryDocument, bool)
		}); ok {
			get = p.Peek
		}
		if _, ok := get(ctx, params.Query); ok {
			return nil
		}
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: params.Query})
	if err != nil {
		return nil
	}
	c := countSelections(doc, l.MaxAliases, l.MaxFields)
	switch {
	case l.MaxAliases > 0 && c.aliases > l.MaxAliases:
		return limitError("the request uses more than %d aliases / 别名过多，每个请求最多 %d 个", l.MaxAliases, l.MaxAliases)
	case c.crowded:
		return limitError("a field, fragment or operation carries more than %d directives / 单个字段的指令过多，最多 %d 个", maxDirectivesAt, maxDirectivesAt)
	case l.MaxFields > 0 && c.fields > l.MaxFields:
		return limitError("the request selects more than %d fields (fragments count where they are spread) / 查询字段过多，每个请求最多 %d 个",
			l.MaxFields, l.MaxFields)
	}
	return nil
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": errcode.BadUserInput}
	return err
}

// maxDirectivesAt caps the directives on one field, fragment or operation:
// each is validated (and, when wrong, reported) on its own, so thousands on
// one field multiply the errors of a response.
const maxDirectivesAt = 10

// selectionCount is what countSelections found, up to just past the limits.
type selectionCount struct {
	aliases int
	// fields counts fragment spreads and directives too: they cost work
	// even when their fragment selects no field.
	fields int
	// crowded: some place carries more than maxDirectivesAt directives.
	crowded bool
}

// countCeiling stops a count that has no limit to stop it: fragments that
// spread each other twice over 40 levels would otherwise expand to 2^40.
const countCeiling = 1_000_000

// countSelections counts the aliases and the fields (plus fragment spreads)
// of every operation of doc, expanding fragment spreads, and of fragments no
// operation spreads (the validator reads those too). It stops once a count
// passes its limit, so a document whose fragments spread each other ten
// times over ten levels costs no more than the limit. A fragment that spreads
// itself, directly or not, is not entered again: the validator rejects the
// cycle, and counting it would never end.
func countSelections(doc *ast.QueryDocument, maxAliases, maxFields int) selectionCount {
	c := &selectionCounter{
		doc: doc, maxAliases: maxAliases, maxFields: maxFields,
		active: map[string]bool{}, visited: map[string]bool{},
	}
	for _, op := range doc.Operations {
		c.directives(op.Directives)
		for _, v := range op.VariableDefinitions {
			c.directives(v.Directives)
		}
		c.walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		if !c.visited[f.Name] {
			c.fragment(f)
		}
	}
	return c.n
}

type selectionCounter struct {
	doc                   *ast.QueryDocument
	maxAliases, maxFields int
	n                     selectionCount
	// active holds the fragments being expanded (the path from the
	// operation), visited every fragment expanded at least once.
	active, visited map[string]bool
}

func (c *selectionCounter) done() bool {
	return c.n.crowded || c.maxAliases > 0 && c.n.aliases > c.maxAliases ||
		c.maxFields > 0 && c.n.fields > c.maxFields || c.n.fields > countCeiling
}

func (c *selectionCounter) walk(set ast.SelectionSet) {
	for _, sel := range set {
		if c.done() {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			c.n.fields++
			c.directives(s.Directives)
			if s.Alias != "" && s.Alias != s.Name {
				c.n.aliases++
			}
			c.walk(s.SelectionSet)
		case *ast.InlineFragment:
			c.directives(s.Directives)
			c.walk(s.SelectionSet)
		case *ast.FragmentSpread:
			c.n.fields++
			c.directives(s.Directives)
			if f := c.doc.Fragments.ForName(s.Name); f != nil {
				c.fragment(f)
			}
		}
	}
}

func (c *selectionCounter) directives(list ast.DirectiveList) {
	c.n.fields += len(list)
	if len(list) > maxDirectivesAt {
		c.n.crowded = true
	}
}

func (c *selectionCounter) fragment(f *ast.FragmentDefinition) {
	if c.active[f.Name] {
		return
	}
	c.active[f.Name], c.visited[f.Name] = true, true
	c.directives(f.Directives)
	c.walk(f.SelectionSet)
	delete(c.active, f.Name)
}

func (l RequestLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	w := &limitWalker{vars: oc.Variables, maxDepth: l.MaxDepth}
	if oc.Operation != nil {
		oc.Doc, oc.Operation = copyDocument(oc.Doc, oc.Operation)
		w.walk(oc.Operation.SelectionSet, 1)
	}
	for name, v := range oc.Variables {
		if hasNUL(v) {
			w.fail(nil, "$%s contains the character U+0000 (NUL), which text may not hold / 文本不能包含空字符", name)
		}
		w.listItems += listItems(v)
	}
	if w.listItems > maxListItems {
		w.fail(nil, "the request's lists hold more than %d items in all (ids, …In filters, and/or) / 请求中的列表合计最多 %d 项", maxListItems, maxListItems)
	}
	if len(w.errs) > 0 {
		return w.errs[0]
	}
	return nil
}

type limitWalker struct {
	// listItems counts the items of the lists written in the query.
	listItems int
	vars      map[string]any
	maxDepth  int
	errs      gqlerror.List
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
			for _, a := range s.Arguments {
				if literalHasNUL(a.Value) {
					w.fail(a.Position, "argument %s of %s contains the character U+0000 (NUL), which text may not hold / 文本不能包含空字符",
						a.Name, s.Alias)
				}
				w.listItems += literalListItems(a.Value)
			}
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
			w.fail(f.Position, "%s on %s exceeds the maximum page size %d / 每页最多 %d 条",
				name, f.Alias, maxPageSize, maxPageSize)
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

// PostgreSQL refuses the NUL character in text (an INTERNAL error that is
// the caller's fault) and SQLite cuts the text there (a filter "a\x00b"
// becomes "a"): both engines must see the same input, so it is refused.
func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, e := range v {
			if hasNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 || hasNUL(e) {
				return true
			}
		}
	}
	return false
}

// maxListItems caps the items of all lists a request sends (ids of nodes,
// nameIn and the other …In filters, and/or): each item becomes a bound
// parameter, and the engines' limits on those (SQLite's 32,766) must never
// be what answers. Literals in a fragment spread twice count twice.
const maxListItems = 1000

func listItems(v any) int {
	n := 0
	switch v := v.(type) {
	case []any:
		n += len(v)
		for _, e := range v {
			n += listItems(e)
		}
	case map[string]any:
		for _, e := range v {
			n += listItems(e)
		}
	}
	return n
}

func literalListItems(v *ast.Value) int {
	if v == nil {
		return 0
	}
	n := 0
	if v.Kind == ast.ListValue {
		n += len(v.Children)
	}
	for _, c := range v.Children {
		n += literalListItems(c.Value)
	}
	return n
}

func literalHasNUL(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && strings.IndexByte(v.Raw, 0) >= 0 {
		return true
	}
	for _, c := range v.Children {
		if literalHasNUL(c.Value) {
			return true
		}
	}
	return false
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
	return fmt.Sprintf("page %d..%d, depth %d, aliases %d, fields %d",
		defaultPageSize, maxPageSize, l.MaxDepth, l.MaxAliases, l.MaxFields)
}
