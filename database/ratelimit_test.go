package database_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yanzhen/database"
	"yanzhen/database/dbtest"
)

// A shared limit spends one budget from several processes: two limiters on
// two pools of the same database (as two `yanzhen serve` would have) give
// a key Burst attempts in all, refill with time, keep other keys apart and
// store no key as such.
func TestLimiterIsSharedByProcesses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		other, err := database.Open(context.Background(), db.URL, database.Options{Keys: dbtest.TestKeys})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		a := db.Limiter("login", 6*time.Second, 4)
		b := other.Limiter("login", 6*time.Second, 4)
		a.Now, b.Now = clock, clock

		allowed := 0
		for i := range 10 {
			l := a
			if i%2 == 1 {
				l = b
			}
			if l.Allow("10.0.0.7") {
				allowed++
			}
		}
		if allowed != 4 {
			t.Fatalf("%d attempts allowed over two processes, want the burst of 4", allowed)
		}
		if !a.Allow("10.0.0.8") {
			t.Fatal("another address was refused: keys share a bucket")
		}
		if b.Allow("10.0.0.7") {
			t.Fatal("refused attempts refilled the bucket")
		}
		now = now.Add(6 * time.Second)
		if !b.Allow("10.0.0.7") || a.Allow("10.0.0.7") {
			t.Fatal("after one interval, want exactly one more attempt")
		}
		// Another limit of the same key keeps its own budget.
		search := db.Limiter("search", time.Second, 1)
		search.Now = clock
		if !search.Allow("10.0.0.7") {
			t.Fatal("the search limit shares the login limit's bucket")
		}

		var keys []string
		rows, err := db.SQL.Query(`SELECT key FROM rate_buckets`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		rows.Close()
		if len(keys) != 3 {
			t.Fatalf("buckets %v, want 3 (two addresses' logins, one search)", keys)
		}
		for _, k := range keys {
			if strings.Contains(k, "10.0.0") {
				t.Fatalf("a bucket stores the key as such: %s", k)
			}
		}

		// Once full again, buckets are swept by the next attempt a minute on.
		now = now.Add(time.Hour)
		a.Allow("10.0.0.9")
		var n int
		if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM rate_buckets`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("%d buckets after an hour, want only the new one", n)
		}
	})
}

// Without the database, each process still limits on its own: an outage
// neither opens the door nor locks everyone out.
func TestLimiterFallsBackToTheProcess(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	gone, err := database.Open(context.Background(), db.URL, database.Options{Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	l := gone.Limiter("login", time.Minute, 3)
	gone.Close()
	allowed := 0
	for range 5 {
		if l.Allow("10.0.0.7") {
			allowed++
		}
	}
	if allowed != 3 {
		t.Fatalf("%d attempts allowed with the database gone, want the burst of 3", allowed)
	}
}
