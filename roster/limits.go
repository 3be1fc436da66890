package roster

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/htmlindex"
)

// Limits bound what reading one .xlsx workbook may cost, whoever sends it.
// An .xlsx file is a zip archive of XML parts: a few kilobytes can unpack
// to gigabytes (a zip bomb), and a small sheet can make a reader allocate
// one string per column up to the last cell of every row (a cell in column
// XFD makes 16,384). ReadXLSX checks the file against these limits before
// excelize reads it, and refuses with a *LimitError naming the limit.
//
// The defaults leave room for twice the biggest real workload
// (perf_test.go: 100,000 people with a post each, a 6.5 MB file whose two
// sheets unpack to 43 and 35 MB of XML and hold 1.2 million cells with
// 12 MB of text; about 80 MB once read) and bound what an accepted
// workbook costs: 16 bytes per cell plus its text, plus excelize's copy of
// the shared strings and of the sheets under 4 MiB — about half a
// gigabyte for a file at every limit at once. docs/roster.md lists them.
type Limits struct {
	// MaxFileBytes caps the file as uploaded (compressed).
	MaxFileBytes int64
	// MaxParts caps the entries of the zip archive (a workbook from Excel
	// has 10 to 30).
	MaxParts int
	// MaxPartBytes caps the uncompressed size of any one part, and
	// MaxTotalBytes the sum over all parts, as their headers declare them
	// and as they are read.
	MaxPartBytes, MaxTotalBytes int64
	// MaxSheets caps the sheets of the workbook (a roster has 24 and the
	// template's instructions).
	MaxSheets int
	// MaxRows caps the row number of the last row with a value, per sheet.
	MaxRows int
	// MaxColumns caps the column of any cell with a value (a roster has
	// fewer than 20; the template's widest sheet has 15).
	MaxColumns int
	// MaxCells caps the cells of the whole workbook as a reader holds
	// them: in each row, every cell up to its last one with a value.
	MaxCells int
	// MaxCellChars caps the characters of one cell or shared string; it is
	// Excel's own limit.
	MaxCellChars int
	// MaxTextBytes caps the text of all cells together (UTF-8, shared
	// strings counted at each cell that uses them).
	MaxTextBytes int64
	// MaxSharedStrings caps the entries of the shared-string table and
	// MaxSharedStringBytes their text.
	MaxSharedStrings     int
	MaxSharedStringBytes int64
}

// DefaultLimits are the limits of ReadXLSX (and so of the server's upload,
// whose MaxFileBytes is YANZHEN_MAX_UPLOAD_BYTES, and of `yanzhen import
// roster`).
var DefaultLimits = Limits{
	MaxFileBytes:         32 << 20,
	MaxParts:             1000,
	MaxPartBytes:         256 << 20,
	MaxTotalBytes:        512 << 20,
	MaxSheets:            64,
	MaxRows:              200_000,
	MaxColumns:           200,
	MaxCells:             4_000_000,
	MaxCellChars:         32_767,
	MaxTextBytes:         64 << 20,
	MaxSharedStrings:     1_000_000,
	MaxSharedStringBytes: 64 << 20,
}

// Fixed bounds of the structure, far above what any spreadsheet program
// writes.
const (
	// maxDirectoryRead caps what opening the zip may read: its directory
	// (about 100 bytes per part) and the search for the directory's end.
	maxDirectoryRead = 1 << 20
	// maxStructureBytes caps [Content_Types].xml, the relationship parts
	// and workbook.xml, which excelize decodes whole.
	maxStructureBytes = 1 << 20
	// maxXMLToken caps one XML token (a tag with its attributes, or a run
	// of text): a cell of 32,767 characters is under 200 KB even escaped.
	maxXMLToken = 1 << 20
	// maxXMLElement caps one cell (<c>) or shared string (<si>) with all
	// its children, as excelize decodes each into memory at once.
	maxXMLElement = 1 << 20
	// maxXMLDepth caps the nesting of elements (a sheet nests 5 deep).
	maxXMLDepth = 64
	// xmlInMemory is excelize's UnzipXMLSizeLimit: sheets and shared
	// strings larger than this are unpacked to a temporary file and
	// streamed from there, not held in memory (with MaxSheets, at most
	// 256 MiB of XML in memory).
	xmlInMemory = 4 << 20
)

