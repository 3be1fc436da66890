package roster

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A clerk fixes a roster in Excel, not in a list of "人员 第5行 [出生日期]".
// Annotate gives back their own workbook with every faulty cell filled and
// commented with the reason, and a first sheet summing the problems up by
// kind, so that they can fix the file where it is wrong and upload it again.

// SummarySheet is the sheet Annotate puts first. The import skips a sheet of
// this name silently, so an annotated workbook, once fixed, imports as it is.
const SummarySheet = "问题汇总"

// commentAuthor marks Annotate's comments: annotating a workbook that was
// annotated before replaces them instead of piling up.
const commentAuthor = "雁阵 Yanzhen"

// maxMarkedCells caps the cells Annotate fills and comments: a comment is
// a shape in the sheet's drawing, and a roster with every row wrong needs
// the summary and a corrected template more than 100,000 red cells. The
// summary still lists every problem.
const maxMarkedCells = 5000

// Fills of an error's and a warning's cell (Excel's own "bad" and
// "neutral" colours, which users know from conditional formatting).
const (
	errorFill   = "FFC7CE"
	warningFill = "FFEB9C"
)

// Annotate returns the .xlsx workbook original with the report's problems
// marked: each faulty cell (the problem's Cell, else the header named by its
// Column in its row, else the row's first cell) gets a fill — red for an
// error, yellow for a warning — and a comment giving the reasons in Chinese
// and English; problems of a whole sheet or of the file are listed on the
// summary sheet only. Rows are the rows Excel shows, as in the report.
//
// The original is checked against DefaultLimits first (it is read whole
// here, styles and all, unlike ReadXLSX): call Annotate only with a file
// that ReadXLSX accepted.
func Annotate(original []byte, rep *Report) (annotated []byte, err error) {
	// excelize assumes parts a valid workbook may lack (a workbook written
	// without a styles part makes NewStyle dereference nil): such a
	// workbook gets no annotated copy, the report still says everything.
	defer func() {
		if r := recover(); r != nil {
			annotated, err = nil, fmt.Errorf("roster: the workbook cannot be annotated (%v)", r)
		}
	}()
	if err := DefaultLimits.CheckXLSX(bytes.NewReader(original)); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(original), excelize.Options{
		UnzipSizeLimit:    DefaultLimits.MaxTotalBytes,
		UnzipXMLSizeLimit: xmlInMemory,
	})
	if err != nil {
		return nil, notXLSX(err)
	}
	defer f.Close()

	a := &annotator{f: f, styles: map[styleKey]int{}, notes: map[cellKey]*note{}}
	problemCells := make([]string, len(rep.Problems))
	for i, p := range rep.Problems {
		problemCells[i] = a.add(p, false)
	}
	warningCells := make([]string, len(rep.Warnings))
	for i, p := range rep.Warnings {
		warningCells[i] = a.add(p, true)
	}
	if err := a.apply(); err != nil {
		return nil, err
	}
	if err := a.summary(rep, problemCells, warningCells); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("writing the annotated workbook: %w", err)
	}
	return buf.Bytes(), nil
}

type cellKey struct{ sheet, cell string }

// note is what one cell gets: the reasons of every problem in it, in report
// order, and whether any is an error (an error's fill wins).
type note struct {
	key     cellKey
	lines   []string
	warning bool
}

type styleKey struct {
	base    int
	warning bool
}

type annotator struct {
	f      *excelize.File
	styles map[styleKey]int
	notes  map[cellKey]*note
	order  []*note
	// unmarked counts the problems beyond maxMarkedCells.
	unmarked int
}

// add places a problem on its cell and returns the cell; a problem of a
// whole sheet, or of a sheet the workbook does not have, is left to the
// summary ("").
func (a *annotator) add(p Problem, warning bool) string {
	if p.Row <= 0 {
		return ""
	}
	if idx, err := a.f.GetSheetIndex(p.Sheet); err != nil || idx < 0 {
		return ""
	}
	cell := p.Cell
	if cell == "" && p.Row <= headerScanRows+1 {
		// A header's problem names the header, not a bound column (the
		// header is among the first rows, so this scan stays short).
		cell = a.headerCell(p.Sheet, p.Row, p.Column)
	}
	if cell == "" {
		cell, _ = excelize.CoordinatesToCellName(1, p.Row)
	}
	k := cellKey{p.Sheet, cell}
	n := a.notes[k]
	if n == nil && len(a.order) >= maxMarkedCells {
		a.unmarked++
		return ""
	}
	if n == nil {
		n = &note{key: k, warning: true}
		a.notes[k] = n
		a.order = append(a.order, n)
	}
	n.warning = n.warning && warning
	line := p.Text.Zh + "\n" + p.Text.En
	if p.Read != "" && p.Read != p.Value {
		line += "\n读作 read as: " + p.Read
	}
	n.lines = append(n.lines, line)
	return cell
}

// headerCell finds a column by its header in a row (the problems of a
// header name the header as written, with its spaces made one).
func (a *annotator) headerCell(sheet string, row int, column string) string {
	if column == "" {
		return ""
	}
	rows, err := a.f.Rows(sheet)
	if err != nil {
		return ""
	}
	defer rows.Close()
	for i := 1; rows.Next(); i++ {
		if i < row {
			continue
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return ""
		}
		for j, c := range cols {
			if displayHeader(c) == column {
				name, _ := excelize.CoordinatesToCellName(j+1, row)
				return name
			}
		}
		return ""
	}
	return ""
}

