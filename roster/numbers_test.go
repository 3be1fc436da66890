package roster

import (
	"context"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
)

// TestPersonNumbersOfOtherCountiesStayHidden: a county's roster may use a
// 人员编号 that another county already uses. The import neither fails nor
// says anything about the other county's person: it files its own. Seen
// together (as the system), the same number naming two people is refused
// as ambiguous rather than guessed.
func TestPersonNumbersOfOtherCountiesStayHidden(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		people := func(no, name, village string) *Workbook {
			h := headerOf(People)
			row := make([]string, len(h))
			for i, c := range h {
				switch c {
				case colPersonNo:
					row[i] = no
				case colPersonName:
					row[i] = name
				case colHomeVillage:
					row[i] = village
				}
			}
			return &Workbook{Sheets: []*Sheet{sheet("人员", h, row)}}
		}
		mustImport(t, db, people("P-001", "沙市的人", "421002001201"), ImportOptions{})

		u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
			Username: "tumed", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		county := auth.NewContext(context.Background(), accounts.ViewerOf(u))
		rep, err := Import(county, db.DB, people("P-001", "土右的人", "150221101201"), ImportOptions{})
		if err != nil || !rep.OK() || !rep.Written {
			t.Fatalf("the county's own number was refused: %v\n%s", err, rep)
		}
		for _, p := range rep.Problems {
			if p.Value == "沙市的人" || p.Text.Zh != "" {
				t.Fatalf("the report speaks of the other county: %+v", p)
			}
		}
		if n := db.Client.Person.Query().Where(person.ExternalID("P-001")).CountX(sys); n != 2 {
			t.Fatalf("%d people numbered P-001, want one per county", n)
		}
		// The county's re-import matches its own person only.
		rep, err = Import(county, db.DB, people("P-001", "土右的人", "150221101201"), ImportOptions{})
		if err != nil || rep.Changed() != 0 {
			t.Fatalf("re-import: %v\n%s", err, rep)
		}
		// The system sees both: the number is ambiguous, and said to be.
		rep, _ = Import(sys, db.DB, people("P-001", "谁", "150221101201"), ImportOptions{DryRun: true})
		if rep.OK() || len(rep.Problems) != 1 || rep.Problems[0].Column != colPersonNo {
			t.Fatalf("an ambiguous number was not refused: %s", rep)
		}
	})
}
