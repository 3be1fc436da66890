package ent

// This file is hand-written; ent's generator leaves it alone.

import (
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
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/post"
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
)

// typeNames maps each table to the GraphQL type of its rows.
var typeNames = map[string]string{
	adviserappointment.Table: "AdviserAppointment",
	assessment.Table:         "Assessment",
	dutyitem.Table:           "DutyItem",
	contactlog.Table:         "ContactLog",
	contribution.Table:       "Contribution",
	demand.Table:             "Demand",
	expertassignment.Table:   "ExpertAssignment",
	institution.Table:        "Institution",
	mentorship.Table:         "Mentorship",
	person.Table:             "Person",
	post.Table:               "Post",
	region.Table:             "Region",
	servicerecord.Table:      "ServiceRecord",
	user.Table:               "User",
	auditlog.Table:           "AuditLog",
	importjob.Table:          "ImportJob",
	reward.Table:             "Reward",
	starrating.Table:         "StarRating",
	officeaudit.Table:        "OfficeAudit",
	term.Table:               "Term",
	trainingclass.Table:      "TrainingClass",
	trainingenrolment.Table:  "TrainingEnrolment",
	personattribute.Table:    "PersonAttribute",
	candidacy.Table:          "Candidacy",
	candidacystep.Table:      "CandidacyStep",
	residentteam.Table:       "ResidentTeam",
	residentarea.Table:       "ResidentArea",
	residentassessment.Table: "ResidentAssessment",
	expertagreement.Table:    "ExpertAgreement",
	subsidypayment.Table:     "SubsidyPayment",
	doctorfarm.Table:         "DoctorFarm",
}

// hiddenTables have global-ID ranges but no GraphQL type: their IDs are
// never shown, and an ID in their range is rejected as invalid.
var hiddenTables = map[string]bool{"sessions": true, "idempotency_keys": true, "person_search_keys": true, "person_external_keys": true, "person_places": true,
	"auth_epochs": true, "vocabulary_terms": true, "vocabulary_words": true, "rate_buckets": true, "region_figures": true, "region_figures_marks": true,
	"feed_entries": true, "feed_clocks": true, "trusted_documents": true}

// TypeOfID returns the GraphQL type of the node a global ID belongs to. Every
// table owns a range of 1<<32 IDs (ent's sql/globalid), so the type follows
// from the number alone, without a query.
func TypeOfID(id int) (string, bool) {
	if id <= 0 {
		return "", false
	}
	table, ok := nodeTypes[id>>32<<32]
	if !ok {
		return "", false
	}
	name, ok := typeNames[table]
	return name, ok
}

// NodeTables lists the tables that hold nodes, for tests that check every one
// has a GraphQL type name.
func NodeTables() []string {
	out := make([]string, 0, len(nodeTypes))
	for _, t := range nodeTypes {
		if !hiddenTables[t] {
			out = append(out, t)
		}
	}
	return out
}

// FirstID is the first ID of the range of the GraphQL type typeName (for
// tests that forge IDs of a type without a row).
func FirstID(typeName string) (int, bool) {
	for start, table := range nodeTypes {
		if typeNames[table] == typeName {
			return start, true
		}
	}
	return 0, false
}
