package roster

import (
	"fmt"
	"slices"
	"strings"

	"yanzhen/i18n"
)

// This file is the column mapping as an API sees it: the format's sheets
// and columns to choose from, the headers of an import that still need a
// choice (Report.UnknownColumns, Report.MissingColumns), and the check of
// a mapping before its job is queued. A web form offers the first, shows
// the second, and sends its answer back through the third.

// UnknownColumn is a header of the workbook the format does not know —
// or a whole sheet, when Header is empty — with the columns (or sheets) it
// may be, most likely first: what a mapping form offers for it.
type UnknownColumn struct {
	// Sheet is the sheet's name as written in the workbook.
	Sheet string `json:"sheet"`
	// FormatSheet is the format's sheet it was read as (人员); empty for
	// an unknown sheet.
	FormatSheet string `json:"formatSheet,omitempty"`
	// Header is the header as the report shows it (displayHeader); empty:
	// the sheet itself is unknown, and Suggestions are sheet names.
	Header string `json:"header,omitempty"`
	// Ambiguous: the header names several columns (Suggestions); the sheet
	// is rejected until a mapping chooses.
	Ambiguous bool `json:"ambiguous,omitempty"`
	// Suggestions are the format sheet's columns no other header took, the
	// likeliest first (sharing characters with the header or one of the
	// column's synonyms); for an unknown sheet, the format's sheets not in
	// the workbook.
	Suggestions []string `json:"suggestions"`
}

// MissingColumn is a required column no header of a sheet names.
type MissingColumn struct {
	Sheet       string `json:"sheet"`
	FormatSheet string `json:"formatSheet"`
	Column      string `json:"column"`
}

// suggest ranks the columns of def not yet bound in b for the header h:
// those whose name, alias or a synonym shares the most characters with it
// first, the format's order otherwise (a required column before others of
// the same score).
func suggest(def *SheetDef, b *boundSheet, h string) []string {
	type cand struct {
		name  string
		score int
		req   bool
	}
	hk := headerKey(h)
	var cs []cand
	for _, c := range def.Columns {
		if b.has(c.Name) {
			continue
		}
		score := 0
		for _, w := range append([]string{c.Name, c.Alias}, c.Synonyms...) {
			score = max(score, shared(hk, headerKey(w)))
		}
		cs = append(cs, cand{c.Name, score, c.Required})
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.score != b.score {
			return b.score - a.score
		}
		if a.req != b.req && a.score > 0 {
			if a.req {
				return -1
			}
			return 1
		}
		return 0
	})
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.name
	}
	return out
}

// shared counts the distinct characters of a found in b.
func shared(a, b string) int {
	n, seen := 0, map[rune]bool{}
	for _, r := range a {
		if !seen[r] && strings.ContainsRune(b, r) {
			n++
		}
		seen[r] = true
	}
	return n
}

// MappingError is what is wrong with one line of a column mapping, found
// before the import: Index is the line (from 0), Field the field at fault
// (sheet or column).
type MappingError struct {
	Index int
	Field string
	Text  i18n.Text
}

func (e *MappingError) Error() string {
	return fmt.Sprintf("column mapping entry %d: %s", e.Index+1, e.Text.String())
}

// CheckColumnMapping checks a column mapping against the format before a
// workbook is read: every sheet a line names must be one of the format's
// (by its name or alias) or a workbook sheet that another line, with an
// empty header, binds to one; every column must be one of that sheet's. A
// line that names a sheet the workbook lacks is only found by the import
// (a warning: the line was not used).
func CheckColumnMapping(ms []ColumnMapping) *MappingError {
	bound := map[string]*SheetDef{} // workbook sheet (headerKey) → format sheet, by whole-sheet lines
	for i, m := range ms {
		switch {
		case strings.TrimSpace(m.Sheet) == "":
			return &MappingError{i, "sheet", i18n.Text{Zh: "缺少工作表", En: "no sheet"}}
		case cleanCell(m.Header) != "":
			continue
		case sheetDef(m.Column) == nil:
			return &MappingError{i, "column", i18n.Text{
				Zh: "「" + m.Column + "」不是名册的工作表（应为 " + sheetNames() + "）",
				En: m.Column + " is no sheet of the format (one of " + sheetNames() + ")"}}
		default:
			bound[headerKey(m.Sheet)] = sheetDef(m.Column)
		}
	}
	for i, m := range ms {
		if cleanCell(m.Header) == "" {
			continue
		}
		def := bound[headerKey(m.Sheet)]
		if def == nil {
			def = sheetDef(m.Sheet)
		}
		if def == nil {
			return &MappingError{i, "sheet", i18n.Text{
				Zh: "「" + m.Sheet + "」不是名册的工作表（应为 " + sheetNames() + "，或先用表头为空的一行指定该工作表的类型）",
				En: m.Sheet + " is no sheet of the format (one of " + sheetNames() + ", or first map the sheet itself with a line of empty header)"}}
		}
		if m.Column != "" && def.column(m.Column) == nil {
			return &MappingError{i, "column", i18n.Text{
				Zh: "「" + m.Column + "」不是工作表「" + def.Name + "」的列（应为 " + columnNames(def) + "）",
				En: m.Column + " is no column of the sheet " + def.Name + " (one of " + columnNames(def) + ")"}}
		}
	}
	return nil
}
