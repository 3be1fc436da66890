package database_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	atlas "ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/migrate"
	"yanzhen/ent/person"
	"yanzhen/pii"
)

// The migration files describe the ent schema: after them, ent's own diff
// of the database against the schema finds nothing to change. (A schema
// change without `go generate` fails here, and in CI's freshness check.)
func TestMigrationsMatchTheEntSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		var changes []string
		record := schema.WithDiffHook(func(next schema.Differ) schema.Differ {
			return schema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
				cs, err := next.Diff(current, desired)
				for _, c := range cs {
					// The trigram indexes of the hand-written search
					// migration are the one thing ent does not describe.
					if m, ok := c.(*atlas.ModifyTable); ok && len(m.Changes) == 0 {
						continue // what ent's own filter left of dropped indexes
					}
					if d := describe(c); !searchIndexDrop.MatchString(d) {
						changes = append(changes, d)
					}
				}
				return cs, err
			})
		})
		refuse := schema.WithApplyHook(func(schema.Applier) schema.Applier {
			return schema.ApplyFunc(func(context.Context, dialect.ExecQuerier, *atlasmigrate.Plan) error {
				return fmt.Errorf("the ent schema wants changes the migrations do not make")
			})
		})
		err := db.Client.Schema.Create(context.Background(), migrate.WithForeignKeys(true), record, refuse)
		if len(changes) != 0 || err != nil {
			t.Fatalf("after the migrations, ent wants changes (%v): run go generate\n%s", err, strings.Join(changes, "\n"))
		}
	})
}

var searchIndexDrop = regexp.MustCompile(`^table (persons|institutions|regions): drop index [a-z]+_name_trgm$`)

// Migrating again finds nothing to do, and says so.
func TestMigrateTwiceDoesNothing(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, db *dbtest.DB) {
		ctx := context.Background()
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := database.Migrations(db.Dialect)
		if len(st.Pending) != len(all) || len(st.Applied) != 0 || st.PreviousRelease {
			t.Fatalf("empty database: %d pending of %d, %d applied, previous release %v", len(st.Pending), len(all), len(st.Applied), st.PreviousRelease)
		}
		applied, err := db.MigrateUp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != len(all) {
			t.Fatalf("applied %v, want all %d", applied, len(all))
		}
		again, err := db.MigrateUp(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second run applied %v (%v)", again, err)
		}
		st, err = db.MigrationStatus(ctx)
		if err != nil || st.Behind() || len(st.Applied) != len(all) {
			t.Fatalf("after migrating: %+v (%v)", st, err)
		}
	})
}

