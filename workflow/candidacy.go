// Package workflow moves work through hands: a candidacy for a village
// post or a reserve list passes from the village to the township to the
// county (资格联审, 备案; "凡进必审、凡调必审"), each step by the role that owns
// it, in its scope, recorded with who, when and the opinion.
//
// The ent privacy policies keep every read and write of candidacies in the
// viewer's region subtree; this package adds which role may take which step
// in which state. docs/workflows.md describes the states.
package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/candidacystep"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/errcode"
)

// Owner is the role that takes each step: the village proposes (村级初审,
// a reserve's 村审), the township reviews (镇级复审) and appoints (任命; a
// reserve's 镇批), the county holds the 联审 — each body's opinion and the
// conclusion — and files (备案).
var Owner = map[candidacystep.Step]auth.Role{
	candidacystep.StepVILLAGE_REVIEW:  auth.RoleVillage,
	candidacystep.StepTOWNSHIP_REVIEW: auth.RoleTownship,
	candidacystep.StepBODY_OPINION:    auth.RoleAdmin,
	candidacystep.StepCOUNTY_DECISION: auth.RoleAdmin,
	candidacystep.StepAPPOINTMENT:     auth.RoleTownship,
	candidacystep.StepFILING:          auth.RoleAdmin,
}

// RequiredBodies must each have given their opinion before the county may
// approve in the 联审: 纪检监察 and 公安 (seed 003).
var RequiredBodies = []candidacystep.Body{candidacystep.BodyDISCIPLINE, candidacystep.BodyPUBLIC_SECURITY}

// Next lists the steps a candidacy in its state waits for.
func Next(purpose candidacy.Purpose, state candidacy.State) []candidacystep.Step {
	switch state {
	case candidacy.StatePROPOSED:
		if purpose == candidacy.PurposeRESERVE {
			// 村审 → 镇批: the township's approval is the entry itself.
			return []candidacystep.Step{candidacystep.StepAPPOINTMENT}
		}
		return []candidacystep.Step{candidacystep.StepTOWNSHIP_REVIEW}
	case candidacy.StateTOWNSHIP_REVIEWED:
		return []candidacystep.Step{candidacystep.StepBODY_OPINION, candidacystep.StepCOUNTY_DECISION}
	case candidacy.StateJOINT_REVIEWED:
		return []candidacystep.Step{candidacystep.StepAPPOINTMENT}
	case candidacy.StateAPPOINTED:
		return []candidacystep.Step{candidacystep.StepFILING}
	}
	return nil
}

// WaitsFor is the role whose step a candidacy in its state waits for, or
// "" when it is closed.
func WaitsFor(purpose candidacy.Purpose, state candidacy.State) auth.Role {
	if next := Next(purpose, state); len(next) > 0 {
		return Owner[next[0]]
	}
	return ""
}

// Open are the states in which a candidacy may still be withdrawn: before
// the appointment.
var Open = []candidacy.State{candidacy.StatePROPOSED, candidacy.StateTOWNSHIP_REVIEWED, candidacy.StateJOINT_REVIEWED}

// Proposal is a village's proposal of a person for a post or a reserve list.
type Proposal struct {
	PersonID  int
	VillageID int
	Purpose   candidacy.Purpose
	Role      candidacy.Role
	// ReserveList: for a RESERVE candidacy, the list it is for.
	ReserveList *candidacy.ReserveList
	// Nomination: for a RESERVE candidacy, 自荐 / 联荐 / by the organization.
	Nomination *candidacy.Nomination
	// ReplacesPostID: for an ADJUSTMENT, the current post it replaces.
	ReplacesPostID *int
	TermID         *int
	Round          string
	ProposedOn     time.Time
	// Opinion is the village's 初审 opinion.
	Opinion string
}

