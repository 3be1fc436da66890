package rules

import "testing"

func TestNotSelf(t *testing.T) {
	if v := NotSelf(Pair[int]{1, 1}); v == nil || v.Code != SelfMentoring || v.Field != "menteeID" || v.Conflict() {
		t.Fatalf("%+v", v)
	}
	if v := NotSelf(Pair[int]{1, 2}); v != nil {
		t.Fatal(v)
	}
}

func TestOneActivePair(t *testing.T) {
	active := map[Pair[int]]Where{{1, 2}: {}, {3, 4}: {Row: 7}}
	if v := OneActivePair(Pair[int]{1, 2}, active); v == nil || v.Text().En != "this mentor already mentors this mentee (on file)" || !v.Conflict() {
		t.Fatalf("%+v", v)
	}
	if v := OneActivePair(Pair[int]{3, 4}, active); v == nil || v.Text().En != "this mentor already mentors this mentee (row 7)" ||
		v.Text().Zh != "该导师与学员已有进行中的结对（第7行）" {
		t.Fatalf("%v", v)
	}
	// The other direction, and a second mentor, are other pairs.
	for _, p := range []Pair[int]{{2, 1}, {5, 2}} {
		if v := OneActivePair(p, active); v != nil {
			t.Fatal(p, v)
		}
	}
}

func TestNoCycles(t *testing.T) {
	type P = Pair[int]
	cases := []struct {
		name            string
		recorded, fresh []P
		want            []bool // per fresh pair: refused
	}{
		{"a first pair", nil, []P{{1, 2}}, []bool{false}},
		{"a cycle of one", nil, []P{{1, 1}}, []bool{true}},
		{"a cycle of two", []P{{1, 2}}, []P{{2, 1}}, []bool{true}},
		{"a cycle of three", []P{{1, 2}, {2, 3}}, []P{{3, 1}}, []bool{true}},
		{"a cycle of n", []P{{1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}}, []P{{6, 1}}, []bool{true}},
		{"a second mentor is no cycle", []P{{1, 2}, {2, 3}}, []P{{4, 3}}, []bool{false}},
		{"a shortcut down the lineage is no cycle", []P{{1, 2}, {2, 3}}, []P{{1, 3}}, []bool{false}},
		{"two lineages joined", []P{{1, 2}, {3, 4}}, []P{{2, 3}}, []bool{false}},
		{"new pairs closing a cycle together are all refused", nil, []P{{1, 2}, {2, 3}, {3, 1}, {3, 4}},
			[]bool{true, true, true, false}},
		{"a cycle already on file does not taint a new pair beside it", []P{{1, 2}, {2, 1}}, []P{{2, 3}}, []bool{false}},
	}
	for _, c := range cases {
		got := NoCycles(c.recorded, c.fresh)
		if len(got) != len(c.fresh) {
			t.Fatalf("%s: %d answers for %d pairs", c.name, len(got), len(c.fresh))
		}
		for i, v := range got {
			if (v != nil) != c.want[i] {
				t.Errorf("%s: pair %v refused=%v, want %v", c.name, c.fresh[i], v != nil, c.want[i])
			}
			if v != nil && (v.Code != MentoringCycle || !v.Conflict()) {
				t.Errorf("%s: %+v", c.name, v)
			}
		}
	}
}

func TestNoCyclesWithNodesNotYetWritten(t *testing.T) {
	// The roster names people not yet on file by a pointer.
	a, b := new(int), new(int)
	got := NoCycles([]Pair[any]{{1, a}}, []Pair[any]{{a, b}, {b, 1}})
	if got[0] == nil || got[1] == nil {
		t.Fatal(got)
	}
}
