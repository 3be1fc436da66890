package roster

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
)

// Villages of 萨拉齐镇 and 双龙镇 for the flat rosters: 新村 is in both.
var flatVillagesFixture = []struct{ code, name string }{
	{"150221105201", "大库联村"},
	{"150221105202", "新村"},
	{"150221101202", "新村"},
}

func addFlatRegions(t *testing.T, c *ent.Client) {
	t.Helper()
	addRegions(t, c)
	ctx := auth.System(context.Background())
	for _, v := range flatVillagesFixture {
		parent := c.Region.Query().Where(region.Code(v.code[:9])).OnlyIDX(ctx)
		c.Region.Create().SetCode(v.code).SetName(v.name).SetLevel(region.LevelVILLAGE).
			SetKind(region.KindVILLAGE).SetParentID(parent).SaveX(ctx)
	}
}

// flatWorkbook writes a flat 花名册: a merged title row, a line naming the
// filer, then the header (with spaces and line breaks) and rows.
func flatWorkbook(t *testing.T, sheetName, title string, header []string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		t.Fatal(err)
	}
	set := func(line int, cells []any) {
		cell, _ := excelize.CoordinatesToCellName(1, line)
		if err := f.SetSheetRow(sheetName, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	set(1, []any{title})
	if err := f.MergeCell(sheetName, "A1", last); err != nil {
		t.Fatal(err)
	}
	set(2, []any{"填报单位（盖章）：", "", "", "", "", "填报日期：2024年3月"})
	h := make([]any, len(header))
	for i, x := range header {
		h[i] = x
	}
	set(3, h)
	for i, r := range rows {
		set(4+i, r)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var flatHeader = []string{"序号", "姓 名", "性别", "民族", "出生\n年月", "学历", "政治面貌", "入党时间",
	"现任职务", "任职\n时间", "所在村", "联系电话", "身份证号", "备注"}

const flatTitle = "土默特右旗萨拉齐镇村两委班子成员花名册"

// A township's flat roster: 一肩挑, a reserve on the 书记 list, a 妇联
// post the roster does not keep, villages by name (大库联 without 村), a
// month as text and as an Excel number, a birth month from the ID number.
func goodFlat(t *testing.T) []byte {
	return flatWorkbook(t, "Sheet1", flatTitle, flatHeader,
		[]any{1, "张 三", "男", "汉族", "1971.07", "高中", "中共党员", "1995.07", "党支部书记、村委会主任", "2021.03", "大库联村", "13800138000", "", ""},
		[]any{2, "李慧", "女", "蒙古族", 1988.05, "本科", "中共党员", "2010.06", "副书记", "2021年3月", "大库联", "", womanID, "连任"},
		[]any{3, "王五", "男", "汉族", "1995年9月", "大专", "共青团员", "", "后备干部（书记培养对象）", "2022.01", "新村", "", "", ""},
		[]any{4, "赵六", "女", "汉族", "1980.02", "高中", "中共党员", "", "村委会委员、妇联主席", "2021.03", "大库联村", "", "", ""},
		[]any{5, "孙七", "男", "汉族", "1966.11", "初中", "中共党员", "", "书记兼主任", "2021.03", "新村", "", "", ""},
	)
}

type flatPostRow struct {
	name, village, role, reserve, start string
}

func flatPostsOnFile(t *testing.T, c *ent.Client) []flatPostRow {
	t.Helper()
	ctx := auth.System(context.Background())
	var out []flatPostRow
	for _, p := range c.Post.Query().WithPerson().WithRegion().AllX(ctx) {
		r := flatPostRow{p.Edges.Person.Name, p.Edges.Region.Code, string(p.Role), "", day(p.StartDate)}
		if p.ReserveList != nil {
			r.reserve = string(*p.ReserveList)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b flatPostRow) int { return strings.Compare(a.name+a.role, b.name+b.role) })
	return out
}

func readFlat(t *testing.T, data []byte) *Workbook {
	t.Helper()
	wb, err := ReadXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return wb
}

func TestFlatRosterImportsPeopleAndPosts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addFlatRegions(t, db.Client)
		ctx := auth.System(context.Background())
		data := goodFlat(t)

		// A dry run reads it all and writes nothing.
		dry := mustImport(t, db, readFlat(t, data), ImportOptions{DryRun: true, Source: "150221105"})
		if c := dry.Count("人员"); c.Created != 5 {
			t.Fatalf("dry run: %+v\n%s", c, dry)
		}
		if c := dry.Count("任职"); c.Created != 5 { // 妇联主席 is no post
			t.Fatalf("dry run: %+v\n%s", c, dry)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 0 || dry.Written {
			t.Fatalf("a dry run wrote %d people", n)
		}

		rep := mustImport(t, db, readFlat(t, data), ImportOptions{Source: "150221105"})
		if !rep.Written {
			t.Fatalf("not written:\n%s", rep)
		}
		want := []flatPostRow{
			{"孙七", "150221105202", "SECRETARY_AND_DIRECTOR", "", "2021-03-01"},
			{"张三", "150221105201", "SECRETARY_AND_DIRECTOR", "", "2021-03-01"},
			{"李慧", "150221105201", "DEPUTY_SECRETARY", "", "2021-03-01"},
			{"王五", "150221105202", "RESERVE_CADRE", "SECRETARY_CANDIDATE", "2022-01-01"},
			{"赵六", "150221105201", "COMMITTEE_MEMBER", "", "2021-03-01"},
		}
		// 张 三 is filed as 张三 (spaces of a name are the typist's); sorted by name.
		got := flatPostsOnFile(t, db.Client)
		slices.SortFunc(want, func(a, b flatPostRow) int { return strings.Compare(a.name+a.role, b.name+b.role) })
		if !slices.Equal(got, want) {
			t.Errorf("posts\n got %v\nwant %v", got, want)
		}
		zhang := db.Client.Person.Query().Where(person.NameContains("三")).OnlyX(ctx)
		if zhang.BirthDate == nil || day(*zhang.BirthDate) != "1971-07-01" || zhang.BirthDatePrecision == nil ||
			*zhang.BirthDatePrecision != person.BirthDatePrecisionMONTH {
			t.Errorf("张三's birth %v %v", zhang.BirthDate, zhang.BirthDatePrecision)
		}
		if zhang.ExternalID == nil || *zhang.ExternalID != "150221105201-张三-197107" {
			t.Errorf("张三's number %v", zhang.ExternalID)
		}
		li := db.Client.Person.Query().Where(person.Name("李慧")).OnlyX(ctx)
		if li.BirthDate == nil || day(*li.BirthDate) != "1988-05-12" || li.Gender == nil || *li.Gender != person.GenderFEMALE {
			t.Errorf("李慧's birth and gender from the ID number: %v %v", li.BirthDate, li.Gender)
		}
		if li.Ethnicity != "蒙古族" || li.Education == nil || *li.Education != person.EducationBACHELOR {
			t.Errorf("李慧 %+v", li)
		}
		// 妇联主席 is read and left out, with a warning on its cell.
		var warned *Problem
		for i, w := range rep.Warnings {
			if w.Kind == KindPostTitle {
				warned = &rep.Warnings[i]
			}
		}
		if warned == nil || warned.Row != 7 || warned.Cell != "I7" || warned.Value != "妇联主席" {
			t.Errorf("the 妇联 warning: %+v", warned)
		}

		// The same file again changes nothing.
		again := mustImport(t, db, readFlat(t, data), ImportOptions{Source: "150221105"})
		if again.Changed() != 0 || again.Written {
			t.Fatalf("re-import changed something:\n%s", again)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 5 {
			t.Errorf("%d people after re-import", n)
		}
		// By another account (another source), people still match: by
		// the ID number, or the number the first import filed them under.
		other := mustImport(t, db, readFlat(t, data), ImportOptions{Source: "150221"})
		if n := db.Client.Person.Query().CountX(ctx); n != 5 || other.Count("任职").Created != 0 {
			t.Errorf("%d people after another source's import\n%s", n, other)
		}
	})
}

func TestFlatRosterVillageFromTitleAndTownship(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addFlatRegions(t, db.Client)
		ctx := auth.System(context.Background())
		// No 所在村 column: the title names the village.
		header := []string{"序号", "姓名", "性别", "出生年月", "职务", "任职时间"}
		data := flatWorkbook(t, "大库联村", "土默特右旗萨拉齐镇大库联村两委班子成员花名册", header,
			[]any{1, "周一", "男", "1970.01", "书记、主任（一肩挑）", "2021.03"},
			[]any{2, "吴二", "女", "1985.10", "两委委员", "2021.03"},
		)
		mustImport(t, db, readFlat(t, data), ImportOptions{})
		for _, p := range flatPostsOnFile(t, db.Client) {
			if p.village != "150221105201" {
				t.Errorf("%v: want 大库联村 from the title", p)
			}
		}
		// A county's roster of several townships: 所在乡镇 tells the 新村s apart.
		header = []string{"姓名", "所在乡镇", "村名", "现任职务", "任职时间"}
		data = flatWorkbook(t, "花名册", "土默特右旗村党组织书记花名册", header,
			[]any{"郑三", "萨拉齐镇", "新村", "党组织书记", "2021.03"},
			[]any{"冯四", "双龙", "新村", "党组织书记", "2021.03"},
		)
		mustImport(t, db, readFlat(t, data), ImportOptions{})
		for name, code := range map[string]string{"郑三": "150221105202", "冯四": "150221101202"} {
			n := db.Client.Post.Query().Where(post.HasPersonWith(person.Name(name)), post.HasRegionWith(region.Code(code))).CountX(ctx)
			if n != 1 {
				t.Errorf("%s: %d posts in %s", name, n, code)
			}
		}
	})
}

