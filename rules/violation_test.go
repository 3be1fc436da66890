package rules

import (
	"strings"
	"testing"
)

// Every violation the rules produce has both texts, fully formatted.
func TestEveryViolationHasItsTexts(t *testing.T) {
	id, _ := ParseIDNumber(example)
	_, badFormat := ParseIDNumber("1")
	_, badDigit := ParseIDNumber("110105194912310021")
	_, badBirth := ParseIDNumber("110105194913310021")
	vs := []*Violation{
		CheckPeriod(period("2024-05-01", "2024-04-30")),
		CheckBirthDate(date("2030-01-01"), date("2026-01-01")),
		CheckRecordDate("date", date("2030-01-01"), date("2026-01-01")),
		Demand.Check(Region{"包头市", "1502", City}, "regionID"),
		SoleSecretary(period("2024-01-01", ""), []Term{{Period: period("2021-01-01", "")}}),
		ReserveList("RESERVE_CADRE", false),
		ReserveList("COMMITTEE_MEMBER", true),
		DispatchLevel("COMMITTEE_MEMBER", true),
		badFormat, badDigit, badBirth,
		NotSelf(Pair[int]{1, 1}),
		OneActivePair(Pair[int]{1, 2}, map[Pair[int]]Where{{1, 2}: {}}),
		NoCycles([]Pair[int]{{1, 2}}, []Pair[int]{{2, 1}})[0],
		CheckAssessment(1900, nil, nil, nil, false, date("2026-01-01")),
		CheckAssessment(2025, ptr(100.5), nil, nil, false, date("2026-01-01")),
		CheckAssessment(2025, nil, ptr(3), nil, true, date("2026-01-01")),
		CheckAssessment(2025, nil, ptr(9), ptr(8), true, date("2026-01-01")),
		{Code: SecondAssessment, Field: "year", Args: []any{2025}},
		CheckDutyItem(2025, false, datePtr("2025-05-01"), date("2026-01-01")),
		CheckHours("hours", -1),
		CheckTrainingClass(date("2025-05-02"), datePtr("2025-05-01"), nil),
		{Code: SecondTerm, Field: "electedOn", Args: []any{"2021-05-31"}},
		{Code: SecondEnrolment, Field: "personID"},
		{Code: ExitWithoutEnd, Field: "exitKind"},
		CheckOutcomeStep("FUNDS", "SITE_VISIT", true, date("2025-01-01"), date("2024-01-01")),
		CheckRehire("PARTY_SECRETARY", true, true),
	}
	vs = append(vs, ProfileOf(id).Agrees(datePtr("1950-01-01"), "MALE")...)
	_, _, month := ProfileOf(id).Complete(&Birth{Date: date("1950-01-01"), Month: true}, "")
	vs = append(vs, month...)
	seen := map[Code]bool{}
	for _, v := range vs {
		if v == nil {
			t.Fatal("a bad case passed")
		}
		seen[v.Code] = true
		zh, en := v.Text().Zh, v.Text().En
		if _, ok := texts[v.Code]; !ok || zh == "" || en == "" || strings.Contains(zh+en, "%!") || v.Error() != en+" / "+zh {
			t.Errorf("%s: %q / %q", v.Code, en, zh)
		}
	}
	for code := range texts {
		if !seen[code] {
			t.Errorf("%s: no rule here produces it", code)
		}
	}
}

func ptr[T any](v T) *T { return &v }
