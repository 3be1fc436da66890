package roster

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
)

// countySheet is one sheet as a county writes it: title rows (the first a
// merged cell over the header's width), then the header, then the data.
type countySheet struct {
	name   string
	titles [][]any
	header []any
	rows   [][]any
}

// countyWorkbook writes the sheets with excelize, as Excel would save them,
// and reads them back through ReadXLSX.
func countyWorkbook(t *testing.T, sheets ...countySheet) *Workbook {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", s.name)
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		row := 1
		put := func(cells []any) {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := f.SetSheetRow(s.name, cell, &cells); err != nil {
				t.Fatal(err)
			}
			row++
		}
		for j, title := range s.titles {
			put(title)
			if j == 0 {
				last, _ := excelize.CoordinatesToCellName(len(s.header), 1)
				if err := f.MergeCell(s.name, "A1", last); err != nil {
					t.Fatal(err)
				}
			}
		}
		put(s.header)
		for _, r := range s.rows {
			put(r)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	wb, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return wb
}

// countyPeople is a 两委 roster the way a township sends it: a title, a
// line of who filled it in, then headers with spaces, line breaks,
// full-width brackets and letters, required marks and the county's own
// words, two columns the format does not know (序号, 健康状况) and one it
// knows under a name no synonym covers (常用手机).
func countyPeople(gender string) countySheet {
	return countySheet{
		name: "人员",
		titles: [][]any{
			{"萨拉齐镇村两委班子成员花名册"},
			{"填报单位：萨拉齐镇党委组织委员", nil, nil, nil, nil, nil, "日期：2024年1月"},
		},
		header: []any{"序号", "人员\n编号", "姓 名", "性\u3000别", "出生\n年月", "民族", "文化程度", "政治面貌", "健康状况",
			"身份证号码（必填）", "*手机号码", "常用手机", "所在村（社区）", "ＴＡＧＳ"},
		rows: [][]any{
			{1, "RY001", "张慧婷", gender, "1988年05月12日", "汉族", "本科", "中共党员", "健康",
				"150221198805120029", "13800138000", "13900139001", "150221105220", "返乡人员"},
			{2, "RY002", "李文博", "男", "1995-09-03", "蒙古族", "大专", "中共党员", "健康",
				"150221199509030031", "13900139000", "", "150221105220", ""},
		},
	}
}

// countyPosts: a title only, and the header of a 两委 post list.
func countyPosts() countySheet {
	return countySheet{
		name:   "任职",
		titles: [][]any{{"萨拉齐镇村两委任职情况"}},
		header: []any{"人员编号", "所在村", "现任\n职务", "任职\r\n时间", "备注"},
		rows:   [][]any{{"RY001", "150221105220", "书记主任一肩挑", "2021.03", "连任"}},
	}
}

func warningOn(rep *Report, sheet string, row int, text string) *Problem {
	for i, w := range rep.Warnings {
		if w.Sheet == sheet && w.Row == row && strings.Contains(w.Text.Zh+w.Text.En, text) {
			return &rep.Warnings[i]
		}
	}
	return nil
}

func TestCountyHeadersUnderTitleRows(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)

		// A bad value in the 2nd data row is reported at the row Excel
		// shows (title, filler line, header: the data starts at row 4).
		rep, err := Import(ctx, db.DB, countyWorkbook(t, countyPeople("未知"), countyPosts()), ImportOptions{})
		if err == nil || len(rep.Problems) != 1 || rep.Problems[0].Row != 4 || rep.Problems[0].Column != colGender {
			t.Fatalf("want one problem at row 4 [性别]: %v\n%s", err, rep)
		}

		rep = mustImport(t, db, countyWorkbook(t, countyPeople("女"), countyPosts()), ImportOptions{})
		if c := rep.Count("人员"); c.Created != 2 {
			t.Fatalf("people: %+v\n%s", c, rep)
		}
		if c := rep.Count("任职"); c.Created != 1 {
			t.Fatalf("posts: %+v\n%s", c, rep)
		}
		// The unknown columns are reported once per sheet, by name, at the
		// header's row, and the chosen header row is said.
		if w := warningOn(rep, "人员", 3, "unknown columns"); w == nil || w.Column != "序号、健康状况、常用手机" {
			t.Fatalf("unknown columns of 人员: %v\n%s", w, rep)
		}
		if w := warningOn(rep, "任职", 2, "unknown columns"); w == nil || w.Column != "备注" {
			t.Fatalf("unknown columns of 任职: %v\n%s", w, rep)
		}
		if warningOn(rep, "人员", 3, "row 3 is the header") == nil || warningOn(rep, "任职", 2, "row 2 is the header") == nil {
			t.Fatalf("the header rows are not said:\n%s", rep)
		}
		if len(rep.Warnings) != 4 {
			t.Fatalf("warnings: %v", rep.Warnings)
		}
		p := db.Client.Person.Query().Where(person.ExternalID("RY001")).OnlyX(ctx)
		if p.Name != "张慧婷" || p.Gender == nil || string(*p.Gender) != "FEMALE" || day(*p.BirthDate) != "1988-05-12" ||
			p.Phone != "13800138000" || p.Education == nil || string(*p.Education) != "BACHELOR" ||
			len(p.Tags) != 1 || p.Tags[0] != "RETURNEE" {
			t.Fatalf("person %+v", p)
		}
		post := p.QueryPosts().OnlyX(ctx)
		if string(post.Role) != "SECRETARY_AND_DIRECTOR" || day(post.StartDate) != "2021-03-01" {
			t.Fatalf("post %+v", post)
		}

		// The same workbook again changes nothing.
		rep = mustImport(t, db, countyWorkbook(t, countyPeople("女"), countyPosts()), ImportOptions{})
		if rep.Changed() != 0 {
			t.Fatalf("re-import changed rows:\n%s", rep)
		}
	})
}

