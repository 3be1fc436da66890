package auth

import (
	"strings"
	"testing"

	"yanzhen/errcode"
)

func TestCheckNewPassword(t *testing.T) {
	t.Parallel()
	refused := []struct{ username, password, why string }{
		{"lihua", "short", "at least 10"},
		{"lihua", "123456789", "at least 10"},
		{"zhangweiwei", "zhangweiwei", "username"},
		{"ZhangWeiWei", "zhangweiwei", "username"},
		{"zhangwei", "ZHANGWEI2024", "username"},
		{"zhangwei", "2024-zhangwei!", "username"},
		{"lihua", "lihualihua", "username"},
		{"张伟", "张伟123456789", "username"},
		{"lihua", "yanzhen2024", "name of this system"},
		{"lihua", "雁阵1234567890", "name of this system"},
		{"lihua", "aaaaaaaaaa", "repeat"},
		{"lihua", "----------", "repeat"},
		{"lihua", "1212121212", "repeat"},
		{"lihua", "abcabcabcabc", "repeat"},
		{"lihua", "abcdefghijk", "repeat"},
		{"lihua", "9876543210", "repeat"},
		{"lihua", "password123", "common"},
		{"lihua", "PASSWORD2024!", "common"},
		{"lihua", "2024password", "common"},
		{"lihua", "!password2024", "common"},
		{"lihua", "qwertyuiop", "common"},
		{"lihua", "1qaz2wsx3edc", "common"},
		{"lihua", "woaini1314", "common"},
		{"lihua", "woaini5201314", "common"},
		{"lihua", "5201314520", "common"},
		{"lihua", "iloveyou!!", "common"},
		{"lihua", "p@ssw0rd123", "common"},
		{"lihua", "Admin@123456", "common"},
		{"lihua", "zuzhibu2024", "common"},
		{"lihua", "pass word 1234", "common"},
	}
	for _, c := range refused {
		err := CheckNewPassword(c.username, c.password)
		e, ok := errcode.As(err)
		if !ok || e.Code != errcode.BadUserInput || e.Field != "password" || !strings.Contains(e.Message(), c.why) {
			t.Errorf("%s / %q: %v, want a refusal saying %q", c.username, c.password, err, c.why)
			continue
		}
		if strings.Contains(strings.ToLower(e.Message()), strings.ToLower(strings.TrimSpace(c.password))) {
			t.Errorf("the refusal quotes the password: %s", e.Message())
		}
		if !strings.Contains(e.Message(), " / ") {
			t.Errorf("the refusal is not in English and Chinese: %s", e.Message())
		}
	}
	accepted := []struct{ username, password string }{
		// The demo accounts' passwords (server/user.go) stay valid.
		{"admin", "yanzhen-admin-demo"},
		{"tumed", "yanzhen-tumed-demo"},
		{"township", "yanzhen-township-demo"},
		{"village", "yanzhen-village-demo"},
		{"partner", "yanzhen-partner-demo"},
		// Passphrases, with or without the username in a longer text.
		{"wang", "correct horse battery"},
		{"lihua", "a long enough password"},
		{"lihua", "雁阵 spring 杏花 river"},
		{"lihua", "lihua walks the dog at dawn"},
		{"lihua", "dragon8472918374x"},
		{"lihua", GeneratePassword()},
	}
	for _, c := range accepted {
		if err := CheckNewPassword(c.username, c.password); err != nil {
			t.Errorf("%s / %q refused: %v", c.username, c.password, err)
		}
	}
}

// The list is read once and holds what its header says.
func TestCommonPasswordList(t *testing.T) {
	t.Parallel()
	set := commonPasswords()
	if len(set) < 10000 {
		t.Fatalf("%d common passwords", len(set))
	}
	for p := range set {
		if p != strings.ToLower(p) || strings.ContainsAny(p, " \t") || len(p) < 4 {
			t.Fatalf("entry %q is not lower case, 4+ characters without spaces", p)
		}
	}
	for _, p := range []string{"password", "qwertyuiop", "woaini1314", "yanzhen"} {
		if !set[p] {
			t.Errorf("%q is not in the list", p)
		}
	}
}

// The dummy hash of BurnPasswordCheck is made once, on first use, and is a
// real hash: checking against it costs what a wrong password costs.
func TestDummyHash(t *testing.T) {
	t.Parallel()
	h := dummyHash()
	if h != dummyHash() {
		t.Fatal("the dummy hash changes")
	}
	if ok, err := CheckPassword(h, "no such user / 无此用户"); !ok || err != nil {
		t.Fatalf("the dummy hash is not a password hash: %v %v", ok, err)
	}
	BurnPasswordCheck("anything")
}
