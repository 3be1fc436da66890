package roster

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/migrate"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
	"yanzhen/vocab"
)

// roundTripped says which roster column holds each column of the tables
// the roster carries: table → database column → the sheet and its column.
// A reference (person_id …) is the column naming the record it points at.
var roundTripped = map[string]map[string]struct {
	kind SheetKind
	col  string
}{
	"institutions": {
		"external_id": {Institutions, colInstNo}, "name": {Institutions, colName}, "kind": {Institutions, colKind},
		"region_id": {Institutions, colRegionCode},
	},
	"persons": {
		"external_id": {People, colPersonNo}, "name": {People, colPersonName}, "gender": {People, colGender},
		"birth_date": {People, colBirthDate}, "birth_date_precision": {People, colBirthDate}, // 1971年07月 is a month
		"ethnicity": {People, colEthnicity}, "education": {People, colEducation}, "political_status": {People, colPolitical},
		"party_join_date": {People, colPartyJoin}, "phone": {People, colPhone}, "id_number": {People, colIDNumber},
		"tags": {People, colTags}, "expertise": {People, colFields}, "professional_title": {People, colTitle},
		"institution_id": {People, colInstitution}, "home_village_id": {People, colHomeVillage},
	},
	"posts": {
		"person_id": {Posts, colPersonNo}, "region_id": {Posts, colRegion}, "role": {Posts, colRole},
		"reserve_list": {Posts, colReserveList}, "dispatch_level": {Posts, colDispatch},
		"sending_unit": {Posts, colSendingUnit}, "sending_institution_id": {Posts, colSendingInst}, "cluster": {Posts, colCluster},
		"start_date": {Posts, colStart}, "end_date": {Posts, colEnd}, "end_reason": {Posts, colEndReason},
		"exit_kind": {Posts, colExitKind}, "team_id": {Posts, colTeamStart}, "rehired_from_id": {Posts, colRehireRole},
	},
	"resident_areas": {
		"region_id": {ResidentAreas, colRegion}, "name": {ResidentAreas, colName}, "party_branch": {ResidentAreas, colPartyBranch},
		"leader_id": {ResidentAreas, colAreaLeader}, "start_date": {ResidentAreas, colStart}, "end_date": {ResidentAreas, colEnd},
		"notes": {ResidentAreas, colNotes},
	},
	"resident_area_villages": {"resident_area_id": {ResidentAreas, colName}, "region_id": {ResidentAreas, colAreaVillages}},
	"resident_teams": {
		"village_id": {ResidentTeams, colVillage}, "start_date": {ResidentTeams, colStart}, "name": {ResidentTeams, colName},
		"leader_id": {ResidentTeams, colTeamLeader}, "dispatch_level": {ResidentTeams, colDispatch},
		"sending_units": {ResidentTeams, colSendingUnit}, "area_id": {ResidentTeams, colArea}, "end_date": {ResidentTeams, colEnd},
		"notes": {ResidentTeams, colNotes},
	},
	"resident_assessments": {
		"person_id": {ResidentAssessments, colPersonNo}, "region_id": {ResidentAssessments, colVillage},
		"kind": {ResidentAssessments, colKind}, "year": {ResidentAssessments, colYear}, "period": {ResidentAssessments, colPeriod},
		"grade": {ResidentAssessments, colGrade}, "assessed_by": {ResidentAssessments, colAssessedBy},
		"assessed_on": {ResidentAssessments, colAssessedOn}, "team_id": {ResidentAssessments, colTeamStart},
		"notes": {ResidentAssessments, colNotes},
	},
	"expert_agreements": {
		"expert_id": {ExpertAgreements, colPersonNo}, "title": {ExpertAgreements, colName}, "start_date": {ExpertAgreements, colStart},
		"region_id": {ExpertAgreements, colRegion}, "assignment_id": {ExpertAgreements, colAssignmentNo},
		"parties": {ExpertAgreements, colParties}, "content": {ExpertAgreements, colAgreementBody},
		"targets": {ExpertAgreements, colTargets}, "proceeds_share_percent": {ExpertAgreements, colShare},
		"signed_on": {ExpertAgreements, colSignedOn}, "end_date": {ExpertAgreements, colEnd}, "notes": {ExpertAgreements, colNotes},
	},
	"subsidy_payments": {
		"expert_id": {SubsidyPayments, colPersonNo}, "region_id": {SubsidyPayments, colRegion}, "year": {SubsidyPayments, colYear},
		"amount_yuan": {SubsidyPayments, colAmount}, "paid_on": {SubsidyPayments, colPaidOn},
		"agreement_id": {SubsidyPayments, colAgreementTitle}, "notes": {SubsidyPayments, colNotes},
	},
	"doctor_farms": {
		"village_id": {DoctorFarms, colVillage}, "name": {DoctorFarms, colName}, "expert_id": {DoctorFarms, colPersonNo},
		"founded_on": {DoctorFarms, colFoundedOn}, "yearly_funding_yuan": {DoctorFarms, colFunding},
		"years_funded": {DoctorFarms, colYearsFunded}, "notes": {DoctorFarms, colNotes},
	},
	"assessments": {
		"person_id": {Assessments, colPersonNo}, "region_id": {Assessments, colRegion}, "year": {Assessments, colYear},
		"grade": {Assessments, colGrade}, "review_score": {Assessments, colScore}, "rank": {Assessments, colRank},
		"ranked_among": {Assessments, colRankedAmong}, "rank_scope": {Assessments, colRankScope},
		"pledge": {Assessments, colPledge}, "notes": {Assessments, colNotes},
	},
	"duty_items": {
		"person_id": {DutyItems, colPersonNo}, "region_id": {DutyItems, colVillage}, "year": {DutyItems, colYear},
		"task": {DutyItems, colTask}, "kind": {DutyItems, colKind}, "deadline": {DutyItems, colDeadline},
		"status": {DutyItems, colStatus}, "completed_on": {DutyItems, colCompletedOn},
		"evidence": {DutyItems, colEvidence}, "reviewed_by": {DutyItems, colReviewedBy},
	},
	"rewards": {
		"person_id": {Rewards, colPersonNo}, "region_id": {Rewards, colRegion}, "kind": {Rewards, colKind},
		"title": {Rewards, colName}, "level": {Rewards, colLevel}, "date": {Rewards, colDate},
		"amount_yuan": {Rewards, colAmount}, "document_no": {Rewards, colDocNo}, "notes": {Rewards, colNotes},
	},
	"star_ratings": {
		"village_id": {StarRatings, colVillage}, "year": {StarRatings, colYear}, "stars": {StarRatings, colStars},
		"title": {StarRatings, colName}, "rated_by": {StarRatings, colRatedBy}, "date": {StarRatings, colDate},
	},
	"office_audits": {
		"region_id": {OfficeAudits, colVillage}, "person_id": {OfficeAudits, colPersonNo}, "kind": {OfficeAudits, colKind},
		"date": {OfficeAudits, colDate}, "findings": {OfficeAudits, colFindings}, "follow_up": {OfficeAudits, colFollowUp},
		"status": {OfficeAudits, colStatus},
	},
	"terms": {
		"region_id": {Terms, colRegion}, "number": {Terms, colTermNo}, "name": {Terms, colName},
		"elected_on": {Terms, colElectedOn}, "notes": {Terms, colNotes},
	},
	"training_classes": {
		"region_id": {TrainingClasses, colRegion}, "name": {TrainingClasses, colClassName}, "kind": {TrainingClasses, colKind},
		"organizer": {TrainingClasses, colOrganizer}, "place": {TrainingClasses, colPlace},
		"starts_on": {TrainingClasses, colStart}, "ends_on": {TrainingClasses, colEnd},
		"hours": {TrainingClasses, colHours}, "notes": {TrainingClasses, colNotes},
	},
	"training_enrolments": {
		"class_id": {TrainingEnrolments, colClassName}, "person_id": {TrainingEnrolments, colPersonNo},
		"region_id": {TrainingEnrolments, colRegion}, "completed": {TrainingEnrolments, colCompleted},
		"hours": {TrainingEnrolments, colHours}, "result": {TrainingEnrolments, colResult},
	},
	"mentorships": {
		"external_id": {Mentorships, colNo}, "mentor_id": {Mentorships, colMentor}, "mentee_id": {Mentorships, colMentee},
		"program": {Mentorships, colProgram}, "start_date": {Mentorships, colStart}, "end_date": {Mentorships, colEnd},
		"status": {Mentorships, colStatus}, "region_id": {Mentorships, colRegion},
		"goals": {Mentorships, colGoals}, "outcome": {Mentorships, colOutcome},
	},
	"adviser_appointments": {
		"external_id": {Appointments, colNo}, "person_id": {Appointments, colPersonNo}, "village_id": {Appointments, colVillage},
		"kind": {Appointments, colApptKind}, "start_date": {Appointments, colApptStart}, "end_date": {Appointments, colApptEnd},
		"certificate_no": {Appointments, colCertificate},
	},
	"contact_logs": {
		"appointment_id": {ContactLogs, colApptNo}, "date": {ContactLogs, colContactDate}, "mode": {ContactLogs, colMode},
		"contacted_by_id": {ContactLogs, colContactBy}, "notes": {ContactLogs, colContent},
	},
	"demands": {
		"external_id": {Demands, colNo}, "region_id": {Demands, colRegion}, "field": {Demands, colFields},
		"description": {Demands, colDescription}, "status": {Demands, colStatus},
		"raised_on": {Demands, colRaisedOn}, "closed_on": {Demands, colClosedOn},
	},
	"expert_assignments": {
		"external_id": {Assignments, colNo}, "expert_id": {Assignments, colPersonNo}, "region_id": {Assignments, colServiceArea},
		"fields": {Assignments, colFields}, "start_date": {Assignments, colStart}, "end_date": {Assignments, colEnd},
		"agreement_signed": {Assignments, colAgreement}, "annual_subsidy_yuan": {Assignments, colSubsidy},
		"demand_id": {Assignments, colDemandNo},
	},
	"service_records": {
		"assignment_id": {ServiceRecords, colAssignmentNo}, "date": {ServiceRecords, colDate}, "kind": {ServiceRecords, colKind},
		"beneficiaries": {ServiceRecords, colBeneficiary}, "notes": {ServiceRecords, colContent},
	},
	"contributions": {
		"external_id": {Contributions, colNo}, "appointment_id": {Contributions, colSourceNo}, "assignment_id": {Contributions, colSourceNo},
		"village_id": {Contributions, colVillage}, "kind": {Contributions, colKind}, "amount_yuan": {Contributions, colAmount},
		"date": {Contributions, colDate}, "description": {Contributions, colRemark}, "follows_id": {Contributions, colFollows},
	},
}

