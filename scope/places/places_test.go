package places_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/predicate"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
	"yanzhen/scope"
	"yanzhen/scope/places"
)

// placesByLinks is the definition scope.People answers from person_places:
// a person is in a subtree through their home village or the region of any
// post, adviser appointment, expert assignment or mentorship there — the
// OR of six EXISTS it replaced, spelled out over the link tables.
func placesByLinks(code string) predicate.Person {
	in := regioncode.Within(code)
	return person.Or(
		person.HasHomeVillageWith(in),
		person.HasPostsWith(post.HasRegionWith(in)),
		person.HasAdviserAppointmentsWith(adviserappointment.HasVillageWith(in)),
		person.HasExpertAssignmentsWith(expertassignment.HasRegionWith(in)),
		person.HasMentorshipsAsMenteeWith(mentorship.HasRegionWith(in)),
		person.HasMentorshipsAsMentorWith(mentorship.HasRegionWith(in)),
	)
}

// graph is a random population: a region tree, people and links of every
// kind, written through ent so that the link hooks keep the places.
type graph struct {
	t        *testing.T
	c        *ent.Client
	rnd      *rand.Rand
	codes    []string // every region, all levels
	regions  map[string]*ent.Region
	villages []*ent.Region
	people   []int
	links    map[string]int // created links per kind, so the test is not vacuous
}

func (g *graph) region(code, name string, parent *ent.Region) *ent.Region {
	level, _ := regioncode.LevelOf(code)
	b := g.c.Region.Create().SetCode(code).SetName(name).SetLevel(level)
	if parent != nil {
		b.SetParentID(parent.ID)
	}
	r := b.SaveX(auth.System(context.Background()))
	g.codes = append(g.codes, code)
	g.regions[code] = r
	if level == region.LevelVILLAGE {
		g.villages = append(g.villages, r)
	}
	return r
}

// tree: 2 provinces × 2 cities × 2 counties × 2 townships × 3 villages.
func (g *graph) tree() {
	for p := 1; p <= 2; p++ {
		pc := fmt.Sprintf("%02d", 10+p)
		pr := g.region(pc, "省"+pc, nil)
		for c := 1; c <= 2; c++ {
			cc := fmt.Sprintf("%s%02d", pc, c)
			cr := g.region(cc, "市"+cc, pr)
			for k := 1; k <= 2; k++ {
				kc := fmt.Sprintf("%s%02d", cc, k)
				kr := g.region(kc, "县"+kc, cr)
				for w := 1; w <= 2; w++ {
					wc := fmt.Sprintf("%s%03d", kc, w)
					wr := g.region(wc, "乡"+wc, kr)
					for v := 1; v <= 3; v++ {
						vc := fmt.Sprintf("%s%03d", wc, v)
						g.region(vc, "村"+vc, wr)
					}
				}
			}
		}
	}
}

func (g *graph) village() *ent.Region { return g.villages[g.rnd.IntN(len(g.villages))] }

// anyRegion is a county, township or village (where assignments go).
func (g *graph) belowCity() *ent.Region {
	for {
		c := g.codes[g.rnd.IntN(len(g.codes))]
		if len(c) >= 6 {
			return g.regions[c]
		}
	}
}

func (g *graph) person() int { return g.people[g.rnd.IntN(len(g.people))] }

// try writes a link; a business rule may refuse a random one (a second
// secretary, a mentee already paired), which is not what is tested.
func (g *graph) try(kind string, err error) {
	if err == nil {
		g.links[kind]++
	}
}

func (g *graph) populate(ctx context.Context, n int) {
	start := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		b := g.c.Person.Create().SetName(fmt.Sprintf("测试%03d", i))
		if g.rnd.IntN(3) > 0 {
			b.SetHomeVillageID(g.village().ID)
		}
		g.people = append(g.people, b.SaveX(ctx).ID)
	}
	for range 2 * n {
		switch g.rnd.IntN(4) {
		case 0:
			_, err := g.c.Post.Create().SetPersonID(g.person()).SetRegionID(g.village().ID).
				SetRole(post.RoleCOMMITTEE_MEMBER).SetStartDate(start).Save(ctx)
			g.try("post", err)
		case 1:
			_, err := g.c.AdviserAppointment.Create().SetPersonID(g.person()).SetVillageID(g.village().ID).
				SetKind(adviserappointment.KindDEVELOPMENT_ADVISER).SetStartDate(start).Save(ctx)
			g.try("adviser", err)
		case 2:
			_, err := g.c.ExpertAssignment.Create().SetExpertID(g.person()).SetRegionID(g.belowCity().ID).
				SetStartDate(start).Save(ctx)
			g.try("assignment", err)
		case 3:
			mentor, mentee := g.person(), g.person()
			if mentor == mentee {
				continue
			}
			b := g.c.Mentorship.Create().SetMentorID(mentor).SetMenteeID(mentee).
				SetProgram(mentorship.ProgramQINGLAN).SetStartDate(start)
			if g.rnd.IntN(4) > 0 {
				b.SetRegionID(g.village().ID)
			}
			_, err := b.Save(ctx)
			g.try("mentorship", err)
		}
	}
}

