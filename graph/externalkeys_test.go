package graph_test

import (
	"context"
	"fmt"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// Person.externalKeys of a list of people is loaded for the whole list at
// once: as many statements for 2 people as for 20, and each person gets
// their own keys.
func TestExternalKeysOfAListInOneStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		for i := range 20 {
			p := c.Person.Create().SetName(fmt.Sprintf("编号人%02d", i)).SaveX(ctx)
			for _, src := range []string{"150221", "150222"} {
				c.PersonExternalKey.Create().SetPersonID(p.ID).SetSource(src).SetKey(fmt.Sprintf("%s-%02d", src, i)).SaveX(ctx)
			}
		}
		a := newAPI(t, db)
		const q = `query($n: Int!) { people(first: $n, orderBy: {field: NAME}) { edges { node { name externalKeys { source key } } } } }`
		measure := func(n int) int64 {
			var out struct {
				People struct {
					Edges []struct {
						Node struct {
							Name         string
							ExternalKeys []struct{ Source, Key string }
						}
					}
				}
			}
			db.Statements.Reset()
			a.ok(q, map[string]any{"n": n}, &out)
			count := db.Statements.Count()
			if len(out.People.Edges) != n {
				t.Fatalf("%d people, want %d", len(out.People.Edges), n)
			}
			for _, e := range out.People.Edges {
				var i int
				fmt.Sscanf(e.Node.Name, "编号人%d", &i)
				k := e.Node.ExternalKeys
				if len(k) != 2 || k[0].Key != fmt.Sprintf("150221-%02d", i) || k[1].Key != fmt.Sprintf("150222-%02d", i) {
					t.Fatalf("%s has the keys %+v", e.Node.Name, k)
				}
			}
			return count
		}
		two, twenty := measure(2), measure(20)
		if two != twenty {
			t.Fatalf("statements: %d for 2 people, %d for 20 — externalKeys costs one per person", two, twenty)
		}
		t.Logf("%d statements for 2 and for 20 people with their keys", two)
	})
}
