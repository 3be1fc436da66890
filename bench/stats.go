package main

import (
	"math"
	"sort"
	"time"
)

// Sample is what one round of one workload against one target measured.
type Sample struct {
	Requests   int
	Errors     int
	Elapsed    time.Duration
	Latencies  []time.Duration // of the successful requests
	ServerCPU  time.Duration   // user+system time of the API server process
	DBCPU      time.Duration   // user+system time of the database's backends
	Statements int64           // statements the database committed (see statementCounter)
}

// Summary folds the rounds of one workload and target into the printed figures.
type Summary struct {
	Requests, Errors      int
	RequestsPerSecond     float64
	P50, P95, P99         time.Duration
	ServerCPUPerRequestMs float64
	DBCPUPerRequestMs     float64
}

// Summarize adds the rounds up: req/s is the total of requests over the
// total time, the percentiles are of every latency of every round.
func Summarize(rounds []Sample) Summary {
	var s Summary
	var elapsed time.Duration
	var server, db time.Duration
	var all []time.Duration
	for _, r := range rounds {
		s.Requests += r.Requests
		s.Errors += r.Errors
		elapsed += r.Elapsed
		server += r.ServerCPU
		db += r.DBCPU
		all = append(all, r.Latencies...)
	}
	if elapsed > 0 {
		s.RequestsPerSecond = float64(s.Requests) / elapsed.Seconds()
	}
	if s.Requests > 0 {
		s.ServerCPUPerRequestMs = float64(server) / float64(time.Millisecond) / float64(s.Requests)
		s.DBCPUPerRequestMs = float64(db) / float64(time.Millisecond) / float64(s.Requests)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	s.P50, s.P95, s.P99 = Percentile(all, 50), Percentile(all, 95), Percentile(all, 99)
	return s
}

// Percentile of sorted latencies by the nearest-rank method: the smallest
// value with at least p% of the values at or below it. Zero for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}
