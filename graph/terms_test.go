package graph_test

import (
	"context"
	"math"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/institution"
	"yanzhen/ent/post"
)

// termComparison through the API for each kind of viewer, and Post.term on
// a list of posts in a constant number of statements.
func TestTermsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		t2018 := c.Term.Create().SetRegionID(w.county.ID).SetName("2018年村“两委”换届").SetElectedOn(date("2018-01-15")).SaveX(ctx)
		t2021 := c.Term.Create().SetRegionID(w.county.ID).SetName("2021年村“两委”换届").SetElectedOn(date("2021-01-20")).SaveX(ctx)
		person := func(name, birth string) *ent.Person {
			return c.Person.Create().SetName(name).SetGender("MALE").SetBirthDate(date(birth)).SaveX(ctx)
		}
		secretary := func(p *ent.Person, v *ent.Region, start, end string, exit post.ExitKind) *ent.Post {
			q := c.Post.Create().SetPerson(p).SetRegion(v).SetRole(post.RolePARTY_SECRETARY).SetStartDate(date(start))
			if end != "" {
				q.SetEndDate(date(end)).SetExitKind(exit)
			}
			return q.SaveX(ctx)
		}
		// v0 (萨拉齐镇): 老张 since 2015, 61 on 2021-01-20 — retained.
		// v1 (萨拉齐镇): 老李 adjusted in 2019, 小王 from 2021 — new.
		// v3 (双龙镇): 老赵 since 2015, 55 — retained.
		zhang := secretary(person("老张", "1960-01-01"), w.villages[0], "2015-01-01", "", "")
		li := secretary(person("老李", "1970-01-01"), w.villages[1], "2012-01-01", "2019-06-30", post.ExitKindADJUSTED)
		wang := secretary(person("小王", "1990-01-01"), w.villages[1], "2021-01-20", "", "")
		secretary(person("老赵", "1966-01-01"), w.villages[3], "2015-01-01", "", "")

		admin := newAPI(t, db)
		type comparison struct {
			TermComparison struct {
				Region  *struct{ Code string }
				Current struct {
					Terms       []struct{ ID, Name string }
					ElectedFrom string
					Secretaries struct {
						Count      int
						AverageAge *float64
					}
				}
				Previous *struct {
					Terms       []struct{ ID string }
					Secretaries struct{ Count int }
				}
				Differences []struct {
					Group, Figure                 string
					Current, Previous, Difference *float64
				}
				Retained, NewlyElected, Adjusted, RetainedOver60, Counties, CountiesWithoutTerm int
			}
		}
		q := `query($code: String!, $year: Int) { termComparison(code: $code, year: $year) { region { code }
			current { terms { id name } electedFrom secretaries { count averageAge } }
			previous { terms { id } secretaries { count } }
			differences { group figure current previous difference }
			retained newlyElected adjusted retainedOver60 counties countiesWithoutTerm } }`

		t.Run("admin", func(t *testing.T) {
			var out comparison
			admin.ok(q, map[string]any{"code": "150221", "year": 2021}, &out)
			s := out.TermComparison
			if s.Region == nil || s.Region.Code != "150221" || len(s.Current.Terms) != 1 || s.Current.Terms[0].ID != gid(t2021.ID) ||
				s.Current.ElectedFrom != "2021-01-20" || s.Current.Secretaries.Count != 3 || s.Previous == nil ||
				len(s.Previous.Terms) != 1 || s.Previous.Terms[0].ID != gid(t2018.ID) || s.Previous.Secretaries.Count != 3 ||
				s.Retained != 2 || s.NewlyElected != 1 || s.Adjusted != 1 || s.RetainedOver60 != 1 || s.Counties != 1 || s.CountiesWithoutTerm != 0 {
				t.Errorf("county: %+v", s)
			}
			// Ages on 2021-01-20: 61, 31, 55; on 2018-01-15: 58, 48, 52.
			if a := s.Current.Secretaries.AverageAge; a == nil || *a != (61+31+55)/3.0 {
				t.Errorf("average age %v", a)
			}
			if len(s.Differences) != 22 || s.Differences[1].Figure != "averageAge" || s.Differences[1].Difference == nil ||
				math.Abs(*s.Differences[1].Difference-((61+31+55)/3.0-(58+48+52)/3.0)) > 1e-9 {
				t.Errorf("differences: %+v", s.Differences)
			}
		})

		t.Run("township user: its own villages", func(t *testing.T) {
			township := newAPIAs(t, db, newUser(t, db, "salaqi", auth.RoleTownship, w.township.Code, 0, false))
			var out comparison
			township.ok(q, map[string]any{"code": w.township.Code}, &out)
			s := out.TermComparison
			// 老张 and 小王 now, 老张 and 老李 before; 老赵 is in 双龙镇.
			if len(s.Current.Terms) != 1 || s.Current.Terms[0].ID != gid(t2021.ID) || s.Current.Secretaries.Count != 2 ||
				s.Previous.Secretaries.Count != 2 || s.Retained != 1 || s.NewlyElected != 1 || s.Adjusted != 1 || s.Counties != 1 {
				t.Errorf("township: %+v", s)
			}
			township.fails("FORBIDDEN", q, map[string]any{"code": w.county.Code})
			township.fails("FORBIDDEN", q, map[string]any{"code": w.township2.Code})
		})

		t.Run("partner and anonymous are refused", func(t *testing.T) {
			u := c.Institution.Create().SetName("内蒙古农业大学").SetKind(institution.KindUNIVERSITY).SetRegion(w.county).SaveX(ctx)
			partner := newAPIAs(t, db, newUser(t, db, "imau", auth.RolePartner, "", u.ID, false))
			partner.fails("FORBIDDEN", q, map[string]any{"code": w.county.Code})
			newAPIAs(t, db, nil).fails("UNAUTHENTICATED", q, map[string]any{"code": w.county.Code})
		})

		t.Run("Post.term on a list", func(t *testing.T) {
			a := admin
			pq := `query($n: Int!) { posts(first: $n, orderBy: {field: START_DATE, direction: ASC}) { edges { node { id term { id name } } } } }`
			type result struct {
				Posts struct {
					Edges []struct {
						Node struct {
							ID   string
							Term *struct{ ID, Name string }
						}
					}
				}
			}
			terms := func(n int) (map[string]string, int64) {
				var out result
				db.Statements.Reset()
				a.ok(pq, map[string]any{"n": n}, &out)
				count := db.Statements.Count()
				got := map[string]string{}
				for _, e := range out.Posts.Edges {
					if e.Node.Term != nil {
						got[e.Node.ID] = e.Node.Term.ID
					} else {
						got[e.Node.ID] = ""
					}
				}
				return got, count
			}
			all, few := terms(10)
			if len(all) != 4 {
				t.Fatalf("posts: %v", all)
			}
			// 老张's and 老赵's (2015) predate the first term; 老李's (2012)
			// too; 小王's was taken on the 2021 election day.
			want := map[string]string{gid(zhang.ID): "", gid(li.ID): "", gid(wang.ID): gid(t2021.ID)}
			for id, term := range want {
				if all[id] != term {
					t.Errorf("post %s: term %q, want %q", id, all[id], term)
				}
			}
			// A later post in v0 belongs to the 2018 term.
			later := secretary(person("老孙", "1980-01-01"), w.villages[2], "2019-03-01", "", "")
			c.Post.Create().SetPerson(person("小吴", "1996-01-01")).SetRegion(w.villages[0]).SetRole(post.RoleCOMMITTEE_MEMBER).
				SetStartDate(date("2021-03-01")).SaveX(ctx)
			all, many := terms(10)
			if len(all) != 6 || all[gid(later.ID)] != gid(t2018.ID) {
				t.Errorf("post of 2019: term %q, want %s", all[gid(later.ID)], gid(t2018.ID))
			}
			if many != few {
				t.Errorf("Post.term took %d statements for 6 posts, %d for 4", many, few)
			}
			// A township user of 双龙镇 sees its county's terms on its posts.
			member := c.Post.Create().SetPerson(person("小周", "1995-01-01")).SetRegion(w.villages[3]).SetRole(post.RoleCOMMITTEE_MEMBER).
				SetStartDate(date("2021-02-01")).SaveX(ctx)
			var out result
			newAPIAs(t, db, newUser(t, db, "shuanglong", auth.RoleTownship, w.township2.Code, 0, false)).ok(pq, map[string]any{"n": 10}, &out)
			seen := map[string]string{}
			for _, e := range out.Posts.Edges {
				seen[e.Node.ID] = ""
				if e.Node.Term != nil {
					seen[e.Node.ID] = e.Node.Term.ID
				}
			}
			if len(seen) != 2 || seen[gid(member.ID)] != gid(t2021.ID) {
				t.Errorf("双龙镇's posts: %v", seen)
			}
		})
	})
}
