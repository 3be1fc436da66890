// Package metrics is what an operator scrapes: per-operation latency,
// error codes, SQL statements per operation, the database pools, import
// jobs and cache hit rates, in Prometheus's format. The server serves it,
// with pprof, on its admin address only (YANZHEN_ADMIN_ADDR), never on the
// public one.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MaxOperationNames bounds the operation label: clients name their
// operations, and a client naming each request differently would otherwise
// grow the series without end. Past it, new names count as "other".
const MaxOperationNames = 200

// Metrics holds the collectors of one server process.
type Metrics struct {
	reg        *prometheus.Registry
	operations *prometheus.HistogramVec
	errors     *prometheus.CounterVec
	statements *prometheus.HistogramVec
	lookups    *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

// New makes the collectors, with the Go runtime's and the process's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		operations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "yanzhen_graphql_operation_duration_seconds",
			Help:    "Time from the request's arrival to its answer, per GraphQL operation (its name, or anonymous) and kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"operation", "kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yanzhen_graphql_errors_total",
			Help: "Errors in GraphQL answers, by extensions.code.",
		}, []string{"code"}),
		statements: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "yanzhen_sql_statements_per_operation",
			Help:    "SQL statements one GraphQL operation sent through ent, per kind.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}, []string{"kind"}),
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yanzhen_cache_lookups_total",
			Help: "Lookups in the server's caches (parsed documents, persisted queries, sessions) and whether they hit.",
		}, []string{"cache", "result"}),
		names: map[string]bool{},
	}
	m.reg.MustRegister(m.operations, m.errors, m.statements, m.lookups,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// operation is the label of an operation name: "anonymous" for none,
// "other" past MaxOperationNames distinct names.
func (m *Metrics) operation(name string) string {
	if name == "" {
		return "anonymous"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= MaxOperationNames {
		return "other"
	}
	m.names[name] = true
	return name
}

// Operation records one answered operation: how long it took and how many
// statements it sent.
func (m *Metrics) Operation(name, kind string, took time.Duration, statements int64) {
	if m == nil {
		return
	}
	if kind == "" {
		kind = "query"
	}
	m.operations.WithLabelValues(m.operation(name), kind).Observe(took.Seconds())
	m.statements.WithLabelValues(kind).Observe(float64(statements))
}

// Error records an error answered, by its extensions.code.
func (m *Metrics) Error(code string) {
	if m == nil {
		return
	}
	if code == "" {
		code = "UNCODED"
	}
	m.errors.WithLabelValues(code).Inc()
}

// Lookup records a lookup in a cache.
func (m *Metrics) Lookup(cache string, hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.lookups.WithLabelValues(cache, result).Inc()
}

// WatchPool reports a database pool's connections (go_sql_* with db_name).
func (m *Metrics) WatchPool(name string, db *sql.DB) {
	if m == nil || db == nil {
		return
	}
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// WatchImportJobs reports the roster import jobs per status, counted by
// count when scraped (a failing count reports nothing that time).
func (m *Metrics) WatchImportJobs(count func(ctx context.Context) (map[string]int, error)) {
	if m == nil {
		return
	}
	m.reg.MustRegister(jobsCollector{count})
}

var jobsDesc = prometheus.NewDesc("yanzhen_import_jobs", "Roster import jobs on file, per status.", []string{"status"}, nil)

type jobsCollector struct {
	count func(ctx context.Context) (map[string]int, error)
}

func (jobsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- jobsDesc }

func (c jobsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		return
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(n), status)
	}
}

// AdminHandler serves /metrics and pprof's /debug/pprof/: for the admin
// address only, since profiles and figures say much about the process.
func (m *Metrics) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
