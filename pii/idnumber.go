package pii

import (
	"errors"
	"regexp"
	"time"
)

// The errors never quote the number itself: it is personal data.
var (
	ErrIDFormat     = errors.New("身份证号 must be 18 characters: 17 digits and a check digit (0-9 or X) / 身份证号应为18位")
	ErrIDCheckDigit = errors.New("身份证号 check digit is wrong (GB 11643) / 身份证号校验位错误")
	ErrIDBirthDate  = errors.New("身份证号 contains no valid birth date / 身份证号中的出生日期无效")
	ErrPhone        = errors.New("not a mobile (1xxxxxxxxxx) or landline (0xxx-xxxxxxx) number / 电话号码格式错误")
)

var idPattern = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)

// ID weights and check characters of GB 11643-1999 (ISO 7064 MOD 11-2).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDNumber is a checked 18-digit resident ID number.
type IDNumber string

// ParseIDNumber checks format, check digit and the embedded birth date. A
// lower-case x is accepted and normalised.
func ParseIDNumber(s string) (IDNumber, error) {
	b := []byte(s)
	if len(b) == 18 && b[17] == 'x' {
		b[17] = 'X'
	}
	s = string(b)
	if !idPattern.MatchString(s) {
		return "", ErrIDFormat
	}
	if CheckDigit(s[:17]) != s[17] {
		return "", ErrIDCheckDigit
	}
	id := IDNumber(s)
	if _, ok := id.BirthDate(); !ok {
		return "", ErrIDBirthDate
	}
	return id, nil
}

// CheckDigit is the GB 11643 check character (0-9 or X) of the first 17
// digits of an ID number; 0 when first17 is not 17 digits.
func CheckDigit(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// CountIDNumbers counts the valid ID numbers (ParseIDNumber accepts them)
// that match pattern — 18 characters, '*' where a character is unknown — and
// for which fits, when not nil, holds. It measures what a mask leaves
// unknown once everything else readable is filled in. At most 7 of the
// first 17 characters may be unknown (10⁷ numbers to try); more is refused
// with -1.
func CountIDNumbers(pattern string, fits func(IDNumber) bool) int {
	if len(pattern) != 18 {
		return -1
	}
	var unknown []int
	for i := 0; i < 17; i++ {
		switch c := pattern[i]; {
		case c == '*':
			unknown = append(unknown, i)
		case c < '0' || c > '9':
			return 0
		}
	}
	if len(unknown) > 7 {
		return -1
	}
	b := []byte(pattern[:17])
	n := 0
	var try func(k int)
	try = func(k int) {
		if k == len(unknown) {
			check := CheckDigit(string(b))
			if pattern[17] != '*' && pattern[17] != check {
				return
			}
			id, err := ParseIDNumber(string(b) + string(check))
			if err == nil && (fits == nil || fits(id)) {
				n++
			}
			return
		}
		for d := byte('0'); d <= '9'; d++ {
			b[unknown[k]] = d
			try(k + 1)
		}
	}
	try(0)
	return n
}

// BirthDate is the date in digits 7–14.
func (id IDNumber) BirthDate() (time.Time, bool) {
	if len(id) != 18 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", string(id[6:14]))
	if err != nil || t.Year() < 1900 || t.After(time.Now()) {
		return time.Time{}, false
	}
	return t, true
}

// Female reports the sex in digit 17: odd for men, even for women.
func (id IDNumber) Female() bool { return len(id) == 18 && (id[16]-'0')%2 == 0 }

var (
	mobilePattern   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlinePattern = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}$`)
)

// CheckPhone accepts a mainland mobile number or a landline with area code.
func CheckPhone(s string) error {
	if mobilePattern.MatchString(s) || landlinePattern.MatchString(s) {
		return nil
	}
	return ErrPhone
}
