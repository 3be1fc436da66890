package graph

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/errcode"
)

func TestDatabaseUnavailableIsClassified(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		name, code, says string
		err              error
	}{
		{"connection refused", errcode.Internal, "database is unavailable", fmt.Errorf("ent: %w", refused)},
		{"a dropped connection", errcode.Internal, "database is unavailable", fmt.Errorf("querying: %w", driver.ErrBadConn)},
		{"server shutting down", errcode.Internal, "database is unavailable", &pq.Error{Code: "57P01"}},
		{"connection failure", errcode.Internal, "database is unavailable", &pq.Error{Code: "08006"}},
		{"a closed pool", errcode.Internal, "database is unavailable", errors.New("sql: database is closed")},
		{"statement timeout", errcode.Internal, "took too long", &pq.Error{Code: "57014"}},
		{"a unique violation is not an outage", errcode.Internal, "internal error", &pq.Error{Code: "23505"}},
		{"anything else", errcode.Internal, "internal error", errors.New("boom at 127.0.0.1")},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := classify(c.err)
			code, msg := e.Code, e.Message()
			if code != c.code || !strings.Contains(msg, c.says) {
				t.Fatalf("%s %q, want %s saying %q", code, msg, c.code, c.says)
			}
			if strings.Contains(msg, "127.0.0.1") || strings.Contains(msg, "dial") {
				t.Fatalf("message quotes the cause: %q", msg)
			}
		})
	}
}

// A mutation whose transaction cannot begin gets the coded error, not
// entgql's bare "cannot create transaction: <driver error>".
func TestTransactionFailureHasACode(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	h := NewHandler(db.DB, DefaultConfig)
	db.SQL.Close()
	for _, q := range []string{
		`mutation { createPerson(input: {name: "张三"}) { id } }`,
		`{ people { totalCount } }`,
	} {
		body, _ := json.Marshal(map[string]any{"query": q})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(auth.System(req.Context()))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp struct {
			Data   map[string]any
			Errors []struct {
				Message    string
				Extensions map[string]any
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) != 1 {
			t.Fatalf("%s: %s", q, rec.Body.String())
		}
		e := resp.Errors[0]
		if e.Extensions["code"] != errcode.Internal || !strings.Contains(e.Message, "database is unavailable") {
			t.Fatalf("%s: %s", q, rec.Body.String())
		}
		if resp.Data["createPerson"] != nil {
			t.Fatalf("data despite the failure: %s", rec.Body.String())
		}
	}
}
