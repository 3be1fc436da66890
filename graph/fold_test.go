package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/graph"
)

// foldQueries reach every to-one edge that folds into its parent's
// statement, at the top level and inside nested pages, next to edges the
// viewer may not follow (the contact log's maker from another county, the
// other county's expert).
var foldQueries = []string{
	`{ posts(first: 50, orderBy: {field: START_DATE}) { edges { node { role person { name gender idNumber phone } region { code name } } } } }`,
	`{ adviserAppointments(first: 50) { edges { node { kind person { name } village { code parent { code } }
		contactLogs(first: 5) { edges { node { date mode contactedBy { name } } } } } } } }`,
	`{ expertAssignments(first: 50) { edges { node { startDate expert { name institution { name } } region { code name } demand { description } } } } }`,
	`{ contactLogs(first: 50) { edges { node { date appointment { kind } contactedBy { name idNumber } } } } }`,
	`{ region(code: "150221100201") { ancestors { code parent { code } }
		posts(first: 10) { totalCount edges { node { role person { name idNumber } } } }
		adviserAppointments(first: 10) { edges { node { person { name } contactLogs(first: 5) { edges { node { date contactedBy { name } } } } } } } } }`,
	`{ mentorships(first: 50) { edges { node { program mentor { name } mentee { name } region { code } } } } }`,
	`{ contributions(first: 50) { edges { node { kind village { code } appointment { kind person { name } } assignment { expert { name } } } } } }`,
}

// Folding a to-one edge into its parent's statement changes what no viewer
// sees: every role, anonymous too, gets byte for byte the answer of the
// edges loaded one statement each — including edges to people out of
// their scope, which stay null, and ID numbers, which the person's
// interceptor still opens and the API still masks.
func TestFoldingChangesNoAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		s.addRelations(t, db)
		db.Client.ContactLog.Create().SetAppointment(s.apptA).SetDate(date("2024-04-01")).SetMode("PHONE").SetContactedBy(s.inA).
			ExecX(auth.System(context.Background()))
		h := graph.NewHandler(db.DB, graph.DefaultConfig)
		ask := func(v *auth.Viewer, folding bool, q string) (string, int64) {
			t.Helper()
			viewer := &auth.Viewer{ClientIP: "192.0.2.1"}
			if v != nil {
				c := *v
				viewer = &c
			}
			body, _ := json.Marshal(map[string]any{"query": q})
			r, _ := http.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			ctx := auth.NewContext(r.Context(), viewer)
			if !folding {
				ctx = ent.WithoutFolding(ctx)
			}
			w := &recorder{header: http.Header{}}
			db.Statements.Reset()
			h.ServeHTTP(w, r.WithContext(ctx))
			return w.body.String(), db.Statements.Count()
		}
		viewers := map[string]*auth.Viewer{
			"national": s.national, "county": s.county, "township": s.townUser,
			"village": s.village, "partner": s.partner, "anonymous": nil,
		}
		fewer := 0
		for name, v := range viewers {
			for _, q := range foldQueries {
				folded, nFolded := ask(v, true, q)
				apart, nApart := ask(v, false, q)
				if folded != apart {
					t.Errorf("%s: folding changed the answer of\n%s\nfolded: %s\napart:  %s", name, q, folded, apart)
				}
				if nFolded > nApart {
					t.Errorf("%s: folding took %d statements, apart %d: %s", name, nFolded, nApart, q)
				}
				if nFolded < nApart {
					fewer++
				}
			}
		}
		if fewer == 0 {
			t.Fatal("no query took fewer statements folded: nothing folds")
		}
		// The fixture reaches what it means to: a hidden maker of a contact
		// log, and a masked ID number.
		county, _ := ask(s.county, true, foldQueries[3])
		if !contains(county, `"contactedBy":null`) || !contains(county, `"contactedBy":{"name"`) {
			t.Fatalf("the county sees no hidden and no visible contact maker: %s", county)
		}
		national, _ := ask(s.national, true, foldQueries[0])
		if !contains(national, `110105************`) {
			t.Fatalf("the ID number is not opened and masked: %s", national)
		}
	})
}

// recorder is a minimal http.ResponseWriter.
type recorder struct {
	header http.Header
	body   bytes.Buffer
	code   int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }
