package rules

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func datePtr(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := date(s)
	return &t
}

func period(start, end string) Period { return Period{date(start), datePtr(end)} }

func TestCheckPeriod(t *testing.T) {
	cases := []struct {
		start, end string
		ok         bool
	}{
		{"2024-05-01", "2024-05-01", true}, // a one-day period
		{"2024-05-01", "2024-05-02", true},
		{"2024-05-01", "", true}, // open: current
		{"2024-05-01", "2024-04-30", false},
		{"2024-01-01", "2023-12-31", false},
	}
	for _, c := range cases {
		v := CheckPeriod(period(c.start, c.end))
		if (v == nil) != c.ok {
			t.Errorf("%s–%s: %v, want ok=%v", c.start, c.end, v, c.ok)
		}
		if v != nil && (v.Code != EndBeforeStart || v.Field != "endDate" ||
			v.Text().En != "the end date is before the start date "+c.start ||
			v.Text().Zh != "结束日期早于开始日期 "+c.start) {
			t.Errorf("%s–%s: %+v %q / %q", c.start, c.end, v, v.Text().En, v.Text().Zh)
		}
	}
}

func TestPeriodsCompareCalendarDays(t *testing.T) {
	// Midnight in Beijing is the previous day in UTC: the dates as written
	// decide, not the instants.
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, China)
	end := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	if v := CheckPeriod(Period{start, &end}); v != nil {
		t.Fatal(v)
	}
}

func TestOverlaps(t *testing.T) {
	cases := []struct {
		a, b Period
		want bool
	}{
		{period("2021-01-01", "2021-12-31"), period("2022-01-01", "2022-12-31"), false}, // adjacent
		{period("2021-01-01", "2021-12-31"), period("2021-12-31", "2022-12-31"), true},  // one shared day
		{period("2021-01-01", ""), period("2024-01-01", ""), true},                      // two open
		{period("2021-01-01", ""), period("2015-01-01", "2020-12-31"), false},           // history before
		{period("2021-01-01", ""), period("2015-01-01", "2021-01-01"), true},            // ends on the first day
		{period("2021-03-01", "2021-03-01"), period("2021-01-01", "2021-12-31"), true},  // inside
		{period("2024-07-01", ""), period("2021-01-01", "2024-06-30"), false},           // successor
	}
	for _, c := range cases {
		if got := c.a.Overlaps(c.b); got != c.want {
			t.Errorf("%v ∩ %v: %v, want %v", c.a, c.b, got, c.want)
		}
		if got := c.b.Overlaps(c.a); got != c.want {
			t.Errorf("%v ∩ %v (swapped): %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

func TestCheckBirthDate(t *testing.T) {
	// 2026-03-10 01:00 in Beijing is still 2026-03-09 in UTC.
	now := time.Date(2026, 3, 9, 17, 0, 0, 0, time.UTC)
	cases := []struct {
		birth string
		ok    bool
	}{
		{"1949-12-31", true},
		{"2026-03-09", true},
		{"2026-03-10", true}, // born today, in China
		{"2026-03-11", false},
		{"2030-01-01", false},
	}
	for _, c := range cases {
		v := CheckBirthDate(date(c.birth), now)
		if (v == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.birth, v, c.ok)
		}
		if v != nil && (v.Code != BirthDateInFuture || v.Field != "birthDate" || v.Text().En != "the birth date "+c.birth+" is in the future") {
			t.Errorf("%s: %+v %s", c.birth, v, v)
		}
	}
}

func TestCheckRecordDate(t *testing.T) {
	// 2026-03-10 01:00 in Beijing is still 2026-03-09 in UTC: a contact
	// logged that morning is dated today, not tomorrow.
	now := time.Date(2026, 3, 9, 17, 0, 0, 0, time.UTC)
	cases := []struct {
		date string
		ok   bool
	}{
		{"2020-01-01", true},
		{"2026-03-09", true},
		{"2026-03-10", true}, // today, in China
		{"2026-03-11", false},
		{"2027-01-01", false},
	}
	for _, c := range cases {
		v := CheckRecordDate("date", date(c.date), now)
		if (v == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.date, v, c.ok)
		}
		if v != nil && (v.Code != DateInFuture || v.Field != "date" ||
			v.Text().En != "the date "+c.date+" is in the future; a record is entered after the event" ||
			v.Text().Zh != "日期 "+c.date+" 晚于今天，不能登记尚未发生的记录") {
			t.Errorf("%s: %+v %s", c.date, v, v)
		}
	}
	// A date the driver hands back at UTC midnight compares as written.
	if v := CheckRecordDate("date", time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), now); v != nil {
		t.Errorf("today at UTC midnight: %v", v)
	}
}
