// Package database opens the store behind Yanzhen: an embedded SQLite file by
// default, PostgreSQL when given a postgres:// URL. Both sit behind the same
// ent client; nothing above this package knows which one it talks to.
package database

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"yanzhen/ent"
	_ "yanzhen/ent/runtime" // schema hooks and defaults
	"yanzhen/pii"
)

// DefaultSQLitePath is where the embedded database lives when no URL is given.
const DefaultSQLitePath = "data/yanzhen.db"

// DefaultConnectTimeout bounds the opening of one PostgreSQL connection
// unless the URL sets connect_timeout (in seconds).
const DefaultConnectTimeout = 5 * time.Second

// DB is an open database: the ent client and the pool under it.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	// Location names the database for logs, without credentials.
	Location string
	// Replicas routes reads to the streaming replicas (nil without any):
	// the ent client's driver, kept here for /readyz and for recording
	// writes (see Router).
	Replicas *Router
}

// Options tune how the database is opened.
type Options struct {
	// WrapDriver, when set, wraps the ent driver (tests count statements).
	WrapDriver func(dialect.Driver) dialect.Driver
	// StatementTimeout bounds each PostgreSQL statement (0: server default).
	StatementTimeout time.Duration
	// Keys seal and open personal data (ID numbers); the client carries
	// them (ent.Keys). Without them such data can be neither written nor read.
	Keys *pii.Keys
	// ReplicaURLs are PostgreSQL streaming replicas of the primary
	// (YANZHEN_REPLICA_URLS): the reads of read-only operations go to them
	// (see Router). Refused for SQLite.
	ReplicaURLs []string
	// ReadYourWrites is how long a viewer's write keeps that viewer's reads
	// off the replicas that have not replayed it (0: DefaultReadYourWrites).
	ReadYourWrites time.Duration
	// ReplicaCheck is how often the replicas are checked (0: DefaultReplicaCheck).
	ReplicaCheck time.Duration
}

// Open connects to rawURL: "" for the embedded default, "sqlite:PATH" or a
// path ending in .db for another SQLite file, "postgres://…" for PostgreSQL.
func Open(ctx context.Context, rawURL string, opts Options) (*DB, error) {
	primaryName := ""
	if len(opts.ReplicaURLs) > 0 {
		if !isPostgres(rawURL) {
			return nil, fmt.Errorf("YANZHEN_REPLICA_URLS needs a PostgreSQL primary (DATABASE_URL=postgres://…); an SQLite database has no replicas / 只读副本仅支持 PostgreSQL")
		}
		primaryName = "yanzhen-primary"
	}
	dia, loc, db, err := openSQL(rawURL, primaryName, opts)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w", loc, err)
	}
	primary := entsql.OpenDB(dia, db)
	var d dialect.Driver = primary
	var router *Router
	if len(opts.ReplicaURLs) > 0 {
		// A replica that does not answer now is not an error: the server
		// runs on the primary, and the health check takes the replica into
		// the rotation once it answers.
		var replicas []*Replica
		for i, u := range opts.ReplicaURLs {
			name := fmt.Sprintf("yanzhen-replica-%d", i+1)
			var rloc string
			var rdb, check *sql.DB
			if _, perr := url.Parse(u); perr != nil || !isPostgres(u) {
				err = fmt.Errorf("not a valid postgres:// URL")
			} else if _, rloc, rdb, err = openSQL(u, name, opts); err == nil {
				if _, _, check, err = openSQL(u, name+" health", opts); err == nil {
					check.SetMaxOpenConns(1)
				} else {
					rdb.Close()
				}
			}
			if err != nil {
				db.Close()
				for _, r := range replicas {
					r.db.Close()
					r.check.Close()
				}
				return nil, fmt.Errorf("YANZHEN_REPLICA_URLS, replica %d: %w", i+1, err)
			}
			replicas = append(replicas, &Replica{Name: name, Location: rloc, db: rdb, drv: entsql.OpenDB(dia, rdb), check: check})
		}
		window := cmp.Or(opts.ReadYourWrites, DefaultReadYourWrites)
		router = newRouter(primary, replicas, window, cmp.Or(opts.ReplicaCheck, DefaultReplicaCheck))
		d = router
	}
	// Outside the router, so that every engine and replica gets COUNT(*).
	d = countStar{d}
	if opts.WrapDriver != nil {
		d = opts.WrapDriver(d)
	}
	return &DB{Client: ent.NewClient(ent.Driver(d), ent.Keys(opts.Keys)), SQL: db, Dialect: dia, Location: loc, Replicas: router}, nil
}

