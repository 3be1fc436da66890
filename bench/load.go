package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client posts GraphQL operations to one server, as one account.
type Client struct {
	URL   string
	Token string // bearer token; empty for PostGraphile
	// PostGraphile: send the workloads' PostGraphile queries.
	PostGraphile bool
	HTTP         *http.Client
}

func newHTTPClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns * 2
	t.MaxIdleConnsPerHost = conns * 2
	return &http.Client{Transport: t, Timeout: 180 * time.Second}
}

// Do sends one operation and returns its data; GraphQL errors are errors.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("HTTP %d: %.200s", res.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("HTTP %d: %.300s", res.StatusCode, out.Errors[0])
	}
	return out.Data, nil
}

// Run is a closed loop: concurrency workers each send the next request as
// soon as the previous answer is in, for the duration. Parameters are drawn
// from pick with one seeded generator per worker, so a run is repeatable.
func Run(ctx context.Context, c *Client, w *Workload, pool []any, concurrency int, d time.Duration, seed uint64, cpu *cpuMeter) Sample {
	var mu sync.Mutex
	var s Sample
	var wg sync.WaitGroup
	before := cpu.read()
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; i < concurrency; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(i)))
			var lat []time.Duration
			n, errs := 0, 0
			var firstErr error
			for time.Now().Before(deadline) {
				p := pool[r.IntN(len(pool))]
				t0 := time.Now()
				_, err := c.Do(ctx, w.query(c), w.vars(c.PostGraphile, p))
				el := time.Since(t0)
				n++
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				lat = append(lat, el)
			}
			mu.Lock()
			s.Requests += n
			s.Errors += errs
			s.Latencies = append(s.Latencies, lat...)
			if firstErr != nil && s.Errors == errs {
				fmt.Fprintf(os.Stderr, "  %s: first error: %v\n", w.Name, firstErr)
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	s.Elapsed = time.Since(start)
	after := cpu.read()
	s.ServerCPU = after.server - before.server
	s.DBCPU = after.db - before.db
	return s
}

// cpuMeter reads the CPU time of the server process and of the PostgreSQL
// backends serving the benchmark database from /proc.
type cpuMeter struct {
	serverPID int
	backends  func() []int // PIDs of the database's client backends
	last      map[int]time.Duration
	acc       time.Duration
}

type cpuReading struct{ server, db time.Duration }

// read returns the server's CPU time and the running total over the
// backends: a backend seen before adds what it used since, a new one all it
// used. A backend that exited between readings loses its last interval (the
// pools keep their connections, so this is rare).
func (m *cpuMeter) read() cpuReading {
	if m == nil {
		return cpuReading{}
	}
	now := map[int]time.Duration{}
	for _, pid := range m.backends() {
		now[pid] = procCPU(pid)
	}
	if m.last != nil {
		for pid, t := range now {
			m.acc += t - m.last[pid]
		}
	}
	m.last = now
	return cpuReading{server: procCPU(m.serverPID), db: m.acc}
}

var clockTicks = 100 // USER_HZ on Linux

// procCPU is utime+stime of a process from /proc/PID/stat; 0 when gone.
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command may contain spaces: fields start after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / time.Duration(clockTicks)
}