// A database the release before versioned migrations made (its schema as
// that release's auto-migration left it, in testdata) is recognised,
// recorded at the baseline, and brought to exactly the schema of a fresh
// database, its rows intact and the ID number it held in clear encrypted.
func TestUpgradeFromThePreviousRelease(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, old *dbtest.DB) {
		ctx := auth.System(context.Background())
		name := map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}[old.Dialect]
		dump, err := os.ReadFile("testdata/previous-release-" + name + ".sql")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.SQL.ExecContext(ctx, string(dump)); err != nil {
			t.Fatalf("loading the previous release's schema: %v", err)
		}
		const clearID = "11010519491231002X"
		for _, q := range []string{
			`INSERT INTO regions (created_at, updated_at, code, name, level) VALUES ('2025-01-02', '2025-01-02', '150221', '土默特右旗', 'COUNTY')`,
			`INSERT INTO persons (created_at, updated_at, name, gender, birth_date, id_number) VALUES ('2025-01-02', '2025-01-02', '张慧婷', 'FEMALE', '1949-12-31', '` + clearID + `')`,
			`INSERT INTO persons (created_at, updated_at, name) VALUES ('2025-01-02', '2025-01-02', '李四')`,
		} {
			if _, err := old.SQL.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// More people than one batch of the step that fills search keys,
		// written (as that release did) without them.
		var many []string
		for i := 0; i < 1000; i++ {
			many = append(many, "('2025-01-02', '2025-01-02', '单长青')")
		}
		if _, err := old.SQL.ExecContext(ctx, `INSERT INTO persons (created_at, updated_at, name) VALUES `+strings.Join(many, ", ")); err != nil {
			t.Fatal(err)
		}

		st, err := old.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.PreviousRelease || !st.Behind() || len(st.Pending) == 0 || st.Pending[0].Version == database.BaselineVersion {
			t.Fatalf("the previous release's database is not recognised: %+v", st)
		}
		applied, err := old.MigrateUp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range applied {
			if m.Version == database.BaselineVersion {
				t.Fatalf("the baseline ran on a database that has its tables: %v", applied)
			}
		}
		if len(applied) == 0 {
			t.Fatal("nothing applied after the baseline")
		}
		t.Logf("applied %v", applied)
		if again, err := old.MigrateUp(ctx); err != nil || len(again) != 0 {
			t.Fatalf("second migrate applied %v (%v)", again, err)
		}

		// Rows intact, the ID number sealed and readable through ent.
		var raw, hash sql.NullString
		if err := old.SQL.QueryRowContext(ctx, `SELECT id_number, id_number_hash FROM persons WHERE name = '张慧婷'`).Scan(&raw, &hash); err != nil {
			t.Fatal(err)
		}
		if !pii.Encrypted(raw.String) || strings.Contains(raw.String, clearID) {
			t.Fatalf("the ID number is still stored as %q", raw.String)
		}
		wantHash, _ := dbtest.TestKeys.HashIDNumber(clearID)
		if hash.String != wantHash {
			t.Fatalf("id_number_hash = %q, want the keyed hash", hash.String)
		}
		p, err := old.Client.Person.Query().Where(person.Name("张慧婷")).Only(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.IDNumber != clearID {
			t.Fatalf("ent reads the ID number as %q", p.IDNumber)
		}
		if n, err := old.Client.Person.Query().Count(ctx); err != nil || n != 1002 {
			t.Fatalf("%d persons (%v), want 1002", n, err)
		}
		// The fill_person_search_keys step gave everyone the keys of every
		// reading of their name: 单长青 is shan (the surname) and chang or
		// zhang, so 4 keys each.
		var keys, without int
		if err := old.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_search_keys k JOIN persons p ON p.id = k.person_id
			WHERE p.name = '单长青' AND k.key IN ('shanchangqing', 'shanzhangqing', 'scq', 'szq')`).Scan(&keys); err != nil || keys != 4000 {
			t.Fatalf("%d keys of 单长青 (%v), want 4 for each of 1000", keys, err)
		}
		if err := old.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM persons p
			WHERE NOT EXISTS (SELECT 1 FROM person_search_keys k WHERE k.person_id = p.id)`).Scan(&without); err != nil || without != 0 {
			t.Fatalf("%d people without search keys (%v)", without, err)
		}
		if err := old.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_search_keys k JOIN persons p ON p.id = k.person_id
			WHERE p.name = '张慧婷' AND k.key IN ('zhanghuiting', 'zht')`).Scan(&keys); err != nil || keys != 2 {
			t.Fatalf("%d keys of 张慧婷 (%v), want 2", keys, err)
		}
		if n, err := old.Client.Region.Query().Count(ctx); err != nil || n != 1 {
			t.Fatalf("%d regions (%v), want 1", n, err)
		}

		// The same schema as a database made by the migrations alone.
		fresh := dbtest.OpenSQLite(t)
		if old.Dialect == dialect.Postgres {
			fresh = dbtest.OpenPostgres(t)
		}
		if diff := schemaDiff(t, old, fresh); len(diff) > 0 {
			t.Fatalf("the upgraded schema differs from a fresh one:\n%s", strings.Join(diff, "\n"))
		}
	})
}

// A first migration of such a database that stopped after creating the
// revisions table (and before recording the baseline) is recognised again,
// and a database with only some of the release's tables is refused.
func TestInterruptedOrPartialPreviousRelease(t *testing.T) {
	ctx := context.Background()
	dump, err := os.ReadFile("testdata/previous-release-sqlite.sql")
	if err != nil {
		t.Fatal(err)
	}
	db := dbtest.OpenEmptySQLite(t)
	if _, err := db.SQL.ExecContext(ctx, string(dump)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE `+database.RevisionsTable+` (version varchar(14) NOT NULL PRIMARY KEY, name varchar(255) NOT NULL, applied_at timestamp NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatalf("after an interrupted first migration: %v", err)
	}

	partial := dbtest.OpenEmptySQLite(t)
	if _, err := partial.SQL.ExecContext(ctx, "CREATE TABLE persons (id integer PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := partial.MigrateUp(ctx); err == nil || !strings.Contains(err.Error(), "not all") {
		t.Fatalf("a database with one of the tables: %v", err)
	}
}

// schemaDiff inspects both databases with Atlas and lists what would turn
// a's schema into b's.
func schemaDiff(t *testing.T, a, b *dbtest.DB) []string {
	t.Helper()
	ctx := context.Background()
	open := func(db *dbtest.DB) (atlasDriver, *atlas.Schema) {
		var drv atlasDriver
		var err error
		if db.Dialect == dialect.Postgres {
			drv, err = postgres.Open(db.SQL)
		} else {
			drv, err = sqlite.Open(db.SQL)
		}
		if err != nil {
			t.Fatal(err)
		}
		s, err := drv.InspectSchema(ctx, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Name = "" // the test schemas differ in name only
		return drv, s
	}
	drv, sa := open(a)
	_, sb := open(b)
	changes, err := drv.SchemaDiff(sa, sb)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range changes {
		out = append(out, describe(c))
	}
	return out
}

type atlasDriver interface {
	InspectSchema(ctx context.Context, name string, opts *atlas.InspectOptions) (*atlas.Schema, error)
	SchemaDiff(from, to *atlas.Schema, opts ...atlas.DiffOption) ([]atlas.Change, error)
}

func describe(c atlas.Change) string {
	switch c := c.(type) {
	case *atlas.ModifyTable:
		var parts []string
		for _, tc := range c.Changes {
			parts = append(parts, describe(tc))
		}
		return fmt.Sprintf("table %s: %s", c.T.Name, strings.Join(parts, ", "))
	case *atlas.AddTable:
		return "add table " + c.T.Name
	case *atlas.DropTable:
		return "drop table " + c.T.Name
	case *atlas.AddIndex:
		return "add index " + c.I.Name
	case *atlas.DropIndex:
		return "drop index " + c.I.Name
	case *atlas.ModifyColumn:
		return fmt.Sprintf("modify column %s (%v)", c.From.Name, c.Change)
	case *atlas.AddColumn:
		return "add column " + c.C.Name
	case *atlas.DropColumn:
		return "drop column " + c.C.Name
	}
	return fmt.Sprintf("%T", c)
}
