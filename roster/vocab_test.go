package roster

import (
	"context"
	"slices"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/errcode"
	"yanzhen/vocab"
	"yanzhen/vocab/vocabdb"
)

// The closed columns read the words counties write for their values, folded
// like headers, and say what they read them as.
func TestWordSynonyms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ws         words
		in         string
		code, read string
	}{
		{genders, "男", "MALE", ""},
		{genders, "男性", "MALE", "男"},
		{genders, " 女 士", "FEMALE", "女"},
		{genders, "female", "FEMALE", ""}, // the code, in any case
		{educations, "大学本科", "BACHELOR", "本科"},
		{educations, "本科学历", "BACHELOR", "本科"},
		{educations, "职高", "SECONDARY_VOCATIONAL", "中专"},
		{educations, "技校", "SECONDARY_VOCATIONAL", "中专"},
		{educations, "专科", "JUNIOR_COLLEGE", "大专"},
		{educations, "研究生", "MASTER", "硕士研究生"},
		{educations, "博士", "DOCTORATE", "博士研究生"},
		{politicalStatuses, "党员", "CPC_MEMBER", "中共党员"},
		{politicalStatuses, "预备党员", "CPC_PROBATIONARY", "中共预备党员"},
		{politicalStatuses, "团员", "CYL_MEMBER", "共青团员"},
		{politicalStatuses, "CPC_MEMBER", "CPC_MEMBER", ""},
		{postRoles, "村支书", "PARTY_SECRETARY", "党组织书记"},
		{yesNo, "已签订", "true", "是"},
		{genders, "未知", "", ""},
		{educations, "党员", "", ""}, // a word of another column
	} {
		code, read, ok := c.ws.code(c.in)
		if code != c.code || read != c.read || ok != (c.code != "") {
			t.Errorf("%q: read as %q (%q, %v), want %q (%q)", c.in, code, read, ok, c.code, c.read)
		}
	}
}