// LimitError is a workbook refused for exceeding one of the Limits. Its
// message names the limit and where it was exceeded (sheet, row, cell or
// part), never a cell's content.
type LimitError struct {
	// Limit is the name of the field of Limits, or of the fixed bound
	// ("XMLToken", "XMLElement", "XMLDepth", "Directory", "StructurePart").
	Limit   string
	Message string
}

func (e *LimitError) Error() string { return e.Message }

func limitErr(limit, format string, args ...any) error {
	return &LimitError{Limit: limit, Message: fmt.Sprintf(format, args...)}
}

// withDefaults fills the zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set64 := func(v *int64, def int64) {
		if *v <= 0 {
			*v = def
		}
	}
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set64(&l.MaxFileBytes, d.MaxFileBytes)
	set(&l.MaxParts, d.MaxParts)
	set64(&l.MaxPartBytes, d.MaxPartBytes)
	set64(&l.MaxTotalBytes, d.MaxTotalBytes)
	set(&l.MaxSheets, d.MaxSheets)
	set(&l.MaxRows, d.MaxRows)
	set(&l.MaxColumns, d.MaxColumns)
	set(&l.MaxCells, d.MaxCells)
	set(&l.MaxCellChars, d.MaxCellChars)
	set64(&l.MaxTextBytes, d.MaxTextBytes)
	set(&l.MaxSharedStrings, d.MaxSharedStrings)
	set64(&l.MaxSharedStringBytes, d.MaxSharedStringBytes)
	return l
}

// ReadXLSX reads a workbook from an .xlsx stream within the limits (zero
// fields take the default). A stream that is also an io.ReaderAt and an
// io.Seeker (a file, a multipart upload) is read in place; any other is
// read into memory, at most MaxFileBytes of it.
func (l Limits) ReadXLSX(r io.Reader) (*Workbook, error) {
	l = l.withDefaults()
	ra, size, err := l.readerAt(r)
	if err != nil {
		return nil, err
	}
	pkg, err := l.check(ra, size)
	if err != nil {
		return nil, err
	}
	return pkg.read(l)
}

// CheckXLSX runs the checks of ReadXLSX without reading the cells: a
// streaming pass in bounded memory, so that an upload can be refused at once
// before it is queued as an import job.
func (l Limits) CheckXLSX(r io.Reader) error {
	l = l.withDefaults()
	ra, size, err := l.readerAt(r)
	if err != nil {
		return err
	}
	_, err = l.check(ra, size)
	return err
}

func (l Limits) readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	if ra, ok := r.(io.ReaderAt); ok {
		if s, ok := r.(io.Seeker); ok {
			size, err := s.Seek(0, io.SeekEnd)
			if err == nil {
				if size > l.MaxFileBytes {
					return nil, 0, fileTooLarge(l)
				}
				return ra, size, nil
			}
		}
	}
	b, err := io.ReadAll(io.LimitReader(r, l.MaxFileBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("reading the workbook: %w", err)
	}
	if int64(len(b)) > l.MaxFileBytes {
		return nil, 0, fileTooLarge(l)
	}
	return bytes.NewReader(b), int64(len(b)), nil
}

func fileTooLarge(l Limits) error {
	return limitErr("MaxFileBytes", "the file is larger than %s / 文件超过 %s 上限", byteSize(l.MaxFileBytes), byteSize(l.MaxFileBytes))
}

// notXLSX is a file that is not a workbook at all.
func notXLSX(err error) error {
	return fmt.Errorf("not a readable .xlsx workbook / 不是有效的 .xlsx 工作簿: %w", err)
}

