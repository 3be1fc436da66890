package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ID numbers are encrypted at rest with AES-256-GCM under the data key
// (YANZHEN_DATA_KEY), and kept besides as a keyed hash (HMAC-SHA256 under a
// key derived from the data key) for de-duplication and import matching:
// equal numbers have equal hashes, but the hash does not give the number
// back without the key. The process builds its Keys once at start and hands
// them to the ent client (ent.Keys); the Person hooks and interceptor seal
// and open Person.id_number with them, so no code above ent ever sees
// ciphertext. There is no process-wide key: two clients may hold two.

// KeySize is the length of the data key: 32 bytes, AES-256.
const KeySize = 32

// cipherPrefix marks an encrypted value (version 1: AES-256-GCM, 12-byte
// nonce, base64url of nonce‖ciphertext‖tag).
const cipherPrefix = "v1:"

// Keys are the keys derived from one data key. A nil *Keys has no key: it
// refuses to seal, open or hash (ErrNoDataKey).
type Keys struct {
	aead cipher.AEAD
	mac  []byte
}

// ErrNoDataKey is returned when personal data is written or read without
// a data key.
var ErrNoDataKey = errors.New("the data key for personal information is not configured (YANZHEN_DATA_KEY)")

// NewKeys derives the keys of a 32-byte data key.
func NewKeys(key []byte) (*Keys, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("the data key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The hash key is derived, so one secret serves both and neither
	// reveals the other.
	h := hmac.New(sha256.New, key)
	h.Write([]byte("yanzhen id-number hash key"))
	return &Keys{aead: aead, mac: h.Sum(nil)}, nil
}

// ParseDataKey reads a data key written as base64 (standard or URL
// alphabet, padded or not) of 32 bytes.
func ParseDataKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("the data key must be base64 of %d bytes, got %d bytes", KeySize, len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("the data key is not base64")
}

// NewDataKey returns a fresh random key, base64-encoded.
func NewDataKey() string {
	b := make([]byte, KeySize)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// Encrypt seals a value under the data key; "" stays "".
func (k *Keys) Encrypt(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	if k == nil {
		return "", ErrNoDataKey
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := k.aead.Seal(nonce, nonce, []byte(plain), nil)
	return cipherPrefix + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Decrypt opens a value sealed by Encrypt. The error never quotes the value.
func (k *Keys) Decrypt(stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	if !strings.HasPrefix(stored, cipherPrefix) {
		return "", errors.New("a personal-data column holds a value that is not encrypted; run `yanzhen migrate` to encrypt it")
	}
	if k == nil {
		return "", ErrNoDataKey
	}
	raw, err := base64.RawURLEncoding.DecodeString(stored[len(cipherPrefix):])
	if err != nil || len(raw) < k.aead.NonceSize() {
		return "", errors.New("an encrypted personal-data value is corrupt")
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", errors.New("an encrypted personal-data value does not open with the configured data key")
	}
	return string(plain), nil
}

// Encrypted reports whether a stored value is in the encrypted form.
func Encrypted(stored string) bool { return strings.HasPrefix(stored, cipherPrefix) }

// HashIDNumber is the keyed hash of an ID number (hex); "" for "".
func (k *Keys) HashIDNumber(id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if k == nil {
		return "", ErrNoDataKey
	}
	h := hmac.New(sha256.New, k.mac)
	h.Write([]byte(strings.ToUpper(id)))
	return hex.EncodeToString(h.Sum(nil)), nil
}
