package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/post"
	"yanzhen/ent/reward"
	"yanzhen/ent/servicerecord"
	"yanzhen/ent/trainingclass"
	"yanzhen/vocab"
)

// The plan is the whole demo population in memory, built area by area and
// then written in dependency order. Records point at each other; IDs are
// filled in as rows are written.

type institutionPlan struct {
	ExternalID string
	Name       string
	Kind       institution.Kind
	RegionID   int // 0: none
	ID         int
	regionCode string
}

type postPlan struct {
	Who       *profile
	Region    *place
	Role      post.Role
	List      post.ReserveList
	Dispatch  post.DispatchLevel
	Unit      string
	Sender    *institutionPlan
	Cluster   string
	Start     time.Time
	End       time.Time // zero: current
	EndReason string
	Exit      post.ExitKind     // how it ended; empty: not said
	Team      *residentTeamPlan // a resident cadre's 驻村工作队
	ID        int
}

// termPlan is a county's 换届 (ent Term).
type termPlan struct {
	County  *place
	Name    string
	Number  int
	Elected time.Time
}

// classPlan is a training class (培训班次).
type classPlan struct {
	Region     *place
	Name       string
	Kind       trainingclass.Kind
	Organizer  string
	Place      string
	Starts     time.Time
	Ends       time.Time
	Hours      float64
	ID         int
	enrolments []*enrolmentPlan
}

// enrolmentPlan is a trainee's place in a class; Hours < 0: not recorded
// (a completed enrolment is then credited the class's hours).
type enrolmentPlan struct {
	Class     *classPlan
	Who       *profile
	Region    *place
	Completed bool
	Hours     float64
	Result    string
}

// attributePlan is one dated period of a person's attribute (学历提升 …):
// From zero is "since ever", Until zero "still".
type attributePlan struct {
	Who         *profile
	Attribute   personattribute.Attribute
	Value       string
	From, Until time.Time
	Note        string
}

type mentorshipPlan struct {
	ExternalID     string
	Mentor, Mentee *profile
	Program        mentorship.Program
	Region         *place
	Start, End     time.Time // End zero: open
	Status         mentorship.Status
	Goals, Outcome string
}

type appointmentPlan struct {
	ExternalID  string
	Who         *profile
	Village     *place
	Kind        adviserappointment.Kind
	Start       time.Time
	Certificate string
	ID          int
}

type contactPlan struct {
	Appointment *appointmentPlan
	Date        time.Time
	Mode        contactlog.Mode
	By          *profile
	Notes       string
}

type demandPlan struct {
	ExternalID string
	Region     *place
	Field      vocab.AgriculturalField
	Text       string
	Status     demand.Status
	Raised     time.Time
	Closed     time.Time // zero: open or matched
	ID         int
}

type assignmentPlan struct {
	ExternalID string
	Expert     *profile
	Region     *place
	Fields     []vocab.AgriculturalField
	Signed     bool
	Subsidy    int64
	Demand     *demandPlan
	Start      time.Time
	ID         int
}

type servicePlan struct {
	Assignment    *assignmentPlan
	Date          time.Time
	Kind          servicerecord.Kind
	Beneficiaries int
	Notes         string
}

type contributionPlan struct {
	ExternalID  string
	Kind        contribution.Kind
	Amount      int64
	Date        time.Time
	Text        string
	Village     *place
	Appointment *appointmentPlan
	Assignment  *assignmentPlan
	Follows     *contributionPlan // the step of the outcome chain before it
	ID          int
}

// dutyPlan is an item of a cadre's duty list (履职清单).
type dutyPlan struct {
	Who      *profile
	Village  *place
	Year     int
	Task     string
	Kind     dutyitem.Kind
	Deadline time.Time
	Done     time.Time // zero: not done
}

// assessmentPlan is a cadre's annual assessment (年度考核, 述职评议).
type assessmentPlan struct {
	Who         *profile
	Region      *place
	Year        int
	Grade       assessment.Grade
	Score       float64
	Rank, Among int
	Pledge      string
}

