package insight

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/region"
)

// The figures of a province or a city — statistics and alert counts — read
// hundreds of thousands of rows, so they are kept in region_figures, one
// row per region: the figures computed for one date (as_of) with given
// thresholds (params), when (computed_at), a stale flag and a version.
//
//   - A write marks stale, in its own transaction, the rows of every region
//     above what it wrote and advances their version (the ent hooks of
//     ent/schema/figures_hooks.go, package insight/figures); the writers
//     that bypass ent mark all rows.
//   - A read of a date uses the row only when it is of that date, of the
//     same thresholds and not stale; otherwise it computes the figures live.
//     Past dates are computed from history as before.
//   - The Refresher recomputes stale rows, rows of another date (each
//     morning's) and rows of other thresholds, one region at a time, with
//     the code of the live answer (liveStatistics, alertCounts), and stores
//     them only if the version is still the one it read before computing:
//     a write that committed meanwhile, or is still to commit, makes the
//     store fail (its mark advanced the version, or holds the row until it
//     commits and then has). So a fresh row always equals the live figures.
//
// Several server processes may run refreshers on one database: a claim
// (claimed_until) makes the others pass the row by, and the compare-and-set
// keeps even two computations of one row correct.

// stored is the JSON of a row's statistics.
type stored struct {
	Statistics *Statistics            `json:"statistics"`
	Children   map[string]*Statistics `json:"children"`
}

// figuresRow reads the fresh row of code for asOf, or reports none.
func figuresRow(ctx context.Context, c *ent.Client, code string, asOf time.Time) (stats, alerts string, th AlertThresholds, computed time.Time, ok bool, err error) {
	var params string
	err = queryRows(ctx, c, `SELECT statistics, alerts, params, computed_at FROM region_figures
		WHERE code = $1 AND as_of = $2 AND NOT stale`, []any{code, asOf}, func(rows *sql.Rows) error {
		ok = true
		return rows.Scan(&stats, &alerts, &params, &computed)
	})
	if err != nil || !ok {
		return "", "", th, computed, false, err
	}
	if err := json.Unmarshal([]byte(params), &th); err != nil {
		return "", "", th, computed, false, nil
	}
	return stats, alerts, th, computed, true, nil
}

// storedStatistics gives the kept statistics of r on asOf (children as
// loaded), or nil when there is no fresh row for them.
func storedStatistics(ctx context.Context, c *ent.Client, r *ent.Region, children []*ent.Region, asOf time.Time, minReserves int) (*Statistics, error) {
	if !keptLevel(r.Code) {
		return nil, nil
	}
	text, _, th, computed, ok, err := figuresRow(ctx, c, r.Code, asOf)
	if err != nil || !ok || th.MinReserves != minReserves {
		return nil, err
	}
	var st stored
	if err := json.Unmarshal([]byte(text), &st); err != nil || st.Statistics == nil {
		return nil, nil
	}
	total := st.Statistics
	total.Region, total.AsOf, total.ComputedAt, total.Children = r, asOf, computed, []*Statistics{}
	for _, ch := range children {
		s := st.Children[ch.Code]
		if s == nil {
			// A child the figures do not know: compute them live.
			return nil, nil
		}
		s.Region, s.AsOf, s.ComputedAt, s.Children = ch, asOf, computed, []*Statistics{}
		total.Children = append(total.Children, s)
	}
	return total, nil
}

// storedAlertCounts gives the kept alert counts per kind of code on asOf
// with th, or nil.
func storedAlertCounts(ctx context.Context, c *ent.Client, code string, asOf time.Time, th AlertThresholds) (map[AlertKind]int, error) {
	if !keptLevel(code) {
		return nil, nil
	}
	_, text, rowTh, _, ok, err := figuresRow(ctx, c, code, asOf)
	if err != nil || !ok || rowTh != th {
		return nil, err
	}
	var counts map[AlertKind]int
	if err := json.Unmarshal([]byte(text), &counts); err != nil || len(counts) != len(AlertKinds) {
		return nil, nil
	}
	return counts, nil
}

// keptLevel reports whether the figures of code are kept: provinces and
// cities (a county's are computed in tens of milliseconds).
func keptLevel(code string) bool { return len(code) == 2 || len(code) == 4 }

// Refresher keeps region_figures: a row for every province and city, each
// recomputed when stale or of another date. It computes one region at a
// time and pauses between two, so it takes at most one connection pair
// and a bounded share of the database.
type Refresher struct {
	Client     *ent.Client
	Thresholds AlertThresholds
	// Pause between two regions (default 200 ms); Idle, the wait when no
	// row needs work (default 5 s); Lease, how long a claim holds (default
	// 2 minutes).
	Pause, Idle, Lease time.Duration
	// Now is the clock (time.Now).
	Now func() time.Time
}

func (r *Refresher) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Refresher) params() string {
	b, _ := json.Marshal(r.Thresholds)
	return string(b)
}

