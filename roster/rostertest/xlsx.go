// Package rostertest builds .xlsx workbooks by hand for tests, hostile
// ones included: a zip bomb of gigabytes costs a megabyte and
// milliseconds to build, and nothing binary is committed.
package rostertest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
)

// Part is one part of a hand-built workbook: its data is Prefix, then
// Chunk repeated N times, then Suffix. Each piece is deflated on its own
// and the compressed chunk repeated. With Declared set, the header states
// that uncompressed size instead of the true one (a lie).
type Part struct {
	Name                  string
	Prefix, Chunk, Suffix string
	N                     int
	Declared              uint64
}

// Text is a part holding data.
func Text(name, data string) Part { return Part{Name: name, Prefix: data} }

// deflated compresses s on its own (no reference to what precedes it) and
// ends on a byte boundary, so that such pieces can be concatenated.
func deflated(t testing.TB, s string) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(s))
	w.Flush()
	return b.Bytes()
}

func (p Part) write(t testing.TB, zw *zip.Writer) {
	var data bytes.Buffer
	data.Write(deflated(t, p.Prefix))
	if p.N > 0 {
		c := deflated(t, p.Chunk)
		for range p.N {
			data.Write(c)
		}
	}
	data.Write(deflated(t, p.Suffix))
	data.Write([]byte{1, 0, 0, 0xff, 0xff}) // the final (empty, stored) block
	crc := crc32.Update(0, crc32.IEEETable, []byte(p.Prefix))
	chunk := []byte(p.Chunk)
	for range p.N {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(p.Suffix))
	size := uint64(len(p.Prefix)) + uint64(p.N)*uint64(len(p.Chunk)) + uint64(len(p.Suffix))
	if p.Declared != 0 {
		size = p.Declared
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(data.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data.Bytes())
}

// SheetPart is the part of the one sheet, 人员, of Workbook.
const SheetPart = "xl/worksheets/sheet1.xml"

// Workbook builds a workbook with the sheet 人员 (two rows) and the parts
// given, which replace those of the same name.
func Workbook(t testing.TB, parts ...Part) []byte {
	t.Helper()
	base := []Part{
		Text("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`),
		Text("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
		Text("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>`),
		Text("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
	}
	base = append(base, Sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>`+
		`<row r="2"><c r="A2" t="inlineStr"><is><t>张慧婷</t></is></c></row>`))
	given := map[string]bool{}
	for _, p := range parts {
		given[p.Name] = true
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range append(base, parts...) {
		if !given[p.Name] || !slices.Contains(base, p) {
			p.write(t, zw)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// SheetHead and SheetTail enclose the rows of a worksheet.
const (
	SheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	SheetTail = `</sheetData></worksheet>`
)

// Sheet is the sheet 人员 with the rows given as XML.
func Sheet(rows string) Part { return Text(SheetPart, SheetHead+rows+SheetTail) }

// Rows is the sheet 人员: a header row, then n rows made by row(i) for
// rows 2…n+1.
func Rows(n int, row func(i int) string) Part {
	var b strings.Builder
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>`)
	for i := 2; i <= n+1; i++ {
		b.WriteString(row(i))
	}
	return Sheet(b.String())
}

// SharedStrings is the shared-string table with the <si> items given.
func SharedStrings(items string) Part {
	return Text("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+items+`</sst>`)
}

// The four hostile shapes of issue 9, each a small file.

// SparseFarColumn has rows rows, each with a cell in column XFD (16,384):
// a reader that pads every row to its last cell allocates 256 KB a row.
func SparseFarColumn(t testing.TB, rows int) []byte {
	return Workbook(t, Rows(rows, func(i int) string { return fmt.Sprintf(`<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i) }))
}

// ManyRows has rows rows of one cell.
func ManyRows(t testing.TB, rows int) []byte {
	return Workbook(t, Rows(rows, func(i int) string { return fmt.Sprintf(`<row r="%d"><c r="A%d"><v>1</v></c></row>`, i, i) }))
}

// HugeSharedString has a shared string of mib MiB.
func HugeSharedString(t testing.TB, mib int) []byte {
	return Workbook(t, Part{Name: "xl/sharedStrings.xml",
		Prefix: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`,
		Chunk:  strings.Repeat("a", 1<<20), N: mib, Suffix: `</t></si></sst>`})
}

// MediaZipBomb has an image, xl/media/image1.png, of mib MiB of zeros
// (about 1 KB compressed per MiB).
func MediaZipBomb(t testing.TB, mib int) []byte {
	return Workbook(t, Part{Name: "xl/media/image1.png", Chunk: strings.Repeat("\x00", 1<<20), N: mib})
}