// churn removes and moves links the ways the API and imports do: single
// and bulk deletes, a mentorship's region set, changed and cleared, a home
// village moved or cleared, people deleted.
func (g *graph) churn(ctx context.Context) {
	pick := func(ids []int) []int {
		var out []int
		for _, id := range ids {
			if g.rnd.IntN(4) == 0 {
				out = append(out, id)
			}
		}
		return out
	}
	posts := g.c.Post.Query().IDsX(ctx)
	for _, id := range pick(posts) {
		g.c.Post.DeleteOneID(id).ExecX(ctx)
	}
	if ids := pick(g.c.AdviserAppointment.Query().IDsX(ctx)); len(ids) > 0 {
		g.c.AdviserAppointment.Delete().Where(adviserappointment.IDIn(ids...)).ExecX(ctx)
	}
	if ids := pick(g.c.ExpertAssignment.Query().IDsX(ctx)); len(ids) > 0 {
		g.c.ExpertAssignment.Delete().Where(expertassignment.IDIn(ids...)).ExecX(ctx)
	}
	for _, id := range pick(g.c.Mentorship.Query().IDsX(ctx)) {
		switch g.rnd.IntN(3) {
		case 0:
			g.c.Mentorship.UpdateOneID(id).SetRegionID(g.village().ID).ExecX(ctx)
		case 1:
			g.c.Mentorship.UpdateOneID(id).ClearRegion().ExecX(ctx)
		default:
			g.c.Mentorship.DeleteOneID(id).ExecX(ctx)
		}
	}
	// A bulk update of many mentorships at once.
	if ids := pick(g.c.Mentorship.Query().IDsX(ctx)); len(ids) > 0 {
		g.c.Mentorship.Update().Where(mentorship.IDIn(ids...)).SetRegionID(g.village().ID).ExecX(ctx)
	}
	for _, id := range pick(g.people) {
		switch g.rnd.IntN(3) {
		case 0:
			g.c.Person.UpdateOneID(id).SetHomeVillageID(g.village().ID).ExecX(ctx)
		case 1:
			g.c.Person.UpdateOneID(id).ClearHomeVillage().ExecX(ctx)
		default:
			// A name change does not touch the places.
			g.c.Person.UpdateOneID(id).SetName("改名").ExecX(ctx)
		}
	}
}

// agree checks, for every region of the tree as a township/county/… viewer's
// scope, that the people scope.People admits are those placesByLinks
// defines.
func (g *graph) agree(ctx context.Context, when string) {
	g.t.Helper()
	for _, code := range g.codes {
		v := &auth.Viewer{UserID: 1, Role: auth.RoleTownship, Scope: code}
		got, err := g.c.Person.Query().Where(scope.People(v)).IDs(ctx)
		if err != nil {
			g.t.Fatal(err)
		}
		want := g.c.Person.Query().Where(placesByLinks(code)).IDsX(ctx)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			g.t.Fatalf("%s: scope %s admits %v, the links define %v", when, code, got, want)
		}
	}
}

func TestPlacesAgreeWithLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		for seed := range uint64(2) {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				c := db.Client
				// Each seed starts from an empty graph.
				for _, del := range []func() error{
					func() error { _, err := c.Mentorship.Delete().Exec(ctx); return err },
					func() error { _, err := c.ExpertAssignment.Delete().Exec(ctx); return err },
					func() error { _, err := c.AdviserAppointment.Delete().Exec(ctx); return err },
					func() error { _, err := c.Post.Delete().Exec(ctx); return err },
					func() error { _, err := c.Person.Delete().Exec(ctx); return err },
					func() error { _, err := c.Region.Delete().Exec(ctx); return err },
				} {
					if err := del(); err != nil {
						t.Fatal(err)
					}
				}
				g := &graph{t: t, c: c, rnd: rand.New(rand.NewPCG(seed, 7)), regions: map[string]*ent.Region{}, links: map[string]int{}}
				g.tree()
				g.populate(ctx, 40)
				for _, kind := range []string{"post", "adviser", "assignment", "mentorship"} {
					if g.links[kind] < 5 {
						t.Fatalf("only %d %s links were written (%v): the graph does not exercise them", g.links[kind], kind, g.links)
					}
				}
				g.agree(ctx, "after creating")
				for round := range 3 {
					g.churn(ctx)
					g.agree(ctx, fmt.Sprint("after churn ", round+1))
				}
				// A bulk writer's batch: links created under WithBatch reach
				// the table only at Flush, and then agree too.
				bctx, batch := places.WithBatch(ctx)
				tx, err := c.Tx(bctx)
				if err != nil {
					t.Fatal(err)
				}
				g.c = tx.Client()
				g.populate(bctx, 10)
				if err := batch.Flush(bctx, tx.Client()); err != nil {
					t.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
				g.c = c
				g.agree(ctx, "after a batch")
			})
		}
	})
}

// FillAll derives the same table the hooks keep.
func TestFillAllMatchesHooks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		g := &graph{t: t, c: db.Client, rnd: rand.New(rand.NewPCG(11, 7)), regions: map[string]*ent.Region{}, links: map[string]int{}}
		g.tree()
		g.populate(ctx, 30)
		g.churn(ctx)
		read := func() []string {
			rows, err := db.SQL.QueryContext(ctx, `SELECT person_id, code FROM person_places ORDER BY person_id, code`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var id int
				var code string
				if err := rows.Scan(&id, &code); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprint(id, ":", code))
			}
			return out
		}
		byHooks := read()
		if len(byHooks) == 0 {
			t.Fatal("the hooks recorded no place")
		}
		if err := places.FillAll(ctx, db.SQL); err != nil {
			t.Fatal(err)
		}
		if got := read(); !slices.Equal(got, byHooks) {
			t.Fatalf("FillAll gives %v, the hooks kept %v", got, byHooks)
		}
	})
}