// rewardPlan is a reward (奖惩) of a cadre.
type rewardPlan struct {
	Who    *profile
	Region *place
	Title  string
	Level  reward.Level
	Date   time.Time
	Amount int64 // 0: none
}

// auditPlan is an audit of office (届中审计) of a village and its
// secretary in office on the day.
type auditPlan struct {
	Region    *place
	Who       *profile // nil: the village had no secretary that day
	Date      time.Time
	Findings  string
	FollowUp  string
	Rectified bool
}

type plan struct {
	asOf          time.Time
	seq           map[string]int
	institutions  []*institutionPlan
	people        []*profile
	posts         []*postPlan
	mentorships   []*mentorshipPlan
	appointments  []*appointmentPlan
	contacts      []*contactPlan
	demands       []*demandPlan
	assignments   []*assignmentPlan
	services      []*servicePlan
	contributions []*contributionPlan
	duties        []*dutyPlan
	assessments   []*assessmentPlan
	rewards       []*rewardPlan
	audits        []*auditPlan
	terms         []*termPlan
	classes       []*classPlan
	enrolments    []*enrolmentPlan
	attributes    []*attributePlan
	// The workflows (workflows.go).
	residentAreas       []*residentAreaPlan
	residentTeams       []*residentTeamPlan
	residentAssessments []*residentAssessmentPlan
	candidacies         []*candidacyPlan
}

func newPlan(asOf time.Time) *plan { return &plan{asOf: asOf, seq: map[string]int{}} }

// extID numbers the records of one kind: DEMO-M-00001.
func (p *plan) extID(kind string) string {
	p.seq[kind]++
	return fmt.Sprintf("%s%s-%05d", ExternalIDPrefix, kind, p.seq[kind])
}

func (p *plan) institution(name string, kind institution.Kind, regionCode string) *institutionPlan {
	in := &institutionPlan{ExternalID: p.extID("I"), Name: name, Kind: kind, regionCode: regionCode}
	p.institutions = append(p.institutions, in)
	return in
}

func (p *plan) add(pp *profile) *profile { p.people = append(p.people, pp); return pp }

func (p *plan) post(pp *postPlan) *postPlan { p.posts = append(p.posts, pp); return pp }

// elections records a county's 2018 and 2021 换届 (第十一届, 第十二届).
func (p *plan) elections(county *place, d2018, d2021 time.Time) {
	p.terms = append(p.terms,
		&termPlan{County: county, Name: "2018年村“两委”换届", Number: 11, Elected: d2018},
		&termPlan{County: county, Name: "2021年村“两委”换届", Number: 12, Elected: d2021})
}

func (p *plan) class(c *classPlan) *classPlan { p.classes = append(p.classes, c); return c }

// enrol puts who in class c, recorded in region (where they serve).
func (p *plan) enrol(c *classPlan, who *profile, region *place, completed bool, hours float64, result string) {
	e := &enrolmentPlan{Class: c, Who: who, Region: region, Completed: completed, Hours: hours, Result: result}
	c.enrolments = append(c.enrolments, e)
	p.enrolments = append(p.enrolments, e)
}

// upgrade records a 学历提升 of who on day: the old education until the day,
// the new one from it; the person's column holds the new (today's) value.
func (p *plan) upgrade(who *profile, old, now person.Education, day time.Time, note string) {
	who.Education = now
	p.attributes = append(p.attributes,
		&attributePlan{Who: who, Attribute: personattribute.AttributeEDUCATION, Value: string(old), Until: day},
		&attributePlan{Who: who, Attribute: personattribute.AttributeEDUCATION, Value: string(now), From: day, Note: note})
}

func (p *plan) mentor(mentor, mentee *profile, program mentorship.Program, where *place, start, end time.Time, status mentorship.Status, goals, outcome string) {
	p.mentorships = append(p.mentorships, &mentorshipPlan{
		ExternalID: p.extID("M"), Mentor: mentor, Mentee: mentee, Program: program, Region: where,
		Start: start, End: end, Status: status, Goals: goals, Outcome: outcome,
	})
}

