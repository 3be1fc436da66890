package graph

import (
	"reflect"
	"testing"

	"yanzhen/ent"
)

func TestCodeRangesRewrite(t *testing.T) {
	p := "1502"
	w := &ent.RegionWhereInput{CodeHasPrefix: &p}
	codeRanges(reflect.ValueOf(w))
	if w.CodeHasPrefix != nil || len(w.Predicates) != 1 {
		t.Fatalf("not rewritten: %+v", w)
	}
}
