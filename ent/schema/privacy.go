package schema

// Who may see and change what (README "Who may see what"). Every entity has
// a privacy policy: queries are FILTERED to the rows the viewer may see, so
// connections, node(id), nodes and nested edges all obey and a forbidden
// object looks exactly like a missing one; mutations are refused with
// UNAUTHENTICATED (nobody signed in) or FORBIDDEN, and updates and deletes
// are narrowed to the rows the viewer may write (others are NOT_FOUND).
//
// Scopes are region subtrees, i.e. ranges of the code index
// (regioncode.Within); a partner's scope is its institution's experts.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/doctorfarm"
	"yanzhen/ent/expertagreement"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/importjob"
	"yanzhen/ent/institution"
	"yanzhen/ent/person"
	"yanzhen/ent/predicate"
	"yanzhen/ent/privacy"
	"yanzhen/ent/region"
	"yanzhen/ent/residentarea"
	"yanzhen/ent/servicerecord"
	"yanzhen/ent/subsidypayment"
	"yanzhen/ent/term"
	"yanzhen/ent/trainingclass"
	"yanzhen/ent/user"
	"yanzhen/errcode"
	"yanzhen/regioncode"
	"yanzhen/scope"
)

// within is the viewer's region subtree.
func within(v *auth.Viewer) predicate.Region { return regioncode.Within(v.Scope) }

// filtered is the query rule of a scoped entity: the rows scope.X allows.
// Anonymous viewers are told to sign in rather than shown nothing.
func filtered[P ~func(*sql.Selector)](ctx context.Context, rows func(*auth.Viewer) P, where func(...P)) error {
	v := auth.FromContext(ctx)
	if v.Anonymous() && !v.System() {
		return auth.ErrUnauthenticated()
	}
	if p := rows(v); p != nil {
		where(p)
	}
	return privacy.Allow
}

// ---- Who may write ---------------------------------------------------------

// writer checks the role of a mutation's viewer. It returns allow for the
// system (and skips the scope checks), and the refusal fitting the viewer
// when the role may not write this entity.
func writer(ctx context.Context, roles ...auth.Role) (v *auth.Viewer, system bool, err error) {
	v = auth.FromContext(ctx)
	if v.System() {
		return v, true, nil
	}
	if !v.Is(roles...) {
		return v, false, auth.Deny(v)
	}
	return v, false, nil
}

// regionCode reads the code of a region by ID ("" when there is none).
// A lookup that fails — the request cancelled or past its deadline, the
// database gone — returns its error: swallowed, it would make the region
// look out of scope and answer FORBIDDEN for what is a timeout.
func regionCode(ctx context.Context, c *gen.Client, id int) (string, error) {
	code, err := c.Region.Query().Where(region.ID(id)).Select(region.FieldCode).String(privacy.DecisionContext(ctx, privacy.Allow))
	return found(ctx, code, err)
}

// found is the result of a scope lookup: "" when there is no such row, the
// lookup's failure otherwise (see lookupError).
func found(ctx context.Context, code string, err error) (string, error) {
	switch {
	case gen.IsNotFound(err):
		return "", nil
	case err != nil:
		return "", lookupError(ctx, err)
	}
	return code, nil
}

// lookupError is the error of a failed scope lookup, with the context's own
// error (a deadline or a cancellation) in front when there is one — drivers
// report an interrupted statement in their own words — so that the error
// presenter answers with a timeout, never with a refusal.
func lookupError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// inScope refuses a region the viewer's scope does not cover. A national
// admin covers everything.
func inScope(v *auth.Viewer, code string) error {
	if v.Covers(code) {
		return nil
	}
	return auth.ErrForbidden()
}

