package workflow

import (
	"context"
	"slices"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/dutyitem"
)

// WaitingFor lists the states whose next step the role owns.
func WaitingFor(role auth.Role) []candidacy.State {
	var states []candidacy.State
	// Open are the states before the appointment; APPOINTED waits for the
	// filing.
	for _, st := range append(slices.Clone(Open), candidacy.StateAPPOINTED) {
		for _, p := range []candidacy.Purpose{candidacy.PurposeENTRY, candidacy.PurposeRESERVE} {
			if WaitsFor(p, st) == role {
				states = append(states, st)
				break
			}
		}
	}
	return states
}

// Waiting selects the candidacies waiting for a step of the viewer's role;
// the privacy policy keeps them in the viewer's scope.
func Waiting(ctx context.Context, c *ent.Client) *ent.CandidacyQuery {
	v := auth.FromContext(ctx)
	states := WaitingFor(v.Role)
	if len(states) == 0 {
		// A role that owns no step (a partner) waits for nothing.
		return c.Candidacy.Query().Where(candidacy.IDIn())
	}
	return c.Candidacy.Query().Where(candidacy.StateIn(states...))
}

// UnfiledAppointments selects the appointments made through a candidacy
// that the county has not filed.
func UnfiledAppointments(c *ent.Client) *ent.CandidacyQuery {
	return c.Candidacy.Query().Where(candidacy.StateEQ(candidacy.StateAPPOINTED))
}

// OverdueDuties selects the duty items past their deadline on the day and
// not done by then (as the DUTY_OVERDUE alert).
func OverdueDuties(c *ent.Client, on time.Time) *ent.DutyItemQuery {
	today := day(on)
	return c.DutyItem.Query().Where(dutyitem.StatusNEQ(dutyitem.StatusCANCELLED), dutyitem.DeadlineLT(today),
		dutyitem.Or(dutyitem.CompletedOnIsNil(), dutyitem.CompletedOnGT(today)))
}