// A roster whose only problems are words not yet in a vocabulary lists each
// word once, with its count and places; after the admin adds or maps them,
// the same workbook imports unchanged, and people carry the new codes. A
// county's words apply to it alone: another county's 竹林 does not make
// the file import, nor can that county change this one's terms.
func TestImportAfterVocabularyStep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		as := func(name, region string) context.Context {
			u, _, err := accounts.CreateUser(sys, db.Client, accounts.NewUser{
				Username: name, Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: region})
			if err != nil {
				t.Fatal(err)
			}
			return auth.NewContext(context.Background(), accounts.ViewerOf(u))
		}
		tumed, shashi := as("tumed", "150221"), as("shashi", "421002")
		h := headerOf(People)
		row := func(no, gender, tags, fieldWords string) []string {
			r := make([]string, len(h))
			for j, c := range h {
				switch c {
				case colPersonNo:
					r[j] = no
				case colPersonName:
					r[j] = "村民" + no
				case colHomeVillage:
					r[j] = "150221101201"
				case colGender:
					r[j] = gender
				case colTags:
					r[j] = tags
				case colFields:
					r[j] = fieldWords
				}
			}
			return r
		}
		wb := &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row("P-1", "男性", "乡贤;返乡", "茶叶"),
			row("P-2", "女", "返乡人员", "竹林"),
			row("P-3", "男性", "", "竹林;蔬菜"),
		)}}

		// Another county's 竹林 is not this county's.
		if _, err := vocabdb.AddTerm(shashi, db.Client, vocabdb.TermInput{Kind: vocab.KindAgriculturalField, Label: "竹林", Region: "421002"}); err != nil {
			t.Fatal(err)
		}
		rep, err := Import(tumed, db.DB, wb, ImportOptions{})
		if err == nil || rep.Written {
			t.Fatalf("imported with unknown words: %v\n%s", err, rep)
		}
		if !rep.OnlyUnknownWords() {
			t.Fatalf("problems other than unknown words:\n%s", rep)
		}
		got := map[string]int{}
		for _, u := range rep.UnknownWords {
			got[string(u.Vocabulary)+":"+u.Word] = u.Count
			if len(u.Places) != u.Count || u.Places[0].Sheet != "人员" || u.Places[0].Cell == "" {
				t.Errorf("%s: places %v for %d", u.Word, u.Places, u.Count)
			}
		}
		want := map[string]int{"PERSON_TAG:乡贤": 1, "AGRICULTURAL_FIELD:茶叶": 1, "AGRICULTURAL_FIELD:竹林": 2}
		if len(got) != len(want) {
			t.Errorf("unknown words %v, want %v", got, want)
		}
		for w, n := range want {
			if got[w] != n {
				t.Errorf("%s: count %d, want %d (all: %v)", w, got[w], n, got)
			}
		}
		if rep.UnknownWords[0].Word != "竹林" {
			t.Errorf("the most frequent word is not first: %v", rep.UnknownWords)
		}
		if i := slices.IndexFunc(rep.Readings, func(r Reading) bool { return r.Word == "男性" }); i < 0 || rep.Readings[i].Read != "男" || rep.Readings[i].Count != 2 {
			t.Errorf("readings %v lack 男性 → 男 ×2", rep.Readings)
		}

		// The county cannot change the other county's term.
		label := "竹子"
		if _, err := vocabdb.UpdateTerm(tumed, db.Client, vocab.KindAgriculturalField, "ZHULIN", vocabdb.TermUpdate{Label: &label, Region: "150221"}); err == nil {
			t.Error("a county changed another county's term")
		}

		// One vocabulary step: two terms added, one word mapped.
		xx, err := vocabdb.AddTerm(tumed, db.Client, vocabdb.TermInput{Kind: vocab.KindPersonTag, Label: "乡贤", Region: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		tea, err := vocabdb.AddTerm(tumed, db.Client, vocabdb.TermInput{Kind: vocab.KindAgriculturalField, Label: "茶叶", Code: "TEA", Region: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		bamboo, err := vocabdb.AddTerm(tumed, db.Client, vocabdb.TermInput{Kind: vocab.KindAgriculturalField, Label: "竹林", Region: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		if xx.Code != "XIANGXIAN" || tea.Code != "TEA" || bamboo.Code != "ZHULIN_2" {
			t.Errorf("codes %s %s %s, want XIANGXIAN TEA ZHULIN_2 (ZHULIN is the other county's)", xx.Code, tea.Code, bamboo.Code)
		}
		if _, err := vocabdb.MapWord(tumed, db.Client, vocab.KindAgriculturalField, "茶", "TEA", "150221"); err != nil {
			t.Fatal(err)
		}

		rep, err = Import(tumed, db.DB, wb, ImportOptions{})
		if err != nil || !rep.Written {
			t.Fatalf("the same file after the vocabulary step: %v\n%s", err, rep)
		}
		p1 := db.Client.Person.Query().Where(person.Name("村民P-1")).OnlyX(sys)
		if !slices.Equal(codesOf(p1.Tags), []string{"XIANGXIAN", "RETURNEE"}) || !slices.Equal(codesOf(p1.Expertise), []string{"TEA"}) {
			t.Errorf("P-1 carries %v / %v", p1.Tags, p1.Expertise)
		}
		p3 := db.Client.Person.Query().Where(person.Name("村民P-3")).OnlyX(sys)
		if !slices.Equal(codesOf(p3.Expertise), []string{"ZHULIN_2", "VEGETABLES"}) {
			t.Errorf("P-3 carries %v", p3.Expertise)
		}

		// The export writes the county's words, and they read back.
		out, err := ExportWorkbook(tumed, db.Client, "150221", ExportOptions{MaskPersonalData: true})
		if err != nil {
			t.Fatal(err)
		}
		rep, err = Import(tumed, db.DB, out, ImportOptions{DryRun: true})
		if err != nil || rep.Changed() != 0 {
			t.Errorf("export → import changes %d rows: %v\n%s", rep.Changed(), err, rep)
		}

		// The other county cannot write the county's codes.
		_, err = db.Client.Person.Create().SetName("外县").SetTags([]vocab.PersonTag{"XIANGXIAN"}).Save(shashi)
		if e, ok := errcode.As(err); !ok || e.Code != errcode.BadUserInput || e.Field != "tags" {
			t.Errorf("another county wrote XIANGXIAN: %v", err)
		}
		// Anonymous reads no vocabulary.
		if _, err := vocabdb.Load(context.Background(), db.Client); err == nil {
			t.Error("anonymous read the vocabularies")
		}
	})
}

func codesOf[S ~string](s []S) []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = string(c)
	}
	return out
}
