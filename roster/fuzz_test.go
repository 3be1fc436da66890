package roster

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseDate checks that an accepted date is UTC midnight and, when it is
// in the range departments write, reads back from the form the roster
// writes. Seeds are in testdata/fuzz/FuzzParseDate.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-07-01", "2024/7/1", "2024.07", "2024年7月", "2024年07月15日", "45474", "45474.5",
		"2024-07-01 00:00:00", "2024-02-30", "2024-07/01", "1899-12-31", "99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			if !d.IsZero() {
				t.Fatalf("%q refused but returned %v", s, d)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour()|d.Minute()|d.Second()|d.Nanosecond() != 0 {
			t.Fatalf("%q → %v is not UTC midnight", s, d)
		}
		if d.Year() < 1900 || d.Year() > 2100 {
			if !dateSerial.MatchString(s) {
				t.Fatalf("%q → %v out of range", s, d)
			}
			return
		}
		again, ok := parseDate(day(d))
		if !ok || !again.Equal(d) {
			t.Fatalf("%q → %v does not read back from %q: %v %v", s, d, day(d), again, ok)
		}
	})
}

// FuzzReadCSV checks that any bytes are either refused or read as a sheet
// of UTF-8 cells whose rows are numbered as Excel shows them, padded to the
// header, and not blank. Seeds are in testdata/fuzz/FuzzReadCSV.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"人员编号,姓名\nA1,张慧婷\n",
		"\xef\xbb\xbf人员编号,姓名\r\nA1,张慧婷\r\n,\r\nB1\r\n",
		"\xc8\xcb\xd4\xb1\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb\nA1,\xd5\xc5\xbb\xdb\xe6\xc3\n", // GBK
		"a,\"b\nc\",d\n1,2,3,4\n",
		"a,b\"c\n\"unterminated\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadCSV("人员", bytes.NewReader(data))
		if err != nil {
			if !strings.Contains(err.Error(), "人员.csv") {
				t.Fatalf("the error does not name the file: %v", err)
			}
			return
		}
		if s.Name != "人员" {
			t.Fatalf("sheet name %q", s.Name)
		}
		for _, h := range s.Header {
			if !utf8.ValidString(h) {
				t.Fatalf("header %q is not UTF-8", h)
			}
		}
		last := 1
		for _, r := range s.Rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
			if len(r.Cells) < len(s.Header) {
				t.Fatalf("line %d has %d cells for %d columns", r.Line, len(r.Cells), len(s.Header))
			}
			if blank(r.Cells) {
				t.Fatalf("blank line %d kept", r.Line)
			}
			for _, c := range r.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("cell %q on line %d is not UTF-8", c, r.Line)
				}
			}
		}
	})
}
