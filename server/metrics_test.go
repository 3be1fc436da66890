package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func getURL(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
}

// The admin address serves /metrics (operations by name, SQL statements,
// error codes, cache hits, the database pool, the Go runtime) and pprof;
// the public address serves neither.
func TestMetricsOnTheAdminAddressOnly(t *testing.T) {
	cfg := testConfig()
	cfg.Addr, cfg.AdminAddr = freeAddr(t), freeAddr(t)
	cfg.DatabaseURL = "sqlite:" + filepath.Join(t.TempDir(), "y.db")
	cfg.AutoMigrate = true
	ctx, cancel := context.WithCancel(auth.System(context.Background()))
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, io.Discard) }()
	defer func() { cancel(); <-done }()
	public, admin := "http://"+cfg.Addr, "http://"+cfg.AdminAddr
	for i := 0; ; i++ {
		if resp, err := http.Get(public + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 200 {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for range 3 {
		readAll(post(t, public, "application/json", `{"query":"query RegionsForMetrics { regions(first: 2) { totalCount edges { node { code } } } }"}`))
	}
	readAll(post(t, public, "application/json", `{"query":"{ noSuchField }"}`))

	code, body := getURL(t, admin+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`yanzhen_graphql_operation_duration_seconds_count{kind="query",operation="RegionsForMetrics"} 3`,
		`yanzhen_graphql_operation_duration_seconds_bucket{kind="query",operation="RegionsForMetrics",le="+Inf"} 3`,
		`yanzhen_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1`,
		`yanzhen_cache_lookups_total{cache="parsed_documents",result="hit"} 2`,
		`yanzhen_cache_lookups_total{cache="parsed_documents",result="miss"} 2`,
		`go_sql_open_connections{db_name="primary"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Each of the three operations counted (a count and a page) at least two statements.
	m := regexp.MustCompile(`yanzhen_sql_statements_per_operation_sum\{kind="query"\} (\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no statements per operation")
	}
	if n, _ := strconv.Atoi(m[1]); n < 6 {
		t.Errorf("%d statements for 3 operations", n)
	}
	if code, body := getURL(t, admin+"/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof on the admin address: %d", code)
	}
	for _, path := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/cmdline"} {
		if code, body := getURL(t, public+path); code != http.StatusNotFound || strings.Contains(body, "go_goroutines") {
			t.Errorf("the public address answers %s with %d", path, code)
		}
	}
}

// Reading a request is bounded by the read timeout; an upload by its own,
// longer bound, so a workbook on a slow line still arrives.
func TestSlowBodies(t *testing.T) {
	cfg := testConfig()
	cfg.ReadTimeout, cfg.UploadTimeout = 300*time.Millisecond, 5*time.Second
	read := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "reading: "+err.Error(), http.StatusRequestTimeout)
			return
		}
		fmt.Fprintf(w, "read %d bytes", len(b))
	})
	srv := newHTTPServer(cfg, limitBody(1<<20, 8<<20, cfg.UploadTimeout, read))
	if srv.ReadHeaderTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 {
		t.Fatalf("timeouts: %+v", srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	slow := func(contentType string, header ...string) string {
		pr, pw := io.Pipe()
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/graphql", pr)
		req.ContentLength = 20
		req.Header.Set("Content-Type", contentType)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		go func() {
			pw.Write([]byte("0123456789"))
			time.Sleep(800 * time.Millisecond)
			pw.Write([]byte("0123456789"))
			pw.Close()
		}()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "error: " + err.Error()
		}
		return readAll(resp)
	}
	if got := slow("application/json"); strings.Contains(got, "read 20 bytes") {
		t.Errorf("a JSON body slower than the read timeout was read: %s", got)
	}
	if got := slow("multipart/form-data; boundary=x", "GraphQL-Require-Preflight", "1"); !strings.Contains(got, "read 20 bytes") {
		t.Errorf("an upload within its own bound: %s", got)
	}
}
