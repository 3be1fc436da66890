package insight

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseSearchQuery checks that any input is either refused or
// classified consistently with its normalised text. Seeds are in
// testdata/fuzz/FuzzParseSearchQuery.
func FuzzParseSearchQuery(f *testing.F) {
	for _, s := range []string{"张慧婷", "zht", "8000", "138-0013-8000", "xi'an", "100%_", " ", "张a1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseSearchQuery(raw)
		if err != nil {
			return
		}
		if q.Text == "" || !utf8.ValidString(q.Text) || utf8.RuneCountInString(q.Text) > MaxQueryLength {
			t.Fatalf("%q → bad text %q", raw, q.Text)
		}
		if strings.ContainsAny(q.Text, " \t\n'-") {
			t.Fatalf("%q → separators left in %q", raw, q.Text)
		}
		switch q.Class {
		case Digits:
			if strings.Trim(q.Text, "0123456789") != "" || len(q.Text) != PhoneSuffixDigits {
				t.Fatalf("%q → digits %q", raw, q.Text)
			}
		case Latin:
			if strings.Trim(q.Text, keyAlphabet) != "" {
				t.Fatalf("%q → latin %q", raw, q.Text)
			}
			lo, hi := prefixRange(q.Text)
			if lo != q.Text || hi != "" && !(hi > lo && !strings.HasPrefix(hi, lo)) {
				t.Fatalf("%q → range [%q, %q)", q.Text, lo, hi)
			}
		case Chinese:
			if strings.Trim(q.Text, keyAlphabet+"ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
				t.Fatalf("%q → %q is all latin or digits, classified as Chinese", raw, q.Text)
			}
		default:
			t.Fatalf("%q → class %v", raw, q.Class)
		}
		// The LIKE pattern has no unescaped wildcard inside.
		p := likePattern(q.Text)
		inner := p[1 : len(p)-1]
		for i := 0; i < len(inner); i++ {
			switch inner[i] {
			case '\\':
				i++
			case '%', '_':
				t.Fatalf("%q → pattern %q has a bare wildcard", q.Text, p)
			}
		}
	})
}
