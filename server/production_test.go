package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// productionConfig is testConfig as LoadConfig makes it for
// YANZHEN_ENV=production.
func productionConfig(t *testing.T) Config {
	t.Helper()
	t.Setenv("YANZHEN_ENV", "production")
	cfg, err := LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Production || cfg.Introspection {
		t.Fatalf("production config: %+v", cfg)
	}
	return cfg
}

// TestProductionStartsEmpty: a production start on an empty database seeds
// nothing and has no account until one is created; asked explicitly for
// the demo, it still creates no demo accounts.
func TestProductionStartsEmpty(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	cfg := productionConfig(t)
	cfg.DatabaseURL = "" // the embedded default, where a development start loads the demo
	ctx := auth.System(context.Background())
	var out bytes.Buffer
	if err := firstStart(ctx, cfg, db.DB, &out); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.User.Query().CountX(ctx); n != 0 {
		t.Fatalf("%d accounts after a production start", n)
	}
	if n := db.Client.Region.Query().CountX(ctx); n != 0 {
		t.Fatalf("a production start seeded %d regions", n)
	}
	if !strings.Contains(out.String(), "yanzhen user create") {
		t.Fatalf("the start does not say how to create the first admin: %q", out.String())
	}
	out.Reset()
	if err := seedDemo(ctx, cfg, db.DB, time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), &out); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.User.Query().CountX(ctx); n != 0 {
		t.Fatalf("the demo created %d accounts in production", n)
	}
	// Not in production, the same command does create them.
	cfg.Production = false
	if err := seedDemo(ctx, cfg, db.DB, time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), &out); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.User.Query().CountX(ctx); n == 0 {
		t.Fatal("the demo created no accounts outside production")
	}
}

// TestProductionEndpoint: no GraphiQL, no introspection (refused with a
// client error, not an INTERNAL error with an ERROR log line) and no
// "Did you mean …" that would spell the schema out to a stranger.
func TestProductionEndpoint(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	cfg := productionConfig(t)
	cfg.CORSOrigins = testConfig().CORSOrigins
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)
	srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(cfg, db.DB)))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/graphiql")
	if err != nil {
		t.Fatal(err)
	}
	if page := readAll(resp); resp.StatusCode == 200 && strings.Contains(page, "graphiql") {
		t.Fatalf("GraphiQL is served in production")
	}
	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ __type(name: "Person") { fields { name } } }`,
		`query { ...F } fragment F on Query { __schema { queryType { name } } }`,
	} {
		r := send(t, srv.URL, "POST", "application/json", "", body(q, nil), false)
		if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.raw, "introspection") || strings.Contains(r.raw, `"types"`) {
			t.Errorf("introspection %s: %s", q, r.raw)
		}
	}
	if r := send(t, srv.URL, "POST", "application/json", "", body(`{ __typename }`, nil), false); r.raw != `{"data":{"__typename":"Query"}}` {
		t.Errorf("__typename: %s", r.raw)
	}
	for _, q := range []string{
		`{ peopl { totalCount } }`,
		`{ people { totalCont } }`,
		`{ people(wher: {}) { totalCount } }`,
		`{ people(where: {nam: "x"}) { totalCount } }`,
		`{ people(where: {gender: FEMAL}) { totalCount } }`,
		`{ regions { edges { node { nam } } } }`,
	} {
		r := send(t, srv.URL, "POST", "application/json", "", body(q, nil), false)
		if len(r.Errors) == 0 || strings.Contains(strings.ToLower(r.raw), "did you mean") {
			t.Errorf("%s: %s", q, r.raw)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("refusals were logged as errors:\n%s", logs.String())
	}
}