// notRoundTripped are the columns that deliberately have no roster column,
// each with why. A new field is in neither list, and fails
// TestEveryFieldHasAColumn until it gets a column or a reason here.
var notRoundTripped = map[string]map[string]string{
	"*": {
		"id":         "database identity; records are matched by their numbers",
		"created_at": "when the row was written in this database",
		"updated_at": "when the row was last changed in this database",
	},
	"persons": {
		"id_number_hash": "derived: the keyed hash of id_number, under this database's data key",
		"name_pinyin":    "derived search key of the name (person hook)",
		"name_initials":  "derived search key of the name (person hook)",
		"phone_suffix":   "derived search key of the phone (person hook)",
	},
	"posts": {
		"seat": "derived from the role (one secretary per village index)",
	},
	"expert_assignments": {
		"confirmed_by": "audit of the 两单合一 match: the account that confirmed it in this system",
		"confirmed_at": "audit of the 两单合一 match: when it was confirmed in this system",
	},
}

// notRosterTables are the tables the roster does not carry at all.
var notRosterTables = map[string]string{
	"regions":              "loaded by `yanzhen import regions` (the statistical divisions) before any roster",
	"person_external_keys": "each source's own 人员编号: an export writes one, that of ExportOptions.Source (TestExportWritesTheSourcesNumbers)",
	"person_search_keys":   "derived from the names (person hook)",
	"users":                "accounts of this system",
	"sessions":             "sign-ins of this system",
	"audit_logs":           "this system's audit log",
	"import_jobs":          "this system's upload queue",
	"idempotency_keys":     "this system's request replay cache",
	"auth_epochs":          "this system's sign-in cache counter",
	"rate_buckets":         "this system's shared rate limits",
	"person_places":        "derived from the links (scope/places)",
	"feed_entries":         "this system's change feed (package changes)",
	"feed_clocks":          "the change feed's commit counter",
	"trusted_documents":    "GraphQL documents clients registered (package trusted)",
	"region_figures":       "derived: kept statistics and alert counts (insight/regionfigures.go)",
	"region_figures_marks": "derived: writes since the kept figures were computed (insight/figures)",
	"vocabulary_terms":     "an area's vocabulary: a roster writes each term's label, the terms are kept with addVocabularyTerm / yanzhen vocab",
	"vocabulary_words":     "an area's synonyms, kept with mapVocabularyWord / yanzhen vocab",
	"candidacies":          "workflow in progress (资格联审, 备案): the issue keeps steps in progress out of workbooks; the appointed post is carried by the 任职 sheet",
	"candidacy_steps":      "the steps of a candidacy (see candidacies)",
	"person_attributes":    "the dated periods of a person's education, political status, title and tags (changes and corrections): the 人员 sheet carries today's values, a workbook has no form for the periods yet",
}

