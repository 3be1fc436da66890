package graph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// The GraphQL-over-HTTP spec's SHOULDs (specTransport): under
// application/json a request error is 200 with its errors; under
// application/graphql-response+json it is 4xx without a data entry; a body
// that is not JSON is 400 under both; a good request is 200 with data.
func TestGraphQLOverHTTPStatus(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	h := NewHandler(db.DB, DefaultConfig)
	ask := func(accept, body string) (int, string, map[string]json.RawMessage) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		req = req.WithContext(auth.System(req.Context()))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var fields map[string]json.RawMessage
		json.Unmarshal(rec.Body.Bytes(), &fields)
		return rec.Code, rec.Header().Get("Content-Type"), fields
	}
	query := func(q string, vars map[string]any) string {
		b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		return string(b)
	}
	requestErrors := map[string]string{
		"parse":    query(`{ regions { totalCount `, nil),
		"validate": query(`{ noSuchField }`, nil),
		"coerce":   query(`query($n: Int!) { regions(first: $n) { totalCount } }`, map[string]any{"n": "many"}),
		"missing":  query(`query($n: Int!) { regions(first: $n) { totalCount } }`, nil),
	}
	for name, body := range requestErrors {
		for _, accept := range []string{"", "application/json", "*/*"} {
			status, media, fields := ask(accept, body)
			if status != http.StatusOK || !strings.HasPrefix(media, "application/json") || fields["errors"] == nil {
				t.Errorf("%s, Accept %q: %d %s %v", name, accept, status, media, fields)
			}
		}
		status, media, fields := ask("application/graphql-response+json", body)
		if status != http.StatusBadRequest || media != "application/graphql-response+json" || fields["errors"] == nil {
			t.Errorf("%s under graphql-response+json: %d %s", name, status, media)
		}
		if _, ok := fields["data"]; ok {
			t.Errorf("%s under graphql-response+json has a data entry", name)
		}
	}
	for _, accept := range []string{"application/json", "application/graphql-response+json"} {
		if status, _, _ := ask(accept, `{"query": "{ __typename }"`); status != http.StatusBadRequest {
			t.Errorf("a body that is not JSON, Accept %s: %d", accept, status)
		}
		status, _, fields := ask(accept, query(`{ regions(first: 1) { totalCount } }`, nil))
		if status != http.StatusOK || !bytes.Contains(fields["data"], []byte("totalCount")) || fields["errors"] != nil {
			t.Errorf("a good request, Accept %s: %d %v", accept, status, fields)
		}
	}
}
