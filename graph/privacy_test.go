package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/region"
	"yanzhen/graph"
	"yanzhen/roster"
)

// scoped is a world with people in and out of 土默特右旗 and one account
// per role.
type scoped struct {
	world
	other                       *ent.Region // a village of another county
	inA, inB, inC, outside, exp *ent.Person // exp: 长江大学's expert
	apptA, apptOut              *ent.AdviserAppointment
	assignExp, assignOut        *ent.ExpertAssignment
	demandOut                   *ent.Demand
	logA                        *ent.ContactLog
	national, county, townUser  *auth.Viewer
	village, partner            *auth.Viewer
}

func makeScoped(t *testing.T, db *dbtest.DB) scoped {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	s := scoped{world: makeWorld(t, c)}
	prov, _ := c.Region.Query().Where(region.Code("15")).Only(ctx)
	city2 := c.Region.Create().SetCode("1503").SetName("乌海市").SetLevel(region.LevelCITY).SetParent(prov).SaveX(ctx)
	county2 := c.Region.Create().SetCode("150302").SetName("海勃湾区").SetLevel(region.LevelCOUNTY).SetParent(city2).SaveX(ctx)
	town2 := c.Region.Create().SetCode("150302100").SetName("千里山镇").SetLevel(region.LevelTOWNSHIP).SetParent(county2).SaveX(ctx)
	s.other = c.Region.Create().SetCode("150302100201").SetName("外县村").SetLevel(region.LevelVILLAGE).SetKind(region.KindVILLAGE).SetParent(town2).SaveX(ctx)
	yangtze := c.Institution.Create().SetName("长江大学").SetKind("UNIVERSITY").SaveX(ctx)
	otherUni := c.Institution.Create().SetName("别的大学").SetKind("UNIVERSITY").SaveX(ctx)

	vA, vB, vC := s.villages[0], s.villages[1], s.villages[3]
	s.inA = c.Person.Create().SetName("甲村书记").SetPhone("13800138000").SetIDNumber("11010519491231002X").SetGender("FEMALE").SaveX(ctx)
	s.inB = c.Person.Create().SetName("乙村主任").SetHomeVillage(vB).SaveX(ctx)
	s.inC = c.Person.Create().SetName("丙村顾问").SetHomeVillage(vC).SaveX(ctx)
	s.outside = c.Person.Create().SetName("外县干部").SetPhone("13900139000").SetHomeVillage(s.other).SaveX(ctx)
	s.exp = c.Person.Create().SetName("江专家").SetInstitution(yangtze).SaveX(ctx)
	expOther := c.Person.Create().SetName("别专家").SetInstitution(otherUni).SaveX(ctx)
	c.Post.Create().SetPerson(s.inA).SetRegion(vA).SetRole("PARTY_SECRETARY").SetStartDate(date("2021-01-01")).ExecX(ctx)
	c.Post.Create().SetPerson(s.outside).SetRegion(s.other).SetRole("PARTY_SECRETARY").SetStartDate(date("2021-01-01")).ExecX(ctx)
	// 丙 (of 双龙镇) advises village A, so A's users see them.
	s.apptA = c.AdviserAppointment.Create().SetPerson(s.inC).SetVillage(vA).SetKind("DEVELOPMENT_ADVISER").SetStartDate(date("2022-01-01")).SaveX(ctx)
	s.apptOut = c.AdviserAppointment.Create().SetPerson(s.outside).SetVillage(s.other).SetKind("HONORARY_SECRETARY").SetStartDate(date("2022-01-01")).SaveX(ctx)
	// A contact made by the cadre from the other county: the log is
	// visible in village A, the person who made it is not.
	s.logA = c.ContactLog.Create().SetAppointment(s.apptA).SetDate(date("2024-03-01")).SetMode("VISIT").SetContactedBy(s.outside).SaveX(ctx)
	s.assignExp = c.ExpertAssignment.Create().SetExpert(s.exp).SetRegion(s.township).SetStartDate(date("2023-01-01")).SaveX(ctx)
	s.assignOut = c.ExpertAssignment.Create().SetExpert(expOther).SetRegion(county2).SetStartDate(date("2023-01-01")).SaveX(ctx)
	s.demandOut = c.Demand.Create().SetRegion(county2).SetField("VEGETABLES").SetDescription("大棚蔬菜").SaveX(ctx)

	s.national = newUser(t, db, "national", auth.RoleAdmin, "", 0, true)
	s.county = newUser(t, db, "tumed", auth.RoleAdmin, "150221", 0, true)
	s.townUser = newUser(t, db, "town", auth.RoleTownship, s.township.Code, 0, false)
	s.village = newUser(t, db, "village", auth.RoleVillage, vA.Code, 0, false)
	s.partner = newUser(t, db, "yangtze", auth.RolePartner, "", yangtze.ID, false)
	return s
}

func TestRolesSeeTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		total := func(a *api) int {
			var out struct{ People struct{ TotalCount int } }
			a.ok(`{ people { totalCount } }`, nil, &out)
			return out.People.TotalCount
		}
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			want int
		}{
			{"national", s.national, 6}, {"county", s.county, 4}, {"township", s.townUser, 4},
			{"village", s.village, 2}, {"partner", s.partner, 1},
		} {
			if got := total(newAPIAs(t, db, c.v)); got != c.want {
				t.Errorf("%s sees %d people, want %d", c.name, got, c.want)
			}
		}

		anon := newAPIAs(t, db, nil)
		anon.fails("UNAUTHENTICATED", `{ people { totalCount } }`, nil)
		anon.fails("UNAUTHENTICATED", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(s.inA.ID)})
		anon.ok(`{ regions { totalCount } institutions { totalCount } }`, nil, nil)

		county := newAPIAs(t, db, s.county)
		// A forbidden object by its ID is indistinguishable from a missing one.
		resp := county.fails("NOT_FOUND", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(s.outside.ID)})
		if strings.Contains(resp.Raw, "外县") {
			t.Fatalf("leaked: %s", resp.Raw)
		}
		var nodes struct{ Nodes []*struct{ ID string } }
		county.ok(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{gid(s.inA.ID)}}, &nodes)
		county.fails("NOT_FOUND", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{gid(s.outside.ID)}})
		newAPIAs(t, db, s.national).ok(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(s.outside.ID)}, nil)

		// Reached through a nested edge of an allowed object.
		village := newAPIAs(t, db, s.village)
		resp = village.do(`{ contactLogs { edges { node { date contactedBy { name } appointment { person { name } } } } } }`, nil)
		if !strings.Contains(resp.Raw, "丙村顾问") || strings.Contains(resp.Raw, "外县干部") || !strings.Contains(resp.Raw, `"contactedBy":null`) {
			t.Fatalf("nested edge: %s", resp.Raw)
		}
		// A region is public; what hangs below it is not.
		var reg struct {
			Region struct {
				Posts, AdviserAppointments struct{ TotalCount int }
			}
		}
		village.ok(`{ region(code: "150302100201") { posts { totalCount } adviserAppointments { totalCount } } }`, nil, &reg)
		if reg.Region.Posts.TotalCount != 0 || reg.Region.AdviserAppointments.TotalCount != 0 {
			t.Fatalf("another county's posts through a region: %+v", reg)
		}
		partner := newAPIAs(t, db, s.partner)
		var pa struct {
			ExpertAssignments struct{ TotalCount int }
			Posts             struct{ TotalCount int }
		}
		partner.ok(`{ expertAssignments { totalCount } posts { totalCount } }`, nil, &pa)
		if pa.ExpertAssignments.TotalCount != 1 || pa.Posts.TotalCount != 0 {
			t.Fatalf("partner: %+v", pa)
		}

		// Search, lineage, timeline.
		var hits struct{ Search []struct{ Kind string } }
		county.ok(`{ search(query: "外县干部") { kind } }`, nil, &hits)
		if len(hits.Search) != 0 {
			t.Fatalf("county finds the other county's cadre: %+v", hits)
		}
		newAPIAs(t, db, s.national).ok(`{ search(query: "外县干部") { kind } }`, nil, &hits)
		if len(hits.Search) != 1 {
			t.Fatalf("national search: %+v", hits)
		}
		county.fails("NOT_FOUND", `query($id: ID!) { mentorLineage(personID: $id) { depth } }`, map[string]any{"id": gid(s.outside.ID)})
		county.fails("NOT_FOUND", `query($id: ID!) { personTimeline(personID: $id) { title } }`, map[string]any{"id": gid(s.outside.ID)})
		county.ok(`query($id: ID!) { personTimeline(personID: $id) { title } }`, map[string]any{"id": gid(s.inA.ID)}, nil)

		// Statistics, alerts, matching.
		county.ok(`{ regionStatistics(code: "150221") { villages } }`, nil, nil)
		county.fails("FORBIDDEN", `{ regionStatistics(code: "150302") { villages } }`, nil)
		county.fails("FORBIDDEN", `{ regionStatistics(code: "15") { villages } }`, nil)
		county.fails("FORBIDDEN", `{ alerts(code: "150302") { totalCount } }`, nil)
		village.fails("FORBIDDEN", `{ alerts(code: "150221100") { totalCount } }`, nil)
		partner.fails("FORBIDDEN", `{ regionStatistics(code: "150221") { villages } }`, nil)
		anon.fails("UNAUTHENTICATED", `{ regionStatistics(code: "150221") { villages } }`, nil)
		county.fails("NOT_FOUND", `query($id: ID!) { matchCandidates(demandID: $id) { score } }`, map[string]any{"id": gid(s.demandOut.ID)})
		partner.fails("FORBIDDEN", `query($id: ID!) { matchCandidates(demandID: $id) { score } }`, map[string]any{"id": gid(s.demandOut.ID)})
	})
}

func TestRolesWriteTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA, vC := s.villages[0], s.villages[3]
		logIn := map[string]any{"appointmentID": gid(s.apptA.ID), "date": "2024-05-01", "mode": "PHONE"}
		const createLog = `mutation($in: CreateContactLogInput!) { createContactLog(input: $in) { id } }`
		village := newAPIAs(t, db, s.village)
		village.ok(createLog, map[string]any{"in": logIn}, nil)
		// An appointment out of sight is as missing as a made-up one.
		village.fails("NOT_FOUND", createLog, map[string]any{"in": map[string]any{"appointmentID": gid(s.apptOut.ID), "date": "2024-05-01", "mode": "PHONE"}})
		village.fails("FORBIDDEN", `mutation { createPerson(input: {name: "新人"}) { id } }`, nil)
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", `mutation { createPerson(input: {name: "新人"}) { id } }`, nil)

		township := newAPIAs(t, db, s.townUser)
		const createPost = `mutation($p: ID!, $r: ID!) { createPost(input: {personID: $p, regionID: $r, role: COMMITTEE_MEMBER, startDate: "2024-01-01"}) { id } }`
		township.ok(createPost, map[string]any{"p": gid(s.inA.ID), "r": gid(vA.ID)}, nil)
		township.fails("FORBIDDEN", createPost, map[string]any{"p": gid(s.inA.ID), "r": gid(vC.ID)})
		township.fails("FORBIDDEN", `mutation($id: ID!) { updatePerson(id: $id, input: {name: "改名"}) { id } }`, map[string]any{"id": gid(s.inA.ID)})

		county := newAPIAs(t, db, s.county)
		county.fails("NOT_FOUND", `mutation($id: ID!) { updatePerson(id: $id, input: {name: "改名"}) { id } }`, map[string]any{"id": gid(s.outside.ID)})
		county.ok(`mutation($id: ID!) { updatePerson(id: $id, input: {phone: "13700137000"}) { phone } }`, map[string]any{"id": gid(s.inA.ID)}, nil)

		partner := newAPIAs(t, db, s.partner)
		const createRecord = `mutation($a: ID!) { createServiceRecord(input: {assignmentID: $a, date: "2024-04-01", kind: GUIDANCE}) { id } }`
		partner.ok(createRecord, map[string]any{"a": gid(s.assignExp.ID)}, nil)
		partner.fails("NOT_FOUND", createRecord, map[string]any{"a": gid(s.assignOut.ID)}) // another institution's: out of sight

		// Accounts: below the admin's scope only.
		const createUser = `mutation($in: CreateUserInput!) { createUser(input: $in) { user { username } password } }`
		county.ok(createUser, map[string]any{"in": map[string]any{"username": "town2", "role": "TOWNSHIP", "regionCode": "150221101"}}, nil)
		county.fails("FORBIDDEN", createUser, map[string]any{"in": map[string]any{"username": "city", "role": "ADMIN", "regionCode": "1502"}})
		county.fails("FORBIDDEN", createUser, map[string]any{"in": map[string]any{"username": "far", "role": "TOWNSHIP", "regionCode": "150302100"}})
		township.fails("FORBIDDEN", createUser, map[string]any{"in": map[string]any{"username": "v2", "role": "VILLAGE", "regionCode": vA.Code}})

		// The audit log: the update, with before and after, phone masked.
		var logs struct {
			AuditLogs struct {
				Edges []struct {
					Node struct {
						Action, EntityType, ActorName string
						Before, After                 map[string]any
					}
				}
			}
		}
		county.ok(`{ auditLogs(first: 50, where: {action: UPDATE}) { edges { node { action entityType actorName before after } } } }`, nil, &logs)
		found := false
		for _, e := range logs.AuditLogs.Edges {
			n := e.Node
			if n.EntityType == "Person" && n.ActorName == "tumed" {
				found = true
				if n.Before["phone"] != "138****8000" || n.After["phone"] != "137****7000" {
					t.Fatalf("before/after: %+v", n)
				}
			}
		}
		raw, _ := json.Marshal(logs)
		if !found || strings.Contains(string(raw), "13700137000") {
			t.Fatalf("audit: %s", raw)
		}
		township.fails("FORBIDDEN", `{ auditLogs { totalCount } }`, nil)
		// Append-only, even for the system.
		ctx := auth.System(context.Background())
		if err := db.Client.AuditLog.Update().Exec(ctx); err == nil {
			t.Fatal("the audit log was updated")
		}
		if _, err := db.Client.AuditLog.Delete().Exec(ctx); err == nil {
			t.Fatal("the audit log was deleted")
		}

		// Import: village users may not, and a township user may not name
		// a region outside its township.
		wb, err := roster.ExportWorkbook(ctx, db.Client, "150221", roster.ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := roster.Import(auth.NewContext(ctx, s.village), db.DB, wb, roster.ImportOptions{DryRun: true}); err == nil || !strings.Contains(err.Error(), "role") {
			t.Fatalf("village import: %v", err)
		}
		rep, _ := roster.Import(auth.NewContext(ctx, s.townUser), db.DB, wb, roster.ImportOptions{DryRun: true})
		if rep == nil || rep.OK() {
			t.Fatalf("a township user imported its county's roster: %+v", rep)
		}
	})
}

func TestRevealPersonContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		const reveal = `mutation($id: ID!, $r: String!) { revealPersonContact(id: $id, reason: $r) { phone idNumber person { phone idNumber } } }`
		county := newAPIAs(t, db, s.county)
		// Masked everywhere else.
		var p struct {
			Node struct{ Phone, IDNumber string }
		}
		county.ok(`query($id: ID!) { node(id: $id) { ... on Person { phone idNumber } } }`, map[string]any{"id": gid(s.inA.ID)}, &p)
		if p.Node.Phone != "138****8000" || p.Node.IDNumber != "110105************" {
			t.Fatalf("masked: %+v", p)
		}
		var out struct {
			RevealPersonContact struct {
				Phone, IDNumber string
				Person          struct{ Phone string }
			}
		}
		county.ok(reveal, map[string]any{"id": gid(s.inA.ID), "r": "换届考察核实身份"}, &out)
		if out.RevealPersonContact.Phone != "13800138000" || out.RevealPersonContact.IDNumber != "11010519491231002X" || out.RevealPersonContact.Person.Phone != "138****8000" {
			t.Fatalf("reveal: %+v", out)
		}
		county.fails("BAD_USER_INPUT", reveal, map[string]any{"id": gid(s.inA.ID), "r": "  "})
		county.fails("NOT_FOUND", reveal, map[string]any{"id": gid(s.outside.ID), "r": "好奇"})
		newAPIAs(t, db, s.townUser).fails("FORBIDDEN", reveal, map[string]any{"id": gid(s.inA.ID), "r": "核实"})
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", reveal, map[string]any{"id": gid(s.inA.ID), "r": "核实"})

		ctx := auth.System(context.Background())
		entries := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionREVEAL)).AllX(ctx)
		if len(entries) != 1 || entries[0].Reason != "换届考察核实身份" || entries[0].ActorName != "tumed" ||
			len(entries[0].ObjectIds) != 1 || entries[0].ObjectIds[0] != s.inA.ID {
			t.Fatalf("reveal audit: %+v", entries)
		}
	})
}

// A scope lookup cut short by the request's deadline is a timeout, never a
// refusal (the privacy rules used to read it as "region out of scope").
func TestDeadlineInAScopeLookupIsNotForbidden(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx, cancel := context.WithDeadline(auth.NewContext(context.Background(), s.county), time.Now().Add(-time.Second))
		defer cancel()
		_, err := db.Client.Post.Create().SetPersonID(s.inA.ID).SetRegionID(s.villages[0].ID).
			SetRole("COMMITTEE_MEMBER").SetStartDate(date("2024-01-01")).Save(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("create past the deadline: %v", err)
		}
		if e := graph.PresentError(context.Background(), err); e.Extensions["code"] != "INTERNAL" || !contains(e.Message, "too long") {
			t.Fatalf("presented as %v: %s", e.Extensions["code"], e.Message)
		}
		_, err = db.Client.ContactLog.Create().SetAppointmentID(s.apptA.ID).SetDate(date("2024-05-01")).SetMode("PHONE").Save(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("contact log past the deadline: %v", err)
		}
		// Cancelled (the client went away): the same.
		ctx, cancel = context.WithCancel(auth.NewContext(context.Background(), s.county))
		cancel()
		_, err = db.Client.Post.Create().SetPersonID(s.inA.ID).SetRegionID(s.villages[0].ID).
			SetRole("COMMITTEE_MEMBER").SetStartDate(date("2024-01-01")).Save(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("create after cancel: %v", err)
		}
		if e := graph.PresentError(context.Background(), err); e.Extensions["code"] == "FORBIDDEN" {
			t.Fatalf("presented as FORBIDDEN: %s", e.Message)
		}
		// With time left, the same write succeeds: the lookup itself is fine.
		if _, err := db.Client.Post.Create().SetPersonID(s.inA.ID).SetRegionID(s.villages[0].ID).
			SetRole("COMMITTEE_MEMBER").SetStartDate(date("2024-01-01")).Save(auth.NewContext(context.Background(), s.county)); err != nil {
			t.Fatal(err)
		}
	})
}
