package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/graph"
)

// relationSite is a connection with a where argument, reached from the
// root (root) or one level below it (root → nested), and one relation
// filter (has…With) of its where input.
type relationSite struct {
	root, nested string // field names; nested is empty at the root
	filter       string // e.g. hasPostsWith
	edge         string // the field the filter follows, e.g. posts
	edgeShape    string // "connection", "list" or "object"
}

func (s relationSite) String() string {
	if s.nested == "" {
		return s.root + "." + s.filter
	}
	return s.root + "." + s.nested + "." + s.filter
}

// relationSites reads every relation filter of every connection with a
// where argument from the public schema, at the root and one level down.
func relationSites(t *testing.T) []relationSite {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphql", Input: graph.SDL()})
	connectionNode := func(f *ast.FieldDefinition) (string, string, bool) {
		where := f.Arguments.ForName("where")
		if where == nil || !strings.HasSuffix(f.Type.Name(), "Connection") {
			return "", "", false
		}
		return strings.TrimSuffix(f.Type.Name(), "Connection"), where.Type.Name(), true
	}
	filtersOf := func(node, where string) (out []relationSite) {
		for _, f := range schema.Types[where].Fields {
			if !strings.HasPrefix(f.Name, "has") || !strings.HasSuffix(f.Name, "With") {
				continue
			}
			if f.Directives.ForName("scoped") == nil {
				t.Errorf("%s.%s is a relation filter without @scoped", where, f.Name)
			}
			edge := strings.TrimSuffix(strings.TrimPrefix(f.Name, "has"), "With")
			edge = strings.ToLower(edge[:1]) + edge[1:]
			ef := schema.Types[node].Fields.ForName(edge)
			if ef == nil {
				t.Errorf("%s.%s follows %s.%s, which the schema lacks", where, f.Name, node, edge)
				continue
			}
			shape := "object"
			switch {
			case strings.HasSuffix(ef.Type.Name(), "Connection"):
				shape = "connection"
			case ef.Type.Elem != nil:
				shape = "list"
			}
			out = append(out, relationSite{filter: f.Name, edge: edge, edgeShape: shape})
		}
		return out
	}
	var sites []relationSite
	for _, root := range schema.Query.Fields {
		node, where, ok := connectionNode(root)
		if !ok {
			continue
		}
		for _, s := range filtersOf(node, where) {
			s.root = root.Name
			sites = append(sites, s)
		}
		for _, nested := range schema.Types[node].Fields {
			nnode, nwhere, ok := connectionNode(nested)
			if !ok {
				continue
			}
			for _, s := range filtersOf(nnode, nwhere) {
				s.root, s.nested = root.Name, nested.Name
				sites = append(sites, s)
			}
		}
	}
	if len(sites) < 50 {
		t.Fatalf("found only %d relation filters; the schema walk is broken", len(sites))
	}
	return sites
}

// edgeSelection selects enough of an edge to tell whether it has a row.
func (s relationSite) edgeSelection() string {
	if s.edgeShape == "connection" {
		return s.edge + "(first: 1) { totalCount }"
	}
	return s.edge + " { id }"
}

// hasRow reports whether the decoded edge value holds at least one row.
func (s relationSite) hasRow(v json.RawMessage) bool {
	switch s.edgeShape {
	case "connection":
		var c struct{ TotalCount int }
		json.Unmarshal(v, &c)
		return c.TotalCount > 0
	case "list":
		var l []json.RawMessage
		json.Unmarshal(v, &l)
		return len(l) > 0
	}
	return len(v) > 0 && string(v) != "null"
}

type nodeList struct {
	TotalCount int
	Edges      []struct{ Node map[string]json.RawMessage }
}

// TestEveryRelationFilterIsScoped: for every relation filter of the schema,
// at the root and in nested connections, and for anonymous and every role,
// filtering by "has a related row" counts exactly the rows whose related
// rows the same viewer can load by following the edge. A filter that looked
// through rows outside the viewer's scope would count more.
func TestEveryRelationFilterIsScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		s.addRelations(t, db)
		cfg := graph.DefaultConfig
		cfg.ComplexityLimit = 10_000_000
		sites := relationSites(t)
		viewers := []struct {
			name string
			v    *auth.Viewer
		}{{"anonymous", nil}, {"county", s.county}, {"township", s.townUser}, {"village", s.village}, {"partner", s.partner}, {"national", s.national}}
		checked, nonzero := 0, 0
		for _, vw := range viewers {
			a := newAPIWith(t, db, vw.v, cfg)
			for _, site := range sites {
				want, ok := site.truth(a)
				if !ok {
					continue
				}
				got := site.filtered(a)
				if got != want {
					t.Errorf("%s: %s counts %d rows, but following %s shows related rows for %d", vw.name, site, got, site.edge, want)
				}
				checked++
				if want > 0 {
					nonzero++
				}
			}
		}
		// The world must exercise the filters, not only agree on zero.
		if checked < 200 || nonzero < 50 {
			t.Fatalf("only %d checks, %d with related rows: the world is too thin", checked, nonzero)
		}
	})
}

