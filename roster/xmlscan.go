package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// scanLimits carries the counts of one workbook across its parts.
type scanLimits struct {
	Limits
	sharedLens []int32 // UTF-8 length of each shared string
	cells      int
	text       int64
}

// part reads the whole part f through scan and returns its size. The part
// is read through io.LimitReader: a header that understates the size
// cannot make it longer than MaxPartBytes (archive/zip refuses it too).
func (sc *scanLimits) part(f *zip.File, sheet string, scan func(*xmlScanner) error) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, notXLSX(fmt.Errorf("%s: %w", partName(f.Name), err))
	}
	defer rc.Close()
	counted := &countingReader{r: io.LimitReader(rc, sc.MaxPartBytes+1)}
	s := newXMLScanner(counted, "part "+partName(f.Name))
	if sheet != "" {
		s.where = "sheet " + sheetName(sheet)
	}
	if err := scan(s); err != nil {
		if counted.err != nil && !errors.Is(counted.err, io.EOF) {
			return 0, damaged(f, counted.err)
		}
		return 0, err
	}
	// The rest is read through too, so that archive/zip checks the size
	// and CRC of the whole part.
	if _, err := io.Copy(io.Discard, counted); err != nil {
		return 0, damaged(f, err)
	}
	if counted.n > sc.MaxPartBytes {
		return 0, limitErr("MaxPartBytes", "the part %s unpacks to more than %s / 工作簿内部文件解压后超过 %s 上限",
			partName(f.Name), byteSize(sc.MaxPartBytes), byteSize(sc.MaxPartBytes))
	}
	return counted.n, nil
}

type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}

// sharedStrings scans xl/sharedStrings.xml: the number of strings, the
// characters of each, their total text. It records each string's length
// for the sheets' text count. As excelize's xlsxSI.String, a string is the
// text of its <t> elements, phonetic runs (<rPh>) left out.
func (sc *scanLimits) sharedStrings(s *xmlScanner) error {
	var (
		inSI       bool
		siStart    int64
		inT, inRPh int
		n          int64 // bytes of the current string
		chars      int
		total      int64
	)
	for {
		ev, err := s.next()
		if ev == evEOF || err != nil {
			return err
		}
		if inSI {
			if s.tooBig(siStart) {
				return s.elementErr(fmt.Sprintf("shared string %d", len(sc.sharedLens)+1))
			}
		}
		switch ev {
		case evStart:
			switch string(s.local) {
			case "si":
				if inSI || s.depth != 2 {
					// excelize reads the <si> children of <sst> (or, from a
					// temporary file, every <si>): both agree only on these.
					return notXLSX(fmt.Errorf("%s: a shared string (<si>) that is not a child of <sst>", s.where))
				}
				if len(sc.sharedLens) >= sc.MaxSharedStrings {
					return limitErr("MaxSharedStrings", "the workbook holds more than %d shared strings / 共享字符串超过 %d 个上限",
						sc.MaxSharedStrings, sc.MaxSharedStrings)
				}
				inSI, siStart, n, chars, inT, inRPh = true, s.startOffset, 0, 0, 0, 0
			case "t":
				inT++
			case "rPh":
				inRPh++
			}
		case evEnd:
			switch string(s.local) {
			case "si":
				if inSI {
					sc.sharedLens = append(sc.sharedLens, int32(n))
					inSI = false
				}
			case "t":
				inT = max(inT-1, 0)
			case "rPh":
				inRPh = max(inRPh-1, 0)
			}
		case evText:
			if !inSI || inT == 0 || inRPh > 0 {
				continue
			}
			n += int64(len(s.text))
			if chars += s.runes; chars > sc.MaxCellChars {
				return limitErr("MaxCellChars", "shared string %d holds more than %d characters / 共享字符串超过 %d 字符上限",
					len(sc.sharedLens)+1, sc.MaxCellChars, sc.MaxCellChars)
			}
			if total += int64(len(s.text)); total > sc.MaxSharedStringBytes {
				return limitErr("MaxSharedStringBytes", "the shared strings hold more than %s of text / 共享字符串文本超过 %s 上限",
					byteSize(sc.MaxSharedStringBytes), byteSize(sc.MaxSharedStringBytes))
			}
		}
	}
}

