package roster

import (
	"encoding/json"
	"fmt"
	"strings"

	"yanzhen/errcode"
	"yanzhen/i18n"
	"yanzhen/rules"
)

// Problem is one thing wrong (or, as a warning, worth knowing) in the
// roster, located as the user sees it in Excel.
type Problem struct {
	Sheet string `json:"sheet"`
	// Row is the row number in the sheet (the header is row 1); 0 when the
	// problem concerns the whole sheet or file.
	Row    int    `json:"row"`
	Column string `json:"column"`
	// Value is the cell as written, masked for 身份证号 and 联系电话.
	Value string `json:"value"`
	// Text is the reason, in Chinese and English (stored as reasonZh and
	// reasonEn, the form reports have always had).
	Text i18n.Text `json:"-"`
	// Rule is the code of the business rule the row breaks (package
	// rules), empty for a problem of form (a missing value, a bad date …).
	Rule rules.Code `json:"rule,omitempty"`
	// Kind is what reports group problems by (groups.go): the rule's code
	// for a broken rule, one of the Kind constants for a problem of form.
	// Empty in reports stored before kinds existed and for problems no
	// helper has classified yet; Group() then falls back to Rule or OTHER.
	Kind Kind `json:"kind,omitempty"`
	// Read is how the importer understood the value, when it read it at
	// all ("1971.07" read as "1971-07-01", an Excel serial as a day): a
	// clerk fixing the cell sees what the file said and what it meant.
	Read string `json:"read,omitempty"`
	// Cell is the problem's cell as Excel names it (D5), when the problem
	// is about one cell of a bound column; empty otherwise. Annotate
	// highlights it.
	Cell string `json:"cell,omitempty"`
}

// problemJSON is how a problem is stored in an import job's report.
type problemJSON struct {
	Sheet    string     `json:"sheet"`
	Row      int        `json:"row"`
	Column   string     `json:"column"`
	Value    string     `json:"value"`
	ReasonZh string     `json:"reasonZh"`
	ReasonEn string     `json:"reasonEn"`
	Rule     rules.Code `json:"rule,omitempty"`
	// Added later, all omitted when empty: older reports read back as
	// they were, and newer ones keep the older fields where they were.
	Kind Kind   `json:"kind,omitempty"`
	Read string `json:"read,omitempty"`
	Cell string `json:"cell,omitempty"`
}

func (p Problem) MarshalJSON() ([]byte, error) {
	return json.Marshal(problemJSON{p.Sheet, p.Row, p.Column, p.Value, p.Text.Zh, p.Text.En, p.Rule, p.Kind, p.Read, p.Cell})
}

func (p *Problem) UnmarshalJSON(b []byte) error {
	var j problemJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Problem{Sheet: j.Sheet, Row: j.Row, Column: j.Column, Value: j.Value, Text: i18n.Text{Zh: j.ReasonZh, En: j.ReasonEn}, Rule: j.Rule,
		Kind: j.Kind, Read: j.Read, Cell: j.Cell}
	return nil
}

// Reason is the reason in both languages, Chinese first: a roster is read
// by Chinese-speaking staff.
func (p Problem) Reason() string { return p.Text.Zh + " / " + p.Text.En }

// ReasonZh and ReasonEn are the two halves of the reason.
func (p Problem) ReasonZh() string { return p.Text.Zh }
func (p Problem) ReasonEn() string { return p.Text.En }

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Sheet)
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第%d行", p.Row)
	}
	if p.Column != "" {
		b.WriteString(" [" + p.Column + "]")
	}
	if p.Value != "" {
		fmt.Fprintf(&b, " %q", p.Value)
	}
	if p.Read != "" && p.Read != p.Value {
		fmt.Fprintf(&b, " → %s", p.Read)
	}
	b.WriteString(": " + p.Reason())
	return b.String()
}

// SheetCount says what the import did (or, in a dry run, would do) with
// one sheet's rows.
type SheetCount struct {
	Sheet     string `json:"sheet"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
}

// Report is the outcome of an import: every problem found (then nothing was
// written), the warnings, and the counts per sheet.
type Report struct {
	DryRun   bool         `json:"dryRun"`
	Problems []Problem    `json:"problems"`
	Warnings []Problem    `json:"warnings"`
	Counts   []SheetCount `json:"counts"`
	// Written is true when the changes were committed.
	Written bool `json:"written"`
	// Readings are the words read as another (男性 as 男), each once.
	Readings []Reading `json:"readings,omitempty"`
	// UnknownWords are the words missing from a vocabulary, each once.
	UnknownWords []UnknownWord `json:"unknownWords,omitempty"`
	// UnknownColumns are the headers (and sheets) the format does not
	// know or cannot tell apart, and MissingColumns the required columns
	// no header names: what a column mapping can settle (columns.go).
	UnknownColumns []UnknownColumn `json:"unknownColumns,omitempty"`
	MissingColumns []MissingColumn `json:"missingColumns,omitempty"`
}

// OK reports whether the roster had no problems.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Changed is the number of rows created or updated.
func (r *Report) Changed() int {
	n := 0
	for _, c := range r.Counts {
		n += c.Created + c.Updated
	}
	return n
}

// Count returns the counts of one sheet (by its Chinese name).
func (r *Report) Count(sheet string) SheetCount {
	for _, c := range r.Counts {
		if c.Sheet == sheet {
			return c
		}
	}
	return SheetCount{Sheet: sheet}
}

// String is the report for the command line: the problems grouped by kind
// with their counts and rows first (what to fix, at a glance), then every
// problem and warning on its own line.
func (r *Report) String() string {
	var b strings.Builder
	for _, g := range r.Groups() {
		b.WriteString("错误 error: " + g.String() + "\n")
	}
	for _, g := range r.WarningGroups() {
		b.WriteString("提示 warning: " + g.String() + "\n")
	}
	if len(r.Problems)+len(r.Warnings) > 0 {
		b.WriteString("\n")
	}
	for _, p := range r.Problems {
		b.WriteString("错误 error: " + p.String() + "\n")
	}
	for _, w := range r.Warnings {
		b.WriteString("提示 warning: " + w.String() + "\n")
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "%d 处错误，未写入任何数据 / %d problems; nothing was written\n", len(r.Problems), len(r.Problems))
		return b.String()
	}
	for _, c := range r.Counts {
		if c.Rows == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s: %d 行 rows, 新增 created %d, 更新 updated %d, 未变 unchanged %d\n",
			c.Sheet, c.Rows, c.Created, c.Updated, c.Unchanged)
	}
	switch {
	case r.DryRun:
		b.WriteString("试运行，未写入 / dry run: nothing was written\n")
	case r.Changed() == 0:
		b.WriteString("数据无变化 / nothing changed\n")
	case r.Written:
		fmt.Fprintf(&b, "已写入 %d 行 / %d rows written\n", r.Changed(), r.Changed())
	}
	return b.String()
}

// Err is the error Import returns for a roster with problems.
func (r *Report) Err() error {
	if r.OK() {
		return nil
	}
	return errcode.New(errcode.BadUserInput, "the roster has %d problems; nothing was written / 名册有 %d 处错误，未写入任何数据",
		len(r.Problems), len(r.Problems))
}
