package insight

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/errcode"
)

// QueryClass is what a search query looks like, which decides what it is
// matched against.
type QueryClass int

const (
	// Digits: the last 4 digits of a phone number.
	Digits QueryClass = iota + 1
	// Latin: the start of a name's full pinyin or initials.
	Latin
	// Chinese: a part of a name (anything that is not all digits or all latin).
	Chinese
)

// MaxQueryLength bounds a search query, in characters.
const MaxQueryLength = 64

// SearchQuery is a parsed search query.
type SearchQuery struct {
	Class QueryClass
	// Text is the normalised query: digits only, lower-case latin letters and
	// digits without spaces or apostrophes (zhang hui'ting → zhanghuiting), or
	// the trimmed text with inner spaces removed.
	Text string
}

// PhoneSuffixDigits is how many digits a phone search takes: exactly the
// last 4, which the masked phone (138****8000) shows anyway. A longer
// suffix would let anyone who may search rebuild the hidden digits one at a
// time; a shorter one only multiplies the probes.
const PhoneSuffixDigits = 4

// ParseSearchQuery classifies and normalises what a user typed. A query of
// digits must be exactly the last 4 digits of a phone number.
func ParseSearchQuery(raw string) (SearchQuery, error) {
	if !utf8.ValidString(raw) {
		return SearchQuery{}, errcode.BadInput("query", "the query is not valid text / 查询内容无效")
	}
	var b strings.Builder
	digits, latin, n := true, true, 0
	for _, r := range raw {
		if unicode.IsSpace(r) || r == '\'' || r == '’' || r == '-' {
			continue // separators people type between syllables or digit groups
		}
		if !unicode.IsPrint(r) {
			continue
		}
		n++
		if r < '0' || r > '9' {
			digits = false
		}
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			latin = false
		}
		b.WriteRune(r)
	}
	text := b.String()
	switch {
	case n == 0:
		return SearchQuery{}, errcode.BadInput("query", "type something to search for / 请输入查询内容")
	case n > MaxQueryLength:
		return SearchQuery{}, errcode.BadInput("query", "the query is longer than %d characters / 查询内容过长", MaxQueryLength)
	case digits:
		if n != PhoneSuffixDigits {
			return SearchQuery{}, errcode.BadInput("query", "search a phone number by exactly its last 4 digits / 按电话号码查询请输入后4位")
		}
		return SearchQuery{Class: Digits, Text: text}, nil
	case latin:
		return SearchQuery{Class: Latin, Text: strings.ToLower(text)}, nil
	}
	return SearchQuery{Class: Chinese, Text: text}, nil
}

// likePattern is %text% with LIKE's wildcards escaped (ESCAPE '\').
func likePattern(text string) string {
	return "%" + likeEscape(text) + "%"
}

// prefixPattern is text% with LIKE's wildcards escaped (ESCAPE '\').
func prefixPattern(text string) string {
	return likeEscape(text) + "%"
}

func likeEscape(text string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text)
}

// RegionSuffixes are the endings of a division's name that a search may
// leave out: "沙市" names 沙市区 exactly, as "萨拉齐" names 萨拉齐镇.
var RegionSuffixes = []string{"省", "市", "区", "县", "旗", "镇", "乡", "村", "社区", "街道"}

// ranked is the statement of a search that ranks its hits: the rows of
// table (as alias) meeting tiers[0] first, then those meeting tiers[1] …,
// by ID within a tier; where is the condition every hit meets besides, and
// limit the page size's placeholder. The tiers' conditions exclude each
// other, and each tier is a subquery of its own in ID order with the page's
// LIMIT: a common query still reads no more than a page of rows per tier
// (walking an index in ID order, or the name index for an exact name), as
// the search did before it ranked, and the statement stays one. The
// outer select gives cols over the tiers' rows, named alias too (alias.id,
// alias.tier).
func ranked(cols, table, alias string, tiers []string, where, limit string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "SELECT %s FROM (", cols)
	for i, t := range tiers {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, "SELECT * FROM (SELECT %[1]s.id, %[2]d AS tier FROM %[3]s %[1]s WHERE (%[4]s) AND %[5]s ORDER BY %[1]s.id LIMIT %[6]s) t%[2]d",
			alias, i, table, t, where, limit)
	}
	fmt.Fprintf(&b, ") %[1]s ORDER BY %[1]s.tier, %[1]s.id LIMIT %[2]s", alias, limit)
	return b.String()
}

