package roster

import (
	"context"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/ent/personexternalkey"
)

// TestOnePersonAcrossCountyRosters: two counties report the same people
// (same 身份证号) under their own 人员编号. Each person is one file; both
// counties' numbers are kept (as keys of their source) and match on their
// next files, even rows without an ID number.
func TestOnePersonAcrossCountyRosters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		admin := func(name, region string) context.Context {
			u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
				Username: name, Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: region, PersonalData: true})
			if err != nil {
				t.Fatal(err)
			}
			return auth.NewContext(context.Background(), accounts.ViewerOf(u))
		}
		tumed, shashi := admin("tumed", "150221"), admin("shashi", "421002")
		run := func(ctx context.Context, wb *Workbook) *Report {
			t.Helper()
			rep, err := Import(ctx, db.DB, wb, ImportOptions{})
			if err != nil || !rep.OK() {
				t.Fatalf("import: %v\n%s", err, rep)
			}
			return rep
		}
		countyA := &Workbook{Sheets: []*Sheet{people(
			[]string{"A-1", "张慧婷", "女", "1988-05-12", "13800138000", womanID, "150221105220"},
			[]string{"A-2", "李文博", "男", "", "", manID, "150221105220"},
		)}}
		run(tumed, countyA)
		countyB := &Workbook{Sheets: []*Sheet{
			people(
				[]string{"SS-01", "张慧婷", "", "", "", womanID, ""},
				[]string{"SS-02", "李文博", "", "", "", manID, ""},
			),
			posts(
				[]string{"SS-01", "421002001201", "两委委员", "", "2024-01-01", ""},
				[]string{"SS-02", "421002001201", "两委委员", "", "2024-01-01", ""},
			),
		}}
		run(shashi, countyB)
		if n := db.Client.Person.Query().CountX(sys); n != 2 {
			t.Fatalf("%d people on file, want 2: one file per ID number", n)
		}
		alice := db.Client.Person.Query().Where(person.ExternalID("A-1")).OnlyX(sys)
		keys := db.Client.PersonExternalKey.Query().Where(personexternalkey.PersonID(alice.ID)).AllX(sys)
		got := map[string]string{}
		for _, k := range keys {
			got[k.Source] = k.Key
		}
		if got["150221"] != "A-1" || got["421002"] != "SS-01" || len(got) != 2 {
			t.Fatalf("keys of the person: %v, want each county's number", got)
		}
		// The import brought the person in from county A: audited.
		if n := db.Client.AuditLog.Query().CountX(sys); n == 0 {
			t.Fatal("no audit entries")
		}

		// Each county's next file, by number only, matches its own numbers.
		byNumber := func(no, phone string) *Workbook {
			return &Workbook{Sheets: []*Sheet{sheet("人员", []string{"人员编号", "姓名", "联系电话"}, []string{no, "张慧婷", phone})}}
		}
		if rep := run(tumed, byNumber("A-1", "13900139000")); rep.Changed() != 1 {
			t.Fatalf("county A's number did not update its person:\n%s", rep)
		}
		if rep := run(shashi, byNumber("SS-01", "13700137000")); rep.Changed() != 1 {
			t.Fatalf("county B's number did not update its person:\n%s", rep)
		}
		if n := db.Client.Person.Query().CountX(sys); n != 2 {
			t.Fatalf("%d people on file after re-imports by number, want 2", n)
		}
		if p := db.Client.Person.GetX(sys, alice.ID); p.Phone != "13700137000" || p.ExternalID == nil || *p.ExternalID != "A-1" {
			t.Fatalf("person after both counties' files: phone %q, number %v", p.Phone, p.ExternalID)
		}
		// Both full rosters again: nothing to change.
		if rep := run(shashi, countyB); rep.Changed() != 0 {
			t.Fatalf("county B's roster again changed something:\n%s", rep)
		}
	})
}

// TestRosterRefusesSomeoneElsesIDNumber: a row whose 身份证号 is on file
// outside the importer's area under another name is refused without
// naming anyone, instead of filing a second person.
func TestRosterRefusesSomeoneElsesIDNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		mustImport(t, db, &Workbook{Sheets: []*Sheet{people([]string{"A-1", "张慧婷", "女", "1988-05-12", "", womanID, "150221105220"})}}, ImportOptions{})
		u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
			Username: "shashi", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "421002", PersonalData: true})
		if err != nil {
			t.Fatal(err)
		}
		ctx := auth.NewContext(context.Background(), accounts.ViewerOf(u))
		rep, _ := Import(ctx, db.DB, &Workbook{Sheets: []*Sheet{people([]string{"SS-01", "王某", "", "", "", womanID, "421002001201"})}}, ImportOptions{})
		if rep.OK() || len(rep.Problems) != 1 || rep.Problems[0].Column != colIDNumber {
			t.Fatalf("want the 身份证号 refused:\n%s", rep)
		}
		if p := rep.Problems[0]; p.Value == "张慧婷" {
			t.Fatalf("the report names the person on file: %+v", p)
		}
		if n := db.Client.Person.Query().CountX(sys); n != 1 {
			t.Fatalf("%d people on file, want 1", n)
		}
	})
}
