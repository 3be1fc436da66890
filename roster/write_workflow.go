package roster

import (
	"fmt"

	"yanzhen/ent"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
)

// Writing the sheets of resident work and the support of experts, and the
// links of 任职 and 成效 (validate_workflow.go). An empty cell never erases
// what is on file; what a record's key holds is set on create only.

func (w *writer) writeResidentAreas() error {
	apply := func(m *ent.ResidentAreaMutation, x *areaRec) {
		m.SetStartDate(x.start)
		if x.end != nil {
			m.SetEndDate(*x.end)
		}
		if x.branch != "" {
			m.SetPartyBranch(x.branch)
		}
		if x.leader.ok() {
			m.SetLeaderID(x.leader.ID())
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.areas, func(x *areaRec) error {
		u := w.c.ResidentArea.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		if x.hasVillages {
			want, have := map[int]bool{}, map[int]bool{}
			for _, id := range x.villages {
				want[id] = true
			}
			for _, v := range x.old.Edges.Villages {
				have[v.ID] = true
				if !want[v.ID] {
					u.RemoveVillageIDs(v.ID)
				}
			}
			for _, id := range x.villages {
				if !have[id] {
					u.AddVillageIDs(id)
				}
			}
		}
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.areas, func(x *areaRec) *ent.ResidentAreaCreate {
		b := w.c.ResidentArea.Create().SetRegionID(x.regionID).SetName(x.name).AddVillageIDs(x.villages...)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ResidentAreaCreate) ([]*ent.ResidentArea, error) {
		return w.c.ResidentArea.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ResidentArea) int { return e.ID })
}

func (w *writer) writeResidentTeams() error {
	apply := func(m *ent.ResidentTeamMutation, x *teamRec) {
		m.SetDispatchLevel(residentteam.DispatchLevel(x.level))
		if x.name != "" {
			m.SetName(x.name)
		}
		if x.leader.ok() {
			m.SetLeaderID(x.leader.ID())
		}
		if x.hasUnits {
			m.SetSendingUnits(x.units)
		}
		if x.area.ok() {
			m.SetAreaID(x.area.ID())
		}
		if x.end != nil {
			m.SetEndDate(*x.end)
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.teams, func(x *teamRec) error {
		u := w.c.ResidentTeam.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.teams, func(x *teamRec) *ent.ResidentTeamCreate {
		b := w.c.ResidentTeam.Create().SetVillageID(x.villageID).SetStartDate(x.start)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ResidentTeamCreate) ([]*ent.ResidentTeam, error) {
		return w.c.ResidentTeam.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ResidentTeam) int { return e.ID })
}

// createPosts creates the new posts, those a 返聘 takes back before the
// 返聘 (rehired_from is set on create only): in rounds, each creating the
// rows whose earlier post is written.
func (w *writer) createPosts(build func(*postRec) *ent.PostCreate) error {
	var todo []*postRec
	for _, x := range w.posts {
		if x.action == create {
			todo = append(todo, x)
		}
	}
	for len(todo) > 0 {
		var ready, later []*postRec
		for _, x := range todo {
			if x.rehire.ok() && x.rehire.ID() == 0 {
				later = append(later, x)
			} else {
				ready = append(ready, x)
			}
		}
		if len(ready) == 0 {
			return fmt.Errorf("row %d: the posts it takes back (返聘) take each other back", later[0].line)
		}
		if err := createAll(w.importer, ready, build, func(bs []*ent.PostCreate) ([]*ent.Post, error) {
			return w.c.Post.CreateBulk(bs...).Save(w.ctx)
		}, func(e *ent.Post) int { return e.ID }); err != nil {
			return err
		}
		todo = later
	}
	return nil
}

// linkContributions sets the previous step of the rows whose step was not
// written when they were (created in the same batch, or after them).
func (w *writer) linkContributions() error {
	for _, x := range w.contribs {
		if x.action == unchanged || !x.follows.ok() || x.followsSet {
			continue
		}
		if err := w.c.Contribution.UpdateOneID(x.id).SetFollowsID(x.follows.ID()).Exec(w.ctx); err != nil {
			return fmt.Errorf("row %d: %w", x.line, err)
		}
	}
	return nil
}

func (w *writer) writeResidentAssessments() error {
	apply := func(m *ent.ResidentAssessmentMutation, x *residentAssessmentRec) {
		m.SetGrade(residentassessment.Grade(x.grade))
		if x.assessedBy != "" {
			m.SetAssessedBy(x.assessedBy)
		}
		if x.assessedOn != nil {
			m.SetAssessedOn(*x.assessedOn)
		}
		if x.team.ok() {
			m.SetTeamID(x.team.ID())
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.residentAssessment, func(x *residentAssessmentRec) error {
		u := w.c.ResidentAssessment.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.residentAssessment, func(x *residentAssessmentRec) *ent.ResidentAssessmentCreate {
		b := w.c.ResidentAssessment.Create().SetPersonID(x.person.ID()).SetRegionID(x.villageID).
			SetKind(residentassessment.Kind(x.kind)).SetYear(x.year).SetNillablePeriod(x.period)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ResidentAssessmentCreate) ([]*ent.ResidentAssessment, error) {
		return w.c.ResidentAssessment.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ResidentAssessment) int { return e.ID })
}

func (w *writer) writeExpertAgreements() error {
	apply := func(m *ent.ExpertAgreementMutation, x *agreementRec) {
		if x.end != nil {
			m.SetEndDate(*x.end)
		}
		if x.signedOn != nil {
			m.SetSignedOn(*x.signedOn)
		}
		if x.assign.ok() {
			m.SetAssignmentID(x.assign.ID())
		}
		if x.parties != "" {
			m.SetParties(x.parties)
		}
		if x.body != "" {
			m.SetContent(x.body)
		}
		if x.targets != "" {
			m.SetTargets(x.targets)
		}
		if x.share != nil {
			m.SetProceedsSharePercent(*x.share)
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.agreements, func(x *agreementRec) error {
		u := w.c.ExpertAgreement.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.agreements, func(x *agreementRec) *ent.ExpertAgreementCreate {
		b := w.c.ExpertAgreement.Create().SetExpertID(x.expert.ID()).SetRegionID(x.regionID).SetTitle(x.title).SetStartDate(x.start)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.ExpertAgreementCreate) ([]*ent.ExpertAgreement, error) {
		return w.c.ExpertAgreement.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.ExpertAgreement) int { return e.ID })
}

func (w *writer) writeSubsidyPayments() error {
	apply := func(m *ent.SubsidyPaymentMutation, x *subsidyRec) {
		m.SetAmountYuan(x.amount)
		if x.paidOn != nil {
			m.SetPaidOn(*x.paidOn)
		}
		if x.agreement.ok() {
			m.SetAgreementID(x.agreement.ID())
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.subsidies, func(x *subsidyRec) error {
		u := w.c.SubsidyPayment.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.subsidies, func(x *subsidyRec) *ent.SubsidyPaymentCreate {
		b := w.c.SubsidyPayment.Create().SetExpertID(x.expert.ID()).SetRegionID(x.regionID).SetYear(x.year)
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.SubsidyPaymentCreate) ([]*ent.SubsidyPayment, error) {
		return w.c.SubsidyPayment.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.SubsidyPayment) int { return e.ID })
}

func (w *writer) writeDoctorFarms() error {
	apply := func(m *ent.DoctorFarmMutation, x *farmRec) {
		m.SetFoundedOn(x.founded)
		if x.funding != nil {
			m.SetYearlyFundingYuan(*x.funding)
		}
		if x.years != nil {
			m.SetYearsFunded(int(*x.years))
		}
		if x.notes != "" {
			m.SetNotes(x.notes)
		}
	}
	if err := updateAll(w.importer, w.farms, func(x *farmRec) error {
		u := w.c.DoctorFarm.UpdateOneID(x.id)
		apply(u.Mutation(), x)
		return u.Exec(w.ctx)
	}); err != nil {
		return err
	}
	return createAll(w.importer, w.farms, func(x *farmRec) *ent.DoctorFarmCreate {
		b := w.c.DoctorFarm.Create().SetVillageID(x.villageID).SetName(x.name).SetExpertID(x.expert.ID())
		apply(b.Mutation(), x)
		return b
	}, func(bs []*ent.DoctorFarmCreate) ([]*ent.DoctorFarm, error) {
		return w.c.DoctorFarm.CreateBulk(bs...).Save(w.ctx)
	}, func(e *ent.DoctorFarm) int { return e.ID })
}
