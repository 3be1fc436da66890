package graph_test

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
)

// TestDatedAttributesAPI: changePersonAttribute and correctPersonAttribute
// through the API — who may, the errors' codes and fields, the history on
// the person for those who see them, the timeline, the audit.
func TestDatedAttributesAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		other := newUser(t, db, "haibowan", auth.RoleAdmin, "150302", 0, false)
		change := `mutation($in: ChangePersonAttributeInput!) { changePersonAttribute(input: $in) {
			education attributeHistory { id attribute value validFrom validUntil correctedAt } } }`
		in := func(value, from string) map[string]any {
			return map[string]any{"in": map[string]any{"personID": gid(s.inB.ID), "attribute": "EDUCATION", "value": value, "from": from, "note": "国家开放大学"}}
		}
		newAPIAs(t, db, s.village).fails("FORBIDDEN", change, in("BACHELOR", "2023-06-01"))
		newAPIAs(t, db, s.partner).fails("FORBIDDEN", change, in("BACHELOR", "2023-06-01"))
		newAPIAs(t, db, s.townUser).fails("FORBIDDEN", change, in("BACHELOR", "2023-06-01"))
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", change, in("BACHELOR", "2023-06-01"))
		if r := newAPIAs(t, db, other).fails("NOT_FOUND", change, in("BACHELOR", "2023-06-01")); r.Errors[0].Extensions["field"] != "personID" {
			t.Errorf("another county's admin: %s", r.Raw)
		}
		county := newAPIAs(t, db, s.county)
		if r := county.fails("BAD_USER_INPUT", change, in("PHD", "2023-06-01")); r.Errors[0].Extensions["field"] != "value" {
			t.Errorf("bad value: %s", r.Raw)
		}
		if r := county.fails("BAD_USER_INPUT", change, in("BACHELOR", "2999-01-01")); r.Errors[0].Extensions["field"] != "from" {
			t.Errorf("future: %s", r.Raw)
		}
		type period struct {
			ID, Attribute, Value  string
			ValidFrom, ValidUntil *string
			CorrectedAt           *string
		}
		var out struct {
			ChangePersonAttribute struct {
				Education        *string
				AttributeHistory []period
			}
		}
		county.ok(change, in("BACHELOR", "2023-06-01"), &out)
		got := out.ChangePersonAttribute
		if got.Education == nil || *got.Education != "BACHELOR" || len(got.AttributeHistory) != 2 {
			t.Fatalf("after the change: %+v", got)
		}
		var old period
		for _, p := range got.AttributeHistory {
			if p.ValidFrom == nil {
				old = p
			}
		}
		if old.Value != "" || old.ValidUntil == nil || *old.ValidUntil != "2023-06-01" {
			t.Fatalf("the old period: %+v", old)
		}
		// The history is seen by those who see the person, and only them.
		history := `query($id: ID!) { node(id: $id) { ... on Person { attributeHistory { value } } } }`
		var seen struct {
			Node *struct{ AttributeHistory []struct{ Value string } }
		}
		newAPIAs(t, db, s.townUser).ok(history, map[string]any{"id": gid(s.inB.ID)}, &seen)
		if seen.Node == nil || len(seen.Node.AttributeHistory) != 2 {
			t.Errorf("the township user sees %+v", seen.Node)
		}
		if r := newAPIAs(t, db, other).do(history, map[string]any{"id": gid(s.inB.ID)}); string(r.Data) != `{"node":null}` {
			t.Errorf("another county's admin reads the history: %s", r.Raw)
		}
		r := newAPIAs(t, db, other).do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": old.ID})
		if string(r.Data) != `{"node":null}` {
			t.Errorf("another county's admin reads a period: %s", r.Raw)
		}
		// A correction: the same roles; the period is marked.
		correct := `mutation($id: ID!, $v: String!) { correctPersonAttribute(id: $id, value: $v, note: "录入错误") { value correctedAt } }`
		vars := map[string]any{"id": old.ID, "v": "HIGH_SCHOOL"}
		newAPIAs(t, db, s.village).fails("FORBIDDEN", correct, vars)
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", correct, vars)
		newAPIAs(t, db, other).fails("NOT_FOUND", correct, vars)
		var corr struct {
			CorrectPersonAttribute struct {
				Value       string
				CorrectedAt *string
			}
		}
		county.ok(correct, vars, &corr)
		if corr.CorrectPersonAttribute.Value != "HIGH_SCHOOL" || corr.CorrectPersonAttribute.CorrectedAt == nil {
			t.Errorf("corrected: %+v", corr)
		}
		var tl struct {
			PersonTimeline []struct {
				Kind  string
				Title string
				Node  struct {
					Typename string `json:"__typename"`
				}
			}
		}
		county.ok(`query($p: ID!) { personTimeline(personID: $p) { kind title node { __typename } } }`, map[string]any{"p": gid(s.inB.ID)}, &tl)
		kinds := map[string]string{}
		for _, e := range tl.PersonTimeline {
			if e.Node.Typename == "PersonAttribute" {
				kinds[e.Kind] = e.Title
			}
		}
		if kinds["ATTRIBUTE_CHANGED"] != "学历：高中 → 本科" || kinds["ATTRIBUTE_CORRECTED"] != "学历（更正）：高中" {
			t.Errorf("timeline: %+v", tl.PersonTimeline)
		}
		// Audited, as the county's admin.
		sys := auth.System(context.Background())
		if n := db.Client.AuditLog.Query().Where(auditlog.EntityType("PersonAttribute"), auditlog.ActorID(s.county.UserID)).CountX(sys); n < 3 {
			t.Errorf("%d audit entries of periods by the county admin, want at least 3 (two created, one corrected)", n)
		}
	})
}