// toMany lists the edges a mutation may only change from the other side
// (whose hooks and policy then apply): changing them from here would move
// rows the viewer's policy never looked at.
var toMany = map[string]bool{
	"children": true, "posts": true, "adviser_appointments": true, "expert_assignments": true,
	"demands": true, "contributions": true, "mentorships": true, "residents": true,
	"institutions": true, "experts": true, "dispatched_posts": true, "mentorships_as_mentor": true,
	"mentorships_as_mentee": true, "contact_logs": true, "service_records": true, "assignments": true,
	"users": true, "sessions": true, "audit_logs": true, "import_jobs": true, "external_keys": true,
	"assessments": true, "duty_items": true,
	"rewards": true, "star_ratings": true, "office_audits": true,
	"terms": true, "training_classes": true, "training_enrolments": true, "enrolments": true, "attribute_history": true,
	"candidacies": true, "replacing_candidacies": true, "steps": true, "resident_teams": true, "resident_areas": true,
	"in_resident_areas": true, "resident_assessments": true, "expert_agreements": true, "subsidy_payments": true,
	"doctor_farms": true, "members": true, "teams": true, "agreements": true, "rehires": true, "followed_by": true,
	"led_resident_teams": true, "led_resident_areas": true,
}

// noForeignEdges refuses changes of to-many edges by anyone but the system.
var noForeignEdges = privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
	if auth.FromContext(ctx).System() {
		return privacy.Skip
	}
	for _, list := range [][]string{m.AddedEdges(), m.RemovedEdges(), m.ClearedEdges()} {
		for _, e := range list {
			if toMany[e] {
				return auth.ErrForbidden()
			}
		}
	}
	return privacy.Skip
})

// linksVisible lets a write link only objects the viewer may already load:
// a person, an appointment, a demand … outside the viewer's scope is
// NOT_FOUND, exactly as if it did not exist, so that forged sequential IDs
// cannot pull someone's file into reach. People on file elsewhere are
// brought in explicitly: introducePerson, with their full ID number and
// name, or by having created them (both audited, within a day).
// It runs after the role check (scopedWrite), so that a role that may not
// write at all learns nothing about the objects it names.
func linksVisible(ctx context.Context, m ent.Mutation) error {
	v := auth.FromContext(ctx)
	if v.System() || scope.LinksChecked(ctx) {
		return nil
	}
	cm, ok := m.(interface{ Client() *gen.Client })
	if !ok {
		return nil
	}
	c := cm.Client()
	for _, e := range m.AddedEdges() {
		for _, value := range m.AddedIDs(e) {
			id, ok := value.(int)
			if !ok {
				continue
			}
			ok, err := linkable(ctx, c, v, id)
			if err != nil {
				return err
			}
			if !ok {
				return errcode.Missing(edgeInputField(e), "the linked record was not found / 未找到所关联的记录")
			}
		}
	}
	return nil
}

// introduced is how long an introduction or a creation keeps a person
// linkable for the user who made it.
const introduced = 24 * time.Hour

func linkable(ctx context.Context, c *gen.Client, v *auth.Viewer, id int) (bool, error) {
	if _, err := c.Noder(ctx, id); err == nil {
		return true, nil
	} else if !gen.IsNotFound(err) && !errors.Is(err, privacy.Deny) {
		if _, coded := errcode.As(err); !coded {
			return false, err
		}
	}
	if typ, _ := gen.TypeOfID(id); typ != "Person" || v.UserID == 0 {
		return false, nil
	}
	return c.AuditLog.Query().Where(
		auditlog.ActorID(v.UserID),
		auditlog.EntityType("Person"),
		auditlog.ActionIn(auditlog.ActionCREATE, auditlog.ActionINTRODUCE),
		auditlog.AtGTE(time.Now().Add(-introduced)),
		func(s *sql.Selector) { s.Where(sqljson.ValueContains(auditlog.FieldObjectIds, id)) },
	).Exist(privacy.DecisionContext(ctx, privacy.Allow))
}

// edgeInputField names the input field that sets an edge: person → personID.
func edgeInputField(edge string) string {
	parts := strings.Split(edge, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "") + "ID"
}

// scopedWrite is the common shape of a mutation rule: creates are checked
// against the region the new row belongs to (createCode, "" when it has
// none); updates and deletes are narrowed to the rows in scope.
func scopedWrite[M interface {
	ent.Mutation
	Where(...P)
}, P ~func(*sql.Selector)](ctx context.Context, m M, roles []auth.Role, createCode func(v *auth.Viewer) (string, error), scope func(*auth.Viewer) P) error {
	v, system, err := writer(ctx, roles...)
	if err != nil {
		return err
	}
	if err := linksVisible(ctx, m); err != nil {
		return err
	}
	if system || (v.Is(auth.RoleAdmin) && v.Scope == "") {
		return privacy.Allow
	}
	if m.Op().Is(ent.OpCreate) {
		code, err := createCode(v)
		if err != nil {
			return err
		}
		if err := inScope(v, code); err != nil {
			return err
		}
		return privacy.Allow
	}
	p := scope(v)
	if p == nil {
		return auth.ErrForbidden()
	}
	m.Where(p)
	return privacy.Allow
}

