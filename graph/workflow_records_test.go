package graph_test

import (
	"context"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/candidacystep"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
)

// workflowRecords is the scoped world with one of each issue-14 record in
// 土默特右旗 and one in the other county (all named 外县… there, so a leak
// shows in the response).
type workflowRecords struct {
	scoped
	team, teamOut           *ent.ResidentTeam
	area, areaOut           *ent.ResidentArea
	assess, assessOut       *ent.ResidentAssessment
	agreement, agreementOut *ent.ExpertAgreement
	subsidy, subsidyOut     *ent.SubsidyPayment
	farm, farmOut           *ent.DoctorFarm
	cand, candOut           *ent.Candidacy
	step, stepOut           *ent.CandidacyStep
}

func makeWorkflowRecords(t *testing.T, db *dbtest.DB) workflowRecords {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	w := workflowRecords{scoped: makeScoped(t, db)}
	vA, vC := w.villages[0], w.villages[3]
	w.team = c.ResidentTeam.Create().SetVillage(vA).SetName("三道河村工作队").SetLeader(w.inA).
		SetDispatchLevel(residentteam.DispatchLevelCITY).SetSendingUnits([]string{"市农业农村局"}).SetStartDate(date("2024-01-01")).SaveX(ctx)
	w.teamOut = c.ResidentTeam.Create().SetVillage(w.other).SetName("外县工作队").SetLeader(w.outside).
		SetDispatchLevel(residentteam.DispatchLevelCOUNTY).SetStartDate(date("2024-01-01")).SaveX(ctx)
	// A 片区 of 萨拉齐镇 grouping village A; another of the other county.
	w.area = c.ResidentArea.Create().SetRegion(w.township).SetName("第一片区").SetPartyBranch("第一片区临时党支部").
		SetLeader(w.inA).AddVillages(vA).AddTeams(w.team).SetStartDate(date("2024-01-01")).SaveX(ctx)
	w.areaOut = c.ResidentArea.Create().SetRegion(w.other).SetName("外县片区").AddVillages(w.other).AddTeams(w.teamOut).
		SetStartDate(date("2024-01-01")).SaveX(ctx)
	w.assess = c.ResidentAssessment.Create().SetPerson(w.inA).SetRegion(vA).SetTeam(w.team).
		SetKind(residentassessment.KindANNUAL).SetYear(2024).SetGrade(residentassessment.GradeEXCELLENT).SaveX(ctx)
	w.assessOut = c.ResidentAssessment.Create().SetPerson(w.outside).SetRegion(w.other).
		SetKind(residentassessment.KindANNUAL).SetYear(2024).SetGrade(residentassessment.GradeCOMPETENT).SetNotes("外县考核").SaveX(ctx)
	// 长江大学's expert works in 双龙镇 (outside the township user's and the
	// village's scope); the outside cadre's records are of the other county.
	w.agreement = c.ExpertAgreement.Create().SetExpert(w.exp).SetRegion(vC).SetTitle("合作任务书").SetProceedsSharePercent(30).
		SetStartDate(date("2024-01-01")).SaveX(ctx)
	w.agreementOut = c.ExpertAgreement.Create().SetExpert(w.outside).SetRegion(w.other).SetTitle("外县任务书").
		SetStartDate(date("2024-01-01")).SaveX(ctx)
	w.subsidy = c.SubsidyPayment.Create().SetExpert(w.exp).SetRegion(w.township).SetAgreement(w.agreement).SetYear(2024).SetAmountYuan(20000).SaveX(ctx)
	w.subsidyOut = c.SubsidyPayment.Create().SetExpert(w.outside).SetRegion(w.other).SetYear(2024).SetAmountYuan(99999).SaveX(ctx)
	w.farm = c.DoctorFarm.Create().SetExpert(w.exp).SetVillage(vA).SetName("博士农场").SetFoundedOn(date("2022-05-01")).
		SetYearlyFundingYuan(100000).SetYearsFunded(3).SaveX(ctx)
	w.farmOut = c.DoctorFarm.Create().SetExpert(w.outside).SetVillage(w.other).SetName("外县农场").SetFoundedOn(date("2022-05-01")).SaveX(ctx)
	w.cand = c.Candidacy.Create().SetPerson(w.inB).SetRegion(vA).SetPurpose(candidacy.PurposeENTRY).SetRole(candidacy.RoleCOMMITTEE_MEMBER).
		SetProposedOn(date("2024-03-01")).SaveX(ctx)
	w.candOut = c.Candidacy.Create().SetPerson(w.outside).SetRegion(w.other).SetPurpose(candidacy.PurposeENTRY).SetRole(candidacy.RolePARTY_SECRETARY).
		SetProposedOn(date("2024-03-01")).SetNotes("外县候选").SaveX(ctx)
	w.step = c.CandidacyStep.Create().SetCandidacy(w.cand).SetStep(candidacystep.StepVILLAGE_REVIEW).SetDecision(candidacystep.DecisionAPPROVED).
		SetActedOn(date("2024-03-01")).SetActor("village").SetActorRole("VILLAGE").SaveX(ctx)
	w.stepOut = c.CandidacyStep.Create().SetCandidacy(w.candOut).SetStep(candidacystep.StepVILLAGE_REVIEW).SetDecision(candidacystep.DecisionAPPROVED).
		SetActedOn(date("2024-03-01")).SetActor("外县").SetActorRole("VILLAGE").SetOpinion("外县意见").SaveX(ctx)
	return w
}

