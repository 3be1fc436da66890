package roster

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/demo"
	"yanzhen/divisions"
)

// TestTemplateDryRunsOnTheDemo (issue 15): the shipped template,
// docs/roster-template.xlsx, imports as it is on a fresh start — the
// embedded regions and the demo population as of today, what the first
// `go run ./server` loads (cli.FirstStart) — without a problem or a
// warning: its examples are set in 振华社区 (150221104001, 萨拉齐镇),
// which has no secretary in the demo, so its 书记主任一肩挑 is the
// village's only one.
func TestTemplateDryRunsOnTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		if _, err := divisions.Import(ctx, db.DB, divisions.Embedded(), divisions.Options{}); err != nil {
			t.Fatalf("importing regions: %v", err)
		}
		if _, err := demo.Seed(ctx, db.DB, demo.Options{AsOf: time.Now().UTC()}); err != nil {
			t.Fatalf("seeding the demo: %v", err)
		}
		wb, err := Open(filepath.Join("..", "docs", "roster-template.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Import(ctx, db.DB, wb, ImportOptions{DryRun: true})
		if err != nil || !rep.OK() || len(rep.Warnings) != 0 {
			t.Fatalf("dry run of the shipped template on the demo: %v\n%s", err, rep)
		}
		for _, d := range Sheets {
			if c := rep.Count(d.Name); c.Rows != len(d.Examples) || c.Created != len(d.Examples) {
				t.Errorf("%s: %+v, want %d rows created", d.Name, c, len(d.Examples))
			}
		}
		if rep.Written {
			t.Error("a dry run wrote")
		}
	})
}
