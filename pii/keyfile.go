package pii

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// LoadKeys finds the data key and derives its Keys: fromEnv (the value of YANZHEN_DATA_KEY)
// when set; else the key file at keyFile, created with a fresh key on
// first use (mode 0600). keyFile is "" where a key lost with its host would
// make the data unreadable (PostgreSQL, whose data outlives a container):
// there the key must be given.
func LoadKeys(fromEnv, keyFile string) (*Keys, error) {
	if fromEnv != "" {
		key, err := ParseDataKey(fromEnv)
		if err != nil {
			return nil, fmt.Errorf("YANZHEN_DATA_KEY: %v", err)
		}
		return NewKeys(key)
	}
	if keyFile == "" {
		return nil, errors.New("YANZHEN_DATA_KEY is not set: PostgreSQL needs the data key that encrypts ID numbers " +
			"(base64 of 32 random bytes, e.g. `openssl rand -base64 32`); keep it safe, the data cannot be read without it")
	}
	b, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		if b, err = createKeyFile(keyFile); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("reading the data key %s: %w", keyFile, err)
	}
	key, err := ParseDataKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", keyFile, err)
	}
	return NewKeys(key)
}

func createKeyFile(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// O_EXCL: two processes starting at once must not each write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("creating the data key %s: %w", path, err)
	}
	key := NewDataKey()
	if _, err := f.WriteString(key + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	slog.Info("created the data key that encrypts ID numbers; back it up with the database", "path", path)
	return []byte(key), nil
}
