package graph

// Helpers of the insight resolvers (insight.resolvers.go): gqlgen rewrites
// that file and keeps only resolvers in it.

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
	"yanzhen/errcode"
)

// insightPage reads a `first` argument of a list that is not a connection:
// default def, at most maxPageSize.
func insightPage(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > maxPageSize {
		return 0, errcode.BadInput("first", "first must be between 0 and %d, got %d / 每次最多 %d 条", maxPageSize, *first, maxPageSize)
	}
	return *first, nil
}

// subField returns a context whose field context is the selection reached
// from the current field by path ("Type.field" steps), so that ent's
// CollectFields eager-loads what the client asked for below it. It returns
// nil when the client did not select it.
func subField(ctx context.Context, path ...string) context.Context {
	fc := graphql.GetFieldContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return nil
	}
	field := fc.Field
	for _, step := range path {
		typ, name, _ := strings.Cut(step, ".")
		found := false
		for _, f := range graphql.CollectFields(oc, field.Selections, []string{typ}) {
			if f.Name == name {
				field, found = f, true
				break
			}
		}
		if !found {
			return nil
		}
	}
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Parent: fc, Field: field, Object: field.ObjectDefinition.Name})
}

// loadPeople loads people by ID with what ctx's selection needs; nil ctx
// (not selected) loads nothing.
func loadPeople(ctx context.Context, c *ent.Client, ids []int) (map[int]*ent.Person, error) {
	out := map[int]*ent.Person{}
	if ctx == nil || len(ids) == 0 {
		return out, nil
	}
	q, err := c.Person.Query().Where(person.IDIn(ids...)).CollectFields(ctx)
	if err != nil {
		return nil, err
	}
	all, err := q.All(ctx)
	for _, p := range all {
		out[p.ID] = p
	}
	return out, err
}

// loadRegions is loadPeople for regions.
func loadRegions(ctx context.Context, c *ent.Client, ids []int) (map[int]*ent.Region, error) {
	out := map[int]*ent.Region{}
	if ctx == nil || len(ids) == 0 {
		return out, nil
	}
	q, err := c.Region.Query().Where(region.IDIn(ids...)).CollectFields(ctx)
	if err != nil {
		return nil, err
	}
	all, err := q.All(ctx)
	for _, r := range all {
		out[r.ID] = r
	}
	return out, err
}

// loadNodes loads nodes of any type, one query per type, in the order of
// ids; nil ctx loads nothing.
func loadNodes(ctx context.Context, c *ent.Client, ids []int) ([]ent.Noder, error) {
	if ctx == nil || len(ids) == 0 {
		return make([]ent.Noder, len(ids)), nil
	}
	return c.Noders(ctx, ids)
}