func TestFlatRosterProblemsAreOnItsCells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addFlatRegions(t, db.Client)
		sys := auth.System(context.Background())
		u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
			Username: "tumed", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		county := auth.NewContext(context.Background(), accounts.ViewerOf(u))
		// No township in the title: 新村 is in two townships of the county.
		data := flatWorkbook(t, "Sheet1", "村干部花名册", flatHeader,
			[]any{1, "张三", "男", "汉族", "1971.07", "高中", "中共党员", "", "村霸、委员", "2021.03", "大库联村", "", "", ""},
			[]any{2, "李四", "男", "汉族", "1971.08", "高中", "中共党员", "", "委员", "2021.03", "新村", "", "", ""},
			[]any{3, "王五", "男", "汉族", "1971.09", "高中", "中共党员", "", "委员", "2021.03", "桃花源村", "", "", ""},
			[]any{4, "赵六", "男", "汉族", "1971.13", "高中", "中共党员", "", "后备干部", "2021.03", "大库联村", "", "", ""},
			[]any{5, "钱七", "男", "汉族", "1972.01", "高中", "中共党员", "", "", "2021.03", "大库联村", "", "", ""},
			[]any{6, "孙八", "男", "汉族", "1972.02", "高中", "中共党员", "", "副书记、委员", "2021.13", "大库联村", "", "", ""},
		)
		rep, err := Import(county, db.DB, readFlat(t, data), ImportOptions{})
		if err == nil || rep.OK() {
			t.Fatalf("want problems, got %v\n%s", err, rep)
		}
		want := map[string]Kind{
			"I4": KindPostTitle,          // 村霸
			"K5": KindAmbiguousRegion,    // 新村 in 萨拉齐镇 and 双龙镇
			"K6": KindUnknownRegion,      // 桃花源村
			"E7": KindBadDate,            // 1971.13
			"I7": "RESERVE_LIST_MISSING", // 后备干部 without its list
			"I8": KindMissingValue,       // no 职务
			"J9": KindBadDate,            // one problem for both posts of the row
		}
		got := map[string]Kind{}
		for _, p := range rep.Problems {
			if prev, dup := got[p.Cell]; dup {
				t.Errorf("%s reported twice: %s and %+v", p.Cell, prev, p)
			}
			got[p.Cell] = p.Kind
			if p.Sheet != "Sheet1" {
				t.Errorf("problem on sheet %q", p.Sheet)
			}
		}
		for cell, k := range want {
			if got[cell] != k {
				t.Errorf("%s: %q, want %q\n%s", cell, got[cell], k, rep)
			}
		}
		if len(got) != len(want) {
			t.Errorf("problems %v, want %v", got, want)
		}
		for _, p := range rep.Problems {
			if p.Cell == "K5" && (!strings.Contains(p.Text.Zh, "萨拉齐镇新村") || !strings.Contains(p.Text.Zh, "双龙镇新村")) {
				t.Errorf("the ambiguous village names neither township: %s", p.Text.Zh)
			}
		}
		if n := db.Client.Person.Query().CountX(sys); n != 0 {
			t.Errorf("%d people written from a roster with problems", n)
		}

		// The annotated workbook marks the flat sheet's cells.
		out, err := Annotate(data, rep)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		comments, err := f.GetComments("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		marked := map[string]bool{}
		for _, c := range comments {
			marked[c.Cell] = true
		}
		for cell := range want {
			if !marked[cell] {
				t.Errorf("%s not marked (marked %v)", cell, marked)
			}
		}

		// Given the township, the county's 新村 is found.
		rep, _ = Import(county, db.DB, readFlat(t, data), ImportOptions{DryRun: true, Region: "150221101"})
		for _, p := range rep.Problems {
			if p.Cell == "K5" {
				t.Errorf("with the region given: %+v", p)
			}
		}
	})
}

