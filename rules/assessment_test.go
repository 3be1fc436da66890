package rules

import (
	"testing"
	"time"
)

func TestCheckAssessment(t *testing.T) {
	now := date("2026-03-01")
	for _, c := range []struct {
		name        string
		year        int
		score       *float64
		rank, among *int
		scoped      bool
		want        Code
		field       string
	}{
		{"fine", 2025, ptr(88.5), ptr(3), ptr(12), true, "", ""},
		{"no score, no rank", 2025, nil, nil, nil, false, "", ""},
		{"this year", 2026, nil, nil, nil, false, "", ""},
		{"next year", 2027, nil, nil, nil, false, YearOutOfRange, "year"},
		{"1948", 1948, nil, nil, nil, false, YearOutOfRange, "year"},
		{"score below 0", 2025, ptr(-1.0), nil, nil, false, ScoreOutOfRange, "reviewScore"},
		{"score 100", 2025, ptr(100.0), nil, nil, false, "", ""},
		{"rank without the number ranked", 2025, nil, ptr(1), nil, true, RankIncomplete, "rank"},
		{"rank without its scope", 2025, nil, ptr(1), ptr(5), false, RankIncomplete, "rank"},
		{"a scope alone", 2025, nil, nil, nil, true, RankIncomplete, "rank"},
		{"rank 0", 2025, nil, ptr(0), ptr(5), true, RankOutOfRange, "rank"},
		{"last", 2025, nil, ptr(5), ptr(5), true, "", ""},
		{"beyond last", 2025, nil, ptr(6), ptr(5), true, RankOutOfRange, "rank"},
	} {
		v := CheckAssessment(c.year, c.score, c.rank, c.among, c.scoped, now)
		switch {
		case c.want == "" && v != nil:
			t.Errorf("%s: refused: %v", c.name, v)
		case c.want != "" && (v == nil || v.Code != c.want || v.Field != c.field):
			t.Errorf("%s: got %+v, want %s on %s", c.name, v, c.want, c.field)
		}
	}
}

func TestCheckDutyItem(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, China)
	if v := CheckDutyItem(2026, true, datePtr("2026-03-01"), now); v != nil {
		t.Errorf("done today: %v", v)
	}
	if v := CheckDutyItem(2026, true, datePtr("2026-03-02"), now); v == nil || v.Code != DateInFuture || v.Field != "completedOn" {
		t.Errorf("done tomorrow: %+v", v)
	}
	if v := CheckDutyItem(2026, false, datePtr("2026-02-01"), now); v == nil || v.Code != CompletedNotDone {
		t.Errorf("a completion date on an open item: %+v", v)
	}
	if v := CheckDutyItem(2026, false, nil, now); v != nil {
		t.Errorf("an open item: %v", v)
	}
	if got := Today(time.Date(2026, 2, 28, 20, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("20:00 UTC on 28 February is %s in China", got)
	}
}
