package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func zipFiles(t *testing.T, names []string, contents []string, utf8Names bool) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, NonUTF8: !utf8Names}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(contents[i]))
	}
	zw.Close()
	return b.Bytes()
}

func limitOf(err error) string {
	var l *LimitError
	if errors.As(err, &l) {
		return l.Limit
	}
	return ""
}

func TestReadUploadKindsAndBounds(t *testing.T) {
	l := Limits{MaxRows: 5, MaxColumns: 4, MaxTextBytes: 4096, MaxCellChars: 10, MaxParts: 10, MaxSheets: 3}

	// A zip of CSV files, one named in GBK as Windows writes it, folders
	// and other files ignored.
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("名册/任职.csv")
	z := zipFiles(t, []string{"名册/人员.csv", gbk, "说明.txt"}, []string{"姓名\n甲\n", "人员编号\nA1\n", "x"}, false)
	if k, err := l.DetectUpload("名册.zip", z); k != UploadCSVZip || err != nil {
		t.Fatalf("kind %q %v", k, err)
	}
	wb, err := l.ReadUpload("名册.zip", z)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range wb.Sheets {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "人员,任职" && strings.Join(names, ",") != "任职,人员" {
		t.Fatalf("sheets %v", names)
	}

	// One CSV file, named by its file; anything else is refused.
	if wb, err := l.ReadUpload(`C:\名册\人员.csv`, []byte("姓名\n甲\n")); err != nil || wb.Sheets[0].Name != "人员" {
		t.Fatalf("csv: %v", err)
	}
	if _, err := l.ReadUpload("人员.txt", []byte("姓名\n")); err == nil {
		t.Fatal("a .txt file was read")
	}

	for name, c := range map[string]struct {
		file, content string
		limit         string
	}{
		"rows":             {"a.csv", "h\n1\n2\n3\n4\n5\n", "MaxRows"},
		"columns":          {"a.csv", "a,b,c,d,e\n", "MaxColumns"},
		"quoted commas":    {"a.csv", "a,\"b,c,d,e,f\"\n", ""},
		"a long cell":      {"a.csv", "a\n" + strings.Repeat("长", 11) + "\n", "MaxCellChars"},
		"the text":         {"a.csv", strings.Repeat("a\n", 1000) + strings.Repeat("b", 3000), "MaxTextBytes"},
		"a quoted newline": {"a.csv", "a\n\"1\n2\n3\n4\n5\"\n", ""},
	} {
		_, err := l.ReadUpload(c.file, []byte(c.content))
		if got := limitOf(err); got != c.limit {
			t.Errorf("%s: %v (limit %q), want %q", name, err, got, c.limit)
		}
	}

	// A zip: too many files, too many sheets, more text than allowed
	// (declared, and as read: a header that lies is caught by the read).
	many := make([]string, 11)
	for i := range many {
		many[i] = string(rune('a'+i)) + ".csv"
	}
	if _, err := l.ReadUpload("x.zip", zipFiles(t, many, make([]string, 11), true)); limitOf(err) != "MaxParts" {
		t.Errorf("11 files: %v", err)
	}
	if _, err := l.ReadUpload("x.zip", zipFiles(t, many[:4], []string{"a", "b", "c", "d"}, true)); limitOf(err) != "MaxSheets" {
		t.Errorf("4 sheets: %v", err)
	}
	big := strings.Repeat("a\n", 3000)
	if _, err := l.ReadUpload("x.zip", zipFiles(t, []string{"a.csv"}, []string{big}, true)); limitOf(err) != "MaxTextBytes" {
		t.Errorf("unpacked text: %v", err)
	}
}
