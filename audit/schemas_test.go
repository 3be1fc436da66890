package audit_test

import (
	"reflect"
	"testing"

	"entgo.io/ent"

	"yanzhen/audit"
	"yanzhen/ent/schema"
)

// Every schema with the audit hook has a source for the rows its deletes
// keep and a query for its region: without one, its deletes would fail.
func TestEveryAuditedSchemaIsCovered(t *testing.T) {
	t.Parallel()
	audited := 0
	for _, s := range []ent.Interface{
		schema.AdviserAppointment{}, schema.ContactLog{}, schema.AuditLog{}, schema.ExpertAssignment{},
		schema.ServiceRecord{}, schema.Demand{}, schema.Contribution{}, schema.IdempotencyKey{}, schema.ImportJob{},
		schema.Institution{}, schema.Mentorship{}, schema.Person{}, schema.Post{}, schema.Region{}, schema.User{},
		schema.Session{}, schema.PersonSearchKey{}, schema.VocabularyTerm{}, schema.VocabularyWord{},
		schema.Assessment{}, schema.DutyItem{}, schema.Term{}, schema.TrainingClass{}, schema.TrainingEnrolment{},
		schema.PersonAttribute{}, schema.Candidacy{}, schema.CandidacyStep{}, schema.ResidentTeam{}, schema.ResidentArea{},
		schema.ResidentAssessment{}, schema.ExpertAgreement{}, schema.SubsidyPayment{}, schema.DoctorFarm{},
	} {
		name := reflect.TypeOf(s).Name()
		for _, m := range s.Mixin() {
			if _, ok := m.(schema.AuditMixin); !ok {
				continue
			}
			audited++
			if rows, region := audit.Covers(name); !rows || !region {
				t.Errorf("%s has the audit hook but no row source (%v) or region query (%v)", name, rows, region)
			}
		}
	}
	if audited < 12 {
		t.Fatalf("only %d audited schemas found", audited)
	}
}