// Propose records a village's proposal and its 村级初审 in one step.
func Propose(ctx context.Context, c *ent.Client, in Proposal) (*ent.Candidacy, error) {
	v := auth.FromContext(ctx)
	if err := mayTake(v, candidacystep.StepVILLAGE_REVIEW); err != nil {
		return nil, err
	}
	village, err := c.Region.Get(ctx, in.VillageID)
	if err != nil {
		return nil, errcode.Missing("villageID", "no village %d / 没有编号为 %d 的村", in.VillageID, in.VillageID)
	}
	if village.Level != region.LevelVILLAGE {
		return nil, errcode.BadInput("villageID", "%s is not a village / %s 不是村（社区）", village.Name, village.Name)
	}
	if !v.System() && !v.Covers(village.Code) {
		return nil, auth.ErrForbidden()
	}
	if err := checkProposal(ctx, c, in, village); err != nil {
		return nil, err
	}
	open, err := c.Candidacy.Query().Where(candidacy.PersonID(in.PersonID), candidacy.RegionID(in.VillageID),
		candidacy.RoleEQ(in.Role), candidacy.StateIn(append(Open, candidacy.StateAPPOINTED)...)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if open {
		return nil, errcode.ConflictWith("this person already has a candidacy for this post in progress / 此人在该村该职务已有进行中的审查")
	}
	q := c.Candidacy.Create().SetPersonID(in.PersonID).SetRegionID(in.VillageID).SetPurpose(in.Purpose).SetRole(in.Role).
		SetNillableReserveList(in.ReserveList).SetNillableNomination(in.Nomination).SetNillableReplacesPostID(in.ReplacesPostID).
		SetNillableTermID(in.TermID).SetProposedOn(day(in.ProposedOn))
	if in.Round != "" {
		q.SetRound(in.Round)
	}
	cand, err := q.Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := record(ctx, c, v, cand.ID, candidacystep.StepVILLAGE_REVIEW, candidacystep.DecisionAPPROVED, nil, in.Opinion, in.ProposedOn); err != nil {
		return nil, err
	}
	return cand, nil
}

func checkProposal(ctx context.Context, c *ent.Client, in Proposal, village *ent.Region) error {
	if _, err := c.Person.Get(ctx, in.PersonID); err != nil {
		return errcode.Missing("personID", "no person %d in your scope / 您的范围内没有编号为 %d 的人员", in.PersonID, in.PersonID)
	}
	reserve := in.Role == candidacy.RoleRESERVE_CADRE
	switch in.Purpose {
	case candidacy.PurposeRESERVE:
		if !reserve || in.ReserveList == nil {
			return errcode.BadInput("reserveList", "a reserve candidacy is for the role RESERVE_CADRE and names its reserve list / 后备人选须为后备干部并注明后备类别")
		}
	case candidacy.PurposeENTRY, candidacy.PurposeADJUSTMENT:
		if reserve {
			return errcode.BadInput("purpose", "a reserve is proposed with the purpose RESERVE / 后备人选的审查类型应为 RESERVE")
		}
	}
	if in.Purpose != candidacy.PurposeADJUSTMENT {
		if in.ReplacesPostID != nil {
			return errcode.BadInput("replacesPostID", "only an ADJUSTMENT replaces a post / 只有调整才替换现任职务")
		}
		return nil
	}
	if in.ReplacesPostID == nil {
		return errcode.BadInput("replacesPostID", "an ADJUSTMENT names the post it replaces / 调整须注明被替换的职务")
	}
	old, err := c.Post.Get(ctx, *in.ReplacesPostID)
	if err != nil {
		return errcode.Missing("replacesPostID", "no post %d in your scope / 您的范围内没有编号为 %d 的职务", *in.ReplacesPostID, *in.ReplacesPostID)
	}
	if old.RegionID != village.ID || old.EndDate != nil {
		return errcode.BadInput("replacesPostID", "the replaced post is not a current post of %s / 被替换的职务不是%s的现任职务", village.Name, village.Name)
	}
	return nil
}

// Step is one step taken on a candidacy after the proposal.
type Step struct {
	Step     candidacystep.Step
	Decision candidacystep.Decision
	// Body: for a BODY_OPINION, the reviewing body whose opinion it is.
	Body *candidacystep.Body
	// Opinion: the opinion; a refusal's reason, which is required.
	Opinion string
	// ActedOn is the day of the step; for an appointment, the first day
	// of the post.
	ActedOn time.Time
}

// Take records a step on a candidacy by the role that owns it, in its
// scope, in the state that waits for it.
func Take(ctx context.Context, c *ent.Client, id int, s Step) (*ent.Candidacy, error) {
	v := auth.FromContext(ctx)
	if _, ok := Owner[s.Step]; !ok || s.Step == candidacystep.StepVILLAGE_REVIEW {
		return nil, errcode.BadInput("step", "%s is not a step taken here (a proposal is proposeCandidacy) / %s 不在此办理", s.Step, s.Step)
	}
	if err := mayTake(v, s.Step); err != nil {
		return nil, err
	}
	cand, err := load(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Next(cand.Purpose, cand.State), s.Step) {
		return nil, errcode.ConflictWith("the candidacy is %s and waits for %s, not %s / 该审查当前为 %s，待办为 %s，不能办理 %s",
			cand.State, stepList(Next(cand.Purpose, cand.State)), s.Step, cand.State, stepList(Next(cand.Purpose, cand.State)), s.Step)
	}
	if s.Decision == candidacystep.DecisionREFUSED && strings.TrimSpace(s.Opinion) == "" {
		return nil, errcode.BadInput("opinion", "a refusal gives its reason / 不同意须写明理由")
	}
	if s.Body != nil && s.Step != candidacystep.StepBODY_OPINION {
		return nil, errcode.BadInput("body", "only a BODY_OPINION names a reviewing body / 只有联审部门意见须注明部门")
	}
	if s.ActedOn.IsZero() {
		s.ActedOn = time.Now()
	}
	upd := cand.Update()
	switch s.Step {
	case candidacystep.StepBODY_OPINION:
		if s.Body == nil {
			return nil, errcode.BadInput("body", "a BODY_OPINION names the reviewing body / 联审意见须注明部门")
		}
		given, err := c.CandidacyStep.Query().Where(candidacystep.CandidacyID(id), candidacystep.StepEQ(candidacystep.StepBODY_OPINION),
			candidacystep.BodyEQ(*s.Body)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if given {
			return nil, errcode.ConflictWith("%s has already given its opinion / %s 已出具意见", *s.Body, *s.Body)
		}
		// An opinion is recorded; the state waits for the conclusion.
		upd = nil
	case candidacystep.StepCOUNTY_DECISION:
		if s.Decision == candidacystep.DecisionAPPROVED {
			if err := bodiesAgree(ctx, c, id); err != nil {
				return nil, err
			}
			upd.SetState(candidacy.StateJOINT_REVIEWED)
		}
	case candidacystep.StepTOWNSHIP_REVIEW:
		upd.SetState(candidacy.StateTOWNSHIP_REVIEWED)
	case candidacystep.StepAPPOINTMENT:
		if s.Decision == candidacystep.DecisionAPPROVED {
			p, err := appoint(ctx, c, cand, day(s.ActedOn))
			if err != nil {
				return nil, err
			}
			upd.SetState(candidacy.StateAPPOINTED).SetPost(p).SetAppointedOn(day(s.ActedOn))
		}
	case candidacystep.StepFILING:
		if s.Decision != candidacystep.DecisionAPPROVED {
			return nil, errcode.BadInput("decision", "a filing records that the county has filed the appointment; to undo an appointment, end the post / 备案只记录已备案；撤销任命请结束该职务")
		}
		upd.SetState(candidacy.StateFILED).SetFiledOn(day(s.ActedOn))
	}
	if upd != nil && s.Decision == candidacystep.DecisionREFUSED {
		upd.SetState(candidacy.StateREFUSED).SetRefusedStep(candidacy.RefusedStep(s.Step)).SetRefusalReason(s.Opinion)
	}
	if err := record(ctx, c, v, id, s.Step, s.Decision, s.Body, s.Opinion, s.ActedOn); err != nil {
		return nil, err
	}
	if upd == nil {
		return c.Candidacy.Get(ctx, id)
	}
	return upd.Save(ctx)
}

// Withdraw closes a candidacy before its appointment, by the village that
// proposed it or an admin, keeping the reason.
func Withdraw(ctx context.Context, c *ent.Client, id int, reason string, on time.Time) (*ent.Candidacy, error) {
	v := auth.FromContext(ctx)
	if v.Anonymous() {
		return nil, auth.ErrUnauthenticated()
	}
	if !v.System() && !v.Is(auth.RoleVillage, auth.RoleAdmin) {
		return nil, auth.ErrForbidden()
	}
	if strings.TrimSpace(reason) == "" {
		return nil, errcode.BadInput("reason", "a withdrawal gives its reason / 撤回须写明理由")
	}
	cand, err := load(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Open, cand.State) {
		return nil, errcode.ConflictWith("a candidacy that is %s can no longer be withdrawn / 该审查已为 %s，不能撤回", cand.State, cand.State)
	}
	if on.IsZero() {
		on = time.Now()
	}
	if err := record(ctx, c, v, id, candidacystep.StepWITHDRAWAL, candidacystep.DecisionREFUSED, nil, reason, on); err != nil {
		return nil, err
	}
	return cand.Update().SetState(candidacy.StateWITHDRAWN).Save(ctx)
}

// mayTake refuses a viewer whose role does not own the step, before any
// record is read.
func mayTake(v *auth.Viewer, step candidacystep.Step) error {
	if v.System() {
		return nil
	}
	if v.Anonymous() {
		return auth.ErrUnauthenticated()
	}
	if !v.Is(Owner[step]) {
		return errcode.New(errcode.Forbidden, "the step %s is taken by the role %s / %s 由 %s 办理", step, Owner[step], stepNames[step], roleNames[Owner[step]])
	}
	return nil
}

// load reads a candidacy the viewer may act on. One outside the viewer's
// scope answers exactly like a missing one, and both are FORBIDDEN: the
// viewer may not act on it, whether or not it exists elsewhere.
func load(ctx context.Context, c *ent.Client, id int) (*ent.Candidacy, error) {
	cand, err := c.Candidacy.Query().Where(candidacy.ID(id)).WithRegion().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.Forbidden, "no candidacy %d within your scope / 您的范围内没有编号为 %d 的审查", id, id)
	}
	if err != nil {
		return nil, err
	}
	v := auth.FromContext(ctx)
	if !v.System() && !v.Covers(cand.Edges.Region.Code) {
		return nil, errcode.New(errcode.Forbidden, "no candidacy %d within your scope / 您的范围内没有编号为 %d 的审查", id, id)
	}
	return cand, nil
}

