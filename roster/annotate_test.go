package roster

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/i18n"
)

// faultyCountyWorkbook is a county's 人员 sheet under a title row (so the
// header is row 2 and data starts at row 3, as Excel shows it) with
// problems in known cells, and a clean 说明 sheet.
func faultyCountyWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "人员")
	rows := [][]any{
		{"萨拉齐镇人才花名册"},
		{"人员编号", "姓 名", "性别", "出生年月", "所在村代码"},
		{"A1", "张慧婷", "女", "1988.05", "150221105220"},     // row 3: fine
		{"A2", "李文博", "男", "1988年13月", "150221105220"},    // row 4: D4 not a date
		{"A3", "王建国", "未知", "1990-01-02", "150221105220"}, // row 5: C5 not a word
		{"A4", "", "女", "", "150221105220"},               // row 6: B6 missing
		{"A5", "赵敏", "女", "1991年02月", "150221105220"},     // row 7: fine
		{"A6", "钱多", "男", "19900101x", "150221105220"},    // row 8: D8 not a date
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("人员", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAnnotateMarksExactlyTheFaultyCells(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	addRegions(t, db.Client)
	original := faultyCountyWorkbook(t)
	wb, err := ReadXLSX(bytes.NewReader(original))
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := Import(auth.System(context.Background()), db.DB, wb, ImportOptions{DryRun: true})
	if rep == nil || rep.OK() {
		t.Fatalf("want problems, got %v", rep)
	}

	// Grouped: two bad dates first, then one word, one missing value.
	groups := rep.Groups()
	if len(groups) != 3 || groups[0].Kind != KindBadDate || groups[0].Count != 2 {
		t.Fatalf("groups %+v", groups)
	}
	if got := groups[0].String(); got != "日期格式错误 not a date ×2: 人员 第4、8行" {
		t.Errorf("group line %q", got)
	}
	kinds := []Kind{groups[1].Kind, groups[2].Kind}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []Kind{KindMissingValue, KindUnknownWord}) {
		t.Errorf("kinds %v", kinds)
	}
	if s := rep.String(); !strings.HasPrefix(s, "错误 error: 日期格式错误 not a date ×2: 人员 第4、8行\n") {
		t.Errorf("report starts\n%s", s)
	}

	out, err := Annotate(original, rep)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if names := f.GetSheetList(); len(names) < 2 || names[0] != SummarySheet || names[1] != "人员" {
		t.Fatalf("sheets %v", names)
	}
	want := map[string]string{"D4": "日期格式错误", "C5": "不是允许的值", "B6": "必填项为空", "D8": "日期格式错误"}
	wantEn := map[string]string{"D4": "not a date", "C5": "not an allowed word", "B6": "required value is empty", "D8": "not a date"}
	comments, err := f.GetComments("人员")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range comments {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		got[c.Cell] = text
	}
	for cell, reason := range want {
		if !strings.Contains(got[cell], reason) || !strings.Contains(got[cell], wantEn[cell]) {
			t.Errorf("comment on %s: %q, want %q and %q", cell, got[cell], reason, wantEn[cell])
		}
	}
	// The title row's warning (row 2 is the header) marks A2, a warning.
	for cell := range got {
		if _, ok := want[cell]; !ok && cell != "A2" {
			t.Errorf("unexpected comment on %s: %q", cell, got[cell])
		}
	}
	fill := func(cell string) string {
		id, err := f.GetCellStyle("人员", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st == nil || len(st.Fill.Color) == 0 {
			return ""
		}
		return strings.TrimPrefix(strings.ToUpper(st.Fill.Color[0]), "FF")
	}
	for row := 1; row <= 8; row++ {
		for col := 1; col <= 5; col++ {
			cell, _ := excelize.CoordinatesToCellName(col, row)
			wantFill := ""
			if _, bad := want[cell]; bad {
				wantFill = strings.TrimPrefix(errorFill, "FF")
			} else if cell == "A2" {
				wantFill = strings.TrimPrefix(warningFill, "FF")
			}
			if got := fill(cell); !strings.HasSuffix(got, wantFill) || (wantFill == "" && got != "") {
				t.Errorf("fill of %s: %q, want %q", cell, got, wantFill)
			}
		}
	}
	// The data are the user's own, unchanged.
	if v, _ := f.GetCellValue("人员", "D4"); v != "1988年13月" {
		t.Errorf("D4 now %q", v)
	}
	// The summary lists the groups first.
	if v, _ := f.GetCellValue(SummarySheet, "A5"); !strings.Contains(v, string(KindBadDate)) {
		t.Errorf("summary A5 %q", v)
	}

	// Fixed and uploaded again, the annotated workbook imports as it is:
	// the summary sheet is skipped without a warning.
	wb2, err := ReadXLSX(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	rep2, _ := Import(auth.System(context.Background()), db.DB, wb2, ImportOptions{DryRun: true})
	if len(rep2.Problems) != len(rep.Problems) {
		t.Errorf("again: %d problems, want %d", len(rep2.Problems), len(rep.Problems))
	}
	for _, w := range rep2.Warnings {
		if w.Sheet == SummarySheet {
			t.Errorf("warning on the summary: %v", w)
		}
	}
	// Annotating the annotated copy replaces its comments.
	out2, err := Annotate(out, rep2)
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := excelize.OpenReader(bytes.NewReader(out2))
	defer f2.Close()
	if cs, _ := f2.GetComments("人员"); len(cs) != len(comments) {
		t.Errorf("re-annotated: %d comments, want %d", len(cs), len(comments))
	}
}

// Stored reports keep reading; kind, read and cell are stored when set.
func TestProblemStoresKindReadAndCell(t *testing.T) {
	p := Problem{Sheet: "任职", Row: 4, Column: "结束日期", Value: "2020.1", Rule: "END_BEFORE_START",
		Kind: "END_BEFORE_START", Read: "2020-01-01", Cell: "F4"}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Problem
	if err := json.Unmarshal(b, &back); err != nil || back != p {
		t.Fatalf("%s read back as %+v (%v)", b, back, err)
	}
	if !strings.Contains(p.String(), `"2020.1" → 2020-01-01`) {
		t.Errorf("%s", p.String())
	}
	old := Problem{Sheet: "人员", Row: 3, Rule: "MENTORING_CYCLE"}
	if old.Group() != Kind("MENTORING_CYCLE") || (Problem{}).Group() != KindOther {
		t.Errorf("fallback kinds")
	}
}

// A roster with a problem in every row: at most maxMarkedCells cells are
// marked, every problem is listed, and it takes seconds (deleting and
// linking one by one made 20,000 problems take minutes).
func TestAnnotateManyProblems(t *testing.T) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	rep := &Report{}
	n := maxMarkedCells + 500
	for r := 1; r <= n+1; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		sw.SetRow(cell, []any{r, "1988.13"})
		if r > 1 {
			b, _ := excelize.CoordinatesToCellName(2, r)
			rep.Problems = append(rep.Problems, Problem{Sheet: "Sheet1", Row: r, Column: "出生日期", Cell: b,
				Text: i18n.Text{Zh: "日期格式错误", En: "not a date"}, Kind: KindBadDate})
		}
	}
	sw.Flush()
	var in bytes.Buffer
	f.Write(&in)
	// How long this takes is the benchmark's business, not a test's: it
	// is logged, and the cap on marked cells is what is checked.
	start := time.Now()
	out, err := Annotate(in.Bytes(), rep)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("annotating %d problems took %v", n, time.Since(start))
	a, _ := excelize.OpenReader(bytes.NewReader(out))
	defer a.Close()
	if cs, _ := a.GetComments("Sheet1"); len(cs) != maxMarkedCells {
		t.Errorf("%d comments, want %d", len(cs), maxMarkedCells)
	}
	rows, _ := a.GetRows(SummarySheet)
	if len(rows) < n {
		t.Errorf("summary has %d rows for %d problems", len(rows), n)
	}
}
