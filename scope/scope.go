// Package scope is the one home of "who may see which rows": for each
// entity, the predicate that selects the rows a viewer may load. The ent
// privacy policies (ent/schema/privacy.go) filter every query with it, and
// the GraphQL relation filters (hasPostsWith, hasPersonWith …, see
// graph/scoped.go) apply the same predicate to the rows they look through,
// so a filter can never tell more than the connection it follows.
//
// Scopes are region subtrees, i.e. ranges of the code index
// (regioncode.Within); a partner's scope is its institution's experts.
//
// Every function returns nil when the viewer sees every row (the system, a
// national admin) and a predicate that no row satisfies when the viewer sees
// none (anonymous viewers, roles without access to the entity).
package scope

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"yanzhen/auth"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/candidacystep"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/doctorfarm"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/expertagreement"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/importjob"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/personplace"
	"yanzhen/ent/post"
	"yanzhen/ent/predicate"
	"yanzhen/ent/region"
	"yanzhen/ent/residentarea"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
	"yanzhen/ent/reward"
	"yanzhen/ent/servicerecord"
	"yanzhen/ent/starrating"
	"yanzhen/ent/subsidypayment"
	"yanzhen/ent/term"
	"yanzhen/ent/trainingclass"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/ent/user"
	"yanzhen/regioncode"
)

// None is the predicate no row satisfies.
func None[P ~func(*sql.Selector)]() P {
	return P(func(s *sql.Selector) { s.Where(sql.False()) })
}

// SeesAll reports whether the viewer reads every row of the scoped
// entities: the system and national admins.
func SeesAll(v *auth.Viewer) bool {
	return v.System() || (v.Is(auth.RoleAdmin) && v.Scope == "")
}

// rule turns a role-specific predicate into the rule of an entity: nil for
// viewers who see all, None for nil (no access).
func rule[P ~func(*sql.Selector)](v *auth.Viewer, p func() P) P {
	if SeesAll(v) {
		return nil
	}
	if r := p(); r != nil {
		return r
	}
	return None[P]()
}

// within is the viewer's region subtree.
func within(v *auth.Viewer) predicate.Region { return regioncode.Within(v.Scope) }

// Regions are public: anyone, signed in or not, reads the divisions.
func Regions(*auth.Viewer) predicate.Region { return nil }

// Institutions are a public directory (names, kinds, places).
func Institutions(*auth.Viewer) predicate.Institution { return nil }

// People a regional viewer sees belong to the subtree through their home
// village, any post, adviser appointment, expert assignment or mentorship
// there (what person_places records); a partner sees its institution's
// experts.
func People(v *auth.Viewer) predicate.Person {
	return rule(v, func() predicate.Person {
		switch {
		case v.Regional():
			// One range over person_places (PersonPlace: each region a
			// person's links put them in, kept by the link hooks), rather
			// than an OR of six EXISTS over the link tables — which
			// placesByLinks in the tests still spells out, to check the two
			// never disagree.
			return person.HasPlacesWith(regioncode.InColumn(personplace.FieldCode, v.Scope))
		case v.Is(auth.RolePartner):
			return ofPartner(v)
		}
		return nil
	})
}

// ofPartner selects a partner's experts.
func ofPartner(v *auth.Viewer) predicate.Person { return person.InstitutionID(v.InstitutionID) }

// Posts in the subtree.
func Posts(v *auth.Viewer) predicate.Post {
	return rule(v, func() predicate.Post {
		if v.Regional() {
			return post.HasRegionWith(within(v))
		}
		return nil
	})
}

// Mentorships in the subtree, or without a region and of a mentee the
// viewer sees.
func Mentorships(v *auth.Viewer) predicate.Mentorship {
	return rule(v, func() predicate.Mentorship {
		if v.Regional() {
			return mentorship.Or(
				mentorship.HasRegionWith(within(v)),
				mentorship.And(mentorship.RegionIDIsNil(), mentorship.HasMenteeWith(People(v))),
			)
		}
		return nil
	})
}

// AdviserAppointments to villages of the subtree.
func AdviserAppointments(v *auth.Viewer) predicate.AdviserAppointment {
	return rule(v, func() predicate.AdviserAppointment {
		if v.Regional() {
			return adviserappointment.HasVillageWith(within(v))
		}
		return nil
	})
}

