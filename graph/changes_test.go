package graph_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/servicerecord"
)

type feedChange struct {
	Position, Kind, Type, ID string
	Node                     *struct {
		ID       string
		Typename string `json:"__typename"`
	}
}

type feedPage struct {
	Changes []feedChange
	Cursor  string
	HasMore bool
}

const feedQuery = `query($since: String, $first: Int) { changes(since: $since, first: $first) {
	changes { position kind type id node { id __typename } } cursor hasMore } }`

// feed reads the whole feed after since, first entries at a time, checking
// that positions only grow and that every page resumes where the last one
// stopped.
func (a *api) feed(since string, first int) []feedChange {
	a.t.Helper()
	var all []feedChange
	last := ""
	for range 1000 {
		var out struct{ Changes feedPage }
		vars := map[string]any{"first": first}
		if since != "" {
			vars["since"] = since
		}
		a.ok(feedQuery, vars, &out)
		for _, c := range out.Changes.Changes {
			if last != "" && position(a.t, c.Position) <= position(a.t, last) {
				a.t.Fatalf("the feed goes back: %s after %s", c.Position, last)
			}
			last = c.Position
			if (c.Node != nil) != (c.Kind == "CREATED" || c.Kind == "UPDATED") {
				a.t.Errorf("%s %s %s comes with node %v", c.Kind, c.Type, c.ID, c.Node)
			}
			if c.Node != nil && (c.Node.ID != c.ID || c.Node.Typename != c.Type) {
				a.t.Errorf("change of %s %s carries node %+v", c.Type, c.ID, *c.Node)
			}
		}
		all = append(all, out.Changes.Changes...)
		since = out.Changes.Cursor
		if !out.Changes.HasMore {
			return all
		}
	}
	a.t.Fatal("the feed never ends")
	return nil
}

func (a *api) head() string {
	a.t.Helper()
	var out struct{ ChangesHead string }
	a.ok(`{ changesHead }`, nil, &out)
	return out.ChangesHead
}

// position decodes a cursor the way the test knows it is made: the feed's
// row id (only the order matters here).
func position(t *testing.T, s string) int {
	t.Helper()
	var n int
	b, err := base64URL(s)
	if err != nil || !strings.HasPrefix(b, "feed:") {
		t.Fatalf("cursor %q: %v", s, err)
	}
	fmt.Sscan(strings.TrimPrefix(b, "feed:"), &n)
	return n
}

// latest is what a client keeps of a feed: the last kind seen per object.
func latest(changes []feedChange) map[string]string {
	out := map[string]string{}
	for _, c := range changes {
		out[c.Type+" "+c.ID] = c.Kind
	}
	return out
}

