package auth

import (
	"sync"
	"testing"
	"time"
)

// Many goroutines spending one key's budget get exactly Burst attempts.
func TestRateLimiterConcurrent(t *testing.T) {
	t.Parallel()
	l := NewRateLimiter(time.Hour, 50)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := map[string]int{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				key := "user 1"
				if i%2 == 0 {
					key = "user 2"
				}
				if l.Allow(key) {
					mu.Lock()
					allowed[key]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed["user 1"] != 50 || allowed["user 2"] != 50 {
		t.Fatalf("allowed %v, want 50 each", allowed)
	}
}
