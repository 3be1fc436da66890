package pii

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameKey reports whether b opens what a sealed.
func sameKey(a, b *Keys) bool {
	sealed, err := a.Encrypt("11010519491231002X")
	if err != nil {
		return false
	}
	plain, err := b.Decrypt(sealed)
	return err == nil && plain == "11010519491231002X"
}

// Without YANZHEN_DATA_KEY a key file is made once, mode 0600, and reused.
func TestDataKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "data.key")
	first, err := LoadKeys("", path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", st, err)
	}
	again, err := LoadKeys("", path)
	if err != nil || !sameKey(first, again) {
		t.Fatalf("the key file was not reused: %v", err)
	}
	fromEnv, err := LoadKeys(NewDataKey(), path)
	if err != nil || sameKey(first, fromEnv) {
		t.Fatalf("YANZHEN_DATA_KEY does not win over the file: %v", err)
	}
	if _, err := LoadKeys("", ""); err == nil || !strings.Contains(err.Error(), "YANZHEN_DATA_KEY") {
		t.Fatalf("no key and no file: %v", err)
	}
	if _, err := LoadKeys("short", path); err == nil {
		t.Fatal("a bad YANZHEN_DATA_KEY was accepted")
	}
}