// Every column of every table is carried by a roster column or listed
// with the reason it is not: a field added to the schema without a column
// fails here.
func TestEveryFieldHasAColumn(t *testing.T) {
	for _, table := range migrate.Tables {
		if _, ok := notRosterTables[table.Name]; ok {
			continue
		}
		cols, ok := roundTripped[table.Name]
		if !ok {
			t.Errorf("table %s is neither carried by the roster nor listed in notRosterTables", table.Name)
			continue
		}
		for _, c := range table.Columns {
			if _, ok := notRoundTripped["*"][c.Name]; ok {
				continue
			}
			if _, ok := notRoundTripped[table.Name][c.Name]; ok {
				continue
			}
			to, ok := cols[c.Name]
			if !ok {
				t.Errorf("%s.%s has no roster column: add one (format.go, export.go, validate_*.go, write.go) or say in notRoundTripped why not", table.Name, c.Name)
				continue
			}
			if d := Sheets[to.kind]; d.Kind != to.kind || d.column(to.col) == nil {
				t.Errorf("%s.%s: sheet %s has no column %s", table.Name, c.Name, d.Name, to.col)
			}
		}
	}
	// And every roster table named above exists.
	names := map[string]bool{}
	for _, table := range migrate.Tables {
		names[table.Name] = true
	}
	for name := range roundTripped {
		if !names[name] {
			t.Errorf("roundTripped names table %s, which does not exist", name)
		}
	}
}

