// Package searchkey computes the search keys of a person (full pinyin,
// initials, phone suffix). It is separate from package insight so that the
// ent schema hook that keeps the keys can import it without depending on the
// queries.
package searchkey

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// PinyinKeys returns the search keys of a name: its full toneless pinyin
// (张慧婷 → "zhanghuiting") and its initials ("zht"). Latin letters and digits
// in the name are kept (lower-cased) as their own syllables; anything else is
// dropped. Each character takes its most common reading: a polyphonic
// surname (单 shàn, 曾 zēng) may be indexed under its other reading.
func PinyinKeys(name string) (full, initials string) {
	args := pinyin.NewArgs()
	args.Style = pinyin.Normal
	var f, i strings.Builder
	for _, r := range name {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			c := unicode.ToLower(r)
			f.WriteRune(c)
			i.WriteRune(c)
		case unicode.Is(unicode.Han, r):
			syl := pinyin.SinglePinyin(r, args)
			if len(syl) == 0 || syl[0] == "" {
				continue
			}
			f.WriteString(syl[0])
			i.WriteByte(syl[0][0])
		}
	}
	return f.String(), i.String()
}

// PhoneSuffix returns the last four digits of a phone number ("" when it has
// fewer than four), the key of the phone-number search.
func PhoneSuffix(phone string) string {
	var digits []byte
	for i := 0; i < len(phone); i++ {
		if phone[i] >= '0' && phone[i] <= '9' {
			digits = append(digits, phone[i])
		}
	}
	if len(digits) < 4 {
		return ""
	}
	return string(digits[len(digits)-4:])
}
