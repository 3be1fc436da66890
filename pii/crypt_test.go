package pii

import (
	"errors"
	"strings"
	"testing"
)

// Keys are values: what one seals another does not open, the hash depends
// on the key, and without keys nothing is sealed, opened or hashed.
func TestKeysAreValues(t *testing.T) {
	a, err := NewKeys([]byte("yanzhen-test-data-key-32-bytes!!"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewKeys([]byte("another-test-data-key-32-bytes!!"))
	if err != nil {
		t.Fatal(err)
	}
	const id = "11010519491231002X"
	sealed, err := a.Encrypt(id)
	if err != nil || !Encrypted(sealed) || strings.Contains(sealed, id) {
		t.Fatalf("sealed %q (%v)", sealed, err)
	}
	if got, err := a.Decrypt(sealed); err != nil || got != id {
		t.Fatalf("opened %q (%v)", got, err)
	}
	if _, err := b.Decrypt(sealed); err == nil {
		t.Fatal("another key opened the value")
	}
	ha, _ := a.HashIDNumber(id)
	hb, _ := b.HashIDNumber(id)
	if ha == hb || len(ha) != 64 {
		t.Fatalf("hashes %q %q", ha, hb)
	}
	if lower, _ := a.HashIDNumber(strings.ToLower(id)); lower != ha {
		t.Fatal("the hash depends on the case of the check letter")
	}
	var none *Keys
	if _, err := none.Encrypt(id); !errors.Is(err, ErrNoDataKey) {
		t.Fatalf("no keys: %v", err)
	}
	if _, err := none.Decrypt(sealed); !errors.Is(err, ErrNoDataKey) {
		t.Fatalf("no keys: %v", err)
	}
	if _, err := none.HashIDNumber(id); !errors.Is(err, ErrNoDataKey) {
		t.Fatalf("no keys: %v", err)
	}
	if _, err := NewKeys([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}
