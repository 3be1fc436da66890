// Package i18n is the one form of what Yanzhen says to people: a Text in
// Chinese and English. Errors (errcode), broken rules (rules), roster
// problems (roster) and the analytics' explanations (insight) all carry a
// Text beside their stable code and parameters, so a client may show
// either language, and the API's message is both: "English / 中文".
package i18n

import (
	"fmt"
	"strings"
)

// Text is something said to a person, in Chinese and English.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// T formats zh and en with the same arguments (use explicit indexes,
// %[2]s, when the two languages order them differently).
func T(zh, en string, args ...any) Text {
	return Text{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// String is the API's form of a message: "English / 中文".
func (t Text) String() string {
	if t.Zh == "" || t.Zh == t.En {
		return t.En
	}
	if t.En == "" {
		return t.Zh
	}
	return t.En + Separator + t.Zh
}

// Separator joins the English and the Chinese of a message.
const Separator = " / "

// Bilingual formats a message written in the house style, "English / 中文"
// in one format string: each half is formatted with its own arguments, in
// order (the English half takes as many as it has verbs, the Chinese half
// the rest), or both with all of them when the format uses explicit
// indexes. A format without the separator (say "%s" of an error) is
// formatted whole and then split at the separator's last occurrence.
func Bilingual(format string, args ...any) Text {
	en, zh, ok := strings.Cut(format, Separator)
	if !ok {
		return Split(fmt.Sprintf(format, args...))
	}
	if strings.Contains(format, "%[") {
		return Text{En: fmt.Sprintf(en, args...), Zh: fmt.Sprintf(zh, args...)}
	}
	n := min(verbs(en), len(args))
	return Text{En: fmt.Sprintf(en, args[:n]...), Zh: fmt.Sprintf(zh, args[n:]...)}
}

// Split reads a formatted "English / 中文" message; a message without the
// separator is the same in both.
func Split(msg string) Text {
	i := strings.LastIndex(msg, Separator)
	if i < 0 {
		return Text{Zh: msg, En: msg}
	}
	return Text{En: msg[:i], Zh: msg[i+len(Separator):]}
}

// verbs counts the arguments a format consumes (%% consumes none; a * width
// or precision consumes one more).
func verbs(format string) int {
	n := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for ; i < len(format); i++ {
			c := format[i]
			if c == '%' {
				break
			}
			if c == '*' {
				n++
				continue
			}
			if strings.IndexByte("+-# 0123456789.", c) >= 0 {
				continue
			}
			n++
			break
		}
	}
	return n
}
