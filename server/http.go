package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/cli"
	"yanzhen/database"
	"yanzhen/frontend"
	"yanzhen/graph"
	"yanzhen/importjob"
	"yanzhen/insight"
	"yanzhen/metrics"
	"yanzhen/tracing"
)

func serve(ctx context.Context, cfg Config, stdout io.Writer) error {
	env := cfg.cliEnv(stdout)
	// Only the server reads from replicas; the other commands write or
	// must see the primary.
	env.ReplicaURLs, env.ReadYourWrites = cfg.ReplicaURLs, cfg.ReadYourWrites
	db, err := cli.OpenDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := cli.FirstStart(ctx, env, db); err != nil {
		return fmt.Errorf("loading the demo: %w", err)
	}
	// Roster imports run as jobs, beside the requests; on the way out the
	// running job is handed back to the queue before the database closes.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobs := importjob.Start(jobsCtx, db, importjob.Options{Workers: cfg.ImportWorkers, Timeout: cfg.ImportTimeout})
	defer func() { stopJobs(); jobs.Wait() }()
	cfg.importJobs = jobs
	// The kept figures of the country, provinces, cities and counties
	// (region_figures) are recomputed beside the requests, one region at a
	// time.
	insight.SetFiguresLag(cfg.FiguresLag)
	figuresCtx, stopFigures := context.WithCancel(ctx)
	refresher := &insight.Refresher{Client: db.Client, Thresholds: cfg.Insight.Alerts}
	figuresDone := make(chan struct{})
	go func() { defer close(figuresDone); refresher.Run(figuresCtx) }()
	defer func() { stopFigures(); <-figuresDone }()

	// Traces, when OTEL_EXPORTER_OTLP_ENDPOINT asks for them; flushed on the way out.
	stopTracing, err := tracing.Start(ctx, buildVersion())
	if err != nil {
		return fmt.Errorf("OTEL_EXPORTER_OTLP_*: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopTracing(sctx)
	}()
	cfg.tracing = tracing.Enabled()
	cfg.metrics = metrics.New()
	cfg.metrics.WatchPool("primary", db.SQL)
	cfg.metrics.WatchImportJobs(func(ctx context.Context) (map[string]int, error) { return importjob.CountByStatus(ctx, db.Client) })
	if cfg.AdminAddr != "" {
		aln, err := net.Listen("tcp", cfg.AdminAddr)
		if err != nil {
			return fmt.Errorf("YANZHEN_ADMIN_ADDR: %w", err)
		}
		admin := newHTTPServer(cfg, cfg.metrics.AdminHandler())
		// A CPU profile or an execution trace is written for as long as asked.
		admin.WriteTimeout = 0
		go admin.Serve(aln)
		defer admin.Close()
		slog.Info("admin address: metrics and pprof", "url", "http://"+aln.Addr().String()+"/metrics")
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := newHTTPServer(cfg, NewRouter(cfg, db))
	url := "http://" + displayAddr(ln.Addr().String())
	slog.Info("yanzhen is serving", "url", url, "graphql", url+"/graphql", "graphiql", cfg.Introspection, "database", db.Location,
		"trusted_documents", cfg.TrustedDocuments.String())
	if cfg.Introspection {
		fmt.Fprintf(stdout, "Yanzhen 雁阵 is running at %s (GraphiQL: %s/graphiql)\n", url, url)
	} else {
		fmt.Fprintf(stdout, "Yanzhen 雁阵 is running at %s\n", url)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go expireIdempotencyKeys(ctx, db)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM: stop accepting, let in-flight requests finish.
	slog.Info("shutting down; letting in-flight requests finish", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	slog.Info("stopped")
	return nil
}

// newHTTPServer bounds every connection: its headers, reading its request
// (an upload gets UploadTimeout instead, set by limitBody), writing its
// answer (the longest a request may run, exports, and a margin) and idling
// between requests.
func newHTTPServer(cfg Config, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      5*cfg.RequestTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// NewRouter wires the HTTP endpoints and the middleware every request passes.
func NewRouter(cfg Config, db *database.DB) http.Handler {
	gql := graph.NewHandler(db, graph.Config{
		Introspection:   cfg.Introspection,
		Suggestions:     !cfg.Production,
		ComplexityLimit: cfg.ComplexityLimit,
		MaxDepth:        cfg.MaxDepth,
		MaxAliases:      cfg.MaxAliases,
		MaxFields:       cfg.MaxFields,
		Insight:         cfg.Insight,
		MaxUploadBytes:  cfg.MaxUploadBytes,
		DocumentMode:    cfg.TrustedDocuments,
		// One budget of searches per account, shared by every process.
		SearchLimiter: db.Limiter("search", graph.SearchEvery, graph.SearchBurst),
		Accounts:      cfg.accounts(db),
		ImportJobs:    cfg.importJobs,
		Metrics:       cfg.metrics,
		Tracing:       cfg.tracing,
		OnOperation: func(ctx context.Context, name string, kind ast.Operation) {
			if info := requestInfoFrom(ctx); info != nil {
				info.setOperation(name, string(kind))
			}
		},
	})
	// One session cache for the router's requests (see accounts.Sessions).
	sessions := cfg.sessions
	if sessions == nil {
		sessions = accounts.NewSessions(cfg.SessionCacheTTL, cfg.EpochCheck)
	}
	mux := http.NewServeMux()
	// An upload is authenticated and its role checked from the headers
	// (uploadsNeedARole) before any of its body is read; other requests
	// are checked first and authenticated after.
	mux.Handle("/graphql", limitBody(cfg.MaxBodyBytes, cfg.MaxUploadBytes, cfg.UploadTimeout, withTimeout(cfg.RequestTimeout,
		uploadsNeedARole(db, sessions, checkGraphQLRequest(authenticate(db, sessions, gql))))))
	mux.HandleFunc("GET /roster-template.xlsx", rosterTemplate)
	mux.Handle("GET /export/roster.xlsx", withTimeout(5*cfg.RequestTimeout, authenticate(db, sessions, rosterDownload(db))))
	mux.Handle("GET /import-jobs/{id}/annotated.xlsx", withTimeout(cfg.RequestTimeout, authenticate(db, sessions, annotatedDownload(db))))
	if cfg.Introspection {
		// GraphiQL is built on introspection: without it, there is no page.
		mux.Handle("GET /graphiql", playground.Handler("Yanzhen 雁阵 GraphiQL", "/graphql"))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		if err := db.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable","database":"unreachable"}`))
			return
		}
		if db.Replicas == nil {
			w.Write([]byte(`{"status":"ready"}`))
			return
		}
		// Ready on the primary alone: a replica that is down only moves its
		// reads to the primary. Its state is reported, as the health
		// checker last saw it.
		json.NewEncoder(w).Encode(map[string]any{"status": "ready", "replicas": db.Replicas.Replicas()})
	})
	// The SPA, with index.html for every path the routes above do not claim.
	mux.Handle("/", spaHandler(frontend.Dist))
	c := cors.New(cors.Options{
		AllowedOrigins:   cfg.CORSOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "Accept", "X-Request-Id", "GraphQL-Require-Preflight", graph.IdempotencyHeader, graph.ReadAfterHeader},
		ExposedHeaders:   []string{"X-Request-Id", graph.ReadAfterHeader},
		AllowCredentials: true,
		MaxAge:           600,
	})
	h := requestLog(recoverPanics(securityHeaders(c.Handler(mux))))
	if cfg.tracing {
		h = tracing.HTTP(h)
	}
	return h
}

// buildVersion is the module version the binary was built from ("devel"
// for a local build), for the traces' service.version.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "devel"
}

// limitBody refuses request bodies larger than n bytes (upload for multipart
// uploads). A multipart POST is a "simple" request a foreign page could send
// without a CORS preflight, so it must carry a header that forces one.
//
// An upload may take longer to arrive than the server's read timeout:
// uploadTime (0: the server's) bounds reading it, and writing its answer
// after that.
func limitBody(n, upload int64, uploadTime time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := n // this request's: n is shared by all of them
		if isMultipart(r) {
			if r.Header.Get("GraphQL-Require-Preflight") == "" && r.Header.Get("Apollo-Require-Preflight") == "" {
				writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "multipart requests need the header GraphQL-Require-Preflight / 上传请求须带 GraphQL-Require-Preflight 头")
				return
			}
			limit = upload
			if uploadTime > 0 {
				rc := http.NewResponseController(w)
				// Not every writer has deadlines (a test's recorder): then the server's stand.
				_ = rc.SetReadDeadline(time.Now().Add(uploadTime))
				_ = rc.SetWriteDeadline(time.Now().Add(uploadTime + time.Minute))
			}
		}
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", fmt.Sprintf("request body larger than %d bytes / 请求体过大", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// isMultipart reports whether r's body is multipart, however the media
// type is written ("Multipart/Form-Data" is multipart to gqlgen too).
func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type"))), "multipart/")
}