func TestReadPostTitle(t *testing.T) {
	for _, c := range []struct {
		cell              string
		want              []flatPost
		unrecorded, unknw []string
	}{
		{"党支部书记", []flatPost{{roleSecretary, ""}}, nil, nil},
		{"党总支书记", []flatPost{{roleSecretary, ""}}, nil, nil},
		{"党支部书记、村委会主任", []flatPost{{roleBoth, ""}}, nil, nil},
		{"书记兼主任", []flatPost{{roleBoth, ""}}, nil, nil},
		{"书记、主任（一肩挑）", []flatPost{{roleBoth, ""}}, nil, nil},
		{"书记主任一肩挑", []flatPost{{roleBoth, ""}}, nil, nil},
		{"居委会主任", []flatPost{{roleDirector, ""}}, nil, nil},
		{"党支部副书记、村委会委员", []flatPost{{roleDeputy, ""}, {roleMember, ""}}, nil, nil},
		{"村委会副主任", []flatPost{{roleMember, ""}}, nil, nil},
		{"支委/妇联主席", []flatPost{{roleMember, ""}}, []string{"妇联主席"}, nil},
		{"团支部书记", nil, []string{"团支部书记"}, nil},
		{"监委会主任", nil, []string{"监委会主任"}, nil},
		{"民兵连长", nil, []string{"民兵连长"}, nil},
		{"后备干部", []flatPost{{roleReserve, ""}}, nil, nil},
		{"后备干部（书记培养对象）", []flatPost{{roleReserve, listSecretary}}, nil, nil},
		{"后备干部、两委培养对象", []flatPost{{roleReserve, listCommittee}}, nil, nil},
		{"村级后备力量（两委）", []flatPost{{roleReserve, listCommittee}}, nil, nil},
		{"委员（妇联主席）", []flatPost{{roleMember, ""}}, []string{"妇联主席"}, nil},
		{"书记后备人选", []flatPost{{roleReserve, listSecretary}}, nil, nil},
		{"骨干党员", []flatPost{{roleReserve, listBackbone}}, nil, nil},
		{"驻村第一书记", []flatPost{{roleFirst, ""}}, nil, nil},
		{"驻村工作队员", []flatPost{{roleWorkTeam, ""}}, nil, nil},
		{"乡村ceo", []flatPost{{roleCEO, ""}}, nil, nil},
		{"PARTY_SECRETARY", []flatPost{{roleSecretary, ""}}, nil, nil},
		{"村霸", nil, nil, []string{"村霸"}},
	} {
		got, unrec, unk := readPostTitle(c.cell)
		if !slices.Equal(got, c.want) || !slices.Equal(unrec, c.unrecorded) || !slices.Equal(unk, c.unknw) {
			t.Errorf("%s: %v %v %v, want %v %v %v", c.cell, got, unrec, unk, c.want, c.unrecorded, c.unknw)
		}
	}
}