// fullGraph fills db with every entity the roster carries, every field set
// to something other than its default, in the variety the roster has to
// carry: a birth date to the month and one to the day from an ID number,
// tags and fields, 一肩挑, an ended post with its reason, a resident first
// secretary with sending unit, institution and 片区, mentorships with goals
// and outcome, records with and without numbers of their own, a demand met
// by an assignment, contributions of both sources, and external keys.
func fullGraph(t *testing.T, c *ent.Client) {
	t.Helper()
	ctx := auth.System(context.Background())
	code := func(s string) int { return c.Region.Query().Where(region.Code(s)).OnlyIDX(ctx) }
	v1, v2, town, county := code("150221105220"), code("150221100202"), code("150221105"), code("150221")

	univ := c.Institution.Create().SetExternalID("JG-1").SetName("内蒙古农业大学").SetKind("UNIVERSITY").SetRegionID(code("15")).SaveX(ctx)
	bureau := c.Institution.Create().SetName("土默特右旗农牧局").SetKind("GOVERNMENT").SetRegionID(county).SaveX(ctx)

	zhang := c.Person.Create().SetExternalID("RY-1").SetName("张慧婷").SetGender("FEMALE").
		SetIDNumber("150221198805120029").SetEthnicity("汉族").SetEducation("BACHELOR").SetPoliticalStatus("CPC_MEMBER").
		SetPartyJoinDate(mustDate("2010-07-01")).SetPhone("13800138000").SetHomeVillageID(v1).
		SetTags([]vocab.PersonTag{"RETURNEE", "RICH_LEADER"}).SetExpertise([]vocab.AgriculturalField{"VEGETABLES"}).
		SetProfessionalTitle("助理农艺师").SaveX(ctx)
	li := c.Person.Create().SetExternalID("RY-2").SetName("李文博").SetGender("MALE").
		SetBirthDate(mustDate("1971-07-01")).SetBirthDatePrecision(person.BirthDatePrecisionMONTH).
		SetEthnicity("蒙古族").SetEducation("JUNIOR_COLLEGE").SetPoliticalStatus("CPC_PROBATIONARY").
		SetPartyJoinDate(mustDate("1995-03-01")).SetPhone("0472-8123456").SetHomeVillageID(v2).SaveX(ctx)
	// No number of its own: exported as P + ID.
	wang := c.Person.Create().SetName("王建国").SetGender("MALE").SetBirthDate(mustDate("1970-03-15")).
		SetEducation("DOCTORATE").SetPoliticalStatus("DEMOCRATIC_PARTY").SetInstitutionID(univ.ID).
		SetExpertise([]vocab.AgriculturalField{"PROTECTED_AGRICULTURE", "VEGETABLES"}).SetProfessionalTitle("教授").SaveX(ctx)
	zhao := c.Person.Create().SetExternalID("RY-4").SetName("赵志刚").SetInstitutionID(bureau.ID).SaveX(ctx)
	// A county's own number of zhang, kept as its source's key.
	c.PersonExternalKey.Create().SetPersonID(zhang.ID).SetSource("150221").SetKey("TM-001").SaveX(ctx)

	// A 片区 of the county grouping both villages, with its 临时党支部, and
	// one of the township with only what it needs; a team in each village.
	area := c.ResidentArea.Create().SetRegionID(county).SetName("萨拉齐片区").SetPartyBranch("萨拉齐片区临时党支部").
		SetLeaderID(zhang.ID).AddVillageIDs(v1, v2).SetStartDate(mustDate("2021-01-01")).SetEndDate(mustDate("2025-12-31")).
		SetNotes("两村联建").SaveX(ctx)
	c.ResidentArea.Create().SetRegionID(town).SetName("第二片区").SetStartDate(mustDate("2024-01-01")).SaveX(ctx)
	team := c.ResidentTeam.Create().SetVillageID(v2).SetName("萨拉齐镇第二村驻村工作队").SetLeaderID(zhao.ID).
		SetDispatchLevel("COUNTY").SetSendingUnits([]string{"土默特右旗农牧局", "包头市农牧局"}).SetAreaID(area.ID).
		SetStartDate(mustDate("2021-06-01")).SetEndDate(mustDate("2023-05-31")).SetNotes("产业帮扶").SaveX(ctx)
	c.ResidentTeam.Create().SetVillageID(v1).SetDispatchLevel("PROVINCE").SetStartDate(mustDate("2024-01-01")).SaveX(ctx)

	// li's ended secretary's post, taken back (返聘) in the supervisory committee.
	liSecretary := c.Post.Create().SetPersonID(li.ID).SetRegionID(v1).SetRole("PARTY_SECRETARY").
		SetStartDate(mustDate("2015-01-01")).SetEndDate(mustDate("2020-12-31")).SetEndReason("到龄卸任").SetExitKind("NATURAL").SaveX(ctx)
	c.Post.Create().SetPersonID(li.ID).SetRegionID(v1).SetRole("SUPERVISORY_DIRECTOR").SetRehiredFromID(liSecretary.ID).
		SetStartDate(mustDate("2021-01-01")).SaveX(ctx)
	c.Post.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetRole("SECRETARY_AND_DIRECTOR").
		SetStartDate(mustDate("2021-01-01")).SaveX(ctx)
	c.Post.Create().SetPersonID(li.ID).SetRegionID(v2).SetRole("RESERVE_CADRE").SetReserveList("SECRETARY_CANDIDATE").
		SetStartDate(mustDate("2022-01-01")).SaveX(ctx)
	c.Post.Create().SetPersonID(zhao.ID).SetRegionID(v2).SetRole("FIRST_SECRETARY").SetDispatchLevel("COUNTY").
		SetSendingUnit("土默特右旗农牧局").SetSendingInstitutionID(bureau.ID).SetCluster("萨拉齐片区").SetTeamID(team.ID).
		SetStartDate(mustDate("2021-06-01")).SetEndDate(mustDate("2023-05-31")).SetEndReason("任期届满").SetExitKind("TERM_ENDED").SaveX(ctx)
	c.Post.Create().SetPersonID(wang.ID).SetRegionID(town).SetRole("VILLAGE_CEO").SetStartDate(mustDate("2023-03-01")).SaveX(ctx)

	c.Mentorship.Create().SetExternalID("JD-1").SetMentorID(zhang.ID).SetMenteeID(li.ID).SetProgram("QINGLAN").
		SetRegionID(v1).SetStatus("COMPLETED").SetStartDate(mustDate("2022-01-01")).SetEndDate(mustDate("2023-12-31")).
		SetGoals("一年内熟悉村务").SetOutcome("已能独立主持议事").SaveX(ctx)
	c.Mentorship.Create().SetMentorID(zhao.ID).SetMenteeID(zhang.ID).SetProgram("X_PLUS_N").
		SetRegionID(town).SetStartDate(mustDate("2024-01-01")).SetGoals("带出一名后备").SaveX(ctx)

	pr := c.AdviserAppointment.Create().SetExternalID("PR-1").SetPersonID(wang.ID).SetVillageID(v1).SetKind("DEVELOPMENT_ADVISER").
		SetStartDate(mustDate("2023-06-01")).SetEndDate(mustDate("2026-05-31")).SetCertificateNo("ZS2023-01").SaveX(ctx)
	anon := c.AdviserAppointment.Create().SetPersonID(li.ID).SetVillageID(v2).SetKind("FINANCIAL_DEPUTY_HEAD").
		SetStartDate(mustDate("2024-01-01")).SaveX(ctx)
	c.ContactLog.Create().SetAppointmentID(pr.ID).SetDate(mustDate("2024-02-08")).SetMode("HOLIDAY_GREETING").
		SetContactedByID(zhang.ID).SetNotes("春节慰问").SaveX(ctx)
	c.ContactLog.Create().SetAppointmentID(anon.ID).SetDate(mustDate("2024-03-01")).SetMode("PHONE").SaveX(ctx)

	met := c.Demand.Create().SetExternalID("XQ-1").SetRegionID(town).SetField("PROTECTED_AGRICULTURE").SetDescription("温室大棚种植技术指导").
		SetStatus("DONE").SetRaisedOn(mustDate("2024-02-20")).SetClosedOn(mustDate("2024-09-30")).SaveX(ctx)
	c.Demand.Create().SetRegionID(v2).SetField("FIELD_CROPS").SetDescription("玉米密植").SetRaisedOn(mustDate("2024-04-01")).SaveX(ctx)
	xp := c.ExpertAssignment.Create().SetExternalID("XP-1").SetExpertID(wang.ID).SetRegionID(town).
		SetFields([]vocab.AgriculturalField{"PROTECTED_AGRICULTURE"}).SetStartDate(mustDate("2024-03-01")).SetEndDate(mustDate("2025-02-28")).
		SetAgreementSigned(true).SetAnnualSubsidyYuan(20000).SetDemandID(met.ID).SaveX(ctx)
	bare := c.ExpertAssignment.Create().SetExpertID(wang.ID).SetRegionID(county).SetStartDate(mustDate("2025-03-01")).SaveX(ctx)
	c.ServiceRecord.Create().SetAssignmentID(xp.ID).SetDate(mustDate("2024-04-15")).SetKind("GUIDANCE").
		SetBeneficiaries(35).SetNotes("大棚番茄病虫害防治").SaveX(ctx)
	c.ServiceRecord.Create().SetAssignmentID(bare.ID).SetDate(mustDate("2025-04-01")).SetKind("TRAINING").SaveX(ctx)

	c.Contribution.Create().SetExternalID("CX-1").SetAppointmentID(pr.ID).SetVillageID(v1).SetKind("FUNDS").
		SetAmountYuan(500000).SetDate(mustDate("2024-05-20")).SetDescription("引进肉牛养殖项目").SaveX(ctx)
	// An outcome chain: a lead with a number of its own, a visit and a
	// project without (exported as C + ID, and named so as the step before).
	lead := c.Contribution.Create().SetExternalID("CX-2").SetAppointmentID(pr.ID).SetVillageID(v1).SetKind("INVESTMENT_LEAD").
		SetDate(mustDate("2024-03-01")).SetDescription("肉牛企业投资意向").SaveX(ctx)
	visit := c.Contribution.Create().SetAssignmentID(xp.ID).SetVillageID(v1).SetKind("SITE_VISIT").SetFollowsID(lead.ID).
		SetDate(mustDate("2024-04-01")).SaveX(ctx)
	c.Contribution.Create().SetAssignmentID(xp.ID).SetVillageID(v1).SetKind("PROJECT_LANDED").SetFollowsID(visit.ID).
		SetDate(mustDate("2024-10-01")).SaveX(ctx)

	// The work cycle: a record of each kind with every field, and one
	// with only what it needs.
	c.Assessment.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetYear(2024).SetGrade("EXCELLENT").SetReviewScore(92.5).
		SetRank(1).SetRankedAmong(12).SetRankScope("TOWNSHIP").SetPledge("村集体经济收入突破50万元").SetNotes("述职评议第一").SaveX(ctx)
	c.Assessment.Create().SetPersonID(li.ID).SetRegionID(town).SetYear(2023).SetGrade("BASICALLY_COMPETENT").SaveX(ctx)
	c.DutyItem.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetYear(2024).SetTask("建成村级光伏电站").SetKind("KEY").
		SetDeadline(mustDate("2024-10-31")).SetStatus("DONE").SetCompletedOn(mustDate("2024-09-20")).
		SetEvidence("验收报告").SetReviewedBy("萨拉齐镇党委").SaveX(ctx)
	c.DutyItem.Create().SetPersonID(li.ID).SetRegionID(v2).SetYear(2025).SetTask("化解土地纠纷").SetKind("HARD").SaveX(ctx)
	c.Reward.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetKind("REWARD").SetTitle("优秀党务工作者").SetLevel("COUNTY").
		SetDate(mustDate("2024-07-01")).SetAmountYuan(2000).SetDocumentNo("土右党发〔2024〕12号").SetNotes("七一表彰").SaveX(ctx)
	c.Reward.Create().SetPersonID(zhao.ID).SetRegionID(town).SetKind("PUNISHMENT").SetTitle("通报批评").SetLevel("TOWNSHIP").
		SetDate(mustDate("2023-03-01")).SaveX(ctx)
	c.StarRating.Create().SetVillageID(v1).SetYear(2024).SetStars(5).SetTitle("五星级党组织").SetRatedBy("土默特右旗委组织部").
		SetDate(mustDate("2025-01-15")).SaveX(ctx)
	c.StarRating.Create().SetVillageID(v2).SetYear(2023).SetStars(3).SaveX(ctx)
	c.OfficeAudit.Create().SetRegionID(v1).SetPersonID(li.ID).SetKind("DEPARTURE").SetDate(mustDate("2021-01-20")).
		SetFindings("村集体资产台账不完整").SetFollowUp("已补建台账").SetStatus("RECTIFIED").SaveX(ctx)
	c.OfficeAudit.Create().SetRegionID(v2).SetKind("SPECIAL").SetDate(mustDate("2024-06-18")).SetFindings("惠农资金发放记录缺失").SaveX(ctx)
	c.Term.Create().SetRegionID(county).SetNumber(12).SetName("2021年村“两委”换届").SetElectedOn(mustDate("2021-03-31")).
		SetNotes("全旗同步换届").SaveX(ctx)
	c.Term.Create().SetRegionID(county).SetName("2018年村“两委”换届").SetElectedOn(mustDate("2018-04-30")).SaveX(ctx)
	class := c.TrainingClass.Create().SetRegionID(county).SetName("2024年村党组织书记示范培训班").SetKind("SECRETARY_TRAINING").
		SetOrganizer("土默特右旗委组织部").SetPlace("旗委党校").SetStartsOn(mustDate("2024-04-08")).SetEndsOn(mustDate("2024-04-12")).
		SetHours(40).SetNotes("脱产").SaveX(ctx)
	// Held by the province: it comes along with the enrolment of a trainee
	// who serves in the county.
	eagle := c.TrainingClass.Create().SetRegionID(code("15")).SetName("雏鹰计划第三期").SetKind("YOUNG_EAGLE").
		SetStartsOn(mustDate("2023-09-01")).SaveX(ctx)
	c.TrainingEnrolment.Create().SetClassID(class.ID).SetPersonID(zhang.ID).SetRegionID(v1).SetCompleted(true).
		SetHours(37.5).SetResult("优秀学员").SaveX(ctx)
	c.TrainingEnrolment.Create().SetClassID(eagle.ID).SetPersonID(li.ID).SetRegionID(v2).SaveX(ctx)

	// Resident cadres' assessments and the support of experts: a record
	// of each kind with every field, and one with only what it needs.
	c.ResidentAssessment.Create().SetPersonID(zhao.ID).SetRegionID(v2).SetTeamID(team.ID).SetKind("ROUTINE").SetYear(2022).
		SetPeriod(3).SetGrade("COMPETENT").SetAssessedBy("萨拉齐镇党委").SetAssessedOn(mustDate("2022-10-10")).SetNotes("第三季度").SaveX(ctx)
	c.ResidentAssessment.Create().SetPersonID(zhao.ID).SetRegionID(v2).SetKind("ANNUAL").SetYear(2022).SetGrade("EXCELLENT").SaveX(ctx)
	agreement := c.ExpertAgreement.Create().SetExpertID(wang.ID).SetRegionID(town).SetAssignmentID(xp.ID).SetTitle("设施农业合作任务书").
		SetParties("甲方：萨拉齐镇人民政府；乙方：王建国").SetContent("温室大棚种植技术指导").SetTargets("新建示范棚10座").
		SetProceedsSharePercent(30.5).SetSignedOn(mustDate("2024-02-25")).SetStartDate(mustDate("2024-03-01")).
		SetEndDate(mustDate("2025-02-28")).SetNotes("一年一签").SaveX(ctx)
	c.ExpertAgreement.Create().SetExpertID(wang.ID).SetRegionID(county).SetTitle("试验示范任务书").SetStartDate(mustDate("2025-03-01")).SaveX(ctx)
	c.SubsidyPayment.Create().SetExpertID(wang.ID).SetRegionID(town).SetAgreementID(agreement.ID).SetYear(2024).SetAmountYuan(20000).
		SetPaidOn(mustDate("2024-12-20")).SetNotes("年度补贴").SaveX(ctx)
	c.SubsidyPayment.Create().SetExpertID(wang.ID).SetRegionID(county).SetYear(2024).SetAmountYuan(5000).SaveX(ctx)
	c.DoctorFarm.Create().SetExpertID(wang.ID).SetVillageID(v1).SetName("番茄博士农场").SetFoundedOn(mustDate("2023-05-01")).
		SetYearlyFundingYuan(100000).SetYearsFunded(3).SetNotes("三年资助").SaveX(ctx)
	c.DoctorFarm.Create().SetExpertID(wang.ID).SetVillageID(v2).SetName("玉米博士农场").SetFoundedOn(mustDate("2024-04-01")).SaveX(ctx)
}

