package graph_test

import (
	"fmt"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// TestEveryoneReadsTheirOwnAccount: a township, village or partner user
// reads their own account through users, node and me — and no other.
func TestEveryoneReadsTheirOwnAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		for name, v := range map[string]*auth.Viewer{"village": s.village, "township": s.townUser, "partner": s.partner} {
			a := newAPIAs(t, db, v)
			var out struct {
				Users struct {
					TotalCount int
					Edges      []struct{ Node struct{ Username string } }
				}
				Me   struct{ Username string }
				Node *struct{ Username string }
			}
			a.ok(fmt.Sprintf(`{ users { totalCount edges { node { username } } } me { username }
				node(id: %q) { ... on User { username } } }`, gid(v.UserID)), nil, &out)
			if out.Users.TotalCount != 1 || out.Users.Edges[0].Node.Username != v.Username ||
				out.Me.Username != v.Username || out.Node == nil || out.Node.Username != v.Username {
				t.Errorf("%s reads %+v", name, out)
			}
			// Another account is as missing as a made-up one.
			a.fails("NOT_FOUND", fmt.Sprintf(`{ node(id: %q) { ... on User { username } } }`, gid(s.county.UserID)), nil)
		}
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", `{ users { totalCount } }`, nil)
	})
}