// ContactLogs of the appointments in the subtree.
func ContactLogs(v *auth.Viewer) predicate.ContactLog {
	return rule(v, func() predicate.ContactLog {
		if v.Regional() {
			return contactlog.HasAppointmentWith(adviserappointment.HasVillageWith(within(v)))
		}
		return nil
	})
}

// Contributions to villages of the subtree; a partner's are those of its
// experts' assignments.
func Contributions(v *auth.Viewer) predicate.Contribution {
	return rule(v, func() predicate.Contribution {
		switch {
		case v.Regional():
			return contribution.HasVillageWith(within(v))
		case v.Is(auth.RolePartner):
			return contribution.HasAssignmentWith(expertassignment.HasExpertWith(ofPartner(v)))
		}
		return nil
	})
}

// Assessments held in the subtree (partners see none).
func Assessments(v *auth.Viewer) predicate.Assessment {
	return rule(v, func() predicate.Assessment {
		if v.Regional() {
			return assessment.HasRegionWith(within(v))
		}
		return nil
	})
}

// DutyItems of the villages of the subtree (partners see none).
func DutyItems(v *auth.Viewer) predicate.DutyItem {
	return rule(v, func() predicate.DutyItem {
		if v.Regional() {
			return dutyitem.HasRegionWith(within(v))
		}
		return nil
	})
}

// ExpertAssignments to regions of the subtree; a partner's are its
// experts'.
func ExpertAssignments(v *auth.Viewer) predicate.ExpertAssignment {
	return rule(v, func() predicate.ExpertAssignment {
		switch {
		case v.Regional():
			return expertassignment.HasRegionWith(within(v))
		case v.Is(auth.RolePartner):
			return expertassignment.HasExpertWith(ofPartner(v))
		}
		return nil
	})
}

// ServiceRecords of the assignments the viewer sees.
func ServiceRecords(v *auth.Viewer) predicate.ServiceRecord {
	return rule(v, func() predicate.ServiceRecord {
		switch {
		case v.Regional():
			return servicerecord.HasAssignmentWith(expertassignment.HasRegionWith(within(v)))
		case v.Is(auth.RolePartner):
			return servicerecord.HasAssignmentWith(expertassignment.HasExpertWith(ofPartner(v)))
		}
		return nil
	})
}

// Demands of the subtree; a partner's are those its experts were matched
// to.
func Demands(v *auth.Viewer) predicate.Demand {
	return rule(v, func() predicate.Demand {
		switch {
		case v.Regional():
			return demand.HasRegionWith(within(v))
		case v.Is(auth.RolePartner):
			return demand.HasAssignmentsWith(expertassignment.HasExpertWith(ofPartner(v)))
		}
		return nil
	})
}

// Rewards (奖惩) recorded in regions of the subtree: they follow the place
// where the cadre serves, like posts. A partner's experts are not cadres of
// its own; partners see none.
func Rewards(v *auth.Viewer) predicate.Reward {
	return rule(v, func() predicate.Reward {
		if v.Regional() {
			return reward.HasRegionWith(within(v))
		}
		return nil
	})
}

// StarRatings of villages of the subtree.
func StarRatings(v *auth.Viewer) predicate.StarRating {
	return rule(v, func() predicate.StarRating {
		if v.Regional() {
			return starrating.HasVillageWith(within(v))
		}
		return nil
	})
}

// OfficeAudits of villages of the subtree.
func OfficeAudits(v *auth.Viewer) predicate.OfficeAudit {
	return rule(v, func() predicate.OfficeAudit {
		if v.Regional() {
			return officeaudit.HasRegionWith(within(v))
		}
		return nil
	})
}

// around is the viewer's subtree and the regions above it: the records
// of a county or city that concern everyone below (its terms, its
// training classes) without naming anyone.
func around(v *auth.Viewer) predicate.Region {
	if up := regioncode.Ancestors(v.Scope); len(up) > 0 {
		return region.Or(within(v), region.CodeIn(up...))
	}
	return within(v)
}

