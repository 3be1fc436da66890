package roster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
	"yanzhen/errcode"
)

var peopleHeader = []string{"人员编号", "姓名", "性别", "出生日期", "联系电话", "身份证号", "所在村代码"}

// Valid ID numbers (check digits computed by hand from GB 11643).
const (
	womanID = "150221198805120029" // born 1988-05-12, female
	manID   = "150221199509030031" // born 1995-09-03, male
)

func people(rows ...[]string) *Sheet { return sheet("人员", peopleHeader, rows...) }

var postHeader = []string{"人员编号", "地区代码", "职务", "后备类别", "开始日期", "结束日期"}

func posts(rows ...[]string) *Sheet { return sheet("任职", postHeader, rows...) }

var mentorHeader = []string{"编号", "导师编号", "学员编号", "帮带形式", "开始日期"}

func pairs(rows ...[]string) *Sheet { return sheet("结对帮带", mentorHeader, rows...) }

var (
	alice = []string{"A1", "张慧婷", "女", "1988-05-12", "13800138000", womanID, "150221105220"}
	bob   = []string{"B1", "李文博", "男", "", "", manID, "150221105220"}
	carl  = []string{"C1", "王建国", "", "", "", "", ""}
)

func TestEveryRuleIsReported(t *testing.T) {
	type want struct {
		sheet  string
		row    int
		column string
		value  string
		reason string // part of the English reason
	}
	cases := []struct {
		name   string
		sheets []*Sheet
		want   want
	}{
		{"check digit", []*Sheet{people([]string{"A1", "张慧婷", "", "", "", "150221198805120028", ""})},
			want{"人员", 2, "身份证号", "150221************", "check digit"}},
		{"ID length", []*Sheet{people([]string{"A1", "张慧婷", "", "", "", "15022119880512", ""})},
			want{"人员", 2, "身份证号", "**************", "18 characters"}},
		{"ID and birth date", []*Sheet{people([]string{"A1", "张慧婷", "", "1988-05-13", "", womanID, ""})},
			want{"人员", 2, "身份证号", "150221************", "birth date"}},
		{"ID and gender", []*Sheet{people([]string{"A1", "张慧婷", "男", "", "", womanID, ""})},
			want{"人员", 2, "身份证号", "150221************", "gender"}},
		{"phone", []*Sheet{people([]string{"A1", "张慧婷", "", "", "1380013800", "", ""})},
			want{"人员", 2, "联系电话", "138***3800", "mobile"}},
		{"date", []*Sheet{people([]string{"A1", "张慧婷", "", "1988-13-01", "", "", ""})},
			want{"人员", 2, "出生日期", "1988-13-01", "not a date"}},
		{"no key", []*Sheet{people([]string{"", "张慧婷", "", "", "", "", ""})},
			want{"人员", 2, "人员编号", "", "needs a 人员编号 or a 身份证号"}},
		{"required value", []*Sheet{people(alice, []string{"B1", "", "", "", "", "", ""})},
			want{"人员", 3, "姓名", "", "required value is empty"}},
		{"duplicate key", []*Sheet{people(alice, bob, []string{"A1", "王建国", "", "", "", "", ""})},
			want{"人员", 4, "人员编号", "A1", "same 人员编号 as row 2"}},
		{"duplicate ID number", []*Sheet{people(alice, []string{"X1", "张慧婷", "", "", "", womanID, ""})},
			want{"人员", 3, "身份证号", "150221************", "same 身份证号 as row 2"}},
		{"unknown region", []*Sheet{people([]string{"A1", "张慧婷", "", "", "", "", "150221100299"})},
			want{"人员", 2, "所在村代码", "150221100299", "no region with this code"}},
		{"malformed region", []*Sheet{people([]string{"A1", "张慧婷", "", "", "", "", "15022110"})},
			want{"人员", 2, "所在村代码", "15022110", "2, 4, 6, 9 or 12 digits"}},
		{"village level", []*Sheet{people(alice), posts([]string{"A1", "150221105", "两委委员", "", "2021-01-01", ""})},
			want{"任职", 2, "地区代码", "150221105", "must be at [VILLAGE] level"}},
		{"enum word", []*Sheet{people(alice), posts([]string{"A1", "150221105220", "村长", "", "2021-01-01", ""})},
			want{"任职", 2, "职务", "村长", "not an allowed word"}},
		{"reference", []*Sheet{people(alice), posts([]string{"A1", "150221105220", "两委委员", "", "2021-01-01", ""},
			[]string{"Z9", "150221105220", "两委委员", "", "2021-01-01", ""})},
			want{"任职", 3, "人员编号", "Z9", "no person with this number"}},
		// The value is the cell as written; Read says how it was read (2020-12-01).
		{"end before start", []*Sheet{people(alice), posts([]string{"A1", "150221105220", "两委委员", "", "2021-01-01", "2020.12"})},
			want{"任职", 2, "结束日期", "2020.12", "before the start date"}},
		{"reserve list", []*Sheet{people(alice), posts([]string{"A1", "150221105220", "后备干部", "", "2021-01-01", ""})},
			want{"任职", 2, "后备类别", "", "needs a reserve list"}},
		{"one secretary", []*Sheet{people(alice, bob), posts(
			[]string{"A1", "150221105220", "党组织书记", "", "2021-01-01", ""},
			[]string{"B1", "150221105220", "书记主任一肩挑", "", "2022-01-01", ""})},
			want{"任职", 3, "职务", "书记主任一肩挑", "one secretary at a time"}},
		{"missing column", []*Sheet{people(alice), sheet("任职", []string{"人员编号", "地区代码", "职务"},
			[]string{"A1", "150221105220", "两委委员"})},
			want{"任职", 1, "开始日期", "", "required column is missing"}},
		{"self mentoring", []*Sheet{people(alice), pairs([]string{"M1", "A1", "A1", "青蓝结对", "2023-01-01"})},
			want{"结对帮带", 2, "学员编号", "A1", "nobody mentors themselves"}},
		{"mentoring cycle", []*Sheet{people(alice, bob, carl), pairs(
			[]string{"M1", "A1", "B1", "青蓝结对", "2023-01-01"},
			[]string{"M2", "B1", "C1", "x+N", "2023-01-01"},
			[]string{"M3", "C1", "A1", "x+N", "2023-01-01"})},
			want{"结对帮带", 2, "学员编号", "B1", "cycle"}},
		{"contribution source", []*Sheet{sheet("成效", headerOf(Contributions),
			[]string{"CX1", "PR404", "150221105220", "考察", "", "2024-01-01", ""})},
			want{"成效", 2, "来源编号", "PR404", "no adviser appointment or expert assignment"}},
		{"institution", []*Sheet{sheet("人员", []string{"人员编号", "姓名", "所属机构编号"}, []string{"A1", "张慧婷", "JG404"})},
			want{"人员", 2, "所属机构编号", "JG404", "no institution"}},
		{"assignment level", []*Sheet{people(alice), sheet("科技特派员选派", headerOf(Assignments),
			[]string{"XP1", "A1", "1502", "", "2024-01-01", "", "是", "1000"})},
			want{"科技特派员选派", 2, "服务地区代码", "1502", "must be at [COUNTY TOWNSHIP VILLAGE] level"}},
		{"count", []*Sheet{sheet("服务记录", headerOf(ServiceRecords), []string{"XP1", "2024-01-01", "培训", "-3", ""})},
			want{"服务记录", 2, "受益人数", "-3", "whole number"}},
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		for _, c := range cases {
			rep, err := Import(auth.System(context.Background()), db.DB, &Workbook{Sheets: c.sheets}, ImportOptions{})
			var ee *errcode.Error
			if !errors.As(err, &ee) || ee.Code != errcode.BadUserInput {
				t.Errorf("%s: error %v, want BAD_USER_INPUT", c.name, err)
				continue
			}
			found := false
			for _, p := range rep.Problems {
				if p.Sheet == c.want.sheet && p.Row == c.want.row && p.Column == c.want.column &&
					p.Value == c.want.value && strings.Contains(p.Text.En, c.want.reason) && p.Text.Zh != "" {
					found = true
					// Its group: a kind of its own with a title, and the row among its places.
					grouped := false
					for _, g := range rep.Groups() {
						if g.Kind == p.Group() && g.Kind != KindOther && g.Text.Zh != "" && g.Text.En != "" &&
							slices.Contains(g.Sample, Place{Sheet: p.Sheet, Row: p.Row, Cell: p.Cell}) {
							grouped = true
						}
					}
					if !grouped {
						t.Errorf("%s: problem %+v is not in a titled group of its kind: %+v", c.name, p, rep.Groups())
					}
				}
			}
			if !found {
				t.Errorf("%s: want %+v, got %v", c.name, c.want, rep.Problems)
			}
			text := rep.String()
			for _, raw := range []string{womanID, "13800138000", "1380013800", "150221198805120028"} {
				if strings.Contains(text, raw) || strings.Contains(fmt.Sprint(rep.Problems), raw) {
					t.Errorf("%s: the report shows personal data %s", c.name, raw)
				}
			}
		}
		if n, _ := db.Client.Person.Query().Count(auth.System(context.Background())); n != 0 {
			t.Fatalf("bad rosters wrote %d people", n)
		}
	})
}

