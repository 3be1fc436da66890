package insight_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/demand"
	"yanzhen/insight"
	"yanzhen/vocab"
	"yanzhen/vocab/vocabdb"
)

// A field a county added (茶叶) is a field like the national ones for the
// supply gaps: a demand in it is covered by an expert of the province who
// works in it, and open otherwise.
func TestSupplyGapsKnowAreaFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		c := db.Client
		add := func(label string) vocab.AgriculturalField {
			e, err := vocabdb.AddTerm(ctx, c, vocabdb.TermInput{Kind: vocab.KindAgriculturalField, Label: label, Region: "150221"})
			if err != nil {
				t.Fatal(err)
			}
			return vocab.AgriculturalField(e.Code)
		}
		tea, bamboo := add("茶叶"), add("竹林")
		c.Person.UpdateOne(f.x5).SetExpertise([]vocab.AgriculturalField{"LIVESTOCK_POULTRY", tea}).ExecX(ctx)
		raised := time.Date(2024, 6, 2, 0, 0, 0, 0, time.UTC)
		teaDemand := c.Demand.Create().SetRegion(f.v3).SetField(tea).SetDescription("茶园管护").SetRaisedOn(raised).SetStatus(demand.StatusOPEN).SaveX(ctx)
		bambooDemand := c.Demand.Create().SetRegion(f.v3).SetField(bamboo).SetDescription("竹林").SetRaisedOn(raised).SetStatus(demand.StatusOPEN).SaveX(ctx)
		g, err := insight.SupplyGaps(ctx, c, "150221", asOf)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(g.DemandIDs, teaDemand.ID) {
			t.Errorf("the 茶叶 demand counts as uncovered, though 畜牧专家 works in 茶叶: %v", g.DemandIDs)
		}
		if !slices.Contains(g.DemandIDs, bambooDemand.ID) {
			t.Errorf("the 竹林 demand, which no expert covers, is not a gap: %v", g.DemandIDs)
		}
	})
}
