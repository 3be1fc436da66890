package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"yanzhen/ent/migrate/migrations"
	"yanzhen/pii"
)

// Versioned migrations. The schema is changed only by the migration files
// under ent/migrate/migrations/<dialect>/ (written from the ent schema by
// ent/migrate/main.go, or by hand), embedded in the binary, plus the Go
// steps below: data changes that need the running program (the data key).
//
// Files and Go steps share one sequence of versions (the timestamp prefix
// of a file name, the Version of a step) and run in version order, so a Go
// step sees exactly the schema of the files before it; a step runs on both
// dialects, a file only on its own. Each runs in one transaction, recorded
// in the same transaction in the revisions table, except files that begin
// with `-- atlas:txmode none` (CREATE INDEX CONCURRENTLY cannot run in a
// transaction): their statements run one by one and must be safe to repeat
// (IF NOT EXISTS), since an interruption leaves the version unrecorded.

// RevisionsTable records the applied versions.
const RevisionsTable = "yanzhen_schema_revisions"

// BaselineVersion is the first migration: the schema of the release before
// versioned migrations, whose databases were made by ent's auto-migration.
// Such a database is recognised by its tables and recorded as being at this
// version without running it.
const BaselineVersion = "20261130000000"

// Step is a migration written in Go. It runs in tx, with the data key of
// the database's client; it must not assume the data it changes exists (a
// fresh database has none).
type Step struct {
	Version string // the timestamp that places it among the files
	Name    string
	Run     func(ctx context.Context, tx *sql.Tx, keys *pii.Keys) error
}

// Steps are the Go migrations, in version order.
var Steps = []Step{
	{Version: "20261130000001", Name: "encrypt_id_numbers", Run: encryptIDNumbers},
	{Version: "20261130192754", Name: "fill_person_search_keys", Run: fillPersonSearchKeys},
	// Before the person_identity files (…194938 and …194939), which add the
	// unique index on persons.id_number_hash.
	{Version: "20261130194937", Name: "check_unique_id_numbers", Run: checkUniqueIDNumbers},
	// After the person_places files (…214123 SQLite, …214131 PostgreSQL)
	// that create the table.
	{Version: "20261130214140", Name: "fill_person_places", Run: fillPersonPlaces},
}

// Migration is one entry of the sequence: a file or a Go step.
type Migration struct {
	Version, Name string
	// NoTx: the file runs outside a transaction (`-- atlas:txmode none`).
	NoTx  bool
	stmts []string
	step  *Step
}

func (m Migration) String() string {
	kind := "sql"
	if m.step != nil {
		kind = "go"
	}
	return fmt.Sprintf("%s %s (%s)", m.Version, m.Name, kind)
}

// Migrations is the sequence of a dialect: the embedded files, checked
// against their atlas.sum, merged with the Go steps.
func Migrations(dialectName string) ([]Migration, error) {
	return loadMigrations(migrations.FS, dialectName, Steps)
}

func dirOf(dialectName string) string {
	if dialectName == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

func loadMigrations(fsys fs.FS, dialectName string, steps []Step) ([]Migration, error) {
	sub, err := fs.Sub(fsys, dirOf(dialectName))
	if err != nil {
		return nil, err
	}
	dir := fsDir{sub}
	if err := atlasmigrate.Validate(dir); err != nil {
		var ce *atlasmigrate.ChecksumError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("the %s migrations do not match their atlas.sum (%s %s): refusing to migrate", dirOf(dialectName), ce.File, ce.Reason)
		}
		return nil, fmt.Errorf("the %s migrations do not match their atlas.sum: %w: refusing to migrate", dirOf(dialectName), err)
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	var all []Migration
	for _, f := range files {
		stmts, err := f.Stmts()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name(), err)
		}
		lf := f.(*atlasmigrate.LocalFile)
		all = append(all, Migration{Version: f.Version(), Name: f.Desc(), NoTx: slices.Contains(lf.Directive("txmode"), "none"), stmts: stmts})
	}
	for i := range steps {
		all = append(all, Migration{Version: steps[i].Version, Name: steps[i].Name, step: &steps[i]})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	for i := 1; i < len(all); i++ {
		if all[i].Version == all[i-1].Version {
			return nil, fmt.Errorf("two migrations have the version %s (%s, %s)", all[i].Version, all[i-1].Name, all[i].Name)
		}
	}
	if len(all) == 0 || all[0].Version != BaselineVersion {
		return nil, fmt.Errorf("the first %s migration is not the baseline %s", dirOf(dialectName), BaselineVersion)
	}
	return all, nil
}

// fsDir is an atlas migration directory read from an fs.FS (the embedded
// files), so that atlas validates it against its atlas.sum.
type fsDir struct{ fs.FS }

func (fsDir) WriteFile(string, []byte) error {
	return errors.New("the embedded migrations are read-only")
}

