package graph_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/dutyitem"
)

// Duty items follow their village: each role reads and writes those of its
// subtree — a village user its own village's — through the connection,
// node(id), a person's edge and filters; partners none; anonymous viewers
// are told to sign in.
func TestDutyItemsInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx := auth.System(context.Background())
		c := db.Client
		year := time.Now().Year()
		inA := c.DutyItem.Create().SetPerson(s.inA).SetRegion(s.villages[0]).SetYear(year).SetTask("修通组道").SetKind(dutyitem.KindKEY).SaveX(ctx)
		inB := c.DutyItem.Create().SetPerson(s.inB).SetRegion(s.villages[1]).SetYear(year).SetTask("建合作社").SetKind(dutyitem.KindHARD).SaveX(ctx)
		out := c.DutyItem.Create().SetPerson(s.outside).SetRegion(s.other).SetYear(year).SetTask("外县事项").SetKind(dutyitem.KindHIGHLIGHT).SaveX(ctx)
		const q = `{ dutyItems { totalCount edges { node { id } } } hard: dutyItems(where: {kind: HIGHLIGHT}) { totalCount } }`
		for _, c := range []struct {
			name    string
			v       *auth.Viewer
			want    []int
			outSeen bool
		}{
			{"national", s.national, []int{inA.ID, inB.ID, out.ID}, true},
			{"county", s.county, []int{inA.ID, inB.ID}, false},
			{"township", s.townUser, []int{inA.ID, inB.ID}, false},
			{"village", s.village, []int{inA.ID}, false},
			{"partner", s.partner, nil, false},
		} {
			var got struct {
				DutyItems struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
				Hard struct{ TotalCount int }
			}
			as := newAPIAs(t, db, c.v)
			as.ok(q, nil, &got)
			var ids []string
			for _, e := range got.DutyItems.Edges {
				ids = append(ids, e.Node.ID)
			}
			if !slices.Equal(sorted(ids), sorted(gids(c.want))) || got.DutyItems.TotalCount != len(c.want) {
				t.Errorf("%s sees duty items %v, want %v", c.name, ids, gids(c.want))
			}
			if (got.Hard.TotalCount == 1) != c.outSeen {
				t.Errorf("%s: a filter finds %d of the other county's items", c.name, got.Hard.TotalCount)
			}
			node := `query($id: ID!) { node(id: $id) { id } }`
			if c.outSeen {
				as.ok(node, map[string]any{"id": gid(out.ID)}, nil)
			} else {
				as.fails("NOT_FOUND", node, map[string]any{"id": gid(out.ID)})
			}
		}
		var p struct {
			Node *struct{ DutyItems struct{ TotalCount int } }
		}
		newAPIAs(t, db, s.village).ok(`query($id: ID!) { node(id: $id) { ... on Person { dutyItems { totalCount } } } }`,
			map[string]any{"id": gid(s.inA.ID)}, &p)
		if p.Node == nil || p.Node.DutyItems.TotalCount != 1 {
			t.Errorf("the village user reads %+v of 甲村书记's duty items", p.Node)
		}
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", `{ dutyItems { totalCount } }`, nil)

		// Writes: the village records its own progress, nobody else's.
		village := newAPIAs(t, db, s.village)
		done := `mutation($id: ID!) { updateDutyItem(id: $id, input: {status: DONE, evidence: "验收单"}) { status completedOn } }`
		var upd struct {
			UpdateDutyItem struct {
				Status      string
				CompletedOn *string
			}
		}
		village.ok(done, map[string]any{"id": gid(inA.ID)}, &upd)
		if upd.UpdateDutyItem.Status != "DONE" || upd.UpdateDutyItem.CompletedOn == nil {
			t.Errorf("a DONE item without its completion date: %+v", upd.UpdateDutyItem)
		}
		village.fails("NOT_FOUND", done, map[string]any{"id": gid(inB.ID)})
		newAPIAs(t, db, s.county).fails("NOT_FOUND", done, map[string]any{"id": gid(out.ID)})
		create := `mutation($p: ID!, $r: ID!) { createDutyItem(input: {personID: $p, regionID: $r, year: 2024, task: "任务", kind: KEY}) { id } }`
		village.fails("FORBIDDEN", create, map[string]any{"p": gid(s.inA.ID), "r": gid(s.villages[2].ID)})
		village.ok(create, map[string]any{"p": gid(s.inA.ID), "r": gid(s.villages[0].ID)}, nil)
		newAPIAs(t, db, s.partner).fails("FORBIDDEN", create, map[string]any{"p": gid(s.inA.ID), "r": gid(s.villages[0].ID)})
		if st := c.DutyItem.GetX(ctx, inB.ID).Status; st != dutyitem.StatusOPEN {
			t.Fatalf("a refused update changed another village's item to %s", st)
		}
	})
}

