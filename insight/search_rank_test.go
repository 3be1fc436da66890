package insight_test

import (
	"context"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/institution"
	"yanzhen/ent/region"
	"yanzhen/insight"
)

// TestSearchRanksNames (issue 15): a search ranks an exact name (a region's
// also less its suffix) first, then a name that starts with the query, then
// one that contains it — "沙市" finds 沙市区 before 长沙市 — and by ID
// within a rank; people the same way, by name and by pinyin or initials.
// Every region and person here is created before the one it should follow,
// so ID order alone gets each case wrong.
func TestSearchRanksNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		c := db.Client
		names := map[int]string{}
		reg := func(code, name string, level region.Level, parent *ent.Region) *ent.Region {
			q := c.Region.Create().SetCode(code).SetName(name).SetLevel(level)
			if parent != nil {
				q.SetParent(parent)
			}
			r := q.SaveX(ctx)
			names[r.ID] = name
			return r
		}
		hn := reg("43", "湖南省", region.LevelPROVINCE, nil)
		reg("4301", "长沙市", region.LevelCITY, hn)                                                 // contains 沙市
		cs := reg("430102", "芙蓉区", region.LevelCOUNTY, reg("4302", "沙市东", region.LevelCITY, hn)) // 沙市东 starts with 沙市
		reg("430102001", "大沙市村", region.LevelTOWNSHIP, cs)                                       // contains
		hb := reg("42", "湖北省", region.LevelPROVINCE, nil)
		jz := reg("4210", "荆州市", region.LevelCITY, hb)
		ss := reg("421002", "沙市区", region.LevelCOUNTY, jz) // 沙市 + 区
		reg("421002001", "沙市街道", region.LevelTOWNSHIP, ss) // 沙市 + 街道
		reg("421002002", "沙市", region.LevelTOWNSHIP, ss)   // the very name

		person := func(name string) {
			names[c.Person.Create().SetName(name).SaveX(ctx).ID] = name
		}
		for _, n := range []string{"李张伟", "张伟东", "张伟", "欧阳张伟"} {
			person(n)
		}
		for _, n := range []string{"中国农业大学", "农业大学实验站", "农业大学"} {
			names[c.Institution.Create().SetName(n).SetKind(institution.KindUNIVERSITY).SetRegion(jz).SaveX(ctx).ID] = n
		}

		search := func(query string, first int, kinds ...insight.SearchKind) string {
			t.Helper()
			hs, err := insight.Search(ctx, c, query, "", kinds, first)
			if err != nil {
				t.Fatalf("%q: %v", query, err)
			}
			var out []string
			for _, h := range hs {
				out = append(out, names[h.ID]+":"+h.MatchedBy)
			}
			return strings.Join(out, " ")
		}
		cases := []struct {
			query string
			first int
			kind  insight.SearchKind
			want  string
		}{
			// Exact (沙市, then 沙市区 and 沙市街道 less their suffix, by
			// ID), then the start (沙市东), then a part (长沙市, 大沙市村).
			{"沙市", 20, insight.RegionHit, "沙市区:NAME 沙市街道:NAME 沙市:NAME 沙市东:NAME 长沙市:NAME 大沙市村:NAME"},
			{"沙市", 1, insight.RegionHit, "沙市区:NAME"},
			{"沙市", 4, insight.RegionHit, "沙市区:NAME 沙市街道:NAME 沙市:NAME 沙市东:NAME"},
			{"沙市区", 20, insight.RegionHit, "沙市区:NAME"},
			{"长沙", 20, insight.RegionHit, "长沙市:NAME"},
			{"荆州", 20, insight.RegionHit, "荆州市:NAME"},
			{"市", 3, insight.RegionHit, "长沙市:NAME 沙市东:NAME 大沙市村:NAME"},
			// People: exact name, then the start, then a part.
			{"张伟", 20, insight.PersonHit, "张伟:NAME 张伟东:NAME 李张伟:NAME 欧阳张伟:NAME"},
			{"张伟", 2, insight.PersonHit, "张伟:NAME 张伟东:NAME"},
			{"张伟东", 20, insight.PersonHit, "张伟东:NAME"},
			// Institutions: exact, the start, a part.
			{"农业大学", 20, insight.InstitutionHit, "农业大学:NAME 农业大学实验站:NAME 中国农业大学:NAME"},
			// By pinyin or initials: a key equal to the query first.
			{"zhangwei", 20, insight.PersonHit, "张伟:PINYIN 张伟东:PINYIN"},
			{"zw", 20, insight.PersonHit, "张伟:INITIALS 张伟东:INITIALS"},
			{"zhang", 20, insight.PersonHit, "张伟东:PINYIN 张伟:PINYIN"},
		}
		for _, cs := range cases {
			if got := search(cs.query, cs.first, cs.kind); got != cs.want {
				t.Errorf("search %q (first %d, %s): %s, want %s", cs.query, cs.first, cs.kind, got, cs.want)
			}
		}
		// All kinds at once: people, then institutions, then regions.
		if got, want := search("沙市", 3), "沙市区:NAME 沙市街道:NAME 沙市:NAME"; got != want {
			t.Errorf("沙市, every kind: %s, want %s", got, want)
		}
	})
}