func TestColumnMapping(t *testing.T) {
	ctx := auth.System(context.Background())
	mapping, err := ParseColumnMappingCSV(strings.NewReader(
		"sheet,header,column\n# 常用手机 is this county's mobile column\n花名册,,人员\n人员,常用手机,联系电话\n人员,序号,\n人员,健康状况,\n"))
	if err != nil {
		t.Fatal(err)
	}
	people := countyPeople("女")
	people.name = "花名册" // the county's own name for the sheet
	people.header[10] = "固定电话"
	people.rows[0][10], people.rows[1][10] = "", ""
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		rep := mustImport(t, db, countyWorkbook(t, people), ImportOptions{Columns: mapping})
		if rep.Count("人员").Created != 2 {
			t.Fatalf("%s", rep)
		}
		// Mapped and ignored columns warn no more; 固定电话 still does.
		if w := warningOn(rep, "花名册", 3, "unknown columns"); w == nil || w.Column != "固定电话" {
			t.Fatalf("warnings: %v", rep.Warnings)
		}
		if p := db.Client.Person.Query().Where(person.ExternalID("RY001")).OnlyX(ctx); p.Phone != "13900139001" {
			t.Fatalf("the mapped column was not imported: %q", p.Phone)
		}

		// A mapping naming a column the sheet does not have is a problem,
		// and so is one naming no sheet of the format; a line that finds
		// no header is a warning.
		bad := append(mapping[:len(mapping):len(mapping)],
			ColumnMapping{Sheet: "人员", Header: "健康状况", Column: "身体状况"},
			ColumnMapping{Sheet: "Sheet9", Header: "", Column: "名单"}, // 花名册 is a kind: the flat roster
			ColumnMapping{Sheet: "人员", Header: "籍贯", Column: "民族"})
		bad = append(bad[:3], bad[4:]...) // without 人员,健康状况, (ignore)
		rep, err := Import(ctx, db.DB, countyWorkbook(t, people, countySheet{name: "Sheet9", header: []any{"a"}}), ImportOptions{Columns: bad, DryRun: true})
		if err == nil || len(rep.Problems) != 2 ||
			rep.Problems[0].Column != "身体状况" || rep.Problems[0].Value != "健康状况" || !strings.Contains(rep.Problems[0].Text.En, "does not have") ||
			rep.Problems[1].Sheet != "Sheet9" || !strings.Contains(rep.Problems[1].Text.En, "names no sheet") {
			t.Fatalf("%v\n%s", err, rep)
		}
		if w := warningOn(rep, "人员", 0, "not used"); w == nil || w.Column != "籍贯" {
			t.Fatalf("the unused line is not reported: %v", rep.Warnings)
		}
	})
}