// truth counts, by following the edge as the viewer, the rows that have a
// related row; ok=false when the viewer may not list the connection at all.
func (s relationSite) truth(a *api) (int, bool) {
	a.t.Helper()
	var q string
	if s.nested == "" {
		q = fmt.Sprintf(`{ r: %s(first: 100) { totalCount edges { node { %s } } } }`, s.root, s.edgeSelection())
	} else {
		q = fmt.Sprintf(`{ r: %s(first: 100) { totalCount edges { node { n: %s(first: 100) { totalCount edges { node { %s } } } } } } }`,
			s.root, s.nested, s.edgeSelection())
	}
	resp := a.do(q, nil)
	var out struct{ R *nodeList }
	json.Unmarshal(resp.Data, &out)
	if out.R == nil {
		return 0, false // the connection itself is refused (e.g. anonymous)
	}
	// A refused edge (an entity the viewer may not read at all, or a
	// required one out of scope) answers null with an error: no row.
	lists := []*nodeList{out.R}
	if s.nested != "" {
		lists = nil
		for _, e := range out.R.Edges {
			var n nodeList
			if raw, ok := e.Node["n"]; ok && json.Unmarshal(raw, &n) == nil {
				lists = append(lists, &n)
			}
		}
	}
	count := 0
	for _, l := range lists {
		if l.TotalCount > 100 {
			a.t.Fatalf("%s: more than a page of rows; the world outgrew the test", s)
		}
		for _, e := range l.Edges {
			if s.hasRow(e.Node[s.edge]) {
				count++
			}
		}
	}
	return count, true
}

// filtered counts the rows the relation filter keeps.
func (s relationSite) filtered(a *api) int {
	a.t.Helper()
	var q string
	if s.nested == "" {
		q = fmt.Sprintf(`{ r: %s(where: {%s: [{}]}) { totalCount } }`, s.root, s.filter)
	} else {
		q = fmt.Sprintf(`{ r: %s(first: 100) { edges { node { n: %s(where: {%s: [{}]}) { totalCount } } } } }`, s.root, s.nested, s.filter)
	}
	resp := a.do(q, nil)
	if len(resp.Errors) > 0 {
		a.t.Fatalf("%s: %s", s, resp.Raw)
	}
	var out struct {
		R struct {
			TotalCount int
			Edges      []struct {
				Node struct{ N struct{ TotalCount int } }
			}
		}
	}
	json.Unmarshal(resp.Data, &out)
	if s.nested == "" {
		return out.R.TotalCount
	}
	n := 0
	for _, e := range out.R.Edges {
		n += e.Node.N.TotalCount
	}
	return n
}

// addRelations gives the scoped world a row of every relation, in and out
// of 土默特右旗, so that every filter has rows to find and rows to hide.
func (s *scoped) addRelations(t *testing.T, db *dbtest.DB) {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	vA := s.villages[0]
	c.Mentorship.Create().SetMentor(s.inA).SetMentee(s.inB).SetProgram("QINGLAN").SetRegion(vA).SetStartDate(date("2023-01-01")).ExecX(ctx)
	c.Mentorship.Create().SetMentor(s.outside).SetMentee(s.inC).SetProgram("TUTOR").SetRegion(s.other).SetStartDate(date("2023-01-01")).ExecX(ctx)
	c.Mentorship.Create().SetMentor(s.outside).SetMentee(s.exp).SetProgram("X_PLUS_N").SetStartDate(date("2023-01-01")).ExecX(ctx)
	c.Contribution.Create().SetVillage(vA).SetAppointment(s.apptA).SetKind("FUNDS").SetAmountYuan(1000).SetDate(date("2024-01-01")).ExecX(ctx)
	c.Contribution.Create().SetVillage(s.other).SetAppointment(s.apptOut).SetKind("PROJECT_LANDED").SetDate(date("2024-01-01")).ExecX(ctx)
	c.Contribution.Create().SetVillage(vA).SetAssignment(s.assignExp).SetKind("SITE_VISIT").SetDate(date("2024-02-01")).ExecX(ctx)
	c.ServiceRecord.Create().SetAssignment(s.assignExp).SetKind("GUIDANCE").SetDate(date("2024-03-01")).ExecX(ctx)
	c.ServiceRecord.Create().SetAssignment(s.assignOut).SetKind("SURVEY").SetDate(date("2024-03-01")).ExecX(ctx)
	c.ContactLog.Create().SetAppointment(s.apptOut).SetDate(date("2024-03-02")).SetMode("PHONE").SetContactedBy(s.inA).ExecX(ctx)
	c.Post.Create().SetPerson(s.inB).SetRegion(s.villages[1]).SetRole("COMMITTEE_MEMBER").SetStartDate(date("2021-01-01")).ExecX(ctx)
	c.Post.Create().SetPerson(s.inC).SetRegion(s.other).SetRole("RESERVE_CADRE").SetReserveList("SECRETARY_CANDIDATE").SetStartDate(date("2022-01-01")).ExecX(ctx)
	c.ExpertAssignment.Create().SetExpert(s.exp).SetRegion(s.other).SetStartDate(date("2023-06-01")).ExecX(ctx)
	d := c.Demand.Create().SetRegion(s.township).SetField("VEGETABLES").SetDescription("设施蔬菜").SaveX(ctx)
	c.ExpertAssignment.UpdateOne(s.assignExp).SetDemand(d).ExecX(ctx)
	c.ExpertAssignment.UpdateOne(s.assignOut).SetDemand(s.demandOut).ExecX(ctx)
	// 奖惩, 星级评定 and audits: 丙 (of 双龙镇) rewarded in village A, the
	// outside cadre punished and audited in their own county.
	c.Reward.Create().SetPerson(s.inC).SetRegion(vA).SetKind("REWARD").SetTitle("优秀党务工作者").SetLevel("COUNTY").SetDate(date("2024-06-01")).ExecX(ctx)
	c.Reward.Create().SetPerson(s.outside).SetRegion(s.other).SetKind("PUNISHMENT").SetTitle("通报批评").SetLevel("COUNTY").SetDate(date("2024-06-01")).ExecX(ctx)
	c.StarRating.Create().SetVillage(vA).SetYear(2024).SetStars(5).ExecX(ctx)
	c.StarRating.Create().SetVillage(s.other).SetYear(2024).SetStars(3).ExecX(ctx)
	c.OfficeAudit.Create().SetRegion(vA).SetPerson(s.inA).SetKind("MID_TERM").SetDate(date("2024-04-01")).SetFindings("账目清楚").ExecX(ctx)
	c.OfficeAudit.Create().SetRegion(s.other).SetPerson(s.outside).SetKind("DEPARTURE").SetDate(date("2024-04-01")).SetFindings("票据不全").ExecX(ctx)
	c.OfficeAudit.Create().SetRegion(s.other).SetPerson(s.inA).SetKind("SPECIAL").SetDate(date("2024-05-01")).SetFindings("专项资金").ExecX(ctx)
}