// check verifies what the rules in ent/schema/rules.go would verify row by
// row, over the whole plan at once: in a bulk insert the hooks cannot see the
// rows of the same batch.
func (p *plan) check() error {
	// One secretary at a time per village.
	byVillage := map[int][]*postPlan{}
	for _, x := range p.posts {
		if x.Role == post.RolePARTY_SECRETARY || x.Role == post.RoleSECRETARY_AND_DIRECTOR {
			byVillage[x.Region.ID] = append(byVillage[x.Region.ID], x)
		}
		if !x.End.IsZero() && x.End.Before(x.Start) {
			return fmt.Errorf("demo plan: a post in %s ends before it starts", x.Region.Code)
		}
		if !x.Start.Before(p.asOf.AddDate(0, 0, 1)) {
			return fmt.Errorf("demo plan: a post in %s starts after the as-of date", x.Region.Code)
		}
	}
	for _, ps := range byVillage {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Start.Before(ps[j].Start) })
		for i := 1; i < len(ps); i++ {
			prev := ps[i-1]
			if prev.End.IsZero() || !prev.End.Before(ps[i].Start) {
				return fmt.Errorf("demo plan: two secretaries at once in %s", ps[i].Region.Code)
			}
		}
	}
	// Mentors always rank above their mentees, so no lineage can close a
	// cycle; and no pair twice while active.
	pairs := map[[2]*profile]bool{}
	for _, m := range p.mentorships {
		if m.Mentor.rank >= m.Mentee.rank {
			return fmt.Errorf("demo plan: mentorship %s does not go down the generations", m.ExternalID)
		}
		if m.Status == mentorship.StatusACTIVE {
			k := [2]*profile{m.Mentor, m.Mentee}
			if pairs[k] {
				return fmt.Errorf("demo plan: mentorship %s repeats an active pair", m.ExternalID)
			}
			pairs[k] = true
		}
		if !m.End.IsZero() && m.End.Before(m.Start) {
			return fmt.Errorf("demo plan: mentorship %s ends before it starts", m.ExternalID)
		}
	}
	for _, c := range p.contributions {
		if (c.Appointment == nil) == (c.Assignment == nil) {
			return fmt.Errorf("demo plan: contribution %s needs exactly one source", c.ExternalID)
		}
	}
	return p.checkChains()
}

// bulk is the largest batch of one CreateBulk: SQLite allows 32766 bound
// values per statement, and a person has about 20 columns.
const bulk = 500

func chunks[T any](xs []T, fn func([]T) error) error {
	for i := 0; i < len(xs); i += bulk {
		j := min(i+bulk, len(xs))
		if err := fn(xs[i:j]); err != nil {
			return err
		}
	}
	return nil
}

