//go:build ignore

// main.go writes the versioned migrations of the ent schema: one Atlas
// migration file per schema change, for SQLite (ent/migrate/migrations/sqlite)
// and PostgreSQL (ent/migrate/migrations/postgres), each directory with its
// atlas.sum. Run through `go generate ./...` after entc:
//
//	go run -mod=mod ./ent/migrate/main.go [name]   diff the schema, write a file when it changed
//	go run -mod=mod ./ent/migrate/main.go -hash    rehash atlas.sum after adding a hand-written file
//
// The current state is found by replaying the directory on an empty dev
// database (ModeReplay): in-memory SQLite, and for PostgreSQL a throwaway
// database on the server of YANZHEN_DEV_DATABASE_URL or TEST_DATABASE_URL.
// With the schema unchanged nothing is written, which is what lets CI check
// that the committed files are fresh.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"strings"
	"time"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	atlas "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"yanzhen/ent/migrate"
)

const root = "ent/migrate/migrations/"

// dirName is the directory of each dialect's migrations.
var dirName = map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}

func main() {
	hash := flag.Bool("hash", false, "only rewrite atlas.sum of both directories (after adding a hand-written migration)")
	flag.Parse()
	name := "schema"
	if flag.NArg() > 0 {
		name = flag.Arg(0)
	}
	ctx := context.Background()
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		dir, err := atlasmigrate.NewLocalDir(root + dirName[d])
		if err != nil {
			log.Fatal(err)
		}
		if *hash {
			sum, err := dir.Checksum()
			if err == nil {
				err = atlasmigrate.WriteSumFile(dir, sum)
			}
			if err != nil {
				log.Fatalf("%s: %v", d, err)
			}
			continue
		}
		if err := diff(ctx, d, dir, name); err != nil {
			log.Fatalf("%s migrations: %v", d, err)
		}
	}
}

func diff(ctx context.Context, d string, dir *atlasmigrate.LocalDir, name string) error {
	var db *sql.DB
	switch d {
	case dialect.SQLite:
		var err error
		if db, err = sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)"); err != nil {
			return err
		}
		// One connection: every new one to ":memory:" would be another database.
		db.SetMaxOpenConns(1)
	case dialect.Postgres:
		var drop func()
		var err error
		db, drop, err = throwawayPostgres(ctx)
		if err != nil {
			fmt.Printf("go generate: skipping postgres migrations (%v)\n", err)
			return nil
		}
		defer drop()
	}
	defer db.Close()
	m, err := schema.NewMigrate(entsql.OpenDB(d, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithFormatter(atlasmigrate.DefaultFormatter),
		schema.WithDialect(d),
		schema.WithForeignKeys(true),
		schema.WithDiffHook(IgnoreSearchIndexes),
	)
	if err != nil {
		return err
	}
	return m.NamedDiff(ctx, name, migrate.Tables...)
}

// IgnoreSearchIndexes keeps the diff from dropping the trigram indexes of
// the hand-written search migration, which the ent schema does not describe.
// database.TestMigrationsMatchTheEntSchema uses the same rule.
func IgnoreSearchIndexes(next schema.Differ) schema.Differ {
	return schema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
		changes, err := next.Diff(current, desired)
		if err != nil {
			return nil, err
		}
		out := changes[:0]
		for _, c := range changes {
			if m, ok := c.(*atlas.ModifyTable); ok {
				kept := m.Changes[:0]
				for _, tc := range m.Changes {
					if di, ok := tc.(*atlas.DropIndex); ok && strings.HasSuffix(di.I.Name, "_trgm") {
						continue
					}
					kept = append(kept, tc)
				}
				if m.Changes = kept; len(kept) == 0 {
					continue
				}
			}
			out = append(out, c)
		}
		return out, nil
	})
}

// throwawayPostgres creates an empty database beside the one the URL names
// and returns it with a function that drops it.
func throwawayPostgres(ctx context.Context) (*sql.DB, func(), error) {
	raw := os.Getenv("YANZHEN_DEV_DATABASE_URL")
	if raw == "" {
		raw = os.Getenv("TEST_DATABASE_URL")
	}
	if raw == "" {
		return nil, nil, fmt.Errorf("set YANZHEN_DEV_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("the dev database URL does not parse")
	}
	q := u.Query()
	q.Del("search_path")
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "5")
	}
	u.RawQuery = q.Encode()
	admin, err := sql.Open("postgres", u.String())
	if err != nil {
		return nil, nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := admin.PingContext(pctx); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("no PostgreSQL answers at %s", u.Host)
	}
	name := fmt.Sprintf("yanzhen_migrate_dev_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("creating a dev database: %v", err)
	}
	u.Path = "/" + name
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		admin.Close()
		return nil, nil, err
	}
	return db, func() {
		db.Close()
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}, nil
}
