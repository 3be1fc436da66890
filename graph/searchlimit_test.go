package graph_test

// Issue 9 item 5: phone-ending search and the search budget.

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/graph"
)

// TestPhoneEndingSearch: a phone is found by exactly its last 4 digits;
// 3 or 5 to 11 digits are refused (they would rebuild the masked middle
// digit by digit), and each account has a budget of searches.
func TestPhoneEndingSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorld(t, db.Client)
		ctx := auth.System(context.Background())
		p := db.Client.Person.Create().SetName("张慧婷").SetPhone("13800138000").SetHomeVillage(w.villages[0]).SaveX(ctx)
		county := newAPIAs(t, db, newUser(t, db, "county", auth.RoleAdmin, "150221", 0, false))
		const search = `query($q: String!) { search(query: $q) { kind matchedBy node { id } } }`
		var out struct {
			Search []struct {
				Kind, MatchedBy string
				Node            struct{ ID string }
			}
		}
		county.ok(search, map[string]any{"q": "8000"}, &out)
		if len(out.Search) != 1 || out.Search[0].MatchedBy != "PHONE" || out.Search[0].Node.ID != gid(p.ID) {
			t.Fatalf("8000: %+v", out)
		}
		for _, q := range []string{"000", "38000", "138000", "0138000", "00138000", "800138000", "3800138000", "13800138000", "138 0013 8000", "138-0013-8000"} {
			resp := county.fails("BAD_USER_INPUT", search, map[string]any{"q": q})
			if f := resp.Errors[0].Extensions["field"]; f != "query" || !strings.Contains(resp.Errors[0].Message, "后4位") || strings.Contains(resp.Raw, "13800138000") {
				t.Errorf("%q: %s", q, resp.Raw)
			}
		}
	})
}

// TestSearchBudget: each account may search SearchBurst times at once; the
// next search is TOO_MANY_REQUESTS for that account only, however the
// searches are sent (aliases in one operation, concurrent requests).
func TestSearchBudget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		makeWorld(t, db.Client)
		one := newUser(t, db, "one", auth.RoleTownship, "150221100", 0, false)
		other := newUser(t, db, "other", auth.RoleTownship, "150221100", 0, false)
		h := graph.NewHandler(db.DB, graph.DefaultConfig) // the default budget
		a, b := serveAs(t, db, h, one), serveAs(t, db, h, other)
		const search = `{ search(query: "8000") { kind } }`
		// The bucket refills one search every SearchEvery: a slow run may
		// earn a few more than SearchBurst before the first refusal.
		start, allowed := time.Now(), 0
		var resp response
		for range graph.SearchBurst + 10 {
			if resp = a.do(search, nil); len(resp.Errors) > 0 {
				break
			}
			allowed++
		}
		if most := graph.SearchBurst + int(time.Since(start)/graph.SearchEvery); allowed < graph.SearchBurst || allowed > most {
			t.Fatalf("%d searches allowed in a row, want %d to %d", allowed, graph.SearchBurst, most)
		}
		if resp.code() != "TOO_MANY_REQUESTS" || !strings.Contains(resp.Errors[0].Message, "频繁") {
			t.Fatalf("refusal: %s", resp.Raw)
		}
		b.ok(search, nil, nil) // another account has its own budget

		// Aliases spend one search each; concurrent requests share the
		// budget exactly.
		small := graph.DefaultConfig
		small.SearchLimiter = auth.NewRateLimiter(time.Hour, 3)
		h = graph.NewHandler(db.DB, small)
		c := serveAs(t, db, h, other)
		resp = c.do(`{ a: search(query: "8000") { kind } b: search(query: "zht") { kind } c: search(query: "张") { kind } d: search(query: "1234") { kind } }`, nil)
		if resp.code() != "TOO_MANY_REQUESTS" || len(resp.Errors) != 1 {
			t.Fatalf("four aliased searches with a budget of 3: %s", resp.Raw)
		}
		small.SearchLimiter = auth.NewRateLimiter(time.Hour, 5)
		h = graph.NewHandler(db.DB, small)
		var mu sync.Mutex
		var wg sync.WaitGroup
		allowed = 0
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := serveAs(t, db, h, one).do(search, nil)
				mu.Lock()
				defer mu.Unlock()
				switch resp.code() {
				case "":
					allowed++
				case "TOO_MANY_REQUESTS":
				default:
					t.Errorf("concurrent search: %s", resp.Raw)
				}
			}()
		}
		wg.Wait()
		if allowed != 5 {
			t.Fatalf("%d of 12 concurrent searches allowed with a budget of 5", allowed)
		}
	})
}
