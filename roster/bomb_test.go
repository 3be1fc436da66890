package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"yanzhen/roster/rostertest"
)

// bombHeapBound is how far reading any of the hostile workbooks below may
// raise the heap (live and not yet collected objects, sampled every 100
// µs) above where it stood: what the checks cost, a few megabytes, with
// room for the garbage collector's pace. Without the checks each of them
// takes from hundreds of megabytes to all the memory there is.
// docs/roster.md states it.
const bombHeapBound = 64 << 20

// heapRise runs fn and reports the highest the heap rose above where it
// stood before, sampled every 100 µs, and how much fn allocated in all.
func heapRise(fn func()) (peak, allocated uint64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(samples)
	base, alloc0 := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	var top uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			mu.Lock()
			top = max(top, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	metrics.Read(samples)
	mu.Lock()
	defer mu.Unlock()
	top = max(top, samples[0].Value.Uint64())
	if top > base {
		peak = top - base
	}
	return peak, samples[1].Value.Uint64() - alloc0
}

// The four shapes of issue 9 (a sparse far column, many rows, huge shared
// strings, a zip bomb in xl/media/) and their relatives: each is refused
// with the limit named, and reading it keeps the heap within
// bombHeapBound.
func TestHostileWorkbooksAreRefusedWithinBoundedMemory(t *testing.T) {
	zeros := strings.Repeat("\x00", 1<<20)
	letters := strings.Repeat("a", 1<<20)
	cases := []struct {
		name  string
		build func(t testing.TB) []byte
		limit string
		says  string
	}{
		{
			// The 78 KB upload of the issue: with excelize alone, every
			// row is 16,384 strings (256 KB); 50,000 rows ask for 12 GB.
			name: "sparse far column: every row has a cell in XFD",
			build: func(t testing.TB) []byte {
				return rostertest.SparseFarColumn(t, 50_000)
			},
			limit: "MaxColumns", says: "sheet 人员 cell XFD2: column beyond the limit of 200 columns / 超出 200 列上限",
		},
		{
			name: "sparse far column written as the 200th cell after 199 empty ones, then one more",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Sheet(`<row r="1">`+strings.Repeat(`<c/>`, 200)+`<c><v>1</v></c></row>`))
			},
			limit: "MaxColumns", says: "sheet 人员 cell GS1: column beyond the limit of 200 columns",
		},
		{
			name: "many rows: 250,000 rows of one cell",
			build: func(t testing.TB) []byte {
				return rostertest.ManyRows(t, 250_000)
			},
			limit: "MaxRows", says: "sheet 人员 row 200001: more than 200000 rows / 超出 200000 行上限",
		},
		{
			name: "many rows: one cell in the last row Excel has",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Sheet(`<row r="1048576"><c r="A1048576"><v>1</v></c></row>`))
			},
			limit: "MaxRows", says: "row 1048576: more than 200000 rows",
		},
		{
			name: "many cells: 20,000 rows of 200 columns",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Rows(20_000, func(i int) string {
					return fmt.Sprintf(`<row r="%d">%s<c r="GR%d"><v>1</v></c></row>`, i, `<c><v>1</v></c>`, i)
				}))
			},
			limit: "MaxCells", says: "the workbook holds more than 4000000 cells",
		},
		{
			// Every row is padded to the header: 100,000 rows × 200 columns.
			name: "many cells: a header of 200 columns over 100,000 rows of one cell",
			build: func(t testing.TB) []byte {
				var rows strings.Builder
				rows.WriteString(`<row r="1"><c r="A1"><v>1</v></c><c r="GR1"><v>1</v></c></row>`)
				for i := 2; i <= 100_001; i++ {
					fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>1</v></c></row>`, i, i)
				}
				return rostertest.Workbook(t, rostertest.Sheet(rows.String()))
			},
			limit: "MaxCells", says: "sheet 人员 row 20001: the workbook holds more than 4000000 cells",
		},
		{
			name: "huge shared strings: one string of 100 MiB",
			build: func(t testing.TB) []byte {
				return rostertest.HugeSharedString(t, 100)
			},
			limit: "MaxCellChars", says: "shared string 1 holds more than 32767 characters",
		},
		{
			name: "huge shared strings: 1,100,000 strings",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Part{Name: "xl/sharedStrings.xml",
					Prefix: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`,
					Chunk:  strings.Repeat(`<si><t>a</t></si>`, 1000), N: 1100, Suffix: `</sst>`})
			},
			limit: "MaxSharedStrings", says: "more than 1000000 shared strings",
		},
		{
			name: "huge shared strings: one long string in 200,000 cells",
			build: func(t testing.TB) []byte {
				// excelize copies the string into every cell: 6 GB.
				return rostertest.Workbook(t,
					rostertest.SharedStrings(`<si><t>`+strings.Repeat("长", 30_000)+`</t></si>`),
					rostertest.Rows(200_000, func(i int) string {
						return fmt.Sprintf(`<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>`, i, i)
					}))
			},
			limit: "MaxTextBytes", says: "the workbook holds more than 64 MiB of text",
		},
		{
			name: "huge shared strings: a shared-string table of 300 MiB",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Part{Name: "xl/sharedStrings.xml",
					Prefix: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`,
					Chunk:  letters, N: 300, Suffix: `</t></si></sst>`})
			},
			limit: "MaxPartBytes", says: `the part "xl/sharedStrings.xml" unpacks to more than 256 MiB`,
		},
		{
			// The 1 MB upload of the issue that costs 3 GB.
			name: "zip bomb in xl/media/: 3 GiB of zeros",
			build: func(t testing.TB) []byte {
				return rostertest.MediaZipBomb(t, 3<<10)
			},
			limit: "MaxPartBytes", says: `the part "xl/media/image1.png" unpacks to more than 256 MiB / 工作簿内部文件解压后超过 256 MiB 上限`,
		},
		{
			name: "zip bomb in xl/media/: twenty parts of 200 MiB",
			build: func(t testing.TB) []byte {
				var parts []rostertest.Part
				for i := range 20 {
					parts = append(parts, rostertest.Part{Name: fmt.Sprintf("xl/media/image%d.png", i), Chunk: zeros, N: 200})
				}
				return rostertest.Workbook(t, parts...)
			},
			limit: "MaxTotalBytes", says: "the workbook unpacks to more than 512 MiB",
		},
		{
			name: "zip bomb in a worksheet whose header understates its size",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Part{Name: "xl/worksheets/sheet1.xml", Prefix: rostertest.SheetHead,
					Chunk: strings.Repeat(`<row><c><v>1</v></c></row>`, 40_000), N: 1000, Suffix: rostertest.SheetTail, Declared: 4096})
			},
			limit: "", says: `the part "xl/worksheets/sheet1.xml" is damaged or larger than its header says`,
		},
		{
			name: "a zip of 40,000 parts",
			build: func(t testing.TB) []byte {
				var buf bytes.Buffer
				zw := zip.NewWriter(&buf)
				for i := range 40_000 {
					zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("xl/media/%d", i), Method: zip.Store})
				}
				zw.Close()
				return buf.Bytes()
			},
			limit: "MaxParts", says: "the workbook's zip directory is larger than 1 MiB",
		},
		{
			name: "a 2 MiB attribute",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Sheet(`<row r="1" x="`+strings.Repeat("a", 2<<20)+`"><c><v>1</v></c></row>`))
			},
			limit: "XMLToken", says: "sheet 人员: an XML tag, text or comment longer than 1 MiB",
		},
		{
			name: "a cell of 2 MiB of comments",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Sheet(`<row r="1"><c r="A1"><v>1</v>`+strings.Repeat(`<!--`+strings.Repeat("x", 1000)+`-->`, 2000)+`</c></row>`))
			},
			limit: "XMLElement", says: "sheet 人员: cell A1 is larger than 1 MiB of XML",
		},
		{
			name: "elements nested 100,000 deep",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Sheet(strings.Repeat("<x>", 100_000)+strings.Repeat("</x>", 100_000)))
			},
			limit: "XMLDepth", says: "XML nested deeper than 64 levels",
		},
		{
			name: "a cell of 40,000 characters",
			build: func(t testing.TB) []byte {
				return rostertest.Workbook(t, rostertest.Sheet(`<row r="1"><c r="B1" t="inlineStr"><is><t>`+strings.Repeat("长", 40_000)+`</t></is></c></row>`))
			},
			limit: "MaxCellChars", says: "sheet 人员 cell B1: more than 32767 characters in one cell",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.build(t)
			var err error
			peak, allocated := heapRise(func() { _, err = ReadXLSX(bytes.NewReader(file)) })
			t.Logf("%d KB file: heap rose %.1f MiB (allocated %.1f MiB in all): %v",
				len(file)>>10, float64(peak)/(1<<20), float64(allocated)/(1<<20), err)
			if err == nil {
				t.Fatal("the workbook was read")
			}
			var lim *LimitError
			if c.limit != "" && (!errors.As(err, &lim) || lim.Limit != c.limit) {
				t.Errorf("refused with %v, want the limit %s", err, c.limit)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("the message %q does not say %q", err, c.says)
			}
			if strings.Contains(err.Error(), "aaaa") || strings.Contains(err.Error(), "长长") {
				t.Errorf("the message quotes the cells: %.200s", err)
			}
			if peak > bombHeapBound {
				t.Errorf("the heap rose %d MiB, above the bound of %d MiB", peak>>20, bombHeapBound>>20)
			}
		})
	}
}

// Parts the roster does not read are dropped unread: a media part whose
// header lies about its 1 GiB costs nothing, and the sheet reads.
func TestUnreadPartsAreNotUnpacked(t *testing.T) {
	file := rostertest.Workbook(t, rostertest.Part{Name: "xl/media/image1.png", Chunk: strings.Repeat("\x00", 1<<20), N: 1024, Declared: 1 << 10},
		rostertest.Text("xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`))
	var wb *Workbook
	var err error
	peak, _ := heapRise(func() { wb, err = ReadXLSX(bytes.NewReader(file)) })
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Sheets) != 1 || wb.Sheets[0].Name != "人员" || len(wb.Sheets[0].Rows) != 1 || wb.Sheets[0].Rows[0].Cells[0] != "张慧婷" {
		t.Fatalf("read %+v", wb.Sheets)
	}
	t.Logf("heap rose %.1f MiB", float64(peak)/(1<<20))
	if peak > bombHeapBound {
		t.Errorf("the heap rose %d MiB", peak>>20)
	}
}

