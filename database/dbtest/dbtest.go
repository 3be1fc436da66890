// Package dbtest gives tests a fresh, migrated database on every storage
// engine the run can reach: always an SQLite file, and PostgreSQL too when
// TEST_DATABASE_URL is set (each test gets its own schema there, dropped
// afterwards).
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
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
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("TEST_DATABASE_URL") == "" {
			t.Skip("TEST_DATABASE_URL is not set")
		}
		fn(t, OpenPostgres(t))
	})
}

// OpenSQLite opens a fresh SQLite database in a temporary directory.
func OpenSQLite(t testing.TB) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	return open(t, "sqlite:"+path)
}

// OpenPostgres opens a fresh schema in the TEST_DATABASE_URL database.
func OpenPostgres(t testing.TB) *DB {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
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
	return open(t, u.String())
}

// TestDataKey is the fixed data key of the tests (ID numbers are encrypted
// at rest under it); never a production key.
var TestDataKey = []byte("yanzhen-test-data-key-32-bytes!!")

func open(t testing.TB, rawURL string) *DB {
	t.Helper()
	if !pii.HasDataKey() {
		if err := pii.SetDataKey(TestDataKey); err != nil {
			t.Fatal(err)
		}
	}
	var counter *database.Counter
	db, err := database.Open(context.Background(), rawURL, database.Options{
		WrapDriver: func(d dialect.Driver) dialect.Driver {
			counter = database.NewCounter(d)
			return counter
		},
	})
	if err != nil {
		t.Fatalf("opening %s: %v", rawURL, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &DB{DB: db, Statements: counter, URL: rawURL}
}
