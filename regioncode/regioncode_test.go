package regioncode

import "testing"

func TestRangeCoversExactlyTheSubtree(t *testing.T) {
	cases := []struct {
		code, lo, hi string
	}{
		{"150221", "150221", "150222"},
		{"1599", "1599", "16"},
		{"99", "99", ""},
		{"130434109", "130434109", "13043411"},
	}
	for _, c := range cases {
		lo, hi := Range(c.code)
		if lo != c.lo || hi != c.hi {
			t.Errorf("Range(%q) = %q,%q want %q,%q", c.code, lo, hi, c.lo, c.hi)
		}
	}
	in := func(code, x string) bool {
		lo, hi := Range(code)
		return x >= lo && (hi == "" || x < hi)
	}
	for _, x := range []string{"150221", "150221100", "150221100200", "150221999999"} {
		if !in("150221", x) {
			t.Errorf("%s should be within 150221", x)
		}
	}
	for _, x := range []string{"150222", "1502", "150220999999", "15022"} {
		if in("150221", x) {
			t.Errorf("%s should not be within 150221", x)
		}
	}
}

func TestLevelsAndAncestors(t *testing.T) {
	if l, ok := LevelOf("150221100200"); !ok || l != "VILLAGE" {
		t.Fatalf("LevelOf village = %v %v", l, ok)
	}
	if _, ok := LevelOf("1502211"); ok {
		t.Fatal("a 7-digit code has no level")
	}
	got := Ancestors("150221100200")
	want := []string{"15", "1502", "150221", "150221100"}
	if len(got) != len(want) {
		t.Fatalf("Ancestors = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ancestors = %v, want %v", got, want)
		}
	}
	if Parent("15") != "" || Parent("1502") != "15" {
		t.Fatal("Parent")
	}
	if Valid("15a2") || !Valid("1502") {
		t.Fatal("Valid")
	}
}
