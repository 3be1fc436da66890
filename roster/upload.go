package roster

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// An upload is an .xlsx workbook, one CSV file (a sheet named after the
// file) or a zip archive of CSV files, one per sheet, named by sheet
// (人员.csv …): what `yanzhen import roster` takes as a directory. CSV is
// text, so its bounds are those of a workbook's text: the file, the rows,
// columns and cells of each sheet, the characters of a cell; a zip of CSV
// files is bounded like a workbook's zip (parts, directory, unpacked sizes
// as declared and as read).

// UploadKind is what an uploaded file is.
type UploadKind string

const (
	UploadXLSX   UploadKind = "xlsx"
	UploadCSV    UploadKind = "csv"
	UploadCSVZip UploadKind = "zip"
)

var zipMagic = []byte("PK\x03\x04")

// DetectUpload tells an upload's kind from its content and name: a zip
// archive is a workbook unless it is named .zip, and a .zip holding a
// workbook part ([Content_Types].xml, xl/…) is a workbook too, any other
// .zip a zip of CSV files; anything else is CSV when the name ends in
// .csv. An error says the file is none of these.
func (l Limits) DetectUpload(name string, content []byte) (UploadKind, error) {
	l = l.withDefaults()
	if int64(len(content)) > l.MaxFileBytes {
		return "", fileTooLarge(l)
	}
	if !bytes.HasPrefix(content, zipMagic) {
		if strings.EqualFold(path.Ext(name), ".csv") {
			return UploadCSV, nil
		}
		return "", fmt.Errorf("%s is not an .xlsx workbook, a .csv file or a .zip of .csv files / 该文件不是 .xlsx 工作簿、.csv 文件或 .csv 文件的 .zip 压缩包", name)
	}
	if !strings.EqualFold(path.Ext(name), ".zip") {
		// An .xlsx (or a workbook under any other name) is checked as a
		// workbook, with the workbook's own messages.
		return UploadXLSX, nil
	}
	zr, err := l.openZip(content)
	if err != nil {
		return "", err
	}
	for _, f := range zr.File {
		low := strings.ToLower(f.Name)
		if low == "[content_types].xml" || strings.HasPrefix(low, "xl/") {
			return UploadXLSX, nil
		}
	}
	return UploadCSVZip, nil
}

// openZip reads a zip's directory within the bounds of a workbook's.
func (l Limits) openZip(content []byte) (*zip.Reader, error) {
	dir := &directoryReader{r: bytes.NewReader(content), left: maxDirectoryRead}
	zr, err := zip.NewReader(dir, int64(len(content)))
	dir.done.Store(true)
	if dir.exceeded.Load() {
		return nil, limitErr("MaxParts", "the zip directory is larger than %s (more than %d files?) / 压缩包目录超过 %s 上限",
			byteSize64(maxDirectoryRead), l.MaxParts, byteSize64(maxDirectoryRead))
	}
	if err != nil {
		return nil, fmt.Errorf("not a readable zip archive / 不是有效的压缩包: %w", err)
	}
	if len(zr.File) > l.MaxParts {
		return nil, limitErr("MaxParts", "the zip holds more than %d files / 压缩包内文件超过 %d 个上限", l.MaxParts, l.MaxParts)
	}
	return zr, nil
}

