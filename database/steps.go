package database

import (
	"context"
	"database/sql"
	"fmt"

	"yanzhen/pii"
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
