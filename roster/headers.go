package roster

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"

	"yanzhen/i18n"
)

// Counties keep their rosters in spreadsheets of their own: a title row
// over the header, headers typed with spaces, line breaks and full-width
// characters, their own words for a column (手机号码, 出生年月), columns of
// their own. This file binds such a sheet to the format: it finds the
// header row, matches each header to a column (by name, English alias or
// a synonym declared on the column in format.go) and applies the user's
// column mapping to the rest.

// headerScanRows is how far down a sheet the header row is looked for: a
// county sheet has a title, maybe a line "填报单位：… 日期：…", then the
// header; ten rows leave room for a few more lines of notes.
const headerScanRows = 10

// headerKey is the form in which headers, synonyms, mapped headers and
// sheet names are compared. It folds full-width letters, digits and
// brackets to their ASCII forms (（）→ (), Ａ → A), drops every space
// (U+3000 and no-break ones too), line break and tab — people space out
// "姓 名" and break "出生\n年月" to fit a column — and underscores (so
// "Birth Date" meets birth_date), lower-cases Latin letters and takes off
// the marks of a required column: a "*" before or after, a trailing
// "(必填)".
func headerKey(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '\ufeff' || r == '\u200b' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	k := b.String()
	for {
		before := k
		k = strings.Trim(k, "*")
		for _, mark := range []string{"(必填)", "(必填项)", "(选填)"} {
			k = strings.TrimSuffix(k, mark)
		}
		if k == before {
			return k
		}
	}
}

// ColumnMapping is one line of a column mapping: in the workbook's sheet
// Sheet, the header Header holds the format's column Column. Sheet is the
// sheet's name as written in the workbook, or the format's name of it (人员,
// people). Column is a column's Chinese name or English alias; empty, the
// header is ignored on purpose (no warning). With Header empty, the line
// maps the whole sheet: the workbook's sheet Sheet is the format's sheet
// Column (Sheet1 → 人员).
type ColumnMapping struct {
	Sheet  string `json:"sheet"`
	Header string `json:"header"`
	Column string `json:"column"`
}

// ReadColumnMapping reads a column mapping file: .json (an array of
// {"sheet", "header", "column"} objects) or CSV (lines sheet,header,column;
// an optional first line naming those fields; lines starting with # are
// comments; UTF-8 or GB18030 like roster CSV files).
func ReadColumnMapping(path string) ([]ColumnMapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the column mapping: %w", err)
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return ParseColumnMappingJSON(bytes.NewReader(data))
	}
	return ParseColumnMappingCSV(bytes.NewReader(data))
}

// ParseColumnMappingJSON reads a mapping as a JSON array of objects.
func ParseColumnMappingJSON(r io.Reader) ([]ColumnMapping, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields() // a misspelt "colum" would silently map nothing
	var out []ColumnMapping
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("the column mapping is not a JSON array of {sheet, header, column} / 列映射文件格式错误: %w", err)
	}
	for i, m := range out {
		if strings.TrimSpace(m.Sheet) == "" {
			return nil, fmt.Errorf("column mapping entry %d: no sheet / 列映射第 %d 项缺少工作表", i+1, i+1)
		}
	}
	return out, nil
}

// ParseColumnMappingCSV reads a mapping as CSV lines sheet,header,column.
func ParseColumnMappingCSV(r io.Reader) ([]ColumnMapping, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the column mapping: %w", err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			return nil, fmt.Errorf("the column mapping is neither UTF-8 nor GB18030 / 列映射文件编码无法识别: %w", err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	records, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("the column mapping is not valid CSV / 列映射文件 CSV 格式错误: %w", err)
	}
	var out []ColumnMapping
	for i, rec := range records {
		if blank(rec) {
			continue
		}
		if i == 0 && len(rec) >= 2 && (strings.EqualFold(cleanCell(rec[0]), "sheet") || cleanCell(rec[0]) == "工作表") {
			continue // the optional line naming the fields
		}
		if len(rec) < 2 || len(rec) > 3 {
			return nil, fmt.Errorf("column mapping line %d: want sheet,header,column / 列映射第 %d 行应为 工作表,表头,列", i+1, i+1)
		}
		m := ColumnMapping{Sheet: cleanCell(rec[0]), Header: cleanCell(rec[1])}
		if len(rec) == 3 {
			m.Column = cleanCell(rec[2])
		}
		if m.Sheet == "" {
			return nil, fmt.Errorf("column mapping line %d: no sheet / 列映射第 %d 行缺少工作表", i+1, i+1)
		}
		out = append(out, m)
	}
	return out, nil
}

