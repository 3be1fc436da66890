package main

import (
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace/noop"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"yanzhen/auth"
)

// With OTEL_EXPORTER_OTLP_ENDPOINT set, a request leaves a trace at the
// collector: the HTTP span continuing the caller's traceparent, the
// operation's span, the SQL statements' spans — and no variable anywhere.
func TestTracesReachTheCollector(t *testing.T) {
	var (
		mu    sync.Mutex
		spans []*tracepb.Span
	)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req coltracepb.ExportTraceServiceRequest
		if r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
			http.Error(w, "not a trace export", http.StatusBadRequest)
			return
		}
		mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				spans = append(spans, ss.Spans...)
			}
		}
		mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(out)
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Cleanup(func() { otel.SetTracerProvider(noop.NewTracerProvider()) })

	cfg := testConfig()
	cfg.Addr = freeAddr(t)
	cfg.DatabaseURL = "sqlite:" + filepath.Join(t.TempDir(), "y.db")
	cfg.AutoMigrate = true
	ctx, cancel := context.WithCancel(auth.System(context.Background()))
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, io.Discard) }()
	public := "http://" + cfg.Addr
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
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	const secret = "13800138000"
	readAll(post(t, public, "application/json",
		`{"query":"query RegionsTraced($n: String) { regions(where: {nameContains: $n}) { totalCount } }","variables":{"n":"`+secret+`"}}`,
		"traceparent", "00-"+traceID+"-"+parentID+"-01"))
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	var httpSpan, opSpan *tracepb.Span
	sql := 0
	for _, s := range spans {
		switch {
		case s.Name == "POST /graphql":
			httpSpan = s
		case s.Name == "query RegionsTraced":
			opSpan = s
		case strings.HasPrefix(s.Name, "sql SELECT"):
			if hex.EncodeToString(s.TraceId) == traceID {
				sql++
			}
		}
		for _, a := range s.Attributes {
			if strings.Contains(a.Value.String(), secret) {
				t.Errorf("span %s carries the variable in %s", s.Name, a.Key)
			}
		}
	}
	if httpSpan == nil || hex.EncodeToString(httpSpan.TraceId) != traceID || hex.EncodeToString(httpSpan.ParentSpanId) != parentID {
		t.Fatalf("no HTTP span continuing the caller's trace among %d spans", len(spans))
	}
	if opSpan == nil || hex.EncodeToString(opSpan.TraceId) != traceID {
		t.Fatal("no span of the operation in the trace")
	}
	if sql == 0 {
		t.Error("no SQL statement span in the trace")
	}
}
