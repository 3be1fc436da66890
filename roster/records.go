package roster

import (
	"time"

	"yanzhen/ent"
	"yanzhen/vocab"
)

// The parsed rows, one type per sheet. A pointer field is nil when its cell
// is empty: an empty cell never erases what is on file.

type instRec struct {
	rec
	no, name, kind, regionCode string
	regionID                   *int
	old                        *ent.Institution
}

type personRec struct {
	rec
	no, name           string
	gender, education  string
	political          string
	birth              *time.Time
	birthMonth         bool // birth is a month alone (出生年月), stored as its 1st
	birthCell          bool // birth is an Excel date cell on the 1st: maybe a month (monthCell)
	partyJoin          *time.Time
	ethnicity, title   string
	phone, idNumber    string
	homeCode, instNo   string
	homeID             *int
	inst               ref
	tags, fields       []string
	hasTags, hasFields bool
	old                *ent.Person
	setNo              bool // the row gives the person on file a 人员编号
	setKey             bool // the row's 人员编号 becomes its source's key (PersonExternalKey)
	introduced         bool // on file outside the importer's scope, matched by 身份证号 and name
}

type postRec struct {
	rec
	personNo, regionCode string
	person               ref
	regionID             int
	role, reserve, level string
	start                time.Time
	end                  *time.Time
	// The resident cadre's sending unit as written, the institution that
	// sent them (a 机构编号), the cluster (片区); why the post ended.
	sendingUnit, cluster, endReason string
	sendingInst                     ref
	// How it ended (离任方式); exitNeedsEnd: given without an end date.
	exitKind     string
	exitNeedsEnd bool
	// The 驻村工作队 of the post's village it belongs to, by its start
	// (resolved by postLinks), and the 返聘: the role and start of the
	// same person's ended post it takes back.
	teamStart   *time.Time
	team        ref
	rehireRole  string
	rehireStart *time.Time
	rehire      ref
	old         *ent.Post
}

type mentorshipRec struct {
	rec
	no              string
	mentor, mentee  ref
	program, status string
	start           time.Time
	end             *time.Time
	regionID        *int
	goals, outcome  string
	old             *ent.Mentorship
}

type apptRec struct {
	rec
	no, kind, cert string
	person         ref
	villageID      int
	start          time.Time
	end            *time.Time
	old            *ent.AdviserAppointment
}

type logRec struct {
	rec
	appt      ref
	date      time.Time
	mode      string
	contactBy ref
	notes     string
	hasNotes  bool
	old       *ent.ContactLog
}

type assignRec struct {
	rec
	no        string
	expert    ref
	regionID  int
	fields    []string
	hasFields bool
	start     time.Time
	end       *time.Time
	agreement *bool
	subsidy   *int64
	demand    ref // the demand it answers (两单合一), when given
	old       *ent.ExpertAssignment
}

type serviceRec struct {
	rec
	assign        ref
	date          time.Time
	kind          string
	beneficiaries *int64
	notes         string
	hasNotes      bool
	old           *ent.ServiceRecord
}

type demandRec struct {
	rec
	no, field, description, status string
	regionID                       int
	raisedOn, closedOn             *time.Time
	old                            *ent.Demand
}

type contribRec struct {
	rec
	no             string
	appt, assign   ref
	villageID      int
	kind           string
	amount         *int64
	date           time.Time
	description    string
	hasDescription bool
	// The previous step of its outcome chain (上一步编号), resolved by
	// contributionChain; followsSet: written with the row (else after
	// the rows it follows are created).
	followsNo  string
	follows    ref
	followsSet bool
	old        *ent.Contribution
}

type (
	vocabTag   = vocab.PersonTag
	vocabField = vocab.AgriculturalField
)