// write stores the plan through ent, so that every hook of the graph rules
// runs on every row.
func (p *plan) write(ctx context.Context, tx *ent.Tx) error {
	err := chunks(p.institutions, func(xs []*institutionPlan) error {
		bs := make([]*ent.InstitutionCreate, len(xs))
		for i, x := range xs {
			b := tx.Institution.Create().SetExternalID(x.ExternalID).SetName(x.Name).SetKind(x.Kind)
			if x.RegionID != 0 {
				b.SetRegionID(x.RegionID)
			}
			bs[i] = b
		}
		rows, err := tx.Institution.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing institutions: %w", err)
	}
	err = chunks(p.people, func(xs []*profile) error {
		bs := make([]*ent.PersonCreate, len(xs))
		for i, x := range xs {
			b := tx.Person.Create().SetExternalID(x.ExternalID).SetName(x.Name).SetGender(x.Gender).
				SetBirthDate(x.Birth).SetEthnicity(x.Ethnicity).SetPhone(x.Phone).SetIDNumber(x.IDNumber)
			if x.Education != "" {
				b.SetEducation(x.Education)
			}
			if x.Political != "" {
				b.SetPoliticalStatus(x.Political)
			}
			if !x.PartyJoin.IsZero() {
				b.SetPartyJoinDate(x.PartyJoin)
			}
			if len(x.Tags) > 0 {
				b.SetTags(x.Tags)
			}
			if len(x.Expertise) > 0 {
				b.SetExpertise(x.Expertise)
			}
			if x.Title != "" {
				b.SetProfessionalTitle(x.Title)
			}
			if x.HomeVillageID != 0 {
				b.SetHomeVillageID(x.HomeVillageID)
			}
			if x.institution != nil {
				b.SetInstitutionID(x.institution.ID)
			}
			bs[i] = b
		}
		rows, err := tx.Person.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing people: %w", err)
	}
	if err := p.writeResidentTeams(ctx, tx); err != nil {
		return err
	}
	err = chunks(p.posts, func(xs []*postPlan) error {
		bs := make([]*ent.PostCreate, len(xs))
		for i, x := range xs {
			b := tx.Post.Create().SetPersonID(x.Who.ID).SetRegionID(x.Region.ID).SetRole(x.Role).SetStartDate(x.Start)
			if !x.End.IsZero() {
				b.SetEndDate(x.End)
			}
			if x.EndReason != "" {
				b.SetEndReason(x.EndReason)
			}
			if x.Exit != "" {
				b.SetExitKind(x.Exit)
			}
			if x.List != "" {
				b.SetReserveList(x.List)
			}
			if x.Dispatch != "" {
				b.SetDispatchLevel(x.Dispatch)
			}
			if x.Unit != "" {
				b.SetSendingUnit(x.Unit)
			}
			if x.Sender != nil {
				b.SetSendingInstitutionID(x.Sender.ID)
			}
			if x.Cluster != "" {
				b.SetCluster(x.Cluster)
			}
			if x.Team != nil {
				b.SetTeamID(x.Team.ID)
			}
			bs[i] = b
		}
		rows, err := tx.Post.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing posts: %w", err)
	}
	err = chunks(p.mentorships, func(xs []*mentorshipPlan) error {
		bs := make([]*ent.MentorshipCreate, len(xs))
		for i, x := range xs {
			b := tx.Mentorship.Create().SetExternalID(x.ExternalID).SetMentorID(x.Mentor.ID).SetMenteeID(x.Mentee.ID).
				SetProgram(x.Program).SetStartDate(x.Start).SetStatus(x.Status)
			if x.Region != nil {
				b.SetRegionID(x.Region.ID)
			}
			if !x.End.IsZero() {
				b.SetEndDate(x.End)
			}
			if x.Goals != "" {
				b.SetGoals(x.Goals)
			}
			if x.Outcome != "" {
				b.SetOutcome(x.Outcome)
			}
			bs[i] = b
		}
		_, err := tx.Mentorship.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing mentorships: %w", err)
	}
	err = chunks(p.appointments, func(xs []*appointmentPlan) error {
		bs := make([]*ent.AdviserAppointmentCreate, len(xs))
		for i, x := range xs {
			bs[i] = tx.AdviserAppointment.Create().SetExternalID(x.ExternalID).SetPersonID(x.Who.ID).
				SetVillageID(x.Village.ID).SetKind(x.Kind).SetStartDate(x.Start).SetCertificateNo(x.Certificate)
		}
		rows, err := tx.AdviserAppointment.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing adviser appointments: %w", err)
	}
	err = chunks(p.contacts, func(xs []*contactPlan) error {
		bs := make([]*ent.ContactLogCreate, len(xs))
		for i, x := range xs {
			b := tx.ContactLog.Create().SetAppointmentID(x.Appointment.ID).SetDate(x.Date).SetMode(x.Mode).SetNotes(x.Notes)
			if x.By != nil {
				b.SetContactedByID(x.By.ID)
			}
			bs[i] = b
		}
		_, err := tx.ContactLog.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing contact logs: %w", err)
	}
	err = chunks(p.demands, func(xs []*demandPlan) error {
		bs := make([]*ent.DemandCreate, len(xs))
		for i, x := range xs {
			b := tx.Demand.Create().SetExternalID(x.ExternalID).SetRegionID(x.Region.ID).SetField(x.Field).
				SetDescription(x.Text).SetStatus(x.Status).SetRaisedOn(x.Raised)
			if !x.Closed.IsZero() {
				b.SetClosedOn(x.Closed)
			}
			bs[i] = b
		}
		rows, err := tx.Demand.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing demands: %w", err)
	}
	err = chunks(p.assignments, func(xs []*assignmentPlan) error {
		bs := make([]*ent.ExpertAssignmentCreate, len(xs))
		for i, x := range xs {
			b := tx.ExpertAssignment.Create().SetExternalID(x.ExternalID).SetExpertID(x.Expert.ID).
				SetRegionID(x.Region.ID).SetFields(x.Fields).SetAgreementSigned(x.Signed).
				SetAnnualSubsidyYuan(x.Subsidy).SetStartDate(x.Start)
			if x.Demand != nil {
				b.SetDemandID(x.Demand.ID)
			}
			bs[i] = b
		}
		rows, err := tx.ExpertAssignment.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing expert assignments: %w", err)
	}
	err = chunks(p.services, func(xs []*servicePlan) error {
		bs := make([]*ent.ServiceRecordCreate, len(xs))
		for i, x := range xs {
			bs[i] = tx.ServiceRecord.Create().SetAssignmentID(x.Assignment.ID).SetDate(x.Date).SetKind(x.Kind).
				SetBeneficiaries(x.Beneficiaries).SetNotes(x.Notes)
		}
		_, err := tx.ServiceRecord.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing service records: %w", err)
	}
	// A step of an outcome chain names the one before it, so the chains
	// are written step by step.
	for _, generation := range chainGenerations(p.contributions) {
		err = chunks(generation, func(xs []*contributionPlan) error {
			bs := make([]*ent.ContributionCreate, len(xs))
			for i, x := range xs {
				b := tx.Contribution.Create().SetExternalID(x.ExternalID).SetKind(x.Kind).SetAmountYuan(x.Amount).
					SetDate(x.Date).SetDescription(x.Text).SetVillageID(x.Village.ID)
				if x.Appointment != nil {
					b.SetAppointmentID(x.Appointment.ID)
				} else {
					b.SetAssignmentID(x.Assignment.ID)
				}
				if x.Follows != nil {
					b.SetFollowsID(x.Follows.ID)
				}
				bs[i] = b
			}
			rows, err := tx.Contribution.CreateBulk(bs...).Save(ctx)
			for i := range rows {
				xs[i].ID = rows[i].ID
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("writing contributions: %w", err)
		}
	}
	err = chunks(p.duties, func(xs []*dutyPlan) error {
		bs := make([]*ent.DutyItemCreate, len(xs))
		for i, x := range xs {
			b := tx.DutyItem.Create().SetPersonID(x.Who.ID).SetRegionID(x.Village.ID).SetYear(x.Year).
				SetTask(x.Task).SetKind(x.Kind).SetDeadline(x.Deadline)
			if !x.Done.IsZero() {
				b.SetStatus(dutyitem.StatusDONE).SetCompletedOn(x.Done)
			}
			bs[i] = b
		}
		_, err := tx.DutyItem.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing duty items: %w", err)
	}
	err = chunks(p.assessments, func(xs []*assessmentPlan) error {
		bs := make([]*ent.AssessmentCreate, len(xs))
		for i, x := range xs {
			bs[i] = tx.Assessment.Create().SetPersonID(x.Who.ID).SetRegionID(x.Region.ID).SetYear(x.Year).
				SetGrade(x.Grade).SetReviewScore(x.Score).SetRank(x.Rank).SetRankedAmong(x.Among).
				SetRankScope(assessment.RankScopeTOWNSHIP).SetPledge(x.Pledge)
		}
		_, err := tx.Assessment.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing assessments: %w", err)
	}
	err = chunks(p.rewards, func(xs []*rewardPlan) error {
		bs := make([]*ent.RewardCreate, len(xs))
		for i, x := range xs {
			b := tx.Reward.Create().SetPersonID(x.Who.ID).SetRegionID(x.Region.ID).SetKind(reward.KindREWARD).
				SetTitle(x.Title).SetLevel(x.Level).SetDate(x.Date)
			if x.Amount > 0 {
				b.SetAmountYuan(x.Amount)
			}
			bs[i] = b
		}
		_, err := tx.Reward.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing rewards: %w", err)
	}
	err = chunks(p.audits, func(xs []*auditPlan) error {
		bs := make([]*ent.OfficeAuditCreate, len(xs))
		for i, x := range xs {
			b := tx.OfficeAudit.Create().SetRegionID(x.Region.ID).SetKind(officeaudit.KindMID_TERM).
				SetDate(x.Date).SetFindings(x.Findings).SetFollowUp(x.FollowUp).SetStatus(officeaudit.StatusOPEN)
			if x.Rectified {
				b.SetStatus(officeaudit.StatusRECTIFIED)
			}
			if x.Who != nil {
				b.SetPersonID(x.Who.ID)
			}
			bs[i] = b
		}
		_, err := tx.OfficeAudit.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing audits of office: %w", err)
	}
	err = chunks(p.terms, func(xs []*termPlan) error {
		bs := make([]*ent.TermCreate, len(xs))
		for i, x := range xs {
			bs[i] = tx.Term.Create().SetRegionID(x.County.ID).SetName(x.Name).SetNumber(x.Number).SetElectedOn(x.Elected)
		}
		_, err := tx.Term.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing terms: %w", err)
	}
	err = chunks(p.classes, func(xs []*classPlan) error {
		bs := make([]*ent.TrainingClassCreate, len(xs))
		for i, x := range xs {
			b := tx.TrainingClass.Create().SetRegionID(x.Region.ID).SetName(x.Name).SetKind(x.Kind).
				SetOrganizer(x.Organizer).SetPlace(x.Place).SetStartsOn(x.Starts).SetHours(x.Hours)
			if !x.Ends.IsZero() {
				b.SetEndsOn(x.Ends)
			}
			bs[i] = b
		}
		rows, err := tx.TrainingClass.CreateBulk(bs...).Save(ctx)
		for i := range rows {
			xs[i].ID = rows[i].ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("writing training classes: %w", err)
	}
	err = chunks(p.enrolments, func(xs []*enrolmentPlan) error {
		bs := make([]*ent.TrainingEnrolmentCreate, len(xs))
		for i, x := range xs {
			b := tx.TrainingEnrolment.Create().SetClassID(x.Class.ID).SetPersonID(x.Who.ID).SetRegionID(x.Region.ID).
				SetCompleted(x.Completed)
			if x.Hours >= 0 {
				b.SetHours(x.Hours)
			}
			if x.Result != "" {
				b.SetResult(x.Result)
			}
			bs[i] = b
		}
		_, err := tx.TrainingEnrolment.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing training enrolments: %w", err)
	}
	err = chunks(p.attributes, func(xs []*attributePlan) error {
		bs := make([]*ent.PersonAttributeCreate, len(xs))
		for i, x := range xs {
			b := tx.PersonAttribute.Create().SetPersonID(x.Who.ID).SetAttribute(x.Attribute).SetValue(x.Value)
			if !x.From.IsZero() {
				b.SetValidFrom(x.From)
			}
			if !x.Until.IsZero() {
				b.SetValidUntil(x.Until)
			}
			if x.Note != "" {
				b.SetNote(x.Note)
			}
			bs[i] = b
		}
		_, err := tx.PersonAttribute.CreateBulk(bs...).Save(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing attribute periods: %w", err)
	}
	return p.writeWorkflows(ctx, tx)
}
