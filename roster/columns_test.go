package roster

import (
	"context"
	"slices"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// The report lists what a mapping form needs: each unknown header of a
// sheet with the columns it may be (the likeliest first, none already
// taken), each ambiguous header with its candidates, each unknown sheet
// with the format's sheets the workbook lacks, and each missing required
// column; a mapping built from it settles them.
func TestReportUnknownColumns(t *testing.T) {
	ctx := auth.System(context.Background())
	people := countyPeople("女")
	people.header[2] = "本人姓名" // 姓名 (required) is now missing
	people.header[11] = "本人手机"
	people.header[10] = "座机"
	posts := countyPosts()
	posts.header[3] = "日期" // 开始日期 or 结束日期
	stray := countySheet{name: "Sheet3", header: []any{"x"}, rows: [][]any{{"1"}}}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		rep, err := Import(ctx, db.DB, countyWorkbook(t, people, posts, stray), ImportOptions{DryRun: true})
		if err == nil {
			t.Fatalf("a missing 姓名 and an ambiguous 日期 passed:\n%s", rep)
		}
		byHeader := map[string]UnknownColumn{}
		for _, u := range rep.UnknownColumns {
			byHeader[u.Sheet+"/"+u.Header] = u
		}
		for _, h := range []string{"人员/序号", "人员/本人姓名", "人员/座机", "人员/本人手机", "人员/健康状况", "任职/日期", "任职/备注", "Sheet3/"} {
			if _, ok := byHeader[h]; !ok {
				t.Fatalf("%s is not listed: %+v", h, rep.UnknownColumns)
			}
		}
		if len(rep.UnknownColumns) != 8 {
			t.Fatalf("unknown columns: %+v", rep.UnknownColumns)
		}
		phone := byHeader["人员/本人手机"]
		if phone.FormatSheet != "人员" || phone.Ambiguous || phone.Suggestions[0] != colPhone {
			t.Fatalf("本人手机 should suggest 联系电话 first: %+v", phone)
		}
		if name := byHeader["人员/本人姓名"]; name.Suggestions[0] != colPersonName {
			t.Fatalf("本人姓名 should suggest 姓名 first: %+v", name)
		}
		// Columns another header took are not offered.
		if slices.Contains(phone.Suggestions, colGender) || slices.Contains(phone.Suggestions, colPersonNo) {
			t.Fatalf("bound columns offered: %v", phone.Suggestions)
		}
		if d := byHeader["任职/日期"]; !d.Ambiguous || !slices.Equal(d.Suggestions, []string{"开始日期", "结束日期"}) {
			t.Fatalf("ambiguous 日期: %+v", d)
		}
		if s := byHeader["Sheet3/"]; s.FormatSheet != "" || slices.Contains(s.Suggestions, "人员") || !slices.Contains(s.Suggestions, "机构") {
			t.Fatalf("unknown sheet: %+v", s)
		}
		if len(rep.MissingColumns) != 1 || rep.MissingColumns[0] != (MissingColumn{Sheet: "人员", FormatSheet: "人员", Column: colPersonName}) {
			t.Fatalf("missing: %+v", rep.MissingColumns)
		}

		mapping := []ColumnMapping{
			{Sheet: "人员", Header: "本人姓名", Column: "姓名"},
			{Sheet: "人员", Header: "本人手机", Column: "联系电话"},
			{Sheet: "人员", Header: "座机"},
			{Sheet: "任职", Header: "日期", Column: "开始日期"},
		}
		if err := CheckColumnMapping(mapping); err != nil {
			t.Fatal(err)
		}
		rep = mustImport(t, db, countyWorkbook(t, people, posts), ImportOptions{Columns: mapping})
		if rep.Count("人员").Created != 2 || len(rep.MissingColumns) != 0 {
			t.Fatalf("%s", rep)
		}
		for _, u := range rep.UnknownColumns {
			if u.Header == "本人手机" || u.Header == "座机" || u.Header == "日期" {
				t.Fatalf("a mapped header is still unknown: %+v", u)
			}
		}
	})
}

func TestCheckColumnMapping(t *testing.T) {
	for _, c := range []struct {
		name  string
		ms    []ColumnMapping
		index int
		field string // "" when the mapping is fine
	}{
		{"fine", []ColumnMapping{{Sheet: "people", Header: "本人手机", Column: "phone"}, {Sheet: "人员", Header: "序号"}}, 0, ""},
		{"a whole sheet, then its headers", []ColumnMapping{{Sheet: "Sheet1", Column: "人员"}, {Sheet: "Sheet1", Header: "手机", Column: "联系电话"}}, 0, ""},
		{"no sheet", []ColumnMapping{{Sheet: "人员", Header: "a"}, {Sheet: " ", Header: "b", Column: "姓名"}}, 1, "sheet"},
		{"unknown column", []ColumnMapping{{Sheet: "人员", Header: "本人手机", Column: "手机"}}, 0, "column"},
		{"a column of another sheet", []ColumnMapping{{Sheet: "任职", Header: "x", Column: "身份证号"}}, 0, "column"},
		{"unknown sheet kind", []ColumnMapping{{Sheet: "Sheet1", Column: "花名册"}}, 0, "column"},
		{"a workbook sheet never bound", []ColumnMapping{{Sheet: "人员", Header: "a", Column: "姓名"}, {Sheet: "Sheet1", Header: "手机", Column: "联系电话"}}, 1, "sheet"},
	} {
		err := CheckColumnMapping(c.ms)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.field != "" && (err == nil || err.Index != c.index || err.Field != c.field || err.Text.Zh == "" || err.Text.En == ""):
			t.Errorf("%s: want entry %d field %s, got %+v", c.name, c.index, c.field, err)
		}
	}
}
