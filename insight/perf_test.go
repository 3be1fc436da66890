package insight_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/insight"
	"yanzhen/insight/figures"
)

// TestPerformance times a province's statistics, a county's alerts and a
// search on a populated database; skipped unless YANZHEN_BENCH_DATABASE_URL
// names one (the national regions and the demo population):
//
//	YANZHEN_BENCH_DATABASE_URL='postgres://…' go test ./insight -run TestPerformance -v
//
// YANZHEN_BENCH_PROVINCE and YANZHEN_BENCH_COUNTY choose the regions (by
// default the province and the county with the most villages), and
// YANZHEN_BENCH_QUERIES the searches (default 张, 慧婷, zht, zhangwei,
// 8000). Each is run three times, as the system and as an admin of the
// region (whose scope the analytics apply inside their SQL), and the best
// time is reported: targets live in the benchmark and docs, not here.
func TestPerformance(t *testing.T) {
	url := os.Getenv("YANZHEN_BENCH_DATABASE_URL")
	if url == "" {
		t.Skip("YANZHEN_BENCH_DATABASE_URL is not set")
	}
	ctx := auth.System(context.Background())
	db, err := database.Open(ctx, url, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applied, err := db.MigrateUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect == "postgres" {
		db.SQL.ExecContext(ctx, "ANALYZE")
	}
	var people int
	db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM persons").Scan(&people)
	t.Logf("%s: %d people; migrations applied now: %v", db.Location, people, applied)

	busiest := func(n int) string {
		var code string
		err := db.SQL.QueryRowContext(ctx, `SELECT SUBSTR(code, 1, `+strconv.Itoa(n)+`) FROM regions WHERE level = 'VILLAGE'
			GROUP BY SUBSTR(code, 1, `+strconv.Itoa(n)+`) ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&code)
		if err != nil {
			t.Fatalf("no villages: %v", err)
		}
		return code
	}
	province := os.Getenv("YANZHEN_BENCH_PROVINCE")
	if province == "" {
		province = busiest(2)
	}
	county := os.Getenv("YANZHEN_BENCH_COUNTY")
	if county == "" {
		county = busiest(6)
	}
	// timeIt runs fn as the system and as an admin of code.
	timeIt := func(name, code string, fn func(ctx context.Context) (string, error)) {
		t.Helper()
		admin := auth.NewContext(context.Background(), &auth.Viewer{UserID: 1, Role: auth.RoleAdmin, Scope: code})
		for _, as := range []struct {
			who string
			ctx context.Context
		}{{"system", ctx}, {"admin of " + code, admin}} {
			best := time.Duration(1 << 62)
			var what string
			for i := 0; i < 3; i++ {
				start := time.Now()
				w, err := fn(as.ctx)
				if err != nil {
					t.Fatalf("%s as %s: %v", name, as.who, err)
				}
				best, what = min(best, time.Since(start)), w
			}
			t.Logf("%-32s %-18s %8.1f ms  %s", name, as.who, float64(best.Microseconds())/1000, what)
		}
	}
	today := insight.Today()
	timeIt("statistics of province "+province, province, func(ctx context.Context) (string, error) {
		s, err := insight.RegionStatistics(ctx, db.Client, province, today, insight.DefaultAlertThresholds)
		if err != nil {
			return "", err
		}
		return "villages " + itoa(s.Villages) + ", 两委 " + itoa(s.Committee.Members) + ", children " + itoa(len(s.Children)), nil
	})
	timeIt("alerts of county "+county, county, func(ctx context.Context) (string, error) {
		p, err := insight.Alerts(ctx, db.Client, county, nil, today, insight.DefaultAlertThresholds, 20, nil)
		if err != nil {
			return "", err
		}
		return "total " + itoa(p.TotalCount), nil
	})
	queries := []string{"张", "慧婷", "zht", "zhangwei", "8000"}
	if q := os.Getenv("YANZHEN_BENCH_QUERIES"); q != "" {
		queries = strings.Split(q, ",")
	}
	for _, q := range queries {
		timeIt("search "+q, county, func(ctx context.Context) (string, error) {
			hits, err := insight.Search(ctx, db.Client, q, "", nil, 20)
			return itoa(len(hits)) + " hits", err
		})
		timeIt("search "+q+" within "+county, county, func(ctx context.Context) (string, error) {
			hits, err := insight.Search(ctx, db.Client, q, county, nil, 20)
			return itoa(len(hits)) + " hits", err
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestFiguresPerformance times the statistics and alerts of the country
// and of the busiest province, city and county computed live (every
// region_figures row marked) and from the kept rows (after the refresher
// has caught up): the best of the first 3 calls and the 95th percentile of
// 20, as an admin of the region. Skipped unless YANZHEN_BENCH_DATABASE_URL
// is set (see TestPerformance); it refreshes every kept row of the
// database.
func TestFiguresPerformance(t *testing.T) {
	url := os.Getenv("YANZHEN_BENCH_DATABASE_URL")
	if url == "" {
		t.Skip("YANZHEN_BENCH_DATABASE_URL is not set")
	}
	ctx := auth.System(context.Background())
	db, err := database.Open(ctx, url, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == "postgres" {
		db.SQL.ExecContext(ctx, "ANALYZE")
	}
	busiest := func(n int) string {
		var code string
		if err := db.SQL.QueryRowContext(ctx, `SELECT SUBSTR(code, 1, `+strconv.Itoa(n)+`) FROM regions WHERE level = 'VILLAGE'
			GROUP BY SUBSTR(code, 1, `+strconv.Itoa(n)+`) ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&code); err != nil {
			t.Fatalf("no villages: %v", err)
		}
		return code
	}
	province := os.Getenv("YANZHEN_BENCH_PROVINCE")
	if province == "" {
		province = busiest(2)
	}
	city, county := busiest(4), busiest(6)
	th := insight.DefaultAlertThresholds
	today := insight.Today()
	measure := func(name, code string, fn func(ctx context.Context) error) {
		t.Helper()
		as := auth.NewContext(context.Background(), &auth.Viewer{UserID: 1, Role: auth.RoleAdmin, Scope: code})
		var times []time.Duration
		for range 20 {
			start := time.Now()
			if err := fn(as); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			times = append(times, time.Since(start))
		}
		best := slices.Min(times[:3])
		slices.Sort(times)
		p95 := times[int(0.95*float64(len(times)))-1]
		t.Logf("%-40s best of 3 %8.1f ms   p95 of 20 %8.1f ms", name, ms(best), ms(p95))
	}
	run := func(how string) {
		for _, code := range []string{"", province, city, county} {
			measure("statistics of "+code+" "+how, code, func(ctx context.Context) error {
				_, err := insight.RegionStatistics(ctx, db.Client, code, today, th)
				return err
			})
			measure("alerts of "+code+" (first 20) "+how, code, func(ctx context.Context) error {
				_, err := insight.Alerts(ctx, db.Client, code, nil, today, th, 20, nil)
				return err
			})
		}
	}
	if err := figures.All(ctx, db.Client); err != nil {
		t.Fatal(err)
	}
	run("live")
	r := &insight.Refresher{Client: db.Client, Thresholds: th}
	if err := r.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	start, rows := time.Now(), 0
	for {
		found, err := r.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			break
		}
		rows++
	}
	t.Logf("refreshed %d rows (the country, every province, city and county) in %s", rows, time.Since(start).Round(time.Millisecond))
	run("kept")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
