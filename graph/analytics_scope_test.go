package graph_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/post"
	"yanzhen/vocab"
)

// Every analytic narrows its rows to the viewer's inside its query: a
// township account (萨拉齐镇, villages v0–v2) gets exactly the rows of its
// area, and a page is full even when more than a page of rows outside the
// area would come first (the old analytics fetched 100 and filtered).
func TestAnalyticsAreScopedInsideTheirQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		inside, outside := w.villages[0], w.villages[3] // 萨拉齐镇 / 双龙镇
		township := newAPIAs(t, db, newUser(t, db, "salaqi", auth.RoleTownship, w.township.Code, 0, false))
		national := newAPI(t, db)
		const many = 101 // more than a page of the old fetch-then-filter

		// People named 赵…: many outside the area first (lower IDs), then a
		// few inside; each holds a post in their village.
		holders := func(n int, prefix string, village *ent.Region) []int {
			people := make([]*ent.PersonCreate, n)
			for i := range people {
				people[i] = c.Person.Create().SetName(fmt.Sprintf("%s%03d", prefix, i))
			}
			created := c.Person.CreateBulk(people...).SaveX(ctx)
			posts := make([]*ent.PostCreate, n)
			ids := make([]int, n)
			for i, p := range created {
				ids[i] = p.ID
				posts[i] = c.Post.Create().SetPerson(p).SetRegion(village).SetRole(post.RoleCOMMITTEE_MEMBER).SetStartDate(date("2021-01-01"))
			}
			c.Post.CreateBulk(posts...).SaveX(ctx)
			return ids
		}
		holders(many, "赵外", outside)
		zhaoInside := holders(5, "赵内", inside)

		t.Run("an answer's references cost one statement per field", func(t *testing.T) {
			q := `query($n: Int!) { search(query: "赵", kinds: [PERSON], first: $n) { node { id ... on Person { name
				posts(first: 5) { edges { node { role region { code parent { code } } } } } } } } }`
			count := func(n int) int64 {
				var out struct{ Search []any }
				db.Statements.Reset()
				national.ok(q, map[string]any{"n": n}, &out)
				if len(out.Search) != n {
					t.Fatalf("%d hits, want %d", len(out.Search), n)
				}
				return db.Statements.Count()
			}
			if few, many := count(3), count(60); few != many {
				t.Fatalf("search with nested posts: %d statements for 3 hits, %d for 60", few, many)
			}
		})

		t.Run("search", func(t *testing.T) {
			var out struct {
				Search []struct{ Node struct{ ID string } }
			}
			township.ok(`{ search(query: "赵", kinds: [PERSON], first: 5) { node { id } } }`, nil, &out)
			if got, want := hitIDs(out.Search), gids(zhaoInside); !reflect.DeepEqual(got, want) {
				t.Errorf("township search: got %v, want the %d people of its area %v", got, len(want), want)
			}
			national.ok(`{ search(query: "赵", kinds: [PERSON], first: 5) { node { id } } }`, nil, &out)
			if len(out.Search) != 5 || slices.Contains(hitIDs(out.Search), gid(zhaoInside[0])) {
				t.Errorf("national search takes the first 5 by ID, all outside the township: %v", out.Search)
			}
		})

		// Experts for a demand of v0: many fitting experts serving 双龙村
		// (outside), then three serving v0; all in the same county, so the
		// outside ones score as well and come first by ID.
		field := vocab.AgriculturalField("VEGETABLES")
		experts := func(n int, prefix string, village *ent.Region) []int {
			ids := holders(0, prefix, village)
			people := make([]*ent.PersonCreate, n)
			for i := range people {
				people[i] = c.Person.Create().SetName(fmt.Sprintf("%s%03d", prefix, i))
			}
			created := c.Person.CreateBulk(people...).SaveX(ctx)
			assignments := make([]*ent.ExpertAssignmentCreate, n)
			for i, p := range created {
				ids = append(ids, p.ID)
				assignments[i] = c.ExpertAssignment.Create().SetExpert(p).SetRegion(village).SetStartDate(date("2024-01-01")).
					SetFields([]vocab.AgriculturalField{field})
			}
			c.ExpertAssignment.CreateBulk(assignments...).SaveX(ctx)
			return ids
		}
		experts(many, "钱外", outside)
		qianInside := experts(3, "钱内", inside)
		need := c.Demand.Create().SetRegion(inside).SetField(field).SetDescription("蔬菜种植技术").SetRaisedOn(date("2025-01-01")).SaveX(ctx)

		t.Run("matching", func(t *testing.T) {
			var out struct {
				MatchCandidates []struct{ Expert struct{ ID string } }
			}
			township.ok(`query($d: ID!) { matchCandidates(demandID: $d, first: 3) { expert { id } } }`, map[string]any{"d": gid(need.ID)}, &out)
			var got []string
			for _, m := range out.MatchCandidates {
				got = append(got, m.Expert.ID)
			}
			slices.Sort(got)
			if want := gids(qianInside); !reflect.DeepEqual(got, want) {
				t.Errorf("township candidates: got %v, want the 3 experts of its area %v", got, want)
			}
		})

		// A mentor of the area with one mentee inside and one outside.
		mentor, menteeIn, menteeOut := holders(1, "孙师", inside)[0], holders(1, "孙徒内", inside)[0], holders(1, "孙徒外", outside)[0]
		c.Mentorship.Create().SetMentorID(mentor).SetMenteeID(menteeIn).SetProgram("QINGLAN").SetStartDate(date("2022-01-01")).SetRegion(inside).SaveX(ctx)
		c.Mentorship.Create().SetMentorID(mentor).SetMenteeID(menteeOut).SetProgram("QINGLAN").SetStartDate(date("2022-01-01")).SetRegion(outside).SaveX(ctx)

		t.Run("lineage", func(t *testing.T) {
			q := `query($p: ID!) { mentorLineage(personID: $p) { person { id } activeMentees totalMentees } }`
			type entry struct {
				Person                      struct{ ID string }
				ActiveMentees, TotalMentees int
			}
			var out struct{ MentorLineage []entry }
			township.ok(q, map[string]any{"p": gid(mentor)}, &out)
			if len(out.MentorLineage) != 2 || out.MentorLineage[1].Person.ID != gid(menteeIn) || out.MentorLineage[0].TotalMentees != 1 {
				t.Errorf("township lineage: %+v (want the mentor and the mentee inside, 1 mentee counted)", out.MentorLineage)
			}
			national.ok(q, map[string]any{"p": gid(mentor)}, &out)
			if len(out.MentorLineage) != 3 || out.MentorLineage[0].TotalMentees != 2 {
				t.Errorf("national lineage: %+v", out.MentorLineage)
			}
			township.fails("NOT_FOUND", q, map[string]any{"p": gid(holders(1, "周外", outside)[0])})
		})

		t.Run("timeline", func(t *testing.T) {
			// The mentor also held a post outside.
			c.Post.Create().SetPersonID(mentor).SetRegion(outside).SetRole(post.RoleRESERVE_CADRE).SetReserveList(post.ReserveListSECRETARY_CANDIDATE).SetStartDate(date("2019-01-01")).SaveX(ctx)
			q := `query($p: ID!) { personTimeline(personID: $p) { kind region { code } counterpart { id } } }`
			var out struct {
				PersonTimeline []struct {
					Kind        string
					Region      *struct{ Code string }
					Counterpart *struct{ ID string }
				}
			}
			township.ok(q, map[string]any{"p": gid(mentor)}, &out)
			for _, e := range out.PersonTimeline {
				if e.Region == nil || e.Region.Code != inside.Code || (e.Counterpart != nil && e.Counterpart.ID != gid(menteeIn)) {
					t.Errorf("township timeline shows %+v from outside its area", e)
				}
			}
			if len(out.PersonTimeline) != 2 { // the post and the mentoring inside
				t.Errorf("township timeline: %+v", out.PersonTimeline)
			}
			national.ok(q, map[string]any{"p": gid(mentor)}, &out)
			if len(out.PersonTimeline) != 4 {
				t.Errorf("national timeline: %+v", out.PersonTimeline)
			}
		})

		t.Run("pipeline", func(t *testing.T) {
			// A reserve of the area mentored by someone outside it.
			reserve, outsider := holders(1, "吴储", inside)[0], holders(1, "吴师外", outside)[0]
			c.Post.Create().SetPersonID(reserve).SetRegion(inside).SetRole(post.RoleRESERVE_CADRE).SetReserveList(post.ReserveListSECRETARY_CANDIDATE).SetStartDate(date("2023-01-01")).SaveX(ctx)
			c.Mentorship.Create().SetMentorID(outsider).SetMenteeID(reserve).SetProgram("QINGLAN").SetStartDate(date("2023-02-01")).SetRegion(outside).SaveX(ctx)
			q := `{ reservePipeline(code: "150221100") { region { code } mentors { mentor { id } } } }`
			var out struct {
				ReservePipeline struct {
					Region  struct{ Code string }
					Mentors []struct{ Mentor struct{ ID string } }
				}
			}
			mentors := func() []string {
				var ids []string
				for _, m := range out.ReservePipeline.Mentors {
					ids = append(ids, m.Mentor.ID)
				}
				return ids
			}
			township.ok(q, nil, &out)
			if slices.Contains(mentors(), gid(outsider)) || !slices.Contains(mentors(), gid(mentor)) || out.ReservePipeline.Region.Code != "150221100" {
				t.Errorf("township pipeline mentors %v: want %s, not %s from outside", mentors(), gid(mentor), gid(outsider))
			}
			national.ok(q, nil, &out)
			if !slices.Contains(mentors(), gid(outsider)) {
				t.Errorf("national pipeline mentors %v lack %s", mentors(), gid(outsider))
			}
		})

		t.Run("region analytics", func(t *testing.T) {
			for _, q := range []string{
				`{ regionStatistics(code: "%s") { villages } }`,
				`{ alerts(code: "%s") { totalCount } }`,
				`{ supplyGaps(code: "%s") { demandsWithoutCandidates { id } } }`,
				`{ reservePipeline(code: "%s") { people } }`,
				`{ rewardTotals(code: "%s", year: 2024) { rewards peopleRewarded starRatings { villages } } }`,
				`{ termComparison(code: "%s") { counties countiesWithoutTerm current { secretaries { count } committee { count } } retained } }`,
			} {
				township.fails("FORBIDDEN", fmt.Sprintf(q, w.county.Code), nil)
				township.fails("FORBIDDEN", fmt.Sprintf(q, w.township2.Code), nil)
				var mine, all map[string]any
				township.ok(fmt.Sprintf(q, w.township.Code), nil, &mine)
				national.ok(fmt.Sprintf(q, w.township.Code), nil, &all)
				if !reflect.DeepEqual(mine, all) {
					t.Errorf("%s: the township's own figures %v differ from the national view of them %v", q, mine, all)
				}
			}
		})
	})
}

func hitIDs(hits []struct{ Node struct{ ID string } }) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Node.ID)
	}
	slices.Sort(ids)
	return ids
}

func gids(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = gid(id)
	}
	slices.Sort(out)
	return out
}
