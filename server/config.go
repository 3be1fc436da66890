package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/cli"
	"yanzhen/database"
	"yanzhen/graph"
	"yanzhen/importjob"
	"yanzhen/insight"
	"yanzhen/metrics"
	"yanzhen/trusted"
)

// Config is read from the environment; flags of the commands override it.
// Every setting is listed in the README.
type Config struct {
	DatabaseURL      string        // DATABASE_URL: empty for the embedded SQLite file
	Addr             string        // YANZHEN_ADDR
	Production       bool          // YANZHEN_ENV=production
	AutoMigrate      bool          // YANZHEN_AUTO_MIGRATE (default: on outside production), serve --migrate
	DataKey          string        // YANZHEN_DATA_KEY
	CORSOrigins      []string      // YANZHEN_CORS_ORIGINS, comma separated
	Introspection    bool          // YANZHEN_INTROSPECTION
	MaxBodyBytes     int64         // YANZHEN_MAX_BODY_BYTES
	RequestTimeout   time.Duration // YANZHEN_REQUEST_TIMEOUT
	StatementTimeout time.Duration // YANZHEN_STATEMENT_TIMEOUT (PostgreSQL)
	ComplexityLimit  int           // YANZHEN_COMPLEXITY_LIMIT
	MaxDepth         int           // YANZHEN_MAX_DEPTH
	MaxAliases       int           // YANZHEN_MAX_ALIASES: aliased fields per request
	MaxFields        int           // YANZHEN_MAX_FIELDS: fields per request, counted through fragments
	ShutdownTimeout  time.Duration // YANZHEN_SHUTDOWN_TIMEOUT
	LogFormat        string        // YANZHEN_LOG_FORMAT: text or json
	MaxUploadBytes   int64         // YANZHEN_MAX_UPLOAD_BYTES: multipart uploads (roster workbooks)
	ImportTimeout    time.Duration // YANZHEN_IMPORT_TIMEOUT: time limit of one roster import job
	ImportWorkers    int           // YANZHEN_IMPORT_WORKERS: roster import jobs run at once (1–4)
	SessionTTL       time.Duration // YANZHEN_SESSION_TTL: how long a login token is valid
	ReplicaURLs      []string      // YANZHEN_REPLICA_URLS: PostgreSQL streaming replicas, comma separated
	ReadYourWrites   time.Duration // YANZHEN_READ_YOUR_WRITES: how long a viewer's write keeps its reads off lagging replicas
	SessionCacheTTL  time.Duration // YANZHEN_SESSION_CACHE_TTL: how long a process keeps a resolved token (negative: no cache)
	EpochCheck       time.Duration // YANZHEN_AUTH_EPOCH_CHECK: how often a process reads the auth epoch (≤ 2s)
	FiguresLag       time.Duration // YANZHEN_FIGURES_LAG: how old kept statistics may be when a write has marked them (0: always exact)
	AdminAddr        string        // YANZHEN_ADMIN_ADDR: /metrics and /debug/pprof/ (empty: not served)
	TrustedDocuments trusted.Mode  // YANZHEN_TRUSTED_DOCUMENTS: any (default) or only (refuse documents not known by hash)
	ReadTimeout      time.Duration // YANZHEN_READ_TIMEOUT: reading a request, headers and body (uploads: UploadTimeout)
	UploadTimeout    time.Duration // YANZHEN_UPLOAD_TIMEOUT: reading a multipart upload (a roster workbook on a slow line)
	// metrics records operations, pools and caches for AdminAddr (nil: none).
	metrics *metrics.Metrics
	// tracing: spans for each request, operation and statement (tracing.Enabled).
	tracing bool
	// Insight: matching weights and alert thresholds (YANZHEN_MATCH_*, YANZHEN_ALERT_*,
	// YANZHEN_TRAINING_MIN_HOURS).
	Insight insight.Config

	// importJobs is the roster import runner `serve` started (nil in tests
	// that start none: jobs then stay queued until one runs).
	importJobs graph.ImportJobs
	// loginLimiter bounds the logins per client IP (nil: the limit shared
	// through the database, see sharedLoginLimiter; tests set a looser one).
	loginLimiter auth.Limiter
	// sessions is the session cache (nil: a new one per router; tests of
	// several processes give each router its own with a test clock).
	sessions *accounts.Sessions
}