// checked is a workbook that passed the limits: the sheets in order, each
// with its worksheet part unless it has none (a chart sheet), and a new
// zip for excelize. That zip holds a workbook.xml and relationships
// written here, naming each sheet once with a part of its own, and the
// worksheets and shared strings that were checked, copied still
// compressed: excelize reads exactly what was counted, and nothing else.
type checked struct {
	sheets []checkedSheet
	zip    []byte
}

type checkedSheet struct {
	name string
	part *zip.File
}

// check opens the zip and refuses it when its directory, parts or sizes
// are beyond the limits; finds the sheets through the relationships and
// workbook.xml; streams the shared strings and every worksheet through
// the XML checks; and builds the zip excelize will read. Everything else
// (images, drawings, styles, embedded files) is dropped unread.
func (l Limits) check(ra io.ReaderAt, size int64) (*checked, error) {
	dir := &directoryReader{r: ra, left: maxDirectoryRead}
	zr, err := zip.NewReader(dir, size)
	dir.done.Store(true)
	if dir.exceeded.Load() {
		return nil, limitErr("MaxParts", "the workbook's zip directory is larger than %s (more than %d parts?) / 工作簿目录超过 %s 上限",
			byteSize64(maxDirectoryRead), l.MaxParts, byteSize64(maxDirectoryRead))
	}
	if err != nil {
		return nil, notXLSX(err)
	}
	if len(zr.File) > l.MaxParts {
		return nil, limitErr("MaxParts", "the workbook holds more than %d parts / 工作簿内部文件超过 %d 个上限", l.MaxParts, l.MaxParts)
	}
	parts := make(map[string]*zip.File, len(zr.File))
	lower := make(map[string]*zip.File, len(zr.File))
	var total uint64
	for _, f := range zr.File {
		low := strings.ToLower(f.Name)
		if lower[low] != nil {
			return nil, notXLSX(fmt.Errorf("the part %s appears twice", partName(f.Name)))
		}
		lower[low], parts[f.Name] = f, f
		if f.UncompressedSize64 > uint64(l.MaxPartBytes) {
			return nil, limitErr("MaxPartBytes", "the part %s unpacks to more than %s / 工作簿内部文件解压后超过 %s 上限",
				partName(f.Name), byteSize(l.MaxPartBytes), byteSize(l.MaxPartBytes))
		}
		if total += f.UncompressedSize64; total > uint64(l.MaxTotalBytes) {
			return nil, limitErr("MaxTotalBytes", "the workbook unpacks to more than %s / 工作簿解压后超过 %s 上限",
				byteSize(l.MaxTotalBytes), byteSize(l.MaxTotalBytes))
		}
	}

	// The structure, as excelize finds it: _rels/.rels names the
	// workbook, whose relationships name the worksheets.
	out := &checked{}
	rootRels, err := readStructure(parts["_rels/.rels"])
	if err != nil {
		return nil, err
	}
	wbPath := ""
	for _, rel := range parseRels(rootRels) {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			wbPath = strings.TrimPrefix(rel.Target, "/")
			break
		}
	}
	if wbPath != "" {
		wbXML, err := readStructure(parts[wbPath])
		if err != nil {
			return nil, err
		}
		wbRels, err := readStructure(parts[workbookRelsPath(wbPath)])
		if err != nil {
			return nil, err
		}
		rels := map[string]relationship{}
		for _, rel := range parseRels(wbRels) {
			if _, ok := rels[rel.ID]; ok {
				return nil, notXLSX(fmt.Errorf("the relationship %s appears twice", quoteShort(rel.ID)))
			}
			rels[rel.ID] = rel
		}
		sheets, err := parseSheets(wbXML)
		if err != nil {
			return nil, err
		}
		if len(sheets) > l.MaxSheets {
			return nil, limitErr("MaxSheets", "the workbook holds more than %d sheets / 工作表超过 %d 个上限", l.MaxSheets, l.MaxSheets)
		}
		names := map[string]bool{}
		used := map[*zip.File]string{}
		for _, s := range sheets {
			if key := strings.ToLower(s.name); names[key] {
				return nil, notXLSX(fmt.Errorf("two sheets are named %s", sheetName(s.name)))
			} else {
				names[key] = true
			}
			cs := checkedSheet{name: s.name}
			if rel, ok := rels[s.relID]; ok && strings.HasSuffix(rel.Type, "/worksheet") {
				cs.part = parts[worksheetPath(wbPath, rel.Target)]
			}
			if cs.part != nil {
				if other, ok := used[cs.part]; ok {
					return nil, notXLSX(fmt.Errorf("the sheets %s and %s are one part", sheetName(other), sheetName(s.name)))
				}
				used[cs.part] = s.name
			}
			out.sheets = append(out.sheets, cs)
		}
	}

	sc := &scanLimits{Limits: l}
	// Shared strings first: the sheets' text is counted through them.
	// excelize reads them from this path, whatever the relationships say.
	sst := lower["xl/sharedstrings.xml"]
	var read int64
	if sst != nil {
		n, err := sc.part(sst, "", sc.sharedStrings)
		if err != nil {
			return nil, err
		}
		read += n
	}
	for _, s := range out.sheets {
		if s.part == nil {
			continue
		}
		n, err := sc.part(s.part, s.name, sc.worksheet)
		if err != nil {
			return nil, err
		}
		if read += n; read > l.MaxTotalBytes {
			return nil, limitErr("MaxTotalBytes", "the workbook unpacks to more than %s / 工作簿解压后超过 %s 上限",
				byteSize(l.MaxTotalBytes), byteSize(l.MaxTotalBytes))
		}
	}
	return out, out.build(sst)
}

