package graph_test

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/institution"
	"yanzhen/ent/region"
)

// Institutions are a directory: a county admin adds a partner university
// wherever it is, and changes only the entries of its own area.
func TestInstitutionsAreADirectory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		w := makeWorld(t, db.Client)
		wuhan := db.Client.Region.Create().SetCode("42").SetName("湖北省").SetLevel(region.LevelPROVINCE).SaveX(ctx)
		theirs := db.Client.Institution.Create().SetName("华中农业大学").SetKind(institution.KindUNIVERSITY).SetRegion(wuhan).SaveX(ctx)
		ours := db.Client.Institution.Create().SetName("土右旗农牧局").SetKind(institution.KindGOVERNMENT).SetRegion(w.county).SaveX(ctx)
		county := newAPIAs(t, db, newUser(t, db, "tumed", auth.RoleAdmin, w.county.Code, 0, false))
		var out struct{ CreateInstitution struct{ Name string } }
		county.ok(`mutation($r: ID!) { createInstitution(input: {name: "湖北农学院", kind: UNIVERSITY, regionID: $r}) { name } }`,
			map[string]any{"r": gid(wuhan.ID)}, &out)
		if out.CreateInstitution.Name != "湖北农学院" {
			t.Fatalf("created %+v", out)
		}
		update := `mutation($id: ID!) { updateInstitution(id: $id, input: {name: "改名"}) { name } }`
		county.fails("NOT_FOUND", update, map[string]any{"id": gid(theirs.ID)})
		county.ok(update, map[string]any{"id": gid(ours.ID)}, nil)
		if db.Client.Institution.GetX(ctx, theirs.ID).Name != "华中农业大学" {
			t.Fatal("another area's entry was changed")
		}
		township := newAPIAs(t, db, newUser(t, db, "salaqi", auth.RoleTownship, w.township.Code, 0, false))
		township.fails("FORBIDDEN", `mutation { createInstitution(input: {name: "某学院", kind: UNIVERSITY}) { name } }`, nil)
	})
}
