package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
	"yanzhen/graph/relay"
)

// TestAttacks replays the attacks of issue 9 through the real router, as
// anonymous and scoped accounts: each must learn nothing and change
// nothing. (The exhaustive versions live beside the code: graph's
// TestEveryRelationFilterIsScoped and TestLinkingNeedsSight.)
func TestAttacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		mk := func(code, name string, level region.Level, parent int) int {
			q := c.Region.Create().SetCode(code).SetName(name).SetLevel(level)
			if parent != 0 {
				q.SetParentID(parent)
			}
			if level == region.LevelVILLAGE {
				q.SetKind(region.KindVILLAGE)
			}
			return q.SaveX(ctx).ID
		}
		p := mk("64", "宁夏回族自治区", region.LevelPROVINCE, 0)
		city := mk("6403", "吴忠市", region.LevelCITY, p)
		county := mk("640302", "利通区", region.LevelCOUNTY, city)
		town := mk("640302100", "胜利镇", region.LevelTOWNSHIP, county)
		theirs := mk("640302100206", "他村", region.LevelVILLAGE, town)
		town2 := mk("640302101", "另一镇", region.LevelTOWNSHIP, county)
		mine := mk("640302101201", "本村", region.LevelVILLAGE, town2)
		secretary := c.Person.Create().SetName("他村书记").SetBirthDate(time.Date(1971, 7, 1, 0, 0, 0, 0, time.UTC)).SetHomeVillageID(theirs).SaveX(ctx)
		c.Post.Create().SetPersonID(secretary.ID).SetRegionID(theirs).SetRole("PARTY_SECRETARY").SetStartDate(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)).ExecX(ctx)
		villageToken := tokenFor(t, db.DB, accounts.NewUser{Username: "mine", Role: auth.RoleVillage, RegionCode: "640302101201"})
		townToken := tokenFor(t, db.DB, accounts.NewUser{Username: "town-other", Role: auth.RoleTownship, RegionCode: "640302101"})

		srv := httptest.NewServer(NewRouter(testConfig(), db.DB))
		defer srv.Close()
		ask := func(token, query string, vars map[string]any) gqlReply {
			t.Helper()
			req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(body(query, vars)))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return gqlReply{status: resp.StatusCode, raw: readAll(resp)}
		}
		// The anonymous binary search on a secretary's name and birth date.
		for _, token := range []string{"", villageToken} {
			for _, q := range []string{
				`{ regions(within: "640302100206", where: {hasPostsWith: [{role: PARTY_SECRETARY, endDateIsNil: true, hasPersonWith: [{nameGTE: "他"}]}]}) { totalCount } }`,
				`{ regions(within: "640302100206", where: {hasResidentsWith: [{birthDateGTE: "1971-01-01"}]}) { totalCount } }`,
			} {
				if r := ask(token, q, nil); !strings.Contains(r.raw, `"totalCount":0`) {
					t.Errorf("a relation filter answers about a secretary out of sight: %s", r.raw)
				}
			}
		}
		// Linking the secretary into a scope to read the file.
		r := ask(townToken, `mutation($p: ID!, $v: ID!) { createPost(input: {personID: $p, regionID: $v, role: COMMITTEE_MEMBER, startDate: "2024-01-01"}) { person { name birthDate } } }`,
			map[string]any{"p": relay.EncodeID(secretary.ID), "v": relay.EncodeID(mine)})
		if strings.Contains(r.raw, "他村书记") || !strings.Contains(r.raw, "NOT_FOUND") && !strings.Contains(r.raw, "FORBIDDEN") {
			t.Errorf("linking someone out of sight: %s", r.raw)
		}
		// Every user reads their own account.
		if r := ask(villageToken, `{ users { edges { node { username role } } } }`, nil); !strings.Contains(r.raw, `"username":"mine"`) {
			t.Errorf("a village user cannot read their own account: %s", r.raw)
		}
	})
}
