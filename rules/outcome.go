package rules

import (
	"slices"
	"time"
)

// OutcomeChain is the order of the steps of an outcome chain: an
// investment lead (招商信息) brings a site visit (考察), a visit a project
// (项目落地), a project the funds that reach the village (资金到村).
var OutcomeChain = []string{"INVESTMENT_LEAD", "SITE_VISIT", "PROJECT_LANDED", "FUNDS"}

// CheckOutcomeStep checks that a contribution follows the step just before
// its kind in the chain, in the same village, on or after that step's day.
func CheckOutcomeStep(kind, previous string, sameVillage bool, day, previousDay time.Time) *Violation {
	i := slices.Index(OutcomeChain, kind)
	if i <= 0 || OutcomeChain[i-1] != previous || !sameVillage || before(day, previousDay) {
		return &Violation{Code: OutcomeOutOfOrder, Field: "followsID", Args: []any{kind, previous}}
	}
	return nil
}

// RehireRoles are the posts a 返聘 may take: the village's supervisory
// committee (村务监督委员会) or its cooperative (seed 003).
var RehireRoles = []string{"SUPERVISORY_DIRECTOR", "SUPERVISORY_MEMBER", "COOPERATIVE_LEADER"}

// CheckRehire checks a 返聘: a post of the supervisory committee or the
// cooperative, held by the person whose ended post it takes back.
func CheckRehire(role string, samePerson, previousEnded bool) *Violation {
	if !slices.Contains(RehireRoles, role) || !samePerson || !previousEnded {
		return &Violation{Code: RehireNotAllowed, Field: "rehiredFromID", Args: []any{role}}
	}
	return nil
}
