package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"yanzhen/cli"
	"yanzhen/database/dbtest"
	"yanzhen/frontend"
	"yanzhen/graph"
	"yanzhen/trusted"
)

// send posts a request body as it is (hash, text, both or neither).
func (a *api) send(body map[string]any) response {
	a.t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	resp.Raw = rec.Body.String()
	return resp
}

func byHash(hash string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
}

// webAppQuery is a query of the web app's manifest that takes no
// variables, found by parsing the manifest (not by name).
func webAppQuery(t *testing.T) (hash, text string) {
	t.Helper()
	m, err := trusted.ParseManifest(frontend.TrustedDocuments)
	if err != nil || len(m) == 0 {
		t.Fatalf("the web app's manifest: %v (%d documents)", err, len(m))
	}
	for h, doc := range m {
		q, err := parser.ParseQuery(&ast.Source{Input: doc})
		if err != nil {
			t.Fatalf("manifest entry %s: %v", h, err)
		}
		if len(q.Operations) == 1 && q.Operations[0].Operation == ast.Query && len(q.Operations[0].VariableDefinitions) == 0 {
			return h, doc
		}
	}
	t.Fatal("the manifest has no query without variables")
	return "", ""
}

// A server that runs trusted documents only serves the web app's documents
// (built in) and those an admin registered with `yanzhen documents add`,
// by hash or by their exact text, and refuses anything else with a code —
// a stranger's query, a hash sent with another text, an APQ registration.
func TestTrustedDocumentsOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		cfg := graph.DefaultConfig
		cfg.DocumentMode = trusted.Only
		v := newUser(t, db, "national", "ADMIN", "", 0, true)
		a := newAPIWith(t, db, v, cfg)
		refused := func(code string, r response) {
			t.Helper()
			if r.code() != code || string(r.Data) != "" && string(r.Data) != "null" {
				t.Errorf("want %s and no data, got %s", code, r.Raw)
			}
		}

		hash, text := webAppQuery(t)
		if r := a.send(map[string]any{"extensions": byHash(hash)}); len(r.Errors) > 0 || len(r.Data) < 3 {
			t.Errorf("the web app's query by hash: %s", r.Raw)
		}
		if r := a.send(map[string]any{"query": text}); len(r.Errors) > 0 {
			t.Errorf("the web app's query as its exact text: %s", r.Raw)
		}
		stranger := `{ people { totalCount } }`
		refused(trusted.NotTrusted, a.send(map[string]any{"query": stranger}))
		refused(trusted.NotTrusted, a.send(map[string]any{"query": text + " "}))
		refused("BAD_USER_INPUT", a.send(map[string]any{"query": stranger, "extensions": byHash(hash)}))
		// An APQ registration is refused, and teaches the server nothing.
		refused(trusted.NotTrusted, a.send(map[string]any{"query": stranger, "extensions": byHash(trusted.Hash(stranger))}))
		refused(trusted.NotFound, a.send(map[string]any{"extensions": byHash(trusted.Hash(stranger))}))
		refused("BAD_USER_INPUT", a.send(map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": hash}}}))

		// A mobile app's build registers its documents: a genqlient-style
		// operations file with one query.
		dir := t.TempDir()
		mobile := `query MobilePeople { people(first: 5) { totalCount } }`
		ops, _ := json.Marshal(map[string]any{"operations": []map[string]any{{"operationName": "MobilePeople", "query": mobile}}})
		file := filepath.Join(dir, "operations.json")
		os.WriteFile(file, ops, 0o644)
		var out bytes.Buffer
		env := cli.Env{Stdout: &out, Stderr: &out, Keys: dbtest.TestKeys, Stdin: strings.NewReader("")}
		run := func(args ...string) error {
			return cli.Documents(context.Background(), env, append(args[:1:1], append([]string{"--database", db.URL}, args[1:]...)...))
		}
		// A file with a document the schema does not have registers nothing.
		bad := filepath.Join(dir, "bad.json")
		badOps, _ := json.Marshal(map[string]any{"operations": []map[string]any{
			{"operationName": "Fine", "query": `query Fine { people(first: 1) { totalCount } }`},
			{"operationName": "Wrong", "query": `query Wrong { peoples { totalCount } }`}}})
		os.WriteFile(bad, badOps, 0o644)
		if err := run("add", "--client", "mobile-1.0", bad); err == nil || !strings.Contains(err.Error(), "Wrong") {
			t.Errorf("a file with an unknown field: %v", err)
		}
		if err := run("add", "--client", "mobile-1.0", file); err != nil {
			t.Fatal(err)
		}
		if err := run("add", "--client", "mobile-1.0", file); err != nil || !strings.Contains(out.String(), "1 already registered") {
			t.Errorf("adding again: %v\n%s", err, out.String())
		}
		out.Reset()
		if err := run("list"); err != nil || !strings.Contains(out.String(), trusted.Hash(mobile)+"\tmobile-1.0\t") || strings.Contains(out.String(), "Fine") {
			t.Errorf("list: %v\n%s", err, out.String())
		}
		if r := a.send(map[string]any{"extensions": byHash(trusted.Hash(mobile))}); len(r.Errors) > 0 {
			t.Errorf("the registered document by hash: %s", r.Raw)
		}
		if r := a.send(map[string]any{"query": mobile}); len(r.Errors) > 0 {
			t.Errorf("the registered document as text: %s", r.Raw)
		}
		// Retired: a server started afterwards no longer knows it.
		if err := run("remove", "--client", "mobile-1.0"); err != nil {
			t.Fatal(err)
		}
		refused(trusted.NotFound, newAPIWith(t, db, v, cfg).send(map[string]any{"extensions": byHash(trusted.Hash(mobile))}))

		// In the default mode the stranger's query runs, and a hash still
		// finds the web app's document.
		anyMode := newAPIAs(t, db, v)
		if r := anyMode.send(map[string]any{"query": stranger}); len(r.Errors) > 0 {
			t.Errorf("any mode refuses a query: %s", r.Raw)
		}
		if r := anyMode.send(map[string]any{"extensions": byHash(hash)}); len(r.Errors) > 0 {
			t.Errorf("any mode, the web app's hash: %s", r.Raw)
		}
	})
}

// The built-in manifest is the web app's: every key is its document's hash
// (the server refuses to start otherwise).
func TestWebAppManifest(t *testing.T) {
	m, err := trusted.ParseManifest(frontend.TrustedDocuments)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) < 50 {
		t.Errorf("the web app's manifest holds %d documents", len(m))
	}
	if _, err := trusted.ParseManifest([]byte(`{"00": "query { x }"}`)); err == nil {
		t.Error("a manifest whose key is not the document's hash was accepted")
	}
	if _, err := trusted.ParseMode("sometimes"); err == nil {
		t.Error("an unknown mode was accepted")
	}
}
