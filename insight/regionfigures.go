package insight

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/insight/figures"
)

// The figures of the country, a province, a city or a county — statistics
// and alert counts — read up to millions of rows, so they are kept in
// region_figures, one row per region (code "" for the country): the
// figures computed for one date (as_of) with given thresholds (params) and
// when (computed_at).
//
//   - A write inserts, in its own transaction, a mark for every kept region
//     above what it wrote (region_figures_marks; the ent hooks of
//     ent/schema/figures_hooks.go, package insight/figures); the writers
//     that bypass ent mark all rows. Writers never update a shared row, so
//     they do not queue behind each other's transactions.
//   - A read of a date uses the row when it is of that date and of the
//     same thresholds, no mark of its code exists and it is not stale;
//     otherwise it computes the figures live. With a lag (SetFiguresLag) a
//     marked row computed within the lag is used too: its computedAt tells.
//     Past dates are computed from history as before.
//   - The Refresher takes the rows that are marked, stale, of another date
//     (each morning's) or of other thresholds, one at a time. It claims the
//     row (stale, version + 1), deletes the code's marks, computes with
//     the code of the live answer (liveStatistics, alertCounts) and stores
//     the figures, clearing stale, only if the version is still its own.
//     A write that committed before the marks were deleted is in what the
//     computation reads; one that had not yet committed keeps its mark,
//     and the row is not fresh. A refresher that fails or dies leaves the
//     row stale. So a fresh row always equals the live figures.
//
// Several server processes may run refreshers on one database: a claim
// (claimed_until) makes the others pass the row by, and the version keeps
// a refresher whose claim lapsed from storing over a newer computation.

// figuresFormat is the version of what a row holds: rows of another
// version (stored before the villages' and communities' figures were told
// apart, 2) do not answer, and the refresher recomputes them (the format is
// part of params).
const figuresFormat = 2

// rowParams is a row's params: the thresholds and the format.
type rowParams struct {
	AlertThresholds
	Format int `json:"format"`
}

// stored is the JSON of a row's statistics.
type stored struct {
	Statistics *Statistics            `json:"statistics"`
	Children   map[string]*Statistics `json:"children"`
}

// figuresLag is how old a marked row may be and still answer (0: only
// fresh rows answer).
var figuresLag atomic.Int64

// SetFiguresLag lets kept figures computed within lag answer even when a
// write has marked them since (YANZHEN_FIGURES_LAG), so that a busy
// country's figures stay one read; their computedAt says how old they are.
func SetFiguresLag(lag time.Duration) { figuresLag.Store(int64(lag)) }

// figuresRow reads the row of code for asOf if it may answer, or reports
// none.
func figuresRow(ctx context.Context, c *ent.Client, code string, asOf time.Time) (stats, alerts string, th AlertThresholds, computed time.Time, ok bool, err error) {
	var params string
	lagSince := time.Now().Add(-time.Duration(figuresLag.Load()))
	err = queryRows(ctx, c, `SELECT f.statistics, f.alerts, f.params, f.computed_at FROM region_figures f
		WHERE f.code = $1 AND f.as_of = $2 AND f.statistics <> '' AND (f.computed_at >= $3 OR
			NOT f.stale AND NOT EXISTS (SELECT 1 FROM region_figures_marks m WHERE m.code = f.code))`,
		[]any{code, asOf, lagSince}, func(rows *sql.Rows) error {
			ok = true
			return rows.Scan(&stats, &alerts, &params, &computed)
		})
	if err != nil || !ok {
		return "", "", th, computed, false, err
	}
	var p rowParams
	if err := json.Unmarshal([]byte(params), &p); err != nil || p.Format != figuresFormat {
		return "", "", th, computed, false, nil
	}
	return stats, alerts, p.AlertThresholds, computed, true, nil
}

// kept reports whether figures of code on asOf may be kept: rows are of
// the kept levels and of today (past dates come from history).
func kept(code string, asOf time.Time) bool {
	return figures.KeptLevel(code) && asOf.Equal(Today())
}

// storedStatistics gives the kept statistics of the subtree of code (region
// r, nil for the country) on asOf (children as loaded), or nil when no row
// may answer.
func storedStatistics(ctx context.Context, c *ent.Client, code string, r *ent.Region, children []*ent.Region, asOf time.Time, want AlertThresholds) (*Statistics, error) {
	if !kept(code, asOf) {
		return nil, nil
	}
	text, _, th, computed, ok, err := figuresRow(ctx, c, code, asOf)
	if err != nil || !ok || th.MinReserves != want.MinReserves || th.MinTrainingHours != want.MinTrainingHours {
		return nil, err
	}
	var st stored
	if err := json.Unmarshal([]byte(text), &st); err != nil || st.Statistics == nil {
		return nil, nil
	}
	total := st.Statistics
	if !complete(total) {
		return nil, nil
	}
	total.Region, total.AsOf, total.ComputedAt, total.Children = r, asOf, computed, []*Statistics{}
	for _, ch := range children {
		s := st.Children[ch.Code]
		if s == nil || !complete(s) {
			// A child the figures do not know, or figures stored before
			// they had all their parts: compute them live.
			return nil, nil
		}
		s.Region, s.AsOf, s.ComputedAt, s.Children = ch, asOf, computed, []*Statistics{}
		total.Children = append(total.Children, s)
	}
	return total, nil
}

