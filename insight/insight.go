// Package insight answers the questions about relationships that the talent
// graph exists for: mentor lineages and the 雏雁 pipeline (lineage.go),
// 两单合一 matching (matching.go), structure statistics (statistics.go),
// compliance alerts (alerts.go), search (search.go) and history (history.go).
//
// Every answer is computed by SQL in the database — recursive queries,
// aggregations over the region-code range, unions — written once for both
// SQLite and PostgreSQL: placeholders are $n, dates are bound as time.Time at
// UTC midnight and compared with date columns directly (PostgreSQL then
// infers the parameter as a date), and date parts are read with
// SUBSTR(CAST(col AS TEXT), …), which both engines render as YYYY-MM-DD….
package insight

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/i18n"
	"yanzhen/regioncode"
)

func text(zh, en string, args ...any) i18n.Text { return i18n.T(zh, en, args...) }

// ValueCount counts the records with one value of an enum.
type ValueCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Config gathers the tunable parts of insight: matching weights and alert
// thresholds.
type Config struct {
	Match  MatchWeights
	Alerts AlertThresholds
}

// DefaultConfig is used unless the server configures otherwise.
var DefaultConfig = Config{Match: DefaultMatchWeights, Alerts: DefaultAlertThresholds}

// ConfigFromEnv reads overrides of DefaultConfig from the environment
// (getenv is os.Getenv in production):
//
//	YANZHEN_MATCH_WEIGHTS    cooperation,field,proximity,load (e.g. 0.35,0.3,0.2,0.15)
//	YANZHEN_MATCH_CAP        active assignments per expert before the overload penalty (3)
//	YANZHEN_ALERT_CONTACT_DAYS     adviser contact interval in days (30)
//	YANZHEN_ALERT_SERVICE_DAYS     days without a service record (90)
//	YANZHEN_ALERT_DEMAND_DAYS      days a demand may stay open (60)
//	YANZHEN_ALERT_MIN_RESERVES     reserves a village should have (2)
//	YANZHEN_ALERT_LAST_RANK_YEARS  years running a cadre may rank last in the 述职评议 (2)
//	YANZHEN_TRAINING_MIN_HOURS     yearly training hours a 两委 cadre should have (32)
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := DefaultConfig
	if v := getenv("YANZHEN_MATCH_WEIGHTS"); v != "" {
		parts := strings.Split(v, ",")
		if len(parts) != 4 {
			return cfg, fmt.Errorf("YANZHEN_MATCH_WEIGHTS needs four numbers (cooperation,field,proximity,load), got %q", v)
		}
		var w [4]float64
		for i, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || f < 0 {
				return cfg, fmt.Errorf("YANZHEN_MATCH_WEIGHTS: %q is not a non-negative number", p)
			}
			w[i] = f
		}
		cfg.Match.Cooperation, cfg.Match.Field, cfg.Match.Proximity, cfg.Match.Load = w[0], w[1], w[2], w[3]
	}
	ints := []struct {
		name string
		dst  *int
	}{
		{"YANZHEN_MATCH_CAP", &cfg.Match.Cap},
		{"YANZHEN_ALERT_CONTACT_DAYS", &cfg.Alerts.ContactDays},
		{"YANZHEN_ALERT_SERVICE_DAYS", &cfg.Alerts.ServiceDays},
		{"YANZHEN_ALERT_DEMAND_DAYS", &cfg.Alerts.DemandOpenDays},
		{"YANZHEN_ALERT_MIN_RESERVES", &cfg.Alerts.MinReserves},
		{"YANZHEN_ALERT_LAST_RANK_YEARS", &cfg.Alerts.LastRankYears},
	}
	for _, s := range ints {
		if v := getenv(s.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return cfg, fmt.Errorf("%s must be a positive whole number, got %q", s.name, v)
			}
			*s.dst = n
		}
	}
	if v := getenv("YANZHEN_TRAINING_MIN_HOURS"); v != "" {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 10000 {
			return cfg, fmt.Errorf("YANZHEN_TRAINING_MIN_HOURS must be a number of hours from 0 to 10000, got %q", v)
		}
		cfg.Alerts.MinTrainingHours = f
	}
	return cfg, nil
}

// day is t's calendar date at UTC midnight, the form dates are bound in.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the current date.
func Today() time.Time { return day(time.Now()) }

// findRegion loads the region with code, or fails with BAD_USER_INPUT (not a
// code) or NOT_FOUND.
func findRegion(ctx context.Context, c *ent.Client, field, code string) (*ent.Region, error) {
	if !regioncode.Valid(code) {
		return nil, errcode.BadInput(field, "%q is not a region code / 不是有效的区划代码", code)
	}
	r, err := c.Region.Query().Where(region.Code(code)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.NotFound, "no region has code %s / 未找到区划 %s", code, code)
	}
	return r, err
}

// codeRange is the half-open range of region codes in code's subtree, as
// SQL text to compare a column with: "col >= $i AND col < $j". hi is
// unbounded only for a code of all nines, which no real code is; it then
// gets a bound that sorts after every digit string.
func codeRange(code string) (lo, hi string) {
	lo, hi = regioncode.Range(code)
	if hi == "" {
		hi = ":" // ':' sorts right after '9'
	}
	return lo, hi
}

// scanDate reads a date column: PostgreSQL and SQLite's declared datetime
// columns give time.Time, values passed through a UNION or CTE may come back
// as text.
type scanDate struct {
	Time  time.Time
	Valid bool
}

func (d *scanDate) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.Valid = false
		return nil
	case time.Time:
		d.Time, d.Valid = day(x), true
		return nil
	case []byte:
		return d.parse(string(x))
	case string:
		return d.parse(x)
	}
	return fmt.Errorf("insight: cannot read %T as a date", v)
}

func (d *scanDate) parse(s string) error {
	if len(s) < 10 {
		return fmt.Errorf("insight: %q is not a date", s)
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return err
	}
	d.Time, d.Valid = t, true
	return nil
}

func (d scanDate) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.Time
	return &t
}

// queryRows runs q and calls scan for every row.
func queryRows(ctx context.Context, c *ent.Client, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// daysBetween counts the days from a to b (dates).
func daysBetween(a, b time.Time) int { return int(day(b).Sub(day(a)).Hours() / 24) }

// ageSQL is the age in completed years on the date whose year is $y and
// month-day text is $md, of a birth-date column: year difference, less one
// when the birthday is still to come. A birth date known only to the month
// (birth_date_precision MONTH) is stored as the 1st of the month, so the
// age turns on the 1st of the birth month: cadre work counts 周岁 from
// 出生年月 by the month, and the stored date needs no other reading here.
func ageSQL(col, y, md string) string {
	return fmt.Sprintf("(%s - CAST(SUBSTR(CAST(%s AS TEXT), 1, 4) AS INTEGER) - CASE WHEN SUBSTR(CAST(%s AS TEXT), 6, 5) > %s THEN 1 ELSE 0 END)",
		y, col, col, md)
}
