package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
