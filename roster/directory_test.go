package roster

import (
	"context"
	"strings"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/institution"
	"yanzhen/ent/region"
)

// A county admin's roster may name partner institutions outside the county:
// it adds new ones to the directory and links its people to them; an entry
// on file that only another area may change is kept as it is, with a
// warning, instead of refusing the whole roster.
func TestCountyRosterNamesInstitutionsElsewhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		shashi := db.Client.Region.Query().Where(region.Code("421002")).OnlyX(sys)
		db.Client.Institution.Create().SetExternalID("I-HZAU").SetName("华中农业大学").SetKind(institution.KindUNIVERSITY).SetRegion(shashi).ExecX(sys)
		u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
			Username: "tumed", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		county := auth.NewContext(context.Background(), accounts.ViewerOf(u))
		ih, ph := headerOf(Institutions), headerOf(People)
		inst := func(no, name, code string) []string {
			row := make([]string, len(ih))
			for j, c := range ih {
				switch c {
				case colInstNo:
					row[j] = no
				case colName:
					row[j] = name
				case colKind:
					row[j] = "高校"
				case colRegionCode:
					row[j] = code
				}
			}
			return row
		}
		person := func(no, name, inst string) []string {
			row := make([]string, len(ph))
			for j, c := range ph {
				switch c {
				case colPersonNo:
					row[j] = no
				case colPersonName:
					row[j] = name
				case colHomeVillage:
					row[j] = "150221101201"
				case colInstitution:
					row[j] = inst
				}
			}
			return row
		}
		wb := &Workbook{Sheets: []*Sheet{
			sheet("机构", ih,
				inst("I-NEW", "湖北农学院", "421002"),       // new, outside the county
				inst("I-HZAU", "华中农业大学（本部）", "421002"), // on file, outside, written differently
			),
			sheet("人员", ph, person("P-1", "专家甲", "I-NEW"), person("P-2", "专家乙", "I-HZAU")),
		}}
		rep, err := Import(county, db.DB, wb, ImportOptions{})
		if err != nil || !rep.Written {
			t.Fatalf("the county's roster was refused: %v\n%s", err, rep)
		}
		if n := db.Client.Institution.Query().Where(institution.ExternalID("I-NEW")).CountX(sys); n != 1 {
			t.Fatalf("the new partner was not added to the directory (%d)", n)
		}
		if name := db.Client.Institution.Query().Where(institution.ExternalID("I-HZAU")).OnlyX(sys).Name; name != "华中农业大学" {
			t.Fatalf("another area's entry was changed to %q", name)
		}
		warned := false
		for _, w := range rep.Warnings {
			warned = warned || (w.Sheet == "机构" && w.Row == 3 && strings.Contains(w.Text.Zh, "管辖范围"))
		}
		if !warned {
			t.Fatalf("no warning for the entry kept as it is: %s", rep)
		}
		for _, p := range db.Client.Person.Query().WithInstitution().AllX(sys) {
			if p.Edges.Institution == nil {
				t.Fatalf("%s is not linked to their institution", p.Name)
			}
		}
	})
}