// build writes the zip excelize reads: the structure written here, the
// shared strings and the worksheets copied still compressed. Each was read
// through to its end, so its data matches its header (archive/zip checks
// the size and the CRC at the end of every part).
func (c *checked) build(sst *zip.File) error {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	var workbook, rels strings.Builder
	workbook.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var copies []*zip.File
	var names []string
	if sst != nil {
		rels.WriteString(`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
		copies, names = append(copies, sst), append(names, "xl/sharedStrings.xml")
	}
	n := 0
	for _, s := range c.sheets {
		if s.part == nil {
			continue
		}
		n++
		fmt.Fprintf(&workbook, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escapeXML(s.name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		copies, names = append(copies, s.part), append(names, fmt.Sprintf("xl/worksheets/sheet%d.xml", n))
	}
	workbook.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	for _, p := range []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", workbook.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
	} {
		pw, err := w.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(pw, p.data); err != nil {
			return err
		}
	}
	for i, f := range copies {
		dst, err := w.CreateRaw(&zip.FileHeader{Name: names[i], Method: f.Method, CRC32: f.CRC32,
			CompressedSize64: f.CompressedSize64, UncompressedSize64: f.UncompressedSize64})
		if err != nil {
			return notXLSX(err)
		}
		src, err := f.OpenRaw()
		if err != nil {
			return notXLSX(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			return damaged(f, err)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	c.zip = buf.Bytes()
	return nil
}

func escapeXML(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// read hands the checked zip to excelize and reads every sheet's cells.
func (c *checked) read(l Limits) (*Workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(c.zip), excelize.Options{
		UnzipSizeLimit:    l.MaxTotalBytes,
		UnzipXMLSizeLimit: min(xmlInMemory, l.MaxTotalBytes),
	})
	if err != nil {
		return nil, notXLSX(err)
	}
	defer f.Close()
	wb := &Workbook{}
	for _, s := range c.sheets {
		if s.part == nil {
			wb.Sheets = append(wb.Sheets, &Sheet{Name: s.name}) // a chart sheet: no cells
			continue
		}
		// Raw values: a date cell gives its serial number whatever its
		// display format, and a number is not rounded by the format.
		rows, err := f.GetRows(s.name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", sheetName(s.name), err)
		}
		wb.Sheets = append(wb.Sheets, sheetFromRecords(s.name, rows))
	}
	return wb, nil
}

// readStructure reads a part of the structure (nil: none), at most
// maxStructureBytes.
func readStructure(f *zip.File) ([]byte, error) {
	if f == nil {
		return nil, nil
	}
	return readPart(f, maxStructureBytes, "StructurePart")
}

// readPart reads a whole part of at most max bytes.
func readPart(f *zip.File, max int64, limit string) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, notXLSX(fmt.Errorf("%s: %w", partName(f.Name), err))
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, damaged(f, err)
	}
	if int64(len(b)) > max {
		return nil, limitErr(limit, "the part %s is larger than %s / 工作簿内部文件超过 %s 上限", partName(f.Name), byteSize(max), byteSize(max))
	}
	return b, nil
}

func damaged(f *zip.File, err error) error {
	return notXLSX(fmt.Errorf("the part %s is damaged or larger than its header says: %w", partName(f.Name), err))
}

// directoryReader is the file as zip.NewReader sees it: it fails once the
// reader has read more than left bytes, so that a directory of a million
// tiny entries is refused before it is held in memory.
// Once the directory is read, done lifts the bound for the parts.
type directoryReader struct {
	r              io.ReaderAt
	left           int64
	done, exceeded atomic.Bool
}

var errDirectory = errors.New("the zip directory is too large")

func (d *directoryReader) ReadAt(p []byte, off int64) (int, error) {
	if !d.done.Load() {
		if d.left -= int64(len(p)); d.left < 0 {
			d.exceeded.Store(true)
			return 0, errDirectory
		}
	}
	return d.r.ReadAt(p, off)
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func parseRels(b []byte) []relationship {
	var rels struct {
		Rels []relationship `xml:"Relationship"`
	}
	if len(b) > 0 {
		newDecoder(bytes.NewReader(b)).Decode(&rels)
	}
	return rels.Rels
}

type sheetRef struct{ name, relID string }

// parseSheets lists the sheets of workbook.xml with their relationship id:
// the attribute r:id, whatever the prefix and namespace (transitional or
// strict). A sheet with two different ids is refused.
func parseSheets(b []byte) ([]sheetRef, error) {
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if len(b) == 0 {
		return nil, nil
	}
	if err := newDecoder(bytes.NewReader(b)).Decode(&wb); err != nil {
		return nil, notXLSX(fmt.Errorf("workbook.xml: %w", err))
	}
	var out []sheetRef
	for _, s := range wb.Sheets {
		ref := sheetRef{name: s.Name}
		for _, a := range s.Attrs {
			if a.Name.Local != "id" || a.Name.Space == "" || a.Name.Space == "xmlns" {
				continue
			}
			if ref.relID != "" && ref.relID != a.Value {
				return nil, notXLSX(fmt.Errorf("the sheet %s has two ids", sheetName(s.Name)))
			}
			ref.relID = a.Value
		}
		out = append(out, ref)
	}
	return out, nil
}

// workbookRelsPath and worksheetPath resolve paths as excelize does.
func workbookRelsPath(wbPath string) string {
	dir, base := path.Split(wbPath)
	return strings.TrimPrefix(dir+"_rels/"+base+".rels", "/")
}

func worksheetPath(wbPath, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Dir(wbPath)+"/"+target), "/")
}

func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown XML encoding %q", label)
		}
		return enc.NewDecoder().Reader(input), nil
	}
	return d
}

// partName and sheetName quote names taken from the file for messages,
// cut short.
func partName(s string) string { return quoteShort(s) }

func sheetName(s string) string {
	if utf8.ValidString(s) && utf8.RuneCountInString(s) <= 31 && !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' }) {
		return s
	}
	return quoteShort(s)
}

func quoteShort(s string) string {
	if len(s) > 64 {
		s = s[:64]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strconv.Quote(s)
}

// size writes a byte count as Excel users read it: 32 MiB, 1 MiB, 512 KiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func byteSize64(n int) string { return byteSize(int64(n)) }