func TestAllProblemsAreListed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		wb := &Workbook{Sheets: []*Sheet{
			people(alice, []string{"B1", "", "X", "1988-13-01", "12", "", "999"}),
			posts([]string{"A1", "150221105220", "村长", "", "someday", ""}),
		}}
		rep, err := Import(auth.System(context.Background()), db.DB, wb, ImportOptions{})
		if err == nil {
			t.Fatal("no error")
		}
		// 姓名, 性别, 出生日期, 联系电话, 所在村代码 on row 3; 职务 and 开始日期 of the post.
		if len(rep.Problems) != 7 {
			t.Fatalf("%d problems:\n%s", len(rep.Problems), rep)
		}
	})
}

func TestRulesAgainstTheDatabase(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		mustImport(t, db, &Workbook{Sheets: []*Sheet{
			people(alice, bob, carl),
			posts([]string{"A1", "150221105220", "党组织书记", "", "2021-01-01", ""}),
			pairs([]string{"M1", "A1", "B1", "青蓝结对", "2023-01-01"}, []string{"M2", "B1", "C1", "导师帮带", "2023-01-01"}),
		}}, ImportOptions{})

		// A second current secretary, and a pair closing a cycle with pairs on file.
		rep, err := Import(ctx, db.DB, &Workbook{Sheets: []*Sheet{
			posts([]string{"B1", "150221105220", "书记主任一肩挑", "", "2024-01-01", ""},
				// A term that ended before the current one began is fine.
				[]string{"C1", "150221105220", "党组织书记", "", "2015-01-01", "2020-12-31"}),
			pairs([]string{"M3", "C1", "A1", "x+N", "2024-01-01"}, []string{"M4", "A1", "B1", "x+N", "2024-01-01"}),
		}}, ImportOptions{})
		if err == nil {
			t.Fatal("no error")
		}
		var got []string
		for _, p := range rep.Problems {
			got = append(got, fmt.Sprintf("%s %d %s", p.Sheet, p.Row, p.Text.En))
		}
		if len(got) != 3 || !strings.Contains(got[0], "任职 2 the village already has a party secretary from 2021-01-01 (on file)") ||
			!strings.Contains(got[1], "结对帮带 3 this mentor already mentors this mentee (on file)") ||
			!strings.Contains(got[2], "结对帮带 2 the mentee is already above the mentor") {
			t.Fatalf("problems: %q", got)
		}

		// Ending the current term in the same roster makes room for the next.
		rep = mustImport(t, db, &Workbook{Sheets: []*Sheet{
			posts([]string{"A1", "150221105220", "党组织书记", "", "2021-01-01", "2023-12-31"},
				[]string{"B1", "150221105220", "书记主任一肩挑", "", "2024-01-01", ""},
				[]string{"C1", "150221105", "乡村CEO", "", "2024-01-01", ""}),
		}}, ImportOptions{})
		if c := rep.Count("任职"); c.Updated != 1 || c.Created != 2 {
			t.Fatalf("%+v", c)
		}
	})
}

