package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"yanzhen/pii"
)

// checkUniqueIDNumbers runs just before the migration that makes
// persons.id_number_hash unique (one file per person, 一人一档). Releases
// before it let createPerson file a second person with the same ID number;
// the index would then fail with an engine message naming no one. This step
// fails instead with the people concerned, so the operator knows whom to
// correct (on the release still running, which has no mergePeople yet).
func checkUniqueIDNumbers(ctx context.Context, tx *sql.Tx, _ *pii.Keys) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, id_number_hash FROM persons WHERE id_number_hash IN
		(SELECT id_number_hash FROM persons WHERE id_number_hash IS NOT NULL GROUP BY id_number_hash HAVING COUNT(*) > 1)
		ORDER BY id_number_hash, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	groups := map[string][]string{}
	var order []string
	for rows.Next() {
		var id int64
		var hash string
		if err := rows.Scan(&id, &hash); err != nil {
			return err
		}
		if groups[hash] == nil {
			order = append(order, hash)
		}
		groups[hash] = append(groups[hash], fmt.Sprint(id))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(order) == 0 {
		return nil
	}
	var sets []string
	for _, h := range order {
		sets = append(sets, "{"+strings.Join(groups[h], ", ")+"}")
	}
	return fmt.Errorf("%d ID numbers are held by more than one person (database IDs %s): correct or clear the wrong ones, or delete the duplicate files, then migrate again / 有身份证号对应多人，请先更正或删除重复档案后再迁移",
		len(order), strings.Join(sets, " "))
}
