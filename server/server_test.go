package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/graph"
	"yanzhen/insight"
)

func testConfig() Config {
	return Config{
		CORSOrigins:     []string{"https://spa.example.org"},
		Introspection:   true,
		MaxBodyBytes:    64 << 10,
		MaxUploadBytes:  8 << 20,
		Insight:         insight.DefaultConfig,
		RequestTimeout:  10 * time.Second,
		ComplexityLimit: 50000,
		MaxDepth:        12,
		ShutdownTimeout: 10 * time.Second,
	}
}

func post(t *testing.T, url, contentType, body string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readAll(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	return string(b)
}

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestHTTPEndpoints(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	logs := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(testConfig(), db.DB)))
	defer srv.Close()

	t.Run("POST JSON answers graphql-response+json when asked", func(t *testing.T) {
		resp := post(t, srv.URL, "application/json", `{"query":"{ regions { totalCount } }"}`, "Accept", "application/graphql-response+json")
		body := readAll(resp)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/graphql-response+json") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if !strings.Contains(body, `"totalCount":0`) {
			t.Fatal(body)
		}
	})
	t.Run("GET serves queries and refuses mutations", func(t *testing.T) {
		resp, err := http.Get(srv.URL + `/graphql?query={regions{totalCount}}`)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(resp); resp.StatusCode != 200 || !strings.Contains(body, "totalCount") {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		resp, err = http.Get(srv.URL + `/graphql?query=mutation{createPerson(input:{name:"GET"}){id}}`)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(resp); resp.StatusCode < 400 || strings.Contains(body, `"createPerson":{`) {
			t.Fatalf("mutation over GET was served: %d %s", resp.StatusCode, body)
		}
		if n, _ := db.Client.Person.Query().Count(auth.System(context.Background())); n != 0 {
			t.Fatal("a GET mutation wrote a person")
		}
	})
	t.Run("POST without a JSON content type is refused", func(t *testing.T) {
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded"} {
			resp := post(t, srv.URL, ct, `{"query":"mutation { createPerson(input:{name:\"CSRF\"}) { id } }"}`)
			if body := readAll(resp); resp.StatusCode < 400 || strings.Contains(body, `"createPerson":{`) {
				t.Fatalf("%s accepted: %d %s", ct, resp.StatusCode, body)
			}
		}
	})
	t.Run("an oversized body is refused", func(t *testing.T) {
		big := `{"query":"{ regions { totalCount } }","variables":{"pad":"` + strings.Repeat("x", 70<<10) + `"}}`
		resp := post(t, srv.URL, "application/json", big)
		readAll(resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("CORS allows only the configured origins, with Authorization", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", "https://spa.example.org")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readAll(resp)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://spa.example.org" {
			t.Fatalf("allowed origin: %q", got)
		}
		if !strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization") {
			t.Fatalf("allow headers: %q", resp.Header.Get("Access-Control-Allow-Headers"))
		}
		resp = post(t, srv.URL, "application/json", `{"query":"{ regions { totalCount } }"}`, "Origin", "https://evil.example.com")
		readAll(resp)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Fatalf("foreign origin allowed: %q", got)
		}
	})
	t.Run("health and readiness", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/readyz"} {
			resp, err := http.Get(srv.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			if body := readAll(resp); resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", p, resp.StatusCode, body)
			}
		}
	})
	t.Run("logs name the operation but never the variables", func(t *testing.T) {
		resp := post(t, srv.URL, "application/json",
			`{"query":"mutation AddCadre($in: CreatePersonInput!) { createPerson(input: $in) { id phone } }","variables":{"in":{"name":"日志测试","phone":"13912345678"}}}`,
			"X-Request-Id", "req-log-test")
		body := readAll(resp)
		if !strings.Contains(body, "139****5678") {
			t.Fatal(body)
		}
		out := logs.String()
		if !strings.Contains(out, "operation=AddCadre") || !strings.Contains(out, "request_id=req-log-test") || !strings.Contains(out, "duration_ms=") {
			t.Fatalf("access log lacks operation, request id or duration:\n%s", out)
		}
		if strings.Contains(out, "13912345678") || strings.Contains(out, "日志测试") {
			t.Fatalf("log leaks variable values:\n%s", out)
		}
	})
	t.Run("a too costly query is refused before it runs", func(t *testing.T) {
		q := `{"query":"{ regions(first: 100) { edges { node { children(first: 100) { edges { node { posts(first: 100) { edges { node { person { name } } } } } } } } } } }"}`
		body := readAll(post(t, srv.URL, "application/json", q))
		if !strings.Contains(body, "COMPLEXITY_LIMIT_EXCEEDED") {
			t.Fatal(body)
		}
	})
	t.Run("readiness fails when the database is gone", func(t *testing.T) {
		db.SQL.Close()
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(resp); resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
}

func TestIntrospectionSwitch(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	for _, on := range []bool{true, false} {
		cfg := testConfig()
		cfg.Introspection = on
		srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(cfg, db.DB)))
		body := readAll(post(t, srv.URL, "application/json", `{"query":"{ __schema { queryType { name } } }"}`))
		srv.Close()
		if got := strings.Contains(body, `"name":"Query"`); got != on {
			t.Fatalf("introspection %v: %s", on, body)
		}
	}
}