// worksheet scans a sheet's rows and cells and counts them as excelize's
// GetRows (rows.go: Rows.Next, Rows.Columns) and sheetFromRecords will
// hold them: a row is as long as its last cell with a value or formula,
// and then at least as long as the header (row 1); the sheet is as long as
// its last row with such a cell. A row or cell without a number follows
// the previous one. Rows and cells must come in order, as every
// spreadsheet program writes them: excelize would merge a row that goes
// back into the one before.
func (sc *scanLimits) worksheet(s *xmlScanner) error {
	var (
		row, width, col int // the row as GetRows numbers it; its length so far; the cell's column
		header          int // the length of row 1: sheetFromRecords pads every row to it
		inRow, inCell   bool
		cellStart       int64
		cellType        string
		inV, inIS, inF  int
		hasF            bool
		index           []byte // the <v> of a shared-string cell: the string's number
		text            int64  // bytes of the cell's value
		chars           int
	)
	endRow := func() error {
		if !inRow {
			return nil
		}
		if row == 1 {
			header = width
		} else if width > 0 {
			width = max(width, header)
		}
		if sc.cells += width; sc.cells > sc.MaxCells {
			return limitErr("MaxCells", "%s row %d: the workbook holds more than %d cells / 单元格总数超过 %d 上限",
				s.where, row, sc.MaxCells, sc.MaxCells)
		}
		return nil
	}
	cellName := func(col int) string {
		c, _ := excelize.CoordinatesToCellName(min(max(col, 1), excelize.MaxColumns), min(max(row, 1), excelize.TotalRows))
		return c
	}
	endCell := func() error {
		inCell = false
		if cellType == "s" {
			text = 0
			if i, err := strconv.Atoi(strings.TrimSpace(string(index))); err == nil && i >= 0 && i < len(sc.sharedLens) {
				text = int64(sc.sharedLens[i])
			}
		} else if cellType == "b" && text > 0 {
			text += 5 // TRUE or FALSE at most
		}
		if text == 0 && !hasF {
			return nil // excelize keeps only cells with a value or a formula
		}
		width = col
		if row > sc.MaxRows {
			return limitErr("MaxRows", "%s row %d: more than %d rows / 超出 %d 行上限", s.where, row, sc.MaxRows, sc.MaxRows)
		}
		if width > sc.MaxColumns {
			return limitErr("MaxColumns", "%s cell %s: column beyond the limit of %d columns / 超出 %d 列上限",
				s.where, cellName(width), sc.MaxColumns, sc.MaxColumns)
		}
		if sc.text += text; sc.text > sc.MaxTextBytes {
			return limitErr("MaxTextBytes", "%s cell %s: the workbook holds more than %s of text / 文本总量超过 %s 上限",
				s.where, cellName(width), byteSize(sc.MaxTextBytes), byteSize(sc.MaxTextBytes))
		}
		return nil
	}
	for {
		ev, err := s.next()
		if ev == evEOF || err != nil {
			if err == nil {
				err = endRow()
			}
			return err
		}
		if inCell {
			if s.tooBig(cellStart) {
				return s.elementErr("cell " + cellName(col))
			}
			if ev == evStart {
				switch string(s.local) {
				case "row", "c", "sheetData":
					// excelize would skip it inside the cell; no
					// spreadsheet program writes it.
					return notXLSX(fmt.Errorf("%s cell %s: a <%s> inside a cell", s.where, cellName(col), s.local))
				}
			}
		}
		switch ev {
		case evStart:
			switch string(s.local) {
			case "row":
				// A row runs to the next one: excelize gives the cells
				// between </row> and <row> to the row before.
				if err := endRow(); err != nil {
					return err
				}
				n, err := s.rowNumber()
				if err != nil {
					return err
				}
				if n > 0 && n <= row {
					return notXLSX(fmt.Errorf("%s: row %d comes after row %d", s.where, n, row))
				}
				row, width, col, inRow = max(row+1, n), 0, 0, true
			case "c":
				if !inRow {
					continue // excelize reads no cell before the first row
				}
				ref, err := s.attr("r")
				if err != nil {
					return err
				}
				typ, err := s.attr("t")
				if err != nil {
					return err
				}
				inCell, cellStart, cellType = true, s.startOffset, typ
				inV, inIS, inF, hasF, index, text, chars = 0, 0, 0, false, index[:0], 0, 0
				if ref == "" {
					col++
				} else {
					c, _, err := excelize.CellNameToCoordinates(ref)
					if err != nil {
						return notXLSX(fmt.Errorf("%s row %d: the cell reference %s is not valid", s.where, row, quoteShort(ref)))
					}
					if c <= col {
						return notXLSX(fmt.Errorf("%s: cell %s comes after cell %s", s.where, quoteShort(ref), cellName(col)))
					}
					col = c
				}
			case "v":
				inV++
				index = index[:0] // excelize keeps the last <v>
			case "is":
				inIS++
			case "f":
				inF++
				hasF = hasF || inCell
			}
		case evEnd:
			switch string(s.local) {
			case "c":
				if inCell {
					if err := endCell(); err != nil {
						return err
					}
				}
			case "v":
				inV = max(inV-1, 0)
			case "is":
				inIS = max(inIS-1, 0)
			case "f":
				inF = max(inF-1, 0)
			case "sheetData":
				// excelize reads no further (Rows.Next stops here).
				if inCell {
					if err := endCell(); err != nil {
						return err
					}
				}
				return endRow()
			}
		case evText:
			if !inCell || inF > 0 || (inV == 0 && inIS == 0) {
				continue
			}
			if inV > 0 && cellType == "s" {
				if s.amp {
					// excelize would read the number behind the entity.
					return notXLSX(fmt.Errorf("%s cell %s: a shared-string number written with an entity", s.where, cellName(col)))
				}
				if len(index)+len(s.text) > 32 {
					return notXLSX(fmt.Errorf("%s cell %s: a shared-string number of more than 32 characters", s.where, cellName(col)))
				}
				index = append(index, s.text...)
				continue
			}
			text += int64(len(s.text))
			if chars += s.runes; chars > sc.MaxCellChars {
				return limitErr("MaxCellChars", "%s cell %s: more than %d characters in one cell / 单元格超过 %d 字符上限",
					s.where, cellName(col), sc.MaxCellChars, sc.MaxCellChars)
			}
		}
	}
}

