package divisions

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"yanzhen/database"
	"yanzhen/ent/region"
	"yanzhen/insight/figures"
)

// stored is a region as the database has it.
type stored struct {
	id     int64
	name   string
	level  string
	kind   sql.NullString
	parent sql.NullInt64
}

// change is a row to insert (id 0) or to update.
type change struct {
	id     int64
	code   string
	name   string
	level  string
	kind   sql.NullString
	parent sql.NullInt64
}

// sqliteBatch rows go in one INSERT: 7 parameters a row stays far below
// SQLite's limit of 32766 parameters, and larger batches gain nothing.
const sqliteBatch = 500

// write brings the regions table in line with levels in one transaction.
// Raw SQL rather than ent: ent creates rows one statement at a time (or in
// bulk without COPY), far too slow for 665,276 rows. The statements set
// created_at and updated_at and never id, as every raw writer must.
func write(ctx context.Context, db *database.DB, levels []level, p *progress) (Result, error) {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, fmt.Errorf("importing regions: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	w := &writer{tx: tx, postgres: db.Dialect == dialect.Postgres, now: time.Now().UTC()}
	if w.postgres {
		// The import is a batch job: the server's per-statement limit is for
		// requests. Two imports at once queue here instead of one failing on
		// the unique code; readers and writers of other tables are not held.
		for _, q := range []string{
			"SET LOCAL statement_timeout = 0",
			"LOCK TABLE regions IN SHARE ROW EXCLUSIVE MODE",
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return Result{}, fmt.Errorf("importing regions: preparing the transaction: %w", err)
			}
		}
	}
	have, err := w.load(ctx)
	if err != nil {
		return Result{}, err
	}

	var res Result
	for _, l := range levels {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		lr := LevelResult{File: l.file, Level: l.level}
		var adds, updates []change
		for _, e := range l.rows {
			c := change{code: e.code, name: e.name, level: string(l.level)}
			if e.kind != "" {
				c.kind = sql.NullString{String: string(e.kind), Valid: true}
			}
			if e.parent != "" {
				// Present: the parent's level came before and is written.
				c.parent = sql.NullInt64{Int64: have[e.parent].id, Valid: true}
			}
			old, ok := have[e.code]
			switch {
			case !ok:
				adds = append(adds, c)
			case old.name == c.name && old.level == c.level && old.kind == c.kind && old.parent == c.parent:
				lr.Unchanged++
			default:
				c.id = old.id
				updates = append(updates, c)
			}
		}
		lr.Added, lr.Renamed = len(adds), len(updates)
		total := len(l.rows)
		progressFrom := func(base int) func(n int) {
			return func(n int) { p.writing(l.file, lr.Unchanged+base+n, total) }
		}
		progressFrom(0)(0)
		if err := w.insert(ctx, adds, progressFrom(0)); err != nil {
			return Result{}, fmt.Errorf("importing %s: %w", l.file, err)
		}
		if err := w.update(ctx, updates, progressFrom(len(adds))); err != nil {
			return Result{}, fmt.Errorf("importing %s: %w", l.file, err)
		}
		// The next level needs the ids of the regions just added.
		if len(adds) > 0 && l.level != region.LevelVILLAGE {
			if err := w.loadIDs(ctx, l.level, have); err != nil {
				return Result{}, err
			}
		}
		p.fileDone(l.file, lr.Counts)
		res.Levels = append(res.Levels, lr)
	}
	// Regions changed under the kept figures (region_figures) without
	// the ent hooks: all are out of date.
	if err := figures.All(ctx, tx); err != nil {
		return Result{}, fmt.Errorf("importing regions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Result{}, fmt.Errorf("importing regions: %w", err)
	}
	committed = true
	return res, nil
}

type writer struct {
	tx       *sql.Tx
	postgres bool
	now      time.Time
}

// arg returns the n-th (from 1) placeholder of the dialect.
func (w *writer) arg(n int) string {
	if w.postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

func (w *writer) load(ctx context.Context) (map[string]stored, error) {
	rows, err := w.tx.QueryContext(ctx, "SELECT id, code, name, level, kind, parent_id FROM regions")
	if err != nil {
		return nil, fmt.Errorf("importing regions: reading the regions: %w", err)
	}
	defer rows.Close()
	have := make(map[string]stored, 700000)
	for rows.Next() {
		var s stored
		var code string
		if err := rows.Scan(&s.id, &code, &s.name, &s.level, &s.kind, &s.parent); err != nil {
			return nil, fmt.Errorf("importing regions: reading the regions: %w", err)
		}
		have[code] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("importing regions: reading the regions: %w", err)
	}
	return have, nil
}

// loadIDs records the ids of a level's regions (after an insert) in have.
func (w *writer) loadIDs(ctx context.Context, level region.Level, have map[string]stored) error {
	rows, err := w.tx.QueryContext(ctx, "SELECT id, code FROM regions WHERE level = "+w.arg(1), string(level))
	if err != nil {
		return fmt.Errorf("importing regions: reading new ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return fmt.Errorf("importing regions: reading new ids: %w", err)
		}
		if s, ok := have[code]; !ok || s.id != id {
			have[code] = stored{id: id}
		}
	}
	return rows.Err()
}

var insertColumns = []string{"created_at", "updated_at", "code", "name", "level", "kind", "parent_id"}

func (w *writer) insert(ctx context.Context, adds []change, done func(int)) error {
	if len(adds) == 0 {
		return nil
	}
	if w.postgres {
		return w.copyIn(ctx, "regions", insertColumns, len(adds), func(i int) []any {
			c := adds[i]
			return []any{w.now, w.now, c.code, c.name, c.level, c.kind, c.parent}
		}, done)
	}
	var stmt *sql.Stmt
	for start := 0; start < len(adds); start += sqliteBatch {
		batch := adds[start:min(start+sqliteBatch, len(adds))]
		args := make([]any, 0, len(batch)*len(insertColumns))
		for _, c := range batch {
			args = append(args, w.now, w.now, c.code, c.name, c.level, c.kind, c.parent)
		}
		q := w.insertSQL(len(batch))
		var err error
		if len(batch) == sqliteBatch {
			// Full batches share one prepared statement.
			if stmt == nil {
				if stmt, err = w.tx.PrepareContext(ctx, q); err != nil {
					return err
				}
				defer stmt.Close()
			}
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = w.tx.ExecContext(ctx, q, args...)
		}
		if err != nil {
			return err
		}
		done(start + len(batch))
	}
	return nil
}

func (w *writer) insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO regions (" + strings.Join(insertColumns, ", ") + ") VALUES ")
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range insertColumns {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(w.arg(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

func (w *writer) update(ctx context.Context, updates []change, done func(int)) error {
	if len(updates) == 0 {
		return nil
	}
	if w.postgres {
		// COPY the new values into a scratch table and update from it in one
		// statement: a rename of every village stays one round trip.
		for _, q := range []string{
			"CREATE TEMP TABLE IF NOT EXISTS divisions_changes (id bigint PRIMARY KEY, name text, level text, kind text, parent_id bigint) ON COMMIT DROP",
			"TRUNCATE divisions_changes",
		} {
			if _, err := w.tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		err := w.copyIn(ctx, "divisions_changes", []string{"id", "name", "level", "kind", "parent_id"}, len(updates), func(i int) []any {
			c := updates[i]
			return []any{c.id, c.name, c.level, c.kind, c.parent}
		}, func(int) {})
		if err != nil {
			return err
		}
		_, err = w.tx.ExecContext(ctx, `UPDATE regions AS r SET name = c.name, level = c.level, kind = c.kind,
			parent_id = c.parent_id, updated_at = $1 FROM divisions_changes AS c WHERE r.id = c.id`, w.now)
		if err == nil {
			done(len(updates))
		}
		return err
	}
	stmt, err := w.tx.PrepareContext(ctx, "UPDATE regions SET name = ?, level = ?, kind = ?, parent_id = ?, updated_at = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, c := range updates {
		if _, err := stmt.ExecContext(ctx, c.name, c.level, c.kind, c.parent, w.now, c.id); err != nil {
			return err
		}
		if (i+1)%sqliteBatch == 0 || i+1 == len(updates) {
			done(i + 1)
		}
	}
	return nil
}

// copyIn streams n rows into table with PostgreSQL's COPY (lib/pq buffers
// them and sends them in large messages), the fastest way in.
func (w *writer) copyIn(ctx context.Context, table string, columns []string, n int, row func(int) []any, done func(int)) error {
	stmt, err := w.tx.PrepareContext(ctx, "COPY "+table+" ("+strings.Join(columns, ", ")+") FROM STDIN")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return err
		}
		if (i+1)%5000 == 0 {
			done(i + 1)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	done(n)
	return nil
}
