// Package regioncode reads the statistical division codes (省2/市4/县6/乡9/
// 村12 digits). A code is a prefix path, so "everything under a region" is a
// range on the indexed code column, which both SQLite and PostgreSQL answer
// from the B-tree without a LIKE.
package regioncode

import (
	"entgo.io/ent/dialect/sql"

	"yanzhen/ent/predicate"
	"yanzhen/ent/region"
)

// Lengths of the codes at each level, from province down to village.
var Lengths = []int{2, 4, 6, 9, 12}

// Levels are the region levels in the order of Lengths.
var Levels = []region.Level{region.LevelPROVINCE, region.LevelCITY, region.LevelCOUNTY, region.LevelTOWNSHIP, region.LevelVILLAGE}

// LevelOf returns the level a code's length stands for.
func LevelOf(code string) (region.Level, bool) {
	for i, n := range Lengths {
		if len(code) == n {
			return Levels[i], true
		}
	}
	return "", false
}

// Valid reports whether code is all digits and of a level's length.
func Valid(code string) bool {
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	_, ok := LevelOf(code)
	return ok
}

// Ancestors returns the codes above code, province first.
func Ancestors(code string) []string {
	var out []string
	for _, n := range Lengths {
		if n < len(code) {
			out = append(out, code[:n])
		}
	}
	return out
}

// Parent returns the code of the level above, or "" for a province.
func Parent(code string) string {
	a := Ancestors(code)
	if len(a) == 0 {
		return ""
	}
	return a[len(a)-1]
}

// upperBound is the smallest string greater than every string starting with
// prefix ("150221" → "150222", "1599" → "16"); "" when there is none.
func upperBound(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// Range returns the half-open range [lo, hi) of codes in the subtree of code
// (code itself included); hi is "" when unbounded.
func Range(code string) (lo, hi string) { return code, upperBound(code) }

// Within selects the regions in the subtree of code, code itself included.
func Within(code string) predicate.Region {
	return InColumn(region.FieldCode, code)
}

// InColumn is the subtree range on any column holding region codes, for
// queries that join regions under another name.
func InColumn(column, code string) func(*sql.Selector) {
	lo, hi := Range(code)
	return func(s *sql.Selector) {
		c := s.C(column)
		if hi == "" {
			s.Where(sql.GTE(c, lo))
			return
		}
		s.Where(sql.And(sql.GTE(c, lo), sql.LT(c, hi)))
	}
}
