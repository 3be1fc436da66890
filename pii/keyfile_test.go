package pii

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without YANZHEN_DATA_KEY a key file is made once, mode 0600, and reused.
func TestDataKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "data.key")
	first, err := LoadDataKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", st, err)
	}
	again, err := LoadDataKey("", path)
	if err != nil || !bytes.Equal(first, again) || len(first) != KeySize {
		t.Fatalf("the key file was not reused: %v", err)
	}
	env := NewDataKey()
	fromEnv, err := LoadDataKey(env, path)
	if err != nil || bytes.Equal(fromEnv, first) {
		t.Fatalf("YANZHEN_DATA_KEY does not win over the file: %v", err)
	}
	if _, err := LoadDataKey("", ""); err == nil || !strings.Contains(err.Error(), "YANZHEN_DATA_KEY") {
		t.Fatalf("no key and no file: %v", err)
	}
	if _, err := LoadDataKey("short", path); err == nil {
		t.Fatal("a bad YANZHEN_DATA_KEY was accepted")
	}
}
