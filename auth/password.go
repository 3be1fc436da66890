package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"yanzhen/errcode"
)

// Argon2id parameters (RFC 9106's second recommendation, with 64 MiB): about
// 50 ms per hash on a server core, which bounds password guessing together
// with the login rate limit and lockout.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted for an account.
const MinPasswordLength = 10

// CheckNewPassword is the rule for every password set on an account (NIST
// SP 800-63B: a minimum length and a check against passwords known to be
// guessed first, no composition rules). It refuses, as BAD_USER_INPUT on
// the field "password" and without quoting it, a password that
//   - is shorter than MinPasswordLength characters;
//   - is one character or a group of up to 3 repeated (aaaaaaaaaa,
//     abcabcabca), or a run of consecutive letters or digits (abcdefghij,
//     9876543210);
//   - is the username, or the name of this system (yanzhen, 雁阵), once or
//     repeated, with nothing but digits or symbols added (zhangwei2024!,
//     2024yanzhen, lihualihua);
//   - is a common password (commonpasswords.txt), or one with up to 6
//     digits or symbols added before or after (password2024, 1qwerty!!).
//
// Letters are compared in lower case and white space is ignored.
func CheckNewPassword(username, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return errcode.BadInput("password", "a password has at least %d characters / 密码至少%d位", MinPasswordLength, MinPasswordLength)
	}
	p := foldPassword(password)
	if repeated(p) || consecutive(p) {
		return errcode.BadInput("password", "a password may not repeat one character or a short group, or run through the alphabet or the digits; choose another / 密码不能由同一字符或短组合重复而成，也不能是连续的字母或数字，请另选")
	}
	for _, w := range []string{foldPassword(username), "yanzhen", "雁阵"} {
		if w != "" && onlyAdded(p, w) {
			return errcode.BadInput("password", "a password may not be the username or the name of this system with only digits or symbols added; choose another / 密码不能是用户名或系统名称加数字、符号，请另选")
		}
	}
	if commonPassword(p) {
		return errcode.BadInput("password", "this password is among the most common ones; choose another, such as a few unrelated words / 该密码过于常见，请另选，例如几个不相关的词")
	}
	return nil
}

// foldPassword is a password as compared with the lists: lower case,
// without white space.
func foldPassword(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// repeated reports whether s repeats its first 1, 2 or 3 characters.
func repeated(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= 3 && unit < len(r); unit++ {
		same := true
		for i := unit; i < len(r) && same; i++ {
			same = r[i] == r[i-unit]
		}
		if same {
			return true
		}
	}
	return false
}

// consecutive reports whether each character of s follows the one before it
// (abcdefghij, 0123456789), or each precedes it.
func consecutive(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return false
	}
	step := r[1] - r[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if r[i]-r[i-1] != step {
			return false
		}
	}
	return true
}

// onlyAdded reports whether s is word, once or repeated, with nothing but
// digits, symbols or punctuation around it (lihua2024, lihualihua).
func onlyAdded(s, word string) bool {
	return strings.Contains(s, word) && !hasLetter(strings.ReplaceAll(s, word, ""))
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// maxAdded is how many digits or symbols may be added to a common password
// and still count as it: years, 123, !!.
const maxAdded = 6

//go:embed commonpasswords.txt
var commonPasswordsText string

// commonPasswords is the set of commonpasswords.txt, read once.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "# ") {
			set[line] = true
		}
	}
	return set
})

// commonPassword reports whether p (folded) is a common password, or one
// with up to maxAdded digits or symbols in all before and after it.
func commonPassword(p string) bool {
	set := commonPasswords()
	if set[p] {
		return true
	}
	r := []rune(p)
	for before := 0; before <= maxAdded; before++ {
		for after := 0; before+after <= maxAdded && before+after < len(r); after++ {
			core := r[before : len(r)-after]
			if set[string(core)] && !hasLetter(string(r[:before])+string(r[len(r)-after:])) {
				return true
			}
		}
	}
	return false
}

// HashPassword hashes a password with argon2id and a fresh salt, encoded in
// the PHC string format ($argon2id$v=19$m=65536,t=3,p=2$salt$hash), so the
// parameters can change without invalidating stored hashes.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errBadHash = errors.New("not an argon2id password hash")

// CheckPassword reports whether password matches a hash made by
// HashPassword, in constant time.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var memory uint32
	var time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false, errBadHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the user does not exist, so that a
// login for an unknown name takes as long as one with a wrong password. It
// is made on first use: hashing costs 64 MiB and tens of milliseconds,
// which every binary and test would otherwise pay at start.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("no such user / 无此用户")
	if err != nil {
		panic("auth: hashing the dummy password: " + err.Error())
	}
	return h
})

// BurnPasswordCheck spends the time of one password check.
func BurnPasswordCheck(password string) { CheckPassword(dummyHash(), password) }

// GeneratePassword returns a random password of 16 URL-safe characters.
func GeneratePassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
