// Command template writes the roster template workbook that docs/roster.md
// links, and the table of header synonyms in docs/roster.md:
// go run ./roster/template [-o docs/roster-template.xlsx] [-docs docs/roster.md].
package main

import (
	"flag"
	"log"
	"os"

	"yanzhen/roster"
)

func main() {
	out := flag.String("o", "docs/roster-template.xlsx", "where to write the template")
	docs := flag.String("docs", "docs/roster.md", "the docs whose synonyms table to refresh (empty: none)")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := roster.Template(f); err != nil {
		f.Close()
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	if *docs == "" {
		return
	}
	doc, err := os.ReadFile(*docs)
	if err != nil {
		log.Fatal(err)
	}
	updated, ok := roster.WithSynonyms(string(doc))
	if !ok {
		log.Fatalf("%s has no synonyms markers (%q … %q)", *docs, roster.SynonymsBegin, roster.SynonymsEnd)
	}
	if err := os.WriteFile(*docs, []byte(updated), 0o644); err != nil {
		log.Fatal(err)
	}
}