func TestMatchingAndUpdates(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		// On file: a person known only by ID number.
		v := db.Client.Region.Query().Where(region.Code("150221105220")).OnlyX(ctx)
		p := db.Client.Person.Create().SetName("张慧婷").SetIDNumber(womanID).SetHomeVillageID(v.ID).SaveX(ctx)

		rep := mustImport(t, db, &Workbook{Sheets: []*Sheet{people(alice)}}, ImportOptions{})
		if c := rep.Count("人员"); c.Updated != 1 || c.Created != 0 {
			t.Fatalf("matching by 身份证号: %+v", c)
		}
		got := db.Client.Person.GetX(ctx, p.ID)
		if got.ExternalID == nil || *got.ExternalID != "A1" || got.Phone != "13800138000" {
			t.Fatalf("not updated: %v %q", got.ExternalID, got.Phone)
		}
		// By 人员编号 when there is no ID number; an empty cell erases nothing.
		rep = mustImport(t, db, &Workbook{Sheets: []*Sheet{
			sheet("people", []string{"person_no", "name", "phone"}, []string{"A1", "张慧婷", "13900139000"}),
		}}, ImportOptions{})
		if c := rep.Count("人员"); c.Updated != 1 {
			t.Fatalf("matching by 人员编号: %+v", c)
		}
		got = db.Client.Person.GetX(ctx, p.ID)
		if got.Phone != "13900139000" || got.IDNumber != womanID || got.HomeVillageID == nil {
			t.Fatalf("after update: %q %q %v", got.Phone, got.IDNumber, got.HomeVillageID)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 1 {
			t.Fatalf("%d people", n)
		}
		// A 人员编号 on file with a different ID number is somebody else.
		rep, err := Import(ctx, db.DB, &Workbook{Sheets: []*Sheet{people([]string{"A1", "李文博", "", "", "", manID, ""})}}, ImportOptions{})
		if err == nil || len(rep.Problems) != 1 || rep.Problems[0].Column != "人员编号" {
			t.Fatalf("%v %v", err, rep.Problems)
		}
	})
}