// mappingEntry is a ColumnMapping being applied; used says whether it
// found its sheet and header, so that one that did not can be reported.
type mappingEntry struct {
	ColumnMapping
	used bool
}

// forSheet is the mapping's lines about a sheet of the workbook (named
// name, bound to def).
func forSheet(ms []*mappingEntry, name string, def *SheetDef) []*mappingEntry {
	var out []*mappingEntry
	for _, m := range ms {
		if m.Header == "" {
			continue
		}
		if headerKey(m.Sheet) == headerKey(name) || sheetDef(m.Sheet) == def || def == &flatDef && isFlatName(m.Sheet) {
			out = append(out, m)
		}
	}
	return out
}

// headerCell is what one header cell names.
type headerCell struct {
	cols    []*Column // the columns it may be: none (unknown), one, or several (ambiguous)
	mapped  *mappingEntry
	ignored bool // mapped to no column on purpose
}

// readHeader says what each cell of a candidate header row names.
func readHeader(def *SheetDef, header []string, ms []*mappingEntry) []headerCell {
	out := make([]headerCell, len(header))
	for i, h := range header {
		if cleanCell(h) == "" {
			continue
		}
		k := headerKey(h)
		for _, m := range ms {
			if headerKey(m.Header) == k {
				out[i].mapped = m
				if m.Column == "" {
					out[i].ignored = true
				} else if c := def.column(m.Column); c != nil {
					out[i].cols = []*Column{c}
				}
				break
			}
		}
		if out[i].mapped == nil {
			out[i].cols = def.matches(h)
		}
	}
	return out
}

// looksLikeHeader scores a candidate row: it is the header when it names a
// known column and either names two required columns (one when the sheet
// has only one) or names at least half of its non-empty cells. A title row
// ("××镇村两委班子成员花名册", one merged cell) or a line "填报单位：…"
// names none; a data row's values are not column names.
func looksLikeHeader(def *SheetDef, row []string, cells []headerCell) (ok bool, known int) {
	nonEmpty, required := 0, map[string]bool{}
	for i, c := range cells {
		if cleanCell(row[i]) == "" {
			continue
		}
		nonEmpty++
		if len(c.cols) > 0 || c.ignored {
			known++
		}
		if len(c.cols) == 1 && c.cols[0].Required {
			required[c.cols[0].Name] = true
		}
	}
	need := 0
	for _, c := range def.Columns {
		if c.Required {
			need++
		}
	}
	return known > 0 && (len(required) >= min(2, need) || 2*known >= nonEmpty), known
}

