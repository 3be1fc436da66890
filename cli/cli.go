// Package cli holds the commands of yanzhen other than serve: migrate,
// schema, import, export, demo, user, vocab and documents. server/main.go dispatches to them.
// A command gets everything from its Env (settings, standard streams), so
// tests run it with their own.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"yanzhen/database"
	"yanzhen/pii"
)

// Env is what a command gets from the process.
type Env struct {
	DatabaseURL      string        // DATABASE_URL, or -database
	Production       bool          // YANZHEN_ENV=production
	StatementTimeout time.Duration // YANZHEN_STATEMENT_TIMEOUT (PostgreSQL)
	DataKey          string        // YANZHEN_DATA_KEY (base64); empty: the SQLite key file
	// Keys, when set, are used instead of loading DataKey (tests).
	Keys *pii.Keys
	// AutoMigrate: opening a database that is behind applies the pending
	// migrations (YANZHEN_AUTO_MIGRATE, serve --migrate); otherwise the
	// command refuses to run on it.
	AutoMigrate bool
	// ReplicaURLs and ReadYourWrites: the streaming replicas that serve
	// reads (serve only; see database.Options).
	ReplicaURLs    []string
	ReadYourWrites time.Duration

	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// OpenDatabase opens the database of env with its data key, and makes sure
// its schema is current: migrated when env.AutoMigrate, else refused when
// behind, so that no command writes through a schema it does not know.
func OpenDatabase(ctx context.Context, env Env) (*database.DB, error) {
	db, err := open(ctx, env)
	if err != nil {
		return nil, err
	}
	if env.AutoMigrate {
		applied, err := db.MigrateUp(ctx)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("migrating %s: %w", db.Location, err)
		}
		for _, m := range applied {
			slog.Info("applied migration", "version", m.Version, "name", m.Name, "database", db.Location)
		}
		return db, nil
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if st.Behind() {
		db.Close()
		return nil, behindError(db.Location, st)
	}
	return db, nil
}

func behindError(loc string, st *database.Status) error {
	var what string
	switch {
	case st.PreviousRelease:
		what = fmt.Sprintf("made by the release before versioned migrations; %d migrations to apply after recording it", len(st.Pending))
	case len(st.Applied) == 0:
		what = "it has no schema yet"
	default:
		what = fmt.Sprintf("%d migrations are pending, from %s", len(st.Pending), st.Pending[0])
	}
	return fmt.Errorf("the database %s is behind this version of yanzhen (%s): run `yanzhen migrate` first, "+
		"or set YANZHEN_AUTO_MIGRATE=1 (serve --migrate) to apply them at start / 数据库结构需要升级，请先运行 yanzhen migrate", loc, what)
}

// open opens the database of env with the client carrying the data key.
func open(ctx context.Context, env Env) (*database.DB, error) {
	keys := env.Keys
	if keys == nil {
		var err error
		if keys, err = pii.LoadKeys(env.DataKey, database.KeyFile(env.DatabaseURL)); err != nil {
			return nil, err
		}
	}
	return database.Open(ctx, env.DatabaseURL, database.Options{StatementTimeout: env.StatementTimeout, Keys: keys,
		ReplicaURLs: env.ReplicaURLs, ReadYourWrites: env.ReadYourWrites})
}

// reorderFlags lets flags follow the positional argument (`import roster FILE --dry-run`),
// which the standard flag package would otherwise treat as arguments.
func reorderFlags(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && takesValue(a) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

// takesValue: the flags of the commands that take a value.
func takesValue(flag string) bool {
	switch strings.TrimLeft(flag, "-") {
	case "database", "region", "o", "people", "within", "seed", "as-of", "columns":
		return true
	}
	return false
}
