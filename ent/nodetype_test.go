package ent

import "testing"

// Every table with a global-ID range must have a GraphQL type name, or its
// IDs could not be encoded.
func TestEveryNodeTableHasATypeName(t *testing.T) {
	tables := NodeTables()
	personStart, ok := FirstID("Person")
	if !ok {
		t.Fatal("no ID range for Person")
	}
	if len(tables) != len(typeNames) {
		t.Fatalf("%d node tables, %d type names", len(tables), len(typeNames))
	}
	for _, table := range tables {
		if _, ok := typeNames[table]; !ok {
			t.Errorf("table %s has no GraphQL type name in nodetype.go", table)
		}
	}
	if typ, ok := TypeOfID(personStart + 5); !ok || typ != "Person" {
		t.Fatalf("TypeOfID(person range) = %q %v", typ, ok)
	}
	if _, ok := TypeOfID(-1); ok {
		t.Fatal("a negative ID has no type")
	}
	if _, ok := TypeOfID(1 << 60); ok {
		t.Fatal("an ID beyond every range has no type")
	}
}
