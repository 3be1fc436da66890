package changes

import (
	"fmt"
	"testing"

	"yanzhen/ent/feedentry"
)

// Every type the feed carries can be loaded through privacy for its viewer
// (or its CREATED and UPDATED entries would all read REMOVED).
func TestEveryTypeHasALoader(t *testing.T) {
	if len(loaders) != len(Types) {
		t.Errorf("%d loaders for %d types", len(loaders), len(Types))
	}
	for _, typ := range Types {
		if loaders[typ] == nil {
			t.Errorf("%s has no loader", typ)
		}
	}
}

// One entry per object and transaction: created then changed is a
// creation, changed then deleted a deletion where it ever was, created and
// deleted nothing at all.
func TestMerge(t *testing.T) {
	in := []entry{
		{op: feedentry.OpCREATE, typ: "Post", id: 1},
		{op: feedentry.OpUPDATE, typ: "Post", id: 1},
		{op: feedentry.OpUPDATE, typ: "Person", id: 2, regions: []string{"150221104200"}},
		{op: feedentry.OpDELETE, typ: "Person", id: 2, regions: []string{"150221104201"}, institution: 7},
		{op: feedentry.OpCREATE, typ: "ContactLog", id: 3},
		{op: feedentry.OpDELETE, typ: "ContactLog", id: 3},
		{op: feedentry.OpUPDATE, typ: "Post", id: 4},
	}
	got := fmt.Sprint(merge(in))
	want := fmt.Sprint([]entry{
		{op: feedentry.OpCREATE, typ: "Post", id: 1},
		{op: feedentry.OpDELETE, typ: "Person", id: 2, regions: []string{"150221104200", "150221104201"}, institution: 7},
		{op: feedentry.OpUPDATE, typ: "Post", id: 4},
	})
	if got != want {
		t.Errorf("merge:\n got %s\nwant %s", got, want)
	}
}
