package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
)

// idWithCheckDigit completes 17 digits with their GB 11643 check digit.
func idWithCheckDigit(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// TestLinkingNeedsSight: every mutation that links a person or a record
// refuses, as NOT_FOUND and without echoing anything of it, an object the
// caller cannot load — whatever the role — although the place of the new
// row is in the caller's scope. The same links to objects in sight work.
func TestLinkingNeedsSight(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA, vB := gid(s.villages[0].ID), gid(s.villages[1].ID)
		town := gid(s.township.ID)
		outside, inA, inB := gid(s.outside.ID), gid(s.inA.ID), gid(s.inB.ID)
		apptOut, apptA := gid(s.apptOut.ID), gid(s.apptA.ID)
		assignOut, assignExp := gid(s.assignOut.ID), gid(s.assignExp.ID)
		demandOut := gid(s.demandOut.ID)

		type link struct {
			name, mutation string
			bad, good      map[string]any
			roles          []string // the roles allowed to write this at all
		}
		links := []link{
			{"post", `mutation($i: CreatePostInput!) { r: createPost(input: $i) { id person { name phone } } }`,
				map[string]any{"personID": outside, "regionID": vB, "role": "COMMITTEE_MEMBER", "startDate": "2024-01-01"},
				map[string]any{"personID": inA, "regionID": vB, "role": "COMMITTEE_MEMBER", "startDate": "2024-01-01"},
				[]string{"county", "township"}},
			{"mentorship (mentor)", `mutation($i: CreateMentorshipInput!) { r: createMentorship(input: $i) { id mentor { name } } }`,
				map[string]any{"mentorID": outside, "menteeID": inB, "regionID": vA, "program": "QINGLAN", "startDate": "2024-01-01"},
				map[string]any{"mentorID": inA, "menteeID": inB, "regionID": vA, "program": "QINGLAN", "startDate": "2024-01-01"},
				[]string{"county"}},
			{"mentorship (mentee)", `mutation($i: CreateMentorshipInput!) { r: createMentorship(input: $i) { id mentee { name } } }`,
				map[string]any{"mentorID": inA, "menteeID": outside, "regionID": vA, "program": "TUTOR", "startDate": "2024-01-01"},
				nil, []string{"county"}},
			{"adviser appointment", `mutation($i: CreateAdviserAppointmentInput!) { r: createAdviserAppointment(input: $i) { id person { name } } }`,
				map[string]any{"personID": outside, "villageID": vA, "kind": "DEVELOPMENT_ADVISER", "startDate": "2024-01-01"},
				map[string]any{"personID": inB, "villageID": vA, "kind": "DEVELOPMENT_ADVISER", "startDate": "2024-01-01"},
				[]string{"county"}},
			{"expert assignment", `mutation($i: CreateExpertAssignmentInput!) { r: createExpertAssignment(input: $i) { id expert { name } } }`,
				map[string]any{"expertID": outside, "regionID": town, "startDate": "2024-01-01"},
				map[string]any{"expertID": gid(s.exp.ID), "regionID": vA, "startDate": "2024-01-01"},
				[]string{"county"}},
			{"expert assignment (demand)", `mutation($i: CreateExpertAssignmentInput!) { r: createExpertAssignment(input: $i) { id demand { description } } }`,
				map[string]any{"expertID": gid(s.exp.ID), "regionID": town, "demandID": demandOut, "startDate": "2024-02-01"},
				nil, []string{"county"}},
			{"contact log (appointment)", `mutation($i: CreateContactLogInput!) { r: createContactLog(input: $i) { id } }`,
				map[string]any{"appointmentID": apptOut, "date": "2024-05-01", "mode": "PHONE"},
				nil, []string{"county", "township", "village"}},
			{"contact log (contacted by)", `mutation($i: CreateContactLogInput!) { r: createContactLog(input: $i) { id contactedBy { name } } }`,
				map[string]any{"appointmentID": apptA, "contactedByID": outside, "date": "2024-05-01", "mode": "PHONE"},
				map[string]any{"appointmentID": apptA, "contactedByID": inA, "date": "2024-05-01", "mode": "PHONE"},
				[]string{"county", "township", "village"}},
			{"contribution (appointment)", `mutation($i: CreateContributionInput!) { r: createContribution(input: $i) { id } }`,
				map[string]any{"villageID": vA, "appointmentID": apptOut, "kind": "FUNDS", "date": "2024-05-01"},
				map[string]any{"villageID": vA, "appointmentID": apptA, "kind": "FUNDS", "date": "2024-05-01"},
				[]string{"county"}},
			{"contribution (assignment)", `mutation($i: CreateContributionInput!) { r: createContribution(input: $i) { id } }`,
				map[string]any{"villageID": vA, "assignmentID": assignOut, "kind": "SITE_VISIT", "date": "2024-05-01"},
				map[string]any{"villageID": vA, "assignmentID": assignExp, "kind": "SITE_VISIT", "date": "2024-05-01"},
				[]string{"county"}},
			{"service record", `mutation($i: CreateServiceRecordInput!) { r: createServiceRecord(input: $i) { id } }`,
				map[string]any{"assignmentID": assignOut, "kind": "SURVEY", "date": "2024-05-01"},
				map[string]any{"assignmentID": assignExp, "kind": "SURVEY", "date": "2024-05-01"},
				[]string{"county", "partner"}},
		}
		viewers := map[string]*auth.Viewer{"county": s.county, "township": s.townUser, "village": s.village, "partner": s.partner}
		for _, l := range links {
			for role, v := range viewers {
				a := newAPIAs(t, db, v)
				resp := a.do(l.mutation, map[string]any{"i": l.bad})
				allowed := strings.Contains(strings.Join(l.roles, ","), role)
				want := "NOT_FOUND"
				if !allowed {
					want = "FORBIDDEN"
				}
				if resp.code() != want && !(allowed && resp.code() == "FORBIDDEN") {
					t.Errorf("%s as %s, linking an object out of sight: want %s, got %s", l.name, role, want, resp.Raw)
				}
				if strings.Contains(resp.Raw, "外县干部") || strings.Contains(resp.Raw, "大棚蔬菜") {
					t.Errorf("%s as %s echoes the linked object: %s", l.name, role, resp.Raw)
				}
				if allowed && l.good != nil {
					if r := a.do(l.mutation, map[string]any{"i": l.good}); len(r.Errors) > 0 {
						t.Errorf("%s as %s, linking an object in sight: %s", l.name, role, r.Raw)
					}
				}
			}
		}
		// Updates link too.
		county := newAPIAs(t, db, s.county)
		county.fails("NOT_FOUND", `mutation($id: ID!, $d: ID!) { updateExpertAssignment(id: $id, input: {demandID: $d}) { id } }`,
			map[string]any{"id": gid(s.assignExp.ID), "d": demandOut})
	})
}

