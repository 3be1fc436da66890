package roster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
)

// Real division codes of 土默特右旗 and, outside it, 沙市区.
var fixtureRegions = []struct {
	code, name string
	level      region.Level
}{
	{"15", "内蒙古自治区", region.LevelPROVINCE},
	{"1502", "包头市", region.LevelCITY},
	{"150221", "土默特右旗", region.LevelCOUNTY},
	{"150221105", "萨拉齐镇", region.LevelTOWNSHIP},
	{"150221105220", "萨拉齐镇第一村", region.LevelVILLAGE},
	{"150221100202", "萨拉齐镇第二村", region.LevelVILLAGE},
	{"150221101", "双龙镇", region.LevelTOWNSHIP},
	{"150221101201", "双龙镇第一村", region.LevelVILLAGE},
	// The template's examples are in a community without a secretary in
	// the demo (TestTemplateDryRunsOnTheDemo).
	{"150221104", "城关镇", region.LevelTOWNSHIP},
	{"150221104001", "振华社区", region.LevelVILLAGE},
	{"42", "湖北省", region.LevelPROVINCE},
	{"4210", "荆州市", region.LevelCITY},
	{"421002", "沙市区", region.LevelCOUNTY},
	{"421002001", "中山路街道", region.LevelTOWNSHIP},
	{"421002001201", "沙市第一村", region.LevelVILLAGE},
}

func addRegions(t testing.TB, c *ent.Client) {
	t.Helper()
	ctx := auth.System(context.Background())
	ids := map[string]int{}
	for _, r := range fixtureRegions {
		b := c.Region.Create().SetCode(r.code).SetName(r.name).SetLevel(r.level)
		if p, ok := ids[parentCode(r.code)]; ok {
			b.SetParentID(p)
		}
		if r.level == region.LevelVILLAGE {
			b.SetKind(region.KindVILLAGE)
			if strings.HasSuffix(r.name, "社区") {
				b.SetKind(region.KindCOMMUNITY)
			}
		}
		ids[r.code] = b.SaveX(ctx).ID
	}
}

func parentCode(code string) string {
	for _, n := range []int{9, 6, 4, 2} {
		if n < len(code) {
			return code[:n]
		}
	}
	return ""
}

// sheet builds a sheet from a header and rows (row 2 onwards).
func sheet(name string, header []string, rows ...[]string) *Sheet {
	s := &Sheet{Name: name, Header: header}
	for i, r := range rows {
		s.Rows = append(s.Rows, Row{Line: i + 2, Cells: r})
	}
	return s
}

func defOf(kind SheetKind) SheetDef { return Sheets[kind] }

// headerOf is the full Chinese header of a sheet.
func headerOf(kind SheetKind) []string {
	var h []string
	for _, c := range defOf(kind).Columns {
		h = append(h, c.Name)
	}
	return h
}

// templateWorkbook is the template's example data, read back from the .xlsx.
func templateWorkbook(t *testing.T) *Workbook {
	t.Helper()
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	wb, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return wb
}

func mustImport(t *testing.T, db *dbtest.DB, wb *Workbook, opts ImportOptions) *Report {
	t.Helper()
	rep, err := Import(auth.System(context.Background()), db.DB, wb, opts)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, rep)
	}
	return rep
}

// cellValues flattens a workbook for comparison.
func cellValues(wb *Workbook) []string {
	var out []string
	for _, s := range wb.Sheets {
		out = append(out, "## "+s.Name+": "+strings.Join(s.Header, ","))
		for _, r := range s.Rows {
			out = append(out, fmt.Sprintf("%d: %s", r.Line, strings.Join(r.Cells, "|")))
		}
	}
	return out
}

func TestTemplateImportsAndReimportChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		wb := templateWorkbook(t)
		rep := mustImport(t, db, wb, ImportOptions{})
		if len(rep.Warnings) != 0 {
			t.Errorf("the template warns: %v", rep.Warnings)
		}
		for _, d := range Sheets {
			c := rep.Count(d.Name)
			if c.Created != len(d.Examples) || c.Rows != len(d.Examples) {
				t.Errorf("%s: %+v, want %d created", d.Name, c, len(d.Examples))
			}
		}
		if !rep.Written {
			t.Error("report says nothing was written")
		}
		ctx := auth.System(context.Background())
		p := db.Client.Person.Query().Where().AllX(ctx)
		if len(p) != len(Sheets[People].Examples) {
			t.Fatalf("%d people", len(p))
		}
		before := db.Statements.Count()
		again := mustImport(t, db, templateWorkbook(t), ImportOptions{})
		if again.Changed() != 0 || again.Written {
			t.Fatalf("re-import changed something:\n%s", again)
		}
		for _, c := range again.Counts {
			if c.Unchanged != c.Rows {
				t.Errorf("%s: %+v", c.Sheet, c)
			}
		}
		if !strings.Contains(again.String(), "nothing changed") {
			t.Errorf("report: %s", again)
		}
		// Re-import only reads: a bounded number of queries, whatever the rows.
		if n := db.Statements.Count() - before; n > 40 {
			t.Errorf("re-import ran %d statements", n)
		}
	})
}

func TestRoundTrip(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		mustImport(t, db, templateWorkbook(t), ImportOptions{})
		// Data without numbers of its own, and outside the subtree.
		v := db.Client.Region.Query().Where(region.Code("150221100202")).OnlyX(ctx)
		sha := db.Client.Region.Query().Where(region.Code("421002001201")).OnlyX(ctx)
		anon := db.Client.Person.Create().SetName("赵六").SetHomeVillageID(v.ID).SaveX(ctx)
		// Values a spreadsheet would run as formulas: exported neutralised,
		// imported unchanged.
		db.Client.Person.Create().SetName(`=HYPERLINK("http://example.com","孙八")`).SetProfessionalTitle("-5").
			SetHomeVillageID(v.ID).SaveX(ctx)
		db.Client.Person.Create().SetName("@孙九").SetProfessionalTitle("+86 高级农艺师").SetHomeVillageID(v.ID).SaveX(ctx)
		mentor := db.Client.Person.Query().Where(person.ExternalID("RY001")).OnlyIDX(ctx)
		db.Client.Mentorship.Create().SetMentorID(mentor).SetMenteeID(anon.ID).SetProgram("X_PLUS_N").
			SetStartDate(mustDate("2024-01-01")).SaveX(ctx)
		outsider := db.Client.Person.Create().SetName("钱七").SetHomeVillageID(sha.ID).SaveX(ctx)
		db.Client.Post.Create().SetPersonID(outsider.ID).SetRegionID(sha.ID).SetRole("PARTY_SECRETARY").
			SetStartDate(mustDate("2020-01-01")).SaveX(ctx)

		dir := t.TempDir()
		xlsx := filepath.Join(dir, "roster.xlsx")
		if err := Export(ctx, db.Client, "150221", ExportOptions{}, xlsx); err != nil {
			t.Fatal(err)
		}
		first, err := Open(xlsx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cellValues(first) {
			if strings.Contains(c, "钱七") {
				t.Errorf("exported someone outside the subtree: %s", c)
			}
		}
		if !slices.ContainsFunc(cellValues(first), func(s string) bool { return strings.Contains(s, "赵六") }) {
			t.Error("the resident without a number is missing")
		}

		// Into an empty database with the regions: the same content comes back.
		fresh := dbtest.OpenSQLite(t)
		if db.Dialect == "postgres" {
			fresh = dbtest.OpenPostgres(t)
		}
		addRegions(t, fresh.Client)
		mustImport(t, fresh, first, ImportOptions{})
		csvDir := filepath.Join(dir, "csv")
		if err := Export(ctx, fresh.Client, "150221", ExportOptions{}, csvDir); err != nil {
			t.Fatal(err)
		}
		second, err := Open(csvDir)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(second.Sheets, func(a, b *Sheet) int { return int(sheetDef(a.Name).Kind - sheetDef(b.Name).Kind) })
		if a, b := cellValues(first), cellValues(second); !slices.Equal(a, b) {
			t.Fatalf("round trip differs:\nfirst  %q\nsecond %q", a, b)
		}
		// The export is itself a no-op re-import into the database it came from.
		again := mustImport(t, db, first, ImportOptions{})
		if again.Changed() != 0 {
			t.Fatalf("re-importing the export changed something:\n%s", again)
		}
		raw, _ := os.ReadFile(filepath.Join(csvDir, "人员.csv"))
		if !bytes.HasPrefix(raw, utf8BOM) {
			t.Error("CSV without BOM")
		}
		if !bytes.Contains(raw, []byte(`"'=HYPERLINK(""http://example.com"",""孙八"")"`)) || !bytes.Contains(raw, []byte(",'@孙九,")) ||
			!bytes.Contains(raw, []byte(",'+86 高级农艺师")) || !bytes.Contains(raw, []byte(",-5")) {
			t.Errorf("formulas not neutralised in the CSV:\n%s", raw)
		}
		if !slices.ContainsFunc(cellValues(second), func(s string) bool {
			return strings.Contains(s, `|=HYPERLINK("http://example.com","孙八")|`)
		}) {
			t.Error("the formula-like name did not come back unchanged")
		}
	})
}

