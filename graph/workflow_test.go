package graph_test

import (
	"context"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/candidacystep"
	"yanzhen/ent/post"
)

const (
	proposeQ = `mutation($in: ProposeCandidacyInput!) { proposeCandidacy(input: $in) { id state waitsFor nextSteps } }`
	stepQ    = `mutation($id: ID!, $in: CandidacyStepInput!) { takeCandidacyStep(id: $id, input: $in) {
		id state waitsFor refusedStep refusalReason post { id role reserveList startDate } } }`
)

type candidacyOut struct {
	ID            string
	State         string
	WaitsFor      *string
	NextSteps     []string
	RefusedStep   *string
	RefusalReason *string
	Post          *struct {
		ID, Role, StartDate string
		ReserveList         *string
	}
}

func step(name, decision string, extra map[string]any) map[string]any {
	in := map[string]any{"step": name, "decision": decision, "actedOn": "2024-04-01"}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

// A candidacy passes 村级初审 → 镇级复审 → 县级联审 (each body's opinion, then
// the conclusion) → appointment → 备案, each step by its own role in its
// scope; every other role, and the same role outside the scope, is refused.
func TestCandidacyGoesThroughEveryStep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA, vC := s.villages[0], s.villages[3]
		town2 := newUser(t, db, "town2", auth.RoleTownship, s.township2.Code, 0, false)
		villageC := newUser(t, db, "villageC", auth.RoleVillage, vC.Code, 0, false)
		outCounty := newUser(t, db, "wuhai", auth.RoleAdmin, "150302", 0, false)
		as := func(v *auth.Viewer) *api { return newAPIAs(t, db, v) }
		// A villager of A: the village proposes people on its own file.
		ding := db.Client.Person.Create().SetName("丁村民").SetHomeVillage(vA).SaveX(auth.System(context.Background()))

		in := map[string]any{"personID": gid(ding.ID), "villageID": gid(vA.ID), "purpose": "ENTRY", "role": "COMMITTEE_MEMBER",
			"round": "2024年村两委换届", "proposedOn": "2024-03-01", "opinion": "群众基础好"}
		// Only the village proposes, and only for itself.
		for _, v := range []*auth.Viewer{s.townUser, s.county, s.partner, villageC} {
			as(v).fails("FORBIDDEN", proposeQ, map[string]any{"in": in})
		}
		as(nil).fails("UNAUTHENTICATED", proposeQ, map[string]any{"in": in})
		var out struct{ ProposeCandidacy candidacyOut }
		as(s.village).ok(proposeQ, map[string]any{"in": in}, &out)
		c := out.ProposeCandidacy
		if c.State != "PROPOSED" || c.WaitsFor == nil || *c.WaitsFor != "TOWNSHIP" {
			t.Fatalf("after the proposal: %+v", c)
		}
		// The same person cannot be proposed twice for the same post.
		as(s.village).fails("CONFLICT", proposeQ, map[string]any{"in": in})

		id := map[string]any{"id": c.ID}
		with := func(in map[string]any) map[string]any { return map[string]any{"id": c.ID, "in": in} }
		var took struct{ TakeCandidacyStep candidacyOut }

		// 镇级复审: the township of the village only.
		review := step("TOWNSHIP_REVIEW", "APPROVED", map[string]any{"opinion": "同意"})
		for _, v := range []*auth.Viewer{s.village, s.county, s.partner} {
			as(v).fails("FORBIDDEN", stepQ, with(review))
		}
		as(town2).fails("FORBIDDEN", stepQ, with(review)) // another township
		as(outCounty).fails("FORBIDDEN", stepQ, with(step("BODY_OPINION", "APPROVED", map[string]any{"body": "DISCIPLINE"})))
		// The county cannot skip ahead: the candidacy waits for the township.
		as(s.county).fails("CONFLICT", stepQ, with(step("BODY_OPINION", "APPROVED", map[string]any{"body": "DISCIPLINE"})))
		as(s.townUser).ok(stepQ, with(review), &took)
		if took.TakeCandidacyStep.State != "TOWNSHIP_REVIEWED" || *took.TakeCandidacyStep.WaitsFor != "ADMIN" {
			t.Fatalf("after the township's review: %+v", took.TakeCandidacyStep)
		}

		// 县级联审: each body's opinion, then the conclusion, by the county.
		as(s.townUser).fails("FORBIDDEN", stepQ, with(step("COUNTY_DECISION", "APPROVED", nil)))
		as(s.county).ok(stepQ, with(step("BODY_OPINION", "APPROVED", map[string]any{"body": "DISCIPLINE", "opinion": "无违纪记录"})), nil)
		as(s.county).fails("CONFLICT", stepQ, with(step("BODY_OPINION", "APPROVED", map[string]any{"body": "DISCIPLINE"})))
		// Without 公安's opinion the 联审 cannot conclude.
		resp := as(s.county).fails("CONFLICT", stepQ, with(step("COUNTY_DECISION", "APPROVED", nil)))
		if !strings.Contains(resp.Raw, "公安") {
			t.Fatalf("the refusal does not name the missing body: %s", resp.Raw)
		}
		as(s.county).ok(stepQ, with(step("BODY_OPINION", "APPROVED", map[string]any{"body": "PUBLIC_SECURITY", "opinion": "无违法犯罪记录"})), nil)
		as(s.county).ok(stepQ, with(step("BODY_OPINION", "APPROVED", map[string]any{"body": "PETITION"})), nil)
		as(s.county).ok(stepQ, with(step("COUNTY_DECISION", "APPROVED", map[string]any{"opinion": "联审通过"})), &took)
		if took.TakeCandidacyStep.State != "JOINT_REVIEWED" || *took.TakeCandidacyStep.WaitsFor != "TOWNSHIP" {
			t.Fatalf("after the 联审: %+v", took.TakeCandidacyStep)
		}

		// Appointment by the township writes the post.
		as(s.county).fails("FORBIDDEN", stepQ, with(step("APPOINTMENT", "APPROVED", nil)))
		as(s.townUser).ok(stepQ, with(step("APPOINTMENT", "APPROVED", map[string]any{"actedOn": "2024-04-20"})), &took)
		if p := took.TakeCandidacyStep.Post; took.TakeCandidacyStep.State != "APPOINTED" || p == nil || p.Role != "COMMITTEE_MEMBER" || p.StartDate != "2024-04-20" {
			t.Fatalf("after the appointment: %+v", took.TakeCandidacyStep)
		}

		// Waiting for the filing, it is in the county's inbox and an alert.
		inboxQ := `{ inbox { candidaciesWaiting filingsMissing candidacies { totalCount edges { node { id state } } } } }`
		var inbox struct {
			Inbox struct {
				CandidaciesWaiting, FilingsMissing int
				Candidacies                        struct{ TotalCount int }
			}
		}
		as(s.county).ok(inboxQ, nil, &inbox)
		if inbox.Inbox.CandidaciesWaiting != 1 || inbox.Inbox.FilingsMissing != 1 || inbox.Inbox.Candidacies.TotalCount != 1 {
			t.Fatalf("county inbox: %+v", inbox.Inbox)
		}
		as(s.townUser).ok(inboxQ, nil, &inbox)
		if inbox.Inbox.CandidaciesWaiting != 0 {
			t.Fatalf("township inbox after its appointment: %+v", inbox.Inbox)
		}
		var alerts struct {
			Alerts struct {
				Edges []struct {
					Node struct {
						Kind string
						Node struct{ ID string }
					}
				}
			}
		}
		as(s.county).ok(`{ alerts(code: "150221", kinds: [FILING_MISSING], asOf: "2024-05-01") { edges { node { kind node { id } } } } }`, nil, &alerts)
		if len(alerts.Alerts.Edges) != 1 || alerts.Alerts.Edges[0].Node.Node.ID != c.ID {
			t.Fatalf("FILING_MISSING: %+v", alerts.Alerts)
		}

		// 备案 by the county.
		as(s.townUser).fails("FORBIDDEN", stepQ, with(step("FILING", "APPROVED", nil)))
		as(s.county).ok(stepQ, with(step("FILING", "APPROVED", map[string]any{"actedOn": "2024-05-10"})), &took)
		if took.TakeCandidacyStep.State != "FILED" || took.TakeCandidacyStep.WaitsFor != nil {
			t.Fatalf("after the filing: %+v", took.TakeCandidacyStep)
		}
		as(s.county).ok(`{ alerts(code: "150221", kinds: [FILING_MISSING], asOf: "2024-06-01") { edges { node { kind node { id } } } } }`, nil, &alerts)
		if len(alerts.Alerts.Edges) != 0 {
			t.Fatalf("a filed appointment is still an alert: %+v", alerts.Alerts)
		}
		// Closed: no further step, no withdrawal.
		as(s.county).fails("CONFLICT", stepQ, with(step("FILING", "APPROVED", nil)))
		as(s.village).fails("CONFLICT", `mutation($id: ID!) { withdrawCandidacy(id: $id, reason: "x") { id } }`, id)

		// Each step is recorded with who took it, and audited.
		sys := auth.System(context.Background())
		cid := db.Client.Candidacy.Query().OnlyIDX(sys)
		steps := db.Client.CandidacyStep.Query().Where(candidacystep.CandidacyID(cid)).Order(candidacystep.ByID()).AllX(sys)
		var got []string
		for _, st := range steps {
			got = append(got, string(st.Step)+"/"+st.ActorRole+"/"+st.Actor)
		}
		want := []string{"VILLAGE_REVIEW/VILLAGE/village", "TOWNSHIP_REVIEW/TOWNSHIP/town", "BODY_OPINION/ADMIN/tumed",
			"BODY_OPINION/ADMIN/tumed", "BODY_OPINION/ADMIN/tumed", "COUNTY_DECISION/ADMIN/tumed", "APPOINTMENT/TOWNSHIP/town", "FILING/ADMIN/tumed"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("steps %v, want %v", got, want)
		}
		for _, v := range []*auth.Viewer{s.village, s.townUser, s.county} {
			if n := db.Client.AuditLog.Query().Where(auditlog.EntityType("CandidacyStep"), auditlog.ActorID(v.UserID)).CountX(sys); n == 0 {
				t.Errorf("no audit entry of %s's steps", v.Username)
			}
		}
		// The step history is read through the candidacy, in scope only.
		var node struct {
			Node struct{ Steps struct{ TotalCount int } }
		}
		nodeQ := `query($id: ID!) { node(id: $id) { ... on Candidacy { steps { totalCount } } } }`
		as(s.village).ok(nodeQ, id, &node)
		if node.Node.Steps.TotalCount != 8 {
			t.Fatalf("the village sees %d steps", node.Node.Steps.TotalCount)
		}
		as(villageC).fails("NOT_FOUND", nodeQ, id)
		as(s.partner).fails("NOT_FOUND", nodeQ, id)
	})
}

