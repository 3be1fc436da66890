package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func parse(t *testing.T, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestCountSelections(t *testing.T) {
	for _, c := range []struct {
		name            string
		query           string
		aliases, fields int
	}{
		{"plain fields", `{ a b { c d } }`, 0, 4},
		{"aliases", `{ x: a y: b { z: c } }`, 3, 3},
		{"an alias equal to the name is none", `{ a: a }`, 0, 1},
		{"inline fragments add nothing", `{ ... on Query { a b } }`, 0, 2},
		{"a fragment counts where it is spread", `{ ...F ...F } fragment F on Query { p: a b }`, 2, 6},
		{"a fragment spread three times", `{ ...F b { ...F } c { ...F } } fragment F on T { x: a b }`, 3, 2 + 3*3},
		{"nested fragments", `{ ...F } fragment F on Q { ...G ...G } fragment G on Q { a }`, 0, 1 + 2*2},
		{"an unused fragment is counted once", `{ a } fragment F on Q { x: b c }`, 1, 3},
		{"every operation", `query A { a } query B { x: b }`, 1, 2},
		{"a fragment spreading itself", `{ ...F } fragment F on Q { a ...F }`, 0, 3},
		{"two fragments spreading each other", `{ ...F } fragment F on Q { a ...G } fragment G on Q { b ...F }`, 0, 5},
		{"a spread of an unknown fragment", `{ ...Nope }`, 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := countSelections(parse(t, c.query), 0, 0)
			if got.aliases != c.aliases || got.fields != c.fields {
				t.Fatalf("aliases %d fields %d, want %d %d", got.aliases, got.fields, c.aliases, c.fields)
			}
		})
	}
}

// Fragments that spread each other twice over 40 levels expand to 2^40
// fields; the count stops just past the limit, or at its ceiling.
func TestCountSelectionsStops(t *testing.T) {
	var q strings.Builder
	q.WriteString("{ ...F0 } ")
	for i := range 40 {
		fmt.Fprintf(&q, "fragment F%d on Q { x%d: a ...F%d ...F%d } ", i, i, i+1, i+1)
	}
	q.WriteString("fragment F40 on Q { a }")
	doc := parse(t, q.String())
	for _, c := range []struct {
		maxAliases, maxFields int
		check                 func(selectionCount) bool
	}{
		{0, 500, func(n selectionCount) bool { return n.fields == 501 }},
		{30, 0, func(n selectionCount) bool { return n.aliases == 31 }},
		{0, 0, func(n selectionCount) bool { return n.fields == countCeiling+1 }},
	} {
		// Stopping just past the limit (or the ceiling) is what bounds the
		// work: 2^40 fields are never walked.
		n := countSelections(doc, c.maxAliases, c.maxFields)
		if !c.check(n) {
			t.Errorf("limits %d/%d: counted %+v", c.maxAliases, c.maxFields, n)
		}
	}
}

func TestAliasAndFieldLimits(t *testing.T) {
	l := RequestLimits{MaxAliases: 30, MaxFields: 500}
	aliases := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "a%d: __typename ", i)
		}
		return "{ " + b.String() + "}"
	}
	fields := "{ " + strings.Repeat("__typename ", 499) + "}"
	for _, c := range []struct {
		name, query string
		says        string
	}{
		{"30 aliases", aliases(30), ""},
		{"31 aliases", aliases(31), "more than 30 aliases"},
		{"498 fields, a spread and its field", "{ ...F " + strings.Repeat("__typename ", 498) + "} fragment F on Query { __typename }", ""},
		{"499 fields, a spread and its field", strings.Replace(fields, "{ ", "{ ...F ", 1) + " fragment F on Query { __typename }", "more than 500 fields"},
		{"499 fields", fields, ""},
		{"501 fields", "{ " + strings.Repeat("__typename ", 501) + "}", "more than 500 fields"},
		{"a query that does not parse is gqlgen's to report", "{ a: ", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{})
			err := l.MutateOperationParameters(ctx, &graphql.RawParams{Query: c.query})
			switch {
			case c.says == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.says != "" && (err == nil || !strings.Contains(err.Message, c.says) || err.Extensions["code"] != "BAD_USER_INPUT"):
				t.Fatalf("got %v, want a BAD_USER_INPUT saying %q", err, c.says)
			}
		})
	}
	if err := (RequestLimits{}).MutateOperationParameters(context.Background(), &graphql.RawParams{Query: aliases(1000)}); err != nil {
		t.Fatalf("no limits configured, yet refused: %v", err)
	}
}
