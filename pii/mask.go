// Package pii handles personal information (phone numbers, 身份证号): how it
// is shown to callers who may not see it in full.
package pii

import "unicode/utf8"

// MaskPhone keeps the first 3 and last 4 digits: 138****8000. The 4 hidden
// digits are found nowhere else: search matches exactly the last 4 digits
// (insight.ParseSearchQuery), which the mask shows anyway.
func MaskPhone(s string) string { return mask(s, 3, 4) }

// MaskIDNumber keeps only the 6-digit region of registration:
// 110105************. Everything after it is hidden, because the rest can
// be rebuilt from what else is readable: digits 7–14 are the birth date (the
// birthDate field), digit 17 the sex (its parity, the gender field), digit
// 18 the check digit of the first 17. With the region, the birth date and
// the sex known, 500 numbers remain possible (digits 15–17); showing the
// last four digits, as masks commonly do, left exactly one.
//
// A value of another length than an ID number's (15 or 18 characters; bad
// input quoted in an import report) is hidden whole, so that a phone number
// typed into the wrong column is not half shown.
func MaskIDNumber(s string) string {
	if n := utf8.RuneCountInString(s); n != 15 && n != 18 {
		return mask(s, 0, 0)
	}
	return mask(s, 6, 0)
}

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