// TestIntroducePerson: the explicit way to link someone on file elsewhere.
// The full ID number and the name must match; the answer shows only what
// was typed; the introduction is audited and lets this user link the
// person, and nobody else.
func TestIntroducePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx := auth.System(context.Background())
		idNumber := idWithCheckDigit("13043419800101003")
		db.Client.Person.UpdateOne(s.outside).SetIDNumber(idNumber).ExecX(ctx)
		county := newAPIAs(t, db, s.county)
		appoint := `mutation($p: ID!, $v: ID!) { createAdviserAppointment(input: {personID: $p, villageID: $v, kind: HONORARY_SECRETARY, startDate: "2024-01-01"}) { id person { name } } }`
		vars := map[string]any{"p": gid(s.outside.ID), "v": gid(s.villages[0].ID)}
		county.fails("NOT_FOUND", appoint, vars)

		introduce := `mutation($id: String!, $n: String!) { introducePerson(idNumber: $id, name: $n) { personID name idNumber } }`
		// A wrong name, a wrong number: the same answer as nobody at all.
		county.fails("NOT_FOUND", introduce, map[string]any{"id": idNumber, "n": "外县干"})
		county.fails("NOT_FOUND", introduce, map[string]any{"id": idWithCheckDigit("13043419800101004"), "n": "外县干部"})
		county.fails("BAD_USER_INPUT", introduce, map[string]any{"id": idNumber[:17], "n": "外县干部"})
		newAPIAs(t, db, s.village).fails("FORBIDDEN", introduce, map[string]any{"id": idNumber, "n": "外县干部"})
		// Without personal-data access, an answer would confirm ID numbers.
		newAPIAs(t, db, newUser(t, db, "nogrant", auth.RoleAdmin, "150221", 0, false)).
			fails("FORBIDDEN", introduce, map[string]any{"id": idNumber, "n": "外县干部"})
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", introduce, map[string]any{"id": idNumber, "n": "外县干部"})

		var out struct {
			IntroducePerson struct{ PersonID, Name, IDNumber string }
		}
		county.ok(introduce, map[string]any{"id": idNumber, "n": "外县干部"}, &out)
		if out.IntroducePerson.PersonID != gid(s.outside.ID) || strings.Contains(out.IntroducePerson.IDNumber, idNumber[6:14]) {
			t.Fatalf("introduction answers %+v", out.IntroducePerson)
		}
		n := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionINTRODUCE), auditlog.ActorID(s.county.UserID)).CountX(ctx)
		if n != 1 {
			t.Fatalf("%d INTRODUCE entries, want 1", n)
		}
		// Another admin of the county has not introduced them.
		other := newUser(t, db, "tumed2", auth.RoleAdmin, "150221", 0, false)
		newAPIAs(t, db, other).fails("NOT_FOUND", appoint, vars)
		county.ok(appoint, vars, nil)
		// Now linked into the county, the file is in sight for its admins.
		var p struct{ Node *struct{ Name string } }
		newAPIAs(t, db, other).ok(fmt.Sprintf(`{ node(id: %q) { ... on Person { name } } }`, gid(s.outside.ID)), nil, &p)
		if p.Node == nil {
			t.Fatal("the linked person is not in the county's sight")
		}
	})
}
