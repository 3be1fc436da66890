package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/graph"
)

// keyed sends one request with an Idempotency-Key to h as v.
func keyed(t *testing.T, h http.Handler, v *auth.Viewer, key, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set(graph.IdempotencyHeader, key)
	}
	copy := *v
	req = req.WithContext(auth.NewContext(req.Context(), &copy))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("not JSON: %s", rec.Body.String())
	}
	resp.Raw = rec.Body.String()
	return resp
}

// TestIdempotentRetryAcrossRestart: a client that lost the answer to a
// create sends it again with the same key — after the server restarted —
// and gets the first answer; nothing is written twice. The same key with
// another request, or from another account, does not replay.
func TestIdempotentRetryAcrossRestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		create := `mutation($n: String!) { createPerson(input: {name: $n}) { id name } }`
		vars := map[string]any{"n": "重试的人"}
		first := keyed(t, graph.NewHandler(db.DB, graph.DefaultConfig), s.national, "k-1", create, vars)
		if len(first.Errors) > 0 {
			t.Fatal(first.Raw)
		}

		// The restart: a new process opens the same database.
		again, err := database.Open(context.Background(), db.URL, database.Options{Keys: dbtest.TestKeys})
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		h := graph.NewHandler(again, graph.DefaultConfig)
		retry := keyed(t, h, s.national, "k-1", create, vars)
		if string(retry.Data) != string(first.Data) {
			t.Fatalf("the retry answers %s, the first answer was %s", retry.Data, first.Data)
		}
		if n := db.Client.Person.Query().Where(person.Name("重试的人")).CountX(sys); n != 1 {
			t.Fatalf("%d people written for one keyed request", n)
		}
		// The same key with other variables is a mistake of the client.
		if r := keyed(t, h, s.national, "k-1", create, map[string]any{"n": "别人"}); r.code() != "CONFLICT" {
			t.Fatalf("a reused key: %s", r.Raw)
		}
		// Keys belong to their account: another's k-1 is a new request.
		if r := keyed(t, h, s.county, "k-1", `mutation { createPerson(input: {name: "县里的人", homeVillageID: "`+gid(s.villages[0].ID)+`"}) { id } }`, nil); len(r.Errors) > 0 {
			t.Fatalf("another account's key: %s", r.Raw)
		}
		// A failed mutation is not remembered: the corrected retry runs.
		bad := keyed(t, h, s.national, "k-2", create, map[string]any{"n": ""})
		if bad.code() != "BAD_USER_INPUT" {
			t.Fatalf("an empty name: %s", bad.Raw)
		}
		if r := keyed(t, h, s.national, "k-2", create, map[string]any{"n": ""}); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("the retry of a failed request was not run again: %s", r.Raw)
		}
		// Without a key, the same request writes again (as it always did).
		keyed(t, h, s.national, "", create, vars)
		if n := db.Client.Person.Query().Where(person.Name("重试的人")).CountX(sys); n != 2 {
			t.Fatalf("%d people after an unkeyed request", n)
		}
	})
}

// TestIdempotentConcurrentRequests: the same keyed request sent twice at
// once writes once; the loser is told to retry, or gets the replay.
func TestIdempotentConcurrentRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		h := graph.NewHandler(db.DB, graph.DefaultConfig)
		create := `mutation { createPerson(input: {name: "并发的人"}) { id } }`
		var wg sync.WaitGroup
		answers := make([]response, 4)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i] = keyed(t, h, s.national, "same", create, nil)
			}()
		}
		wg.Wait()
		if n := db.Client.Person.Query().Where(person.Name("并发的人")).CountX(auth.System(context.Background())); n != 1 {
			t.Fatalf("%d people written by one key", n)
		}
		for _, a := range answers {
			if len(a.Errors) > 0 && a.code() != "CONFLICT" && a.code() != "INTERNAL" {
				t.Errorf("unexpected answer: %s", a.Raw)
			}
		}
	})
}
