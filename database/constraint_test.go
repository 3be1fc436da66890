package database_test

import (
	"context"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
)

// Violated reads the broken constraint the same way on both engines, from
// real statements: the named partial index of one current secretary, a
// unique column, and a missing reference.
func TestViolatedNamesTheConstraint(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		v := db.Client.Region.Create().SetCode("150221100201").SetName("三道河村").SetLevel(region.LevelVILLAGE).SetKind(region.KindVILLAGE).SaveX(ctx)
		a := db.Client.Person.Create().SetName("甲").SaveX(ctx)
		b := db.Client.Person.Create().SetName("乙").SaveX(ctx)
		now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		// Past the hooks, as two concurrent writers would be: only the index
		// stands in the way of the second secretary.
		insert := func(person int) error {
			_, err := db.SQL.ExecContext(ctx, `INSERT INTO posts (created_at, updated_at, start_date, role, seat, person_id, region_id)
				VALUES ($1, $1, $2, 'PARTY_SECRETARY', 'SECRETARY', $3, $4)`, now, now, person, v.ID)
			return err
		}
		if err := insert(a.ID); err != nil {
			t.Fatal(err)
		}
		err := insert(b.ID)
		if c, ok := database.Violated(err); !ok || c.Kind != database.Unique || c.Name != "post_one_current_secretary" {
			t.Errorf("second secretary: %+v %v (%v)", c, ok, err)
		}
		_, err = db.SQL.ExecContext(ctx, `INSERT INTO regions (created_at, updated_at, code, name, level) VALUES ($1, $1, $2, '重复', 'VILLAGE')`, now, v.Code)
		if c, ok := database.Violated(err); !ok || c.Kind != database.Unique || c.Name != "regions_code_key" {
			t.Errorf("duplicate code: %+v %v (%v)", c, ok, err)
		}
		err = db.Client.Post.Create().SetPersonID(a.ID + 1000).SetRegion(v).SetRole("COMMITTEE_MEMBER").SetStartDate(now).Exec(ctx)
		if c, ok := database.Violated(err); !ok || c.Kind != database.ForeignKey {
			t.Errorf("missing person: %+v %v (%v)", c, ok, err)
		}
		if _, ok := database.Violated(context.Canceled); ok {
			t.Error("a cancelled context is no constraint")
		}
	})
}
