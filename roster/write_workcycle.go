package roster

import (
	"yanzhen/ent"
	"yanzhen/ent/assessment"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/reward"
	"yanzhen/ent/trainingclass"
)

// Writing the sheets of the work cycle. An empty cell never erases what is
// on file; what a record's key holds is set on create only.

func (w *writer) writeAssessments() error {
	apply := func(m *ent.AssessmentMutation, x *assessmentRec) {
		m.SetGrade(assessment.Grade(x.grade))
		if x.score != nil {
			m.SetReviewScore(*x.score)
		}
		if x.rank != nil {
			m.SetRank(*x.rank)
		}
		if x.among != nil {
			m.SetRankedAmong(*x.among)
		}
		if x.rankScope != "" {
			m.SetRankScope(assessment.RankScope(x.rankScope))
		}
		if x.pledge != "" {
			m.SetPledge(x.pledge)
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.assessments, func(x *assessmentRec) error {
		u := w.c.Assessment.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.assessments, func(x *assessmentRec) *ent.AssessmentCreate {
		b := w.c.Assessment.Create().SetPersonID(x.person.ID()).SetRegionID(x.regionID).SetYear(x.year)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.AssessmentCreate) ([]*ent.Assessment, error) {
		return w.c.Assessment.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Assessment) int { return e.ID })
}

func (w *writer) writeDutyItems() error {
	apply := func(m *ent.DutyItemMutation, x *dutyRec) {
		m.SetKind(dutyitem.Kind(x.kind))
		if x.deadline != nil {
			m.SetDeadline(*x.deadline)
		}
		if x.status != "" {
			m.SetStatus(dutyitem.Status(x.status))
		}
		if x.completed != nil {
			m.SetCompletedOn(*x.completed)
		}
		if x.evidence != "" {
			m.SetEvidence(x.evidence)
		}
		if x.reviewer != "" {
			m.SetReviewedBy(x.reviewer)
		}
	}
	if err := updateAll(w.importer, w.duties, func(x *dutyRec) error {
		u := w.c.DutyItem.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.duties, func(x *dutyRec) *ent.DutyItemCreate {
		b := w.c.DutyItem.Create().SetPersonID(x.person.ID()).SetRegionID(x.villageID).SetYear(x.year).SetTask(x.task)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.DutyItemCreate) ([]*ent.DutyItem, error) {
		return w.c.DutyItem.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.DutyItem) int { return e.ID })
}

func (w *writer) writeRewards() error {
	apply := func(m *ent.RewardMutation, x *rewardRec) {
		m.SetKind(reward.Kind(x.kind))
		m.SetLevel(reward.Level(x.level))
		if x.amount != nil {
			m.SetAmountYuan(*x.amount)
		}
		if x.docNo != "" {
			m.SetDocumentNo(x.docNo)
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.rewards, func(x *rewardRec) error {
		u := w.c.Reward.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.rewards, func(x *rewardRec) *ent.RewardCreate {
		b := w.c.Reward.Create().SetPersonID(x.person.ID()).SetRegionID(x.regionID).SetTitle(x.title).SetDate(x.date)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.RewardCreate) ([]*ent.Reward, error) {
		return w.c.Reward.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Reward) int { return e.ID })
}

func (w *writer) writeStarRatings() error {
	apply := func(m *ent.StarRatingMutation, x *starRec) {
		m.SetStars(x.stars)
		if x.title != "" {
			m.SetTitle(x.title)
		}
		if x.ratedBy != "" {
			m.SetRatedBy(x.ratedBy)
		}
		if x.date != nil {
			m.SetDate(*x.date)
		}
	}
	if err := updateAll(w.importer, w.stars, func(x *starRec) error {
		u := w.c.StarRating.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.stars, func(x *starRec) *ent.StarRatingCreate {
		b := w.c.StarRating.Create().SetVillageID(x.villageID).SetYear(x.year)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.StarRatingCreate) ([]*ent.StarRating, error) {
		return w.c.StarRating.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.StarRating) int { return e.ID })
}

func (w *writer) writeOfficeAudits() error {
	apply := func(m *ent.OfficeAuditMutation, x *auditRec) {
		m.SetFindings(x.findings)
		if x.person.ok() {
			m.SetPersonID(x.person.ID())
		}
		if x.followUp != "" {
			m.SetFollowUp(x.followUp)
		}
		if x.status != "" {
			m.SetStatus(officeaudit.Status(x.status))
		}
	}
	if err := updateAll(w.importer, w.audits, func(x *auditRec) error {
		u := w.c.OfficeAudit.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.audits, func(x *auditRec) *ent.OfficeAuditCreate {
		b := w.c.OfficeAudit.Create().SetRegionID(x.villageID).SetKind(officeaudit.Kind(x.kind)).SetDate(x.date)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.OfficeAuditCreate) ([]*ent.OfficeAudit, error) {
		return w.c.OfficeAudit.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.OfficeAudit) int { return e.ID })
}

func (w *writer) writeTerms() error {
	apply := func(m *ent.TermMutation, x *termRec) {
		m.SetName(x.name)
		if x.number != nil {
			m.SetNumber(*x.number)
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.terms, func(x *termRec) error {
		u := w.c.Term.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.terms, func(x *termRec) *ent.TermCreate {
		b := w.c.Term.Create().SetRegionID(x.countyID).SetElectedOn(x.electedOn)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.TermCreate) ([]*ent.Term, error) {
		return w.c.Term.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.Term) int { return e.ID })
}

func (w *writer) writeTrainingClasses() error {
	apply := func(m *ent.TrainingClassMutation, x *classRec) {
		m.SetKind(trainingclass.Kind(x.kind))
		if x.organizer != "" {
			m.SetOrganizer(x.organizer)
		}
		if x.place != "" {
			m.SetPlace(x.place)
		}
		if x.ends != nil {
			m.SetEndsOn(*x.ends)
		}
		if x.hours != nil {
			m.SetHours(*x.hours)
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.classes, func(x *classRec) error {
		u := w.c.TrainingClass.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.classes, func(x *classRec) *ent.TrainingClassCreate {
		b := w.c.TrainingClass.Create().SetRegionID(x.regionID).SetName(x.name).SetStartsOn(x.starts)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.TrainingClassCreate) ([]*ent.TrainingClass, error) {
		return w.c.TrainingClass.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.TrainingClass) int { return e.ID })
}

func (w *writer) writeTrainingEnrolments() error {
	apply := func(m *ent.TrainingEnrolmentMutation, x *enrolRec) {
		if x.completed != nil {
			m.SetCompleted(*x.completed)
		}
		if x.hours != nil {
			m.SetHours(*x.hours)
		}
		if x.result != "" {
			m.SetResult(x.result)
		}
	}
	if err := updateAll(w.importer, w.enrolments, func(x *enrolRec) error {
		u := w.c.TrainingEnrolment.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.enrolments, func(x *enrolRec) *ent.TrainingEnrolmentCreate {
		b := w.c.TrainingEnrolment.Create().SetClassID(x.class.ID()).SetPersonID(x.person.ID()).SetRegionID(x.regionID)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.TrainingEnrolmentCreate) ([]*ent.TrainingEnrolment, error) {
		return w.c.TrainingEnrolment.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.TrainingEnrolment) int { return e.ID })
}