// The events of xmlScanner.
const (
	evEOF = iota
	evStart
	evEnd
	evText
)

// xmlScanner is the tokenizer of the checks: it reads a part once, at
// hundreds of megabytes a second, without allocating per token, and
// refuses what a decoder would have to hold in memory at once — a tag, a
// run of text, a comment longer than maxXMLToken, or elements nested
// deeper than maxXMLDepth. It reads the XML as encoding/xml (and so
// excelize) does where it matters for the counts: element and attribute
// names with their prefix cut as Decoder.nsname does, self-closing tags as
// a start and an end, CDATA as text, comments and processing instructions
// skipped. What it cannot read the same way it refuses: a DOCTYPE, an
// encoding other than UTF-8, an entity in an attribute it reads.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	base     int64 // offset of buf[0] in the part
	rerr     error
	where    string // "sheet 人员" or "part xl/sharedStrings.xml", for messages
	depth    int
	inEntity bool
	pending  bool // a self-closing tag's end is due

	// The current event.
	local       []byte // the element's local name (start, end)
	tag         []byte // the start tag after '<': name and attributes
	startOffset int64  // where the start tag began
	text        []byte // a piece of text (valid until the next call)
	runes       int    // its characters, an entity counting one
	amp         bool   // it holds an entity reference
	run         int    // length of the current run of text
}

func newXMLScanner(r io.Reader, where string) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 64<<10), where: where}
}

// offset is the position in the part of the next byte.
func (s *xmlScanner) offset() int64 { return s.base + int64(s.pos) }

func (s *xmlScanner) fill() bool {
	if s.pos < s.end {
		return true
	}
	if s.rerr != nil {
		return false
	}
	s.base += int64(s.end)
	s.pos, s.end = 0, 0
	for s.end == 0 && s.rerr == nil {
		s.end, s.rerr = s.r.Read(s.buf)
	}
	return s.end > 0
}

func (s *xmlScanner) readErr() error {
	if s.rerr == nil || s.rerr == io.EOF {
		return nil
	}
	return notXLSX(fmt.Errorf("%s: %w", s.where, s.rerr))
}

func (s *xmlScanner) tokenTooLong() error {
	return limitErr("XMLToken", "%s: an XML tag, text or comment longer than %s / XML 标签或文本超过 %s 上限",
		s.where, byteSize64(maxXMLToken), byteSize64(maxXMLToken))
}

func (s *xmlScanner) syntax(format string, args ...any) error {
	return notXLSX(fmt.Errorf("%s: XML syntax: %s", s.where, fmt.Sprintf(format, args...)))
}

// tooBig reports whether the element that began at start has grown
// beyond maxXMLElement; elementErr is the refusal, what naming it.
func (s *xmlScanner) tooBig(start int64) bool { return s.offset()-start > maxXMLElement }