var (
	admins       = []auth.Role{auth.RoleAdmin}
	townshipUp   = []auth.Role{auth.RoleAdmin, auth.RoleTownship}
	regionalAll  = []auth.Role{auth.RoleAdmin, auth.RoleTownship, auth.RoleVillage}
	serviceRoles = []auth.Role{auth.RoleAdmin, auth.RolePartner}
)

// ---- The policies ----------------------------------------------------------

func (Region) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
			// Regions come from the division import (a command).
			_, _, err := writer(ctx)
			return err
		})},
		Query: privacy.QueryPolicy{privacy.AlwaysAllowRule()},
	}
}

func (Institution) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.InstitutionMutationRuleFunc(func(ctx context.Context, m *gen.InstitutionMutation) error {
			// Institutions are a directory: any admin adds the universities
			// and institutes their area works with, wherever they are (a
			// county's partners are seldom in the county); an entry is
			// changed or removed by the admins of its place.
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				return v.Scope, nil
			}, func(v *auth.Viewer) predicate.Institution { return institution.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.AlwaysAllowRule()},
	}
}

func (Person) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.PersonMutationRuleFunc(func(ctx context.Context, m *gen.PersonMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, ok := m.HomeVillageID()
				if !ok {
					// A person on file without a home village (an expert, a
					// returnee living elsewhere) is linked by a post or an
					// assignment afterwards.
					return v.Scope, nil
				}
				return regionCode(ctx, m.Client(), id)
			}, scope.People)
		})},
		Query: privacy.QueryPolicy{privacy.PersonQueryRuleFunc(func(ctx context.Context, q *gen.PersonQuery) error {
			return filtered(ctx, scope.People, func(p ...predicate.Person) { q.Where(p...) })
		})},
	}
}

func (Post) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.PostMutationRuleFunc(func(ctx context.Context, m *gen.PostMutation) error {
			return scopedWrite(ctx, m, townshipUp, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.Posts)
		})},
		Query: privacy.QueryPolicy{privacy.PostQueryRuleFunc(func(ctx context.Context, q *gen.PostQuery) error {
			return filtered(ctx, scope.Posts, func(p ...predicate.Post) { q.Where(p...) })
		})},
	}
}

func (Mentorship) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.MentorshipMutationRuleFunc(func(ctx context.Context, m *gen.MentorshipMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				if id, ok := m.RegionID(); ok {
					return regionCode(ctx, m.Client(), id)
				}
				// Without a region, the mentee must be someone the admin sees.
				mentee, _ := m.MenteeID()
				ok, err := m.Client().Person.Query().Where(person.ID(mentee)).Exist(ctx)
				if err != nil {
					return "", lookupError(ctx, err)
				}
				if !ok {
					return "", nil
				}
				return v.Scope, nil
			}, scope.Mentorships)
		})},
		Query: privacy.QueryPolicy{privacy.MentorshipQueryRuleFunc(func(ctx context.Context, q *gen.MentorshipQuery) error {
			return filtered(ctx, scope.Mentorships, func(p ...predicate.Mentorship) { q.Where(p...) })
		})},
	}
}

func (AdviserAppointment) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.AdviserAppointmentMutationRuleFunc(func(ctx context.Context, m *gen.AdviserAppointmentMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.VillageID()
				return regionCode(ctx, m.Client(), id)
			}, scope.AdviserAppointments)
		})},
		Query: privacy.QueryPolicy{privacy.AdviserAppointmentQueryRuleFunc(func(ctx context.Context, q *gen.AdviserAppointmentQuery) error {
			return filtered(ctx, scope.AdviserAppointments, func(p ...predicate.AdviserAppointment) { q.Where(p...) })
		})},
	}
}

