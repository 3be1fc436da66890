package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// writeOutcome is what one createPerson request of an outage test got.
type writeOutcome struct {
	name       string
	start, end time.Time
	acked      bool // HTTP 200 with data and no errors
	status     int
	code, msg  string
}

// createPersonOnce sends one createPerson mutation and records its outcome.
func createPersonOnce(client *http.Client, url, name string) writeOutcome {
	o := writeOutcome{name: name, start: time.Now()}
	b, _ := json.Marshal(map[string]any{
		"query":     `mutation($in: CreatePersonInput!) { createPerson(input: $in) { id } }`,
		"variables": map[string]any{"in": map[string]any{"name": name}},
	})
	resp, err := client.Post(url+"/graphql", "application/json", strings.NewReader(string(b)))
	o.end = time.Now()
	if err != nil {
		o.msg = "transport: " + err.Error()
		return o
	}
	raw := readAll(resp)
	o.status = resp.StatusCode
	var r struct {
		Data struct {
			CreatePerson *struct{ ID string }
		}
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		o.msg = "not JSON: " + raw
		return o
	}
	if len(r.Errors) > 0 {
		o.code, _ = r.Errors[0].Extensions["code"].(string)
		o.msg = r.Errors[0].Message
	}
	o.acked = resp.StatusCode == 200 && len(r.Errors) == 0 && r.Data.CreatePerson != nil && r.Data.CreatePerson.ID != ""
	return o
}

// readiness asks /readyz and says how long the answer took.
func readiness(t *testing.T, client *http.Client, url string) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	resp, err := client.Get(url + "/readyz")
	if err != nil {
		t.Fatalf("readyz: %v", err)
	}
	readAll(resp)
	return resp.StatusCode, time.Since(start)
}