// Export → import into an empty database → export gives the same roster,
// cell by cell, as .xlsx and as CSV; and the two databases hold the same
// records, compared field by field by queries of the test's own.
func TestEveryFieldRoundTrips(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		fullGraph(t, db.Client)
		dir := t.TempDir()
		export := func(c *ent.Client, dest string) *Workbook {
			t.Helper()
			if err := Export(ctx, c, "150221", ExportOptions{}, filepath.Join(dir, dest)); err != nil {
				t.Fatal(err)
			}
			wb, err := Open(filepath.Join(dir, dest))
			if err != nil {
				t.Fatal(err)
			}
			// A CSV directory is read in file-name order: put it in the
			// format's order.
			slices.SortFunc(wb.Sheets, func(a, b *Sheet) int { return int(sheetDef(a.Name).Kind - sheetDef(b.Name).Kind) })
			return wb
		}
		firstXLSX, firstCSV := export(db.Client, "first.xlsx"), export(db.Client, "first")
		sameWorkbook(t, "first .xlsx and first CSV", firstXLSX, firstCSV)
		// Every column is filled somewhere: a column exported empty would
		// round-trip trivially.
		for _, s := range firstXLSX.Sheets {
			for i, h := range s.Header {
				if !slices.ContainsFunc(s.Rows, func(r Row) bool { return i < len(r.Cells) && r.Cells[i] != "" }) {
					t.Errorf("%s [%s] is empty in every row of the export: the test does not cover it", s.Name, h)
				}
			}
		}

		fresh := dbtest.OpenSQLite(t)
		if db.Dialect == "postgres" {
			fresh = dbtest.OpenPostgres(t)
		}
		addRegions(t, fresh.Client)
		mustImport(t, fresh, firstXLSX, ImportOptions{})
		sameWorkbook(t, ".xlsx round trip", firstXLSX, export(fresh.Client, "second.xlsx"))
		sameWorkbook(t, "CSV round trip", firstCSV, export(fresh.Client, "second"))

		a, b := snapshot(t, db.Client), snapshot(t, fresh.Client)
		for _, table := range slices.Sorted(func(yield func(string) bool) {
			for k := range a {
				if !yield(k) {
					return
				}
			}
		}) {
			if !slices.Equal(a[table], b[table]) {
				t.Errorf("%s differ:\nfirst database\n  %s\nsecond database\n  %s", table,
					strings.Join(a[table], "\n  "), strings.Join(b[table], "\n  "))
			}
		}

		// The export re-imported into the database it came from changes nothing.
		if again := mustImport(t, db, firstXLSX, ImportOptions{}); again.Changed() != 0 {
			t.Fatalf("re-importing the export changed something:\n%s", again)
		}
	})
}