func (ContactLog) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ContactLogMutationRuleFunc(func(ctx context.Context, m *gen.ContactLogMutation) error {
			return scopedWrite(ctx, m, regionalAll, func(v *auth.Viewer) (string, error) {
				id, _ := m.AppointmentID()
				code, err := m.Client().AdviserAppointment.Query().Where(adviserappointment.ID(id)).
					QueryVillage().Select(region.FieldCode).String(privacy.DecisionContext(ctx, privacy.Allow))
				return found(ctx, code, err)
			}, scope.ContactLogs)
		})},
		Query: privacy.QueryPolicy{privacy.ContactLogQueryRuleFunc(func(ctx context.Context, q *gen.ContactLogQuery) error {
			return filtered(ctx, scope.ContactLogs, func(p ...predicate.ContactLog) { q.Where(p...) })
		})},
	}
}

func (Contribution) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ContributionMutationRuleFunc(func(ctx context.Context, m *gen.ContributionMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.VillageID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.Contribution { return contribution.HasVillageWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.ContributionQueryRuleFunc(func(ctx context.Context, q *gen.ContributionQuery) error {
			return filtered(ctx, scope.Contributions, func(p ...predicate.Contribution) { q.Where(p...) })
		})},
	}
}

// Assessments are held by the township's or the county's organization:
// admins and township users write them in their subtree.
func (Assessment) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.AssessmentMutationRuleFunc(func(ctx context.Context, m *gen.AssessmentMutation) error {
			return scopedWrite(ctx, m, townshipUp, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.Assessments)
		})},
		Query: privacy.QueryPolicy{privacy.AssessmentQueryRuleFunc(func(ctx context.Context, q *gen.AssessmentQuery) error {
			return filtered(ctx, scope.Assessments, func(p ...predicate.Assessment) { q.Where(p...) })
		})},
	}
}

// Duty lists are kept in the village: its users record progress, the
// township and the county review; each in their subtree.
func (DutyItem) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.DutyItemMutationRuleFunc(func(ctx context.Context, m *gen.DutyItemMutation) error {
			return scopedWrite(ctx, m, regionalAll, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.DutyItems)
		})},
		Query: privacy.QueryPolicy{privacy.DutyItemQueryRuleFunc(func(ctx context.Context, q *gen.DutyItemQuery) error {
			return filtered(ctx, scope.DutyItems, func(p ...predicate.DutyItem) { q.Where(p...) })
		})},
	}
}

func (ExpertAssignment) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ExpertAssignmentMutationRuleFunc(func(ctx context.Context, m *gen.ExpertAssignmentMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.ExpertAssignment { return expertassignment.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.ExpertAssignmentQueryRuleFunc(func(ctx context.Context, q *gen.ExpertAssignmentQuery) error {
			return filtered(ctx, scope.ExpertAssignments, func(p ...predicate.ExpertAssignment) { q.Where(p...) })
		})},
	}
}

func (ServiceRecord) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ServiceRecordMutationRuleFunc(func(ctx context.Context, m *gen.ServiceRecordMutation) error {
			v, system, err := writer(ctx, serviceRoles...)
			if err != nil || system {
				return decided(err)
			}
			if err := linksVisible(ctx, m); err != nil {
				return err
			}
			if v.Is(auth.RolePartner) {
				// A partner writes service records of its own experts'
				// assignments, wherever they serve.
				if m.Op().Is(ent.OpCreate) {
					id, _ := m.AssignmentID()
					ok, err := m.Client().ExpertAssignment.Query().
						Where(expertassignment.ID(id), expertassignment.HasExpertWith(person.InstitutionID(v.InstitutionID))).
						Exist(privacy.DecisionContext(ctx, privacy.Allow))
					if err != nil {
						return lookupError(ctx, err)
					}
					if !ok {
						return auth.ErrForbidden()
					}
					return privacy.Allow
				}
				m.Where(scope.ServiceRecords(v))
				return privacy.Allow
			}
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.AssignmentID()
				code, err := m.Client().ExpertAssignment.Query().Where(expertassignment.ID(id)).
					QueryRegion().Select(region.FieldCode).String(privacy.DecisionContext(ctx, privacy.Allow))
				return found(ctx, code, err)
			}, func(v *auth.Viewer) predicate.ServiceRecord {
				return servicerecord.HasAssignmentWith(expertassignment.HasRegionWith(within(v)))
			})
		})},
		Query: privacy.QueryPolicy{privacy.ServiceRecordQueryRuleFunc(func(ctx context.Context, q *gen.ServiceRecordQuery) error {
			return filtered(ctx, scope.ServiceRecords, func(p ...predicate.ServiceRecord) { q.Where(p...) })
		})},
	}
}