// Terms (换届) of the counties of the subtree, or of the county above a
// township's or a village's viewer: a term names no one.
func Terms(v *auth.Viewer) predicate.Term {
	return rule(v, func() predicate.Term {
		if v.Regional() {
			return term.HasRegionWith(around(v))
		}
		return nil
	})
}

// TrainingClasses organized in the subtree or above it (a county's class is
// seen by its townships and villages, whose cadres take it).
func TrainingClasses(v *auth.Viewer) predicate.TrainingClass {
	return rule(v, func() predicate.TrainingClass {
		if v.Regional() {
			return trainingclass.HasRegionWith(around(v))
		}
		return nil
	})
}

// TrainingEnrolments of trainees serving in the subtree, and all those of
// the classes the subtree organizes.
func TrainingEnrolments(v *auth.Viewer) predicate.TrainingEnrolment {
	return rule(v, func() predicate.TrainingEnrolment {
		if v.Regional() {
			return trainingenrolment.Or(
				trainingenrolment.HasRegionWith(within(v)),
				trainingenrolment.HasClassWith(trainingclass.HasRegionWith(within(v))),
			)
		}
		return nil
	})
}

// PersonAttributes (the dated periods of education, party status, title
// and tags) follow their person.
func PersonAttributes(v *auth.Viewer) predicate.PersonAttribute {
	if SeesAll(v) {
		return nil
	}
	return personattribute.HasPersonWith(People(v))
}

// Users: admins see the accounts in their subtree; everyone signed in sees
// their own.
func Users(v *auth.Viewer) predicate.User {
	if v.System() {
		return nil
	}
	if v.Anonymous() {
		return None[predicate.User]()
	}
	if v.Is(auth.RoleAdmin) {
		if v.Scope == "" {
			return nil
		}
		lo, hi := regioncode.Range(v.Scope)
		return user.Or(user.ID(v.UserID), user.And(user.RegionCodeGTE(lo), user.RegionCodeLT(hi)))
	}
	return user.ID(v.UserID)
}

// AuditLogs: admins read the entries of their subtree.
func AuditLogs(v *auth.Viewer) predicate.AuditLog {
	return rule(v, func() predicate.AuditLog {
		if v.Is(auth.RoleAdmin) {
			lo, hi := regioncode.Range(v.Scope)
			return auditlog.And(auditlog.RegionCodeGTE(lo), auditlog.RegionCodeLT(hi))
		}
		return nil
	})
}

type linksCheckedKey struct{}

// WithLinksChecked marks ctx as writing links its caller has already
// resolved through the viewer's privacy (the roster import finds people and
// records on file with the viewer's own queries), so the per-row check of
// ent/schema's linksVisible rule is not repeated for every row. Only
// trusted code sets it; nothing a client sends can.
func WithLinksChecked(ctx context.Context) context.Context {
	return context.WithValue(ctx, linksCheckedKey{}, true)
}

// LinksChecked reports whether ctx was marked by WithLinksChecked.
func LinksChecked(ctx context.Context) bool {
	ok, _ := ctx.Value(linksCheckedKey{}).(bool)
	return ok
}

// ImportJobs: everyone reads the roster imports they submitted; admins also
// those submitted by the users of their subtree.
func ImportJobs(v *auth.Viewer) predicate.ImportJob {
	if v.System() {
		return nil
	}
	if v.Anonymous() {
		return None[predicate.ImportJob]()
	}
	own := importjob.OwnerID(v.UserID)
	if v.Is(auth.RoleAdmin) {
		if v.Scope == "" {
			return nil
		}
		lo, hi := regioncode.Range(v.Scope)
		return importjob.Or(own, importjob.And(importjob.RegionCodeGTE(lo), importjob.RegionCodeLT(hi)))
	}
	return own
}

// VocabularyTerms are not personal data, but an area's own words are its
// business: a signed-in viewer reads the national terms (region ""), those
// of the areas above and of its own (which apply to it), and those of the
// areas below (a province admin sees what its counties added). Another
// county's words neither apply to nor are shown to it.
func VocabularyTerms(v *auth.Viewer) predicate.VocabularyTerm {
	return predicate.VocabularyTerm(vocabularyRule(v))
}

// VocabularyWords follow VocabularyTerms.
func VocabularyWords(v *auth.Viewer) predicate.VocabularyWord {
	return predicate.VocabularyWord(vocabularyRule(v))
}

