package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// YANZHEN_SESSION_TTL is read into the configuration (at least a minute)
// and reaches the login of the API through the router's accounts service.
func TestSessionTTLFromTheEnvironment(t *testing.T) {
	t.Setenv("YANZHEN_SESSION_TTL", "30s")
	if _, err := LoadConfig(); err == nil || !strings.Contains(err.Error(), "YANZHEN_SESSION_TTL") {
		t.Fatalf("a 30s session lifetime was accepted: %v", err)
	}
	t.Setenv("YANZHEN_SESSION_TTL", "")
	if cfg, err := LoadConfig(); err != nil || cfg.SessionTTL != accounts.DefaultSessionTTL {
		t.Fatalf("default: %v %v", cfg.SessionTTL, err)
	}
	t.Setenv("YANZHEN_SESSION_TTL", "30m")
	loaded, err := LoadConfig()
	if err != nil || loaded.SessionTTL != 30*time.Minute {
		t.Fatalf("30m: %v %v", loaded.SessionTTL, err)
	}
	db := dbtest.OpenSQLite(t)
	if _, _, err := accounts.CreateUser(auth.System(context.Background()), db.Client, accounts.NewUser{
		Username: "wang", Password: "correct horse battery", Role: auth.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.SessionTTL = loaded.SessionTTL
	srv := httptest.NewServer(NewRouter(cfg, db.DB))
	defer srv.Close()
	r := gql(t, srv.URL, "", loginMutation, map[string]any{"u": "wang", "p": "correct horse battery"})
	var out struct{ Login struct{ ExpiresAt time.Time } }
	b, _ := json.Marshal(r.Data)
	json.Unmarshal(b, &out)
	if left := time.Until(out.Login.ExpiresAt); left < 29*time.Minute || left > 31*time.Minute {
		t.Fatalf("the token expires in %v, want 30m: %+v", left, r)
	}
}