func TestAllOrNothing(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		var rows [][]string
		for i := range 10000 {
			rows = append(rows, []string{fmt.Sprintf("R%05d", i), "村民" + fmt.Sprint(i), "", "", "", "", "150221100202"})
		}
		rows[len(rows)-1][6] = "150221100299"
		before := db.Statements.Count()
		rep, err := Import(ctx, db.DB, &Workbook{Sheets: []*Sheet{people(rows...)}}, ImportOptions{})
		if err == nil || len(rep.Problems) != 1 || rep.Problems[0].Row != 10001 {
			t.Fatalf("%v %v", err, rep.Problems)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d people written", n)
		}
		// Validation is set-based: a few queries, not one per row.
		if n := db.Statements.Count() - before; n > 50 {
			t.Errorf("validating 10,000 rows ran %d statements", n)
		}
		// A failure while writing rolls back what was already written: the
		// people are inserted, then the database (here an ent hook) refuses
		// a post changed behind the validation's back.
		imp := newImporter(ctx, db.Client)
		wb := &Workbook{Sheets: []*Sheet{people(rows[:100]...), posts([]string{"R00001", "150221100202", "两委委员", "", "2021-01-01", ""})}}
		if err := imp.validate(wb); err != nil || !imp.rep.OK() {
			t.Fatal(err, imp.rep.Problems)
		}
		imp.count()
		town := db.Client.Region.Query().Where(region.Code("150221105")).OnlyX(ctx)
		imp.posts[0].regionID = town.ID
		err = imp.write()
		if err == nil || !strings.Contains(err.Error(), "任职") {
			t.Fatalf("write: %v", err)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d people left after a failed write", n)
		}
	})
}

func TestDryRunAndWarnings(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		wb := &Workbook{Sheets: []*Sheet{
			sheet("人员", append(append([]string{}, peopleHeader...), "备注"), append(append([]string{}, alice...), "x")),
			sheet("Sheet3", []string{"a"}, []string{"b"}),
		}}
		rep := mustImport(t, db, wb, ImportOptions{DryRun: true})
		if rep.Count("人员").Created != 1 || rep.Written {
			t.Fatalf("%s", rep)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 0 {
			t.Fatalf("dry run wrote %d people", n)
		}
		if len(rep.Warnings) != 2 || rep.Warnings[0].Column != "备注" || rep.Warnings[0].Row != 1 ||
			rep.Warnings[1].Sheet != "Sheet3" || !strings.Contains(rep.String(), "dry run") {
			t.Fatalf("warnings: %v\n%s", rep.Warnings, rep)
		}
	})
}