// apply fills and comments the cells. A comment Annotate wrote before (an
// annotated workbook uploaded again) is replaced.
func (a *annotator) apply() error {
	// Comments already there, read once per sheet: deleting one scans
	// the sheet's comments, so only cells that have one are deleted.
	existing := map[cellKey]bool{}
	seen := map[string]bool{}
	for _, n := range a.order {
		if seen[n.key.sheet] {
			continue
		}
		seen[n.key.sheet] = true
		cs, err := a.f.GetComments(n.key.sheet)
		if err != nil {
			return err
		}
		for _, c := range cs {
			existing[cellKey{n.key.sheet, c.Cell}] = true
		}
	}
	for _, n := range a.order {
		style, err := a.style(n.key, n.warning)
		if err != nil {
			return err
		}
		if err := a.f.SetCellStyle(n.key.sheet, n.key.cell, n.key.cell, style); err != nil {
			return fmt.Errorf("marking %s!%s: %w", n.key.sheet, n.key.cell, err)
		}
		if existing[n.key] {
			if err := a.f.DeleteComment(n.key.sheet, n.key.cell); err != nil {
				return err
			}
		}
		text := strings.Join(n.lines, "\n\n")
		if err := a.f.AddComment(n.key.sheet, excelize.Comment{
			Author: commentAuthor, Cell: n.key.cell,
			Paragraph: []excelize.RichTextRun{
				{Text: commentAuthor + ":\n", Font: &excelize.Font{Bold: true}},
				{Text: text},
			},
			Width: 320, Height: uint(60 + 40*len(n.lines)),
		}); err != nil {
			return fmt.Errorf("commenting %s!%s: %w", n.key.sheet, n.key.cell, err)
		}
	}
	return nil
}

// style is the cell's own style (font, borders, number format: a date
// stays a date) with the fill of an error or a warning.
func (a *annotator) style(k cellKey, warning bool) (int, error) {
	base, err := a.f.GetCellStyle(k.sheet, k.cell)
	if err != nil {
		return 0, err
	}
	sk := styleKey{base, warning}
	if id, ok := a.styles[sk]; ok {
		return id, nil
	}
	st, err := a.f.GetStyle(base)
	if err != nil || st == nil {
		st = &excelize.Style{}
	}
	color := errorFill
	if warning {
		color = warningFill
	}
	st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	id, err := a.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	a.styles[sk] = id
	return id, nil
}

// summary writes the first sheet: the groups (kind, count, where), then
// every problem and warning with a link to its cell.
func (a *annotator) summary(rep *Report, problemCells, warningCells []string) error {
	f := a.f
	if idx, _ := f.GetSheetIndex(SummarySheet); idx >= 0 {
		if err := f.DeleteSheet(SummarySheet); err != nil {
			return err
		}
	}
	first := f.GetSheetName(0)
	if _, err := f.NewSheet(SummarySheet); err != nil {
		return err
	}
	if first != "" {
		if err := f.MoveSheet(SummarySheet, first); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	row := 1
	put := func(values ...any) string {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetSheetRow(SummarySheet, cell, &values)
		row++
		return cell
	}
	heading := func(values ...any) {
		cell := put(values...)
		end, _ := excelize.CoordinatesToCellName(len(values), row-1)
		f.SetCellStyle(SummarySheet, cell, end, bold)
	}
	heading(fmt.Sprintf("%d 处错误，%d 条提示 / %d problems, %d warnings", len(rep.Problems), len(rep.Warnings), len(rep.Problems), len(rep.Warnings)))
	if len(rep.Problems) > 0 {
		put("有错误时未写入任何数据：改正标红的单元格（批注说明原因）后重新导入。/ Nothing was written: fix the red cells (their comments say why) and import again.")
	}
	if a.unmarked > 0 {
		put(fmt.Sprintf("只标出了前 %d 个单元格，其余 %d 处问题见下表。/ Only the first %d cells are marked; the other %d problems are listed below.",
			maxMarkedCells, a.unmarked, maxMarkedCells, a.unmarked))
	}
	row++
	heading("类别 kind", "说明 description", "数量 count", "位置 where")
	groups := func(gs []ProblemGroup, severity string) {
		for _, g := range gs {
			where := strings.TrimPrefix(g.String(), fmt.Sprintf("%s %s ×%d: ", g.Text.Zh, g.Text.En, g.Count))
			put(severity+" "+string(g.Kind), g.Text.Zh+" / "+g.Text.En, g.Count, where)
		}
	}
	groups(rep.Groups(), "错误")
	groups(rep.WarningGroups(), "提示")
	row++
	heading("", "工作表 sheet", "行 row", "单元格 cell", "列 column", "值 value", "原因 reason")
	const maxLinks = 1000
	links := 0
	details := func(ps []Problem, cells []string, severity string) {
		for i, p := range ps {
			var r any = ""
			if p.Row > 0 {
				r = p.Row
			}
			value := p.Value
			if p.Read != "" && p.Read != p.Value {
				value += " → " + p.Read
			}
			cell := cells[i]
			put(severity, p.Sheet, r, cell, p.Column, value, p.Reason())
			if cell != "" && links < maxLinks {
				// excelize looks each new link up among the sheet's
				// links: a few thousand stay cheap.
				links++
				at, _ := excelize.CoordinatesToCellName(4, row-1)
				f.SetCellHyperLink(SummarySheet, at, "'"+strings.ReplaceAll(p.Sheet, "'", "''")+"'!"+cell, "Location")
			}
		}
	}
	details(rep.Problems, problemCells, "错误")
	details(rep.Warnings, warningCells, "提示")
	f.SetColWidth(SummarySheet, "A", "A", 28)
	f.SetColWidth(SummarySheet, "B", "B", 30)
	f.SetColWidth(SummarySheet, "D", "D", 40)
	f.SetColWidth(SummarySheet, "G", "G", 80)
	idx, _ := f.GetSheetIndex(SummarySheet)
	f.SetActiveSheet(idx)
	return nil
}