// complete reports whether stored statistics have every part (rows
// stored by an older version lack the newer ones).
func complete(s *Statistics) bool {
	return s.Committee != nil && s.Duties != nil && s.Assessments != nil && s.Training != nil && s.Rewards != nil
}

// storedAlertCounts gives the kept alert counts per kind of code on asOf
// with th, of the alerts of the region kind rk ("" all), or nil.
func storedAlertCounts(ctx context.Context, c *ent.Client, code string, rk region.Kind, asOf time.Time, th AlertThresholds) (map[AlertKind]int, error) {
	if !kept(code, asOf) {
		return nil, nil
	}
	_, text, rowTh, _, ok, err := figuresRow(ctx, c, code, asOf)
	if err != nil || !ok || rowTh != th {
		return nil, err
	}
	var counts AlertCounts
	if err := json.Unmarshal([]byte(text), &counts); err != nil || !counts.complete() {
		return nil, nil
	}
	return counts.of(rk), nil
}

// Refresher keeps region_figures: a row for the country and for every
// province, city and county, each recomputed when marked, stale or of
// another date. It computes one region at a time and pauses between two,
// so it takes at most one connection pair and a bounded share of the
// database.
type Refresher struct {
	Client     *ent.Client
	Thresholds AlertThresholds
	// Pause between two regions: as long as the last one took, and at
	// least Pause (default 50 ms), so the refresher takes at most half of
	// one connection pair's time; Idle, the wait when no row needs work
	// (default 5 s); Lease, how long a claim holds (default 2 minutes).
	Pause, Idle, Lease time.Duration
	// Now is the clock (time.Now).
	Now func() time.Time

	// failCompute, when set, is the error of every computation (tests).
	failCompute error
}

func (r *Refresher) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Refresher) params() string {
	b, _ := json.Marshal(rowParams{AlertThresholds: r.Thresholds, Format: figuresFormat})
	return string(b)
}

// Seed adds a stale row for the country and every province, city and
// county that has none, and drops the marks of codes without a row (a
// region gone; a row added later is computed anyway).
func (r *Refresher) Seed(ctx context.Context) error {
	now := r.now()
	_, err := r.Client.ExecContext(ctx, `INSERT INTO region_figures (code, as_of, params, statistics, alerts, computed_at, stale, version)
		SELECT code, $1, '', '', '', $2, TRUE, 0 FROM regions WHERE level IN ('PROVINCE', 'CITY', 'COUNTY')
		ON CONFLICT (code) DO NOTHING`, day(now), now)
	if err == nil {
		_, err = r.Client.ExecContext(ctx, `INSERT INTO region_figures (code, as_of, params, statistics, alerts, computed_at, stale, version)
			VALUES ('', $1, '', '', '', $2, TRUE, 0) ON CONFLICT (code) DO NOTHING`, day(now), now)
	}
	if err == nil {
		_, err = r.Client.ExecContext(ctx, `DELETE FROM region_figures_marks
			WHERE NOT EXISTS (SELECT 1 FROM region_figures f WHERE f.code = region_figures_marks.code)`)
	}
	return err
}

// Step refreshes the row most in need of it, if any: marked, stale, of
// another date or of other thresholds, not claimed by another refresher,
// oldest first. It reports whether it found one.
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
	err := queryRows(ctx, r.Client, `SELECT f.id, f.code, f.version FROM region_figures f
		WHERE (f.stale OR f.as_of <> $1 OR f.params <> $2 OR EXISTS (SELECT 1 FROM region_figures_marks m WHERE m.code = f.code))
			AND (f.claimed_until IS NULL OR f.claimed_until < $3)
		ORDER BY f.computed_at, f.code LIMIT 1`, []any{today, params, now}, func(rows *sql.Rows) error {
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
	res, err := r.Client.ExecContext(ctx, `UPDATE region_figures SET claimed_until = $1, stale = TRUE, version = version + 1
		WHERE id = $2 AND version = $3 AND (claimed_until IS NULL OR claimed_until < $4)`, now.Add(lease), id, version, now)
	if err != nil {
		return true, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return true, err // another refresher took it
	}
	version++
	// The claim is committed before the marks go: a refresher that dies
	// from here on leaves the row stale.
	if _, err := r.Client.ExecContext(ctx, `DELETE FROM region_figures_marks WHERE code = $1`, code); err != nil {
		r.release(ctx, id)
		return true, err
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
		return true, fmt.Errorf("refreshing the figures of %q: %w", code, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		// Another refresher claimed the row after this one's claim
		// lapsed: its figures are the newer.
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
	if r.failCompute != nil {
		return "", "", r.failCompute
	}
	var reg *ent.Region // the country's is nil
	if code != "" {
		var err error
		reg, err = r.Client.Region.Query().Where(region.Code(code)).Only(ctx)
		if ent.IsNotFound(err) {
			return "", "", errGone
		}
		if err != nil {
			return "", "", err
		}
	}
	children, err := childRegions(ctx, r.Client, reg)
	if err != nil {
		return "", "", err
	}
	s, err := liveStatistics(ctx, r.Client, code, reg, children, asOf, r.Thresholds)
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
		pause = 50 * time.Millisecond
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
		started := time.Now()
		found, err := r.Step(ctx)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "refreshing region figures", "error", err)
		}
		wait := max(pause, time.Since(started))
		if !found || err != nil {
			wait = idle
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}