func TestAmbiguousAndDoubledHeaders(t *testing.T) {
	ctx := auth.System(context.Background())
	posts := countyPosts()
	posts.header[3] = "日期" // the start or the end of the post?
	people := countyPeople("女")
	people.header[0] = "全日制学历" // and 文化程度 is 学历 too
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		rep, err := Import(ctx, db.DB, countyWorkbook(t, people, posts), ImportOptions{DryRun: true})
		if err == nil || len(rep.Problems) != 2 {
			t.Fatalf("want two problems: %v\n%s", err, rep)
		}
		doubled, ambiguous := rep.Problems[0], rep.Problems[1]
		if doubled.Sheet != "人员" || doubled.Row != 3 || doubled.Column != "文化程度" || !strings.Contains(doubled.Text.Zh, "全日制学历") {
			t.Fatalf("doubled column: %v", doubled)
		}
		if ambiguous.Sheet != "任职" || ambiguous.Row != 2 || ambiguous.Column != "日期" ||
			!strings.Contains(ambiguous.Text.Zh, "开始日期、结束日期") {
			t.Fatalf("ambiguous header: %v", ambiguous)
		}
		// The user says which: the posts start then, the other 学历 goes.
		rep = mustImport(t, db, countyWorkbook(t, people, posts), ImportOptions{Columns: []ColumnMapping{
			{Sheet: "任职", Header: "日期", Column: "start_date"}, {Sheet: "人员", Header: "全日制学历"},
		}})
		if rep.Count("任职").Created != 1 || rep.Count("人员").Created != 2 {
			t.Fatalf("%s", rep)
		}
	})
}

func TestHeaderKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"姓 名", "姓名"},
		{"出生\n年月", "出生年月"},
		{"\u3000手机号码\u3000", "手机号码"},
		{"身份证号码（必填）", "身份证号码"},
		{"*姓名", "姓名"},
		{"姓名*", "姓名"},
		{"所在村（社区）", "所在村(社区)"},
		{"年度补助（元）", "年度补助(元)"},
		{"Ｂｉｒｔｈ Ｄａｔｅ", "birthdate"},
		{"birth_date", "birthdate"},
		{"任职\t时间", "任职时间"},
	} {
		if got := headerKey(c.in); got != c.want {
			t.Errorf("headerKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestColumnDefinitions: a header may be ambiguous only by declaration
// (the same synonym on two columns of a sheet, as 任职's 日期); a synonym
// never shadows another column's own name or alias; every synonym is
// found by matches.
func TestColumnDefinitions(t *testing.T) {
	for _, d := range Sheets {
		d := d
		own := map[string]string{}
		for _, c := range d.Columns {
			for _, n := range []string{c.Name, c.Alias} {
				if prev, dup := own[headerKey(n)]; dup {
					t.Errorf("%s: %q names both %s and %s", d.Name, n, prev, c.Name)
				}
				own[headerKey(n)] = c.Name
			}
		}
		for _, c := range d.Columns {
			for _, s := range c.Synonyms {
				if o, ok := own[headerKey(s)]; ok && o != c.Name {
					t.Errorf("%s: synonym %q of %s is the column %s", d.Name, s, c.Name, o)
				}
				m := d.matches(s)
				if len(m) > 1 && !strings.Contains(strings.Join(eitherEnd, ","), headerKey(s)) {
					t.Errorf("%s: %q is undeclared ambiguous", d.Name, s)
				}
				found := false
				for _, x := range m {
					found = found || x.Name == c.Name
				}
				if !found {
					t.Errorf("%s: synonym %q does not find %s", d.Name, s, c.Name)
				}
			}
		}
	}
}

func TestParseColumnMapping(t *testing.T) {
	j, err := ParseColumnMappingJSON(strings.NewReader(`[{"sheet":"人员","header":"常用手机","column":"phone"},{"sheet":"Sheet1","header":"","column":"people"}]`))
	if err != nil || len(j) != 2 || j[0].Column != "phone" || j[1].Sheet != "Sheet1" {
		t.Fatalf("%v %v", j, err)
	}
	if _, err := ParseColumnMappingJSON(strings.NewReader(`[{"sheet":"人员","header":"x","colum":"phone"}]`)); err == nil {
		t.Fatal("a misspelt field was accepted")
	}
	if _, err := ParseColumnMappingCSV(strings.NewReader("人员,a,b,c\n")); err == nil {
		t.Fatal("four fields were accepted")
	}
	gbk := []byte{0xc8, 0xcb, 0xd4, 0xb1, ',', 'a', ',', 0xd0, 0xd5, 0xc3, 0xfb, '\n'} // 人员,a,姓名 in GBK
	c, err := ParseColumnMappingCSV(bytes.NewReader(gbk))
	if err != nil || len(c) != 1 || c[0].Sheet != "人员" || c[0].Column != "姓名" {
		t.Fatalf("%v %v", c, err)
	}
}

// The synonyms table of docs/roster.md is what the definitions say.
func TestSynonymsDocIsFresh(t *testing.T) {
	doc, err := os.ReadFile("../docs/roster.md")
	if err != nil {
		t.Fatal(err)
	}
	want, ok := WithSynonyms(string(doc))
	if !ok || want != string(doc) {
		t.Fatal("the synonyms table of docs/roster.md is stale: run go run ./roster/template")
	}
}

// A header of two rows: 任职情况 merged over 现任职务 and 任职时间, the
// other headers merged down both rows (excelize, like Excel's readers,
// gives a merged range's value in its first cell and empty cells after).
func TestTwoLevelHeader(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		mustImport(t, db, countyWorkbook(t, countyPeople("女")), ImportOptions{})
		posts := countySheet{
			name:   "任职",
			titles: [][]any{{"萨拉齐镇村两委任职情况"}},
			header: []any{"人员编号", "所在村", "任职情况", nil, "备注"},
			rows: [][]any{
				{nil, nil, "现任职务", "任职时间"},
				{"RY002", "150221105220", "两委委员", "2021年3月", ""},
				{"RY001", "150221105220", "不是职务", "2021年3月", ""},
			},
		}
		rep, err := Import(ctx, db.DB, countyWorkbook(t, posts), ImportOptions{DryRun: true})
		if err == nil || len(rep.Problems) != 1 || rep.Problems[0].Row != 5 || rep.Problems[0].Column != colRole {
			t.Fatalf("want one problem at row 5 [职务]: %v\n%s", err, rep)
		}
		if warningOn(rep, "任职", 2, "rows 2–3 are the header") == nil {
			t.Fatalf("warnings %v", rep.Warnings)
		}
		if w := warningOn(rep, "任职", 2, "unknown columns"); w == nil || w.Column != "备注" {
			t.Fatalf("the group label or 备注: %v", rep.Warnings)
		}
		posts.rows = posts.rows[:2]
		rep = mustImport(t, db, countyWorkbook(t, posts), ImportOptions{})
		if rep.Count("任职").Created != 1 {
			t.Fatalf("%s", rep)
		}
		p := db.Client.Person.Query().Where(person.ExternalID("RY002")).OnlyX(ctx)
		if post := p.QueryPosts().OnlyX(ctx); string(post.Role) != "COMMITTEE_MEMBER" || day(post.StartDate) != "2021-03-01" {
			t.Fatalf("post %+v", post)
		}
	})
}

// A CSV file as Excel on Chinese Windows saves a county's sheet: GB18030,
// a title line, then the header with a line break inside a quoted cell.
func TestCountyCSV(t *testing.T) {
	text := "萨拉齐镇人才花名册,,,\n姓 名,\"身份证\n号码\",手机,\"健康\n状况\"\n张慧婷,150221198805120029,13800138000,健康\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadCSV("人员", strings.NewReader(gbk))
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		rep := mustImport(t, db, &Workbook{Sheets: []*Sheet{s}}, ImportOptions{})
		if rep.Count("人员").Created != 1 {
			t.Fatalf("%s", rep)
		}
		if w := warningOn(rep, "人员", 2, "unknown columns"); w == nil || w.Column != "健康 状况" {
			t.Fatalf("warnings %v", rep.Warnings)
		}
	})
}