// The committed contract is what the server serves.
func TestSchemaFileIsFresh(t *testing.T) {
	committed, err := os.ReadFile("../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != graph.SDL() {
		t.Fatal("schema.graphql is stale: run go generate ./...")
	}
	var out bytes.Buffer
	if err := run(auth.System(context.Background()), "schema", nil, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(committed) {
		t.Fatal("yanzhen schema differs from schema.graphql")
	}
}

// In production serve changes no schema unless told to: on a database that
// is behind it refuses to start and names the command that migrates;
// with --migrate it applies the migrations and starts.
func TestServeMigratesOnlyWhenTold(t *testing.T) {
	path := filepath.Join(t.TempDir(), "y.db")
	t.Setenv("YANZHEN_ENV", "production")
	t.Setenv("DATABASE_URL", "sqlite:"+path)
	t.Setenv("YANZHEN_ADDR", "127.0.0.1:0")
	var out bytes.Buffer
	err := run(context.Background(), "serve", nil, &out)
	if err == nil || !strings.Contains(err.Error(), "yanzhen migrate") {
		t.Fatalf("serve on an unmigrated database in production: %v", err)
	}
	// --migrate applies them before the server listens (here: fails to,
	// on an address that cannot be, which ends the run).
	err = run(context.Background(), "serve", []string{"--migrate", "-addr", "127.0.0.1:-1"}, &out)
	if err == nil || strings.Contains(err.Error(), "migrate") {
		t.Fatalf("serve --migrate: %v, want it to get as far as listening", err)
	}
	err = run(context.Background(), "serve", []string{"-addr", "127.0.0.1:-1"}, &out)
	if err == nil || strings.Contains(err.Error(), "migrate") {
		t.Fatalf("serve after serve --migrate: %v, want it to get as far as listening", err)
	}
	db, err := database.Open(context.Background(), "sqlite:"+path, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st, err := db.MigrationStatus(context.Background()); err != nil || st.Behind() {
		t.Fatalf("after serve --migrate: %+v %v", st, err)
	}
}

// SIGTERM (here: the context ending) lets a request that is in flight finish.
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := testConfig()
	cfg.Addr = addr
	cfg.DatabaseURL = "sqlite:" + filepath.Join(dir, "y.db")
	cfg.AutoMigrate = true
	ctx, cancel := context.WithCancel(auth.System(context.Background()))
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, io.Discard) }()
	url := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A signed-in admin's request whose body is still arriving when
	// shutdown begins.
	side, err := database.Open(context.Background(), cfg.DatabaseURL, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	token := adminToken(t, side)
	side.Close()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", pr)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	result := make(chan string, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			result <- "error: " + err.Error()
			return
		}
		result <- readAll(resp)
	}()
	pw.Write([]byte(`{"query":"mutation { createPerson(input: {name: \"在途\"}) `))
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(200 * time.Millisecond)
	pw.Write([]byte(`{ name } }"}`))
	pw.Close()
	got := <-result
	var resp struct {
		Data struct{ CreatePerson struct{ Name string } }
	}
	if json.Unmarshal([]byte(got), &resp); resp.Data.CreatePerson.Name != "在途" {
		t.Fatalf("in-flight request did not finish: %s", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}