func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// ContentSecurityPolicy is the CSP of every response but GraphiQL's: the
// web app's own origin for everything, and data: URLs for images only
// (Element Plus draws some icons, the select's arrow among them, as data:
// SVG backgrounds). Scripts stay 'self' alone: no inline script, no eval.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.URL.Path != "/graphiql" { // GraphiQL loads its script from a CDN
			h.Set("Content-Security-Policy", ContentSecurityPolicy)
		}
		next.ServeHTTP(w, r)
	})
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				slog.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// requestInfo collects what the access log says about a request. Variables
// are never logged: they carry personal data.
type requestInfo struct {
	mu        sync.Mutex
	id        string
	operation string
	kind      string
}

func (i *requestInfo) setOperation(name, kind string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.operation, i.kind = name, kind
}

type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return i
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func requestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		info := &requestInfo{id: id}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			return
		}
		info.mu.Lock()
		op, kind := info.operation, info.kind
		info.mu.Unlock()
		// Typed attributes: no reflection, no boxing; the operation's name
		// and kind, never its text or variables (they carry personal data).
		slog.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Int("status", rec.status),
			slog.Int64("duration_ms", time.Since(start).Milliseconds()),
			slog.String("operation", op), slog.String("operation_type", kind))
	})
}

// expireIdempotencyKeys deletes stored mutation answers past their replay
// window, hourly.
func expireIdempotencyKeys(ctx context.Context, db *database.DB) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := graph.ExpireIdempotencyKeys(auth.System(ctx), db.Client); err != nil {
			slog.WarnContext(ctx, "expiring idempotency keys", "error", err)
		} else if n > 0 {
			slog.Info("expired idempotency keys", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