// vocabularyRule selects the rows whose region_code applies to or lies
// under the viewer's area.
func vocabularyRule(v *auth.Viewer) func(*sql.Selector) {
	if v.System() || v.Scope == "" && v.Is(auth.RoleAdmin) {
		return nil
	}
	if v.Anonymous() {
		return func(s *sql.Selector) { s.Where(sql.False()) }
	}
	if v.Scope == "" { // a partner: national terms only
		return func(s *sql.Selector) { s.Where(sql.EQ(s.C("region_code"), "")) }
	}
	above := []any{""}
	for _, a := range append(regioncode.Ancestors(v.Scope), v.Scope) {
		above = append(above, a)
	}
	lo, hi := regioncode.Range(v.Scope)
	return func(s *sql.Selector) {
		c := s.C("region_code")
		below := sql.GTE(c, lo)
		if hi != "" {
			below = sql.And(below, sql.LT(c, hi))
		}
		s.Where(sql.Or(sql.In(c, above...), below))
	}
}

// Candidacies for posts and reserve lists of villages of the subtree: the
// village proposes, the township reviews, the county decides, and each of
// them reads its own (partners see none).
func Candidacies(v *auth.Viewer) predicate.Candidacy {
	return rule(v, func() predicate.Candidacy {
		if v.Regional() {
			return candidacy.HasRegionWith(within(v))
		}
		return nil
	})
}

// CandidacySteps follow their candidacy.
func CandidacySteps(v *auth.Viewer) predicate.CandidacyStep {
	if SeesAll(v) {
		return nil
	}
	return candidacystep.HasCandidacyWith(Candidacies(v))
}

// ResidentTeams (驻村工作队) stationed in villages of the subtree.
func ResidentTeams(v *auth.Viewer) predicate.ResidentTeam {
	return rule(v, func() predicate.ResidentTeam {
		if v.Regional() {
			return residentteam.HasVillageWith(within(v))
		}
		return nil
	})
}

// ResidentAreas (片区) set up in the subtree or above it (a district's
// 片区 is seen by its townships and villages), and those that group a
// village of the subtree.
func ResidentAreas(v *auth.Viewer) predicate.ResidentArea {
	return rule(v, func() predicate.ResidentArea {
		if v.Regional() {
			return residentarea.Or(
				residentarea.HasRegionWith(within(v)),
				residentarea.HasVillagesWith(within(v)),
			)
		}
		return nil
	})
}

// ResidentAssessments of resident cadres serving in the subtree.
func ResidentAssessments(v *auth.Viewer) predicate.ResidentAssessment {
	return rule(v, func() predicate.ResidentAssessment {
		if v.Regional() {
			return residentassessment.HasRegionWith(within(v))
		}
		return nil
	})
}

// ExpertAgreements (合作任务书) signed for regions of the subtree; a
// partner's are its experts'.
func ExpertAgreements(v *auth.Viewer) predicate.ExpertAgreement {
	return rule(v, func() predicate.ExpertAgreement {
		switch {
		case v.Regional():
			return expertagreement.HasRegionWith(within(v))
		case v.Is(auth.RolePartner):
			return expertagreement.HasExpertWith(ofPartner(v))
		}
		return nil
	})
}

// SubsidyPayments paid by regions of the subtree; a partner's are its
// experts'.
func SubsidyPayments(v *auth.Viewer) predicate.SubsidyPayment {
	return rule(v, func() predicate.SubsidyPayment {
		switch {
		case v.Regional():
			return subsidypayment.HasRegionWith(within(v))
		case v.Is(auth.RolePartner):
			return subsidypayment.HasExpertWith(ofPartner(v))
		}
		return nil
	})
}

// DoctorFarms (博士农场) in villages of the subtree; a partner's are its
// experts'.
func DoctorFarms(v *auth.Viewer) predicate.DoctorFarm {
	return rule(v, func() predicate.DoctorFarm {
		switch {
		case v.Regional():
			return doctorfarm.HasVillageWith(within(v))
		case v.Is(auth.RolePartner):
			return doctorfarm.HasExpertWith(ofPartner(v))
		}
		return nil
	})
}
