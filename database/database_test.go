package database_test

import (
	"testing"

	"yanzhen/database"
)

func TestKeyFile(t *testing.T) {
	for url, want := range map[string]string{
		"":                          "data/data.key",
		"sqlite:/a/b.db":            "/a/data.key",
		"sqlite:/a/b.db?x=1":        "/a/data.key",
		"/c/d.db":                   "/c/data.key",
		"postgres://x/y":            "",
		"postgresql://u@h/db?ssl=1": "",
	} {
		if got := database.KeyFile(url); got != want {
			t.Errorf("KeyFile(%q) = %q, want %q", url, got, want)
		}
	}
}
