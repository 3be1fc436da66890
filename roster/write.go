package roster

import (
	"fmt"

	"yanzhen/audit"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/privacy"
	"yanzhen/ent/servicerecord"
	"yanzhen/insight/figures"
	"yanzhen/insight/searchkey/keyrows"
	"yanzhen/rules"
	"yanzhen/scope"
	"yanzhen/scope/places"
	"yanzhen/vocab"
)

// batch is the number of rows of one multi-row INSERT: a person has about
// 20 columns, well below PostgreSQL's 65,535 parameters.
const batch = 1000

// write applies the validated workbook in one transaction: every change or
// none. The ent hooks run on every row and check the rules once more.
func (imp *importer) write() (err error) {
	tx, err := imp.c.Tx(imp.ctx)
	if err != nil {
		return fmt.Errorf("writing the roster: %w", err)
	}
	defer func() {
		// A panic too leaves nothing half-written, and frees the
		// connection (on SQLite, the write lock) before it goes on up.
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	// Every person and record the rows link to was found with the viewer's
	// own queries during validation: the per-row link check is not repeated.
	imp.ctx = scope.WithLinksChecked(imp.ctx)
	// The rows name the same villages again and again.
	imp.ctx = rules.WithRegionMemo(imp.ctx)
	// The rows' audit entries (written by the entity hooks for users, not
	// for the system) are collected and written at the end in one batch
	// with the import's own entry, not two statements per row.
	var entries *audit.Batch
	imp.ctx, entries = audit.WithBatch(imp.ctx)
	// So are the people's search keys (the person hook's rows).
	var keys *keyrows.Batch
	imp.ctx, keys = keyrows.WithBatch(imp.ctx)
	// And the people whose places (person_places) the rows' links change.
	var placed *places.Batch
	imp.ctx, placed = places.WithBatch(imp.ctx)
	// And the regions whose kept figures (region_figures) the rows change,
	// marked at the end so that their rows are locked only then.
	var counted *figures.Batch
	imp.ctx, counted = figures.WithBatch(imp.ctx)
	w := &writer{importer: imp, c: tx.Client()}
	steps := []struct {
		sheet string
		fn    func() error
	}{
		{"机构", w.writeInstitutions}, {"人员", w.writePeople}, {"片区", w.writeResidentAreas}, {"驻村工作队", w.writeResidentTeams},
		{"任职", w.writePosts}, {"结对帮带", w.writeMentorships},
		{"顾问聘任", w.writeAppointments}, {"联系记录", w.writeContactLogs}, {"需求清单", w.writeDemands},
		{"科技特派员选派", w.writeAssignments}, {"服务记录", w.writeServiceRecords}, {"成效", w.writeContributions},
		{"年度考核", w.writeAssessments}, {"履职清单", w.writeDutyItems}, {"奖惩", w.writeRewards},
		{"星级评定", w.writeStarRatings}, {"审计", w.writeOfficeAudits}, {"换届", w.writeTerms},
		{"培训班次", w.writeTrainingClasses}, {"培训学员", w.writeTrainingEnrolments},
		{"驻村考核", w.writeResidentAssessments}, {"合作任务书", w.writeExpertAgreements},
		{"专家补贴", w.writeSubsidyPayments}, {"博士农场", w.writeDoctorFarms},
	}
	for _, st := range steps {
		if err := st.fn(); err != nil {
			return fmt.Errorf("writing sheet %s; nothing was written / 写入「%s」失败，未写入任何数据: %w", st.sheet, st.sheet, err)
		}
	}
	// One entry for the whole import.
	counts := map[string]any{}
	for _, c := range imp.rep.Counts {
		counts[c.Sheet] = map[string]int{"created": c.Created, "updated": c.Updated}
	}
	entries.Record(imp.ctx, audit.Entry{Action: auditlog.ActionIMPORT, EntityType: "Roster", After: counts})
	imp.rep.Written = true
	defer func() {
		if err != nil {
			imp.rep.Written = false
		}
	}()
	if imp.beforeCommit != nil {
		if err := imp.beforeCommit(imp.ctx, tx.Client(), imp.rep); err != nil {
			return err
		}
	}
	// Last, so that whatever beforeCommit changed is in the batches too.
	if err := keys.Flush(imp.ctx, tx.Client()); err != nil {
		return fmt.Errorf("writing search keys: %w", err)
	}
	if err := counted.Flush(imp.ctx, tx.Client()); err != nil {
		return err
	}
	if err := placed.Flush(imp.ctx, tx.Client()); err != nil {
		return fmt.Errorf("recording the people's places: %w", err)
	}
	if err := entries.Flush(imp.ctx, tx.Client()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the roster: %w", err)
	}
	return nil
}

type writer struct {
	*importer
	c *ent.Client
}

// createAll inserts the rows to create in batches and records their IDs.
func createAll[R hasRec, B any, E any](imp *importer, recs []R, build func(R) B, save func([]B) ([]E, error), id func(E) int) error {
	var todo []R
	for _, r := range recs {
		if r.base().action == create {
			todo = append(todo, r)
		}
	}
	return chunked(todo, batch, func(rs []R) error {
		bs := make([]B, len(rs))
		for i, r := range rs {
			bs[i] = build(r)
		}
		es, err := save(bs)
		if err != nil {
			return err
		}
		for i, e := range es {
			rs[i].base().id = id(e)
		}
		imp.advance(len(rs))
		return nil
	})
}

// updateAll saves the rows to update one by one (re-imports change few).
func updateAll[R hasRec](imp *importer, recs []R, save func(R) error) error {
	for _, r := range recs {
		if r.base().action == update {
			if err := save(r); err != nil {
				return fmt.Errorf("row %d: %w", r.base().line, err)
			}
			imp.advance(1)
		}
	}
	return nil
}

func (w *writer) writeInstitutions() error {
	apply := func(m *ent.InstitutionMutation, x *instRec) {
		m.SetName(x.name)
		m.SetKind(institution.Kind(x.kind))
		if x.regionID != nil {
			m.SetRegionID(*x.regionID)
		}
	}
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.insts, func(x *instRec) error {
		u := w.c.Institution.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.insts, func(x *instRec) *ent.InstitutionCreate {
		b := w.c.Institution.Create().SetExternalID(x.no)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.InstitutionCreate) ([]*ent.Institution, error) {
		return w.c.Institution.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Institution) int { return e.ID })
}

func (w *writer) writePeople() error {
	apply := func(m *ent.PersonMutation, p *personRec) {
		m.SetName(p.name)
		if p.gender != "" {
			m.SetGender(person.Gender(p.gender))
		}
		if p.birth != nil {
			m.SetBirthDate(*p.birth)
			if p.birthMonth { // else DAY: the person hook clears a MONTH on file
				m.SetBirthDatePrecision(person.BirthDatePrecisionMONTH)
			}
		}
		if p.ethnicity != "" {
			m.SetEthnicity(p.ethnicity)
		}
		if p.education != "" {
			m.SetEducation(person.Education(p.education))
		}
		if p.political != "" {
			m.SetPoliticalStatus(person.PoliticalStatus(p.political))
		}
		if p.partyJoin != nil {
			m.SetPartyJoinDate(*p.partyJoin)
		}
		if p.phone != "" {
			m.SetPhone(p.phone)
		}
		if p.idNumber != "" {
			m.SetIDNumber(p.idNumber)
		}
		if p.homeID != nil {
			m.SetHomeVillageID(*p.homeID)
		}
		if p.inst.ok() {
			m.SetInstitutionID(p.inst.ID())
		}
		if p.hasTags {
			tags := make([]vocab.PersonTag, len(p.tags))
			for i, t := range p.tags {
				tags[i] = vocab.PersonTag(t)
			}
			m.SetTags(tags)
		}
		if p.hasFields {
			m.SetExpertise(toFields(p.fields))
		}
		if p.title != "" {
			m.SetProfessionalTitle(p.title)
		}
	}
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.people, func(p *personRec) error {
		u := w.c.Person.UpdateOneID(p.id)
		if p.setNo {
			u.SetExternalID(p.no)
		}
		apply(u.Mutation(), p)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	if err := createAll(w.importer, w.people, func(p *personRec) *ent.PersonCreate {
		b := w.c.Person.Create()
		if p.no != "" {
			b.SetExternalID(p.no)
		}
		apply(b.Mutation(), p)
		return b
	}, func(bs []*ent.PersonCreate) ([]*ent.Person, error) {
		return w.c.Person.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Person) int { return e.ID }); err != nil {
		return err
	}
	return w.writeSourceKeys()
}

// writeSourceKeys records each row's 人员编号 as its source's key of the
// person. The person's own write passed its policy just before; the keys,
// an internal table, are written with an internal decision.
func (w *writer) writeSourceKeys() error {
	var todo []*ent.PersonExternalKeyCreate
	var introduced []int
	for _, p := range w.people {
		if p.setKey && p.id != 0 {
			todo = append(todo, w.c.PersonExternalKey.Create().SetPersonID(p.id).SetSource(w.source).SetKey(p.no))
		}
		if p.introduced {
			introduced = append(introduced, p.id)
		}
	}
	if len(introduced) > 0 {
		// As introducePerson records it: who was brought in from another
		// area by full ID number and name, to be linked by this roster.
		if err := audit.Record(w.ctx, w.c, audit.Entry{
			Action: auditlog.ActionINTRODUCE, EntityType: "Person", ObjectIDs: introduced,
		}); err != nil {
			return err
		}
	}
	internal := privacy.DecisionContext(w.ctx, privacy.Allow)
	return chunked(todo, batch, func(bs []*ent.PersonExternalKeyCreate) error {
		return w.c.PersonExternalKey.CreateBulk(bs...).Exec(internal)
	})
}

func toFields(codes []string) []vocab.AgriculturalField {
	out := make([]vocab.AgriculturalField, len(codes))
	for i, f := range codes {
		out[i] = vocab.AgriculturalField(f)
	}
	return out
}

func (w *writer) writePosts() error {
	apply := func(m *ent.PostMutation, x *postRec) {
		if x.end != nil {
			m.SetEndDate(*x.end)
		}
		if x.reserve != "" {
			m.SetReserveList(post.ReserveList(x.reserve))
		}
		if x.level != "" {
			m.SetDispatchLevel(post.DispatchLevel(x.level))
		}
		if x.sendingUnit != "" {
			m.SetSendingUnit(x.sendingUnit)
		}
		if x.sendingInst.ok() {
			m.SetSendingInstitutionID(x.sendingInst.ID())
		}
		if x.cluster != "" {
			m.SetCluster(x.cluster)
		}
		if x.endReason != "" {
			m.SetEndReason(x.endReason)
		}
		if x.exitKind != "" {
			m.SetExitKind(post.ExitKind(x.exitKind))
		}
		if x.team.ok() {
			m.SetTeamID(x.team.ID())
		}
	}
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.posts, func(x *postRec) error {
		u := w.c.Post.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return w.createPosts(func(x *postRec) *ent.PostCreate {
		b := w.c.Post.Create().SetPersonID(x.person.ID()).SetRegionID(x.regionID).
			SetRole(post.Role(x.role)).SetStartDate(x.start)
		if x.rehire.ok() {
			b.SetRehiredFromID(x.rehire.ID())
		}
		apply(b.Mutation(), x)
		return b
	})
}

func (w *writer) writeMentorships() error {
	// Updates first: a term ended in the roster makes room for the next.
	apply := func(m *ent.MentorshipMutation, x *mentorshipRec) {
		m.SetProgram(mentorship.Program(x.program))
		m.SetStartDate(x.start)
		if x.end != nil {
			m.SetEndDate(*x.end)
		}
		if x.status != "" {
			m.SetStatus(mentorship.Status(x.status))
		}
		if x.regionID != nil {
			m.SetRegionID(*x.regionID)
		}
		if x.goals != "" {
			m.SetGoals(x.goals)
		}
		if x.outcome != "" {
			m.SetOutcome(x.outcome)
		}
	}
	if err := updateAll(w.importer, w.mentorships, func(x *mentorshipRec) error {
		u := w.c.Mentorship.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.mentorships, func(x *mentorshipRec) *ent.MentorshipCreate {
		b := w.c.Mentorship.Create().SetExternalID(x.no).SetMentorID(x.mentor.ID()).SetMenteeID(x.mentee.ID())
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.MentorshipCreate) ([]*ent.Mentorship, error) {
		return w.c.Mentorship.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Mentorship) int { return e.ID })
}

func (w *writer) writeAppointments() error {
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.appts, func(x *apptRec) error {
		u := w.c.AdviserAppointment.UpdateOneID(x.id).SetKind(adviserappointment.Kind(x.kind)).
			SetStartDate(x.start).SetNillableEndDate(x.end)
		if x.cert != "" {
			u.SetCertificateNo(x.cert)
		}
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.appts, func(x *apptRec) *ent.AdviserAppointmentCreate {
		b := w.c.AdviserAppointment.Create().SetExternalID(x.no).SetPersonID(x.person.ID()).SetVillageID(x.villageID).
			SetKind(adviserappointment.Kind(x.kind)).SetStartDate(x.start).SetNillableEndDate(x.end)
		if x.cert != "" {
			b.SetCertificateNo(x.cert)
		}
		return b
	}, func(bs []*ent.AdviserAppointmentCreate) ([]*ent.AdviserAppointment, error) {
		return w.c.AdviserAppointment.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.AdviserAppointment) int { return e.ID })
}

func (w *writer) writeContactLogs() error {
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.logs, func(x *logRec) error {
		return w.c.ContactLog.UpdateOneID(x.id).SetNotes(x.notes).Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.logs, func(x *logRec) *ent.ContactLogCreate {
		b := w.c.ContactLog.Create().SetAppointmentID(x.appt.ID()).SetDate(x.date).SetMode(contactlog.Mode(x.mode))
		if x.contactBy.ok() {
			b.SetContactedByID(x.contactBy.ID())
		}
		if x.hasNotes {
			b.SetNotes(x.notes)
		}
		return b
	}, func(bs []*ent.ContactLogCreate) ([]*ent.ContactLog, error) {
		return w.c.ContactLog.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ContactLog) int { return e.ID })
}

func (w *writer) writeAssignments() error {
	apply := func(m *ent.ExpertAssignmentMutation, x *assignRec) {
		m.SetStartDate(x.start)
		if x.end != nil {
			m.SetEndDate(*x.end)
		}
		if x.hasFields {
			m.SetFields(toFields(x.fields))
		}
		if x.agreement != nil {
			m.SetAgreementSigned(*x.agreement)
		}
		if x.subsidy != nil {
			m.SetAnnualSubsidyYuan(*x.subsidy)
		}
		if x.demand.ok() {
			m.SetDemandID(x.demand.ID())
		}
	}
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.assigns, func(x *assignRec) error {
		u := w.c.ExpertAssignment.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.assigns, func(x *assignRec) *ent.ExpertAssignmentCreate {
		b := w.c.ExpertAssignment.Create().SetExternalID(x.no).SetExpertID(x.expert.ID()).SetRegionID(x.regionID)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ExpertAssignmentCreate) ([]*ent.ExpertAssignment, error) {
		return w.c.ExpertAssignment.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ExpertAssignment) int { return e.ID })
}

func (w *writer) writeServiceRecords() error {
	apply := func(m *ent.ServiceRecordMutation, x *serviceRec) {
		if x.beneficiaries != nil {
			m.SetBeneficiaries(int(*x.beneficiaries))
		}
		if x.hasNotes {
			m.SetNotes(x.notes)
		}
	}
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.services, func(x *serviceRec) error {
		u := w.c.ServiceRecord.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.services, func(x *serviceRec) *ent.ServiceRecordCreate {
		b := w.c.ServiceRecord.Create().SetAssignmentID(x.assign.ID()).SetDate(x.date).SetKind(servicerecord.Kind(x.kind))
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ServiceRecordCreate) ([]*ent.ServiceRecord, error) {
		return w.c.ServiceRecord.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ServiceRecord) int { return e.ID })
}

func (w *writer) writeDemands() error {
	// Updates first: a term ended in the roster makes room for the next.
	apply := func(m *ent.DemandMutation, x *demandRec) {
		m.SetFieldField(vocab.AgriculturalField(x.field))
		m.SetDescription(x.description)
		if x.status != "" {
			m.SetStatus(demand.Status(x.status))
		}
		if x.raisedOn != nil { // else, for a new demand, the day of the import
			m.SetRaisedOn(*x.raisedOn)
		}
		if x.closedOn != nil {
			m.SetClosedOn(*x.closedOn)
		}
	}
	if err := updateAll(w.importer, w.demands, func(x *demandRec) error {
		u := w.c.Demand.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.demands, func(x *demandRec) *ent.DemandCreate {
		b := w.c.Demand.Create().SetExternalID(x.no).SetRegionID(x.regionID)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.DemandCreate) ([]*ent.Demand, error) {
		return w.c.Demand.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Demand) int { return e.ID })
}

func (w *writer) writeContributions() error {
	apply := func(m *ent.ContributionMutation, x *contribRec) {
		m.SetKind(contribution.Kind(x.kind))
		m.SetDate(x.date)
		if x.amount != nil {
			m.SetAmountYuan(*x.amount)
		}
		if x.hasDescription {
			m.SetDescription(x.description)
		}
		// A step it follows that is not written yet is linked after
		// (linkContributions).
		if x.follows.ok() && x.follows.ID() != 0 {
			m.SetFollowsID(x.follows.ID())
			x.followsSet = true
		} else if x.follows.ok() && x.old != nil && x.old.FollowsID != nil {
			m.ClearFollows() // the hook would check the row against the step it leaves
		}
	}
	// Updates first: a term ended in the roster makes room for the next.
	if err := updateAll(w.importer, w.contribs, func(x *contribRec) error {
		u := w.c.Contribution.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	if err := createAll(w.importer, w.contribs, func(x *contribRec) *ent.ContributionCreate {
		b := w.c.Contribution.Create().SetExternalID(x.no).SetVillageID(x.villageID)
		if x.appt.ok() {
			b.SetAppointmentID(x.appt.ID())
		} else {
			b.SetAssignmentID(x.assign.ID())
		}
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ContributionCreate) ([]*ent.Contribution, error) {
		return w.c.Contribution.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Contribution) int { return e.ID }); err != nil {
		return err
	}
	return w.linkContributions()
}
