package database_test

import (
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
)

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

func TestKeyFile(t *testing.T) {
	for url, want := range map[string]string{
		"":                          "data/data.key",
		"sqlite:/a/b.db":            "/a/data.key",
		"sqlite:/a/b.db?x=1":        "/a/data.key",
		"/c/d.db":                   "/c/data.key",
		"postgres://x/y":            "",
		"postgresql://u@h/db?ssl=1": "",
	} {
		if got := database.KeyFile(url); got != want {
			t.Errorf("KeyFile(%q) = %q, want %q", url, got, want)
		}
	}
}
