package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/personexternalkey"
	"yanzhen/ent/post"
)

// TestOneFilePerIDNumber: createPerson and updatePerson refuse an ID number
// already on file with CONFLICT, naming the holder only to a caller who
// may see them.
func TestOneFilePerIDNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		outsideID := idWithCheckDigit("13043419800101003")
		db.Client.Person.UpdateOne(s.outside).SetIDNumber(outsideID).ExecX(sys)
		county := newAPIAs(t, db, s.county)
		create := `mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }`
		in := func(id string) map[string]any {
			return map[string]any{"i": map[string]any{"name": "新来的人", "idNumber": id, "homeVillageID": gid(s.villages[0].ID)}}
		}
		// In sight: the refusal names the holder.
		resp := county.fails("CONFLICT", create, in("11010519491231002X"))
		if msg := resp.Errors[0].Message; !strings.Contains(msg, "甲村书记") || !strings.Contains(msg, gid(s.inA.ID)) {
			t.Fatalf("the refusal does not name the person in sight: %s", resp.Raw)
		}
		// Out of sight: the same refusal, naming no one.
		resp = county.fails("CONFLICT", create, in(outsideID))
		if strings.Contains(resp.Raw, "外县干部") || strings.Contains(resp.Raw, gid(s.outside.ID)) {
			t.Fatalf("the refusal names a person out of sight: %s", resp.Raw)
		}
		// An update giving someone another person's number, likewise.
		update := `mutation($id: ID!, $n: String!) { updatePerson(id: $id, input: {idNumber: $n}) { id } }`
		county.fails("CONFLICT", update, map[string]any{"id": gid(s.inB.ID), "n": "11010519491231002X"})
		// Setting one's own number again is no conflict.
		county.ok(update, map[string]any{"id": gid(s.inA.ID), "n": "11010519491231002X"}, nil)
		if n := db.Client.Person.Query().Where(person.Name("新来的人")).CountX(sys); n != 0 {
			t.Fatalf("%d duplicates filed", n)
		}
		// The database holds the rule too (two writers racing).
		_, err := db.Client.Person.Create().SetName("并发").SetIDNumber(outsideID).Save(sys)
		if err == nil {
			t.Fatal("a second file with the same ID number was written")
		}
	})
}

