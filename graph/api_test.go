package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/graph"
	"yanzhen/graph/relay"
)

// api sends GraphQL requests to a real handler over a real database.
type api struct {
	t  *testing.T
	db *dbtest.DB
	h  http.Handler
}

// newAPI serves requests as a national admin with personal-data access.
func newAPI(t *testing.T, db *dbtest.DB) *api {
	return newAPIAs(t, db, newUser(t, db, "national", auth.RoleAdmin, "", 0, true))
}

// newAPIAs serves requests as v (nil: anonymous).
func newAPIAs(t *testing.T, db *dbtest.DB, v *auth.Viewer) *api {
	return newAPIWith(t, db, v, graph.DefaultConfig)
}

// newAPIWith is newAPIAs with another endpoint configuration.
func newAPIWith(t *testing.T, db *dbtest.DB, v *auth.Viewer, cfg graph.Config) *api {
	return serveAs(t, db, graph.NewHandler(db.DB, cfg), v)
}

// serveAs serves requests through the handler h (one search budget, one
// cache) as v; anonymous requests come from one client address.
func serveAs(t *testing.T, db *dbtest.DB, h http.Handler, v *auth.Viewer) *api {
	return &api{t: t, db: db, h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		viewer := &auth.Viewer{ClientIP: "192.0.2.1"}
		if v != nil {
			copy := *v
			viewer = &copy
		}
		h.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), viewer)))
	})}
}

// newUser creates an account and returns its viewer.
func newUser(t *testing.T, db *dbtest.DB, name string, role auth.Role, code string, institution int, personalData bool) *auth.Viewer {
	t.Helper()
	u, _, err := accounts.CreateUser(auth.System(context.Background()), db.Client, accounts.NewUser{
		Username: name, Password: "a long enough password", Role: role, RegionCode: code,
		Institution: institution, PersonalData: personalData,
	})
	if err != nil {
		t.Fatalf("creating user %s: %v", name, err)
	}
	return accounts.ViewerOf(u)
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	Raw    string          `json:"-"`
}

// code returns the extensions.code of the first error, or "".
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (a *api) do(query string, vars map[string]any) response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	resp.Raw = rec.Body.String()
	return resp
}

// ok runs a request that must succeed and decodes its data into out.
func (a *api) ok(query string, vars map[string]any, out any) {
	a.t.Helper()
	resp := a.do(query, vars)
	if len(resp.Errors) > 0 {
		a.t.Fatalf("unexpected errors: %s", resp.Raw)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			a.t.Fatalf("decoding %s: %v", resp.Data, err)
		}
	}
}

// fails runs a request that must fail with the given code, and checks that
// the message leaks no SQL.
func (a *api) fails(code, query string, vars map[string]any) response {
	a.t.Helper()
	resp := a.do(query, vars)
	if resp.code() != code {
		a.t.Fatalf("want error code %s, got %s", code, resp.Raw)
	}
	for _, e := range resp.Errors {
		lower := strings.ToLower(e.Message)
		for _, leak := range []string{"select ", "insert ", "update ", "pq:", "sqlite", "sql:", "constraint failed", "violates"} {
			if strings.Contains(lower, leak) {
				a.t.Fatalf("error message leaks SQL (%q): %s", leak, e.Message)
			}
		}
	}
	return resp
}

// world is a small region tree: a county with two townships, three villages
// in the first township and one in the second.
type world struct {
	county, township, township2 *ent.Region
	villages                    []*ent.Region
}

func makeWorld(t *testing.T, c *ent.Client) world {
	t.Helper()
	ctx := auth.System(context.Background())
	mk := func(code, name string, level region.Level, parent *ent.Region) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName(name).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		if level == region.LevelVILLAGE {
			q.SetKind(region.KindVILLAGE)
		}
		r, err := q.Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	p := mk("15", "内蒙古自治区", region.LevelPROVINCE, nil)
	city := mk("1502", "包头市", region.LevelCITY, p)
	w := world{county: mk("150221", "土默特右旗", region.LevelCOUNTY, city)}
	w.township = mk("150221100", "萨拉齐镇", region.LevelTOWNSHIP, w.county)
	w.township2 = mk("150221101", "双龙镇", region.LevelTOWNSHIP, w.county)
	for i, name := range []string{"三道河村", "大城西村", "西老藏营村"} {
		w.villages = append(w.villages, mk(fmt.Sprintf("150221100%03d", 201+i), name, region.LevelVILLAGE, w.township))
	}
	w.villages = append(w.villages, mk("150221101201", "双龙村", region.LevelVILLAGE, w.township2))
	return w
}

func gid(id int) string { return relay.EncodeID(id) }

func (a *api) person(name string) string {
	a.t.Helper()
	var out struct {
		CreatePerson struct{ ID string } `json:"createPerson"`
	}
	a.ok(`mutation($n: String!) { createPerson(input: {name: $n}) { id } }`, map[string]any{"n": name}, &out)
	return out.CreatePerson.ID
}

func (a *api) count(q func(ctx context.Context) (int, error)) int {
	a.t.Helper()
	n, err := q(auth.System(context.Background()))
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

func date(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// firstID is the first global ID of a GraphQL type's range.
func firstID(t *testing.T, typeName string) int {
	t.Helper()
	id, ok := ent.FirstID(typeName)
	if !ok {
		t.Fatalf("no ID range for %s", typeName)
	}
	return id
}
