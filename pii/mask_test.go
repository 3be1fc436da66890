package pii

import "testing"

func TestMask(t *testing.T) {
	cases := []struct{ in, phone, id string }{
		{"13800138000", "138****8000", "138001*8000"},
		{"110105199001010123", "110***********0123", "110105********0123"},
		{"", "", ""},
		{"1234", "****", "****"},
	}
	for _, c := range cases {
		if got := MaskPhone(c.in); got != c.phone {
			t.Errorf("MaskPhone(%q) = %q, want %q", c.in, got, c.phone)
		}
		if got := MaskIDNumber(c.in); got != c.id {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", c.in, got, c.id)
		}
	}
}
