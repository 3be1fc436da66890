// Package pii handles personal information (phone numbers, 身份证号): how it
// is shown to callers who may not see it in full.
package pii

import "unicode/utf8"

// MaskPhone keeps the first 3 and last 4 digits: 138****8000.
func MaskPhone(s string) string { return mask(s, 3, 4) }

// MaskIDNumber keeps the region prefix (6) and the last 4: 110105********0123.
func MaskIDNumber(s string) string { return mask(s, 6, 4) }

func mask(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	r := []rune(s)
	if n <= head+tail {
		// Too short to keep anything without revealing most of it.
		out := make([]rune, n)
		for i := range out {
			out[i] = '*'
		}
		return string(out)
	}
	for i := head; i < n-tail; i++ {
		r[i] = '*'
	}
	return string(r)
}
