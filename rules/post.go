package rules

import "slices"

// The post roles the rules single out, in the words of the post table.
const (
	partySecretary        = "PARTY_SECRETARY"
	committeeDirector     = "COMMITTEE_DIRECTOR"
	secretaryAndDirector  = "SECRETARY_AND_DIRECTOR"
	reserveCadre          = "RESERVE_CADRE"
	firstSecretary        = "FIRST_SECRETARY"
	workTeamMember        = "WORK_TEAM_MEMBER"
	villageCEO            = "VILLAGE_CEO"
	reserveListsInChinese = "书记培养对象/两委培养对象/骨干党员"
)

// IsSecretary: a village's party secretary is its 党组织书记, or its
// 书记主任一肩挑, who holds both offices.
func IsSecretary(role string) bool {
	return role == partySecretary || role == secretaryAndDirector
}

// Directors are the roles that hold a village committee's director's office:
// its 村委会主任, or its 一肩挑.
var Directors = []string{committeeDirector, secretaryAndDirector}

// IsDirector: the role holds the village committee's director's office.
func IsDirector(role string) bool { return slices.Contains(Directors, role) }

// A Term is a secretary's time in office, and Where it is recorded.
type Term struct {
	Period
	Where
}

// SoleSecretary: a village has at most one party secretary on any day.
// others are the village's other secretaries' terms; the first that
// overlaps term is named in the violation.
func SoleSecretary(term Period, others []Term) *Violation {
	for _, o := range others {
		if term.Overlaps(o.Period) {
			return &Violation{Code: SecondSecretary, Field: "startDate", Args: []any{Day(o.Start), o.Where}}
		}
	}
	return nil
}

// ReserveList: reserve cadres, and only they, are on a reserve list (which
// list says what they are groomed for).
func ReserveList(role string, onList bool) *Violation {
	switch {
	case role == reserveCadre && !onList:
		return &Violation{Code: ReserveListMissing, Field: "reserveList", Args: []any{reserveListsInChinese}}
	case role != reserveCadre && onList:
		return &Violation{Code: ReserveListNotAllowed, Field: "reserveList"}
	}
	return nil
}

// DispatchLevel: only cadres sent to live in the village (驻村第一书记,
// 驻村工作队员) were dispatched from some level of government.
func DispatchLevel(role string, hasLevel bool) *Violation {
	if hasLevel && role != firstSecretary && role != workTeamMember {
		return &Violation{Code: DispatchNotAllowed, Field: "dispatchLevel"}
	}
	return nil
}
