// Package tracing exports OpenTelemetry traces — one span per HTTP request,
// per GraphQL operation and per SQL statement — when
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is
// set, over OTLP/HTTP; otherwise the spans are no-ops. Spans carry names,
// codes and SQL text with its placeholders, never variables or values:
// they may hold personal data.
package tracing

import (
	"context"
	"net/http"
	"os"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Tracer is the tracer of every span of the server.
func Tracer() trace.Tracer { return otel.Tracer("yanzhen") }

// Enabled reports whether the environment asks for traces.
func Enabled() bool {
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Start exports traces when Enabled (the exporter reads the standard
// OTEL_EXPORTER_OTLP_* variables: endpoint, headers, timeout) and returns
// the function that flushes and stops it; otherwise it does nothing.
func Start(ctx context.Context, version string) (stop func(context.Context) error, err error) {
	if !Enabled() {
		return func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		attribute.String("service.name", "yanzhen"), attribute.String("service.version", version)))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp.Shutdown, nil
}

// HTTP wraps h with a server span per request, continuing the caller's
// trace (traceparent): the method, the path and the status.
func HTTP(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := Tracer().Start(ctx, r.Method+" "+route(r.URL.Path), trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", route(r.URL.Path))))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", sw.status))
		if sw.status >= 500 {
			span.SetStatus(codes.Error, strconv.Itoa(sw.status))
		}
	})
}

// route is the path a span is named by: the SPA's many paths are one.
func route(p string) string {
	switch {
	case p == "/graphql", p == "/healthz", p == "/readyz", p == "/roster-template.xlsx":
		return p
	case len(p) > 8 && p[:8] == "/export/":
		return p
	case len(p) > 13 && p[:13] == "/import-jobs/":
		return "/import-jobs/{id}/annotated.xlsx"
	default:
		return "/ (web app)"
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (deadlines of uploads).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Attributes is a span start option with these attributes.
func Attributes(kv ...attribute.KeyValue) trace.SpanStartOption { return trace.WithAttributes(kv...) }
