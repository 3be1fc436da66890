package graph

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/scope"
)

// Relation filters (hasPostsWith, hasPersonWith …) look through rows of
// another entity, so each must see only what that entity's own connection
// would show the viewer: otherwise a filter answers questions about rows the
// viewer may not load (a secretary's name, one binary search at a time).
// ent/entc.go marks every such input field @scoped; scopedFilter applies
// scope's rule of the target entity to each of the field's where inputs
// while the request's arguments are read — for resolver arguments and for
// the nested connections that CollectFields loads alike.

// whereInputs maps each where input to the rule of its entity, and knows
// the error ent gives for an empty one ({} inside not, and, or). A where
// input missing here gets no rows at all (fail closed);
// TestEveryRelationFilterIsScoped walks the schema so that a new entity
// cannot be forgotten.
var whereInputs = map[reflect.Type]whereInput{
	whereOf[ent.RegionWhereInput]():             {rule(scope.Regions), ent.ErrEmptyRegionWhereInput},
	whereOf[ent.InstitutionWhereInput]():        {rule(scope.Institutions), ent.ErrEmptyInstitutionWhereInput},
	whereOf[ent.PersonWhereInput]():             {rule(scope.People), ent.ErrEmptyPersonWhereInput},
	whereOf[ent.PostWhereInput]():               {rule(scope.Posts), ent.ErrEmptyPostWhereInput},
	whereOf[ent.MentorshipWhereInput]():         {rule(scope.Mentorships), ent.ErrEmptyMentorshipWhereInput},
	whereOf[ent.AdviserAppointmentWhereInput](): {rule(scope.AdviserAppointments), ent.ErrEmptyAdviserAppointmentWhereInput},
	whereOf[ent.ContactLogWhereInput]():         {rule(scope.ContactLogs), ent.ErrEmptyContactLogWhereInput},
	whereOf[ent.ContributionWhereInput]():       {rule(scope.Contributions), ent.ErrEmptyContributionWhereInput},
	whereOf[ent.ExpertAssignmentWhereInput]():   {rule(scope.ExpertAssignments), ent.ErrEmptyExpertAssignmentWhereInput},
	whereOf[ent.ServiceRecordWhereInput]():      {rule(scope.ServiceRecords), ent.ErrEmptyServiceRecordWhereInput},
	whereOf[ent.DemandWhereInput]():             {rule(scope.Demands), ent.ErrEmptyDemandWhereInput},
	whereOf[ent.UserWhereInput]():               {rule(scope.Users), ent.ErrEmptyUserWhereInput},
	whereOf[ent.AuditLogWhereInput]():           {rule(scope.AuditLogs), ent.ErrEmptyAuditLogWhereInput},
	whereOf[ent.ImportJobWhereInput]():          {rule(scope.ImportJobs), ent.ErrEmptyImportJobWhereInput},
	whereOf[ent.AssessmentWhereInput]():         {rule(scope.Assessments), ent.ErrEmptyAssessmentWhereInput},
	whereOf[ent.DutyItemWhereInput]():           {rule(scope.DutyItems), ent.ErrEmptyDutyItemWhereInput},
	whereOf[ent.RewardWhereInput]():             {rule(scope.Rewards), ent.ErrEmptyRewardWhereInput},
	whereOf[ent.StarRatingWhereInput]():         {rule(scope.StarRatings), ent.ErrEmptyStarRatingWhereInput},
	whereOf[ent.OfficeAuditWhereInput]():        {rule(scope.OfficeAudits), ent.ErrEmptyOfficeAuditWhereInput},
	whereOf[ent.TermWhereInput]():               {rule(scope.Terms), ent.ErrEmptyTermWhereInput},
	whereOf[ent.TrainingClassWhereInput]():      {rule(scope.TrainingClasses), ent.ErrEmptyTrainingClassWhereInput},
	whereOf[ent.TrainingEnrolmentWhereInput]():  {rule(scope.TrainingEnrolments), ent.ErrEmptyTrainingEnrolmentWhereInput},
	whereOf[ent.CandidacyWhereInput]():          {rule(scope.Candidacies), ent.ErrEmptyCandidacyWhereInput},
	whereOf[ent.CandidacyStepWhereInput]():      {rule(scope.CandidacySteps), ent.ErrEmptyCandidacyStepWhereInput},
	whereOf[ent.ResidentTeamWhereInput]():       {rule(scope.ResidentTeams), ent.ErrEmptyResidentTeamWhereInput},
	whereOf[ent.ResidentAreaWhereInput]():       {rule(scope.ResidentAreas), ent.ErrEmptyResidentAreaWhereInput},
	whereOf[ent.ResidentAssessmentWhereInput](): {rule(scope.ResidentAssessments), ent.ErrEmptyResidentAssessmentWhereInput},
	whereOf[ent.ExpertAgreementWhereInput]():    {rule(scope.ExpertAgreements), ent.ErrEmptyExpertAgreementWhereInput},
	whereOf[ent.SubsidyPaymentWhereInput]():     {rule(scope.SubsidyPayments), ent.ErrEmptySubsidyPaymentWhereInput},
	whereOf[ent.DoctorFarmWhereInput]():         {rule(scope.DoctorFarms), ent.ErrEmptyDoctorFarmWhereInput},
}

type whereInput struct {
	rows  func(v *auth.Viewer) func(*sql.Selector)
	empty error
}

func whereOf[W any]() reflect.Type { return reflect.TypeFor[*W]() }

func rule[P ~func(*sql.Selector)](f func(*auth.Viewer) P) func(*auth.Viewer) func(*sql.Selector) {
	return func(v *auth.Viewer) func(*sql.Selector) {
		if p := f(v); p != nil {
			return p
		}
		// Every row: an empty filter {} then means "has any".
		return func(*sql.Selector) {}
	}
}

// emptyFilter reports whether err is ent refusing an empty where input.
func emptyFilter(err error) bool {
	for _, w := range whereInputs {
		if errors.Is(err, w.empty) {
			return true
		}
	}
	return false
}

// scopedFilter implements @scoped.
func scopedFilter(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	value, err := next(ctx)
	if err != nil || value == nil {
		return value, err
	}
	list := reflect.ValueOf(value)
	if list.Kind() != reflect.Slice {
		return nil, fmt.Errorf("@scoped on a %T field", value)
	}
	v := auth.FromContext(ctx)
	for i := 0; i < list.Len(); i++ {
		if err := narrow(v, list.Index(i)); err != nil {
			return nil, err
		}
	}
	return value, nil
}

// narrow adds the entity's rule for v to one where input (a *XWhereInput).
func narrow(v *auth.Viewer, where reflect.Value) error {
	if where.IsNil() {
		return nil
	}
	p := func(s *sql.Selector) { s.Where(sql.False()) }
	if w, ok := whereInputs[where.Type()]; ok {
		p = w.rows(v)
		codeRanges(where)
	}
	if !addPredicate(where, p) {
		return fmt.Errorf("%s has no AddPredicates", where.Type())
	}
	return nil
}