func TestExportMasksPersonalData(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		mustImport(t, db, templateWorkbook(t), ImportOptions{})
		wb, err := ExportWorkbook(ctx, db.Client, "150221", ExportOptions{MaskPersonalData: true})
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(cellValues(wb), "\n")
		if strings.Contains(all, "13800138000") || strings.Contains(all, "150221198805120029") {
			t.Fatal("personal data in a masked export")
		}
		if !strings.Contains(all, "138****8000") || !strings.Contains(all, "150221************") {
			t.Fatalf("masked values missing:\n%s", all)
		}
		if _, err := ExportWorkbook(ctx, db.Client, "999999", ExportOptions{}); err == nil {
			t.Fatal("exported an unknown region")
		}
	})
}

func TestGBKCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		dir := t.TempDir()
		people := "人员编号,姓名,性别,出生日期,所在村代码,标签\r\nRY9,苏日娜,女,1990年3月,150221105220,返乡人员；致富带头人\r\n"
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(people)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "人员.csv"), []byte(gbk), 0o644); err != nil {
			t.Fatal(err)
		}
		// The English alias as file name, UTF-8 with BOM.
		posts := "\ufeffperson_no,region_code,role,start_date\nRY9,150221105220,两委委员,2021/3/1\n"
		if err := os.WriteFile(filepath.Join(dir, "posts.csv"), []byte(posts), 0o644); err != nil {
			t.Fatal(err)
		}
		wb, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		rep := mustImport(t, db, wb, ImportOptions{})
		if rep.Count("人员").Created != 1 || rep.Count("任职").Created != 1 {
			t.Fatalf("%s", rep)
		}
		p := db.Client.Person.Query().OnlyX(auth.System(context.Background()))
		if p.Name != "苏日娜" || p.BirthDate.Format("2006-01-02") != "1990-03-01" || len(p.Tags) != 2 {
			t.Fatalf("read %q %v %v", p.Name, p.BirthDate, p.Tags)
		}
		post := db.Client.Post.Query().OnlyX(auth.System(context.Background()))
		if post.Role != "COMMITTEE_MEMBER" || post.StartDate.Format("2006-01-02") != "2021-03-01" {
			t.Fatalf("post %v %v", post.Role, post.StartDate)
		}
	})
}

func TestParseDate(t *testing.T) {
	good := map[string]string{
		"2024-07-01": "2024-07-01", "2024/7/1": "2024-07-01", "2024.07.01": "2024-07-01", "2024.07": "2024-07-01",
		"2024年7月": "2024-07-01", "2024年07月15日": "2024-07-15", "45474": "2024-07-01", "2024-07-01 00:00:00": "2024-07-01",
	}
	for in, want := range good {
		if d, ok := parseDate(in); !ok || day(d) != want {
			t.Errorf("parseDate(%q) = %v %v, want %s", in, d, ok, want)
		}
	}
	for _, bad := range []string{"2024-02-30", "2024-13-01", "2024", "07/01/2024", "2024-07/01", "昨天", "2024年13月"} {
		if d, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want an error", bad, d)
		}
	}
}