// A refusal keeps its step and reason; a body's refusal stops the 联审's
// approval; an adjustment ends the post it replaces; a reserve goes 村审 →
// 镇批 → 县备案 and enters its list.
func TestCandidacyRefusalsAdjustmentsAndReserves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA := s.villages[0]
		as := func(v *auth.Viewer) *api { return newAPIAs(t, db, v) }
		sys := auth.System(context.Background())
		ding := db.Client.Person.Create().SetName("丁村民").SetHomeVillage(vA).SaveX(sys)
		propose := func(in map[string]any) string {
			t.Helper()
			var out struct{ ProposeCandidacy candidacyOut }
			as(s.village).ok(proposeQ, map[string]any{"in": in}, &out)
			return out.ProposeCandidacy.ID
		}
		var took struct{ TakeCandidacyStep candidacyOut }

		// Refused by the township: the reason is required and kept.
		id := propose(map[string]any{"personID": gid(s.inC.ID), "villageID": gid(vA.ID), "purpose": "ENTRY", "role": "COMMITTEE_MEMBER"})
		as(s.townUser).fails("BAD_USER_INPUT", stepQ, map[string]any{"id": id, "in": step("TOWNSHIP_REVIEW", "REFUSED", nil)})
		as(s.townUser).ok(stepQ, map[string]any{"id": id, "in": step("TOWNSHIP_REVIEW", "REFUSED", map[string]any{"opinion": "不符合任职条件"})}, &took)
		if c := took.TakeCandidacyStep; c.State != "REFUSED" || *c.RefusedStep != "TOWNSHIP_REVIEW" || *c.RefusalReason != "不符合任职条件" {
			t.Fatalf("refused: %+v", c)
		}
		as(s.county).fails("CONFLICT", stepQ, map[string]any{"id": id, "in": step("BODY_OPINION", "APPROVED", map[string]any{"body": "DISCIPLINE"})})

		// A body refuses: the county cannot approve, only refuse.
		id = propose(map[string]any{"personID": gid(s.inC.ID), "villageID": gid(vA.ID), "purpose": "ENTRY", "role": "COMMITTEE_MEMBER"})
		as(s.townUser).ok(stepQ, map[string]any{"id": id, "in": step("TOWNSHIP_REVIEW", "APPROVED", nil)}, nil)
		as(s.county).ok(stepQ, map[string]any{"id": id, "in": step("BODY_OPINION", "REFUSED", map[string]any{"body": "PUBLIC_SECURITY", "opinion": "有违法记录"})}, nil)
		as(s.county).ok(stepQ, map[string]any{"id": id, "in": step("BODY_OPINION", "APPROVED", map[string]any{"body": "DISCIPLINE"})}, nil)
		as(s.county).fails("CONFLICT", stepQ, map[string]any{"id": id, "in": step("COUNTY_DECISION", "APPROVED", nil)})
		as(s.county).ok(stepQ, map[string]any{"id": id, "in": step("COUNTY_DECISION", "REFUSED", map[string]any{"opinion": "联审未通过"})}, &took)
		if c := took.TakeCandidacyStep; c.State != "REFUSED" || *c.RefusedStep != "COUNTY_DECISION" {
			t.Fatalf("refused in the 联审: %+v", c)
		}

		// 凡调必审: an adjustment of the filed secretary replaces their post.
		secretary := db.Client.Post.Query().Where(post.PersonID(s.inA.ID), post.RoleEQ(post.RolePARTY_SECRETARY)).OnlyX(sys)
		as(s.village).fails("BAD_USER_INPUT", proposeQ, map[string]any{"in": map[string]any{"personID": gid(ding.ID), "villageID": gid(vA.ID), "purpose": "ADJUSTMENT", "role": "PARTY_SECRETARY"}})
		id = propose(map[string]any{"personID": gid(ding.ID), "villageID": gid(vA.ID), "purpose": "ADJUSTMENT", "role": "PARTY_SECRETARY", "replacesPostID": gid(secretary.ID)})
		as(s.townUser).ok(stepQ, map[string]any{"id": id, "in": step("TOWNSHIP_REVIEW", "APPROVED", nil)}, nil)
		for _, b := range []string{"DISCIPLINE", "PUBLIC_SECURITY"} {
			as(s.county).ok(stepQ, map[string]any{"id": id, "in": step("BODY_OPINION", "APPROVED", map[string]any{"body": b})}, nil)
		}
		as(s.county).ok(stepQ, map[string]any{"id": id, "in": step("COUNTY_DECISION", "APPROVED", nil)}, nil)
		as(s.townUser).ok(stepQ, map[string]any{"id": id, "in": step("APPOINTMENT", "APPROVED", map[string]any{"actedOn": "2024-06-01"})}, &took)
		old := db.Client.Post.GetX(sys, secretary.ID)
		if old.EndDate == nil || old.EndDate.Format("2006-01-02") != "2024-05-31" || old.ExitKind == nil || *old.ExitKind != post.ExitKindADJUSTED {
			t.Fatalf("the replaced secretary's post: end %v, exit %v", old.EndDate, old.ExitKind)
		}
		if p := took.TakeCandidacyStep.Post; p == nil || p.Role != "PARTY_SECRETARY" {
			t.Fatalf("the new secretary's post: %+v", took.TakeCandidacyStep)
		}

		// Reserve: 自荐 → 村审 → 镇批 (the entry into the list) → 县备案.
		as(s.village).fails("BAD_USER_INPUT", proposeQ, map[string]any{"in": map[string]any{"personID": gid(s.inC.ID), "villageID": gid(vA.ID), "purpose": "RESERVE", "role": "RESERVE_CADRE"}})
		id = propose(map[string]any{"personID": gid(s.inC.ID), "villageID": gid(vA.ID), "purpose": "RESERVE", "role": "RESERVE_CADRE",
			"reserveList": "SECRETARY_CANDIDATE", "nomination": "SELF"})
		as(s.county).fails("FORBIDDEN", stepQ, map[string]any{"id": id, "in": step("APPOINTMENT", "APPROVED", nil)})
		as(s.townUser).fails("CONFLICT", stepQ, map[string]any{"id": id, "in": step("TOWNSHIP_REVIEW", "APPROVED", nil)})
		as(s.townUser).ok(stepQ, map[string]any{"id": id, "in": step("APPOINTMENT", "APPROVED", nil)}, &took)
		if p := took.TakeCandidacyStep.Post; took.TakeCandidacyStep.State != "APPOINTED" || p == nil || p.Role != "RESERVE_CADRE" || p.ReserveList == nil || *p.ReserveList != "SECRETARY_CANDIDATE" {
			t.Fatalf("the reserve's entry: %+v", took.TakeCandidacyStep)
		}
		as(s.county).ok(stepQ, map[string]any{"id": id, "in": step("FILING", "APPROVED", nil)}, &took)
		if took.TakeCandidacyStep.State != "FILED" {
			t.Fatalf("the reserve's filing: %+v", took.TakeCandidacyStep)
		}
		// Moved to another list later: the first list's post ends, both stay.
		id = propose(map[string]any{"personID": gid(s.inC.ID), "villageID": gid(vA.ID), "purpose": "RESERVE", "role": "RESERVE_CADRE",
			"reserveList": "COMMITTEE_CANDIDATE", "nomination": "ORGANIZATION"})
		as(s.townUser).ok(stepQ, map[string]any{"id": id, "in": step("APPOINTMENT", "APPROVED", map[string]any{"actedOn": "2025-01-01"})}, nil)
		lists := db.Client.Post.Query().Where(post.PersonID(s.inC.ID), post.RoleEQ(post.RoleRESERVE_CADRE)).Order(post.ByStartDate()).AllX(sys)
		if len(lists) != 2 || lists[0].EndDate == nil || lists[1].EndDate != nil || *lists[1].ReserveList != post.ReserveListCOMMITTEE_CANDIDATE {
			t.Fatalf("the reserve's lists over time: %+v", lists)
		}

		// Withdrawn before the appointment, with its reason.
		id = propose(map[string]any{"personID": gid(s.inC.ID), "villageID": gid(vA.ID), "purpose": "ENTRY", "role": "COMMITTEE_DIRECTOR"})
		as(s.townUser).fails("FORBIDDEN", `mutation($id: ID!) { withdrawCandidacy(id: $id, reason: "本人放弃") { id } }`, map[string]any{"id": id})
		as(s.village).fails("BAD_USER_INPUT", `mutation($id: ID!) { withdrawCandidacy(id: $id, reason: " ") { id } }`, map[string]any{"id": id})
		var w struct{ WithdrawCandidacy struct{ State string } }
		as(s.village).ok(`mutation($id: ID!) { withdrawCandidacy(id: $id, reason: "本人放弃") { state } }`, map[string]any{"id": id}, &w)
		if w.WithdrawCandidacy.State != "WITHDRAWN" {
			t.Fatalf("withdrawn: %+v", w)
		}
		if n := db.Client.Candidacy.Query().Where(candidacy.StateEQ(candidacy.StateREFUSED), candidacy.RefusalReasonNEQ("")).CountX(sys); n != 2 {
			t.Fatalf("%d refused candidacies keep a reason, want 2", n)
		}
	})
}