// headerRow chooses the header among the first headerScanRows rows of a
// sheet: the first that looks like one, else the one naming the most
// columns, else row 1 as written (whose missing columns are then
// reported). A header of two rows — group labels merged over sub-headers
// ("任职情况" over 职务 and 任职时间), the other headers merged down both
// rows — is read as one: a row naming a known column, followed directly by
// a row whose every non-empty cell is a header, takes the lower row's
// cells where it has them. It returns the header's cells, its first and
// last line, and the data rows below it; row numbers stay those Excel
// shows.
func headerRow(def *SheetDef, s *Sheet, ms []*mappingEntry) (header []string, line, last int, rows []Row) {
	type candidate struct {
		cells      []string
		line, last int
		next       int // index in s.Rows of the first row below it
	}
	cands := []candidate{{s.Header, 1, 1, 0}}
	for i, r := range s.Rows {
		if r.Line > headerScanRows {
			break
		}
		cands = append(cands, candidate{r.Cells, r.Line, r.Line, i + 1})
	}
	best, bestKnown := candidate{s.Header, 1, 1, 0}, 0
	for _, c := range cands {
		if c.next < len(s.Rows) && s.Rows[c.next].Line == c.line+1 && knownCount(readHeader(def, c.cells, ms)) > 0 &&
			subHeader(def, s.Rows[c.next].Cells, ms) {
			c.cells = underlay(s.Rows[c.next].Cells, c.cells)
			c.last, c.next = c.line+1, c.next+1
		}
		ok, known := looksLikeHeader(def, c.cells, readHeader(def, c.cells, ms))
		if ok {
			best = c
			break
		}
		if known > bestKnown {
			best, bestKnown = c, known
		}
	}
	return best.cells, best.line, best.last, s.Rows[best.next:]
}

func knownCount(cells []headerCell) int {
	n := 0
	for _, c := range cells {
		if len(c.cols) > 0 || c.ignored {
			n++
		}
	}
	return n
}

// subHeader: every non-empty cell of the row is a header (a data row's
// values are not).
func subHeader(def *SheetDef, row []string, ms []*mappingEntry) bool {
	cells := readHeader(def, row, ms)
	n := 0
	for i, c := range cells {
		if cleanCell(row[i]) == "" {
			continue
		}
		if len(c.cols) == 0 && !c.ignored {
			return false
		}
		n++
	}
	return n > 0
}

// underlay is the row top with the cells of sub where sub has them.
func underlay(sub, top []string) []string {
	out := make([]string, max(len(sub), len(top)))
	copy(out, top)
	for i, c := range sub {
		if cleanCell(c) != "" {
			out[i] = c
		}
	}
	return out
}

// bind matches the workbook's sheets and columns to the format, with the
// user's mapping: one problem or warning per sheet for what it cannot
// place, never one per row.
func (imp *importer) bind(wb *Workbook, mapping []ColumnMapping) {
	ms := make([]*mappingEntry, len(mapping))
	for i, m := range mapping {
		ms[i] = &mappingEntry{ColumnMapping: m}
	}
	var unknownSheets []string
	for _, s := range wb.Sheets {
		def := sheetDef(s.Name)
		flat := def == nil && isFlatName(s.Name)
		for _, m := range ms {
			// A line without a header names the format sheet of a
			// workbook's sheet (Sheet1 → 人员).
			if m.Header != "" || headerKey(m.Sheet) != headerKey(s.Name) {
				continue
			}
			m.used = true
			if d := sheetDef(m.Column); d != nil {
				def, flat = d, false
			} else if isFlatName(m.Column) {
				def, flat = nil, true
			} else {
				imp.problemAs(KindColumnMapping, &boundSheet{name: s.Name}, 0, m.Column, "",
					"列映射指定的工作表类型不存在（应为 "+sheetNames()+"）",
					"the column mapping names no sheet of the format (one of "+sheetNames()+")")
			}
		}
		if def == nil && (flat || s.Name != guideSheet && s.Name != SummarySheet && looksFlat(s, ms)) {
			imp.bindFlat(s, ms)
			continue
		}
		if def == nil {
			if s.Name != guideSheet && s.Name != SummarySheet && (len(s.Rows) > 0 || len(s.Header) > 0) {
				imp.warnAs(KindSheet, s.Name, 0, "", "", "未知的工作表，已忽略（可在列映射中指定其类型）",
					"unknown sheet, ignored (a column mapping line with an empty header can name its kind)")
				unknownSheets = append(unknownSheets, s.Name)
			}
			continue
		}
		if prev, dup := imp.sheets[def.Kind]; dup {
			imp.problemAs(KindSheet, &boundSheet{name: s.Name}, 0, "", "",
				"与工作表「"+prev.name+"」重复", "the same sheet as "+prev.name+" appears twice")
			continue
		}
		b, _, bad := imp.bindColumns(s, def, forSheet(ms, s.Name, def))
		imp.counts[def.Kind] = &SheetCount{Sheet: def.Name}
		if bad {
			// Its rows would only repeat what is wrong with the header.
			b.rows = nil
		}
		imp.sheets[def.Kind] = b
	}
	for _, name := range unknownSheets {
		var free []string
		for _, d := range Sheets {
			if imp.sheets[d.Kind] == nil {
				free = append(free, d.Name)
			}
		}
		imp.rep.UnknownColumns = append(imp.rep.UnknownColumns, UnknownColumn{Sheet: name, Suggestions: free})
	}
	for _, m := range ms {
		if !m.used {
			col := m.Header
			if col == "" {
				col = m.Column
			}
			imp.warnAs(KindColumnMapping, m.Sheet, 0, col, "", "列映射的这一行没有用上（工作表或表头不在名册中）",
				"this line of the column mapping was not used (no such sheet or header in the roster)")
		}
	}
}

