package roster

import (
	"cmp"
	"fmt"
	"slices"

	"yanzhen/vocab"
	"yanzhen/vocab/vocabdb"
)

// Reading is how the import read a word written otherwise than the
// column's own (男性 as 男, 大学本科 as 本科, a county's 茶 as 茶叶): the
// report lists each once with its count, so a clerk sees what the file said
// and what it meant without a warning per row.
type Reading struct {
	Sheet  string `json:"sheet"`
	Column string `json:"column"`
	// Word is the cell as written; Read the word it was read as.
	Word  string `json:"word"`
	Read  string `json:"read"`
	Count int    `json:"count"`
}

// UnknownWord is a word of an extendable vocabulary (标签, 专业领域) that is
// not in the vocabulary applying to the importer, listed once with where it
// is: an admin adds it as a term or maps it to one (addVocabularyTerm,
// mapVocabularyWord), and the same file then imports unchanged.
type UnknownWord struct {
	Vocabulary vocab.Kind `json:"vocabulary"`
	// Word is the word as first written.
	Word   string `json:"word"`
	Column string `json:"column"`
	Count  int    `json:"count"`
	// Places are where it is written, the first maxWordPlaces of them.
	Places []Place `json:"places"`
	// Suggestion is the code of a term the word may mean (茶 for 茶叶), "" when none.
	Suggestion string `json:"suggestion,omitempty"`
}

// maxWordPlaces bounds the places kept per unknown word.
const maxWordPlaces = 100

type unknownKey struct {
	kind vocab.Kind
	word string
}

func (imp *importer) reading(sheet, col, word, read string) {
	imp.readings[Reading{Sheet: sheet, Column: col, Word: word, Read: read}]++
}

func (imp *importer) unknownWord(k vocab.Kind, s *boundSheet, line int, col, word, suggestion string) {
	key := unknownKey{k, vocab.Fold(word)}
	u := imp.unknown[key]
	if u == nil {
		u = &UnknownWord{Vocabulary: k, Word: word, Column: col, Suggestion: suggestion}
		imp.unknown[key] = u
	}
	u.Count++
	if len(u.Places) < maxWordPlaces {
		u.Places = append(u.Places, Place{Sheet: s.name, Row: line, Cell: cellName(s, line, col)})
	}
}

// summarizeWords puts the readings and unknown words into the report: the
// most frequent first, ties by word.
func (imp *importer) summarizeWords() {
	imp.rep.Readings = imp.rep.Readings[:0]
	for r, n := range imp.readings {
		r.Count = n
		imp.rep.Readings = append(imp.rep.Readings, r)
	}
	slices.SortFunc(imp.rep.Readings, func(a, b Reading) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Word, b.Word))
	})
	imp.rep.UnknownWords = imp.rep.UnknownWords[:0]
	for _, u := range imp.unknown {
		imp.rep.UnknownWords = append(imp.rep.UnknownWords, *u)
	}
	slices.SortFunc(imp.rep.UnknownWords, func(a, b UnknownWord) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Vocabulary, b.Vocabulary), cmp.Compare(a.Word, b.Word))
	})
}

// OnlyUnknownWords reports whether every problem of the report is a word
// missing from a vocabulary: one vocabulary step away from importing.
func (r *Report) OnlyUnknownWords() bool {
	if len(r.UnknownWords) == 0 {
		return false
	}
	n := 0
	for _, u := range r.UnknownWords {
		n += u.Count
	}
	return n == len(r.Problems)
}

// setWords are a vocabulary's terms as a column's words (label, code).
func setWords(s *vocab.Set) words {
	var out words
	for _, e := range s.Entries() {
		out = append(out, word{e.Label, e.Code})
	}
	return out
}

// loadVocabularies reads the vocabularies that apply to the exporter.
func (x *exporter) loadVocabularies() error {
	v, err := vocabdb.Load(x.ctx, x.c)
	if err != nil {
		return fmt.Errorf("loading the vocabularies: %w", err)
	}
	x.tags, x.fields = setWords(v.Set(vocab.KindPersonTag)), setWords(v.Set(vocab.KindAgriculturalField))
	return nil
}
