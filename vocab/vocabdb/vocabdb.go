// Package vocabdb loads and changes the vocabularies kept in the database
// (the terms and words admins add, ent VocabularyTerm and VocabularyWord)
// and merges them with the national terms of package vocab. The privacy
// policies of both entities decide which rows apply to a viewer (scope
// VocabularyTerms) and who may write them, so Load answers with exactly
// the vocabulary of the context's viewer.
package vocabdb

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	gen "yanzhen/ent"
	"yanzhen/ent/privacy"
	"yanzhen/ent/vocabularyterm"
	"yanzhen/ent/vocabularyword"
	"yanzhen/errcode"
	"yanzhen/i18n"
	"yanzhen/vocab"
)

// Load reads the vocabularies that apply to the context's viewer.
func Load(ctx context.Context, c *gen.Client) (vocab.Vocabularies, error) {
	terms, err := c.VocabularyTerm.Query().Order(vocabularyterm.ByRegionCode(), vocabularyterm.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	words, err := c.VocabularyWord.Query().Order(vocabularyword.ByRegionCode(), vocabularyword.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	v := vocab.Defaults()
	for _, t := range terms {
		v[t.Vocabulary].AddTerm(vocab.Entry{Code: t.Code, Label: t.Label, LabelEn: t.LabelEn, Region: t.RegionCode, ID: t.ID})
	}
	for _, w := range words {
		v[w.Vocabulary].AddWord(w.TermCode, vocab.Word{Word: w.Word, Region: w.RegionCode, ID: w.ID})
	}
	return v, nil
}

// key is where Load's answer is kept for the rest of a request.
type key struct{}

// Loaded is Load, once per context prepared with Cache: a mutation that
// writes many people checks every one against the same vocabulary.
func Loaded(ctx context.Context, c *gen.Client) (vocab.Vocabularies, error) {
	if p, ok := ctx.Value(key{}).(*vocab.Vocabularies); ok && *p != nil {
		return *p, nil
	}
	v, err := Load(ctx, c)
	if err != nil {
		return nil, err
	}
	if p, ok := ctx.Value(key{}).(*vocab.Vocabularies); ok {
		*p = v
	}
	return v, nil
}

// Cache prepares a context in which Loaded loads once (an import).
func Cache(ctx context.Context) context.Context {
	return context.WithValue(ctx, key{}, new(vocab.Vocabularies))
}

// Unknown checks codes against the vocabulary of kind; the error names the
// field and the first unknown code.
func Unknown(ctx context.Context, c *gen.Client, k vocab.Kind, field string, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	var v vocab.Vocabularies
	allDefault := true
	for _, code := range codes {
		if !vocab.IsDefault(k, code) {
			allDefault = false
		}
	}
	if allDefault { // no query for the usual case
		return nil
	}
	v, err := Loaded(ctx, c)
	if err != nil {
		return err
	}
	for i, code := range codes {
		if !v.Set(k).Has(code) {
			f := field
			if len(codes) > 1 {
				f = fmt.Sprintf("%s[%d]", field, i)
			}
			return &errcode.Error{Code: errcode.BadUserInput, Field: f, Reason: "UNKNOWN_TERM", Text: i18n.Text{
				Zh: fmt.Sprintf("%q 不是%s词表中的词条（请管理员先在词表中添加）", code, k.Chinese()),
				En: fmt.Sprintf("%q is not a term of the %s vocabulary (an admin adds it first)", code, k),
			}}
		}
	}
	return nil
}

// TermInput is a new term.
type TermInput struct {
	Kind    vocab.Kind
	Label   string
	LabelEn string
	// Code is optional: the label's pinyin by default (vocab.CodeOf).
	Code     string
	Synonyms []string
	// Region is the owning area's code, "" for a national term. Through
	// the API it is the admin's own area; the policy refuses any other.
	Region string
}

// maxWord bounds labels and synonyms (the columns hold 64).
const maxWord = 64

func bad(field, zh, en string) error {
	return &errcode.Error{Code: errcode.BadUserInput, Field: field, Text: i18n.Text{Zh: zh, En: en}}
}

// AddTerm adds a term to a vocabulary with its synonyms. A label or synonym
// that already leads to a term for this area is refused (it would be
// ambiguous); a code already taken anywhere gets _2, _3 … when derived, and
// is refused when given.
func AddTerm(ctx context.Context, c *gen.Client, in TermInput) (*vocab.Entry, error) {
	if !in.Kind.Valid() {
		return nil, bad("kind", "未知词表", "unknown vocabulary")
	}
	in.Label = strings.TrimSpace(in.Label)
	if in.Label == "" || utf8.RuneCountInString(in.Label) > maxWord {
		return nil, bad("label", fmt.Sprintf("名称为 1 至 %d 个字", maxWord), fmt.Sprintf("a label has 1 to %d characters", maxWord))
	}
	v, err := Load(ctx, c)
	if err != nil {
		return nil, err
	}
	set := v.Set(in.Kind)
	if code, ok := set.Code(in.Label); ok {
		return nil, bad("label", fmt.Sprintf("%q 已是词条 %s 的名称或同义词", in.Label, code),
			fmt.Sprintf("%q already means %s", in.Label, code))
	}
	code := strings.TrimSpace(in.Code)
	if code != "" {
		if !vocab.CodePattern.MatchString(code) {
			return nil, bad("code", "代码应为大写字母开头的大写字母、数字和下划线（2 至 48 个）",
				"a code is 2 to 48 capital letters, digits and _, starting with a letter")
		}
		if taken, err := codeTaken(ctx, c, in.Kind, code); err != nil {
			return nil, err
		} else if taken {
			return nil, &errcode.Error{Code: errcode.Conflict, Field: "code", Text: i18n.Text{
				Zh: fmt.Sprintf("代码 %s 已被占用", code), En: fmt.Sprintf("the code %s is taken", code)}}
		}
	} else {
		base := vocab.CodeOf(in.Label)
		if base == "" {
			return nil, bad("code", "无法由名称生成代码，请填写代码", "no code can be derived from the label: give one")
		}
		code = base
		for n := 2; ; n++ {
			taken, err := codeTaken(ctx, c, in.Kind, code)
			if err != nil {
				return nil, err
			}
			if !taken {
				break
			}
			code = fmt.Sprintf("%s_%d", base, n)
		}
	}
	t, err := c.VocabularyTerm.Create().SetVocabulary(in.Kind).SetCode(code).SetLabel(in.Label).
		SetLabelEn(strings.TrimSpace(in.LabelEn)).SetRegionCode(in.Region).Save(ctx)
	if err != nil {
		return nil, err
	}
	set.AddTerm(vocab.Entry{Code: t.Code, Label: t.Label, LabelEn: t.LabelEn, Region: t.RegionCode, ID: t.ID})
	for i, w := range in.Synonyms {
		if err := addWord(ctx, c, set, in.Kind, w, code, in.Region, fmt.Sprintf("synonyms[%d]", i)); err != nil {
			return nil, err
		}
	}
	return set.Term(code), nil
}

// codeTaken: national codes are taken too, and any area's, visible or not
// (a code names one term in the whole database).
func codeTaken(ctx context.Context, c *gen.Client, k vocab.Kind, code string) (bool, error) {
	if vocab.IsDefault(k, code) {
		return true, nil
	}
	return c.VocabularyTerm.Query().Where(vocabularyterm.VocabularyEQ(k), vocabularyterm.Code(code)).
		Exist(allowed(ctx))
}

// MapWord makes word mean the term code in an area (its own word for one of
// its terms or a national one, or a word of an area above it).
func MapWord(ctx context.Context, c *gen.Client, k vocab.Kind, word, code, region string) (*vocab.Entry, error) {
	if !k.Valid() {
		return nil, bad("kind", "未知词表", "unknown vocabulary")
	}
	v, err := Load(ctx, c)
	if err != nil {
		return nil, err
	}
	set := v.Set(k)
	if !set.Has(code) {
		return nil, bad("termCode", fmt.Sprintf("词表中没有代码为 %s 的词条", code), fmt.Sprintf("no term %s in the vocabulary", code))
	}
	if err := addWord(ctx, c, set, k, word, code, region, "word"); err != nil {
		return nil, err
	}
	return set.Term(code), nil
}

func addWord(ctx context.Context, c *gen.Client, set *vocab.Set, k vocab.Kind, word, code, region, field string) error {
	folded := vocab.Fold(word)
	if folded == "" || utf8.RuneCountInString(folded) > maxWord {
		return bad(field, fmt.Sprintf("同义词为 1 至 %d 个字", maxWord), fmt.Sprintf("a synonym has 1 to %d characters", maxWord))
	}
	if has, ok := set.Code(folded); ok {
		if has == code {
			return nil // already means it
		}
		return bad(field, fmt.Sprintf("%q 已是词条 %s 的名称或同义词", word, has), fmt.Sprintf("%q already means %s", word, has))
	}
	w, err := c.VocabularyWord.Create().SetVocabulary(k).SetWord(folded).SetTermCode(code).SetRegionCode(region).Save(ctx)
	if err != nil {
		return err
	}
	set.AddWord(code, vocab.Word{Word: w.Word, Region: w.RegionCode, ID: w.ID})
	return nil
}

// TermUpdate changes a term's labels and synonyms (of the writer's area).
type TermUpdate struct {
	Label, LabelEn          *string
	AddSynonyms, Unsynonyms []string
	Region                  string
}

// UpdateTerm changes a term of the area's own; its code never changes.
func UpdateTerm(ctx context.Context, c *gen.Client, k vocab.Kind, code string, in TermUpdate) (*vocab.Entry, error) {
	t, err := c.VocabularyTerm.Query().Where(vocabularyterm.VocabularyEQ(k), vocabularyterm.Code(code)).Only(ctx)
	if gen.IsNotFound(err) {
		return nil, errcode.Missing("code", "no such term of your area / 未找到本地区的该词条")
	} else if err != nil {
		return nil, err
	}
	if t.RegionCode != in.Region {
		return nil, &errcode.Error{Code: errcode.Forbidden, Field: "code", Text: i18n.Text{
			Zh: "只能修改本地区的词条", En: "only your own area's terms can be changed"}}
	}
	u := c.VocabularyTerm.UpdateOne(t)
	if in.Label != nil {
		l := strings.TrimSpace(*in.Label)
		if l == "" || utf8.RuneCountInString(l) > maxWord {
			return nil, bad("label", fmt.Sprintf("名称为 1 至 %d 个字", maxWord), fmt.Sprintf("a label has 1 to %d characters", maxWord))
		}
		u.SetLabel(l)
	}
	if in.LabelEn != nil {
		u.SetLabelEn(strings.TrimSpace(*in.LabelEn))
	}
	if _, err := u.Save(ctx); err != nil {
		return nil, err
	}
	for _, w := range in.Unsynonyms {
		if _, err := c.VocabularyWord.Delete().Where(vocabularyword.VocabularyEQ(k), vocabularyword.Word(vocab.Fold(w)),
			vocabularyword.TermCode(code), vocabularyword.RegionCode(in.Region)).Exec(ctx); err != nil {
			return nil, err
		}
	}
	v, err := Load(ctx, c)
	if err != nil {
		return nil, err
	}
	set := v.Set(k)
	for i, w := range in.AddSynonyms {
		if err := addWord(ctx, c, set, k, w, code, in.Region, fmt.Sprintf("addSynonyms[%d]", i)); err != nil {
			return nil, err
		}
	}
	return set.Term(code), nil
}

// allowed is a lookup outside the viewer's scope (a code is unique in the
// whole database); it answers yes or no, never a row.
func allowed(ctx context.Context) context.Context { return privacy.DecisionContext(ctx, privacy.Allow) }