// The command line reads files through the same limits.
func TestOpenUsesTheLimits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	file := rostertest.Workbook(t, rostertest.Rows(10, func(i int) string { return fmt.Sprintf(`<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i) }))
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	var lim *LimitError
	if !errors.As(err, &lim) || lim.Limit != "MaxColumns" || !strings.Contains(err.Error(), "bomb.xlsx") {
		t.Fatalf("Open: %v", err)
	}
}

// Smaller limits apply as given; zero fields keep the defaults; a stream
// that is not a file is read into memory only up to MaxFileBytes.
func TestLimitsAsGiven(t *testing.T) {
	var tmpl bytes.Buffer
	if err := Template(&tmpl); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadXLSX(bytes.NewReader(tmpl.Bytes())); err != nil {
		t.Fatalf("the template: %v", err)
	}
	for _, c := range []struct {
		limits Limits
		limit  string
	}{
		{Limits{MaxFileBytes: 1000}, "MaxFileBytes"},
		{Limits{MaxParts: 5}, "MaxParts"},
		{Limits{MaxPartBytes: 1000}, "MaxPartBytes"},
		{Limits{MaxTotalBytes: 5000}, "MaxTotalBytes"},
		{Limits{MaxSheets: 3}, "MaxSheets"},
		{Limits{MaxRows: 2}, "MaxRows"},
		{Limits{MaxColumns: 3}, "MaxColumns"},
		{Limits{MaxCells: 20}, "MaxCells"},
		{Limits{MaxCellChars: 5}, "MaxCellChars"},
		{Limits{MaxTextBytes: 100}, "MaxTextBytes"},
	} {
		_, err := c.limits.ReadXLSX(bytes.NewReader(tmpl.Bytes()))
		var lim *LimitError
		if !errors.As(err, &lim) || lim.Limit != c.limit {
			t.Errorf("%+v: %v, want %s", c.limits, err, c.limit)
		}
		// Not a file: read into memory, at most MaxFileBytes.
		_, err = c.limits.ReadXLSX(io.MultiReader(bytes.NewReader(tmpl.Bytes())))
		if !errors.As(err, &lim) || lim.Limit != c.limit {
			t.Errorf("%+v from a stream: %v, want %s", c.limits, err, c.limit)
		}
	}
	shared := rostertest.Workbook(t, rostertest.SharedStrings(`<si><t>a</t></si><si><r><t>b</t></r><r><t>c</t></r></si><si><t>d</t></si>`),
		rostertest.Sheet(`<row r="1"><c r="A1" t="s"><v>1</v></c></row>`))
	if _, err := (Limits{MaxSharedStrings: 2}).ReadXLSX(bytes.NewReader(shared)); !strings.Contains(fmt.Sprint(err), "more than 2 shared strings") {
		t.Errorf("MaxSharedStrings: %v", err)
	}
	if _, err := (Limits{MaxSharedStringBytes: 2}).ReadXLSX(bytes.NewReader(shared)); !strings.Contains(fmt.Sprint(err), "more than 2 bytes of text") {
		t.Errorf("MaxSharedStringBytes: %v", err)
	}
	wb, err := ReadXLSX(bytes.NewReader(shared))
	if err != nil || wb.Sheets[0].Header[0] != "bc" {
		t.Errorf("rich text shared string: %v %+v", err, wb)
	}
}

func workbookXML(sheets string) rostertest.Part {
	return rostertest.Text("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`+sheets+`</sheets></workbook>`)
}

// What the checks could count otherwise than excelize reads it is refused,
// not guessed at: a DOCTYPE, another encoding, entities where numbers are
// read, a cell inside a cell, a shared string outside the table, two
// sheets on one part or with one name, a part twice.
func TestAmbiguousWorkbooksAreRefused(t *testing.T) {
	for name, file := range map[string][]byte{
		"DOCTYPE":              rostertest.Workbook(t, rostertest.Text("xl/worksheets/sheet1.xml", `<!DOCTYPE x [<!ENTITY a "b">]>`+rostertest.SheetHead+rostertest.SheetTail)),
		"UTF-16 declared":      rostertest.Workbook(t, rostertest.Text("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-16LE"?>`+rostertest.SheetHead[strings.Index(rostertest.SheetHead, "<worksheet"):]+rostertest.SheetTail)),
		"entity in r":          rostertest.Workbook(t, rostertest.Sheet(`<row r="1"><c r="&#88;FD1"><v>1</v></c></row>`)),
		"entity in an index":   rostertest.Workbook(t, rostertest.SharedStrings(`<si><t>a</t></si>`), rostertest.Sheet(`<row r="1"><c r="A1" t="s"><v>&#48;</v></c></row>`)),
		"cell in a cell":       rostertest.Workbook(t, rostertest.Sheet(`<row r="1"><c r="A1" s="x"><c r="XFD1"><v>1</v></c></c></row>`)),
		"rows going back":      rostertest.Workbook(t, rostertest.Sheet(`<row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="GR2"><v>4</v></c></row>`)),
		"a row twice":          rostertest.Workbook(t, rostertest.Sheet(`<row r="1"><c r="A1"><v>3</v></c></row><row r="1"><c r="B1"><v>4</v></c></row>`)),
		"cells going back":     rostertest.Workbook(t, rostertest.Sheet(`<row r="1"><c r="GR1"><v>1</v></c><c r="A1"><v>2</v></c></row>`)),
		"nested si":            rostertest.Workbook(t, rostertest.SharedStrings(`<si><si><t>a</t></si></si>`)),
		"si outside sst":       rostertest.Workbook(t, rostertest.SharedStrings(`<x><si><t>a</t></si></x>`)),
		"unquoted attribute":   rostertest.Workbook(t, rostertest.Sheet(`<row r=1><c><v>1</v></c></row>`)),
		"two sheets, one part": rostertest.Workbook(t, workbookXML(`<sheet name="人员" sheetId="1" r:id="rId1"/><sheet name="人员2" sheetId="2" r:id="rId1"/>`)),
		"two sheets, one name": rostertest.Workbook(t, workbookXML(`<sheet name="人员" sheetId="1" r:id="rId1"/><sheet name="人员" sheetId="2" r:id="rId2"/>`)),
		"a sheet with two ids": rostertest.Workbook(t, workbookXML(`<sheet name="人员" sheetId="1" r:id="rId1" x:id="rId2" xmlns:x="urn:x"/>`)),
		"a part twice":         rostertest.Workbook(t, rostertest.Text("XL/media/a.png", "a"), rostertest.Text("xl/media/A.png", "b")),
	} {
		if _, err := ReadXLSX(bytes.NewReader(file)); err == nil || !strings.Contains(err.Error(), "不是有效的 .xlsx 工作簿") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// What is unusual but read the same way passes: prefixed names, a
	// CDATA section ending in "]]", cells after </row>, rows and cells
	// without numbers.
	file := rostertest.Workbook(t, rostertest.Sheet(`<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="1">`+
		`<x:c r="A1" t="inlineStr"><x:is><x:t><![CDATA[a]]]]></x:t></x:is></x:c></x:row><c r="B1"><v>2</v></c>`+
		`<row r="3"><c r="A3"><v>3</v></c><c><v>4</v></c></row><row><c r="B4"><v>5</v></c></row>`))
	wb, err := ReadXLSX(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	// A sheet that is not a worksheet (a chart sheet) has no cells; its
	// part is not read.
	chart := rostertest.Workbook(t, workbookXML(`<sheet name="图表" sheetId="2" r:id="rId3"/><sheet name="人员" sheetId="1" r:id="rId1"/>`),
		rostertest.Text("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`),
		rostertest.Text("xl/chartsheets/sheet1.xml", strings.Repeat("<", 100)))
	cwb, err := ReadXLSX(bytes.NewReader(chart))
	if err != nil || len(cwb.Sheets) != 2 || cwb.Sheets[0].Name != "图表" || len(cwb.Sheets[0].Rows) != 0 || cwb.Sheets[1].Rows[0].Cells[0] != "张慧婷" {
		t.Fatalf("a chart sheet: %v %+v", err, cwb)
	}
	if s := wb.Sheets[0]; strings.Join(s.Header, ",") != "a]],2" || len(s.Rows) != 2 || strings.Join(s.Rows[0].Cells, ",") != "3,4" ||
		s.Rows[1].Line != 4 || strings.Join(s.Rows[1].Cells, ",") != ",5" {
		t.Fatalf("%+v", s)
	}
}
