package rules

import "testing"

func TestOutcomeChainOrder(t *testing.T) {
	for _, c := range []struct {
		kind, prev string
		same       bool
		day, prevD string
		ok         bool
	}{
		{"SITE_VISIT", "INVESTMENT_LEAD", true, "2024-05-01", "2024-03-01", true},
		{"PROJECT_LANDED", "SITE_VISIT", true, "2024-05-01", "2024-05-01", true},
		{"FUNDS", "PROJECT_LANDED", true, "2024-05-01", "2024-03-01", true},
		{"FUNDS", "SITE_VISIT", true, "2024-05-01", "2024-03-01", false},            // skips the project
		{"SITE_VISIT", "SITE_VISIT", true, "2024-05-01", "2024-03-01", false},       // same kind
		{"INVESTMENT_LEAD", "FUNDS", true, "2024-05-01", "2024-03-01", false},       // a lead starts a chain
		{"SITE_VISIT", "INVESTMENT_LEAD", false, "2024-05-01", "2024-03-01", false}, // another village
		{"SITE_VISIT", "INVESTMENT_LEAD", true, "2024-03-01", "2024-05-01", false},  // before the lead
	} {
		v := CheckOutcomeStep(c.kind, c.prev, c.same, date(c.day), date(c.prevD))
		if (v == nil) != c.ok {
			t.Errorf("%s after %s (same village %v, %s after %s): %v, want ok=%v", c.kind, c.prev, c.same, c.day, c.prevD, v, c.ok)
		}
	}
}

func TestRehire(t *testing.T) {
	for _, c := range []struct {
		role        string
		same, ended bool
		ok          bool
	}{
		{"SUPERVISORY_DIRECTOR", true, true, true},
		{"COOPERATIVE_LEADER", true, true, true},
		{"PARTY_SECRETARY", true, true, false},
		{"SUPERVISORY_MEMBER", false, true, false},
		{"SUPERVISORY_MEMBER", true, false, false},
	} {
		if v := CheckRehire(c.role, c.same, c.ended); (v == nil) != c.ok {
			t.Errorf("%+v: %v", c, v)
		}
	}
}