// Every issue-14 record is seen by each role exactly within its scope: at
// the root, through where filters and relation filters, through node(id),
// and through the edges of people and regions.
func TestWorkflowRecordsSeenInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorkflowRecords(t, db)
		const listAll = `{
			residentTeams { totalCount } residentAreas { totalCount } residentAssessments { totalCount }
			expertAgreements { totalCount } subsidyPayments { totalCount } doctorFarms { totalCount }
			candidacies { totalCount } candidacySteps { totalCount } }`
		type counts struct {
			ResidentTeams, ResidentAreas, ResidentAssessments, ExpertAgreements,
			SubsidyPayments, DoctorFarms, Candidacies, CandidacySteps struct{ TotalCount int }
		}
		flat := func(c counts) [8]int {
			return [8]int{c.ResidentTeams.TotalCount, c.ResidentAreas.TotalCount, c.ResidentAssessments.TotalCount,
				c.ExpertAgreements.TotalCount, c.SubsidyPayments.TotalCount, c.DoctorFarms.TotalCount,
				c.Candidacies.TotalCount, c.CandidacySteps.TotalCount}
		}
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			want [8]int // teams, areas, assessments, agreements, subsidies, farms, candidacies, steps
		}{
			{"national", w.national, [8]int{2, 2, 2, 2, 2, 2, 2, 2}},
			{"county", w.county, [8]int{1, 1, 1, 1, 1, 1, 1, 1}},
			{"township", w.townUser, [8]int{1, 1, 1, 0, 1, 1, 1, 1}},
			{"village", w.village, [8]int{1, 1, 1, 0, 0, 1, 1, 1}},
			{"partner", w.partner, [8]int{0, 0, 0, 1, 1, 1, 0, 0}},
		} {
			var out counts
			resp := newAPIAs(t, db, c.v).do(listAll, nil)
			newAPIAs(t, db, c.v).ok(listAll, nil, &out)
			if got := flat(out); got != c.want {
				t.Errorf("%s sees %v, want %v", c.name, got, c.want)
			}
			if c.v != w.national && strings.Contains(resp.Raw, "外县") {
				t.Errorf("%s: leaked %s", c.name, resp.Raw)
			}
		}
		anon := newAPIAs(t, db, nil)
		for _, q := range []string{`{ residentTeams { totalCount } }`, `{ residentAreas { totalCount } }`,
			`{ residentAssessments { totalCount } }`, `{ expertAgreements { totalCount } }`, `{ subsidyPayments { totalCount } }`,
			`{ doctorFarms { totalCount } }`, `{ candidacies { totalCount } }`, `{ candidacySteps { totalCount } }`} {
			anon.fails("UNAUTHENTICATED", q, nil)
		}

		// node(id) of a record outside the scope is NOT_FOUND.
		node := `query($id: ID!) { node(id: $id) { id } }`
		for _, id := range []int{w.teamOut.ID, w.areaOut.ID, w.assessOut.ID, w.agreementOut.ID, w.subsidyOut.ID, w.farmOut.ID, w.candOut.ID, w.stepOut.ID} {
			for _, v := range []*auth.Viewer{w.county, w.townUser, w.village, w.partner} {
				newAPIAs(t, db, v).fails("NOT_FOUND", node, map[string]any{"id": gid(id)})
			}
			newAPIAs(t, db, w.national).ok(node, map[string]any{"id": gid(id)}, nil)
		}
		anon.fails("UNAUTHENTICATED", node, map[string]any{"id": gid(w.team.ID)})

		// Filters and relation filters count only what may be loaded: the
		// other county's records do not answer a filter on their fields.
		count := func(v *auth.Viewer, q string) int {
			t.Helper()
			var out struct{ R struct{ TotalCount int } }
			newAPIAs(t, db, v).ok(q, nil, &out)
			return out.R.TotalCount
		}
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			q    string
			want int
		}{
			{"county: teams led by a person named 外县…", w.county, `{ r: residentTeams(where: {hasLeaderWith: {nameHasPrefix: "外县"}}) { totalCount } }`, 0},
			{"national: teams led by a person named 外县…", w.national, `{ r: residentTeams(where: {hasLeaderWith: {nameHasPrefix: "外县"}}) { totalCount } }`, 1},
			{"county: people with an assessment graded COMPETENT", w.county, `{ r: people(where: {hasResidentAssessmentsWith: {grade: COMPETENT}}) { totalCount } }`, 0},
			{"county: people with a subsidy over 50000", w.county, `{ r: people(where: {hasSubsidyPaymentsWith: {amountYuanGT: 50000}}) { totalCount } }`, 0},
			{"county: people with a candidacy noted 外县候选", w.county, `{ r: people(where: {hasCandidaciesWith: {notesContains: "外县"}}) { totalCount } }`, 0},
			{"village: candidacies with a step opinion 外县意见", w.village, `{ r: candidacies(where: {hasStepsWith: {opinionContains: "外县"}}) { totalCount } }`, 0},
			{"national: candidacies with a step opinion 外县意见", w.national, `{ r: candidacies(where: {hasStepsWith: {opinionContains: "外县"}}) { totalCount } }`, 1},
			{"partner: agreements of its expert", w.partner, `{ r: expertAgreements(where: {proceedsSharePercentGTE: 30}) { totalCount } }`, 1},
			{"partner: farms in villages named 外县…", w.partner, `{ r: doctorFarms(where: {hasVillageWith: {nameHasPrefix: "外县"}}) { totalCount } }`, 0},
			{"township: areas grouping village A", w.townUser, `{ r: residentAreas(where: {hasVillagesWith: {nameHasPrefix: "三道河"}}) { totalCount } }`, 1},
		} {
			if got := count(c.v, c.q); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}

		// An expert's file shows their agreements, subsidies and farms to
		// their university; the other county's cadre shows none of theirs.
		var file struct {
			Node struct {
				ExpertAgreements, SubsidyPayments, DoctorFarms struct{ TotalCount int }
			}
		}
		fileQ := `query($id: ID!) { node(id: $id) { ... on Person { expertAgreements { totalCount } subsidyPayments { totalCount } doctorFarms { totalCount } } } }`
		newAPIAs(t, db, w.partner).ok(fileQ, map[string]any{"id": gid(w.exp.ID)}, &file)
		if f := file.Node; f.ExpertAgreements.TotalCount != 1 || f.SubsidyPayments.TotalCount != 1 || f.DoctorFarms.TotalCount != 1 {
			t.Fatalf("the partner sees its expert's file %+v, want one of each", f)
		}
		// A region is public; its teams and 片区 are not.
		regionQ := `query($c: String!) { region(code: $c) { residentTeams { totalCount } doctorFarms { totalCount } candidacies { totalCount } } }`
		var reg struct {
			Region struct{ ResidentTeams, DoctorFarms, Candidacies struct{ TotalCount int } }
		}
		newAPIAs(t, db, w.county).ok(regionQ, map[string]any{"c": w.other.Code}, &reg)
		if r := reg.Region; r.ResidentTeams.TotalCount+r.DoctorFarms.TotalCount+r.Candidacies.TotalCount != 0 {
			t.Fatalf("the county sees the other county's records: %+v", r)
		}
		newAPIAs(t, db, w.village).ok(regionQ, map[string]any{"c": w.villages[0].Code}, &reg)
		if r := reg.Region; r.ResidentTeams.TotalCount != 1 || r.DoctorFarms.TotalCount != 1 || r.Candidacies.TotalCount != 1 {
			t.Fatalf("village A's own records: %+v", r)
		}
		anon.fails("UNAUTHENTICATED", regionQ, map[string]any{"c": w.villages[0].Code})
	})
}

