package insight_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/insight"
	"yanzhen/insight/searchkey"
)

// surnameCases are people whose surname is read as a surname (often not its
// usual reading), single and compound, each with the pinyin and initials
// they must be found by.
var surnameCases = []struct{ name, pinyin, initials string }{
	{"单田芳", "shantianfang", "stf"},
	{"曾国藩", "zengguofan", "zgf"},
	{"仇英", "qiuying", "qy"},
	{"解缙", "xiejin", "xj"},
	{"区寄", "ouji", "oj"},
	{"查良镛", "zhaliangyong", "zly"},
	{"朴成浩", "piaochenghao", "pch"},
	{"盖叫天", "gejiaotian", "gjt"},
	{"乐嘉", "yuejia", "yj"},
	{"缪钺", "miaoyue", "my"},
	{"覃振", "qinzhen", "qz"},
	{"召忽", "shaohu", "sh"},
	{"员半千", "yunbanqian", "ybq"},
	{"秘书红", "bishuhong", "bsh"},
	{"种师道", "chongshidao", "csd"},
	{"繁钦", "poqin", "pq"},
	{"折从阮", "shecongruan", "scr"},
	{"翟志刚", "zhaizhigang", "zzg"},
	{"祭遵", "zhaizun", "zz"},
	{"藏天朔", "zangtianshuo", "zts"},
	{"宿瑞", "surui", "sr"},
	{"燕青", "yanqing", "yq"},
	{"纪晓岚", "jixiaolan", "jxl"},
	{"华罗庚", "hualuogeng", "hlg"},
	{"任正非", "renzhengfei", "rzf"},
	{"沈从文", "shencongwen", "scw"},
	{"曲波", "qubo", "qb"},
	{"尉缭", "yuliao", "yl"},
	{"尉天骄", "weitianjiao", "wtj"},
	{"黑伯龙", "hebolong", "hbl"},
	{"句龙", "goulong", "gl"},
	{"阚泽", "kanze", "kz"},
	{"隗嚣", "weixiao", "wx"},
	{"洗星海", "xianxinghai", "xxh"},
	{"冼夫人", "xianfuren", "xfr"},
	{"过云", "guoyun", "gy"},
	{"訾汝", "ziru", "zr"},
	{"能海", "naihai", "nh"},
	{"欧阳修", "ouyangxiu", "oyx"},
	{"司马光", "simaguang", "smg"},
	{"诸葛亮", "zhugeliang", "zgl"},
	{"上官婉儿", "shangguanwaner", "sgwe"},
	{"尉迟恭", "yuchigong", "ycg"},
	{"万俟卨", "moqixie", "mqx"},
	{"长孙无忌", "zhangsunwuji", "zswj"},
	{"东方朔", "dongfangshuo", "dfs"},
	{"皇甫谧", "huangfumi", "hfm"},
	{"夏侯惇", "xiahoudun", "xhd"},
	{"公孙瓒", "gongsunzan", "gsz"},
	{"慕容复", "murongfu", "mrf"},
	{"令狐冲", "linghuchong", "lhc"},
	{"宇文泰", "yuwentai", "ywt"},
	{"司徒雷登", "situleideng", "stld"},
	{"单于夜", "chanyuye", "cyy"},
	{"澹台灭明", "tantaimieming", "ttmm"},
}

