package database_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yanzhen/database"
	"yanzhen/database/dbtest"
)

// TestDuplicateIDNumbersStopTheMigration: a database of an earlier release
// may hold two people with one ID number; the step before the unique index
// stops the migration naming them, instead of the engine's message.
func TestDuplicateIDNumbersStopTheMigration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := context.Background()
		var step *database.Step
		for i := range database.Steps {
			if database.Steps[i].Name == "check_unique_id_numbers" {
				step = &database.Steps[i]
			}
		}
		if step == nil {
			t.Fatal("no check_unique_id_numbers step")
		}
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := step.Run(ctx, tx, db.Client.Keys); err != nil {
			t.Fatalf("a database without duplicates is refused: %v", err)
		}
		// The earlier release's schema: no unique index, two files of one number.
		if _, err := tx.ExecContext(ctx, `DROP INDEX person_id_number_hash_unique`); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"甲", "乙"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO persons (created_at, updated_at, name, id_number_hash) VALUES ($1, $1, $2, 'same')`, time.Now(), name); err != nil {
				t.Fatal(err)
			}
		}
		err = step.Run(ctx, tx, db.Client.Keys)
		if err == nil || !strings.Contains(err.Error(), "1 ID numbers are held by more than one person") {
			t.Fatalf("duplicates not reported: %v", err)
		}
	})
}