// bindColumns finds the header of the sheet s of the kind def and binds its
// columns, with the mapping's lines sms about the sheet. It reports what it
// cannot place once per sheet and returns the bound sheet, the header's
// line and whether the header is too wrong to read the rows.
func (imp *importer) bindColumns(s *Sheet, def *SheetDef, sms []*mappingEntry) (b *boundSheet, line int, bad bool) {
	b = &boundSheet{def: def, name: s.Name, idx: map[string]int{}}
	for _, m := range sms {
		if m.Column != "" && def.column(m.Column) == nil {
			// Appended as is: Value is the mapped header, not a cell, so
			// it is not masked even when Column says 身份证号.
			imp.rep.Problems = append(imp.rep.Problems, Problem{Sheet: s.Name, Column: m.Column, Value: m.Header, Kind: KindColumnMapping, Text: i18n.Text{
				Zh: "列映射指定的列不在工作表「" + def.Name + "」中（应为 " + columnNames(def) + "）",
				En: "the column mapping names a column the sheet " + def.Name + " does not have (one of " + columnNames(def) + ")"}})
		}
	}
	header, line, last, rows := headerRow(def, s, sms)
	b.rows, b.header = rows, header
	switch {
	case last > line:
		zh, en := "", ""
		if line > 1 {
			zh, en = "，其上的标题行未导入", "; the title rows above are not imported"
		}
		imp.warnAs(KindHeader, s.Name, line, "", "", fmt.Sprintf("第%d–%d行是表头（两层）%s", line, last, zh),
			fmt.Sprintf("rows %d–%d are the header (two levels)%s", line, last, en))
	case line > 1:
		imp.warnAs(KindHeader, s.Name, line, "", "", fmt.Sprintf("第%d行是表头，其上的标题行未导入", line),
			fmt.Sprintf("row %d is the header; the title rows above it are not imported", line))
	}
	var unknown []string
	ambiguous := map[string]bool{} // columns an ambiguous header may be: not reported missing too
	seen := map[string]string{}    // column name → the header that gave it
	for i, hc := range readHeader(def, header, sms) {
		h := header[i]
		if hc.mapped != nil {
			hc.mapped.used = true
		}
		switch {
		case hc.ignored:
			continue
		case len(hc.cols) == 0:
			if cleanCell(h) != "" && hc.mapped == nil {
				unknown = append(unknown, displayHeader(h))
			}
			continue
		case len(hc.cols) > 1:
			names := make([]string, len(hc.cols))
			for j, c := range hc.cols {
				names[j] = c.Name
				ambiguous[c.Name] = true
			}
			imp.rep.UnknownColumns = append(imp.rep.UnknownColumns, UnknownColumn{
				Sheet: s.Name, FormatSheet: def.Name, Header: displayHeader(h), Ambiguous: true, Suggestions: names})
			imp.problemAs(KindHeader, b, line, displayHeader(h), "",
				"表头可对应多列："+strings.Join(names, "、")+"；请改写表头或在列映射中指定",
				"the header may be any of the columns "+strings.Join(names, ", ")+"; rename it or map it in a column mapping")
			bad = true
			continue
		}
		c := hc.cols[0]
		if prev, dup := seen[c.Name]; dup {
			imp.problemAs(KindHeader, b, line, displayHeader(h), "",
				"与「"+prev+"」同为「"+c.Name+"」列；请删去一列或在列映射中指定",
				"both this header and "+prev+" are the column "+c.Name+"; drop one or map it in a column mapping")
			bad = true
			continue
		}
		seen[c.Name] = displayHeader(h)
		b.idx[c.Name] = i
	}
	for _, h := range unknown {
		imp.rep.UnknownColumns = append(imp.rep.UnknownColumns, UnknownColumn{
			Sheet: s.Name, FormatSheet: def.Name, Header: h, Suggestions: suggest(def, b, h)})
	}
	if len(unknown) > 0 {
		imp.warnAs(KindHeader, s.Name, line, strings.Join(unknown, "、"), "",
			"未知的列，已忽略；可用列映射指定其对应的列",
			"unknown columns, ignored; a column mapping can say which column each is")
	}
	for _, c := range def.Columns {
		if c.Required && !b.has(c.Name) && !ambiguous[c.Name] {
			imp.problemAs(KindHeader, b, line, c.Name, "", "缺少必填列", "a required column is missing")
			imp.rep.MissingColumns = append(imp.rep.MissingColumns, MissingColumn{Sheet: s.Name, FormatSheet: def.Name, Column: c.Name})
			bad = true
		}
	}
	return b, line, bad
}

