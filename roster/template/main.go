// Command template writes the roster template workbook that docs/roster.md
// links: go run ./roster/template [-o docs/roster-template.xlsx].
package main

import (
	"flag"
	"log"
	"os"

	"yanzhen/roster"
)

func main() {
	out := flag.String("o", "docs/roster-template.xlsx", "where to write the template")
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
}