func (s *xmlScanner) elementErr(what string) error {
	return limitErr("XMLElement", "%s: %s is larger than %s of XML / 单元格或共享字符串的 XML 超过 %s 上限",
		s.where, what, byteSize64(maxXMLElement), byteSize64(maxXMLElement))
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// indexSpace is the index of the first white space in b, or -1.
func indexSpace(b []byte) int {
	for i, c := range b {
		if isSpace(c) {
			return i
		}
	}
	return -1
}

// next reads the next event: evStart (local, attr), evEnd (local), evText
// (text, runes, amp) or evEOF.
func (s *xmlScanner) next() (int, error) {
	if s.pending {
		s.pending = false
		s.depth--
		return evEnd, nil
	}
	for {
		if !s.fill() {
			return evEOF, s.readErr()
		}
		if s.buf[s.pos] != '<' {
			return evText, s.textPiece()
		}
		s.pos++
		s.run, s.inEntity = 0, false
		start := s.offset() - 1
		b, ok := s.peek()
		if !ok {
			return evEOF, s.syntax("unexpected end")
		}
		switch b {
		case '/':
			s.pos++
			if err := s.collect('>'); err != nil {
				return evEOF, err
			}
			s.local = localName(trimSpace(s.tag))
			s.depth--
			return evEnd, nil
		case '?':
			if err := s.procInst(); err != nil {
				return evEOF, err
			}
		case '!':
			isText, err := s.declaration()
			if err != nil {
				return evEOF, err
			}
			if isText {
				return evText, nil
			}
		default:
			if err := s.collect('>'); err != nil {
				return evEOF, err
			}
			self := len(s.tag) > 0 && s.tag[len(s.tag)-1] == '/'
			if self {
				s.tag = s.tag[:len(s.tag)-1]
			}
			name := s.tag
			if i := indexSpace(name); i >= 0 {
				name = name[:i]
			}
			s.local, s.startOffset = localName(name), start
			if s.depth++; s.depth > maxXMLDepth {
				return evEOF, limitErr("XMLDepth", "%s: XML nested deeper than %d levels / XML 嵌套超过 %d 层上限",
					s.where, maxXMLDepth, maxXMLDepth)
			}
			s.pending = self
			return evStart, nil
		}
	}
}

func (s *xmlScanner) peek() (byte, bool) {
	if !s.fill() {
		return 0, false
	}
	return s.buf[s.pos], true
}

// textPiece reads text up to the next '<' or the end of the buffer.
func (s *xmlScanner) textPiece() error {
	chunk := s.buf[s.pos:s.end]
	if i := bytes.IndexByte(chunk, '<'); i >= 0 {
		chunk = chunk[:i]
	}
	s.pos += len(chunk)
	if s.run += len(chunk); s.run > maxXMLToken {
		return s.tokenTooLong()
	}
	s.text, s.runes, s.amp = chunk, 0, false
	for _, b := range chunk {
		switch {
		case s.inEntity:
			s.inEntity = b != ';'
		case b == '&':
			s.inEntity, s.amp = true, true
			s.runes++
		case b&0xC0 != 0x80:
			s.runes++
		}
	}
	return nil
}

// collect reads a tag up to its closing byte (outside quoted attribute
// values) into s.tag, without that byte.
func (s *xmlScanner) collect(close byte) error {
	s.tag = s.tag[:0]
	var quote byte
	for {
		if !s.fill() {
			if err := s.readErr(); err != nil {
				return err
			}
			return s.syntax("unexpected end inside a tag")
		}
		chunk := s.buf[s.pos:s.end]
		for i, b := range chunk {
			switch {
			case quote != 0:
				if b == quote {
					quote = 0
				}
			case b == '"' || b == '\'':
				quote = b
			case b == close:
				s.tag = append(s.tag, chunk[:i]...)
				s.pos += i + 1
				return nil
			}
		}
		s.tag = append(s.tag, chunk...)
		s.pos = s.end
		if len(s.tag) > maxXMLToken {
			return s.tokenTooLong()
		}
	}
}

// until skips (or, with keep, collects into s.tag) up to and including
// the terminator, as encoding/xml looks for it: over the last bytes read,
// so that "]]]>" ends a CDATA section after its "]".
func (s *xmlScanner) until(term string, keep bool) error {
	s.tag = s.tag[:0]
	var last [4]byte // the last bytes read, the newest at the end
	n := 0
	for {
		if !s.fill() {
			if err := s.readErr(); err != nil {
				return err
			}
			return s.syntax("unexpected end before %q", term)
		}
		b := s.buf[s.pos]
		s.pos++
		if n++; n > maxXMLToken {
			return s.tokenTooLong()
		}
		if keep {
			s.tag = append(s.tag, b)
		}
		copy(last[:], last[1:])
		last[len(last)-1] = b
		if n >= len(term) && string(last[len(last)-len(term):]) == term {
			if keep {
				s.tag = s.tag[:len(s.tag)-len(term)]
			}
			return nil
		}
	}
}

// procInst skips a processing instruction; the XML declaration must not
// name an encoding other than UTF-8 (encoding/xml would convert the rest
// of the part, which this scanner reads as bytes).
func (s *xmlScanner) procInst() error {
	s.pos++ // '?'
	if err := s.until("?>", true); err != nil {
		return err
	}
	target, content := string(s.tag), ""
	if i := indexSpace(s.tag); i >= 0 {
		target, content = target[:i], target[i:]
	}
	if target == "xml" {
		if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return notXLSX(fmt.Errorf("%s: the XML encoding %s is not UTF-8", s.where, quoteShort(enc)))
		}
	}
	return nil
}

