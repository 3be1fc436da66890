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
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
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
// at most first hits: people first, then institutions, then regions, each by
// ID. People match by name part, by the start of the full pinyin or the
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
	named := []struct {
		kind  SearchKind
		query string
	}{
		{InstitutionHit, `SELECT i.id FROM institutions i WHERE i.name LIKE $1 ESCAPE '\'` +
			` AND ($2 = '' OR EXISTS (SELECT 1 FROM regions r WHERE r.id = i.region_id AND r.code >= $2 AND r.code < $3))` +
			` ORDER BY i.id LIMIT $4`},
		{RegionHit, `SELECT r.id FROM regions r WHERE r.name LIKE $1 ESCAPE '\'` +
			` AND ($2 = '' OR (r.code >= $2 AND r.code < $3)) ORDER BY r.id LIMIT $4`},
	}
	for _, n := range named {
		if !want(n.kind) || len(hits) >= first {
			continue
		}
		err := queryRows(ctx, c, n.query, []any{likePattern(q.Text), lo, hi, first - len(hits)}, func(rows *sql.Rows) error {
			h := Hit{Kind: n.kind, MatchedBy: "NAME"}
			if err := rows.Scan(&h.ID); err != nil {
				return err
			}
			hits = append(hits, h)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("searching %s: %w", strings.ToLower(string(n.kind)), err)
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
		match, by string
		args      []any
	)
	switch q.Class {
	case Digits:
		// Only the stored suffix is compared, never the phone itself.
		match, by, args = "p.phone_suffix = $1", "'PHONE'", []any{q.Text}
	case Latin:
		// A person has a key of each kind per reading of their name
		// (person_search_keys, see searchkey.Keys), and matches when any
		// starts with the query: one range of the (key, person_id) index,
		// both kinds at once. IN keeps each person once however many of
		// their keys match, and lets PostgreSQL choose between walking the
		// people in ID order until the page is full (a common prefix) and
		// sorting the few matches (a rare one). The kind they matched by is
		// MIN(kind): INITIALS sorts before PINYIN, and a query that is both
		// (like "z") reads as initials. It is a scalar subquery, computed
		// for the page's rows only from the (person_id, kind, key) index:
		// an EXISTS there may be planned as a hash of every matching key.
		plo, phi := prefixRange(q.Text)
		args = []any{plo}
		rng := "k.key >= $1"
		if phi != "" {
			args = append(args, phi)
			rng += " AND k.key < $2"
		}
		match = "p.id IN (SELECT k.person_id FROM person_search_keys k WHERE " + rng + ")"
		by = "(SELECT MIN(k.kind) FROM person_search_keys k WHERE k.person_id = p.id AND " + rng + ")"
	case Chinese:
		match, by, args = `p.name LIKE $1 ESCAPE '\'`, "'NAME'", []any{likePattern(q.Text)}
	}
	if within != "" {
		// Within a subtree, start from its people — residents of its
		// villages and holders of its current posts, both from indexes — so
		// that a short name part does not scan every person.
		lo, hi := codeRange(within)
		n := len(args)
		args = append(args, lo, hi, Today())
		match += fmt.Sprintf(` AND p.id IN (
			SELECT rp.id FROM regions hv JOIN persons rp ON rp.home_village_id = hv.id
			WHERE hv.code >= $%[1]d AND hv.code < $%[2]d
			UNION
			SELECT po.person_id FROM regions pr JOIN posts po ON po.region_id = pr.id
			WHERE pr.code >= $%[1]d AND pr.code < $%[2]d AND po.start_date <= $%[3]d AND (po.end_date IS NULL OR po.end_date >= $%[3]d)
		)`, n+1, n+2, n+3)
	}
	match += " AND " + seesPeople(ctx, "p.id", &args)
	args = append(args, limit)
	sqlText := fmt.Sprintf("SELECT p.id, %s FROM persons p WHERE %s ORDER BY p.id LIMIT $%d", by, match, len(args))
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
