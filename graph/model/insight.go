package model

import (
	"time"

	"yanzhen/graph/load"
	"yanzhen/i18n"
)

// The answers of the analytics hold the IDs package insight found; their
// reference fields (person, node, region …) resolve through the answer's
// shared loader (package load), one statement per field for the whole
// list.

// LineageEntry is one person of a mentoring lineage.
type LineageEntry struct {
	Refs                        *load.Refs
	PersonID, MentorshipID      int
	Depth                       int
	Path                        []int
	ActiveMentees, TotalMentees int
}

// ReservePipeline is the 雏雁 pipeline of a region subtree.
type ReservePipeline struct {
	Refs                                                   *load.Refs
	RegionID                                               int
	People, Reserves, Mentees, Mentored, BecameSecretaries int
	BecameCommitteeMembers                                 int
	Mentors                                                []*PipelineMentor
}

// PipelineMentor is a mentor of the pipeline.
type PipelineMentor struct {
	Refs                                               *load.Refs
	MentorID                                           int
	Mentees, BecameSecretaries, BecameCommitteeMembers int
}

// MatchCandidate is an expert proposed for a demand.
type MatchCandidate struct {
	Refs                                   *load.Refs
	ExpertID, InstitutionID                int
	Score                                  float64
	Cooperation, FieldFit, Proximity, Load float64
	ActiveAssignments                      int
	Reasons                                []i18n.Text
}

// SupplyGaps is where supply does not meet demand in a region subtree.
type SupplyGaps struct {
	Refs            *load.Refs
	DemandIDs       []int
	UncoveredFields []*FieldGap
}

// Alert is one compliance alert.
type Alert struct {
	Refs             *load.Refs
	Kind             AlertKind
	NodeID, RegionID int
	DaysOverdue      *int
	Message          *i18n.Text
}

// SearchHit is one search result.
type SearchHit struct {
	Refs      *load.Refs
	Kind      SearchKind
	MatchedBy SearchMatch
	NodeID    int
}

// TimelineEntry is one entry of a person's history.
type TimelineEntry struct {
	Refs                            *load.Refs
	Kind                            TimelineKind
	NodeID, RegionID, CounterpartID int
	StartDate                       time.Time
	EndDate                         *time.Time
	Title                           string
}

// Inbox is what waits for the viewer's role; each field is computed when
// asked, in the viewer's scope.
type Inbox struct{}
