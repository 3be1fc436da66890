package insight_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/demand"
	"yanzhen/errcode"
	"yanzhen/insight"
	"yanzhen/vocab"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMatchCandidates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		w := insight.DefaultMatchWeights
		// D1 蔬菜 in 萨拉齐社区. Experts: X1 (U1, 蔬菜, assignment in 萨拉齐镇),
		// X2 (U2 Beijing, 设施农业 — related), X3 (U1, 果树 — unrelated), X5
		// (畜牧 — unrelated); X4 is at a government station without
		// assignments, so not an expert.
		cands, err := insight.MatchCandidates(ctx, db.Client, f.d1.ID, 10, w, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) != 2 || cands[0].ExpertID != f.x1.ID || cands[1].ExpertID != f.x2.ID {
			t.Fatalf("candidates for D1: %+v", cands)
		}
		x1, x2 := cands[0], cands[1]
		// X1: own assignment in the county, exact field, U1 in the same city
		// (150203), 1 active of 3: .35 + .30 + .20×.67 + .15×(2/3) = .884.
		if !near(x1.Cooperation, 1) || !near(x1.FieldFit, 1) || !near(x1.Proximity, 0.67) || !near(x1.Load, 2.0/3) ||
			x1.ActiveAssignments != 1 || !near(x1.Score, 0.884) || x1.InstitutionID != f.u1.ID {
			t.Errorf("X1: %+v", x1)
		}
		// X2: nothing in the county, related field, Beijing, idle: .15 + .15.
		if !near(x2.Cooperation, 0) || !near(x2.FieldFit, 0.5) || !near(x2.Proximity, 0) || !near(x2.Load, 1) || !near(x2.Score, 0.30) {
			t.Errorf("X2: %+v", x2)
		}
		for _, c := range cands {
			if len(c.Reasons) != 4 {
				t.Errorf("expert %d has %d reasons, want one per component", c.ExpertID, len(c.Reasons))
			}
			for _, r := range c.Reasons {
				if r.Zh == "" || r.En == "" {
					t.Errorf("a reason lacks a language: %+v", r)
				}
			}
		}
		// At the cap the load turns into the penalty: .35+.30+.134+.15×(−3) = .334.
		capped := w
		capped.Cap = 1
		cands, err = insight.MatchCandidates(ctx, db.Client, f.d1.ID, 1, capped, asOf)
		if err != nil || len(cands) != 1 || !near(cands[0].Load, -3) || !near(cands[0].Score, 0.334) {
			t.Errorf("capped: %+v %v", cands, err)
		}
		// D2 水产 in 双龙村: X5 (畜牧, related) served 双龙村 and lives there.
		cands, err = insight.MatchCandidates(ctx, db.Client, f.d2.ID, 10, w, asOf)
		if err != nil || len(cands) != 1 || cands[0].ExpertID != f.x5.ID || !near(cands[0].Score, 0.85) ||
			cands[0].ActiveAssignments != 0 || cands[0].InstitutionID != 0 {
			t.Errorf("D2: %+v %v", cands, err)
		}
		// D4 电商: nobody works in it or a related field.
		cands, err = insight.MatchCandidates(ctx, db.Client, f.d4.ID, 10, w, asOf)
		if err != nil || len(cands) != 0 {
			t.Errorf("D4 should have no candidate: %+v %v", cands, err)
		}
		_, err = insight.MatchCandidates(ctx, db.Client, f.x1.ID, 10, w, asOf)
		if e, ok := errcode.As(err); !ok || e.Code != errcode.NotFound {
			t.Errorf("not a demand: %v", err)
		}
	})
}

func TestRelatedFields(t *testing.T) {
	got := insight.RelatedFields("VEGETABLES")
	want := []vocab.AgriculturalField{"EDIBLE_FUNGI", "MELONS", "PLANT_PROTECTION", "PROTECTED_AGRICULTURE"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("related to vegetables: %v", got)
	}
	for _, term := range vocab.AgriculturalFields {
		for _, r := range insight.RelatedFields(vocab.AgriculturalField(term.Code)) {
			if !vocab.IsDefault(vocab.KindAgriculturalField, string(r)) {
				t.Errorf("%s is related to unknown field %s", term.Code, r)
			}
		}
	}
}

func TestConfirmMatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		a, err := insight.ConfirmMatch(ctx, db.Client, f.d1.ID, f.x2.ID, 0, date("2024-07-01"), " 组织部王科长 ")
		if err != nil {
			t.Fatal(err)
		}
		if a.ExpertID != f.x2.ID || a.RegionID != f.v2.ID || a.DemandID == nil || *a.DemandID != f.d1.ID ||
			a.ConfirmedBy != "组织部王科长" || a.ConfirmedAt == nil || !reflect.DeepEqual(a.Fields, []vocab.AgriculturalField{"VEGETABLES"}) {
			t.Errorf("assignment: %+v", a)
		}
		if d := db.Client.Demand.GetX(ctx, f.d1.ID); d.Status != demand.StatusMATCHED {
			t.Errorf("demand status %s", d.Status)
		}
		_, err = insight.ConfirmMatch(ctx, db.Client, f.d1.ID, f.x1.ID, 0, asOf, "someone")
		if e, ok := errcode.As(err); !ok || e.Code != errcode.Conflict {
			t.Errorf("matching a matched demand: %v", err)
		}
		_, err = insight.ConfirmMatch(ctx, db.Client, f.d2.ID, f.x5.ID, f.t2.ID, asOf, "  ")
		if e, ok := errcode.As(err); !ok || e.Field != "confirmedBy" {
			t.Errorf("no confirmer: %v", err)
		}
		// Not experts: X4 works for a government station, A is a village
		// cadre; X5, of no institution, is one by an earlier assignment.
		for _, who := range []*ent.Person{f.x4, f.a} {
			_, err = insight.ConfirmMatch(ctx, db.Client, f.d2.ID, who.ID, f.t2.ID, asOf, "王科长")
			if e, ok := errcode.As(err); !ok || e.Code != errcode.BadUserInput || e.Field != "expertID" ||
				!strings.HasPrefix(e.Error(), "not an expert") || !strings.Contains(e.Text.Zh, "非专家") {
				t.Errorf("%s: %v", who.Name, err)
			}
		}
		if d := db.Client.Demand.GetX(ctx, f.d2.ID); d.Status != demand.StatusOPEN {
			t.Errorf("a refused match changed the demand: %s", d.Status)
		}
		a, err = insight.ConfirmMatch(ctx, db.Client, f.d2.ID, f.x5.ID, f.t2.ID, asOf, "王科长")
		if err != nil || a.RegionID != f.t2.ID {
			t.Errorf("with a region: %+v %v", a, err)
		}
	})
}

func TestSupplyGaps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		// Experts of 内蒙古: X1, X3 (U1 in 150203) and X5 (lives in 双龙村):
		// 蔬菜, 果树, 畜牧 and their relatives — not 电商, so D4 has no one.
		// Assignments in force: X1's 蔬菜 in 萨拉齐镇; 水产 and 电商 are open
		// without one.
		g, err := insight.SupplyGaps(ctx, db.Client, "150221", asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g.DemandIDs, []int{f.d4.ID}) {
			t.Errorf("demands without candidates: %v, want [%d]", g.DemandIDs, f.d4.ID)
		}
		want := []insight.FieldGap{{Field: "AQUACULTURE", OpenDemands: 1}, {Field: "E_COMMERCE", OpenDemands: 1}}
		if !reflect.DeepEqual(g.UncoveredFields, want) {
			t.Errorf("uncovered: %+v", g.UncoveredFields)
		}
		// 萨拉齐社区 is served by the assignment of its township above it.
		g, err = insight.SupplyGaps(ctx, db.Client, "150221100202", asOf)
		if err != nil || len(g.DemandIDs) != 0 || len(g.UncoveredFields) != 0 {
			t.Errorf("萨拉齐社区: %+v %v", g, err)
		}
	})
}
