package roster

import (
	"slices"
	"strconv"
	"strings"

	"yanzhen/ent"
	"yanzhen/ent/doctorfarm"
	"yanzhen/ent/expertagreement"
	"yanzhen/ent/predicate"
	"yanzhen/ent/residentarea"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
	"yanzhen/ent/subsidypayment"
)

// Exporting resident work and the support of experts: the teams,
// assessments, agreements, subsidies and farms kept in the subtree, the
// 片区 set up in it or grouping its villages, and those its teams belong
// to and the agreements its subsidies are paid under, wherever they are
// held (so that the rows naming them can).

type workflow struct {
	areas               []*ent.ResidentArea
	teams               []*ent.ResidentTeam
	residentAssessments []*ent.ResidentAssessment
	agreements          []*ent.ExpertAgreement
	subsidies           []*ent.SubsidyPayment
	farms               []*ent.DoctorFarm

	areaByID      map[int]*ent.ResidentArea
	teamByID      map[int]*ent.ResidentTeam
	agreementByID map[int]*ent.ExpertAgreement
	postByID      map[int]*ent.Post
	contribKey    map[int]string
}

func (x *exporter) loadWorkflow(within predicate.Region) (err error) {
	ctx := x.ctx
	if x.teams, err = x.c.ResidentTeam.Query().Where(residentteam.HasVillageWith(within)).All(ctx); err != nil {
		return err
	}
	if x.areas, err = x.c.ResidentArea.Query().
		Where(residentarea.Or(residentarea.HasRegionWith(within), residentarea.HasVillagesWith(within))).
		WithVillages().All(ctx); err != nil {
		return err
	}
	haveArea := idSet(x.areas, func(a *ent.ResidentArea) int { return a.ID })
	var moreAreas []int
	for _, t := range x.teams {
		if t.AreaID != nil && !haveArea[*t.AreaID] {
			haveArea[*t.AreaID] = true
			moreAreas = append(moreAreas, *t.AreaID)
		}
	}
	if err := chunked(moreAreas, chunk, func(ids []int) error {
		as, err := x.c.ResidentArea.Query().Where(residentarea.IDIn(ids...)).WithVillages().All(ctx)
		x.areas = append(x.areas, as...)
		return err
	}); err != nil {
		return err
	}
	if x.residentAssessments, err = x.c.ResidentAssessment.Query().Where(residentassessment.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.agreements, err = x.c.ExpertAgreement.Query().Where(expertagreement.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.subsidies, err = x.c.SubsidyPayment.Query().Where(subsidypayment.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	haveAgreement := idSet(x.agreements, func(a *ent.ExpertAgreement) int { return a.ID })
	var moreAgreements []int
	for _, p := range x.subsidies {
		if p.AgreementID != nil && !haveAgreement[*p.AgreementID] {
			haveAgreement[*p.AgreementID] = true
			moreAgreements = append(moreAgreements, *p.AgreementID)
		}
	}
	if err := chunked(moreAgreements, chunk, func(ids []int) error {
		as, err := x.c.ExpertAgreement.Query().Where(expertagreement.IDIn(ids...)).All(ctx)
		x.agreements = append(x.agreements, as...)
		return err
	}); err != nil {
		return err
	}
	x.farms, err = x.c.DoctorFarm.Query().Where(doctorfarm.HasVillageWith(within)).All(ctx)
	return err
}

// workflowPeople adds the people the records name.
func (x *exporter) workflowPeople(people map[int]bool) {
	for _, a := range x.areas {
		if a.LeaderID != nil {
			people[*a.LeaderID] = true
		}
	}
	for _, t := range x.teams {
		if t.LeaderID != nil {
			people[*t.LeaderID] = true
		}
	}
	for _, a := range x.residentAssessments {
		people[a.PersonID] = true
	}
	for _, a := range x.agreements {
		people[a.ExpertID] = true
	}
	for _, p := range x.subsidies {
		people[p.ExpertID] = true
	}
	for _, f := range x.farms {
		people[f.ExpertID] = true
	}
}

// workflowRegions adds the regions the records name (a 片区's villages
// come with their codes).
func (x *exporter) workflowRegions(add func(*int)) {
	for _, a := range x.areas {
		add(&a.RegionID)
	}
	for _, t := range x.teams {
		add(&t.VillageID)
	}
	for _, a := range x.residentAssessments {
		add(&a.RegionID)
	}
	for _, a := range x.agreements {
		add(&a.RegionID)
	}
	for _, p := range x.subsidies {
		add(&p.RegionID)
	}
	for _, f := range x.farms {
		add(&f.VillageID)
	}
}

func (x *exporter) workflowKeys() {
	x.areaByID, x.teamByID = map[int]*ent.ResidentArea{}, map[int]*ent.ResidentTeam{}
	x.agreementByID, x.postByID, x.contribKey = map[int]*ent.ExpertAgreement{}, map[int]*ent.Post{}, map[int]string{}
	for _, a := range x.areas {
		x.areaByID[a.ID] = a
	}
	for _, t := range x.teams {
		x.teamByID[t.ID] = t
	}
	for _, a := range x.agreements {
		x.agreementByID[a.ID] = a
	}
	for _, p := range x.posts {
		x.postByID[p.ID] = p
	}
	for _, c := range x.contribs {
		x.contribKey[c.ID] = keyOf(c.ExternalID, "C", c.ID)
	}
}

// teamOf is how a row in a village names its team: the team's start, when
// it is the village's (the only team a row can name).
func (x *exporter) teamOf(id *int, village int) string {
	if id == nil {
		return ""
	}
	if t := x.teamByID[*id]; t != nil && t.VillageID == village {
		return day(t.StartDate)
	}
	return ""
}

// rehired is the post a 返聘 takes back, when it is exported (and the same
// person's, as the rule has it).
func (x *exporter) rehired(p *ent.Post) *ent.Post {
	if p.RehiredFromID == nil {
		return nil
	}
	if o := x.postByID[*p.RehiredFromID]; o != nil && o.PersonID == p.PersonID {
		return o
	}
	return nil
}

func (x *exporter) rehireRole(p *ent.Post) string {
	if o := x.rehired(p); o != nil {
		return postRoles.chinese(string(o.Role))
	}
	return ""
}

func (x *exporter) rehireStart(p *ent.Post) string {
	if o := x.rehired(p); o != nil {
		return day(o.StartDate)
	}
	return ""
}

// areaName is how a team names its 片区: by name, when the 片区 is set up
// by the team's county or township.
func (x *exporter) areaName(t *ent.ResidentTeam) string {
	if t.AreaID == nil {
		return ""
	}
	if a := x.areaByID[*t.AreaID]; a != nil && strings.HasPrefix(x.codes[t.VillageID], x.codes[a.RegionID]) && x.codes[a.RegionID] != "" {
		return a.Name
	}
	return ""
}

func (x *exporter) workflowRows(kind SheetKind) [][]string {
	var out [][]string
	switch kind {
	case ResidentAreas:
		for _, a := range x.areas {
			var villages []string
			for _, v := range a.Edges.Villages {
				villages = append(villages, v.Code)
			}
			slices.Sort(villages)
			out = append(out, []string{
				x.codes[a.RegionID], a.Name, a.PartyBranch, x.ref(x.personKey, a.LeaderID), strings.Join(villages, ";"),
				day(a.StartDate), dayPtr(a.EndDate), a.Notes,
			})
		}
	case ResidentTeams:
		for _, t := range x.teams {
			out = append(out, []string{
				x.codes[t.VillageID], day(t.StartDate), t.Name, x.ref(x.personKey, t.LeaderID),
				dispatchLevels.chinese(string(t.DispatchLevel)), strings.Join(t.SendingUnits, ";"), x.areaName(t),
				dayPtr(t.EndDate), t.Notes,
			})
		}
	case ResidentAssessments:
		for _, a := range x.residentAssessments {
			out = append(out, []string{
				x.personKey[a.PersonID], x.codes[a.RegionID], residentAssessmentKinds.chinese(string(a.Kind)), strconv.Itoa(a.Year),
				intPtr(a.Period), grades.chinese(string(a.Grade)), a.AssessedBy, dayPtr(a.AssessedOn),
				x.teamOf(a.TeamID, a.RegionID), a.Notes,
			})
		}
	case ExpertAgreements:
		for _, a := range x.agreements {
			out = append(out, []string{
				x.personKey[a.ExpertID], a.Title, day(a.StartDate), x.codes[a.RegionID], x.ref(x.assignKey, a.AssignmentID),
				a.Parties, a.Content, a.Targets, floatPtr(a.ProceedsSharePercent), dayPtr(a.SignedOn), dayPtr(a.EndDate), a.Notes,
			})
		}
	case SubsidyPayments:
		for _, p := range x.subsidies {
			title, start := "", ""
			if p.AgreementID != nil {
				if a := x.agreementByID[*p.AgreementID]; a != nil && a.ExpertID == p.ExpertID {
					title, start = a.Title, day(a.StartDate)
				}
			}
			out = append(out, []string{
				x.personKey[p.ExpertID], x.codes[p.RegionID], strconv.Itoa(p.Year), strconv.FormatInt(p.AmountYuan, 10),
				dayPtr(p.PaidOn), title, start, p.Notes,
			})
		}
	case DoctorFarms:
		for _, f := range x.farms {
			out = append(out, []string{
				x.codes[f.VillageID], f.Name, x.personKey[f.ExpertID], day(f.FoundedOn),
				strconv.FormatInt(f.YearlyFundingYuan, 10), strconv.Itoa(f.YearsFunded), f.Notes,
			})
		}
	}
	return out
}
