package i18n

import (
	"errors"
	"testing"
)

func TestBilingual(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		want   Text
	}{
		{"no region has code %s / 未找到区划 %s", []any{"15", "15"}, Text{En: "no region has code 15", Zh: "未找到区划 15"}},
		{"first must be between 0 and %d, got %d / 每次最多 %d 条", []any{100, 500, 100},
			Text{En: "first must be between 0 and 100, got 500", Zh: "每次最多 100 条"}},
		{"%s of %s / %[2]s的%[1]s", []any{"a", "b"}, Text{En: "a of b", Zh: "b的a"}},
		{"100%% sure / 百分之百", nil, Text{En: "100% sure", Zh: "百分之百"}},
		{"%*d items / %d 项", []any{3, 7, 7}, Text{En: "  7 items", Zh: "7 项"}},
		{"%s", []any{errors.New("the phone is not valid / 电话号码无效")}, Text{En: "the phone is not valid", Zh: "电话号码无效"}},
		{"only one language", nil, Text{En: "only one language", Zh: "only one language"}},
		{"a / b / c", nil, Text{En: "a", Zh: "b / c"}},
	} {
		if got := Bilingual(c.format, c.args...); got != c.want {
			t.Errorf("Bilingual(%q, %v) = %+v, want %+v", c.format, c.args, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	if s := T("未找到 %s", "%s not found", "x").String(); s != "x not found / 未找到 x" {
		t.Fatal(s)
	}
	if s := (Text{En: "same", Zh: "same"}).String(); s != "same" {
		t.Fatal(s)
	}
	if s := Split("a / b").String(); s != "a / b" {
		t.Fatal(s)
	}
}
