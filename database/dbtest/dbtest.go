// Package dbtest gives tests a fresh, migrated database on every storage
// engine the run can reach: always an SQLite file, and PostgreSQL too when
// TEST_DATABASE_URL is set (each test gets its own schema there, dropped
// afterwards). The schema is made by the versioned migrations that
// `yanzhen migrate` applies in production, not by ent's auto-migration, so
// the tests run on exactly what production runs.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"yanzhen/database"
	"yanzhen/pii"
)

// DB is a test database with a statement counter on its driver.
type DB struct {
	*database.DB
	Statements *database.Counter
	// URL reopens the same database (for tests of the commands).
	URL string
}

// Each runs fn once per available engine, as subtests named "sqlite" and
// "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	each(t, true, fn)
}

// EachEmpty is Each with databases left empty: no table, nothing migrated
// (for the tests of migrations).
func EachEmpty(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	each(t, false, fn)
}

func each(t *testing.T, migrate bool, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, open(t, sqliteURL(t), migrate)) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("TEST_DATABASE_URL") == "" {
			t.Skip("TEST_DATABASE_URL is not set")
		}
		fn(t, open(t, postgresURL(t), migrate))
	})
}

// OpenSQLite opens a fresh SQLite database in a temporary directory.
func OpenSQLite(t testing.TB) *DB {
	t.Helper()
	return open(t, sqliteURL(t), true)
}

// OpenEmptySQLite opens a fresh SQLite database without migrating it.
func OpenEmptySQLite(t testing.TB) *DB {
	t.Helper()
	return open(t, sqliteURL(t), false)
}

// OpenPostgres opens a fresh schema in the TEST_DATABASE_URL database.
func OpenPostgres(t testing.TB) *DB {
	t.Helper()
	return open(t, postgresURL(t), true)
}

func sqliteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// postgresURL makes a schema in the TEST_DATABASE_URL database, dropped
// after the test, and returns the URL whose search_path is that schema.
func postgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	trgmOnce.Do(func() {
		// The search migration creates pg_trgm IF NOT EXISTS, which is not
		// safe against itself: parallel tests would race to create it first.
		admin.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	})
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

var trgmOnce sync.Once

// TestDataKey is the fixed data key of the tests (ID numbers are encrypted
// at rest under it); never a production key.
var TestDataKey = []byte("yanzhen-test-data-key-32-bytes!!")

// TestKeys are the keys of TestDataKey, which every test database's client
// carries.
var TestKeys = func() *pii.Keys {
	k, err := pii.NewKeys(TestDataKey)
	if err != nil {
		panic(err)
	}
	return k
}()

func open(t testing.TB, rawURL string, migrate bool) *DB {
	t.Helper()
	var counter *database.Counter
	db, err := database.Open(context.Background(), rawURL, database.Options{
		Keys: TestKeys,
		WrapDriver: func(d dialect.Driver) dialect.Driver {
			counter = database.NewCounter(d)
			return counter
		},
	})
	if err != nil {
		t.Fatalf("opening %s: %v", rawURL, err)
	}
	t.Cleanup(func() { db.Close() })
	if migrate {
		if _, err := db.MigrateUp(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return &DB{DB: db, Statements: counter, URL: rawURL}
}
