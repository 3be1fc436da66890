package roster

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/rules"
)

// Every form a county writes a date in, to the day or to the month.
func TestDateForms(t *testing.T) {
	cases := []struct {
		in    string
		want  string // YYYY-MM-DD, "" refused
		month bool
	}{
		{"1971.07", "1971-07-01", true},
		{"1971-07", "1971-07-01", true},
		{"1971/7", "1971-07-01", true},
		{"1971.7", "1971-07-01", true},
		{"1971年7月", "1971-07-01", true},
		{"1971年07月", "1971-07-01", true},
		{"197107", "1971-07-01", true},
		{"1971.10", "1971-10-01", true},
		{"１９７１．０７", "1971-07-01", true},            // full-width
		{"1971.0699999999999", "1971-07-01", true}, // 1971.07 typed into a number cell
		{"1971.1000000000001", "1971-10-01", true},
		{"1971-07-15", "1971-07-15", false},
		{"1971/7/15", "1971-07-15", false},
		{"1971.07.15", "1971-07-15", false},
		{"1971年7月15日", "1971-07-15", false},
		{"19710715", "1971-07-15", false},
		{"1971-07-15 00:00:00", "1971-07-15", false},
		{"26115", "1971-07-01", false}, // an Excel date cell: its serial, a day
		{"26129.0", "1971-07-15", false},
		// Refused.
		{"1971.1", "", false}, // January, or 1971.10 from a number cell?
		{"1971.13", "", false},
		{"197113", "", false},
		{"1971", "", false},
		{"1971-07/15", "", false},
		{"19710732", "", false},
		{"07/1971", "", false},
		{"1971年", "", false},
		{"1971.071", "", false}, // not the noise of 1971.07
	}
	for _, c := range cases {
		d, month, ok := parseDateMonth(c.in)
		got := ""
		if ok {
			got = day(d)
		}
		if got != c.want || month != c.month {
			t.Errorf("%q: %q month %v, want %q month %v", c.in, got, month, c.want, c.month)
		}
	}
}

// What Excel gives the reader: raw cell values, so a date cell is its
// serial whatever its format, and 1971.07 in a number cell is a number.
func TestExcelBirthDates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "人员")
	f.SetSheetRow("人员", "A1", &[]any{"人员编号", "姓名", "出生年月", "身份证号"})
	f.SetSheetRow("人员", "A2", &[]any{"D1", "日期格", 26129})     // a date cell, shown as 1971/7/15
	f.SetSheetRow("人员", "A3", &[]any{"D2", "数字格", 1971.07})   // a number cell
	f.SetSheetRow("人员", "A4", &[]any{"D3", "文本格", "1971.07"}) // text
	f.SetSheetRow("人员", "A5", &[]any{"D4", "六位数", 197107})
	f.SetSheetRow("人员", "A6", &[]any{"D5", "中文", "1971年7月"})
	// A date cell on the 1st, as a column formatted yyyy.mm keeps a month:
	// with a 身份证号 in that month it is the month, and the number gives
	// the day; without one it stays the day written.
	f.SetSheetRow("人员", "A7", &[]any{"D6", "月份格", 32264, womanID}) // 1988-05-01
	f.SetSheetRow("人员", "A8", &[]any{"D7", "一号", 26115})           // 1971-07-01
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("人员", "C2", "C2", style)
	month, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy.mm")})
	f.SetCellStyle("人员", "C7", "C8", month)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	wb, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		mustImport(t, db, wb, ImportOptions{})
		want := map[string]string{"D1": "1971-07-15", "D2": "1971年07月", "D3": "1971年07月", "D4": "1971年07月", "D5": "1971年07月",
			"D6": "1988-05-12", "D7": "1971-07-01"}
		for _, p := range db.Client.Person.Query().AllX(auth.System(context.Background())) {
			if got := birthText(p.BirthDate, p.BirthDatePrecision); got != want[*p.ExternalID] {
				t.Errorf("%s: %s (%v), want %s", *p.ExternalID, got, p.BirthDate, want[*p.ExternalID])
			}
		}
	})
}