// Seed adds a stale row for every province and city that has none.
func (r *Refresher) Seed(ctx context.Context) error {
	_, err := r.Client.ExecContext(ctx, `INSERT INTO region_figures (code, as_of, params, statistics, alerts, computed_at, stale, version)
		SELECT code, $1, '', '', '', $2, TRUE, 0 FROM regions WHERE level IN ('PROVINCE', 'CITY')
		ON CONFLICT (code) DO NOTHING`, day(r.now()), r.now())
	return err
}

// Step refreshes the row most in need of it, if any: stale, of another date
// or of other thresholds, not claimed by another refresher, oldest first.
// It reports whether it found one.
func (r *Refresher) Step(ctx context.Context) (bool, error) {
	ctx = auth.System(ctx)
	now := r.now()
	today, params := day(now), r.params()
	var (
		id      int
		code    string
		version int64
		found   bool
	)
	err := queryRows(ctx, r.Client, `SELECT id, code, version FROM region_figures
		WHERE (stale OR as_of <> $1 OR params <> $2) AND (claimed_until IS NULL OR claimed_until < $3)
		ORDER BY computed_at, code LIMIT 1`, []any{today, params, now}, func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&id, &code, &version)
	})
	if err != nil || !found {
		return false, err
	}
	lease := r.Lease
	if lease == 0 {
		lease = 2 * time.Minute
	}
	res, err := r.Client.ExecContext(ctx, `UPDATE region_figures SET claimed_until = $1
		WHERE id = $2 AND version = $3 AND (claimed_until IS NULL OR claimed_until < $4)`, now.Add(lease), id, version, now)
	if err != nil {
		return true, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return true, err // another refresher took it, or a write moved it on
	}
	stats, alerts, err := r.compute(ctx, code, today)
	if errors.Is(err, errGone) {
		_, err = r.Client.ExecContext(ctx, `DELETE FROM region_figures WHERE id = $1 AND version = $2`, id, version)
		return true, err
	}
	if err == nil {
		res, err = r.Client.ExecContext(ctx, `UPDATE region_figures SET statistics = $1, alerts = $2, params = $3, as_of = $4,
			computed_at = $5, stale = FALSE, claimed_until = NULL WHERE id = $6 AND version = $7`,
			stats, alerts, params, today, now, id, version)
	}
	if err != nil {
		r.release(ctx, id)
		return true, fmt.Errorf("refreshing the figures of %s: %w", code, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		// A write came in while computing: the row stays stale, for the
		// next round.
		r.release(ctx, id)
		return true, err
	}
	return true, nil
}

func (r *Refresher) release(ctx context.Context, id int) {
	if _, err := r.Client.ExecContext(context.WithoutCancel(ctx), `UPDATE region_figures SET claimed_until = NULL WHERE id = $1`, id); err != nil {
		slog.WarnContext(ctx, "releasing region figures", "error", err)
	}
}

// errGone: the row's region no longer exists.
var errGone = errors.New("no such region")

// compute gives the JSON of the statistics and alert counts of code on
// asOf, computed live.
func (r *Refresher) compute(ctx context.Context, code string, asOf time.Time) (string, string, error) {
	reg, err := r.Client.Region.Query().Where(region.Code(code)).Only(ctx)
	if ent.IsNotFound(err) {
		return "", "", errGone
	}
	if err != nil {
		return "", "", err
	}
	children, err := childRegions(ctx, r.Client, reg)
	if err != nil {
		return "", "", err
	}
	s, err := liveStatistics(ctx, r.Client, reg, children, asOf, r.Thresholds.MinReserves)
	if err != nil {
		return "", "", err
	}
	counts, err := alertCounts(ctx, r.Client, code, asOf, r.Thresholds)
	if err != nil {
		return "", "", err
	}
	st := stored{Statistics: s, Children: map[string]*Statistics{}}
	for _, ch := range s.Children {
		st.Children[ch.Region.Code] = ch
	}
	stats, err := json.Marshal(st)
	if err != nil {
		return "", "", err
	}
	alerts, err := json.Marshal(counts)
	return string(stats), string(alerts), err
}

// Run seeds the rows, then refreshes one at a time until ctx ends,
// reseeding hourly (new regions). Errors are logged and retried later.
func (r *Refresher) Run(ctx context.Context) {
	ctx = auth.System(ctx)
	pause, idle := r.Pause, r.Idle
	if pause == 0 {
		pause = 200 * time.Millisecond
	}
	if idle == 0 {
		idle = 5 * time.Second
	}
	var seeded time.Time
	for ctx.Err() == nil {
		if time.Since(seeded) > time.Hour {
			if err := r.Seed(ctx); err != nil {
				slog.WarnContext(ctx, "seeding region figures", "error", err)
			} else {
				seeded = time.Now()
			}
		}
		found, err := r.Step(ctx)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "refreshing region figures", "error", err)
		}
		wait := pause
		if !found || err != nil {
			wait = idle
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}
