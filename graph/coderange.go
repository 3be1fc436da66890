package graph

import (
	"context"
	"reflect"
	"strings"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"yanzhen/regioncode"
)

// Code-prefix filters (codeHasPrefix, regionCodeHasPrefix) mean "in this
// region's subtree". ent writes them as LIKE 'p%', which PostgreSQL's B-tree
// cannot serve under a non-C collation (nor under a generic plan whatever
// the collation): every request scanned all regions. A prefix of digits is
// a range of codes, code >= p AND code < next(p), which the index serves
// like regions(within:). codeRanges rewrites each such filter of a where
// input — its not/and/or too — into that range before ent builds the query;
// a prefix with other characters cannot be a code and keeps its LIKE (it
// matches nothing the range would). The relation filters are rewritten by
// narrow (scoped.go), the where arguments of every field by
// codeRangeArguments.

// codeRanges rewrites the digit-prefix filters of one where input (a
// *XWhereInput) and of the inputs nested in its not, and, or.
func codeRanges(where reflect.Value) {
	if where.Kind() != reflect.Pointer || where.IsNil() || where.Elem().Kind() != reflect.Struct {
		return
	}
	s := where.Elem()
	t := s.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		v := s.Field(i)
		switch {
		case strings.HasSuffix(f.Name, "CodeHasPrefix") && f.Type == reflect.TypeFor[*string]():
			if v.IsNil() {
				continue
			}
			prefix := *(v.Interface().(*string))
			if !digits(prefix) {
				continue
			}
			if addPredicate(where, regioncode.InColumn(column(strings.TrimSuffix(f.Name, "HasPrefix")), prefix)) {
				v.Set(reflect.Zero(f.Type))
			}
		case f.Name == "Not":
			codeRanges(v)
		case f.Name == "And" || f.Name == "Or":
			for j := 0; j < v.Len(); j++ {
				codeRanges(v.Index(j))
			}
		}
	}
}

// addPredicate calls where.AddPredicates(p) with p (a func(*sql.Selector))
// converted to the input's predicate type; false when the input has no
// such method.
func addPredicate(where reflect.Value, p any) bool {
	add := where.MethodByName("AddPredicates")
	if !add.IsValid() || add.Type().NumIn() != 1 {
		return false
	}
	add.Call([]reflect.Value{reflect.ValueOf(p).Convert(add.Type().In(0).Elem())})
	return true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// column is the snake_case column of a Go field name (RegionCode →
// region_code), as ent names them.
func column(field string) string {
	var b strings.Builder
	for i, r := range field {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// codeRangeArguments rewrites the where arguments of each field before its
// resolver runs (people(where: …), regions(where: …) …).
func codeRangeArguments(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		for _, arg := range fc.Args {
			if arg == nil {
				continue
			}
			if v := reflect.ValueOf(arg); v.Kind() == reflect.Pointer {
				if _, ok := whereInputs[v.Type()]; ok {
					codeRanges(v)
				}
			}
		}
	}
	return next(ctx)
}
