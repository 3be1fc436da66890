package roster

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// guideSheet is the template's instructions; Import skips it silently.
const guideSheet = "说明"

// Template writes an .xlsx roster template: an instructions sheet, then
// every sheet with its header row (required columns in red, each header
// with a comment saying what it holds and the allowed words), example rows
// that import as they are, and text format on code and number columns so
// Excel keeps their leading zeros and all 18 digits.
func Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), guideSheet); err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	required, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return err
	}
	guide := [][]any{
		{"雁阵 名册导入模板 / Yanzhen roster template"},
		{"每个工作表一类数据；第1行是列名，红色列必填；列名上的批注列出允许的值。示例行可删除或改写。"},
		{"Each sheet holds one kind of record; row 1 holds the headers, red ones are required; the comment on each header lists the allowed words. Replace the example rows."},
		{"日期 Dates: " + dateNote},
		{"编号 Numbers: 人员编号、机构编号、聘任编号、选派编号等在本表内唯一，其他表以此引用；再次导入按编号（人员优先按身份证号）匹配，不会重复。"},
		{"全部校验通过才写入；任一行有误则不写入任何数据，并列出所有错误。 Nothing is written unless every row is valid."},
		{"详见 docs/roster.md。 See docs/roster.md."},
	}
	for i, r := range guide {
		if err := f.SetSheetRow(guideSheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(guideSheet, "A", "A", 120); err != nil {
		return err
	}
	for _, d := range Sheets {
		if _, err := f.NewSheet(d.Name); err != nil {
			return err
		}
		for j, c := range d.Columns {
			cell, _ := excelize.CoordinatesToCellName(j+1, 1)
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetCellStr(d.Name, cell, c.Name); err != nil {
				return err
			}
			style := header
			if c.Required {
				style = required
			}
			if err := f.SetCellStyle(d.Name, cell, cell, style); err != nil {
				return err
			}
			if err := f.SetColWidth(d.Name, col, col, float64(max(12, 2*len([]rune(c.Name))+4))); err != nil {
				return err
			}
			if textColumn(c) {
				if err := f.SetColStyle(d.Name, col, text); err != nil {
					return err
				}
			}
			if err := f.AddComment(d.Name, excelize.Comment{
				Author: "雁阵", Cell: cell, Text: columnComment(c), Width: 300, Height: 120,
			}); err != nil {
				return err
			}
		}
		for i, ex := range d.Examples {
			for j, v := range ex {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
				if err := f.SetCellStr(d.Name, cell, v); err != nil {
					return err
				}
			}
		}
		if err := f.SetPanes(d.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing the template: %w", err)
	}
	return nil
}

// textColumn: codes, numbers and personal numbers must stay text in Excel.
func textColumn(c Column) bool {
	return c.Personal || strings.Contains(c.Name, "代码") || strings.Contains(c.Name, "编号")
}

func columnComment(c Column) string {
	var parts []string
	if c.Required {
		parts = append(parts, "必填 required")
	} else {
		parts = append(parts, "选填 optional")
	}
	parts = append(parts, "English: "+c.Alias)
	if c.Note != "" {
		parts = append(parts, c.Note)
	}
	if a := c.Allowed(); a != "" {
		parts = append(parts, "允许的值: "+a)
	}
	return strings.Join(parts, "\n")
}
