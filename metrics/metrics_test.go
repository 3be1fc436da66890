package metrics

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	m.AdminHandler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

// Operation names are the clients': past MaxOperationNames distinct ones a
// new name counts as "other", so a client cannot grow the series.
func TestOperationNamesAreBounded(t *testing.T) {
	m := New()
	for i := range MaxOperationNames + 50 {
		m.Operation(fmt.Sprintf("Op%d", i), "query", time.Millisecond, 3)
	}
	m.Operation("Op0", "query", time.Millisecond, 3)
	m.Operation("", "mutation", time.Millisecond, 1)
	_, body := scrape(t, m, "/metrics")
	for _, want := range []string{
		`yanzhen_graphql_operation_duration_seconds_count{kind="query",operation="Op0"} 2`,
		`yanzhen_graphql_operation_duration_seconds_count{kind="query",operation="other"} 50`,
		`yanzhen_graphql_operation_duration_seconds_count{kind="mutation",operation="anonymous"} 1`,
		`yanzhen_sql_statements_per_operation_sum{kind="query"} 753`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s", want)
		}
	}
	if strings.Contains(body, fmt.Sprintf(`operation="Op%d"`, MaxOperationNames)) {
		t.Error("a name past the bound has its own series")
	}
}

func TestErrorsCachesAndProfiles(t *testing.T) {
	m := New()
	m.Error("BAD_USER_INPUT")
	m.Error("BAD_USER_INPUT")
	m.Error("")
	m.Lookup("parsed_documents", false)
	m.Lookup("parsed_documents", true)
	m.Lookup("parsed_documents", true)
	var nilMetrics *Metrics // a server without metrics records nothing, and does not fail
	nilMetrics.Operation("X", "query", time.Second, 1)
	nilMetrics.Error("X")
	nilMetrics.Lookup("x", true)
	_, body := scrape(t, m, "/metrics")
	for _, want := range []string{
		`yanzhen_graphql_errors_total{code="BAD_USER_INPUT"} 2`,
		`yanzhen_graphql_errors_total{code="UNCODED"} 1`,
		`yanzhen_cache_lookups_total{cache="parsed_documents",result="hit"} 2`,
		`yanzhen_cache_lookups_total{cache="parsed_documents",result="miss"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s", want)
		}
	}
	if code, body := scrape(t, m, "/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof index: %d", code)
	}
}
