package database_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ariga.io/atlas/sql/migrate"
	atlas "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
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

// A subtree filter is a range on the unique code index, on both engines.
func TestSubtreeFilterUsesTheCodeIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		sel := db.Client.Region.Query().Where(regioncode.Within("150221")).Select(region.FieldID)
		var plan []string
		switch db.Dialect {
		case dialect.SQLite:
			rows, err := db.SQL.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT id FROM regions WHERE code >= ? AND code < ?", "150221", "150222")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, notused int
				var detail string
				rows.Scan(&id, &parent, &notused, &detail)
				plan = append(plan, detail)
			}
		case dialect.Postgres:
			tx, err := db.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off")
			rows, err := tx.QueryContext(ctx, "EXPLAIN SELECT id FROM regions WHERE code >= $1 AND code < $2", "150221", "150222")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var line string
				rows.Scan(&line)
				plan = append(plan, line)
			}
		}
		joined := strings.Join(plan, " | ")
		if !strings.Contains(joined, "regions_code_key") && !strings.Contains(strings.ToLower(joined), "index") {
			t.Fatalf("plan does not use the code index: %s", joined)
		}
		if _, err := sel.All(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
