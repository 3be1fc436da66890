package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"yanzhen/auth"
	"yanzhen/regioncode"
	"yanzhen/vocab"
	"yanzhen/vocab/vocabdb"
)

// Vocab runs `yanzhen vocab list [--kind K]`, `yanzhen vocab add --kind K
// --label L [--code C] [--label-en E] [--synonyms a,b] [--region CODE]` and
// `yanzhen vocab map --kind K --word W --code C [--region CODE]`: the
// vocabularies admins extend (docs/roster.md). A command acts as the
// system, so it lists every area's terms and writes for the area named by
// --region (none: a national term or word).
func Vocab(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx)
	const usage = "usage: yanzhen vocab list [--kind PERSON_TAG|AGRICULTURAL_FIELD] | add --kind K --label L [--code C] [--label-en E] [--synonyms a,b] [--region CODE] | map --kind K --word W --code C [--region CODE]"
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	fs := flag.NewFlagSet("vocab "+args[0], flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
	kind := fs.String("kind", "", "PERSON_TAG or AGRICULTURAL_FIELD")
	label := fs.String("label", "", "add: the Chinese label")
	labelEn := fs.String("label-en", "", "add: the English label")
	code := fs.String("code", "", "add: the code (default: the label's pinyin); map: the term's code")
	synonyms := fs.String("synonyms", "", "add: other words for the term, comma-separated")
	word := fs.String("word", "", "map: the area's word")
	region := fs.String("region", "", "the owning area's region code (empty: national)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	k := vocab.Kind(strings.ToUpper(*kind))
	if *kind != "" && !k.Valid() || *kind == "" && args[0] != "list" {
		return fmt.Errorf("--kind must be PERSON_TAG or AGRICULTURAL_FIELD\n%s", usage)
	}
	if *region != "" && !regioncode.Valid(*region) {
		return fmt.Errorf("%q is not a region code", *region)
	}
	db, err := OpenDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "list":
		v, err := vocabdb.Load(ctx, db.Client)
		if err != nil {
			return err
		}
		for _, kk := range vocab.Kinds {
			if k != "" && kk != k {
				continue
			}
			for _, e := range v.Set(kk).Entries() {
				var ws []string
				for _, w := range e.Words {
					ws = append(ws, w.Word)
				}
				owner := e.Region
				if owner == "" {
					owner = "national"
				}
				fmt.Fprintf(env.Stdout, "%s\t%s\t%s\t%s\t%s\n", kk, e.Code, e.Label, owner, strings.Join(ws, ","))
			}
		}
		return nil
	case "add":
		in := vocabdb.TermInput{Kind: k, Label: *label, LabelEn: *labelEn, Code: *code, Region: *region}
		for _, s := range strings.Split(*synonyms, ",") {
			if s = strings.TrimSpace(s); s != "" {
				in.Synonyms = append(in.Synonyms, s)
			}
		}
		e, err := vocabdb.AddTerm(ctx, db.Client, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "added %s %s (%s)\n", k, e.Code, e.Label)
		return nil
	case "map":
		e, err := vocabdb.MapWord(ctx, db.Client, k, *word, *code, *region)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s now means %s %s (%s)\n", *word, k, e.Code, e.Label)
		return nil
	}
	return fmt.Errorf("%s", usage)
}
