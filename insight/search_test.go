package insight_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/errcode"
	"yanzhen/insight"
)

func TestSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		if db.Dialect == "postgres" {
			// Made by the search migration, which dbtest applied.
			var n int
			if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%_name_trgm'`).Scan(&n); err != nil || n != 3 {
				t.Fatalf("%d trigram indexes (%v), want 3", n, err)
			}
		}
		hits := func(query, within string, kinds ...insight.SearchKind) string {
			t.Helper()
			hs, err := insight.Search(ctx, db.Client, query, within, kinds, 20)
			if err != nil {
				t.Fatalf("%q: %v", query, err)
			}
			s := ""
			for _, h := range hs {
				s += fmt.Sprintf("%s:%d:%s ", h.Kind, h.ID, h.MatchedBy)
			}
			return s
		}
		a, h := f.a.ID, f.h.ID
		cases := []struct{ query, within, want string }{
			{"慧婷", "", fmt.Sprintf("PERSON:%d:NAME ", a)},
			{"张慧婷", "", fmt.Sprintf("PERSON:%d:NAME ", a)},
			{"zhanghuiting", "", fmt.Sprintf("PERSON:%d:PINYIN ", a)},
			{"Zhang Hui", "", fmt.Sprintf("PERSON:%d:PINYIN ", a)},
			{"zht", "", fmt.Sprintf("PERSON:%d:INITIALS ", a)},
			{"zhtx", "", ""},
			// A (138 0013 8000) and H (137 0000 8000) end in 8000.
			{"8000", "", fmt.Sprintf("PERSON:%d:PHONE PERSON:%d:PHONE ", a, h)},
			{"80-00", "", fmt.Sprintf("PERSON:%d:PHONE PERSON:%d:PHONE ", a, h)},
			{"5678", "", fmt.Sprintf("PERSON:%d:PHONE ", f.b.ID)},
			// A holds a post in 三道河村 (萨拉齐镇), not in 双龙镇.
			{"zht", "150221100", fmt.Sprintf("PERSON:%d:INITIALS ", a)},
			{"zht", "150221101", ""},
			// X5 lives in 双龙村.
			{"畜牧", "150221101", fmt.Sprintf("PERSON:%d:NAME ", f.x5.ID)},
			{"农业大学", "", fmt.Sprintf("INSTITUTION:%d:NAME INSTITUTION:%d:NAME ", f.u1.ID, f.u2.ID)},
			{"农业大学", "15", fmt.Sprintf("INSTITUTION:%d:NAME ", f.u1.ID)},
			{"新营", "", fmt.Sprintf("REGION:%d:NAME ", f.v4.ID)},
			{"100%", "", ""},
			{"_", "", ""},
		}
		for _, c := range cases {
			if got := hits(c.query, c.within); got != c.want {
				t.Errorf("search %q within %q: %q, want %q", c.query, c.within, got, c.want)
			}
		}
		if got := hits("专家", "", insight.PersonHit); got != fmt.Sprintf("PERSON:%d:NAME PERSON:%d:NAME PERSON:%d:NAME PERSON:%d:NAME ", f.x1.ID, f.x2.ID, f.x3.ID, f.x5.ID) {
			t.Errorf("专家: %s", got)
		}
		if got := hits("萨拉齐", "", insight.RegionHit); got != fmt.Sprintf("REGION:%d:NAME REGION:%d:NAME ", f.t1.ID, f.v2.ID) {
			t.Errorf("萨拉齐 regions: %s", got)
		}
		hs, err := insight.Search(ctx, db.Client, "专家", "", nil, 2)
		if err != nil || len(hs) != 2 {
			t.Errorf("first 2: %v %v", hs, err)
		}
		// Digits are the last 4 of a phone, no fewer and no more: a longer
		// suffix would rebuild a masked phone digit by digit.
		for _, bad := range []string{"", "  ", "12", "000", "678", "38000", "138-0013-8000", "13800138000", "1234567890123"} {
			if _, err := insight.Search(ctx, db.Client, bad, "", nil, 5); err == nil {
				t.Errorf("%q accepted", bad)
			}
		}
		if _, err := insight.Search(ctx, db.Client, "zht", "15x", nil, 5); err == nil {
			t.Error("a bad within accepted")
		}
		// Renaming a person updates the keys (the ent hook).
		db.Client.Person.UpdateOne(f.d).SetName("欧阳修").SetPhone("13600001234").ExecX(ctx)
		if got := hits("oyx", ""); got != fmt.Sprintf("PERSON:%d:INITIALS ", f.d.ID) {
			t.Errorf("after renaming: %q", got)
		}
		if got := hits("1234", ""); got != fmt.Sprintf("PERSON:%d:PHONE ", f.d.ID) {
			t.Errorf("after a new phone: %q", got)
		}
	})
}

func TestParseSearchQuery(t *testing.T) {
	cases := []struct {
		in    string
		class insight.QueryClass
		text  string
	}{
		{"张慧婷", insight.Chinese, "张慧婷"},
		{" 张 慧婷 ", insight.Chinese, "张慧婷"},
		{"ZhangHuiTing", insight.Latin, "zhanghuiting"},
		{"xi'an", insight.Latin, "xian"},
		{"8000", insight.Digits, "8000"},
		{"80 00", insight.Digits, "8000"},
		{"zh8", insight.Latin, "zh8"},
		{"张a", insight.Chinese, "张a"},
		{"100%", insight.Chinese, "100%"},
	}
	for _, c := range cases {
		q, err := insight.ParseSearchQuery(c.in)
		if err != nil || q.Class != c.class || q.Text != c.text {
			t.Errorf("%q: %+v %v, want %v %q", c.in, q, err, c.class, c.text)
		}
	}
	for _, bad := range []string{"", " \t", "12", "'", "123456789012", string([]byte{0xff, 0xfe})} {
		if q, err := insight.ParseSearchQuery(bad); err == nil {
			t.Errorf("%q accepted as %+v", bad, q)
		}
	}
	// Phone digits: exactly the last 4; 3 and 5 to 11 are refused on the
	// query field, without quoting the digits.
	for _, bad := range []string{"800", "38000", "138000", "0138000", "00138000", "800138000", "3800138000", "13800138000", "138 0013 8000"} {
		q, err := insight.ParseSearchQuery(bad)
		e, ok := errcode.As(err)
		if !ok || e.Code != errcode.BadUserInput || e.Field != "query" || strings.Contains(e.Message(), "8000") || !strings.Contains(e.Message(), "后4位") {
			t.Errorf("%q: %+v %v", bad, q, err)
		}
	}
	long := ""
	for i := 0; i < insight.MaxQueryLength+1; i++ {
		long += "张"
	}
	if _, err := insight.ParseSearchQuery(long); err == nil {
		t.Error("an over-long query accepted")
	}
}
