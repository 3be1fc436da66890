package graph_test

import (
	"context"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/trainingclass"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/rules"
)

// workCycle is the scoped world with terms, training classes, enrolments
// and attribute periods in and out of 土默特右旗 (150221): vA, vB in
// 萨拉齐镇, vC in 双龙镇, other in 海勃湾区 (150302).
type workCycle struct {
	scoped
	term18, term21, termOut      *ent.Term
	cCounty, cTown, cTown2, cOut *ent.TrainingClass
	eA, eB, eC, eOut, eX         *ent.TrainingEnrolment
	historyA, historyOut         *ent.PersonAttribute
}

func makeWorkCycle(t *testing.T, db *dbtest.DB) workCycle {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	w := workCycle{scoped: makeScoped(t, db)}
	vA, vB, vC := w.villages[0], w.villages[1], w.villages[3]
	otherCounty := w.other.QueryParent().QueryParent().OnlyX(ctx)
	term := func(county *ent.Region, day string) *ent.Term {
		return c.Term.Create().SetRegion(county).SetName(day[:4] + "年村“两委”换届").SetElectedOn(date(day)).SaveX(ctx)
	}
	w.term18, w.term21, w.termOut = term(w.world.county, "2018-04-20"), term(w.world.county, "2021-05-10"), term(otherCounty, "2021-06-01")
	class := func(at *ent.Region, name string, kind trainingclass.Kind) *ent.TrainingClass {
		return c.TrainingClass.Create().SetRegion(at).SetName(name).SetKind(kind).
			SetStartsOn(date("2024-03-01")).SetEndsOn(date("2024-03-05")).SetHours(40).SaveX(ctx)
	}
	w.cCounty = class(w.world.county, "2024年村书记培训班", trainingclass.KindSECRETARY_TRAINING)
	w.cTown = class(w.township, "萨拉齐镇跟班学习", trainingclass.KindSHADOWING)
	w.cTown2 = class(w.township2, "双龙镇学历提升班", trainingclass.KindDEGREE_PROGRAM)
	w.cOut = class(otherCounty, "外县培训班", trainingclass.KindSECRETARY_TRAINING)
	enrol := func(cl *ent.TrainingClass, p *ent.Person, at *ent.Region) *ent.TrainingEnrolment {
		return c.TrainingEnrolment.Create().SetClass(cl).SetPerson(p).SetRegion(at).SetCompleted(true).SaveX(ctx)
	}
	w.eA, w.eB, w.eC = enrol(w.cCounty, w.inA, vA), enrol(w.cTown, w.inB, vB), enrol(w.cTown2, w.inC, vC)
	w.eOut = enrol(w.cOut, w.outside, w.other)
	// A cadre of the other county in 土默特右旗's class: the organizers see
	// the enrolment, the trainee stays out of their sight.
	w.eX = enrol(w.cCounty, w.outside, w.other)
	period := func(p *ent.Person) *ent.PersonAttribute {
		return c.PersonAttribute.Create().SetPerson(p).SetAttribute(personattribute.AttributeEDUCATION).
			SetValue("BACHELOR").SetValidFrom(date("2023-06-01")).SaveX(ctx)
	}
	w.historyA, w.historyOut = period(w.inA), period(w.outside)
	return w
}

func TestWorkCycleRecordsSeenInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorkCycle(t, db)
		const listAll = `{ terms { totalCount } trainingClasses { totalCount } trainingEnrolments { totalCount } }`
		type totals struct{ Terms, TrainingClasses, TrainingEnrolments struct{ TotalCount int } }
		for _, c := range []struct {
			name                       string
			v                          *auth.Viewer
			terms, classes, enrolments int
		}{
			{"national", w.national, 3, 4, 5},
			// The county's own; its class's enrolment of an outsider too.
			{"county", w.county, 2, 3, 4},
			// A township sees its county's terms and classes above it, and
			// the enrolments of its own cadres and classes.
			{"township", w.townUser, 2, 2, 2},
			{"village", w.village, 2, 2, 1},
			{"partner", w.partner, 0, 0, 0},
		} {
			var out totals
			newAPIAs(t, db, c.v).ok(listAll, nil, &out)
			if out.Terms.TotalCount != c.terms || out.TrainingClasses.TotalCount != c.classes || out.TrainingEnrolments.TotalCount != c.enrolments {
				t.Errorf("%s sees %+v, want %d terms, %d classes, %d enrolments", c.name, out, c.terms, c.classes, c.enrolments)
			}
		}
		anon := newAPIAs(t, db, nil)
		for _, q := range []string{`{ terms { totalCount } }`, `{ trainingClasses { totalCount } }`, `{ trainingEnrolments { totalCount } }`} {
			anon.fails("UNAUTHENTICATED", q, nil)
		}

		node := `query($id: ID!) { node(id: $id) { id ... on Term { name } ... on TrainingClass { name }
			... on TrainingEnrolment { result } ... on PersonAttribute { value } } }`
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			id   int
			seen bool
		}{
			{"county", w.county, w.term21.ID, true}, {"county", w.county, w.termOut.ID, false},
			{"county", w.county, w.cOut.ID, false}, {"county", w.county, w.eX.ID, true}, {"county", w.county, w.eOut.ID, false},
			{"county", w.county, w.historyA.ID, true}, {"county", w.county, w.historyOut.ID, false},
			{"township", w.townUser, w.cTown2.ID, false}, {"township", w.townUser, w.eC.ID, false}, {"township", w.townUser, w.eX.ID, false},
			{"village", w.village, w.eB.ID, false}, {"village", w.village, w.cCounty.ID, true}, {"village", w.village, w.historyA.ID, true},
			{"partner", w.partner, w.term21.ID, false}, {"partner", w.partner, w.historyA.ID, false},
		} {
			a := newAPIAs(t, db, c.v)
			vars := map[string]any{"id": gid(c.id)}
			if c.seen {
				a.ok(node, vars, nil)
				continue
			}
			if resp := a.fails("NOT_FOUND", node, vars); contains(resp.Raw, "外县") {
				t.Fatalf("%s: leaked %s", c.name, resp.Raw)
			}
		}

		// Nested: a class's enrolments and a person's history are those the
		// viewer may see.
		var cl struct {
			Node struct{ Enrolments struct{ TotalCount int } }
		}
		classQ := `query($id: ID!) { node(id: $id) { ... on TrainingClass { enrolments { totalCount } } } }`
		newAPIAs(t, db, w.county).ok(classQ, map[string]any{"id": gid(w.cCounty.ID)}, &cl)
		if cl.Node.Enrolments.TotalCount != 2 {
			t.Fatalf("the county sees %d enrolments of its class, want 2", cl.Node.Enrolments.TotalCount)
		}
		newAPIAs(t, db, w.townUser).ok(classQ, map[string]any{"id": gid(w.cCounty.ID)}, &cl)
		if cl.Node.Enrolments.TotalCount != 1 {
			t.Fatalf("the township sees %d enrolments of the county's class, want 1 (its own cadre)", cl.Node.Enrolments.TotalCount)
		}
		var p struct {
			Node struct {
				AttributeHistory   []struct{ Value string }
				TrainingEnrolments struct{ TotalCount int }
			}
		}
		personQ := `query($id: ID!) { node(id: $id) { ... on Person { attributeHistory { value } trainingEnrolments { totalCount } } } }`
		newAPIAs(t, db, w.village).ok(personQ, map[string]any{"id": gid(w.inA.ID)}, &p)
		if len(p.Node.AttributeHistory) != 1 || p.Node.AttributeHistory[0].Value != "BACHELOR" || p.Node.TrainingEnrolments.TotalCount != 1 {
			t.Fatalf("village A sees 甲's file %+v", p.Node)
		}

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
			{"county people trained", w.county, `{ r: people(where: {hasTrainingEnrolmentsWith: [{completed: true}]}) { totalCount } }`, 3},
			{"national people trained", w.national, `{ r: people(where: {hasTrainingEnrolmentsWith: [{completed: true}]}) { totalCount } }`, 4},
			// 丙 is visible in village A (an adviser there); 丙's enrolment in 双龙镇 is not.
			{"village people trained", w.village, `{ r: people(where: {hasTrainingEnrolmentsWith: [{}]}) { totalCount } }`, 1},
			{"partner people trained", w.partner, `{ r: people(where: {hasTrainingEnrolmentsWith: [{}]}) { totalCount } }`, 0},
			{"county regions with a term", w.county, `{ r: regions(where: {hasTermsWith: [{}]}) { totalCount } }`, 1},
			{"anonymous regions with a term", nil, `{ r: regions(where: {hasTermsWith: [{}]}) { totalCount } }`, 0},
			{"township regions organizing", w.townUser, `{ r: regions(where: {hasTrainingClassesWith: [{}]}) { totalCount } }`, 2},
			{"county classes with an outsider", w.county, `{ r: trainingClasses(where: {hasEnrolmentsWith: [{hasPersonWith: [{name: "外县干部"}]}]}) { totalCount } }`, 0},
			{"national classes with an outsider", w.national, `{ r: trainingClasses(where: {hasEnrolmentsWith: [{hasPersonWith: [{name: "外县干部"}]}]}) { totalCount } }`, 2},
		} {
			if got := count(c.v, c.q); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}
	})
}

func TestWorkCycleRecordsWrittenInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorkCycle(t, db)
		sys := auth.System(context.Background())
		county, town := newAPIAs(t, db, w.county), newAPIAs(t, db, w.townUser)
		bad := func(a *api, q string, vars map[string]any, code, field, reason string) {
			t.Helper()
			resp := a.fails(code, q, vars)
			ext := resp.Errors[0].Extensions
			if got, _ := ext["field"].(string); got != field || reason != "" && ext["reason"] != reason {
				t.Fatalf("want %s on %s (%s), got %s", code, field, reason, resp.Raw)
			}
		}

		const createTerm = `mutation($in: CreateTermInput!) { createTerm(input: $in) { id name region { code } } }`
		termIn := func(at *ent.Region, day string) map[string]any {
			return map[string]any{"in": map[string]any{"regionID": gid(at.ID), "name": "换届", "electedOn": day}}
		}
		county.ok(createTerm, termIn(w.world.county, "2024-05-01"), nil)
		bad(county, createTerm, termIn(w.world.county, "2021-05-10"), "CONFLICT", "", string(rules.SecondTerm))
		bad(county, createTerm, termIn(w.township, "2015-05-01"), "BAD_USER_INPUT", "regionID", string(rules.WrongLevel))
		bad(county, createTerm, termIn(w.world.county, time.Now().AddDate(0, 0, 3).Format(time.DateOnly)), "BAD_USER_INPUT", "electedOn", string(rules.DateInFuture))
		county.fails("FORBIDDEN", createTerm, termIn(w.other.QueryParent().QueryParent().OnlyX(sys), "2015-05-01"))
		for _, v := range []*auth.Viewer{w.townUser, w.village, w.partner} {
			newAPIAs(t, db, v).fails("FORBIDDEN", createTerm, termIn(w.world.county, "2015-05-01"))
		}
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", createTerm, termIn(w.world.county, "2015-05-01"))
		county.fails("NOT_FOUND", `mutation($id: ID!) { deleteTerm(id: $id) }`, map[string]any{"id": gid(w.termOut.ID)})

		const createClass = `mutation($in: CreateTrainingClassInput!) { createTrainingClass(input: $in) { id } }`
		classIn := func(at *ent.Region, starts, ends string, hours float64) map[string]any {
			return map[string]any{"in": map[string]any{"regionID": gid(at.ID), "name": "班", "kind": "SECRETARY_TRAINING",
				"startsOn": starts, "endsOn": ends, "hours": hours}}
		}
		town.ok(createClass, classIn(w.township, "2024-06-01", "2024-06-03", 24), nil)
		town.fails("FORBIDDEN", createClass, classIn(w.world.county, "2024-06-01", "2024-06-03", 24))
		newAPIAs(t, db, w.village).fails("FORBIDDEN", createClass, classIn(w.township, "2024-06-01", "2024-06-03", 24))
		bad(town, createClass, classIn(w.township, "2024-06-03", "2024-06-01", 24), "BAD_USER_INPUT", "endsOn", string(rules.EndsBeforeStart))
		bad(town, createClass, classIn(w.township, "2024-06-01", "2024-06-03", 3000), "BAD_USER_INPUT", "hours", string(rules.HoursOutOfRange))
		bad(county, createClass, classIn(w.villages[0], "2024-06-01", "2024-06-03", 8), "BAD_USER_INPUT", "regionID", string(rules.WrongLevel))

		const enrol = `mutation($in: CreateTrainingEnrolmentInput!) { createTrainingEnrolment(input: $in) { id } }`
		enrolIn := func(cl *ent.TrainingClass, p *ent.Person, at *ent.Region) map[string]any {
			return map[string]any{"in": map[string]any{"classID": gid(cl.ID), "personID": gid(p.ID), "regionID": gid(at.ID), "completed": true}}
		}
		// The township enrols its cadre in the county's class …
		town.ok(enrol, enrolIn(w.cCounty, w.inB, w.villages[1]), nil)
		bad(town, enrol, enrolIn(w.cCounty, w.inB, w.villages[1]), "CONFLICT", "", string(rules.SecondEnrolment))
		// … but not someone it cannot see, nor into a class it cannot see.
		bad(town, enrol, enrolIn(w.cCounty, w.outside, w.villages[1]), "NOT_FOUND", "personID", "")
		bad(town, enrol, enrolIn(w.cOut, w.inA, w.villages[0]), "NOT_FOUND", "classID", "")
		town.fails("FORBIDDEN", enrol, enrolIn(w.cTown, w.inC, w.villages[3]))
		bad(town, `mutation($id: ID!) { updateTrainingEnrolment(id: $id, input: {hours: -2}) { id } }`,
			map[string]any{"id": gid(w.eB.ID)}, "BAD_USER_INPUT", "hours", string(rules.HoursOutOfRange))

		// Deleting a class takes its enrolments; a class out of reach keeps
		// them (the whole mutation rolls back).
		town.fails("NOT_FOUND", `mutation($id: ID!) { deleteTrainingClass(id: $id) }`, map[string]any{"id": gid(w.cCounty.ID)})
		if n := db.Client.TrainingEnrolment.Query().Where(trainingenrolment.ClassID(w.cCounty.ID)).CountX(sys); n != 3 {
			t.Fatalf("a refused delete left %d enrolments of the class, want 3", n)
		}
		county.ok(`mutation($id: ID!) { deleteTrainingClass(id: $id) }`, map[string]any{"id": gid(w.cCounty.ID)}, nil)
		if n := db.Client.TrainingEnrolment.Query().Where(trainingenrolment.ClassID(w.cCounty.ID)).CountX(sys); n != 0 {
			t.Fatalf("the deleted class left %d enrolments", n)
		}

		// How a post ended comes with its end.
		var created struct{ CreatePost struct{ ID string } }
		county.ok(`mutation($in: CreatePostInput!) { createPost(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"personID": gid(w.inB.ID), "regionID": gid(w.villages[1].ID), "role": "COMMITTEE_MEMBER", "startDate": "2021-05-10"}}, &created)
		bad(county, `mutation($id: ID!) { updatePost(id: $id, input: {exitKind: ADJUSTED}) { id } }`,
			map[string]any{"id": created.CreatePost.ID}, "BAD_USER_INPUT", "exitKind", string(rules.ExitWithoutEnd))
		county.ok(`mutation($id: ID!) { updatePost(id: $id, input: {endDate: "2024-01-31", exitKind: ADJUSTED, endReason: "调整不适应不胜任"}) { id } }`,
			map[string]any{"id": created.CreatePost.ID}, nil)
		var post struct{ Node struct{ ExitKind *string } }
		county.ok(`mutation($id: ID!) { updatePost(id: $id, input: {clearEndDate: true}) { id } }`, map[string]any{"id": created.CreatePost.ID}, nil)
		county.ok(`query($id: ID!) { node(id: $id) { ... on Post { exitKind } } }`, map[string]any{"id": created.CreatePost.ID}, &post)
		if post.Node.ExitKind != nil {
			t.Fatalf("a post opened again keeps its exit kind %q", *post.Node.ExitKind)
		}
	})
}

// A merge moves the merged file's enrolments, and its attribute periods
// where the kept file has no history of the attribute; one class on both
// files is for the admin to settle first.
func TestMergeMovesWorkCycleRecords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorkCycle(t, db)
		sys := auth.System(context.Background())
		c := db.Client
		vA := w.villages[0]
		dup := c.Person.Create().SetName("甲村书记").SetHomeVillage(vA).SaveX(sys)
		e := c.TrainingEnrolment.Create().SetClass(w.cTown).SetPerson(dup).SetRegion(vA).SaveX(sys)
		title := c.PersonAttribute.Create().SetPerson(dup).SetAttribute(personattribute.AttributePROFESSIONAL_TITLE).
			SetValue("农艺师").SetValidFrom(date("2020-01-01")).SaveX(sys)
		// 甲 has an education history already: the duplicate's stays out.
		edu := c.PersonAttribute.Create().SetPerson(dup).SetAttribute(personattribute.AttributeEDUCATION).
			SetValue("MASTER").SetValidFrom(date("2024-01-01")).SaveX(sys)
		clash := c.TrainingEnrolment.Create().SetClass(w.cCounty).SetPerson(dup).SetRegion(vA).SaveX(sys)
		county := newAPIAs(t, db, w.county)
		const merge = `mutation($k: ID!, $m: ID!) { mergePeople(keep: $k, merge: $m) { id } }`
		vars := map[string]any{"k": gid(w.inA.ID), "m": gid(dup.ID)}
		if r := county.fails("CONFLICT", merge, vars); r.Errors[0].Extensions["reason"] != string(rules.SecondEnrolment) {
			t.Fatalf("two enrolments in one class: %s", r.Raw)
		}
		c.TrainingEnrolment.DeleteOne(clash).ExecX(sys)
		county.ok(merge, vars, nil)
		if got := c.TrainingEnrolment.GetX(sys, e.ID).PersonID; got != w.inA.ID {
			t.Errorf("the enrolment stayed with %d", got)
		}
		if got := c.PersonAttribute.GetX(sys, title.ID).PersonID; got != w.inA.ID {
			t.Errorf("the title period stayed with %d", got)
		}
		if _, err := c.PersonAttribute.Get(sys, edu.ID); !ent.IsNotFound(err) {
			t.Errorf("the duplicate's education period outlived its file: %v", err)
		}
		if n := c.PersonAttribute.Query().Where(personattribute.PersonID(w.inA.ID), personattribute.AttributeEQ(personattribute.AttributeEDUCATION)).CountX(sys); n != 1 {
			t.Errorf("甲 has %d education periods, want their own 1", n)
		}
	})
}
