package graph_test

// Issue 9 item 10: passwords refused.

import (
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// TestPasswordRules: createUser and updateUser refuse passwords equal to
// the username, common ones, and repetitions, on the field "password"
// without quoting them; a passphrase passes.
func TestPasswordRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		makeWorld(t, db.Client)
		admin := newAPIAs(t, db, newUser(t, db, "admin", auth.RoleAdmin, "150221", 0, false))
		const create = `mutation($in: CreateUserInput!) { createUser(input: $in) { user { id } } }`
		in := func(name, password string) map[string]any {
			return map[string]any{"in": map[string]any{"username": name, "role": "TOWNSHIP", "regionCode": "150221100", "password": password}}
		}
		bad := []struct{ username, password string }{
			{"zhangweiwei", "zhangweiwei"},     // the username
			{"zhangweiwei", "ZhangWeiWei"},     // in another case
			{"zhangwei", "zhangwei2024!"},      // with digits and symbols added
			{"lihua", "password123"},           // common
			{"lihua", "Qwertyuiop"},            // common, another case
			{"lihua", "woaini1314"},            // common in China
			{"lihua", "iloveyou2024"},          // common with a year
			{"lihua", "aaaaaaaaaaaa"},          // one character
			{"lihua", "abcabcabcabc"},          // a short group
			{"lihua", "0123456789"},            // a run
			{"lihua", "yanzhen2024"},           // the system's name
			{"lihua", "short"},                 // too short
			{"lihua", "1qaz2wsx3edc"},          // a keyboard walk
			{"lihua", "5201314520"},            // common in China
			{"lihua", "P@ssw0rd!!"},            // common with symbols
			{"lihua", "   zhimakaimen   "},     // common, spaced
			{"lihua", "administrator1"},        // a default
			{"lihua", "xiangcunzhenxing"},      // the service's context
			{"lihua", "2024xiangcunzhenxing!"}, // the same with digits
		}
		for _, c := range bad {
			resp := admin.fails("BAD_USER_INPUT", create, in(c.username, c.password))
			if f := resp.Errors[0].Extensions["field"]; f != "password" || strings.Contains(resp.Raw, strings.TrimSpace(c.password)) {
				t.Errorf("%s / %s: %s", c.username, c.password, resp.Raw)
			}
		}
		var made struct {
			CreateUser struct{ User struct{ ID string } }
		}
		admin.ok(create, in("lihua", "雁阵 spring 杏花 river"), &made)
		admin.ok(create, in("zhangsan", "yanzhen-zhangsan-demo"), nil) // like the demo accounts

		const update = `mutation($id: ID!, $p: String!) { updateUser(id: $id, input: {password: $p}) { id } }`
		for _, p := range []string{"lihua12345", "lihualihua", "qwerty123456", "1111111111"} {
			resp := admin.fails("BAD_USER_INPUT", update, map[string]any{"id": made.CreateUser.User.ID, "p": p})
			if f := resp.Errors[0].Extensions["field"]; f != "password" || strings.Contains(resp.Raw, p) {
				t.Errorf("update to %s: %s", p, resp.Raw)
			}
		}
		admin.ok(update, map[string]any{"id": made.CreateUser.User.ID, "p": "a kite over the 黄河"}, nil)
	})
}