// A duty item's state stays whole: a completion date only on a done item,
// not after today; an item set back from DONE loses its date; a village
// elsewhere than a village is refused. Overdue items are alerts, and the
// statistics count the year's items per village as they stood on the date
// — checked against a count made here from the rows.
func TestDutyItemRulesAlertsAndFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorld(t, db.Client)
		ctx := auth.System(context.Background())
		c := db.Client
		a := newAPI(t, db)
		p := a.person("李委员")
		create := `mutation($in: CreateDutyItemInput!) { createDutyItem(input: $in) { id completedOn } }`
		in := func(extra map[string]any) map[string]any {
			m := map[string]any{"personID": p, "regionID": gid(w.villages[0].ID), "year": time.Now().Year(), "task": "修渠", "kind": "KEY"}
			for k, v := range extra {
				m[k] = v
			}
			return map[string]any{"in": m}
		}
		tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
		for _, bad := range []struct {
			extra         map[string]any
			field, reason string
		}{
			{map[string]any{"completedOn": "2024-05-01"}, "completedOn", "COMPLETED_NOT_DONE"},
			{map[string]any{"status": "DONE", "completedOn": tomorrow}, "completedOn", "DATE_IN_FUTURE"},
			{map[string]any{"year": 1900}, "year", "YEAR_OUT_OF_RANGE"},
			{map[string]any{"regionID": gid(w.township.ID)}, "regionID", "WRONG_LEVEL"},
		} {
			r := a.fails("BAD_USER_INPUT", create, in(bad.extra))
			if r.Errors[0].Extensions["field"] != bad.field || r.Errors[0].Extensions["reason"] != bad.reason {
				t.Errorf("%v: %s", bad.extra, r.Raw)
			}
		}
		var made struct {
			CreateDutyItem struct {
				ID          string
				CompletedOn *string
			}
		}
		a.ok(create, in(map[string]any{"status": "DONE"}), &made)
		if made.CreateDutyItem.CompletedOn == nil {
			t.Fatal("a DONE item was created without a completion date")
		}
		var back struct{ UpdateDutyItem struct{ CompletedOn *string } }
		a.ok(`mutation($id: ID!) { updateDutyItem(id: $id, input: {status: OPEN}) { completedOn } }`, map[string]any{"id": made.CreateDutyItem.ID}, &back)
		if back.UpdateDutyItem.CompletedOn != nil {
			t.Fatalf("an item set back to OPEN kept its completion date %s", *back.UpdateDutyItem.CompletedOn)
		}

		// A year of items over the four villages, some overdue, some done
		// before or after the date asked for, one cancelled.
		asOf := time.Date(time.Now().Year(), 6, 30, 0, 0, 0, 0, time.UTC)
		if asOf.After(time.Now()) {
			asOf = asOf.AddDate(-1, 0, 0)
		}
		person := c.Person.Create().SetName("王书记").SaveX(ctx)
		type item struct {
			village            int
			deadline, doneOn   string // "" for none; days relative to asOf as dates
			cancelled, overdue bool
		}
		d := func(days int) string { return asOf.AddDate(0, 0, days).Format(time.DateOnly) }
		items := []item{
			{0, d(-10), "", false, true},      // past its deadline, not done
			{0, d(-10), d(-12), false, false}, // done in time
			{0, d(-10), d(-5), false, false},  // done late, but done by the date
			{1, d(-20), d(+3), false, true},   // done only after the date: overdue on it
			{1, d(+30), "", false, false},     // not yet due
			{2, d(-40), "", true, false},      // cancelled
			{3, "", "", false, false},         // no deadline
			{3, d(-1), "", false, true},       // a day late
		}
		want := map[int]map[string]int{}
		var wantAlerts []int
		for _, it := range items {
			b := c.DutyItem.Create().SetPerson(person).SetRegion(w.villages[it.village]).SetYear(asOf.Year()).SetTask("事项").SetKind(dutyitem.KindKEY)
			if it.deadline != "" {
				b.SetDeadline(date(it.deadline))
			}
			if it.doneOn != "" {
				b.SetStatus(dutyitem.StatusDONE).SetCompletedOn(date(it.doneOn))
			}
			if it.cancelled {
				b.SetStatus(dutyitem.StatusCANCELLED)
			}
			row, err := b.Save(ctx)
			if err != nil {
				if it.doneOn > time.Now().Format(time.DateOnly) {
					continue // a completion still to come cannot be entered
				}
				t.Fatal(err)
			}
			if it.overdue {
				wantAlerts = append(wantAlerts, row.ID)
			}
		}
		// The expected figures, counted from the rows here.
		rows := c.DutyItem.Query().Where(dutyitem.Year(asOf.Year())).WithRegion().AllX(ctx)
		for _, r := range rows {
			code := r.Edges.Region.Code
			if want[len(code)] == nil {
				want[len(code)] = map[string]int{}
			}
			f := want[len(code)]
			f["items"]++
			switch {
			case r.CompletedOn != nil && !r.CompletedOn.After(asOf):
				f["done"]++
			case r.Status == dutyitem.StatusCANCELLED:
				f["cancelled"]++
			case r.Deadline != nil && r.Deadline.Before(asOf):
				f["overdue"]++
			default:
				f["open"]++
			}
		}
		var st struct {
			RegionStatistics struct {
				Duties struct{ Items, Done, Cancelled, Overdue, Open int }
			}
			Alerts struct {
				Edges []struct {
					Node struct{ Node struct{ ID string } }
				}
			}
		}
		a.ok(`query($d: Date!) { regionStatistics(code: "150221", asOf: $d) { duties { items done cancelled overdue open } }
			alerts(code: "150221", kinds: [DUTY_OVERDUE], asOf: $d, first: 50) { edges { node { node { id } } } } }`,
			map[string]any{"d": asOf.Format(time.DateOnly)}, &st)
		f, g := want[12], st.RegionStatistics.Duties
		if g.Items != f["items"] || g.Done != f["done"] || g.Cancelled != f["cancelled"] || g.Overdue != f["overdue"] || g.Open != f["open"] {
			t.Errorf("duty figures %+v, counted %v", g, f)
		}
		var alerted []string
		for _, e := range st.Alerts.Edges {
			alerted = append(alerted, e.Node.Node.ID)
		}
		// The first item, created above through the API for this year,
		// may be overdue too when this year is asOf's: only this fixture's
		// items are compared.
		var mine []string
		fixture := map[string]bool{}
		for _, r := range rows {
			fixture[gid(r.ID)] = r.PersonID == person.ID
		}
		for _, id := range alerted {
			if fixture[id] {
				mine = append(mine, id)
			}
		}
		if !slices.Equal(sorted(mine), sorted(gids(wantAlerts))) {
			t.Errorf("DUTY_OVERDUE alerts %v, want %v", mine, gids(wantAlerts))
		}
	})
}
