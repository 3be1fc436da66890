package roster

import (
	"context"
	"strings"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// Problems of form group under their own kind, each with its count, for a
// workbook that has only that fault (the kinds other tests do not reach).
func TestFormProblemsGroupByKind(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	addRegions(t, db.Client)
	ctx := auth.System(context.Background())
	h := headerOf(People)
	row := func(set map[string]string) []string {
		r := make([]string, len(h))
		for j, c := range h {
			r[j] = set[c]
		}
		return r
	}
	for _, tc := range []struct {
		name string
		wb   *Workbook
		opts ImportOptions
		want Kind
		n    int
	}{
		{"a name too long", &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row(map[string]string{colPersonNo: "P-1", colPersonName: strings.Repeat("长", 70)}))}}, ImportOptions{}, KindTooLong, 1},
		{"a number with a space", &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row(map[string]string{colPersonNo: "P 1", colPersonName: "甲"}))}}, ImportOptions{}, KindBadKey, 1},
		{"a region code of 5 digits", &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row(map[string]string{colPersonNo: "P-1", colPersonName: "甲", colHomeVillage: "15022"}))}}, ImportOptions{}, KindBadRegionCode, 1},
		{"a required column missing", &Workbook{Sheets: []*Sheet{sheet("人员", []string{colPersonNo}, []string{"P-1"})}}, ImportOptions{}, KindHeader, 1},
		{"the same sheet twice", &Workbook{Sheets: []*Sheet{
			sheet("人员", h, row(map[string]string{colPersonNo: "P-1", colPersonName: "甲"})),
			sheet("people", h, row(map[string]string{colPersonNo: "P-2", colPersonName: "乙"}))}}, ImportOptions{}, KindSheet, 1},
		{"a mapping naming no column", &Workbook{Sheets: []*Sheet{sheet("人员", h, row(map[string]string{colPersonNo: "P-1", colPersonName: "甲"}))}},
			ImportOptions{Columns: []ColumnMapping{{Sheet: "人员", Header: "籍贯", Column: "没有这一列"}}}, KindColumnMapping, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.DryRun = true
			rep, _ := Import(ctx, db.DB, tc.wb, tc.opts)
			got := map[Kind]int{}
			for _, g := range rep.Groups() {
				got[g.Kind] = g.Count
			}
			if got[tc.want] != tc.n {
				t.Errorf("%s: %d problems, want %d (groups %v)\n%s", tc.want, got[tc.want], tc.n, got, rep)
			}
		})
	}
}

// setCell writes a value into the first row of the sheet holding column col.
func setCell(t *testing.T, wb *Workbook, col, v string) {
	t.Helper()
	for _, s := range wb.Sheets {
		for j, h := range s.Header {
			if h == col && len(s.Rows) > 0 {
				s.Rows[0].Cells[j] = v
				return
			}
		}
	}
	t.Fatalf("no sheet has column %s", col)
}

// groupsOf imports a workbook (dry run) and counts its problems by kind.
func groupsOf(t *testing.T, ctx context.Context, db *dbtest.DB, wb *Workbook) (map[Kind]int, *Report) {
	t.Helper()
	rep, _ := Import(ctx, db.DB, wb, ImportOptions{DryRun: true})
	got := map[Kind]int{}
	for _, g := range rep.Groups() {
		got[g.Kind] = g.Count
		if len(g.Sample) == 0 || g.Text.Zh == "" {
			t.Errorf("group %s has no title or no sample rows", g.Kind)
		}
	}
	return got, rep
}

// The kinds that arise from rows compared with each other or with what is
// on file: each is reported under its own group, and only it.
func TestRecordProblemsGroupByKind(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	addRegions(t, db.Client)
	sys := auth.System(context.Background())
	only := func(t *testing.T, got map[Kind]int, rep *Report, want Kind, n int) {
		t.Helper()
		if got[want] != n || len(got) != 1 {
			t.Errorf("groups %v, want only %s ×%d\n%s", got, want, n, rep)
		}
	}

	t.Run("a count in words", func(t *testing.T) {
		wb := templateWorkbook(t)
		setCell(t, wb, colAmount, "三百")
		got, rep := groupsOf(t, sys, db, wb)
		only(t, got, rep, KindBadNumber, 1)
	})
	t.Run("the same post twice", func(t *testing.T) {
		wb := &Workbook{Sheets: []*Sheet{people(alice), posts(
			[]string{"A1", "150221105220", "两委委员", "", "2024-01-01", ""},
			[]string{"A1", "150221105220", "两委委员", "", "2024-01-01", ""})}}
		got, rep := groupsOf(t, sys, db, wb)
		only(t, got, rep, KindDuplicateRow, 1)
	})

	// On file: 张慧婷 in 土右 as A1, and a second A1 filed by 沙市's admin.
	mustImport(t, db, &Workbook{Sheets: []*Sheet{people(alice)}}, ImportOptions{})
	admin := func(name, region string, personal bool) context.Context {
		u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
			Username: name, Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: region, PersonalData: personal})
		if err != nil {
			t.Fatal(err)
		}
		return auth.NewContext(context.Background(), accounts.ViewerOf(u))
	}
	shashi := admin("shashi", "421002", true)
	if rep, err := Import(shashi, db.DB, &Workbook{Sheets: []*Sheet{people([]string{"A1", "沙市的人", "", "", "", "", "421002001201"})}}, ImportOptions{}); err != nil || !rep.OK() {
		t.Fatalf("沙市's own A1: %v\n%s", err, rep)
	}

	t.Run("a number two people on file carry", func(t *testing.T) {
		got, rep := groupsOf(t, sys, db, &Workbook{Sheets: []*Sheet{people([]string{"A1", "谁", "", "", "", "", "150221105220"})}})
		only(t, got, rep, KindAmbiguousNumber, 1)
	})
	t.Run("a number on file given another ID number", func(t *testing.T) {
		tumed := admin("tumed", "150221", true)
		got, rep := groupsOf(t, tumed, db, &Workbook{Sheets: []*Sheet{people([]string{"A1", "张慧婷", "", "", "", manID, "150221105220"})}})
		only(t, got, rep, KindFixedOnFile, 1)
	})
	t.Run("an ID number on file outside the area", func(t *testing.T) {
		got, rep := groupsOf(t, shashi, db, &Workbook{Sheets: []*Sheet{people([]string{"SS-9", "王某", "", "", "", womanID, "421002001201"})}})
		only(t, got, rep, KindOnFileElsewhere, 1)
		for _, p := range rep.Problems {
			if strings.Contains(p.Value+p.Text.Zh+p.Text.En, "张慧婷") {
				t.Errorf("the report names the person on file: %+v", p)
			}
		}
	})
}