// Every surname is found by its full pinyin, a prefix of it, and its
// initials, through insight.Search on both engines; a polyphonic given
// name by each of its common readings; a rename replaces the keys.
func TestSearchFindsEverySurname(t *testing.T) {
	if len(surnameCases) < 40 {
		t.Fatalf("%d cases", len(surnameCases))
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		ids := map[string]int{}
		for _, c := range surnameCases {
			ids[c.name] = db.Client.Person.Create().SetName(c.name).SaveX(ctx).ID
		}
		zcl := db.Client.Person.Create().SetName("张长良").SaveX(ctx)
		// hits returns the people found by query, as "name:matchedBy".
		names := map[int]string{zcl.ID: "张长良"}
		for n, id := range ids {
			names[id] = n
		}
		hits := func(query string) []string {
			t.Helper()
			hs, err := insight.Search(ctx, db.Client, query, "", []insight.SearchKind{insight.PersonHit}, 100)
			if err != nil {
				t.Fatalf("%q: %v", query, err)
			}
			var out []string
			for _, h := range hs {
				out = append(out, names[h.ID]+":"+h.MatchedBy)
			}
			sort.Strings(out)
			return out
		}
		has := func(query, name, by string) {
			t.Helper()
			for _, h := range hits(query) {
				if h == name+":"+by {
					return
				}
			}
			t.Errorf("%q does not find %s by %s: %v", query, name, by, hits(query))
		}
		for _, c := range surnameCases {
			p := c.pinyin
			has(p, c.name, "PINYIN")
			has(p[:len(p)-1], c.name, "PINYIN") // a prefix
			has(c.initials, c.name, "INITIALS")
		}
		// The usual reading of a polyphonic surname is not its reading as
		// a surname: 单田芳 is not found as dantianfang, nor 曾国藩 as
		// cengguofan.
		for _, q := range []string{"dantianfang", "cengguofan", "chouying", "jiejin", "weichigong", "wanqixie", "changsunwuji"} {
			if got := hits(q); len(got) != 0 {
				t.Errorf("%q finds %v", q, got)
			}
		}
		// 长 is read chang and zhang in a given name: both count.
		for _, q := range []string{"zhangchangliang", "zhangzhangliang", "zhangzhang", "zcl", "zzl"} {
			got := hits(q)
			if len(got) != 1 || !strings.HasPrefix(got[0], "张长良:") {
				t.Errorf("%q: %v, want 张长良", q, got)
			}
		}
		// Each person once, however many of their keys match ("z" is the
		// start of 张长良's four keys).
		seen := map[string]bool{}
		for _, h := range hits("z") {
			if seen[h] {
				t.Errorf("%s found twice by z", h)
			}
			seen[h] = true
		}
		if !seen["张长良:INITIALS"] {
			t.Errorf("z: %v", seen)
		}

		// A rename replaces every key: the old readings no longer match.
		db.Client.Person.UpdateOne(zcl).SetName("单长青").ExecX(ctx)
		names[zcl.ID] = "单长青"
		for _, q := range []string{"zhangchangliang", "zhangzhangliang", "zcl", "zzl"} {
			if got := hits(q); len(got) != 0 {
				t.Errorf("after the rename %q finds %v", q, got)
			}
		}
		for _, q := range []string{"shanchangqing", "shanzhangqing", "scq", "szq"} {
			if got := hits(q); len(got) != 1 || !strings.HasPrefix(got[0], "单长青:") {
				t.Errorf("after the rename %q: %v", q, got)
			}
		}
		var keys int
		if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_search_keys WHERE person_id = $1`, zcl.ID).Scan(&keys); err != nil || keys != 4 {
			t.Errorf("单长青 has %d keys (%v), want 4", keys, err)
		}
		// An update of many renames each of them.
		n := db.Client.Person.Update().Where(person.IDIn(ids["曾国藩"], ids["仇英"])).SetName("解缙").SaveX(ctx)
		if n != 2 {
			t.Fatalf("renamed %d", n)
		}
		if got := hits("zengguofan"); len(got) != 0 {
			t.Errorf("zengguofan after renaming: %v", got)
		}
		if hs, _ := insight.Search(ctx, db.Client, "xiejin", "", nil, 10); len(hs) != 3 {
			t.Errorf("xiejin after renaming two more: %v", hs)
		}
		// A delete takes the keys with it (ON DELETE CASCADE).
		db.Client.Person.DeleteOneID(zcl.ID).ExecX(ctx)
		if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_search_keys WHERE person_id = $1`, zcl.ID).Scan(&keys); err != nil || keys != 0 {
			t.Errorf("%d keys left after the delete (%v)", keys, err)
		}
	})
}

// A person search costs one statement however many people it finds.
func TestSearchStatementsDoNotGrowWithHits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		count := func(query string, first int) (int, int64) {
			t.Helper()
			db.Statements.Reset()
			hs, err := insight.Search(ctx, db.Client, query, "", []insight.SearchKind{insight.PersonHit}, first)
			if err != nil {
				t.Fatal(err)
			}
			return len(hs), db.Statements.Count()
		}
		db.Client.Person.Create().SetName("张长良").ExecX(ctx)
		one, few := count("zh", 100)
		for i := 0; i < 60; i++ {
			db.Client.Person.Create().SetName(fmt.Sprintf("张长%c", '甲'+rune(i%10))).ExecX(ctx)
		}
		many, more := count("zh", 100)
		if one != 1 || many != 61 || few != more || more != 1 {
			t.Errorf("%d hits in %d statements, then %d hits in %d", one, few, many, more)
		}
	})
}

// The keys the hook writes are those of searchkey.Keys, and no more than
// MaxReadings of each kind.
func TestSearchKeysAreThoseOfTheName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		p := db.Client.Person.Create().SetName("李重长行朝乐").SaveX(ctx)
		rows, err := db.SQL.QueryContext(ctx, `SELECT kind, key FROM person_search_keys WHERE person_id = $1 ORDER BY kind, key`, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			got = append(got, k+" "+v)
		}
		var want []string
		for _, k := range searchkey.Keys(p.Name) {
			want = append(want, string(k.Kind)+" "+k.Text)
		}
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") || len(got) != 2*searchkey.MaxReadings {
			t.Errorf("keys %v, want %v", got, want)
		}
	})
}
