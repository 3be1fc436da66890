package roster

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Workbook is a roster as read from a file, before validation: the sheets
// with their cells as text.
type Workbook struct {
	Sheets []*Sheet
}

// Sheet is one sheet (or CSV file): its first row and the rows below it.
// Reading does not know which row is the header: Header is row 1 as
// written and Rows every non-blank row after it. Import chooses the header
// among the first rows (headers.go), so that a county sheet with a title
// row over its header reads as the template does; the rows above the
// header it chooses are then titles, not data.
type Sheet struct {
	// Name is the sheet or file name as written in the file.
	Name   string
	Header []string
	Rows   []Row
}

// Row is one row below row 1. Line is the row number the user sees in
// Excel, whichever row turns out to be the header.
type Row struct {
	Line  int
	Cells []string
}

// Open reads a roster from an .xlsx file or a directory of CSV files.
func Open(path string) (*Workbook, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading the roster: %w", err)
	}
	if st.IsDir() {
		return ReadCSVDir(path)
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading the roster: %w", err)
		}
		defer f.Close()
		s, err := ReadCSV(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), f)
		if err != nil {
			return nil, err
		}
		return &Workbook{Sheets: []*Sheet{s}}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the roster: %w", err)
	}
	defer f.Close()
	wb, err := ReadXLSX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return wb, nil
}

// ReadXLSX reads a workbook from an .xlsx stream (a GraphQL upload, a
// file) within DefaultLimits: a zip bomb, a sheet with a cell in column
// XFD or a million rows is refused with a *LimitError before excelize
// sees it.
func ReadXLSX(r io.Reader) (*Workbook, error) { return DefaultLimits.ReadXLSX(r) }

// ReadCSVDir reads every .csv file of a directory as one sheet named after
// the file (人员.csv is the sheet 人员), in file-name order.
func ReadCSVDir(dir string) (*Workbook, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the roster directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s holds no .csv file / 目录中没有 .csv 文件", dir)
	}
	sort.Strings(names)
	wb := &Workbook{}
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("reading the roster: %w", err)
		}
		s, err := ReadCSV(strings.TrimSuffix(n, filepath.Ext(n)), f)
		f.Close()
		if err != nil {
			return nil, err
		}
		wb.Sheets = append(wb.Sheets, s)
	}
	return wb, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ReadCSV reads one CSV file as the sheet name. The encoding is UTF-8 (with
// or without BOM) when the bytes are valid UTF-8, else GB18030 (a superset
// of GBK, which Excel on Chinese Windows writes).
func ReadCSV(name string, r io.Reader) (*Sheet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading %s.csv: %w", name, err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("%s.csv is neither UTF-8 nor GB18030 / 文件编码无法识别: %w", name, err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	records, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s.csv is not valid CSV / CSV 格式错误: %w", name, err)
	}
	return sheetFromRecords(name, records), nil
}

func sheetFromRecords(name string, records [][]string) *Sheet {
	s := &Sheet{Name: name}
	for i, rec := range records {
		for j, c := range rec {
			rec[j] = unescapeFormula(c)
		}
		if i == 0 {
			s.Header = rec
			continue
		}
		if blank(rec) {
			continue
		}
		// Excel leaves out empty cells at the end of a row; CSV keeps them.
		for len(rec) < len(s.Header) {
			rec = append(rec, "")
		}
		s.Rows = append(s.Rows, Row{Line: i + 1, Cells: rec})
	}
	return s
}

func blank(cells []string) bool {
	for _, c := range cells {
		if cleanCell(c) != "" {
			return false
		}
	}
	return true
}

// cleanCell trims spaces, the full-width and no-break spaces included.
func cleanCell(s string) string { return strings.TrimSpace(s) }
