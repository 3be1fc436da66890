package database_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
)

// recorder keeps the last query ent sends.
type recorder struct {
	dialect.Driver
	mu    sync.Mutex
	query string
	args  []any
}

func (r *recorder) Query(ctx context.Context, query string, args, v any) error {
	r.mu.Lock()
	r.query, r.args = query, args.([]any)
	r.mu.Unlock()
	return r.Driver.Query(ctx, query, args, v)
}

// A subtree filter, as ent writes it, is an index search on the unique code
// index, on both engines: the statement ent sends for regioncode.Within is
// explained as it is.
func TestSubtreeFilterUsesTheCodeIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		rec := &recorder{Driver: entsql.OpenDB(db.Dialect, db.SQL)}
		client := ent.NewClient(ent.Driver(rec))
		if _, err := client.Region.Query().Where(regioncode.Within("150221")).Select(region.FieldID).All(ctx); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rec.query, "regions") {
			t.Fatalf("recorded %q", rec.query)
		}
		var plan []string
		switch db.Dialect {
		case dialect.SQLite:
			rows, err := db.SQL.QueryContext(ctx, "EXPLAIN QUERY PLAN "+rec.query, rec.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
		case dialect.Postgres:
			tx, err := db.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			// An empty table is cheaper to scan than to search: make the
			// planner say which index it would take.
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
			rows, err := tx.QueryContext(ctx, "EXPLAIN "+rec.query, rec.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, line)
			}
		}
		joined := strings.Join(plan, " | ")
		// SQLite: "SEARCH regions USING COVERING INDEX … (code>? AND code<?)";
		// PostgreSQL: "… Index Scan on regions_code_key … Index Cond: (((code)::text >= …".
		search := strings.Contains(joined, "SEARCH regions USING") && strings.Contains(joined, "code>")
		if db.Dialect == dialect.Postgres {
			search = strings.Contains(joined, "regions_code_key") && strings.Contains(joined, "Index Cond: (((code)::text >=")
		}
		if !search {
			t.Fatalf("ent's subtree filter %q is not an index search on code: %s", rec.query, joined)
		}
	})
}
