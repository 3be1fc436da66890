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

// RegionFigures holds the statistics and the alert counts of one region
// subtree (the country, a province, a city or a county, whose live
// computation reads up to millions of rows) as computed for one date, so
// that the statistics of today are one indexed read. The rows are derived:
// the hooks of figures_hooks.go mark every region above a write in the
// writer's transaction (RegionFiguresMark, package insight/figures), and
// the refresher of package insight recomputes marked rows with the same
// code as the live answer; a row is used only when no mark of its code
// exists and it is of today and of the thresholds asked for. Never shown
// in the API.
type RegionFigures struct{ ent.Schema }

func (RegionFigures) Fields() []ent.Field {
	return []ent.Field{
		// The region's code; empty for the whole country.
		field.String("code").MaxLen(12).Immutable(),
		// The date the figures are of.
		asDate(field.Time("as_of")),
		// The thresholds they were computed with (insight.AlertThresholds).
		field.String("params").Default(""),
		// insight.Statistics and the alert counts per kind, as JSON.
		field.Text("statistics").Default(""),
		field.Text("alerts").Default(""),
		field.Time("computed_at"),
		// Set by a refresher's claim, which deletes the row's marks, and
		// cleared when it stores: a refresher that failed or died leaves
		// the row stale rather than looking fresh.
		field.Bool("stale").Default(true),
		// Advanced by every claim; a refresher stores its figures only if
		// the row is still at the version its claim set, so a refresher
		// whose claim lapsed cannot overwrite a newer computation.
		field.Int64("version").Default(0),
		// Until when a refresher (of one of several server processes) is
		// computing the row: the others pass it by.
		field.Time("claimed_until").Optional().Nillable(),
	}
}

func (RegionFigures) Indexes() []ent.Index {
	return []ent.Index{index.Fields("code").Unique()}
}

func (RegionFigures) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll), entsql.Table("region_figures")}
}

// Written and read by package insight with SQL of its own; through ent only
// as the system.
func (RegionFigures) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}
