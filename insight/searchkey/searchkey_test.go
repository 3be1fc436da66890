package searchkey

import "testing"

func TestPinyinKeys(t *testing.T) {
	cases := []struct{ name, full, initials string }{
		{"张慧婷", "zhanghuiting", "zht"},
		{"王建国", "wangjianguo", "wjg"},
		{"欧阳修", "ouyangxiu", "oyx"},
		{"李 A2", "lia2", "la2"},
		{"·", "", ""},
	}
	for _, c := range cases {
		full, initials := PinyinKeys(c.name)
		if full != c.full || initials != c.initials {
			t.Errorf("%s: %q %q, want %q %q", c.name, full, initials, c.full, c.initials)
		}
	}
}

func TestPhoneSuffix(t *testing.T) {
	for in, want := range map[string]string{"13800138000": "8000", "0472-5123456": "3456", "123": "", "": ""} {
		if got := PhoneSuffix(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
