package graph_test

// Issue 9 item 6: who may grant personal-data access.

import (
	"fmt"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// TestGrantNeedsTheGrant: personal-data access is granted only by an
// admin who holds it (the system may), within the admin's scope; moving an
// account that has it needs it too; revoking does not. Every change of the
// grant, role or scope is in the audit log with before and after.
func TestGrantNeedsTheGrant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		makeWorld(t, db.Client)
		holder := newAPIAs(t, db, newUser(t, db, "holder", auth.RoleAdmin, "150221", 0, true))
		plain := newAPIAs(t, db, newUser(t, db, "plain", auth.RoleAdmin, "150221", 0, false))
		national := newAPIAs(t, db, newUser(t, db, "national", auth.RoleAdmin, "", 0, false))
		const create = `mutation($in: CreateUserInput!) { createUser(input: $in) { user { id personalDataAccess } } }`
		const update = `mutation($id: ID!, $in: UpdateUserInput!) { updateUser(id: $id, input: $in) { id personalDataAccess regionCode } }`
		user := func(name, code string, grant bool) map[string]any {
			return map[string]any{"in": map[string]any{"username": name, "role": "TOWNSHIP", "regionCode": code,
				"password": "an unusual passphrase", "personalDataAccess": grant}}
		}

		// Without the grant, no admin gives it, not even a national one.
		plain.fails("FORBIDDEN", create, user("t1", "150221100", true))
		national.fails("FORBIDDEN", create, user("t1", "150221100", true))
		var made struct {
			CreateUser struct{ User struct{ ID string } }
		}
		plain.ok(create, user("t1", "150221100", false), &made)
		t1 := made.CreateUser.User.ID
		plain.fails("FORBIDDEN", update, map[string]any{"id": t1, "in": map[string]any{"personalDataAccess": true}})

		// The holder may, within its scope only.
		holder.ok(update, map[string]any{"id": t1, "in": map[string]any{"personalDataAccess": true}}, nil)
		holder.ok(create, user("t2", "150221101", true), &made)
		t2 := made.CreateUser.User.ID
		holder.fails("FORBIDDEN", create, map[string]any{"in": map[string]any{"username": "city", "role": "ADMIN", "regionCode": "1502",
			"password": "an unusual passphrase", "personalDataAccess": true}})

		// Moving an account that has the grant extends it: only the holder.
		plain.fails("FORBIDDEN", update, map[string]any{"id": t2, "in": map[string]any{"regionCode": "150221100"}})
		holder.ok(update, map[string]any{"id": t2, "in": map[string]any{"regionCode": "150221100"}}, nil)
		// Other changes of an account with the grant, and revoking, are
		// for any admin of the scope.
		plain.ok(update, map[string]any{"id": t2, "in": map[string]any{"disabled": true}}, nil)
		plain.ok(update, map[string]any{"id": t1, "in": map[string]any{"personalDataAccess": false}}, nil)

		// The audit log names each change, with before and after.
		var logs struct {
			AuditLogs struct {
				Edges []struct {
					Node struct {
						Action, ActorName string
						ObjectIds         []string
						Before, After     map[string]any
					}
				}
			}
		}
		holder.ok(`{ auditLogs(first: 100, where: {entityType: "User"}, orderBy: {field: AT}) { edges { node { action actorName objectIds before after } } } }`, nil, &logs)
		var got []string
		for _, e := range logs.AuditLogs.Edges {
			n := e.Node
			if len(n.ObjectIds) != 1 || (n.ObjectIds[0] != t1 && n.ObjectIds[0] != t2) {
				continue
			}
			who := map[string]string{t1: "t1", t2: "t2"}[n.ObjectIds[0]]
			for _, f := range []string{"personal_data_access", "region_code", "disabled"} {
				if after, ok := n.After[f]; ok {
					got = append(got, fmt.Sprintf("%s %s %s %s: %v→%v", n.ActorName, n.Action, who, f, n.Before[f], after))
				}
			}
		}
		want := []string{
			"plain CREATE t1 personal_data_access: <nil>→false",
			"plain CREATE t1 region_code: <nil>→150221100",
			"plain CREATE t1 disabled: <nil>→false",
			"holder UPDATE t1 personal_data_access: false→true",
			"holder CREATE t2 personal_data_access: <nil>→true",
			"holder CREATE t2 region_code: <nil>→150221101",
			"holder CREATE t2 disabled: <nil>→false",
			"holder UPDATE t2 region_code: 150221101→150221100",
			"plain UPDATE t2 disabled: false→true",
			"plain UPDATE t1 personal_data_access: true→false",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("audit entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