func (d fsDir) Files() ([]atlasmigrate.File, error) {
	names, err := fs.Glob(d.FS, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	files := make([]atlasmigrate.File, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(d.FS, n)
		if err != nil {
			return nil, err
		}
		files = append(files, atlasmigrate.NewLocalFile(n, b))
	}
	return files, nil
}

func (d fsDir) Checksum() (atlasmigrate.HashFile, error) {
	files, err := d.Files()
	if err != nil {
		return nil, err
	}
	return atlasmigrate.NewHashFile(files)
}

// Status is where a database stands in the sequence.
type Status struct {
	Applied []AppliedMigration
	// Pending are the migrations that migrating would run.
	Pending []Migration
	// PreviousRelease: the database was made by the release before versioned
	// migrations (its tables, no revisions); migrating records the baseline
	// without running it (so it is not among Pending).
	PreviousRelease bool
}

// AppliedMigration is a row of the revisions table.
type AppliedMigration struct {
	Version, Name string
	AppliedAt     time.Time
}

// Behind reports whether migrating would change anything.
func (s *Status) Behind() bool { return len(s.Pending) > 0 || s.PreviousRelease }

// MigrationStatus reads the revisions table and compares it with the sequence.
func (db *DB) MigrationStatus(ctx context.Context) (*Status, error) {
	all, err := Migrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	return db.status(ctx, db.SQL, all)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) status(ctx context.Context, q querier, all []Migration) (*Status, error) {
	tables, err := db.tableNames(ctx, q)
	if err != nil {
		return nil, err
	}
	st := &Status{}
	if tables[RevisionsTable] {
		rows, err := q.QueryContext(ctx, `SELECT version, name, applied_at FROM `+RevisionsTable+` ORDER BY version`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var a AppliedMigration
			if err := rows.Scan(&a.Version, &a.Name, &a.AppliedAt); err != nil {
				return nil, err
			}
			st.Applied = append(st.Applied, a)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// An empty revisions table is a first migration that stopped between
	// creating it and recording anything: the tables tell again.
	if len(st.Applied) == 0 {
		if st.PreviousRelease, err = previousRelease(tables, all[0]); err != nil {
			return nil, fmt.Errorf("%s: %w", db.Location, err)
		}
	}
	done := map[string]bool{}
	for _, a := range st.Applied {
		done[a.Version] = true
	}
	known := map[string]bool{}
	for i, m := range all {
		known[m.Version] = true
		if !done[m.Version] && !(i == 0 && st.PreviousRelease) {
			st.Pending = append(st.Pending, m)
		}
	}
	for _, a := range st.Applied {
		if !known[a.Version] {
			return nil, fmt.Errorf("%s is at migration %s (%s), which this program does not know: it was migrated by a newer version of yanzhen", db.Location, a.Version, a.Name)
		}
	}
	return st, nil
}

var createTable = regexp.MustCompile("(?i)^\\s*CREATE TABLE\\s+[`\"]?(\\w+)")

// previousRelease tells a database of the release before versioned
// migrations (every table of the baseline, no revisions table) from an
// empty one (none of them); anything between is refused rather than guessed
// at.
func previousRelease(tables map[string]bool, baseline Migration) (bool, error) {
	var found, missing []string
	for _, s := range baseline.stmts {
		if m := createTable.FindStringSubmatch(s); m != nil {
			if tables[m[1]] {
				found = append(found, m[1])
			} else {
				missing = append(missing, m[1])
			}
		}
	}
	switch {
	case len(found) == 0:
		return false, nil
	case len(missing) == 0:
		return true, nil
	}
	return false, fmt.Errorf("the database has some tables of Yanzhen (%s) but not all (missing %s) and no %s table: "+
		"it was not made by a release of Yanzhen, refusing to migrate it", strings.Join(found, ", "), strings.Join(missing, ", "), RevisionsTable)
}

func (db *DB) tableNames(ctx context.Context, q querier) (map[string]bool, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialect == dialect.Postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("listing the tables of %s: %w", db.Location, err)
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names[n] = true
	}
	return names, rows.Err()
}

// MigrateUp applies the pending migrations in order and returns them (none
// when the database is up to date). A database of the release before
// versioned migrations is first recorded at the baseline. On PostgreSQL an
// advisory lock keeps two servers from migrating the same schema at once.
func (db *DB) MigrateUp(ctx context.Context) ([]Migration, error) {
	all, err := Migrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	return db.migrateUp(ctx, all)
}

func (db *DB) migrateUp(ctx context.Context, all []Migration) (applied []Migration, err error) {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if db.Dialect == dialect.Postgres {
		const key = `hashtext('yanzhen migrate ' || current_schema())`
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
			return nil, fmt.Errorf("waiting for the migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+key+`)`)
	}
	st, err := db.status(ctx, conn, all)
	if err != nil {
		return nil, err
	}
	if err := db.createRevisions(ctx, conn); err != nil {
		return nil, err
	}
	if st.PreviousRelease {
		if _, err := conn.ExecContext(ctx, `INSERT INTO `+RevisionsTable+` (version, name, applied_at) VALUES ($1, $2, $3)`,
			all[0].Version, all[0].Name+" (found, made by the previous release)", time.Now().UTC()); err != nil {
			return nil, err
		}
	}
	for _, m := range st.Pending {
		if err := db.apply(ctx, conn, m); err != nil {
			return applied, fmt.Errorf("migration %s: %w", m, err)
		}
		applied = append(applied, m)
	}
	return applied, nil
}

func (db *DB) createRevisions(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+RevisionsTable+
		` (version varchar(14) NOT NULL PRIMARY KEY, name varchar(255) NOT NULL, applied_at timestamp NOT NULL)`)
	return err
}

func (db *DB) apply(ctx context.Context, conn *sql.Conn, m Migration) error {
	record := func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO `+RevisionsTable+` (version, name, applied_at) VALUES ($1, $2, $3)`, m.Version, m.Name, time.Now().UTC())
		return err
	}
	if m.NoTx {
		for _, s := range m.stmts {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return record(conn)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if m.step != nil {
		if err := m.step.Run(ctx, tx, db.Client.Keys); err != nil {
			return err
		}
	}
	for _, s := range m.stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w\n\tin: %s", err, firstLine(s))
		}
	}
	if err := record(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}