func isPostgres(rawURL string) bool {
	return strings.HasPrefix(rawURL, "postgres://") || strings.HasPrefix(rawURL, "postgresql://")
}

// openSQL opens the pool of rawURL; appName, when set, is the
// application_name of its connections unless the URL gives one.
func openSQL(rawURL, appName string, opts Options) (dia, loc string, db *sql.DB, err error) {
	switch {
	case isPostgres(rawURL):
		u, perr := url.Parse(rawURL)
		if perr != nil {
			return "", "", nil, fmt.Errorf("DATABASE_URL is not a valid URL")
		}
		q := u.Query()
		if appName != "" && q.Get("application_name") == "" {
			q.Set("application_name", appName)
		}
		if opts.StatementTimeout > 0 {
			// lib/pq passes unknown parameters to the server as run-time settings.
			q.Set("statement_timeout", fmt.Sprint(opts.StatementTimeout.Milliseconds()))
		}
		if q.Get("connect_timeout") == "" {
			// Without it a connection to an unreachable host waits for the
			// operating system (minutes), and so does every request while
			// the database is down.
			q.Set("connect_timeout", fmt.Sprint(int(DefaultConnectTimeout.Seconds())))
		}
		u.RawQuery = q.Encode()
		db, err = sql.Open("postgres", u.String())
		if err != nil {
			return "", "", nil, err
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		// Renew connections now and then, so that a failover or a
		// restarted pooler is picked up without waiting for an error.
		db.SetConnMaxLifetime(30 * time.Minute)
		return dialect.Postgres, "postgres://" + u.Host + u.Path, db, nil
	default:
		path := rawURL
		path = strings.TrimPrefix(path, "sqlite://")
		path = strings.TrimPrefix(path, "sqlite:")
		path = strings.TrimPrefix(path, "file:")
		if path == "" {
			path = DefaultSQLitePath
		}
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return "", "", nil, fmt.Errorf("creating the data directory: %w", err)
		}
		db, err = sql.Open("sqlite", SQLiteDSN(path))
		if err != nil {
			return "", "", nil, err
		}
		return dialect.SQLite, "sqlite:" + path, db, nil
	}
}

// SQLiteDSN is the modernc DSN for a file: foreign keys on, WAL so readers do
// not block the writer, and write transactions that take the lock up front so
// check-then-write rules (one secretary per village, no mentoring cycles)
// cannot interleave.
func SQLiteDSN(path string) string {
	return "file:" + path +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

// Close closes the client and the pool.
func (db *DB) Close() error { return db.Client.Close() }

// KeyFile is where an SQLite database keeps its data key when
// YANZHEN_DATA_KEY is not set: data.key beside the database file. It is ""
// for PostgreSQL, which must be given the key.
func KeyFile(rawURL string) string {
	switch {
	case rawURL == "":
		return filepath.Join(filepath.Dir(DefaultSQLitePath), "data.key")
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return ""
	}
	p := strings.TrimPrefix(rawURL, "sqlite://")
	p = strings.TrimPrefix(p, "sqlite:")
	p = strings.TrimPrefix(p, "file:")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return filepath.Join(filepath.Dir(p), "data.key")
}
