package insight_test

import (
	"context"
	"reflect"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/errcode"
	"yanzhen/insight"
)

func TestLineage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		type row struct {
			person, depth, mentorship, active, total int
			path                                     []int
		}
		got := func(root int, dir insight.Direction, depth int) []row {
			t.Helper()
			es, err := insight.Lineage(ctx, db.Client, root, dir, depth)
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, e := range es {
				out = append(out, row{e.PersonID, e.Depth, e.MentorshipID, e.ActiveMentees, e.TotalMentees, e.Path})
			}
			return out
		}
		// 李明 (C) mentors 孙七 (E, ms1, active) and 郑十一 (I, ms4, completed);
		// E mentors 王建国 (B, ms5, active).
		c, e, b, i := f.c.ID, f.e.ID, f.b.ID, f.i.ID
		want := []row{
			{c, 0, 0, 1, 2, []int{c}},
			{e, 1, f.ms1.ID, 1, 1, []int{c, e}},
			{b, 2, f.ms5.ID, 0, 0, []int{c, e, b}},
			{i, 1, f.ms4.ID, 0, 0, []int{c, i}},
		}
		if g := got(c, insight.Descendants, 3); !reflect.DeepEqual(g, want) {
			t.Errorf("descendants of C:\n got %v\nwant %v", g, want)
		}
		if g := got(c, insight.Descendants, 1); !reflect.DeepEqual(g, []row{want[0], want[1], want[3]}) {
			t.Errorf("depth 1: %v", g)
		}
		if g := got(c, insight.Descendants, 0); !reflect.DeepEqual(g, want[:1]) {
			t.Errorf("depth 0 should be the root alone: %v", g)
		}
		wantUp := []row{
			{b, 0, 0, 0, 0, []int{b}},
			{e, 1, f.ms5.ID, 1, 1, []int{b, e}},
			{c, 2, f.ms1.ID, 1, 2, []int{b, e, c}},
		}
		if g := got(b, insight.Ancestors, 10); !reflect.DeepEqual(g, wantUp) {
			t.Errorf("ancestors of B:\n got %v\nwant %v", g, wantUp)
		}
		for _, d := range []int{-1, 11} {
			_, err := insight.Lineage(ctx, db.Client, c, insight.Descendants, d)
			if e, ok := errcode.As(err); !ok || e.Code != errcode.BadUserInput {
				t.Errorf("depth %d: want BAD_USER_INPUT, got %v", d, err)
			}
		}
		_, err := insight.Lineage(ctx, db.Client, f.u1.ID, insight.Descendants, 2)
		if e, ok := errcode.As(err); !ok || e.Code != errcode.NotFound {
			t.Errorf("unknown person: want NOT_FOUND, got %v", err)
		}
		db.Statements.Reset()
		got(c, insight.Descendants, 10)
		if n := db.Statements.Count(); n != 1 {
			t.Errorf("a lineage took %d statements, want 1", n)
		}
	})
}

func TestReservePipeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		// Cohort in 土右旗: reserves G, H, I; mentees E, G, H, I, B → 5 people.
		// Later posts: G 党组织书记 at V2 (2024 > 2022), I 委员 (2020-03 > 2019-05),
		// E 副书记 (2023 > 2022); B's 委员 post (2021) predates his mentorship (2023).
		p, err := insight.ReservePipeline(ctx, db.Client, "150221", 10)
		if err != nil {
			t.Fatal(err)
		}
		if r := db.Client.Region.GetX(ctx, p.RegionID); r.Code != "150221" {
			t.Fatalf("region %s", r.Code)
		}
		want := insight.Pipeline{RegionID: p.RegionID, People: 5, Reserves: 3, Mentees: 5, Mentored: 5, BecameSecretaries: 1, BecameCommittee: 3,
			Mentors: []insight.PipelineMentor{
				{MentorID: f.a.ID, Mentees: 2, BecameSecretaries: 1, BecameCommittee: 1},
				{MentorID: f.c.ID, Mentees: 2, BecameSecretaries: 0, BecameCommittee: 2},
				{MentorID: f.e.ID, Mentees: 1, BecameSecretaries: 0, BecameCommittee: 0},
			}}
		if !reflect.DeepEqual(*p, want) {
			t.Errorf("pipeline:\n got %+v\nwant %+v", *p, want)
		}
		// 双龙镇 only: reserve I; mentees E, I (ms1, ms4 are in V3).
		p, err = insight.ReservePipeline(ctx, db.Client, "150221101", 1)
		if err != nil {
			t.Fatal(err)
		}
		if p.People != 2 || p.Reserves != 1 || p.Mentees != 2 || p.BecameSecretaries != 0 || p.BecameCommittee != 2 ||
			len(p.Mentors) != 1 || p.Mentors[0].MentorID != f.c.ID {
			t.Errorf("双龙镇 pipeline: %+v", *p)
		}
		p, err = insight.ReservePipeline(ctx, db.Client, "150222100", 10)
		if err != nil || p.People != 0 || len(p.Mentors) != 0 {
			t.Errorf("empty township: %+v %v", p, err)
		}
	})
}
