package main

import (
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := Percentile(d, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("one value: %v", got)
	}
	if got := Percentile(nil, 50); got != 0 {
		t.Errorf("no values: %v", got)
	}
}

func TestSummarizeFoldsRounds(t *testing.T) {
	ms := time.Millisecond
	s := Summarize([]Sample{
		{Requests: 10, Elapsed: time.Second, Latencies: []time.Duration{3 * ms, 1 * ms}, ServerCPU: 20 * ms, DBCPU: 10 * ms},
		{Requests: 30, Errors: 1, Elapsed: time.Second, Latencies: []time.Duration{2 * ms, 4 * ms}, ServerCPU: 60 * ms, DBCPU: 30 * ms},
	})
	if s.Requests != 40 || s.Errors != 1 || s.RequestsPerSecond != 20 {
		t.Fatalf("requests %d errors %d req/s %v", s.Requests, s.Errors, s.RequestsPerSecond)
	}
	if s.P50 != 2*ms || s.P99 != 4*ms {
		t.Fatalf("p50 %v p99 %v: the rounds' latencies are not pooled and sorted", s.P50, s.P99)
	}
	if s.ServerCPUPerRequestMs != 2 || s.DBCPUPerRequestMs != 1 {
		t.Fatalf("cpu per request %v / %v", s.ServerCPUPerRequestMs, s.DBCPUPerRequestMs)
	}
}