// declaration reads what follows "<!": a comment (skipped) or a CDATA
// section (the text event, true). A DOCTYPE is refused: no spreadsheet
// program writes one.
func (s *xmlScanner) declaration() (bool, error) {
	s.pos++ // '!'
	var head [7]byte
	n := 0
	for n < len(head) {
		b, ok := s.peek()
		if !ok {
			return false, s.syntax("unexpected end")
		}
		head[n] = b
		s.pos++
		n++
		if n == 2 && string(head[:2]) == "--" {
			return false, s.until("-->", false)
		}
	}
	if string(head[:]) != "[CDATA[" {
		return false, notXLSX(fmt.Errorf("%s: XML declarations (<!DOCTYPE …>) are not accepted", s.where))
	}
	if err := s.until("]]>", true); err != nil {
		return false, err
	}
	s.text, s.amp, s.runes = s.tag, false, 0
	for _, b := range s.tag {
		if b&0xC0 != 0x80 {
			s.runes++
		}
	}
	return true, nil
}

// attrs calls fn with the value of each of the start tag's attributes
// whose local name is name, in order. A value with an entity is refused:
// encoding/xml would decode it, and the checks would count another value.
func (s *xmlScanner) attrs(name string, fn func(v []byte)) error {
	t := s.tag
	i := indexSpace(t)
	if i < 0 {
		return nil
	}
	for t = t[i:]; ; {
		t = trimSpace(t)
		if len(t) == 0 {
			return nil
		}
		eq := bytes.IndexByte(t, '=')
		if eq < 0 {
			return s.syntax("an attribute without a value")
		}
		an := trimSpace(t[:eq])
		t = trimSpace(t[eq+1:])
		if len(t) == 0 || (t[0] != '"' && t[0] != '\'') {
			return s.syntax("an attribute value without quotes")
		}
		end := bytes.IndexByte(t[1:], t[0])
		if end < 0 {
			return s.syntax("an unterminated attribute value")
		}
		v := t[1 : 1+end]
		t = t[end+2:]
		if string(localName(an)) != name {
			continue
		}
		if bytes.IndexByte(v, '&') >= 0 {
			return notXLSX(fmt.Errorf("%s: the attribute %s is written with an entity", s.where, name))
		}
		fn(v)
	}
}

// attr is the last value of the attribute, as excelize's
// cellXMLAttrHandler reads r and t.
func (s *xmlScanner) attr(name string) (string, error) {
	var value []byte
	err := s.attrs(name, func(v []byte) { value = v })
	return string(value), err
}

// rowNumber is a row's r as excelize's attrValToInt reads it: the last
// value, or 0 from the first that is not a number.
func (s *xmlScanner) rowNumber() (int, error) {
	n, bad := 0, false
	err := s.attrs("r", func(v []byte) {
		if bad {
			return
		}
		var err error
		if n, err = strconv.Atoi(string(v)); err != nil {
			n, bad = 0, true
		}
	})
	return n, err
}

// localName cuts the prefix of a name as encoding/xml's Decoder.nsname
// does: "x:c" is c, but ":c", "c:" and "a:b:c" stay whole.
func localName(name []byte) []byte {
	if bytes.Count(name, []byte(":")) != 1 {
		return name
	}
	i := bytes.IndexByte(name, ':')
	if i == 0 || i == len(name)-1 {
		return name
	}
	return name[i+1:]
}

// procInstParam is encoding/xml's procInst: the value of param in the
// content of a processing instruction.
func procInstParam(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
