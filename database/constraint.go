package database

import (
	"errors"
	"slices"
	"strings"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"yanzhen/ent/migrate"
)

// ConstraintKind is what kind of rule of the schema a statement broke.
type ConstraintKind int

const (
	// OtherConstraint: a check, not-null or exclusion constraint.
	OtherConstraint ConstraintKind = iota
	// Unique: a unique index or primary key.
	Unique
	// ForeignKey: a reference to a row that does not exist (or a delete
	// of a row still referenced).
	ForeignKey
)

// Constraint is a rule of the schema a statement broke, the same on both
// engines: its kind and, when it can be known, the name the ent schema gives
// it (StorageKey), so callers explain a named rule without reading engine
// messages.
type Constraint struct {
	Kind ConstraintKind
	Name string
}

// Violated reports which constraint err says a statement broke, if any.
// PostgreSQL names the constraint; SQLite names the table and columns of a
// unique index ("UNIQUE constraint failed: posts.region_id, posts.seat"),
// which are looked up among the unique indexes of the ent schema.
func Violated(err error) (Constraint, bool) {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505":
			return Constraint{Unique, pqErr.Constraint}, true
		case "23503":
			return Constraint{ForeignKey, pqErr.Constraint}, true
		}
		if pqErr.Code.Class() == "23" {
			return Constraint{OtherConstraint, pqErr.Constraint}, true
		}
		return Constraint{}, false
	}
	var sqErr *sqlite.Error
	if !errors.As(err, &sqErr) {
		return Constraint{}, false
	}
	switch sqErr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return Constraint{Unique, uniqueIndexOf(sqErr.Error())}, true
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return Constraint{Kind: ForeignKey}, true
	}
	if sqErr.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return Constraint{Kind: OtherConstraint}, true
	}
	return Constraint{}, false
}

// uniqueIndexOf finds the unique index or column of the ent schema that
// SQLite's message names by table and columns ("… constraint failed:
// posts.region_id, posts.seat (2067)"). A unique column gets PostgreSQL's
// name for it (table_column_key), so both engines answer alike.
func uniqueIndexOf(msg string) string {
	i := strings.LastIndex(msg, "constraint failed: ")
	if i < 0 {
		return ""
	}
	cols := msg[i+len("constraint failed: "):]
	if j := strings.LastIndex(cols, " ("); j >= 0 {
		cols = cols[:j] // the extended result code
	}
	var table string
	var columns []string
	for _, tc := range strings.Split(cols, ", ") {
		t, c, ok := strings.Cut(tc, ".")
		if !ok || (table != "" && t != table) {
			return ""
		}
		table = t
		columns = append(columns, c)
	}
	slices.Sort(columns)
	for _, t := range migrate.Tables {
		if t.Name != table {
			continue
		}
		for _, idx := range t.Indexes {
			var names []string
			for _, c := range idx.Columns {
				names = append(names, c.Name)
			}
			slices.Sort(names)
			if idx.Unique && slices.Equal(names, columns) {
				return idx.Name
			}
		}
		for _, c := range t.Columns {
			if c.Unique && len(columns) == 1 && c.Name == columns[0] {
				return table + "_" + c.Name + "_key"
			}
		}
	}
	return ""
}