func (Demand) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.DemandMutationRuleFunc(func(ctx context.Context, m *gen.DemandMutation) error {
			return scopedWrite(ctx, m, townshipUp, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.Demand { return demand.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.DemandQueryRuleFunc(func(ctx context.Context, q *gen.DemandQuery) error {
			return filtered(ctx, scope.Demands, func(p ...predicate.Demand) { q.Where(p...) })
		})},
	}
}

// Rewards, star ratings and office audits are written by the admins of the
// region they are recorded in (an organization department's work, not a
// township's), read by the regional viewers of its subtree.
func (Reward) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.RewardMutationRuleFunc(func(ctx context.Context, m *gen.RewardMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.Rewards)
		})},
		Query: privacy.QueryPolicy{privacy.RewardQueryRuleFunc(func(ctx context.Context, q *gen.RewardQuery) error {
			return filtered(ctx, scope.Rewards, func(p ...predicate.Reward) { q.Where(p...) })
		})},
	}
}

func (StarRating) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.StarRatingMutationRuleFunc(func(ctx context.Context, m *gen.StarRatingMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.VillageID()
				return regionCode(ctx, m.Client(), id)
			}, scope.StarRatings)
		})},
		Query: privacy.QueryPolicy{privacy.StarRatingQueryRuleFunc(func(ctx context.Context, q *gen.StarRatingQuery) error {
			return filtered(ctx, scope.StarRatings, func(p ...predicate.StarRating) { q.Where(p...) })
		})},
	}
}

func (OfficeAudit) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.OfficeAuditMutationRuleFunc(func(ctx context.Context, m *gen.OfficeAuditMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.OfficeAudits)
		})},
		Query: privacy.QueryPolicy{privacy.OfficeAuditQueryRuleFunc(func(ctx context.Context, q *gen.OfficeAuditQuery) error {
			return filtered(ctx, scope.OfficeAudits, func(p ...predicate.OfficeAudit) { q.Where(p...) })
		})},
	}
}

// Accounts are managed by admins below their own scope (see the user
// resolvers, which also check roles); sign-in bookkeeping runs with an
// internal allow decision.
func (User) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, grantsNeedTheGrant, privacy.UserMutationRuleFunc(func(ctx context.Context, m *gen.UserMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				code, _ := m.RegionCode()
				if code == "" {
					// A partner account has no region; the institution's
					// region decides.
					if id, ok := m.InstitutionID(); ok {
						inst, err := m.Client().Institution.Query().Where(institution.ID(id)).
							QueryRegion().Select(region.FieldCode).String(ctx)
						return found(ctx, inst, err)
					}
				}
				return code, nil
			}, func(v *auth.Viewer) predicate.User {
				lo, hi := regioncode.Range(v.Scope)
				return user.And(user.RegionCodeGTE(lo), user.RegionCodeLT(hi))
			})
		})},
		Query: privacy.QueryPolicy{privacy.UserQueryRuleFunc(func(ctx context.Context, q *gen.UserQuery) error {
			return filtered(ctx, scope.Users, func(p ...predicate.User) { q.Where(p...) })
		})},
	}
}

// grantsNeedTheGrant: nobody grants personal-data access they do not hold,
// nor moves an account that has it (another role, region or institution
// would read other people's numbers). accounts checks the same and says
// why; this rule keeps every other writer of users to it. Sign-in
// bookkeeping runs with an internal decision and never changes these.
var grantsNeedTheGrant = privacy.UserMutationRuleFunc(func(ctx context.Context, m *gen.UserMutation) error {
	v := auth.FromContext(ctx)
	if v.System() || v.PersonalData {
		return privacy.Skip
	}
	if granted, ok := m.PersonalDataAccess(); ok && granted {
		return auth.ErrForbidden()
	}
	if m.Op().Is(ent.OpCreate) || !movesAccount(ctx, m) {
		return privacy.Skip
	}
	m.Where(user.PersonalDataAccess(false))
	return privacy.Skip
})