// A month-only birth date is stored as the 1st with precision MONTH,
// exported as 1971年07月, and the export imports unchanged; a full date
// written later makes it a day again.
func TestMonthPrecisionRoundTrip(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		mustImport(t, db, &Workbook{Sheets: []*Sheet{people(
			[]string{"M1", "王建国", "男", "1971.07", "", "", "150221105220"},
			[]string{"M2", "李秀英", "女", "1980-03-15", "", "", "150221105220"},
		)}}, ImportOptions{})
		p := db.Client.Person.Query().Where(person.ExternalID("M1")).OnlyX(ctx)
		if day(*p.BirthDate) != "1971-07-01" || !monthOnly(p.BirthDatePrecision) {
			t.Fatalf("stored %v %v", p.BirthDate, p.BirthDatePrecision)
		}
		wb, err := ExportWorkbook(ctx, db.Client, "150221", ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cells := strings.Join(cellValues(wb), "\n")
		if !strings.Contains(cells, "|王建国|男|1971年07月|") || !strings.Contains(cells, "|李秀英|女|1980-03-15|") {
			t.Fatalf("export:\n%s", cells)
		}
		if rep := mustImport(t, db, wb, ImportOptions{}); rep.Changed() != 0 {
			t.Fatalf("re-importing the export changed something:\n%s", rep)
		}
		if p := db.Client.Person.Query().Where(person.ExternalID("M1")).OnlyX(ctx); !monthOnly(p.BirthDatePrecision) {
			t.Fatal("the month was lost")
		}
		// The day on the 1st written in full is a change: a day now.
		rep := mustImport(t, db, &Workbook{Sheets: []*Sheet{people([]string{"M1", "王建国", "", "1971-07-01", "", "", ""})}}, ImportOptions{})
		if rep.Changed() != 1 {
			t.Fatalf("%s", rep)
		}
		if p := db.Client.Person.Query().Where(person.ExternalID("M1")).OnlyX(ctx); monthOnly(p.BirthDatePrecision) || day(*p.BirthDate) != "1971-07-01" {
			t.Fatalf("%v %v", p.BirthDate, p.BirthDatePrecision)
		}
	})
}

// With a 身份证号: a month that agrees takes the number's day, one that
// does not is refused naming both months (never the number), and empty
// birth date and gender come from the number.
func TestBirthDateFromIDNumber(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		rep, err := Import(ctx, db.DB, &Workbook{Sheets: []*Sheet{people(
			[]string{"W1", "张慧婷", "", "1988.06", "", womanID, ""},
		)}}, ImportOptions{})
		if err == nil || len(rep.Problems) != 1 {
			t.Fatalf("%v %s", err, rep)
		}
		pr := rep.Problems[0]
		text := rep.String()
		if pr.Rule != rules.IDBirthMonthMismatch || pr.Column != "身份证号" ||
			!strings.Contains(text, "1988-06") || !strings.Contains(text, "1988-05") {
			t.Fatalf("%+v\n%s", pr, text)
		}
		for _, secret := range []string{womanID, womanID[6:14], womanID[:10], "05-12", "0512"} {
			if strings.Contains(text, secret) {
				t.Fatalf("the report quotes the ID number (%s):\n%s", secret, text)
			}
		}

		mustImport(t, db, &Workbook{Sheets: []*Sheet{people(
			[]string{"W1", "张慧婷", "", "1988.05", "", womanID, ""},
			[]string{"B1", "李文博", "", "", "", manID, ""},
		)}}, ImportOptions{})
		w := db.Client.Person.Query().Where(person.ExternalID("W1")).OnlyX(ctx)
		if day(*w.BirthDate) != "1988-05-12" || monthOnly(w.BirthDatePrecision) || w.Gender == nil || *w.Gender != person.GenderFEMALE {
			t.Fatalf("W1: %v %v %v", w.BirthDate, w.BirthDatePrecision, w.Gender)
		}
		b := db.Client.Person.Query().Where(person.ExternalID("B1")).OnlyX(ctx)
		if b.BirthDate == nil || day(*b.BirthDate) != "1995-09-03" || b.Gender == nil || *b.Gender != person.GenderMALE {
			t.Fatalf("B1: %v %v", b.BirthDate, b.Gender)
		}
		// The same roster again: what was derived is what it derives.
		again := mustImport(t, db, &Workbook{Sheets: []*Sheet{people(
			[]string{"W1", "张慧婷", "", "1988.05", "", womanID, ""},
			[]string{"B1", "李文博", "", "", "", manID, ""},
		)}}, ImportOptions{})
		if again.Changed() != 0 {
			t.Fatalf("%s", again)
		}
	})
}

func ptr[T any](v T) *T { return &v }
