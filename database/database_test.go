package database_test

import (
	"context"
	"fmt"
	"testing"

	"ariga.io/atlas/sql/migrate"
	atlas "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect/sql/schema"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// Migrations run on every start, so a second run must find nothing to do.
func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		var changes []atlas.Change
		record := schema.WithDiffHook(func(next schema.Differ) schema.Differ {
			return schema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
				c, err := next.Diff(current, desired)
				changes = append(changes, c...)
				return c, err
			})
		})
		if err := db.Migrate(auth.System(context.Background()), record); err != nil {
			t.Fatal(err)
		}
		if len(changes) != 0 {
			var names []string
			for _, c := range changes {
				names = append(names, fmt.Sprintf("%T", c))
			}
			t.Fatalf("second migration wanted %d changes: %v", len(changes), names)
		}
	})
}

var _ = migrate.Plan{}
