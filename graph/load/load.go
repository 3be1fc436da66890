// Package load is the one loader of the records the analytics' answers
// point to: a lineage's people and mentorships, a search's hits, an
// alert's records and regions, a timeline's entries …
//
// An answer is built with IDs only (package insight returns IDs, found with
// the viewer's scope inside its SQL). Each reference field of the answer
// resolves through Get: the first resolver of a field loads every ID the
// answer holds for that field at once, with the selection the client made
// below it (ent's CollectFields, through Client.Noders, which also applies
// the privacy policies once more), so a list costs one statement per type
// and field whatever its length, and what is nested below is eager-loaded
// as on any other connection.
package load

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/ent"
)

// Refs holds an answer's references, by GraphQL field name.
type Refs struct {
	client *ent.Client
	mu     sync.Mutex
	ids    map[string][]int
	seen   map[string]map[int]bool
	loaded map[*ast.Field]*batch
}

type batch struct {
	once  sync.Once
	nodes map[int]ent.Noder
	err   error
}

// New starts the references of one answer.
func New(c *ent.Client) *Refs {
	return &Refs{client: c, ids: map[string][]int{}, seen: map[string]map[int]bool{}, loaded: map[*ast.Field]*batch{}}
}

// Add records that the answer refers to id through field and returns id;
// 0 (no reference) is not recorded.
func (r *Refs) Add(field string, id int) int {
	if id == 0 {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[field] == nil {
		r.seen[field] = map[int]bool{}
	}
	if !r.seen[field][id] {
		r.seen[field][id] = true
		r.ids[field] = append(r.ids[field], id)
	}
	return id
}

// Get returns the record id of the field being resolved (ctx is the field
// resolver's), loading all of the answer's records of that field on first
// use. A record the viewer may not load, or id 0, gives the zero T; the
// field's nullability then decides what the client sees.
func Get[T ent.Noder](ctx context.Context, r *Refs, id int) (T, error) {
	n, _, err := get[T](ctx, r, id)
	return n, err
}

func get[T ent.Noder](ctx context.Context, r *Refs, id int) (T, bool, error) {
	var zero T
	if id == 0 || r == nil {
		return zero, false, nil
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return zero, false, nil
	}
	r.mu.Lock()
	b := r.loaded[fc.Field.Field]
	if b == nil {
		b = &batch{}
		r.loaded[fc.Field.Field] = b
	}
	ids := r.ids[fc.Field.Name]
	r.mu.Unlock()
	b.once.Do(func() {
		b.nodes = map[int]ent.Noder{}
		if len(ids) == 0 {
			return
		}
		nodes, err := r.client.Noders(ctx, ids)
		for i, n := range nodes {
			if n != nil {
				b.nodes[ids[i]] = n
			}
		}
		if err != nil && !ent.IsNotFound(err) {
			b.err = err
		}
	})
	if b.err != nil {
		return zero, false, b.err
	}
	n, ok := b.nodes[id].(T)
	return n, ok, nil
}

// All returns the records ids of the list field being resolved, in the
// order of ids, loading all of the answer's records of that field on first
// use; those the viewer may not load are left out.
func All[T ent.Noder](ctx context.Context, r *Refs, ids []int) ([]T, error) {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		n, ok, err := get[T](ctx, r, id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, n)
		}
	}
	return out, nil
}
