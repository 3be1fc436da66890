package insight_test

import (
	"context"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/post"
	"yanzhen/insight"
)

func TestPersonTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		type row struct {
			kind        insight.TimelineKind
			id          int
			start, end  string
			region      int
			title       string
			counterpart int
		}
		flat := func(personID int) []row {
			t.Helper()
			es, err := insight.PersonTimeline(ctx, db.Client, personID)
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, e := range es {
				r := row{e.Kind, e.ID, e.StartDate.Format("2006-01-02"), "", e.RegionID, e.Title, e.CounterpartID}
				if e.EndDate != nil {
					r.end = e.EndDate.Format("2006-01-02")
				}
				out = append(out, r)
			}
			return out
		}
		// 孙七 (E): mentee of C from 2022 (ms1, to 2023-12-31), 副书记 of V3 from
		// 2023, mentor of B from 2023-03 (ms5).
		deputy := db.Client.Post.Query().Where(post.PersonID(f.e.ID)).OnlyX(ctx)
		want := []row{
			{insight.MentoredEntry, f.ms1.ID, "2022-01-01", "2023-12-31", f.v3.ID, "QINGLAN", f.c.ID},
			{insight.PostEntry, deputy.ID, "2023-01-01", "", f.v3.ID, "DEPUTY_SECRETARY", 0},
			{insight.MentoringEntry, f.ms5.ID, "2023-03-01", "", f.v1.ID, "QINGLAN", f.b.ID},
		}
		if got := flat(f.e.ID); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("timeline of E:\n got %v\nwant %v", got, want)
		}
		// 郑十一 (I): reserve 2019-05 to 2019-12, mentee 2019-06 to 2019-12, 委员 from 2020-03.
		got := flat(f.i.ID)
		if len(got) != 3 || got[0].title != "RESERVE_CADRE" || got[0].end != "2019-12-31" || got[1].kind != insight.MentoredEntry ||
			got[2].title != "COMMITTEE_MEMBER" {
			t.Errorf("timeline of I: %v", got)
		}
		got = flat(f.x5.ID)
		if len(got) != 1 || got[0].kind != insight.AssignmentEntry || got[0].id != f.asX5.ID || got[0].title != insight.AssignmentTitle {
			t.Errorf("timeline of X5: %v", got)
		}
		got = flat(f.j.ID)
		if len(got) != 1 || got[0].kind != insight.AppointmentEntry || got[0].title != "HONORARY_SECRETARY" {
			t.Errorf("timeline of J: %v", got)
		}
		if got := flat(f.x2.ID); len(got) != 0 {
			t.Errorf("X2 has no history: %v", got)
		}
		if _, err := insight.PersonTimeline(ctx, db.Client, f.v1.ID); err == nil {
			t.Error("a region's ID gave a timeline")
		}
		db.Statements.Reset()
		flat(f.c.ID)
		if n := db.Statements.Count(); n != 3 {
			t.Errorf("a timeline took %d statements, want 3 (existence, union, attribute periods)", n)
		}
	})
}

func TestPostHolders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		holders := func(v int, role post.Role, on string) []int {
			ps := insight.PostHolders(db.Client, v, role, date(on)).AllX(ctx)
			var ids []int
			for _, p := range ps {
				ids = append(ids, p.PersonID)
			}
			return ids
		}
		cases := []struct {
			village int
			role    post.Role
			on      string
			want    []int
		}{
			{f.v3.ID, post.RolePARTY_SECRETARY, "2021-06-01", []int{f.c.ID}},
			{f.v3.ID, post.RolePARTY_SECRETARY, "2019-12-31", nil}, // before C's term
			{f.v3.ID, post.RolePARTY_SECRETARY, "2020-01-01", []int{f.c.ID}},
			{f.v3.ID, post.RoleRESERVE_CADRE, "2019-12-31", []int{f.i.ID}}, // last day of I's term
			{f.v3.ID, post.RoleRESERVE_CADRE, "2020-01-01", nil},
			{f.v2.ID, post.RoleCOMMITTEE_MEMBER, "2023-06-01", []int{f.d.ID}},
			{f.v1.ID, post.RoleRESERVE_CADRE, "2024-06-30", []int{f.g.ID, f.h.ID}},
			// A's 一肩挑 holds the secretary's and the director's office.
			{f.v1.ID, post.RolePARTY_SECRETARY, "2022-01-01", []int{f.a.ID}},
			{f.v1.ID, post.RoleCOMMITTEE_DIRECTOR, "2022-01-01", []int{f.a.ID}},
			{f.v1.ID, post.RoleSECRETARY_AND_DIRECTOR, "2022-01-01", []int{f.a.ID}},
			{f.v1.ID, post.RoleCOMMITTEE_DIRECTOR, "2020-12-31", nil},
			// In V2 the two offices are two people's.
			{f.v2.ID, post.RolePARTY_SECRETARY, "2024-08-01", []int{f.g.ID}},
			{f.v2.ID, post.RoleCOMMITTEE_DIRECTOR, "2024-08-01", []int{f.f.ID}},
			{f.v2.ID, post.RoleSECRETARY_AND_DIRECTOR, "2024-08-01", nil},
			{f.v3.ID, post.RoleDEPUTY_SECRETARY, "2024-08-01", []int{f.e.ID}}, // a deputy is no secretary
		}
		for _, c := range cases {
			got := holders(c.village, c.role, c.on)
			if fmt := len(got) == len(c.want); !fmt {
				t.Errorf("%s on %s: %v, want %v", c.role, c.on, got, c.want)
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s on %s: %v, want %v", c.role, c.on, got, c.want)
				}
			}
		}
	})
}
