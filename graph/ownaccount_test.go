package graph_test

import (
	"context"
	"fmt"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
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

// TestGrantRuleHoldsForEveryWriter: the privacy policy itself, not only the
// account mutations, keeps personal-data access with those who hold it.
func TestGrantRuleHoldsForEveryWriter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		holder := newUser(t, db, "holder", auth.RoleTownship, s.township2.Code, 0, true)
		noGrant := newUser(t, db, "nogrant", auth.RoleAdmin, "150221", 0, false)
		as := auth.NewContext(context.Background(), noGrant)
		if err := db.Client.User.UpdateOneID(s.townUser.UserID).SetPersonalDataAccess(true).Exec(as); err == nil {
			t.Fatal("an admin without the grant gave it")
		}
		err := db.Client.User.UpdateOneID(holder.UserID).SetRegionCode(s.township.Code).Exec(as)
		if !ent.IsNotFound(err) {
			t.Fatalf("an admin without the grant moved an account that has it: %v", err)
		}
		// Other changes of such an account stay possible.
		if err := db.Client.User.UpdateOneID(holder.UserID).SetDisabled(true).Exec(as); err != nil {
			t.Fatalf("disabling: %v", err)
		}
		withGrant := auth.NewContext(context.Background(), s.county)
		if err := db.Client.User.UpdateOneID(s.townUser.UserID).SetPersonalDataAccess(true).Exec(withGrant); err != nil {
			t.Fatalf("an admin with the grant: %v", err)
		}
	})
}