// The records' mutations: admins of the region write, others are
// FORBIDDEN, and a 片区 cannot group a village outside its admin's scope.
func TestWorkflowRecordsWrittenInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorkflowRecords(t, db)
		create := `mutation($in: CreateResidentTeamInput!) { createResidentTeam(input: $in) { id name } }`
		in := func(village *ent.Region) map[string]any {
			return map[string]any{"in": map[string]any{"villageID": gid(village.ID), "name": "新工作队", "dispatchLevel": "COUNTY", "startDate": "2025-01-01"}}
		}
		newAPIAs(t, db, w.county).ok(create, in(w.villages[0]), nil)
		newAPIAs(t, db, w.county).fails("FORBIDDEN", create, in(w.other))
		newAPIAs(t, db, w.village).fails("FORBIDDEN", create, in(w.villages[0]))
		newAPIAs(t, db, w.partner).fails("FORBIDDEN", create, in(w.villages[0]))
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", create, in(w.villages[0]))

		area := `mutation($in: CreateResidentAreaInput!) { createResidentArea(input: $in) { id } }`
		areaIn := func(villages ...*ent.Region) map[string]any {
			var ids []string
			for _, v := range villages {
				ids = append(ids, gid(v.ID))
			}
			return map[string]any{"in": map[string]any{"regionID": gid(w.world.county.ID), "name": "片区", "villageIDs": ids, "startDate": "2025-01-01"}}
		}
		newAPIAs(t, db, w.county).ok(area, areaIn(w.villages[0], w.villages[3]), nil)
		newAPIAs(t, db, w.county).fails("FORBIDDEN", area, areaIn(w.villages[0], w.other))

		// A township user grades the resident cadres of its villages only.
		grade := `mutation($in: CreateResidentAssessmentInput!) { createResidentAssessment(input: $in) { id grade } }`
		gradeIn := func(p *ent.Person, at *ent.Region) map[string]any {
			return map[string]any{"in": map[string]any{"personID": gid(p.ID), "regionID": gid(at.ID), "kind": "ROUTINE", "year": 2025, "period": 1, "grade": "COMPETENT"}}
		}
		newAPIAs(t, db, w.townUser).ok(grade, gradeIn(w.inA, w.villages[0]), nil)
		newAPIAs(t, db, w.townUser).fails("FORBIDDEN", grade, gradeIn(w.inA, w.villages[3]))
		newAPIAs(t, db, w.village).fails("FORBIDDEN", grade, gradeIn(w.inA, w.villages[0]))

		// Out-of-scope records cannot be changed or deleted, and look missing.
		for _, q := range []string{
			`mutation($id: ID!) { deleteDoctorFarm(id: $id) }`,
		} {
			resp := newAPIAs(t, db, w.county).do(q, map[string]any{"id": gid(w.farmOut.ID)})
			if len(resp.Errors) == 0 || strings.Contains(resp.Raw, "外县") {
				t.Fatalf("deleting the other county's farm: %s", resp.Raw)
			}
		}
		newAPIAs(t, db, w.partner).fails("FORBIDDEN", `mutation($id: ID!) { deleteDoctorFarm(id: $id) }`, map[string]any{"id": gid(w.farm.ID)})
		newAPIAs(t, db, w.county).ok(`mutation($id: ID!) { deleteDoctorFarm(id: $id) }`, map[string]any{"id": gid(w.farm.ID)}, nil)
	})
}
