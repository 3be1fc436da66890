package rules

import (
	"strings"
	"testing"
)

func TestSoleSecretary(t *testing.T) {
	onFile := func(start, end string) Term { return Term{Period: period(start, end)} }
	row := func(n int, start, end string) Term { return Term{period(start, end), Where{Row: n}} }
	cases := []struct {
		name   string
		term   Period
		others []Term
		want   string // "" when allowed, else the English text
	}{
		{"first secretary of the village", period("2021-01-01", ""), nil, ""},
		{"a second current one", period("2024-01-01", ""), []Term{onFile("2021-01-01", "")},
			"the village already has a party secretary from 2021-01-01 (on file); a village has one secretary at a time"},
		{"a closed term that overlaps", period("2020-01-01", "2021-06-30"), []Term{onFile("2021-01-01", "")},
			"the village already has a party secretary from 2021-01-01 (on file); a village has one secretary at a time"},
		{"sharing one day", period("2020-01-01", "2021-01-01"), []Term{onFile("2021-01-01", "")},
			"the village already has a party secretary from 2021-01-01 (on file); a village has one secretary at a time"},
		{"history before", period("2018-01-01", "2020-12-31"), []Term{onFile("2021-01-01", "")}, ""},
		{"successor the day after", period("2024-07-01", ""), []Term{onFile("2021-01-01", "2024-06-30")}, ""},
		{"the first clash is named", period("2024-01-01", ""), []Term{onFile("2010-01-01", "2012-12-31"), row(3, "2023-01-01", ""), onFile("2022-01-01", "")},
			"the village already has a party secretary from 2023-01-01 (row 3); a village has one secretary at a time"},
	}
	for _, c := range cases {
		v := SoleSecretary(c.term, c.others)
		got := ""
		if v != nil {
			got = v.Text().En
			if v.Code != SecondSecretary || !v.Conflict() {
				t.Errorf("%s: %+v", c.name, v)
			}
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	v := SoleSecretary(period("2024-01-01", ""), []Term{row(3, "2023-01-01", "")})
	if v.Text().Zh != "该村在此期间已有党组织书记（2023-01-01 起，第3行）；一个村同一时间只有一名书记" {
		t.Error(v.Text().Zh)
	}
	v = SoleSecretary(period("2024-01-01", ""), []Term{onFile("2023-01-01", "")})
	if v.Text().Zh != "该村在此期间已有党组织书记（2023-01-01 起，库中已有）；一个村同一时间只有一名书记" {
		t.Error(v.Text().Zh)
	}
}

func TestIsSecretary(t *testing.T) {
	for role, want := range map[string]bool{
		"PARTY_SECRETARY": true, "SECRETARY_AND_DIRECTOR": true,
		"FIRST_SECRETARY": false, "DEPUTY_SECRETARY": false, "COMMITTEE_DIRECTOR": false,
	} {
		if IsSecretary(role) != want {
			t.Errorf("%s: %v", role, !want)
		}
	}
}

func TestPostDetails(t *testing.T) {
	cases := []struct {
		role             string
		onList, dispatch bool
		want             []Code
	}{
		{"RESERVE_CADRE", true, false, nil},
		{"RESERVE_CADRE", false, false, []Code{ReserveListMissing}},
		{"COMMITTEE_MEMBER", true, false, []Code{ReserveListNotAllowed}},
		{"COMMITTEE_MEMBER", false, false, nil},
		{"FIRST_SECRETARY", false, true, nil},
		{"WORK_TEAM_MEMBER", false, true, nil},
		{"PARTY_SECRETARY", false, true, []Code{DispatchNotAllowed}},
		{"RESERVE_CADRE", false, true, []Code{ReserveListMissing, DispatchNotAllowed}},
	}
	for _, c := range cases {
		var got []Code
		for _, v := range []*Violation{ReserveList(c.role, c.onList), DispatchLevel(c.role, c.dispatch)} {
			if v != nil {
				got = append(got, v.Code)
			}
		}
		if strings.Join(codes(got), ",") != strings.Join(codes(c.want), ",") {
			t.Errorf("%+v: %v", c, got)
		}
	}
	if v := ReserveList("RESERVE_CADRE", false); v.Field != "reserveList" ||
		v.Text().Zh != "后备干部须注明后备类别（书记培养对象/两委培养对象/骨干党员）" {
		t.Errorf("%+v %s", v, v.Text().Zh)
	}
}

func codes(cs []Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func TestIsDirector(t *testing.T) {
	for role, want := range map[string]bool{
		"COMMITTEE_DIRECTOR": true, "SECRETARY_AND_DIRECTOR": true,
		"PARTY_SECRETARY": false, "DEPUTY_SECRETARY": false, "COMMITTEE_MEMBER": false,
	} {
		if IsDirector(role) != want {
			t.Errorf("IsDirector(%s) = %v", role, !want)
		}
	}
}