// displayHeader is a header as reports show it: its line breaks and runs
// of spaces made one space, so that "出生\n年月" stays on its line.
func displayHeader(h string) string { return strings.Join(strings.Fields(h), " ") }

func sheetNames() string {
	out := make([]string, len(Sheets))
	for i, d := range Sheets {
		out[i] = d.Name
	}
	return strings.Join(out, "/")
}

func columnNames(def *SheetDef) string {
	out := make([]string, len(def.Columns))
	for i, c := range def.Columns {
		out[i] = c.Name
	}
	return strings.Join(out, "/")
}

// SynonymsMarkdown is the table of the headers recognised besides each
// column's name and alias, for docs/roster.md (written there by
// `go run ./roster/template`; a test fails when the docs are stale), so
// that the docs cannot drift from the definitions.
func SynonymsMarkdown() string {
	var b strings.Builder
	b.WriteString("| 工作表 sheet | 列 column | 也认作 also recognised as |\n|---|---|---|\n")
	for i := range Sheets {
		d := &Sheets[i]
		for _, c := range d.Columns {
			if len(c.Synonyms) == 0 {
				continue
			}
			var words []string
			for _, s := range c.Synonyms {
				if headerKey(s) == headerKey(c.Name) {
					continue // a shared list (villageSynonyms) holding the column's own name
				}
				if len(d.matches(s)) > 1 {
					s += " (ambiguous: 需映射 map it)"
				}
				words = append(words, s)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", d.Name, c.Name, strings.Join(words, "、"))
		}
	}
	return b.String()
}

// Markers of the generated table in docs/roster.md.
const (
	SynonymsBegin = "<!-- synonyms: generated by go run ./roster/template -->\n"
	SynonymsEnd   = "<!-- /synonyms -->\n"
)

// WithSynonyms returns the docs with the table between the markers
// replaced by SynonymsMarkdown; false when the markers are missing.
func WithSynonyms(doc string) (string, bool) {
	i := strings.Index(doc, SynonymsBegin)
	j := strings.Index(doc, SynonymsEnd)
	if i < 0 || j < i {
		return doc, false
	}
	return doc[:i+len(SynonymsBegin)] + SynonymsMarkdown() + doc[j:], true
}
