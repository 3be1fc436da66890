package vocab

import (
	"sort"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/width"
)

// Fold is the form in which words are compared and stored: full-width
// letters and digits folded to ASCII, every space (U+3000 too) dropped,
// Latin letters lower-cased — the folding of the roster's headers, so
// "乡 贤" and "乡贤", "ＴＥＡ" and "tea" are one word.
func Fold(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Entry is one term of a vocabulary as it applies to a viewer: a national
// default (Region "") or a term an area's admin added.
type Entry struct {
	Kind    Kind
	Code    string
	Label   string
	LabelEn string
	// Region is the code of the area that owns the term; "" for a national one.
	Region string
	// ID is the term's row (0 for a national default, which lives in code).
	ID int
	// Words are the synonyms that lead to the term for this viewer, with
	// the area each belongs to.
	Words []Word
}

// Word is a synonym: a word an area writes for a term.
type Word struct {
	Word string // as the admin wrote it
	// Region is the code of the area whose word it is; "" for a national one.
	Region string
	ID     int // 0 for a national default
}

// Set is a vocabulary as it applies to one viewer: the national terms, the
// terms and words of the areas the viewer reads. A word is matched folded
// against labels, codes and synonyms.
type Set struct {
	kind    Kind
	entries []*Entry
	byCode  map[string]*Entry
	byWord  map[string]*Entry
}

// NewSet starts a vocabulary with its national terms and their words.
func NewSet(k Kind) *Set {
	s := &Set{kind: k, byCode: map[string]*Entry{}, byWord: map[string]*Entry{}}
	for _, t := range k.Defaults() {
		e := &Entry{Kind: k, Code: t.Code, Label: t.Chinese, LabelEn: t.English}
		for _, w := range DefaultWords(k, t.Code) {
			e.Words = append(e.Words, Word{Word: w})
		}
		s.add(e)
	}
	return s
}

// AddTerm adds a term of an area (its words come with AddWord).
func (s *Set) AddTerm(e Entry) {
	e.Kind = s.kind
	e.Words = nil
	s.add(&e)
}

func (s *Set) add(e *Entry) {
	s.entries = append(s.entries, e)
	s.byCode[e.Code] = e
	if k := Fold(e.Label); k != "" {
		s.byWord[k] = e
	}
	for _, w := range e.Words {
		s.byWord[Fold(w.Word)] = e
	}
}

// AddWord adds a synonym of a term; false when the set has no such term
// (a word mapping to a term the viewer does not read).
func (s *Set) AddWord(code string, w Word) bool {
	e := s.byCode[code]
	if e == nil {
		return false
	}
	e.Words = append(e.Words, w)
	if k := Fold(w.Word); k != "" {
		if _, taken := s.byWord[k]; !taken {
			s.byWord[k] = e
		}
	}
	return true
}

// Kind is the vocabulary's kind.
func (s *Set) Kind() Kind { return s.kind }

// Entries lists the terms, national ones first, in the order added.
func (s *Set) Entries() []*Entry { return s.entries }

// Has reports whether code is a term of the set.
func (s *Set) Has(code string) bool { return s.byCode[code] != nil }

// Term is the entry of a code, nil when unknown.
func (s *Set) Term(code string) *Entry { return s.byCode[code] }

// Label is the Chinese label of a code (the code itself when unknown): what
// the roster writes.
func (s *Set) Label(code string) string {
	if e := s.byCode[code]; e != nil {
		return e.Label
	}
	return code
}

// Code reads a word as the roster or a user writes it: a label, a synonym
// or the code itself (any case), compared folded.
func (s *Set) Code(word string) (string, bool) {
	k := Fold(word)
	if e := s.byWord[k]; e != nil {
		return e.Code, true
	}
	if e := s.byCode[strings.ToUpper(k)]; e != nil {
		return e.Code, true
	}
	return "", false
}

// Labels lists the labels, for the message naming the allowed words.
func (s *Set) Labels() []string {
	out := make([]string, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.Label
	}
	return out
}

// Suggest is the term a word most likely means, "" when none is close: a
// label or synonym containing the word or contained in it (茶 in 茶叶).
func (s *Set) Suggest(word string) string {
	k := Fold(word)
	if k == "" {
		return ""
	}
	var keys []string
	for w := range s.byWord {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	for _, w := range keys {
		if strings.Contains(w, k) || strings.Contains(k, w) {
			return s.byWord[w].Code
		}
	}
	return ""
}

// Vocabularies are the sets of every kind that apply to one viewer.
type Vocabularies map[Kind]*Set

// Defaults are the national vocabularies alone.
func Defaults() Vocabularies {
	v := Vocabularies{}
	for _, k := range Kinds {
		v[k] = NewSet(k)
	}
	return v
}

// Set is the vocabulary of a kind (the national one when v lacks it).
func (v Vocabularies) Set(k Kind) *Set {
	if s := v[k]; s != nil {
		return s
	}
	return NewSet(k)
}

// CodeOf derives a code from a label: its toneless pinyin in capitals
// (乡贤 → XIANGXIAN), Latin letters and digits kept, an underscore where
// Han meets Latin or anything else stood (茶 2 → CHA_2). "" when nothing is
// left; a code that would not start with a letter is prefixed with T_.
func CodeOf(label string) string {
	var b strings.Builder
	last := 0 // 0 nothing yet or a separator, 1 Han, 2 Latin
	put := func(kind int, s string) {
		if b.Len() > 0 && last != kind {
			b.WriteByte('_')
		}
		b.WriteString(s)
		last = kind
	}
	args := pinyin.NewArgs()
	for _, r := range width.Fold.String(label) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			put(2, strings.ToUpper(string(r)))
		case unicode.Is(unicode.Han, r):
			if py := pinyin.SinglePinyin(r, args); len(py) > 0 {
				put(1, strings.ToUpper(py[0]))
			}
		default:
			last = 0
		}
	}
	code := b.String()
	if code == "" {
		return ""
	}
	if code[0] < 'A' || code[0] > 'Z' {
		code = "T_" + code
	}
	if len(code) > 44 { // room for a _NN suffix on collision
		code = strings.TrimRight(code[:44], "_")
	}
	return code
}

// National reports whether no area owns the term.
func (e *Entry) National() bool { return e.Region == "" }
