package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"yanzhen/insight/searchkey"
	"yanzhen/pii"
	"yanzhen/scope/places"
)

// encryptIDNumbers encrypts the ID numbers that a release before their
// encryption stored in clear (and fills their keyed hash), so that the
// upgraded data stays readable. Until versioned migrations it ran at every
// start; as a step it runs once, and finds nothing to do on a database that
// never held a clear ID number.
func encryptIDNumbers(ctx context.Context, tx *sql.Tx, keys *pii.Keys) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, id_number FROM persons WHERE id_number IS NOT NULL AND id_number <> '' AND id_number NOT LIKE 'v1:%'`)
	if err != nil {
		return err
	}
	type clear struct {
		id  int64
		num string
	}
	var todo []clear
	for rows.Next() {
		var c clear
		if err := rows.Scan(&c.id, &c.num); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range todo {
		sealed, err := keys.Encrypt(c.num)
		if err != nil {
			return fmt.Errorf("encrypting stored ID numbers: %w", err)
		}
		hash, err := keys.HashIDNumber(c.num)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET id_number = $1, id_number_hash = $2 WHERE id = $3`, sealed, hash, c.id); err != nil {
			return err
		}
	}
	return nil
}

// fillBatch is how many people fillPersonSearchKeys reads at a time: the
// step holds one batch of names and keys in memory, not the whole table,
// and each insert of a batch's keys (at most 16 a person, 4 values a key)
// stays below SQLite's limit of bound values.
const fillBatch = 400

// fillPersonSearchKeys gives every person without search keys the keys of
// their name (searchkey.Keys: each reading's pinyin and initials), which the
// person_search_keys migration before it left empty for the people of
// earlier releases. It walks the table by ID in batches and writes each
// batch with one multi-row insert, so a large table costs a few statements
// per fillBatch people. Runs on both engines; on a fresh database it finds
// nobody.
func fillPersonSearchKeys(ctx context.Context, tx *sql.Tx, _ *pii.Keys) error {
	after := int64(0)
	for {
		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name FROM persons p
			WHERE p.id > $1 AND NOT EXISTS (SELECT 1 FROM person_search_keys k WHERE k.person_id = p.id)
			ORDER BY p.id LIMIT $2`, after, fillBatch)
		if err != nil {
			return err
		}
		type named struct {
			id   int64
			name string
		}
		var batch []named
		for rows.Next() {
			var n named
			if err := rows.Scan(&n.id, &n.name); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		var (
			values []string
			args   []any
		)
		for _, n := range batch {
			for _, k := range searchkey.Keys(n.name) {
				values = append(values, fmt.Sprintf("($%d, $%d, $%d)", len(args)+1, len(args)+2, len(args)+3))
				args = append(args, n.id, string(k.Kind), k.Text)
			}
		}
		if len(values) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO person_search_keys (person_id, kind, key) VALUES `+strings.Join(values, ", "), args...); err != nil {
				return fmt.Errorf("filling search keys: %w", err)
			}
		}
		after = batch[len(batch)-1].id
	}
}

// fillPersonPlaces derives person_places, which scope.People reads, from
// the links of the people already on file; from then on the link hooks
// keep it. Two statements whatever the size.
func fillPersonPlaces(ctx context.Context, tx *sql.Tx, _ *pii.Keys) error {
	return places.FillAll(ctx, tx)
}