// bodiesAgree checks that the bodies the rules require have given their
// opinion and that no body refused.
func bodiesAgree(ctx context.Context, c *ent.Client, id int) error {
	ops, err := c.CandidacyStep.Query().Where(candidacystep.CandidacyID(id), candidacystep.StepEQ(candidacystep.StepBODY_OPINION)).All(ctx)
	if err != nil {
		return err
	}
	given := map[candidacystep.Body]bool{}
	for _, o := range ops {
		if o.Body == nil {
			continue
		}
		if o.Decision == candidacystep.DecisionREFUSED {
			return errcode.ConflictWith("%s refused (%s): the 联审 cannot approve / %s 不同意（%s），联审不能通过", *o.Body, o.Opinion, bodyNames[*o.Body], o.Opinion)
		}
		given[*o.Body] = true
	}
	var missing, missingZh []string
	for _, b := range RequiredBodies {
		if !given[b] {
			missing, missingZh = append(missing, string(b)), append(missingZh, bodyNames[b])
		}
	}
	if len(missing) > 0 {
		return errcode.ConflictWith("the 联审 waits for the opinion of %s / 联审尚缺%s的意见", strings.Join(missing, ", "), strings.Join(missingZh, "、"))
	}
	return nil
}

// appoint writes the post a candidacy leads to. An adjustment ends the
// replaced post the day before, as ADJUSTED, in the same transaction.
func appoint(ctx context.Context, c *ent.Client, cand *ent.Candidacy, start time.Time) (*ent.Post, error) {
	if cand.ReplacesPostID != nil {
		old, err := c.Post.Get(ctx, *cand.ReplacesPostID)
		if err != nil {
			return nil, err
		}
		if old.EndDate == nil {
			end := start.AddDate(0, 0, -1)
			if end.Before(old.StartDate) {
				end = old.StartDate
			}
			if err := old.Update().SetEndDate(end).SetExitKind(post.ExitKindADJUSTED).
				SetEndReason(fmt.Sprintf("调整（审查 %d）", cand.ID)).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	if cand.Purpose == candidacy.PurposeRESERVE {
		// A reserve moves between lists: the post on the old list ends
		// where the new one starts, so the history keeps both.
		current, err := c.Post.Query().Where(post.PersonID(cand.PersonID), post.RegionID(cand.RegionID),
			post.RoleEQ(post.RoleRESERVE_CADRE), post.EndDateIsNil()).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, old := range current {
			end := start.AddDate(0, 0, -1)
			if end.Before(old.StartDate) {
				end = old.StartDate
			}
			if err := old.Update().SetEndDate(end).SetEndReason(fmt.Sprintf("转入新的后备类别（审查 %d）", cand.ID)).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	q := c.Post.Create().SetPersonID(cand.PersonID).SetRegionID(cand.RegionID).SetRole(post.Role(cand.Role)).SetStartDate(start)
	if cand.ReserveList != nil {
		q.SetReserveList(post.ReserveList(*cand.ReserveList))
	}
	return q.Save(ctx)
}

// record writes a step with who took it (the account's name and role at
// the time). The step's policy admits only its creation, in the
// candidacy's region.
func record(ctx context.Context, c *ent.Client, v *auth.Viewer, id int, step candidacystep.Step, d candidacystep.Decision,
	body *candidacystep.Body, opinion string, on time.Time) error {
	role := string(v.Role)
	if v.System() {
		role = "SYSTEM"
	}
	q := c.CandidacyStep.Create().SetCandidacyID(id).SetStep(step).SetDecision(d).SetNillableBody(body).
		SetActedOn(day(on)).SetActor(v.Name()).SetActorRole(role)
	if opinion != "" {
		q.SetOpinion(opinion)
	}
	return q.Exec(ctx)
}

func day(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func stepList(steps []candidacystep.Step) string {
	if len(steps) == 0 {
		return "nothing (closed)"
	}
	var s []string
	for _, x := range steps {
		s = append(s, string(x))
	}
	return strings.Join(s, " / ")
}

var stepNames = map[candidacystep.Step]string{
	candidacystep.StepVILLAGE_REVIEW: "村级初审", candidacystep.StepTOWNSHIP_REVIEW: "镇级复审",
	candidacystep.StepBODY_OPINION: "联审部门意见", candidacystep.StepCOUNTY_DECISION: "县级联审结论",
	candidacystep.StepAPPOINTMENT: "任命（后备：镇批）", candidacystep.StepFILING: "县级备案", candidacystep.StepWITHDRAWAL: "撤回",
}

var roleNames = map[auth.Role]string{auth.RoleVillage: "村级账号", auth.RoleTownship: "乡镇账号", auth.RoleAdmin: "县级组织部门"}

var bodyNames = map[candidacystep.Body]string{
	candidacystep.BodyDISCIPLINE: "纪检监察", candidacystep.BodyPUBLIC_SECURITY: "公安", candidacystep.BodyPETITION: "信访",
	candidacystep.BodyCOURT: "法院", candidacystep.BodyPROCURATORATE: "检察院", candidacystep.BodyJUSTICE: "司法",
	candidacystep.BodyCIVIL_AFFAIRS: "民政", candidacystep.BodyHEALTH: "卫生健康", candidacystep.BodyMARKET: "市场监管",
	candidacystep.BodyTAX: "税务", candidacystep.BodyUNITED_FRONT: "统战", candidacystep.BodyOTHER: "其他部门",
}