// movesAccount reports whether a user mutation changes role, region or
// institution (for one account: to another value than it has).
func movesAccount(ctx context.Context, m *gen.UserMutation) bool {
	role, setRole := m.Role()
	code, setCode := m.RegionCode()
	inst, setInst := m.InstitutionID()
	if !m.Op().Is(ent.OpUpdateOne) {
		return setRole || setCode || setInst || m.InstitutionCleared()
	}
	internal := privacy.DecisionContext(ctx, privacy.Allow)
	if old, err := m.OldRole(internal); setRole && (err != nil || old != role) {
		return true
	}
	if old, err := m.OldRegionCode(internal); setCode && (err != nil || old != code) {
		return true
	}
	old, err := m.OldInstitutionID(internal)
	return setInst && (err != nil || old == nil || *old != inst) || m.InstitutionCleared() && (err != nil || old != nil)
}

// systemOnly admits the system, and code that decided for itself
// (privacy.DecisionContext), to internal tables.
var systemOnly = privacy.ContextQueryMutationRule(func(ctx context.Context) error {
	if auth.FromContext(ctx).System() {
		return privacy.Allow
	}
	return privacy.Deny
})

// Sessions are read and written only by the sign-in code, with an internal
// allow decision (privacy.DecisionContext), or as the system.
func (Session) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{systemOnly},
		Query:    privacy.QueryPolicy{systemOnly},
	}
}

// Audit entries are written by the audit hook and the operations that log
// themselves, for any viewer; admins read those of their scope.
func (AuditLog) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{privacy.AlwaysAllowRule()},
		Query: privacy.QueryPolicy{privacy.AuditLogQueryRuleFunc(func(ctx context.Context, q *gen.AuditLogQuery) error {
			return filtered(ctx, scope.AuditLogs, func(p ...predicate.AuditLog) { q.Where(p...) })
		})},
	}
}

// runnerFields are the fields of an import job only its runner writes.
var runnerFields = []string{
	importjob.FieldClaim, importjob.FieldLeaseUntil, importjob.FieldStartedAt, importjob.FieldFinishedAt,
	importjob.FieldReport, importjob.FieldFailureCode, importjob.FieldStatusMessage,
}

// Import jobs are submitted by admin and township users, for themselves and
// in their own scope; afterwards only the job runner (the system) changes
// them — status, progress, report. Users read their own, admins those of
// their subtree's users.
func (ImportJob) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ImportJobMutationRuleFunc(func(ctx context.Context, m *gen.ImportJobMutation) error {
			v, system, err := writer(ctx, townshipUp...)
			if err != nil || system {
				return decided(err)
			}
			if !m.Op().Is(ent.OpCreate) {
				return auth.ErrForbidden()
			}
			owner, _ := m.OwnerID()
			code, _ := m.RegionCode()
			if owner != v.UserID || code != v.Scope {
				return auth.ErrForbidden()
			}
			if status, ok := m.Status(); ok && status != importjob.StatusQUEUED {
				return auth.ErrForbidden()
			}
			if n, ok := m.Attempts(); ok && n != 0 {
				return auth.ErrForbidden()
			}
			for _, f := range runnerFields {
				if _, set := m.Field(f); set {
					return auth.ErrForbidden()
				}
			}
			return privacy.Allow
		})},
		Query: privacy.QueryPolicy{privacy.ImportJobQueryRuleFunc(func(ctx context.Context, q *gen.ImportJobQuery) error {
			return filtered(ctx, scope.ImportJobs, func(p ...predicate.ImportJob) { q.Where(p...) })
		})},
	}
}

// decided turns a writer's (nil) error into an allow decision.
func decided(err error) error {
	if err != nil {
		return err
	}
	return privacy.Allow
}

// Terms are set by the organization department of the county (or above):
// admins, in their subtree; everyone regional reads those around them.
func (Term) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.TermMutationRuleFunc(func(ctx context.Context, m *gen.TermMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.Term { return term.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.TermQueryRuleFunc(func(ctx context.Context, q *gen.TermQuery) error {
			return filtered(ctx, scope.Terms, func(p ...predicate.Term) { q.Where(p...) })
		})},
	}
}

