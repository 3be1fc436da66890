package vocab

import "testing"

func TestCodeOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"乡贤": "XIANGXIAN", "茶叶": "CHAYE", "竹林": "ZHULIN", "茶 2": "CHA_2", "5G农业": "T_5G_NONGYE", "TEA乡": "TEA_XIANG", "!!": "",
	} {
		if got := CodeOf(in); got != want {
			t.Errorf("CodeOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// A word is read folded, as a label, a synonym or a code; an area's terms
// and words join the national ones.
func TestSetCode(t *testing.T) {
	t.Parallel()
	s := NewSet(KindAgriculturalField)
	s.AddTerm(Entry{Code: "TEA", Label: "茶叶", Region: "150221"})
	if !s.AddWord("TEA", Word{Word: "茶"}) || s.AddWord("NOPE", Word{Word: "x"}) {
		t.Error("AddWord accepted an unknown term or refused a known one")
	}
	for in, want := range map[string]string{
		"蔬菜": "VEGETABLES", " 蔬 菜 ": "VEGETABLES", "vegetables": "VEGETABLES", "电商": "E_COMMERCE",
		"茶叶": "TEA", "茶": "TEA", "ｔｅａ": "TEA", "竹林": "",
	} {
		if got, _ := s.Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
	if s.Label("TEA") != "茶叶" || s.Suggest("茶园") != "TEA" {
		t.Errorf("label %q, suggestion %q", s.Label("TEA"), s.Suggest("茶园"))
	}
}