// nameTiers are the tiers (see ranked) of a search of a name column by
// text: a name among exact first (the query itself, for a region also the
// query with a suffix), then the names that start with the query, then
// those that contain it. Their values are appended to *args.
func nameTiers(col, text string, exact []string, args *[]any) []string {
	in := make([]string, len(exact))
	for i, e := range exact {
		*args = append(*args, e)
		in[i] = fmt.Sprintf("$%d", len(*args))
	}
	*args = append(*args, prefixPattern(text), likePattern(text))
	prefix, contains := len(*args)-1, len(*args)
	list := strings.Join(in, ", ")
	return []string{
		fmt.Sprintf("%s IN (%s)", col, list),
		fmt.Sprintf(`%[1]s LIKE $%[2]d ESCAPE '\' AND %[1]s NOT IN (%[3]s)`, col, prefix, list),
		fmt.Sprintf(`%[1]s LIKE $%[2]d ESCAPE '\' AND %[1]s NOT LIKE $%[3]d ESCAPE '\'`, col, contains, prefix),
	}
}

// keyAlphabet is the order of the characters in search keys, the same in the
// C collation and in language collations for lower-case letters and digits.
const keyAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// prefixRange returns [lo, hi) holding every key that starts with prefix;
// hi is "" when unbounded (a prefix of only z's).
func prefixRange(prefix string) (lo, hi string) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		j := strings.IndexByte(keyAlphabet, b[i])
		if j >= 0 && j < len(keyAlphabet)-1 {
			b[i] = keyAlphabet[j+1]
			return prefix, string(b[:i+1])
		}
	}
	return prefix, ""
}

// SearchKind is what a search hit is.
type SearchKind string

const (
	PersonHit      SearchKind = "PERSON"
	InstitutionHit SearchKind = "INSTITUTION"
	RegionHit      SearchKind = "REGION"
)

// Hit is one search result.
type Hit struct {
	Kind SearchKind
	ID   int
	// MatchedBy is NAME, PINYIN, INITIALS or PHONE.
	MatchedBy string
}