// Training classes are organized by a township, a county or above, and
// changed only there; read around (scope.TrainingClasses).
func (TrainingClass) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.TrainingClassMutationRuleFunc(func(ctx context.Context, m *gen.TrainingClassMutation) error {
			return scopedWrite(ctx, m, townshipUp, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.TrainingClass { return trainingclass.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.TrainingClassQueryRuleFunc(func(ctx context.Context, q *gen.TrainingClassQuery) error {
			return filtered(ctx, scope.TrainingClasses, func(p ...predicate.TrainingClass) { q.Where(p...) })
		})},
	}
}

// Enrolments are written by the township or county users where the
// trainee serves (the class must be one they see), and by the organizers
// of the class for its trainees.
func (TrainingEnrolment) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.TrainingEnrolmentMutationRuleFunc(func(ctx context.Context, m *gen.TrainingEnrolmentMutation) error {
			return scopedWrite(ctx, m, townshipUp, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.TrainingEnrolments)
		})},
		Query: privacy.QueryPolicy{privacy.TrainingEnrolmentQueryRuleFunc(func(ctx context.Context, q *gen.TrainingEnrolmentQuery) error {
			return filtered(ctx, scope.TrainingEnrolments, func(p ...predicate.TrainingEnrolment) { q.Where(p...) })
		})},
	}
}

// The periods of a person's attributes are written by the admins who may
// write the person (a change or a correction of the file), through the
// person: the person must be one they see.
func (PersonAttribute) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.PersonAttributeMutationRuleFunc(func(ctx context.Context, m *gen.PersonAttributeMutation) error {
			v, system, err := writer(ctx, admins...)
			if err != nil || system {
				return decided(err)
			}
			if err := linksVisible(ctx, m); err != nil {
				return err
			}
			if m.Op().Is(ent.OpCreate) {
				return privacy.Allow
			}
			if p := scope.PersonAttributes(v); p != nil {
				m.Where(p)
			}
			return privacy.Allow
		})},
		Query: privacy.QueryPolicy{privacy.PersonAttributeQueryRuleFunc(func(ctx context.Context, q *gen.PersonAttributeQuery) error {
			return filtered(ctx, scope.PersonAttributes, func(p ...predicate.PersonAttribute) { q.Where(p...) })
		})},
	}
}

// Candidacies are written only through the workflow (package workflow),
// which checks that the step belongs to the viewer's role; here every write
// is held to the viewer's subtree like any other record of a village.
func (Candidacy) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.CandidacyMutationRuleFunc(func(ctx context.Context, m *gen.CandidacyMutation) error {
			return scopedWrite(ctx, m, regionalAll, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.Candidacies)
		})},
		Query: privacy.QueryPolicy{privacy.CandidacyQueryRuleFunc(func(ctx context.Context, q *gen.CandidacyQuery) error {
			return filtered(ctx, scope.Candidacies, func(p ...predicate.Candidacy) { q.Where(p...) })
		})},
	}
}

// The steps of a candidacy are its record of who did what: added for a
// candidacy the viewer may write, never changed or removed.
func (CandidacyStep) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.CandidacyStepMutationRuleFunc(func(ctx context.Context, m *gen.CandidacyStepMutation) error {
			if !m.Op().Is(ent.OpCreate) && !auth.FromContext(ctx).System() {
				return auth.ErrForbidden()
			}
			return scopedWrite(ctx, m, regionalAll, func(v *auth.Viewer) (string, error) {
				id, _ := m.CandidacyID()
				code, err := m.Client().Candidacy.Query().Where(candidacy.ID(id)).
					QueryRegion().Select(region.FieldCode).String(privacy.DecisionContext(ctx, privacy.Allow))
				return found(ctx, code, err)
			}, scope.CandidacySteps)
		})},
		Query: privacy.QueryPolicy{privacy.CandidacyStepQueryRuleFunc(func(ctx context.Context, q *gen.CandidacyStepQuery) error {
			return filtered(ctx, scope.CandidacySteps, func(p ...predicate.CandidacyStep) { q.Where(p...) })
		})},
	}
}

