package insight

import (
	"context"
	"errors"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/region"
)

// LiveStatistics computes the statistics of code on asOf from the tables,
// never from region_figures (for the tests that compare the two).
func LiveStatistics(ctx context.Context, c *ent.Client, code string, asOf time.Time, th AlertThresholds) (*Statistics, error) {
	r, err := analyticsSubtree(ctx, c, code)
	if err != nil {
		return nil, err
	}
	children, err := childRegions(ctx, c, r)
	if err != nil {
		return nil, err
	}
	return liveStatistics(ctx, c, code, r, children, day(asOf), th)
}

// LiveAlertCounts counts the alerts of every kind from the tables.
func LiveAlertCounts(ctx context.Context, c *ent.Client, code string, asOf time.Time, th AlertThresholds) (map[AlertKind]int, error) {
	counts, err := alertCounts(ctx, c, code, day(asOf), th)
	return counts.All, err
}

// LiveAlertCountsOf counts the alerts of every kind of the region kind rk
// ("" all) from the tables.
func LiveAlertCountsOf(ctx context.Context, c *ent.Client, code string, rk region.Kind, asOf time.Time, th AlertThresholds) (map[AlertKind]int, error) {
	counts, err := alertCounts(ctx, c, code, day(asOf), th)
	return counts.of(rk), err
}

// LiveAlerts is Alerts without the kept counts: one statement for the page
// over all kinds, one for the total.
func LiveAlerts(ctx context.Context, c *ent.Client, code string, kinds []AlertKind, asOf time.Time, th AlertThresholds, first int, after *AlertCursor) (*AlertPage, error) {
	return alerts(ctx, c, code, kinds, "", asOf, th, first, after, false)
}

// LiveAlertsOfKind is AlertsOfKind without the kept counts.
func LiveAlertsOfKind(ctx context.Context, c *ent.Client, code string, kinds []AlertKind, rk region.Kind, asOf time.Time, th AlertThresholds, first int, after *AlertCursor) (*AlertPage, error) {
	return alerts(ctx, c, code, kinds, rk, asOf, th, first, after, false)
}

// FailingRefresher is a refresher whose computations fail, after it has
// claimed a row and deleted its marks.
func FailingRefresher(c *ent.Client, th AlertThresholds) *Refresher {
	return &Refresher{Client: c, Thresholds: th, failCompute: errors.New("the computation failed")}
}