// The change feed tells each viewer what changed within their scope, in
// commit order, resumably: writes of several kinds through the API (in
// mutation transactions) and by the system (outside one), an update that
// moves a record to another village, deletions (tombstones), and a
// rolled-back mutation (nothing). A village user never receives another
// village's change, a partner only its experts', anonymous callers are
// told to sign in.
func TestChangeFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		c := db.Client
		viewers := map[string]*auth.Viewer{"national": s.national, "county": s.county, "township": s.townUser, "village": s.village, "partner": s.partner}
		heads := map[string]string{}
		for name, v := range viewers {
			heads[name] = newAPIAs(t, db, v).head()
		}
		// The scoped world's own records are in everyone's feed from the
		// beginning, as far as they see: the village user sees 甲村书记 (put
		// there by a post: UPDATED, their latest change).
		var vil struct{ Changes feedPage }
		newAPIAs(t, db, s.village).ok(feedQuery, map[string]any{"first": 500}, &vil)
		if got := latest(vil.Changes.Changes); got["Person "+gid(s.inA.ID)] == "" || got["Person "+gid(s.outside.ID)] != "" {
			t.Errorf("from the beginning, the village user's feed holds %v", got)
		}

		county := newAPIAs(t, db, s.county)
		village := newAPIAs(t, db, s.village)
		vA, vB := s.villages[0], s.villages[1]
		// A contact log in village A, by its own user.
		var log struct{ CreateContactLog struct{ ID string } }
		village.ok(`mutation($in: CreateContactLogInput!) { createContactLog(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"appointmentID": gid(s.apptA.ID), "date": "2024-05-01", "mode": "VISIT"}}, &log)
		// Duty items in villages A and B by the county, one updated.
		create := `mutation($p: ID!, $r: ID!) { createDutyItem(input: {personID: $p, regionID: $r, year: 2024, task: "任务", kind: KEY}) { id } }`
		var inA, inB struct{ CreateDutyItem struct{ ID string } }
		county.ok(create, map[string]any{"p": gid(s.inA.ID), "r": gid(vA.ID)}, &inA)
		county.ok(create, map[string]any{"p": gid(s.inB.ID), "r": gid(vB.ID)}, &inB)
		county.ok(`mutation($id: ID!) { updateDutyItem(id: $id, input: {status: DONE, evidence: "验收单"}) { id } }`,
			map[string]any{"id": inB.CreateDutyItem.ID}, nil)
		// The village user may not write in village B: refused, and nothing
		// reaches the feed from the rolled-back transaction.
		if r := village.do(create, map[string]any{"p": gid(s.inA.ID), "r": gid(vB.ID)}); len(r.Errors) == 0 {
			t.Fatalf("the village user wrote in village B: %s", r.Raw)
		}
		// Another county's item, written and deleted by the system (no
		// transaction around either).
		out := c.DutyItem.Create().SetPerson(s.outside).SetRegion(s.other).SetYear(2024).SetTask("外县").SetKind(dutyitem.KindKEY).SaveX(sys)
		c.DutyItem.DeleteOneID(out.ID).ExecX(sys)
		// A person who moves from village A to village B.
		moved := c.Person.Create().SetName("搬家的人").SetHomeVillage(vA).SaveX(sys)
		c.Person.UpdateOneID(moved.ID).SetHomeVillage(vB).ExecX(sys)
		// The partner's expert's service, recorded and deleted.
		var svc struct{ CreateServiceRecord struct{ ID string } }
		newAPIAs(t, db, s.national).ok(`mutation($in: CreateServiceRecordInput!) { createServiceRecord(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"assignmentID": gid(s.assignExp.ID), "date": "2024-06-01", "kind": "TRAINING"}}, &svc)
		kept := c.ServiceRecord.Create().SetAssignmentID(s.assignExp.ID).SetDate(date("2024-06-02")).SetKind(servicerecord.KindTRAINING).SaveX(sys)
		newAPIAs(t, db, s.national).ok(`mutation($id: ID!) { deleteServiceRecord(id: $id) }`, map[string]any{"id": svc.CreateServiceRecord.ID}, nil)
		// The contact log is deleted by the county: a tombstone in village A.
		county.ok(`mutation($id: ID!) { deleteContactLog(id: $id) }`, map[string]any{"id": log.CreateContactLog.ID}, nil)

		logA, dutyA, dutyB := "ContactLog "+log.CreateContactLog.ID, "DutyItem "+inA.CreateDutyItem.ID, "DutyItem "+inB.CreateDutyItem.ID
		outK, movedK := "DutyItem "+gid(out.ID), "Person "+gid(moved.ID)
		svcK, keptK := "ServiceRecord "+svc.CreateServiceRecord.ID, "ServiceRecord "+gid(kept.ID)
		// Each object's latest change: B's item and the person who moved
		// were updated after they were created.
		want := map[string]map[string]string{
			"national": {logA: "DELETED", dutyA: "CREATED", dutyB: "UPDATED", outK: "DELETED", movedK: "UPDATED", svcK: "DELETED", keptK: "CREATED"},
			"county":   {logA: "DELETED", dutyA: "CREATED", dutyB: "UPDATED", movedK: "UPDATED", svcK: "DELETED", keptK: "CREATED"},
			"township": {logA: "DELETED", dutyA: "CREATED", dutyB: "UPDATED", movedK: "UPDATED", svcK: "DELETED", keptK: "CREATED"},
			// Village A: its own log and item; the person who moved left it.
			"village": {logA: "DELETED", dutyA: "CREATED", movedK: "REMOVED"},
			"partner": {svcK: "DELETED", keptK: "CREATED"},
		}
		for name, v := range viewers {
			a := newAPIAs(t, db, v)
			whole := a.feed(heads[name], 500)
			got := latest(whole)
			if fmt.Sprint(got) != fmt.Sprint(want[name]) {
				t.Errorf("%s's feed: %v, want %v", name, got, want[name])
			}
			// One entry at a time gives the same feed.
			if one := latest(a.feed(heads[name], 1)); fmt.Sprint(one) != fmt.Sprint(got) {
				t.Errorf("%s's feed one by one: %v, whole: %v", name, one, got)
			}
		}
		// Village B sees the person who moved in, and its own item.
		villageB := newUser(t, db, "villageB", auth.RoleVillage, vB.Code, 0, false)
		gotB := latest(newAPIAs(t, db, villageB).feed(heads["village"], 500))
		if fmt.Sprint(gotB) != fmt.Sprint(map[string]string{movedK: "UPDATED", dutyB: "UPDATED"}) {
			t.Errorf("village B's feed: %v", gotB)
		}
		// A later update is UPDATED, after the cursor the client kept.
		cur := county.head()
		county.ok(`mutation($id: ID!) { updateDutyItem(id: $id, input: {task: "改了"}) { id } }`, map[string]any{"id": inA.CreateDutyItem.ID}, nil)
		if got := latest(county.feed(cur, 10)); fmt.Sprint(got) != fmt.Sprint(map[string]string{dutyA: "UPDATED"}) {
			t.Errorf("after the cursor: %v", got)
		}
		if got := latest(newAPIAs(t, db, villageB).feed(cur, 10)); len(got) != 0 {
			t.Errorf("village B learns of village A's update: %v", got)
		}

		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", feedQuery, nil)
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", `{ changesHead }`, nil)
		county.fails("BAD_USER_INPUT", feedQuery, map[string]any{"since": "not-a-cursor"})
		county.fails("BAD_USER_INPUT", feedQuery, map[string]any{"first": 0})
		county.fails("BAD_USER_INPUT", feedQuery, map[string]any{"first": 501})
	})
}

