package graph_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"yanzhen/database/dbtest"
)

// explainNoSeqScan EXPLAINs each statement recorded since
// db.Statements.Record() on PostgreSQL, with sequential scans priced out
// (enable_seqscan = off), and fails when a plan still reads one of tables
// in full — then no index can serve its condition, whatever the data — or
// filters with a LIKE. (On
// the test's few rows the planner would choose sequential scans anyway, so
// the test asks what the indexes can do, not what a plan would pick.)
func explainNoSeqScan(t *testing.T, db *dbtest.DB, tables ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `RESET enable_seqscan`)
	explained := 0
	for _, s := range db.Statements.Recorded() {
		q := strings.TrimSpace(s.Query)
		if !strings.HasPrefix(strings.ToUpper(q), "SELECT") {
			continue
		}
		rows, err := conn.QueryContext(ctx, "EXPLAIN "+q, s.Args...)
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", q, err)
		}
		var plan strings.Builder
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(line + "\n")
		}
		rows.Close()
		explained++
		if os.Getenv("SHOW_PLANS") != "" {
			t.Log(q, "\n", plan.String())
		}
		// A LIKE is at best a full index read filtered row by row (what
		// the code ranges replace).
		if strings.Contains(plan.String(), "~~") {
			t.Errorf("a LIKE filters rows no index bounds in\n%s\n%s", q, plan.String())
		}
		for _, table := range tables {
			if strings.Contains(plan.String(), "Seq Scan on "+table+" ") || strings.Contains(plan.String(), "Seq Scan on "+table+"\n") {
				t.Errorf("no index serves %s in\n%s\n%s", table, q, plan.String())
			}
		}
	}
	if explained == 0 {
		t.Fatal("no statement was recorded to explain")
	}
}
