package database

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"entgo.io/ent/dialect"

	"yanzhen/ent/migrate/migrations"
)

// A migration directory edited after its atlas.sum was written is refused:
// what runs is what was reviewed and generated.
func TestEditedMigrationsAreRefused(t *testing.T) {
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		files := fstest.MapFS{}
		sub, err := fs.Sub(migrations.FS, dirOf(d))
		if err != nil {
			t.Fatal(err)
		}
		names, err := fsDir{sub}.Files()
		if err != nil || len(names) == 0 {
			t.Fatalf("%s: %d files (%v)", d, len(names), err)
		}
		for _, f := range names {
			files[dirOf(d)+"/"+f.Name()] = &fstest.MapFile{Data: f.Bytes()}
		}
		sum, _ := migrations.FS.ReadFile(dirOf(d) + "/atlas.sum")
		files[dirOf(d)+"/atlas.sum"] = &fstest.MapFile{Data: sum}
		if _, err := loadMigrations(files, d, Steps); err != nil {
			t.Fatalf("%s: the shipped directory is refused: %v", d, err)
		}
		first := dirOf(d) + "/" + names[0].Name()
		files[first] = &fstest.MapFile{Data: append(append([]byte{}, names[0].Bytes()...), "\nDROP TABLE persons;\n"...)}
		_, err = loadMigrations(files, d, Steps)
		if err == nil || !strings.Contains(err.Error(), "atlas.sum") || !strings.Contains(err.Error(), names[0].Name()) {
			t.Fatalf("%s: an edited file gives %v", d, err)
		}
	}
}

// Go steps take their place among the files by version.
func TestStepsInterleaveWithFiles(t *testing.T) {
	all, err := Migrations(dialect.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, m := range all {
		order = append(order, m.String())
	}
	got := strings.Join(order, "; ")
	want := "20261130000000 baseline_release_before_versioned_migrations (sql); 20261130000001 encrypt_id_numbers (go); 20261130000002 search_indexes (sql)"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("order:\n%s\nwant it to start with\n%s", got, want)
	}
	if !all[2].NoTx {
		t.Fatal("the search indexes (CREATE INDEX CONCURRENTLY) must run outside a transaction")
	}
	if all[0].NoTx {
		t.Fatal("the baseline runs in a transaction")
	}
}
