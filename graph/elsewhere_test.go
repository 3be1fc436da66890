package graph_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// elsewhereQuery is the web app's query of the person page's section
// 其他名册/任职分布 (frontend/src/api/elsewhere.graphql), read from the file
// so that the test checks what the page asks.
func elsewhereQuery(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../frontend/src/api/elsewhere.graphql")
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`(?m)^#.*$`).ReplaceAllString(string(b), "")
}

// The section shows where else a person appears only as far as the viewer
// may see: a township account sees the adviser in its own village, not
// their posts in another township or another county, nor their roster
// numbers (admins only); the county admin sees the posts in the county and
// the numbers, not the other county's post; the national admin sees all.
func TestPersonElsewhereAsFarAsTheViewerMaySee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx := auth.System(context.Background())
		c := db.Client
		vC := s.villages[3] // 丙's own village, in another township
		c.Post.Create().SetPerson(s.inC).SetRegion(vC).SetRole("COMMITTEE_MEMBER").SetStartDate(date("2020-01-01")).ExecX(ctx)
		c.Post.Create().SetPerson(s.inC).SetRegion(s.other).SetRole("COMMITTEE_MEMBER").SetStartDate(date("2019-01-01")).ExecX(ctx)
		c.PersonExternalKey.Create().SetPersonID(s.inC.ID).SetSource("150221").SetKey("BING-1").ExecX(ctx)
		q := elsewhereQuery(t)
		see := func(v *auth.Viewer) string {
			r := newAPIAs(t, db, v).do(q, map[string]any{"id": gid(s.inC.ID)})
			if len(r.Errors) > 0 {
				t.Fatalf("%s", r.Raw)
			}
			return r.Raw
		}
		town := see(s.townUser)
		if !strings.Contains(town, s.villages[0].Code) || strings.Contains(town, vC.Code) || strings.Contains(town, s.other.Code) ||
			strings.Contains(town, "BING-1") {
			t.Fatalf("the township account sees: %s", town)
		}
		county := see(s.county)
		if !strings.Contains(county, vC.Code) || strings.Contains(county, s.other.Code) || !strings.Contains(county, "BING-1") {
			t.Fatalf("the county admin sees: %s", county)
		}
		if national := see(s.national); !strings.Contains(national, s.other.Code) {
			t.Fatalf("the national admin sees: %s", national)
		}
		if r := newAPIAs(t, db, nil).do(q, map[string]any{"id": gid(s.inC.ID)}); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous: %s", r.Raw)
		}
	})
}