// TestMergePeople: merging moves every record of the merged file to the
// kept one, fills what the kept file lacks, deletes the merged file and
// audits all of it; it is refused for different ID numbers, for a result
// that breaks a mentoring rule, and out of the caller's scope.
func TestMergePeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		c := db.Client
		vA, vB := s.villages[0], s.villages[1]
		dup := c.Person.Create().SetName("甲村书记").SetEthnicity("汉族").SetHomeVillage(vA).
			SetProfessionalTitle("农艺师").SaveX(sys)
		dupPost := c.Post.Create().SetPerson(dup).SetRegion(vB).SetRole("COMMITTEE_MEMBER").SetStartDate(date("2020-01-01")).SaveX(sys)
		pair := c.Mentorship.Create().SetMentor(dup).SetMentee(s.inB).SetRegion(vA).SetProgram("QINGLAN").SetStartDate(date("2023-01-01")).SaveX(sys)
		appt := c.AdviserAppointment.Create().SetPerson(dup).SetVillage(vA).SetKind("DEVELOPMENT_ADVISER").SetStartDate(date("2022-06-01")).SaveX(sys)
		assign := c.ExpertAssignment.Create().SetExpert(dup).SetRegion(s.township).SetStartDate(date("2023-01-01")).SaveX(sys)
		contact := c.ContactLog.Create().SetAppointment(s.apptA).SetDate(date("2024-04-01")).SetMode("PHONE").SetContactedBy(dup).SaveX(sys)
		key := c.PersonExternalKey.Create().SetPerson(dup).SetSource("150221").SetKey("D-1").SaveX(sys)
		lastYear := time.Now().Year() - 1
		assessed := c.Assessment.Create().SetPerson(dup).SetRegion(vA).SetYear(lastYear - 1).SetGrade("COMPETENT").SaveX(sys)
		// Both files assessed for last year: which assessment stands is
		// the admin's call, so the merge is refused until one is gone.
		clash := c.Assessment.Create().SetPerson(dup).SetRegion(vA).SetYear(lastYear).SetGrade("COMPETENT").SaveX(sys)
		c.Assessment.Create().SetPerson(s.inA).SetRegion(vA).SetYear(lastYear).SetGrade("EXCELLENT").ExecX(sys)

		merge := `mutation($k: ID!, $m: ID!) { mergePeople(keep: $k, merge: $m) { id name } }`
		vars := func(keep, merge *ent.Person) map[string]any {
			return map[string]any{"k": gid(keep.ID), "m": gid(merge.ID)}
		}
		// Out of scope, or not an admin: refused, nothing moves.
		newAPIAs(t, db, s.county).fails("NOT_FOUND", merge, vars(s.inA, s.outside))
		newAPIAs(t, db, s.townUser).fails("FORBIDDEN", merge, vars(s.inA, dup))
		newAPIAs(t, db, s.county).fails("BAD_USER_INPUT", merge, vars(dup, dup))

		county := newAPIAs(t, db, s.county)
		if r := county.fails("CONFLICT", merge, vars(s.inA, dup)); r.Errors[0].Extensions["reason"] != "SECOND_ASSESSMENT" {
			t.Fatalf("a merge giving one person two assessments of %d: %s", lastYear, r.Raw)
		}
		c.Assessment.DeleteOne(clash).ExecX(sys)
		county.ok(merge, vars(s.inA, dup), nil)
		if _, err := c.Person.Get(sys, dup.ID); !ent.IsNotFound(err) {
			t.Fatalf("the merged file is still there: %v", err)
		}
		for what, got := range map[string]int{
			"post":        c.Post.GetX(sys, dupPost.ID).PersonID,
			"mentorship":  c.Mentorship.GetX(sys, pair.ID).MentorID,
			"appointment": c.AdviserAppointment.GetX(sys, appt.ID).PersonID,
			"assignment":  c.ExpertAssignment.GetX(sys, assign.ID).ExpertID,
			"contact":     *c.ContactLog.GetX(sys, contact.ID).ContactedByID,
			"key":         c.PersonExternalKey.GetX(sys, key.ID).PersonID,
			"assessment":  c.Assessment.GetX(sys, assessed.ID).PersonID,
		} {
			if got != s.inA.ID {
				t.Errorf("the %s was not moved to the kept person", what)
			}
		}
		if n := c.Post.Query().Where(post.PersonID(s.inA.ID)).CountX(sys); n != 2 {
			t.Errorf("the kept person has %d posts, want 2", n)
		}
		kept := c.Person.GetX(sys, s.inA.ID)
		if kept.Ethnicity != "汉族" || kept.ProfessionalTitle != "农艺师" || kept.Phone != "13800138000" || kept.HomeVillageID == nil {
			t.Errorf("fields not filled from the merged file (or the kept ones lost): %+v", kept)
		}
		deleted := c.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionDELETE), auditlog.EntityType("Person")).AllX(sys)
		if len(deleted) != 1 || deleted[0].Before["name"] != "甲村书记" {
			t.Errorf("the delete is not audited with the deleted file: %+v", deleted)
		}
		moves := c.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionUPDATE), auditlog.ReasonContains("mergePeople")).CountX(sys)
		if moves < 5 {
			t.Errorf("%d audit entries of moved records, want one per kind (5)", moves)
		}
		if n := c.PersonExternalKey.Query().Where(personexternalkey.PersonID(s.inA.ID)).CountX(sys); n != 1 {
			t.Errorf("%d keys on the kept person, want 1", n)
		}

		// The moved roster number, shown to admins in scope only.
		keysOf := `query($id: ID!) { node(id: $id) { ... on Person { externalKeys { source key } } } }`
		var got struct {
			Node struct {
				ExternalKeys []struct{ Source, Key string }
			}
		}
		county.ok(keysOf, map[string]any{"id": gid(s.inA.ID)}, &got)
		if len(got.Node.ExternalKeys) != 1 || got.Node.ExternalKeys[0].Key != "D-1" || got.Node.ExternalKeys[0].Source != "150221" {
			t.Errorf("externalKeys for the county admin: %+v", got.Node.ExternalKeys)
		}
		got.Node.ExternalKeys = nil
		newAPIAs(t, db, s.village).ok(keysOf, map[string]any{"id": gid(s.inA.ID)}, &got)
		if len(got.Node.ExternalKeys) != 0 {
			t.Errorf("externalKeys shown to a village user: %+v", got.Node.ExternalKeys)
		}

		// Different ID numbers: not the same person.
		other := c.Person.Create().SetName("甲村书记").SetHomeVillage(vA).SetIDNumber(idWithCheckDigit("15022119800101001")).SaveX(sys)
		county.fails("CONFLICT", merge, vars(s.inA, other))
		// A mentorship of the two would become one of the kept person with
		// themselves: refused with the rule, and nothing changed.
		mentee := c.Person.Create().SetName("乙村主任").SetHomeVillage(vB).SaveX(sys)
		c.Mentorship.Create().SetMentor(s.inB).SetMentee(mentee).SetRegion(vA).SetProgram("TUTOR").SetStartDate(date("2023-01-01")).ExecX(sys)
		resp := county.fails("BAD_USER_INPUT", merge, vars(s.inB, mentee))
		if resp.Errors[0].Extensions["reason"] != "SELF_MENTORING" {
			t.Fatalf("want the rule SELF_MENTORING: %s", resp.Raw)
		}
		if _, err := c.Person.Get(sys, mentee.ID); err != nil {
			t.Fatalf("a refused merge deleted the person: %v", err)
		}
		// Both files mentor the same person, actively: one would have two
		// active pairs with them.
		second := c.Person.Create().SetName("乙村主任").SetHomeVillage(vB).SaveX(sys)
		c.Mentorship.Create().SetMentor(second).SetMentee(s.inC).SetRegion(vA).SetProgram("TUTOR").SetStartDate(date("2023-01-01")).ExecX(sys)
		c.Mentorship.Create().SetMentor(s.inB).SetMentee(s.inC).SetRegion(vA).SetProgram("TUTOR").SetStartDate(date("2023-02-01")).ExecX(sys)
		resp = county.fails("CONFLICT", merge, vars(s.inB, second))
		if resp.Errors[0].Extensions["reason"] != "SECOND_ACTIVE_PAIR" {
			t.Fatalf("want the rule SECOND_ACTIVE_PAIR: %s", resp.Raw)
		}
		// 甲 mentors 乙 (the pair moved above); 乙 mentors 甲's other file:
		// merged, 甲 would be above themselves.
		cyc := c.Person.Create().SetName("甲村书记").SetHomeVillage(vA).SaveX(sys)
		c.Mentorship.Create().SetMentor(s.inB).SetMentee(cyc).SetRegion(vA).SetProgram("TUTOR").SetStartDate(date("2023-03-01")).ExecX(sys)
		resp = county.fails("CONFLICT", merge, vars(s.inA, cyc))
		if resp.Errors[0].Extensions["reason"] != "MENTORING_CYCLE" {
			t.Fatalf("want the rule MENTORING_CYCLE: %s", resp.Raw)
		}
		if n := c.Mentorship.Query().Where(mentorship.MenteeID(cyc.ID)).CountX(sys); n != 1 {
			t.Fatalf("a refused merge moved records (%d left)", n)
		}
	})
}