// Resident teams and 片区 are set up by the organization departments that
// dispatch them (admins, in their subtree).
func (ResidentTeam) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ResidentTeamMutationRuleFunc(func(ctx context.Context, m *gen.ResidentTeamMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.VillageID()
				return regionCode(ctx, m.Client(), id)
			}, scope.ResidentTeams)
		})},
		Query: privacy.QueryPolicy{privacy.ResidentTeamQueryRuleFunc(func(ctx context.Context, q *gen.ResidentTeamQuery) error {
			return filtered(ctx, scope.ResidentTeams, func(p ...predicate.ResidentTeam) { q.Where(p...) })
		})},
	}
}

func (ResidentArea) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ResidentAreaMutationRuleFunc(func(ctx context.Context, m *gen.ResidentAreaMutation) error {
			// Regions are public, so linksVisible lets any village through:
			// a 片区 groups only villages its admin covers.
			if v := auth.FromContext(ctx); !v.System() && v.Is(auth.RoleAdmin) {
				for _, id := range m.VillagesIDs() {
					code, err := regionCode(ctx, m.Client(), id)
					if err != nil {
						return err
					}
					if err := inScope(v, code); err != nil {
						return err
					}
				}
			}
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.ResidentArea { return residentarea.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.ResidentAreaQueryRuleFunc(func(ctx context.Context, q *gen.ResidentAreaQuery) error {
			return filtered(ctx, scope.ResidentAreas, func(p ...predicate.ResidentArea) { q.Where(p...) })
		})},
	}
}

// Resident cadres are assessed by the township and the county where they
// serve, like the village cadres (Assessment).
func (ResidentAssessment) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ResidentAssessmentMutationRuleFunc(func(ctx context.Context, m *gen.ResidentAssessmentMutation) error {
			return scopedWrite(ctx, m, townshipUp, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, scope.ResidentAssessments)
		})},
		Query: privacy.QueryPolicy{privacy.ResidentAssessmentQueryRuleFunc(func(ctx context.Context, q *gen.ResidentAssessmentQuery) error {
			return filtered(ctx, scope.ResidentAssessments, func(p ...predicate.ResidentAssessment) { q.Where(p...) })
		})},
	}
}

// Agreements, subsidies and 博士农场 are the county's (or city's) support
// of the experts it hosts: its admins write them; the experts' partner
// institutions read their own.
func (ExpertAgreement) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.ExpertAgreementMutationRuleFunc(func(ctx context.Context, m *gen.ExpertAgreementMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.ExpertAgreement { return expertagreement.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.ExpertAgreementQueryRuleFunc(func(ctx context.Context, q *gen.ExpertAgreementQuery) error {
			return filtered(ctx, scope.ExpertAgreements, func(p ...predicate.ExpertAgreement) { q.Where(p...) })
		})},
	}
}

func (SubsidyPayment) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.SubsidyPaymentMutationRuleFunc(func(ctx context.Context, m *gen.SubsidyPaymentMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.RegionID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.SubsidyPayment { return subsidypayment.HasRegionWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.SubsidyPaymentQueryRuleFunc(func(ctx context.Context, q *gen.SubsidyPaymentQuery) error {
			return filtered(ctx, scope.SubsidyPayments, func(p ...predicate.SubsidyPayment) { q.Where(p...) })
		})},
	}
}

func (DoctorFarm) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{noForeignEdges, privacy.DoctorFarmMutationRuleFunc(func(ctx context.Context, m *gen.DoctorFarmMutation) error {
			return scopedWrite(ctx, m, admins, func(v *auth.Viewer) (string, error) {
				id, _ := m.VillageID()
				return regionCode(ctx, m.Client(), id)
			}, func(v *auth.Viewer) predicate.DoctorFarm { return doctorfarm.HasVillageWith(within(v)) })
		})},
		Query: privacy.QueryPolicy{privacy.DoctorFarmQueryRuleFunc(func(ctx context.Context, q *gen.DoctorFarmQuery) error {
			return filtered(ctx, scope.DoctorFarms, func(p ...predicate.DoctorFarm) { q.Where(p...) })
		})},
	}
}