// TestRelationFilterRegressions are the attacks of issue 9 as they were
// sent: none may tell anything about rows the caller cannot load.
func TestRelationFilterRegressions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		count := func(a *api, q string, vars map[string]any) int {
			t.Helper()
			var out struct{ R struct{ TotalCount int } }
			a.ok(q, vars, &out)
			return out.R.TotalCount
		}
		anon := newAPIAs(t, db, nil)
		// The secretary's name, one anonymous binary search at a time.
		for _, name := range []string{"甲村书记", "外县干部"} {
			n := count(anon, `query($n: String!) { r: regions(where: {hasPostsWith: [{role: PARTY_SECRETARY, endDateIsNil: true, hasPersonWith: [{name: $n}]}]}) { totalCount } }`, map[string]any{"n": name})
			if n != 0 {
				t.Errorf("anonymous learns that a region has a secretary named %s (%d)", name, n)
			}
		}
		if n := count(anon, `{ r: regions(where: {hasPostsWith: [{hasPersonWith: [{birthDateGTE: "1900-01-01"}]}]}) { totalCount } }`, nil); n != 0 {
			t.Errorf("anonymous learns birth dates through regions: %d", n)
		}
		if n := count(anon, `{ r: institutions(where: {hasExpertsWith: [{nameHasPrefix: "江"}]}) { totalCount } }`, nil); n != 0 {
			t.Errorf("anonymous learns experts' names through institutions: %d", n)
		}
		// A county admin, about the other county's cadre.
		county := newAPIAs(t, db, s.county)
		if n := count(county, `{ r: regions(where: {hasResidentsWith: [{name: "外县干部"}]}) { totalCount } }`, nil); n != 0 {
			t.Errorf("a county admin finds the home village of someone outside the county: %d", n)
		}
		// The contact log of village A is visible; who made it is not. The
		// nested connection is loaded eagerly (CollectFields): same rule.
		var out struct {
			Region struct {
				AdviserAppointments struct {
					Edges []struct {
						Node struct {
							ContactLogs struct{ TotalCount int }
						}
					}
				}
			}
		}
		county.ok(`query($c: String!) { region(code: $c) { adviserAppointments { edges { node {
			contactLogs(where: {hasContactedByWith: [{name: "外县干部"}]}) { totalCount } } } } } }`,
			map[string]any{"c": s.villages[0].Code}, &out)
		for _, e := range out.Region.AdviserAppointments.Edges {
			if e.Node.ContactLogs.TotalCount != 0 {
				t.Errorf("a nested filter finds who made a contact from outside the county")
			}
		}
		// hasX: Boolean asked about rows of any scope; it is gone.
		resp := anon.do(`{ regions(where: {hasPosts: true}) { totalCount } }`, nil)
		if resp.code() != "GRAPHQL_VALIDATION_FAILED" && resp.code() != "BAD_USER_INPUT" {
			t.Errorf("hasPosts is still accepted: %s", resp.Raw)
		}
	})
}
