package scope

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// In renders a rule for the analytics' hand-written SQL (package insight):
// the condition "column holds the ID of a row of table that the rule
// admits", as a subquery built by the very predicate the ent privacy
// policies apply, so a raw query and an ent query can never disagree on
// what a viewer may see. The rule's values are appended to *args and
// referred to as $n after those already there (the analytics use $n on
// both engines). A nil rule (the viewer sees every row) gives "TRUE".
func In[P ~func(*sql.Selector)](column string, rule P, table string, args *[]any) string {
	if rule == nil {
		return "TRUE"
	}
	// PostgreSQL's builder writes $n placeholders and double-quoted
	// identifiers, which SQLite reads the same way.
	b := sql.Dialect(dialect.Postgres)
	t := sql.Table(table)
	sel := b.Select(t.C("id")).From(t)
	sel.SetTotal(len(*args))
	rule(sel)
	query, values := sel.Query()
	*args = append(*args, values...)
	return column + " IN (" + query + ")"
}
