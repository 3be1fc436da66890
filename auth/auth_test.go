package auth

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestPasswords(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword("雁阵-correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "correct horse") {
		t.Fatalf("not an argon2id PHC string: %s", hash)
	}
	again, _ := HashPassword("雁阵-correct horse")
	if again == hash {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if ok, err := CheckPassword(hash, "雁阵-correct horse"); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(hash, "雁阵-correct horsE"); ok {
		t.Fatal("wrong password accepted")
	}
	if ok, _ := CheckPassword("not a hash", "x"); ok {
		t.Fatal("a malformed hash accepted a password")
	}
	if a, b := GeneratePassword(), GeneratePassword(); a == b || len(a) < 12 {
		t.Fatalf("generated passwords %q %q", a, b)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	token, hash := NewToken()
	if HashToken(token) != hash || strings.Contains(hash, token) {
		t.Fatal("the stored hash must be the token's hash, not the token")
	}
	other, _ := NewToken()
	if other == token || len(token) < 40 {
		t.Fatalf("tokens %q %q", token, other)
	}
	for header, want := range map[string]string{
		"Bearer " + token: token,
		"bearer " + token: token,
		"Basic abc":       "",
		"Bearer":          "",
		"":                "",
	} {
		if got := BearerToken(header); got != want {
			t.Errorf("BearerToken(%q) = %q", header, got)
		}
	}
}

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	l := NewRateLimiter(time.Second, 3)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if !l.Allow("10.0.0.1") {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if l.Allow("10.0.0.1") {
		t.Fatal("fourth attempt allowed")
	}
	if !l.Allow("10.0.0.2") {
		t.Fatal("another client shares the bucket")
	}
	now = now.Add(time.Second)
	if !l.Allow("10.0.0.1") || l.Allow("10.0.0.1") {
		t.Fatal("one attempt should come back per interval")
	}
}

func TestViewerDefaultsToAnonymous(t *testing.T) {
	t.Parallel()
	v := FromContext(context.Background())
	if !v.Anonymous() || v.System() || v.Regional() {
		t.Fatalf("a context without a viewer must be anonymous: %+v", v)
	}
	if !FromContext(System(context.Background())).System() {
		t.Fatal("System(ctx) must act as the system")
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()
	county := &Viewer{UserID: 1, Role: RoleAdmin, Scope: "150221"}
	for code, want := range map[string]bool{"150221": true, "150221105220": true, "150222": false, "1502": false, "15": false} {
		if got := county.Covers(code); got != want {
			t.Errorf("county admin Covers(%s) = %v", code, got)
		}
	}
	national := &Viewer{UserID: 2, Role: RoleAdmin}
	if !national.Covers("6403") {
		t.Error("a national admin covers every region")
	}
	partner := &Viewer{UserID: 3, Role: RolePartner, InstitutionID: 7}
	if partner.Covers("150221") {
		t.Error("a partner covers no region")
	}
}
