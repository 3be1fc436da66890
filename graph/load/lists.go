package load

import (
	"context"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// A field resolved by its own query (not an ent edge that CollectFields
// eager-loads) would cost one statement per object of a list: Person.
// externalKeys under a people connection, say. ByParent loads it for every
// object of the enclosing list at once. The list is found from the
// resolver's field context: the nearest ancestor that is an element of a
// list (it has an index) has the list's field as parent, whose result
// gqlgen has set before resolving the elements; the objects of the
// parent's type are picked out of it (through edges, nodes and edges of
// ent records, a few levels deep). Outside a list, or without Lists in the
// context, it loads the one object's.

// Lists holds one request's batches; WithLists puts it in the request's
// context (graph.NewHandler does, per operation).
type Lists struct {
	mu      sync.Mutex
	batches map[listKey]*listBatch
}

type listKey struct {
	list  *graphql.FieldContext
	field *ast.Field
}

type listBatch struct {
	once sync.Once
	ids  map[int]bool // the parents loaded
	byID any          // map[int]T
	err  error
}

type listsKey struct{}

// WithLists gives the request its batches.
func WithLists(ctx context.Context) context.Context {
	return context.WithValue(ctx, listsKey{}, &Lists{batches: map[listKey]*listBatch{}})
}

// maxDepth bounds how deep in a list's result the objects are looked for:
// a connection's edge, its node, the node's ent edges, the record.
const maxDepth = 4

// ByParent returns the value of the field being resolved for parent (whose
// ID is id), loading it with load for every object of parent's type in the
// enclosing list on first use. load answers for the IDs it is given; an ID
// missing from its map gets the zero T.
func ByParent[P comparable, T any](ctx context.Context, parent P, id func(P) int, load func(ctx context.Context, ids []int) (map[int]T, error)) (T, error) {
	lists, _ := ctx.Value(listsKey{}).(*Lists)
	fc := graphql.GetFieldContext(ctx)
	list := enclosingList(fc)
	if lists == nil || list == nil {
		m, err := load(ctx, []int{id(parent)})
		return m[id(parent)], err
	}
	key := listKey{list, fc.Field.Field}
	lists.mu.Lock()
	b := lists.batches[key]
	if b == nil {
		b = &listBatch{}
		lists.batches[key] = b
	}
	lists.mu.Unlock()
	b.once.Do(func() {
		var parents []P
		collect(reflect.ValueOf(list.Result), reflect.TypeFor[P](), 0, func(v reflect.Value) { parents = append(parents, v.Interface().(P)) })
		seen := map[int]bool{id(parent): true}
		ids := []int{id(parent)}
		for _, p := range parents {
			if i := id(p); !seen[i] {
				seen[i] = true
				ids = append(ids, i)
			}
		}
		m, err := load(ctx, ids)
		b.ids, b.byID, b.err = seen, m, err
	})
	var zero T
	if b.err != nil {
		return zero, b.err
	}
	if !b.ids[id(parent)] {
		// Not found in the list's result (reached some other way): its own.
		m, err := load(ctx, []int{id(parent)})
		return m[id(parent)], err
	}
	m, _ := b.byID.(map[int]T)
	return m[id(parent)], nil
}

// enclosingList is the field context of the nearest list above fc whose
// elements hold the object being resolved.
func enclosingList(fc *graphql.FieldContext) *graphql.FieldContext {
	for c := fc; c != nil; c = c.Parent {
		if c.Index != nil && c.Parent != nil && c.Parent.Result != nil {
			return c.Parent
		}
	}
	return nil
}

// collect calls found with every value of type want in v: the elements of
// a slice, what a pointer or interface points to, the exported fields of a
// struct, at most maxDepth structs deep.
func collect(v reflect.Value, want reflect.Type, depth int, found func(reflect.Value)) {
	if !v.IsValid() {
		return
	}
	if v.Type() == want {
		if !v.IsZero() {
			found(v)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collect(v.Elem(), want, depth, found)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collect(v.Index(i), want, depth, found)
		}
	case reflect.Struct:
		if depth >= maxDepth {
			return
		}
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				collect(v.Field(i), want, depth+1, found)
			}
		}
	}
}
