package roster

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// The 人员 sheet's own problems group by what they are, not as OTHER.
func TestPeopleProblemsHaveKinds(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	addRegions(t, db.Client)
	h := headerOf(People)
	row := func(no, name, phone string) []string {
		r := make([]string, len(h))
		for j, c := range h {
			switch c {
			case colPersonNo:
				r[j] = no
			case colPersonName:
				r[j] = name
			case colPhone:
				r[j] = phone
			}
		}
		return r
	}
	wb := &Workbook{Sheets: []*Sheet{sheet("人员", h,
		row("P-1", "甲", "12345"), // not a phone
		row("", "乙", ""),         // neither number
		row("P-3", "丙", ""),
		row("P-3", "丁", ""), // the same number again
	)}}
	rep, _ := Import(auth.System(context.Background()), db.DB, wb, ImportOptions{DryRun: true})
	got := map[Kind]int{}
	for _, g := range rep.Groups() {
		got[g.Kind] = g.Count
	}
	want := map[Kind]int{KindBadPhone: 1, KindMissingValue: 1, KindDuplicateNumber: 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d problems, want %d (groups %v)\n%s", k, got[k], n, got, rep)
		}
	}
	if got[KindOther] != 0 {
		t.Errorf("%d problems of the 人员 sheet are unclassified:\n%s", got[KindOther], rep)
	}
}