// sameWorkbook compares two rosters sheet by sheet and cell by cell, and
// says where they differ.
func sameWorkbook(t *testing.T, what string, a, b *Workbook) {
	t.Helper()
	var diffs []string
	if len(a.Sheets) != len(b.Sheets) {
		diffs = append(diffs, fmt.Sprintf("%d sheets, then %d", len(a.Sheets), len(b.Sheets)))
	}
	for i := range min(len(a.Sheets), len(b.Sheets)) {
		x, y := a.Sheets[i], b.Sheets[i]
		if x.Name != y.Name {
			diffs = append(diffs, fmt.Sprintf("sheet %d is %s, then %s", i+1, x.Name, y.Name))
			continue
		}
		if !slices.Equal(x.Header, y.Header) {
			diffs = append(diffs, fmt.Sprintf("%s header %q, then %q", x.Name, x.Header, y.Header))
		}
		if len(x.Rows) != len(y.Rows) {
			diffs = append(diffs, fmt.Sprintf("%s has %d rows, then %d", x.Name, len(x.Rows), len(y.Rows)))
		}
		for r := range min(len(x.Rows), len(y.Rows)) {
			xc, yc := x.Rows[r].Cells, y.Rows[r].Cells
			for c := range max(len(xc), len(yc)) {
				u, v := cellAt(xc, c), cellAt(yc, c)
				if u != v {
					col := fmt.Sprint(c + 1)
					if c < len(x.Header) {
						col = x.Header[c]
					}
					diffs = append(diffs, fmt.Sprintf("%s row %d [%s]: %q, then %q", x.Name, x.Rows[r].Line, col, u, v))
				}
			}
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s differs:\n%s", what, strings.Join(diffs, "\n"))
	}
}

func cellAt(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

// snapshot describes every record the roster carries, one line each, by
// the test's own queries: references by what they point at (a person's
// name, a region's code …), no IDs or timestamps. A record without a
// number comes back under the number the export gave it (P, I, M … + its
// ID), so numbers are left out too; the workbook comparison covers them.
func snapshot(t *testing.T, c *ent.Client) map[string][]string {
	t.Helper()
	ctx := auth.System(context.Background())
	codes, names, insts := map[int]string{}, map[int]string{}, map[int]string{}
	for _, r := range c.Region.Query().AllX(ctx) {
		codes[r.ID] = r.Code
	}
	for _, p := range c.Person.Query().AllX(ctx) {
		names[p.ID] = p.Name
	}
	for _, i := range c.Institution.Query().AllX(ctx) {
		insts[i.ID] = i.Name
	}
	ref := func(m map[int]string, id *int) string {
		if id == nil {
			return "-"
		}
		return m[*id]
	}
	d := func(t time.Time) string { return day(utcDay(t)) }
	out := map[string][]string{}
	add := func(table string, fields ...any) {
		parts := make([]string, len(fields))
		for i, f := range fields {
			parts[i] = fmt.Sprint(f)
		}
		out[table] = append(out[table], strings.Join(parts, " | "))
	}
	for _, i := range c.Institution.Query().AllX(ctx) {
		add("institutions", i.Name, i.Kind, ref(codes, i.RegionID))
	}
	for _, p := range c.Person.Query().AllX(ctx) {
		precision := "DAY" // absent means DAY (ent/schema/person.go)
		if p.BirthDatePrecision != nil {
			precision = string(*p.BirthDatePrecision)
		}
		add("persons", p.Name, deref(p.Gender), dayOf(p.BirthDate), precision, p.Ethnicity, deref(p.Education),
			deref(p.PoliticalStatus), dayOf(p.PartyJoinDate), p.Phone, p.IDNumber, p.Tags, p.Expertise, p.ProfessionalTitle,
			ref(insts, p.InstitutionID), ref(codes, p.HomeVillageID))
	}
	teams := map[int]string{}
	for _, t := range c.ResidentTeam.Query().AllX(ctx) {
		teams[t.ID] = codes[t.VillageID] + "@" + d(t.StartDate)
	}
	posts := map[int]string{}
	for _, p := range c.Post.Query().AllX(ctx) {
		posts[p.ID] = names[p.PersonID] + "@" + codes[p.RegionID] + "/" + string(p.Role) + "/" + d(p.StartDate)
	}
	for _, p := range c.Post.Query().AllX(ctx) {
		add("posts", names[p.PersonID], codes[p.RegionID], p.Role, deref(p.ReserveList), deref(p.DispatchLevel), p.SendingUnit,
			ref(insts, p.SendingInstitutionID), p.Cluster, d(p.StartDate), dayOf(p.EndDate), p.EndReason, deref(p.Seat), deref(p.ExitKind),
			ref(teams, p.TeamID), ref(posts, p.RehiredFromID))
	}
	areas := map[int]string{}
	for _, a := range c.ResidentArea.Query().WithVillages().AllX(ctx) {
		areas[a.ID] = codes[a.RegionID] + "/" + a.Name
		var villages []string
		for _, v := range a.Edges.Villages {
			villages = append(villages, v.Code)
		}
		slices.Sort(villages)
		add("resident_areas", codes[a.RegionID], a.Name, a.PartyBranch, ref(names, a.LeaderID), villages, d(a.StartDate), dayOf(a.EndDate), a.Notes)
	}
	for _, t := range c.ResidentTeam.Query().AllX(ctx) {
		add("resident_teams", codes[t.VillageID], d(t.StartDate), t.Name, ref(names, t.LeaderID), t.DispatchLevel, t.SendingUnits,
			ref(areas, t.AreaID), dayOf(t.EndDate), t.Notes)
	}
	for _, a := range c.ResidentAssessment.Query().AllX(ctx) {
		add("resident_assessments", names[a.PersonID], codes[a.RegionID], a.Kind, a.Year, deref(a.Period), a.Grade, a.AssessedBy,
			dayOf(a.AssessedOn), ref(teams, a.TeamID), a.Notes)
	}
	for _, f := range c.DoctorFarm.Query().AllX(ctx) {
		add("doctor_farms", codes[f.VillageID], f.Name, names[f.ExpertID], d(f.FoundedOn), f.YearlyFundingYuan, f.YearsFunded, f.Notes)
	}
	for _, m := range c.Mentorship.Query().AllX(ctx) {
		add("mentorships", names[m.MentorID], names[m.MenteeID], m.Program, d(m.StartDate), dayOf(m.EndDate), m.Status,
			ref(codes, m.RegionID), m.Goals, m.Outcome)
	}
	appts := map[int]string{}
	for _, a := range c.AdviserAppointment.Query().AllX(ctx) {
		appts[a.ID] = names[a.PersonID] + "@" + codes[a.VillageID]
		add("adviser_appointments", names[a.PersonID], codes[a.VillageID], a.Kind, d(a.StartDate), dayOf(a.EndDate), a.CertificateNo)
	}
	for _, l := range c.ContactLog.Query().AllX(ctx) {
		add("contact_logs", appts[l.AppointmentID], d(l.Date), l.Mode, ref(names, l.ContactedByID), l.Notes)
	}
	demands := map[int]string{}
	for _, x := range c.Demand.Query().AllX(ctx) {
		demands[x.ID] = x.Description
		add("demands", codes[x.RegionID], x.Field, x.Description, x.Status, d(x.RaisedOn), dayOf(x.ClosedOn))
	}
	assigns := map[int]string{}
	for _, a := range c.ExpertAssignment.Query().AllX(ctx) {
		assigns[a.ID] = names[a.ExpertID] + "@" + codes[a.RegionID]
		add("expert_assignments", names[a.ExpertID], codes[a.RegionID], a.Fields, d(a.StartDate), dayOf(a.EndDate),
			a.AgreementSigned, a.AnnualSubsidyYuan, ref(demands, a.DemandID))
	}
	for _, r := range c.ServiceRecord.Query().AllX(ctx) {
		add("service_records", assigns[r.AssignmentID], d(r.Date), r.Kind, r.Beneficiaries, r.Notes)
	}
	steps := map[int]string{}
	for _, x := range c.Contribution.Query().AllX(ctx) {
		steps[x.ID] = codes[x.VillageID] + "/" + string(x.Kind) + "/" + d(x.Date)
	}
	for _, x := range c.Contribution.Query().AllX(ctx) {
		add("contributions", ref(appts, x.AppointmentID), ref(assigns, x.AssignmentID), codes[x.VillageID], x.Kind,
			x.AmountYuan, d(x.Date), x.Description, ref(steps, x.FollowsID))
	}
	agreements := map[int]string{}
	for _, a := range c.ExpertAgreement.Query().AllX(ctx) {
		agreements[a.ID] = names[a.ExpertID] + "/" + a.Title + "/" + d(a.StartDate)
		add("expert_agreements", names[a.ExpertID], a.Title, d(a.StartDate), codes[a.RegionID], ref(assigns, a.AssignmentID),
			a.Parties, a.Content, a.Targets, deref(a.ProceedsSharePercent), dayOf(a.SignedOn), dayOf(a.EndDate), a.Notes)
	}
	for _, p := range c.SubsidyPayment.Query().AllX(ctx) {
		add("subsidy_payments", names[p.ExpertID], codes[p.RegionID], p.Year, p.AmountYuan, dayOf(p.PaidOn), ref(agreements, p.AgreementID), p.Notes)
	}
	for _, a := range c.Assessment.Query().AllX(ctx) {
		add("assessments", names[a.PersonID], codes[a.RegionID], a.Year, a.Grade, deref(a.ReviewScore), deref(a.Rank),
			deref(a.RankedAmong), deref(a.RankScope), a.Pledge, a.Notes)
	}
	for _, x := range c.DutyItem.Query().AllX(ctx) {
		add("duty_items", names[x.PersonID], codes[x.RegionID], x.Year, x.Task, x.Kind, dayOf(x.Deadline), x.Status,
			dayOf(x.CompletedOn), x.Evidence, x.ReviewedBy)
	}
	for _, x := range c.Reward.Query().AllX(ctx) {
		add("rewards", names[x.PersonID], codes[x.RegionID], x.Kind, x.Title, x.Level, d(x.Date), deref(x.AmountYuan), x.DocumentNo, x.Notes)
	}
	for _, x := range c.StarRating.Query().AllX(ctx) {
		add("star_ratings", codes[x.VillageID], x.Year, x.Stars, x.Title, x.RatedBy, dayOf(x.Date))
	}
	for _, x := range c.OfficeAudit.Query().AllX(ctx) {
		add("office_audits", codes[x.RegionID], ref(names, x.PersonID), x.Kind, d(x.Date), x.Findings, x.FollowUp, x.Status)
	}
	for _, x := range c.Term.Query().AllX(ctx) {
		add("terms", codes[x.RegionID], deref(x.Number), x.Name, d(x.ElectedOn), x.Notes)
	}
	classes := map[int]string{}
	for _, x := range c.TrainingClass.Query().AllX(ctx) {
		classes[x.ID] = x.Name
		add("training_classes", codes[x.RegionID], x.Name, x.Kind, x.Organizer, x.Place, d(x.StartsOn), dayOf(x.EndsOn), deref(x.Hours), x.Notes)
	}
	for _, x := range c.TrainingEnrolment.Query().AllX(ctx) {
		add("training_enrolments", classes[x.ClassID], names[x.PersonID], codes[x.RegionID], x.Completed, deref(x.Hours), x.Result)
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

func dayOf(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return day(utcDay(*t))
}

func deref[T any](p *T) any {
	if p == nil {
		return "-"
	}
	return *p
}

// An export for a source writes the people under that source's numbers,
// so that the county's next file — or the export itself — matches them.
func TestExportWritesTheSourcesNumbers(t *testing.T) {
	ctx := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		importAs := func(source string, wb *Workbook) *Report {
			t.Helper()
			return mustImport(t, db, wb, ImportOptions{Source: source})
		}
		// Counties A and B both file 张慧婷, by her ID number, under their
		// own numbers.
		importAs("A", &Workbook{Sheets: []*Sheet{
			people([]string{"A-1", "张慧婷", "女", "", "", womanID, "150221105220"}),
			posts([]string{"A-1", "150221105220", "两委委员", "", "2024-01-01", ""}),
		}})
		importAs("B", &Workbook{Sheets: []*Sheet{
			people([]string{"B-7", "张慧婷", "", "", "", womanID, ""}),
			posts([]string{"B-7", "150221105220", "两委委员", "", "2024-01-01", ""}),
		}})
		// 赵六's legacy number X-9 is county A's number of 李文博: A's
		// export must not write 赵六 under it.
		v := db.Client.Region.Query().Where(region.Code("150221105220")).OnlyIDX(ctx)
		zhao := db.Client.Person.Create().SetName("赵六").SetExternalID("X-9").SetHomeVillageID(v).SaveX(ctx)
		li := db.Client.Person.Create().SetName("李文博").SetExternalID("L-1").SetHomeVillageID(v).SaveX(ctx)
		db.Client.PersonExternalKey.Create().SetPersonID(li.ID).SetSource("A").SetKey("X-9").SaveX(ctx)
		zhang := db.Client.Person.Query().Where(person.Name("张慧婷")).OnlyX(ctx)

		numbers := func(source string) (map[string]string, *Workbook) {
			t.Helper()
			wb, err := ExportWorkbook(ctx, db.Client, "150221", ExportOptions{Source: source})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, r := range wb.Sheets[People].Rows {
				out[r.Cells[1]] = r.Cells[0]
			}
			// Other sheets name people by the same numbers.
			if posts := wb.Sheets[Posts].Rows; len(posts) != 1 || posts[0].Cells[0] != out["张慧婷"] {
				t.Errorf("source %q: the post names %v, the person is %s", source, posts, out["张慧婷"])
			}
			return out, wb
		}
		a, exportA := numbers("A")
		if want := map[string]string{"张慧婷": "A-1", "李文博": "X-9", "赵六": fmt.Sprint("P", zhao.ID)}; !maps.Equal(a, want) {
			t.Errorf("export for A: %v, want %v", a, want)
		}
		if b, _ := numbers("B"); !maps.Equal(b, map[string]string{"张慧婷": "B-7", "李文博": "L-1", "赵六": "X-9"}) {
			t.Errorf("export for B: %v", b)
		}
		// Without a source: the legacy numbers (A's, the first to file her).
		if none, _ := numbers(""); none["张慧婷"] != "A-1" || none["赵六"] != "X-9" {
			t.Errorf("export without a source: %v", none)
		}

		// County A's export comes back onto the same people: nothing changes.
		before := db.Client.Person.Query().CountX(ctx)
		if rep := importAs("A", exportA); rep.Changed() != 0 {
			t.Fatalf("re-importing A's export changed something:\n%s", rep)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != before {
			t.Fatalf("%d people after re-importing A's export, %d before", n, before)
		}
		// And a later file of A, by number only, updates 张慧婷.
		rep := importAs("A", &Workbook{Sheets: []*Sheet{sheet("人员", []string{"人员编号", "姓名", "联系电话"}, []string{"A-1", "张慧婷", "13900139000"})}})
		if rep.Changed() != 1 || db.Client.Person.GetX(ctx, zhang.ID).Phone != "13900139000" {
			t.Fatalf("A's next file did not match its person:\n%s", rep)
		}
	})
}

// The new columns are checked like the others: a reference that names
// nothing, dates out of order or in the future, a region out of place.
func TestNewColumnsAreChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		wb := &Workbook{Sheets: []*Sheet{
			sheet("人员", []string{"人员编号", "姓名", "入党时间"},
				[]string{"RY1", "张慧婷", "2010.07"}, []string{"RY2", "李文博", day(time.Now().AddDate(1, 0, 0))}),
			sheet("任职", []string{"人员编号", "地区代码", "职务", "派驻层级", "派出单位", "派出机构编号", "片区", "开始日期", "结束日期", "离任原因"},
				[]string{"RY1", "150221105220", "驻村第一书记", "县派", "农牧局", "JG-404", "一片", "2021-01-01", "2022-01-01", "期满"}),
			sheet("结对帮带", []string{"编号", "导师编号", "学员编号", "帮带形式", "开始日期", "地区代码", "帮带目标"},
				[]string{"JD1", "RY1", "RY2", "青蓝结对", "2023-01-01", "421002001201", "目标"}),
			sheet("需求清单", []string{"编号", "地区代码", "专业领域", "描述", "提出日期", "解决日期"},
				[]string{"XQ1", "150221105", "蔬菜", "大棚", "2024-05-01", "2024-04-01"}),
			sheet("科技特派员选派", []string{"编号", "人员编号", "服务地区代码", "开始日期", "需求编号"},
				[]string{"XP1", "RY1", "150221105", "2024-03-01", "XQ-404"}),
		}}
		u, _, err := accounts.CreateUser(auth.System(context.Background()), db.Client, accounts.NewUser{
			Username: "tumed", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "150221"})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Import(auth.NewContext(context.Background(), accounts.ViewerOf(u)), db.DB, wb, ImportOptions{DryRun: true})
		if err == nil || rep == nil {
			t.Fatalf("accepted:\n%s", rep)
		}
		want := map[string]Kind{
			"人员 3 入党时间":      Kind("DATE_IN_FUTURE"),
			"任职 2 派出机构编号":    KindUnknownReference,
			"结对帮带 2 地区代码":    KindOutOfScope,
			"需求清单 2 解决日期":    Kind("END_BEFORE_START"),
			"科技特派员选派 2 需求编号": KindUnknownReference,
		}
		got := map[string]Kind{}
		for _, p := range rep.Problems {
			got[fmt.Sprintf("%s %d %s", p.Sheet, p.Row, p.Column)] = p.Kind
		}
		if !maps.Equal(got, want) {
			t.Fatalf("problems %v, want %v\n%s", got, want, rep)
		}
	})
}
