package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/ent/privacy"
)

// RegionFiguresMark says that something under a region changed since its
// kept figures (RegionFigures) were computed: the figures hooks insert one
// row per region above a write, in the writer's transaction, and the
// refresher deletes a region's marks before it recomputes. Writes only
// ever insert, so writers under one province — or the whole country —
// never wait for each other on a shared row; a row of figures is fresh
// while no mark of its code exists.
type RegionFiguresMark struct{ ent.Schema }

func (RegionFiguresMark) Fields() []ent.Field {
	return []ent.Field{
		// Random (package insight/figures): a mark per write would wear
		// out an integer range of global IDs.
		field.String("id").MaxLen(32).NotEmpty().Immutable(),
		// The region's code; empty for the whole country.
		field.String("code").MaxLen(12).Immutable(),
	}
}

func (RegionFiguresMark) Indexes() []ent.Index {
	return []ent.Index{index.Fields("code")}
}

func (RegionFiguresMark) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll), entsql.Table("region_figures_marks")}
}

// Written and read by packages insight and insight/figures with SQL of
// their own; through ent only as the system.
func (RegionFiguresMark) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
