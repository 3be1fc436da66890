package graph

import (
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"yanzhen/ent/person"
	"yanzhen/ent/predicate"
	"yanzhen/vocab"
)

// personHasTag selects the people whose tags (a JSON array) hold tag.
// sqljson writes the engine's own test — JSON_EACH on SQLite, jsonb @> on
// PostgreSQL — where a LIKE on the text would also match a tag that merely
// contains the word. It is a predicate of the people query, so the privacy
// policy of Person narrows the same statement.
func personHasTag(tag vocab.PersonTag) predicate.Person {
	return func(s *sql.Selector) {
		s.Where(sqljson.ValueContains(s.C(person.FieldTags), string(tag)))
	}
}
