package roster

import (
	"encoding/json"
	"testing"

	"yanzhen/i18n"
)

// Reports stored by import jobs keep their form (reasonZh, reasonEn): one
// written before problems carried an i18n.Text reads back whole.
func TestProblemKeepsItsStoredForm(t *testing.T) {
	stored := `{"sheet":"人员","row":3,"column":"姓名","value":"","reasonZh":"缺少姓名","reasonEn":"the name is missing","rule":"END_BEFORE_START"}`
	var p Problem
	if err := json.Unmarshal([]byte(stored), &p); err != nil {
		t.Fatal(err)
	}
	want := Problem{Sheet: "人员", Row: 3, Column: "姓名", Text: i18n.Text{Zh: "缺少姓名", En: "the name is missing"}, Rule: "END_BEFORE_START"}
	if p != want {
		t.Fatalf("read %+v, want %+v", p, want)
	}
	b, err := json.Marshal(p)
	if err != nil || string(b) != stored {
		t.Fatalf("wrote %s (%v), want %s", b, err, stored)
	}
	if p.Reason() != "缺少姓名 / the name is missing" || p.ReasonZh() != "缺少姓名" || p.ReasonEn() != "the name is missing" {
		t.Fatalf("reason %q", p.Reason())
	}
}