// The feed follows commit order, not the order writes began: a transaction
// that wrote first and commits last comes after a cursor taken between the
// two commits (PostgreSQL, where writers run at once).
func TestChangeFeedCommitOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		if !strings.Contains(db.URL, "postgres") {
			t.Skip("SQLite has one writer at a time")
		}
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		first, err := db.Client.Tx(sys)
		if err != nil {
			t.Fatal(err)
		}
		early := first.DutyItem.Create().SetPerson(s.inA).SetRegion(s.villages[0]).SetYear(2024).SetTask("先写后交").SetKind(dutyitem.KindKEY).SaveX(sys)
		late := db.Client.DutyItem.Create().SetPerson(s.inA).SetRegion(s.villages[0]).SetYear(2024).SetTask("后写先交").SetKind(dutyitem.KindKEY).SaveX(sys)
		a := newAPIAs(t, db, s.county)
		seen := a.feed("", 500)
		cursor := seen[len(seen)-1].Position
		if latest(seen)["DutyItem "+gid(late.ID)] != "CREATED" || latest(seen)["DutyItem "+gid(early.ID)] != "" {
			t.Fatalf("before the first commit: %v", latest(seen))
		}
		if err := first.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := latest(a.feed(cursor, 500)); !slices.Equal([]string{got["DutyItem "+gid(early.ID)]}, []string{"CREATED"}) {
			t.Errorf("after the cursor, the later commit: %v", got)
		}
	})
}

func base64URL(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return string(b), err
}
