package roster

import (
	"context"
	"fmt"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/pii"
)

// An import by a user records every row it writes (the entity hooks' CREATE
// and UPDATE entries) and one IMPORT entry, all in one batch: the
// statements of an import do not grow by two per row (a region lookup and
// an INSERT into the log), as they did when each row wrote its own entry.
// One statement per row is left, not the log's: the privacy policy reads
// the region of each person's home village.
func TestImportAuditIsOneBatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
			Username: "tumed", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		county := auth.NewContext(context.Background(), accounts.ViewerOf(u))
		h := headerOf(People)
		roster := func(from, n int) *Workbook {
			var rows [][]string
			for i := from; i < from+n; i++ {
				row := make([]string, len(h))
				for j, c := range h {
					switch c {
					case colPersonNo:
						row[j] = fmt.Sprintf("P-%04d", i)
					case colPersonName:
						row[j] = fmt.Sprintf("村民%d", i)
					case colHomeVillage:
						row[j] = "150221101201"
					case colPhone:
						row[j] = fmt.Sprintf("138%08d", i)
					}
				}
				rows = append(rows, row)
			}
			return &Workbook{Sheets: []*Sheet{sheet("人员", h, rows...)}}
		}
		statements := func(wb *Workbook) int64 {
			t.Helper()
			before := db.Statements.Count()
			rep, err := Import(county, db.DB, wb, ImportOptions{})
			if err != nil || !rep.Written {
				t.Fatalf("import: %v\n%s", err, rep)
			}
			return db.Statements.Count() - before
		}
		const small, large = 5, 105
		few := statements(roster(0, small))
		many := statements(roster(small, large))
		t.Logf("%s: %d rows, %d statements; %d rows, %d statements", db.Dialect, small, few, large, many)
		if many-few > large-small+2 {
			t.Errorf("%d more rows took %d more statements: the audit is written row by row", large-small, many-few)
		}
		// The people's search keys were written with them, in the batch
		// (村民 cunmin, cm).
		var without int
		if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM persons p WHERE p.name LIKE '村民%' AND
			(SELECT COUNT(*) FROM person_search_keys k WHERE k.person_id = p.id AND k.key LIKE 'cunmin%' OR k.person_id = p.id AND k.key LIKE 'cm%') <> 2`).Scan(&without); err != nil || without != 0 {
			t.Errorf("%d imported people without their 2 search keys (%v)", without, err)
		}

		entries := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionCREATE), auditlog.EntityType("Person")).AllX(sys)
		if len(entries) != small+large {
			t.Fatalf("%d CREATE entries for %d people", len(entries), small+large)
		}
		for _, e := range entries {
			if e.RegionCode != "150221101201" || e.ActorName != "tumed" || len(e.ObjectIds) != 1 {
				t.Fatalf("entry %+v", e)
			}
			if p, ok := e.After["phone"].(string); !ok || p != pii.MaskPhone(p) || len(p) != 11 {
				t.Fatalf("phone in the log: %v", e.After["phone"])
			}
		}
		if n := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionIMPORT)).CountX(sys); n != 2 {
			t.Fatalf("%d IMPORT entries, want 2", n)
		}
		// A re-import with changes records the updates, batched the same way.
		wb := roster(0, small)
		for _, r := range wb.Sheets[0].Rows {
			for j, c := range h {
				if c == colPersonName {
					r.Cells[j] += "改"
				}
			}
		}
		statements(wb)
		if n := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionUPDATE), auditlog.EntityType("Person")).CountX(sys); n != small {
			t.Fatalf("%d UPDATE entries, want %d", n, small)
		}
	})
}