// accounts is the sign-in service the API gets: the configured session
// lifetime and the login limit per client address, shared by every process
// on db.
func (c Config) accounts(db *database.DB) *accounts.Service {
	l := c.loginLimiter
	if l == nil {
		l = db.Limiter("login", accounts.LoginEvery, accounts.LoginBurst)
	}
	return &accounts.Service{SessionTTL: c.SessionTTL, LoginLimiter: l}
}

// LoadConfig reads the environment.
func LoadConfig() (Config, error) {
	c := Config{
		DatabaseURL: os.Getenv("DATABASE_URL"),
		Addr:        env("YANZHEN_ADDR", "localhost:8080"),
		Production:  os.Getenv("YANZHEN_ENV") == "production",
		LogFormat:   env("YANZHEN_LOG_FORMAT", "text"),
	}
	c.CORSOrigins = splitList(env("YANZHEN_CORS_ORIGINS", "http://localhost:5173,http://localhost:8080"))
	var err error
	get := func(name string, parse func(string) error) {
		if v := os.Getenv(name); v != "" && err == nil {
			if perr := parse(v); perr != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, perr)
			}
		}
	}
	c.Introspection = !c.Production
	// A development start on a fresh machine is one command; production
	// changes its schema only when told to (`yanzhen migrate` in the
	// release, or YANZHEN_AUTO_MIGRATE=1).
	c.AutoMigrate = !c.Production
	get("YANZHEN_AUTO_MIGRATE", func(v string) (e error) { c.AutoMigrate, e = strconv.ParseBool(v); return })
	c.DataKey = os.Getenv("YANZHEN_DATA_KEY")
	get("YANZHEN_INTROSPECTION", func(v string) (e error) { c.Introspection, e = strconv.ParseBool(v); return })
	c.MaxBodyBytes = 1 << 20
	get("YANZHEN_MAX_BODY_BYTES", func(v string) (e error) { c.MaxBodyBytes, e = strconv.ParseInt(v, 10, 64); return })
	c.RequestTimeout = 30 * time.Second
	get("YANZHEN_REQUEST_TIMEOUT", func(v string) (e error) { c.RequestTimeout, e = time.ParseDuration(v); return })
	c.StatementTimeout = 20 * time.Second
	get("YANZHEN_STATEMENT_TIMEOUT", func(v string) (e error) { c.StatementTimeout, e = time.ParseDuration(v); return })
	c.ComplexityLimit = 50000
	get("YANZHEN_COMPLEXITY_LIMIT", func(v string) (e error) { c.ComplexityLimit, e = strconv.Atoi(v); return })
	c.MaxDepth = 12
	get("YANZHEN_MAX_DEPTH", func(v string) (e error) { c.MaxDepth, e = strconv.Atoi(v); return })
	c.MaxAliases = 30
	get("YANZHEN_MAX_ALIASES", func(v string) (e error) { c.MaxAliases, e = strconv.Atoi(v); return })
	c.MaxFields = 500
	get("YANZHEN_MAX_FIELDS", func(v string) (e error) { c.MaxFields, e = strconv.Atoi(v); return })
	c.AdminAddr = os.Getenv("YANZHEN_ADMIN_ADDR")
	get("YANZHEN_TRUSTED_DOCUMENTS", func(v string) (e error) { c.TrustedDocuments, e = trusted.ParseMode(v); return })
	c.ReadTimeout = time.Minute
	get("YANZHEN_READ_TIMEOUT", func(v string) (e error) { c.ReadTimeout, e = time.ParseDuration(v); return })
	c.UploadTimeout = 10 * time.Minute
	get("YANZHEN_UPLOAD_TIMEOUT", func(v string) (e error) { c.UploadTimeout, e = time.ParseDuration(v); return })
	c.MaxUploadBytes = 32 << 20
	get("YANZHEN_MAX_UPLOAD_BYTES", func(v string) (e error) { c.MaxUploadBytes, e = strconv.ParseInt(v, 10, 64); return })
	c.ImportTimeout = importjob.DefaultOptions.Timeout
	get("YANZHEN_IMPORT_TIMEOUT", func(v string) (e error) { c.ImportTimeout, e = time.ParseDuration(v); return })
	c.ImportWorkers = importjob.DefaultOptions.Workers
	get("YANZHEN_IMPORT_WORKERS", func(v string) (e error) {
		if c.ImportWorkers, e = strconv.Atoi(v); e == nil && (c.ImportWorkers < 1 || c.ImportWorkers > 4) {
			e = fmt.Errorf("between 1 and 4")
		}
		return
	})
	get("YANZHEN_FIGURES_LAG", func(v string) (e error) {
		if c.FiguresLag, e = time.ParseDuration(v); e != nil || c.FiguresLag < 0 || c.FiguresLag > time.Hour {
			e = errors.New("a duration between 0s and 1h, such as 5m")
		}
		return
	})
	c.SessionTTL = accounts.DefaultSessionTTL
	get("YANZHEN_SESSION_TTL", func(v string) (e error) {
		if c.SessionTTL, e = time.ParseDuration(v); e != nil || c.SessionTTL < time.Minute {
			e = errors.New("a duration of at least 1m, such as 12h")
		}
		return
	})
	// URLs carry passwords: errors name the variable, never the value.
	c.ReplicaURLs = splitList(os.Getenv("YANZHEN_REPLICA_URLS"))
	c.ReadYourWrites = database.DefaultReadYourWrites
	get("YANZHEN_READ_YOUR_WRITES", func(v string) (e error) {
		if c.ReadYourWrites, e = time.ParseDuration(v); e != nil || c.ReadYourWrites <= 0 {
			e = errors.New("a positive duration, such as 5s")
		}
		return
	})
	c.SessionCacheTTL = accounts.DefaultSessionCacheTTL
	get("YANZHEN_SESSION_CACHE_TTL", func(v string) (e error) {
		if c.SessionCacheTTL, e = time.ParseDuration(v); e == nil && c.SessionCacheTTL == 0 {
			c.SessionCacheTTL = -1 // 0 turns the cache off
		}
		return
	})
	c.EpochCheck = accounts.DefaultEpochCheck
	get("YANZHEN_AUTH_EPOCH_CHECK", func(v string) (e error) {
		// The window in which another process's logout or revoke goes
		// unseen: it must stay small.
		if c.EpochCheck, e = time.ParseDuration(v); e != nil || c.EpochCheck <= 0 || c.EpochCheck > 2*time.Second {
			e = errors.New("a duration above 0 and at most 2s, such as 1s")
		}
		return
	})
	c.ShutdownTimeout = 25 * time.Second
	get("YANZHEN_SHUTDOWN_TIMEOUT", func(v string) (e error) { c.ShutdownTimeout, e = time.ParseDuration(v); return })
	if err != nil {
		return c, err
	}
	if c.Insight, err = insight.ConfigFromEnv(os.Getenv); err != nil {
		return c, err
	}
	for _, o := range c.CORSOrigins {
		if o == "*" {
			return c, fmt.Errorf("YANZHEN_CORS_ORIGINS: list the allowed origins; '*' is not accepted")
		}
	}
	return c, nil
}

// cliEnv is what the commands of package cli get.
func (c Config) cliEnv(stdout io.Writer) cli.Env {
	return cli.Env{
		DatabaseURL:      c.DatabaseURL,
		Production:       c.Production,
		StatementTimeout: c.StatementTimeout,
		DataKey:          c.DataKey,
		AutoMigrate:      c.AutoMigrate,
		Stdin:            os.Stdin,
		Stdout:           stdout,
		Stderr:           os.Stderr,
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