// Search finds people, institutions and regions (those of kinds, all when
// empty) matching query, within the subtree of code when within is not "",
// at most first hits: people first, then institutions, then regions, each
// ranked (see ranked) and by ID within a rank. A name matched by a Chinese
// query ranks exact name (for a region also the name less its suffix,
// RegionSuffixes: "沙市" finds 沙市区 before 长沙市), then a name starting
// with the query, then one containing it; a person found by pinyin or
// initials ranks a key equal to the query before one starting with it.
// People match by name part, by the start of the full pinyin or the
// initials of any reading of their name (the surname read as a surname, the
// common readings of the other characters: person_search_keys), or by the
// last 4 digits of their phone (the stored phone_suffix, by equality);
// institutions and regions by name part. Every predicate is served
// by an index: B-tree ranges on the search keys, and on PostgreSQL a
// trigram index for name parts of 3 characters or more
// (the search-indexes migration, ent/migrate/migrations/postgres).
func Search(ctx context.Context, c *ent.Client, query, within string, kinds []SearchKind, first int) ([]Hit, error) {
	q, err := ParseSearchQuery(query)
	if err != nil {
		return nil, err
	}
	if first < 0 || first > 100 {
		return nil, errcode.BadInput("first", "first must be between 0 and 100 / 每次最多 100 条")
	}
	if within != "" {
		if _, err := findRegion(ctx, c, "within", within); err != nil {
			return nil, err
		}
	}
	want := func(k SearchKind) bool {
		if len(kinds) == 0 {
			return true
		}
		for _, x := range kinds {
			if x == k {
				return true
			}
		}
		return false
	}
	v := auth.FromContext(ctx)
	var hits []Hit
	if want(PersonHit) && len(hits) < first {
		h, err := searchPeople(ctx, c, q, within, first-len(hits))
		if err != nil {
			return nil, err
		}
		hits = append(hits, h...)
	}
	if q.Class == Digits {
		return hits, nil // only phones are searched by digits
	}
	// Institutions and regions are public; a regional viewer's search of
	// them stays in their own area unless they name a narrower one.
	place, meets := areaOf(v, within)
	if !meets {
		return hits, nil
	}
	lo, hi := "", ""
	if place != "" {
		lo, hi = codeRange(place)
	}
	for _, kind := range []SearchKind{InstitutionHit, RegionHit} {
		if !want(kind) || len(hits) >= first {
			continue
		}
		args := []any{lo, hi}
		var sqlText string
		if kind == InstitutionHit {
			tiers := nameTiers("i.name", q.Text, []string{q.Text}, &args)
			args = append(args, first-len(hits))
			sqlText = ranked("i.id", "institutions", "i", tiers,
				`($1 = '' OR EXISTS (SELECT 1 FROM regions r WHERE r.id = i.region_id AND r.code >= $1 AND r.code < $2))`,
				fmt.Sprintf("$%d", len(args)))
		} else {
			exact := []string{q.Text}
			for _, s := range RegionSuffixes {
				exact = append(exact, q.Text+s)
			}
			tiers := nameTiers("r.name", q.Text, exact, &args)
			args = append(args, first-len(hits))
			sqlText = ranked("r.id", "regions", "r", tiers,
				`($1 = '' OR (r.code >= $1 AND r.code < $2))`, fmt.Sprintf("$%d", len(args)))
		}
		err := queryRows(ctx, c, sqlText, args, func(rows *sql.Rows) error {
			h := Hit{Kind: kind, MatchedBy: "NAME"}
			if err := rows.Scan(&h.ID); err != nil {
				return err
			}
			hits = append(hits, h)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("searching %s: %w", strings.ToLower(string(kind)), err)
		}
	}
	return hits, nil
}

// areaOf intersects the subtree a search of places asked for with a
// regional viewer's: the narrower of the two when one contains the other;
// ok=false when they do not meet.
func areaOf(v *auth.Viewer, within string) (string, bool) {
	if v.System() || !v.Regional() || v.Scope == "" {
		return within, true
	}
	switch {
	case within == "" || strings.HasPrefix(v.Scope, within):
		return v.Scope, true
	case strings.HasPrefix(within, v.Scope):
		return within, true
	}
	return "", false
}

// searchPeople runs the person search for q among the people the viewer
// may see (package scope), within the subtree of within when it is not "".
func searchPeople(ctx context.Context, c *ent.Client, q SearchQuery, within string, limit int) ([]Hit, error) {
	var (
		tiers []string
		by    string
		args  []any
	)
	switch q.Class {
	case Digits:
		// Only the stored suffix is compared, never the phone itself.
		tiers, by, args = []string{"p.phone_suffix = $1"}, "'PHONE'", []any{q.Text}
	case Latin:
		// A person has a key of each kind per reading of their name
		// (person_search_keys, see searchkey.Keys), and matches when any
		// starts with the query: one range of the (key, person_id) index,
		// both kinds at once. IN keeps each person once however many of
		// their keys match, and lets PostgreSQL choose between walking the
		// people in ID order until the page is full (a common prefix) and
		// sorting the few matches (a rare one). A key equal to the query
		// ranks first (zhangwei: 张伟 before 张伟东), from the same index.
		// The kind they matched by is MIN(kind): INITIALS sorts before
		// PINYIN, and a query that is both (like "z") reads as initials.
		// It is a scalar subquery, computed for the page's rows only from
		// the (person_id, kind, key) index: an EXISTS there may be planned
		// as a hash of every matching key.
		plo, phi := prefixRange(q.Text)
		args = []any{plo}
		rng := "k.key >= $1"
		if phi != "" {
			args = append(args, phi)
			rng += " AND k.key < $2"
		}
		exact := "p.id IN (SELECT k.person_id FROM person_search_keys k WHERE k.key = $1)"
		tiers = []string{
			exact,
			"p.id IN (SELECT k.person_id FROM person_search_keys k WHERE " + rng + ") AND NOT " + exact,
		}
		by = "(SELECT MIN(k.kind) FROM person_search_keys k WHERE k.person_id = p.id AND " + rng + ")"
	case Chinese:
		tiers, by = nameTiers("p.name", q.Text, []string{q.Text}, &args), "'NAME'"
	}
	where := seesPeople(ctx, "p.id", &args)
	if within != "" {
		// Within a subtree, start from its people — residents of its
		// villages and holders of its current posts, both from indexes — so
		// that a short name part does not scan every person.
		lo, hi := codeRange(within)
		n := len(args)
		args = append(args, lo, hi, Today())
		where += fmt.Sprintf(` AND p.id IN (
			SELECT rp.id FROM regions hv JOIN persons rp ON rp.home_village_id = hv.id
			WHERE hv.code >= $%[1]d AND hv.code < $%[2]d
			UNION
			SELECT po.person_id FROM regions pr JOIN posts po ON po.region_id = pr.id
			WHERE pr.code >= $%[1]d AND pr.code < $%[2]d AND po.start_date <= $%[3]d AND (po.end_date IS NULL OR po.end_date >= $%[3]d)
		)`, n+1, n+2, n+3)
	}
	args = append(args, limit)
	sqlText := ranked("p.id, "+by, "persons", "p", tiers, where, fmt.Sprintf("$%d", len(args)))
	var hits []Hit
	err := queryRows(ctx, c, sqlText, args, func(rows *sql.Rows) error {
		h := Hit{Kind: PersonHit}
		if err := rows.Scan(&h.ID, &h.MatchedBy); err != nil {
			return err
		}
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("searching people: %w", err)
	}
	return hits, nil
}