// ReadUpload reads an uploaded roster of any kind DetectUpload knows,
// within the limits.
func (l Limits) ReadUpload(name string, content []byte) (*Workbook, error) {
	l = l.withDefaults()
	kind, err := l.DetectUpload(name, content)
	if err != nil {
		return nil, err
	}
	switch kind {
	case UploadXLSX:
		return l.ReadXLSX(bytes.NewReader(content))
	case UploadCSV:
		base := path.Base(strings.ReplaceAll(name, `\`, "/"))
		s, err := l.readCSV(strings.TrimSuffix(base, path.Ext(base)), content)
		if err != nil {
			return nil, err
		}
		return &Workbook{Sheets: []*Sheet{s}}, nil
	}
	return l.readCSVZip(content)
}

// CheckUpload refuses an upload ReadUpload would refuse: a workbook is
// checked in a streaming pass (CheckXLSX), CSV is read, as that is how its
// bounds are known (and it is small: at most MaxTextBytes of text).
func (l Limits) CheckUpload(name string, content []byte) (UploadKind, error) {
	kind, err := l.DetectUpload(name, content)
	if err != nil {
		return "", err
	}
	if kind == UploadXLSX {
		return kind, l.CheckXLSX(bytes.NewReader(content))
	}
	_, err = l.ReadUpload(name, content)
	return kind, err
}

// readCSVZip reads every .csv file of a zip archive as a sheet named after
// the file (folders ignored), in name order. Other files are ignored, like
// the other files of a directory.
func (l Limits) readCSVZip(content []byte) (*Workbook, error) {
	zr, err := l.openZip(content)
	if err != nil {
		return nil, err
	}
	var files []*zip.File
	var declared uint64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(f.Name), ".csv") || strings.HasPrefix(path.Base(f.Name), "._") {
			continue // macOS adds ._人员.csv beside 人员.csv
		}
		// The text of all sheets is bounded as a workbook's text is; a
		// header claiming more is refused before anything is unpacked.
		if declared += f.UncompressedSize64; declared > uint64(l.MaxTextBytes) {
			return nil, limitErr("MaxTextBytes", "the CSV files unpack to more than %s / CSV 文件解压后超过 %s 上限",
				byteSize(l.MaxTextBytes), byteSize(l.MaxTextBytes))
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("the zip holds no .csv file / 压缩包中没有 .csv 文件")
	}
	if len(files) > l.MaxSheets {
		return nil, limitErr("MaxSheets", "the zip holds more than %d .csv files / .csv 文件超过 %d 个上限", l.MaxSheets, l.MaxSheets)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	wb := &Workbook{}
	seen := map[string]bool{}
	left := l.MaxTextBytes
	for _, f := range files {
		base := path.Base(f.Name)
		if !utf8.ValidString(base) {
			// Windows' own zip writes names in the system code page
			// (GBK on Chinese Windows) without saying so.
			if b, err := simplifiedchinese.GB18030.NewDecoder().String(base); err == nil {
				base = b
			}
		}
		name := strings.TrimSuffix(base, path.Ext(base))
		if key := strings.ToLower(name); seen[key] {
			return nil, fmt.Errorf("two CSV files are named %s / 压缩包中有两个同名 CSV 文件", sheetName(name))
		} else {
			seen[key] = true
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", partName(f.Name), err)
		}
		// Read at most what is left, whatever the header said: a header
		// that lies is caught here (and archive/zip checks size and CRC).
		data, err := io.ReadAll(io.LimitReader(rc, left+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("the file %s is damaged / 压缩包中的文件已损坏: %w", partName(f.Name), err)
		}
		if left -= int64(len(data)); left < 0 {
			return nil, limitErr("MaxTextBytes", "the CSV files unpack to more than %s / CSV 文件解压后超过 %s 上限",
				byteSize(l.MaxTextBytes), byteSize(l.MaxTextBytes))
		}
		s, err := l.readCSV(name, data)
		if err != nil {
			return nil, err
		}
		wb.Sheets = append(wb.Sheets, s)
	}
	return wb, nil
}

// readCSV reads one CSV file within the limits of a sheet: its shape is
// measured on the bytes before the parser allocates a field for every comma
// (a line of a million commas would make a million strings).
func (l Limits) readCSV(name string, data []byte) (*Sheet, error) {
	if int64(len(data)) > l.MaxTextBytes {
		return nil, limitErr("MaxTextBytes", "%s.csv is larger than %s / CSV 文件超过 %s 上限", name, byteSize(l.MaxTextBytes), byteSize(l.MaxTextBytes))
	}
	if err := l.csvShape(name, data); err != nil {
		return nil, err
	}
	s, err := ReadCSV(name, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	check := func(line int, cells []string) error {
		for i, c := range cells {
			if utf8.RuneCountInString(c) > l.MaxCellChars {
				return limitErr("MaxCellChars", "%s.csv row %d column %d: a cell of more than %d characters / 单元格超过 %d 个字符上限",
					name, line, i+1, l.MaxCellChars, l.MaxCellChars)
			}
		}
		return nil
	}
	if err := check(1, s.Header); err != nil {
		return nil, err
	}
	for _, r := range s.Rows {
		if err := check(r.Line, r.Cells); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// csvShape counts the records and fields of CSV text (quotes as RFC 4180
// has them; in GB18030 the bytes of '"', ',' and line ends never occur
// inside a character) and refuses beyond MaxRows, MaxColumns, MaxCells.
func (l Limits) csvShape(name string, data []byte) error {
	rows, fields, cells := 1, 1, 0
	quoted := false
	endRecord := func() error {
		if fields > l.MaxColumns {
			return limitErr("MaxColumns", "%s.csv row %d: more than %d columns / 超出 %d 列上限", name, rows, l.MaxColumns, l.MaxColumns)
		}
		if cells += fields; cells > l.MaxCells {
			return limitErr("MaxCells", "%s.csv holds more than %d cells / 单元格超过 %d 个上限", name, l.MaxCells, l.MaxCells)
		}
		return nil
	}
	for i, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			if fields++; fields > l.MaxColumns {
				return endRecord()
			}
		case b == '\n':
			if err := endRecord(); err != nil {
				return err
			}
			if i+1 < len(data) {
				if rows++; rows > l.MaxRows {
					return limitErr("MaxRows", "%s.csv has more than %d rows / 超出 %d 行上限", name, l.MaxRows, l.MaxRows)
				}
			}
			fields = 1
		}
	}
	return endRecord()
}