func TestTemplateFile(t *testing.T) {
	// docs/roster-template.xlsx is what Template writes (go run ./roster/template).
	committed, err := Open(filepath.Join("..", "docs", "roster-template.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := cellValues(committed), cellValues(templateWorkbook(t)); !slices.Equal(a, b) {
		t.Fatalf("docs/roster-template.xlsx is stale: run go run ./roster/template\n%q\n%q", a, b)
	}
	f, err := excelize.OpenFile(filepath.Join("..", "docs", "roster-template.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	comments, err := f.GetComments("任职")
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, c := range comments {
		text = append(text, c.Cell+": "+c.Text)
		for _, p := range c.Paragraph {
			text = append(text, p.Text)
		}
	}
	all := strings.Join(text, "\n")
	if !strings.Contains(all, postRoles.list()) || !strings.Contains(all, "必填") {
		t.Fatalf("the 职务 comment does not list the roles: %s", all)
	}
}

func TestExcelCells(t *testing.T) {
	// What people type into Excel: a real date cell, a phone number as a
	// number, a full-width header and an empty row in between.
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "人员")
	f.SetSheetRow("人员", "A1", &[]any{"人员编号", "姓名", "出生日期", "联系电话", "所在村代码", "职称（注）"})
	f.SetSheetRow("人员", "A3", &[]any{"A1", "张慧婷", time.Date(1988, 5, 12, 0, 0, 0, 0, time.UTC), 13800138000, "150221105220"})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("人员", "C3", "C3", style)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	wb, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r := wb.Sheets[0].Rows; len(r) != 1 || r[0].Line != 3 {
		t.Fatalf("rows %v", r)
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		rep := mustImport(t, db, wb, ImportOptions{})
		if len(rep.Warnings) != 1 || rep.Warnings[0].Column != "职称（注）" {
			t.Errorf("warnings %v", rep.Warnings)
		}
		p := db.Client.Person.Query().OnlyX(auth.System(context.Background()))
		if day(*p.BirthDate) != "1988-05-12" || p.Phone != "13800138000" {
			t.Fatalf("%v %q", p.BirthDate, p.Phone)
		}
	})
}

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Progress goes through validation, then writing; BeforeCommit runs inside
// the transaction, and its error rolls the whole import back.
func TestProgressAndBeforeCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		ctx := auth.System(context.Background())
		var seen []Progress
		opts := ImportOptions{
			Progress: func(p Progress) { seen = append(seen, p) },
			BeforeCommit: func(ctx context.Context, tx *ent.Client, rep *Report) error {
				if !rep.Written {
					t.Error("BeforeCommit sees Written false")
				}
				// Inside the transaction: the rows are there.
				if n := tx.Person.Query().CountX(ctx); n != len(Sheets[People].Examples) {
					t.Errorf("BeforeCommit sees %d people", n)
				}
				return fmt.Errorf("refused")
			},
		}
		rep, err := Import(ctx, db.DB, templateWorkbook(t), opts)
		if err == nil || err.Error() != "refused" || rep.Written {
			t.Fatalf("import: %v, written %v", err, rep.Written)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d people after the rollback", n)
		}
		rows := 0
		for _, d := range Sheets {
			rows += len(d.Examples)
		}
		first, last := seen[0], seen[len(seen)-1]
		if first != (Progress{Phase: Validating, Total: rows}) || last.Phase != Writing || last.Done != last.Total || last.Total != rep.Changed() {
			t.Fatalf("progress: %+v", seen)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i].Phase == seen[i-1].Phase && seen[i].Done < seen[i-1].Done {
				t.Fatalf("progress went back: %+v", seen)
			}
		}
		opts.BeforeCommit = nil
		if rep := mustImport(t, db, templateWorkbook(t), opts); !rep.Written {
			t.Fatal("not written")
		}
	})
}
