package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/dialect/sql"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/doctorfarm"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/expertagreement"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/personexternalkey"
	"yanzhen/ent/post"
	"yanzhen/ent/privacy"
	"yanzhen/ent/residentarea"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
	"yanzhen/ent/reward"
	"yanzhen/ent/subsidypayment"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/errcode"
	"yanzhen/insight/figures"
	"yanzhen/rules"
	"yanzhen/scope/places"
)

// mergePeople makes two files of one person one (一人一档): every record of
// merge moves to keep, the fields keep lacks are taken from merge, and merge
// is deleted — all in the mutation's transaction, so a refusal changes
// nothing. Admins only, and both people must be in their sight (the person
// policy; someone out of scope is NOT_FOUND, as everywhere).
//
// The person fields of posts, mentorships, appointments and assignments are
// immutable (who holds a post never changes by an update), so the records
// are moved by one UPDATE per table, here and nowhere else; the rules those
// fields carry (mentoring: no self, one active pair, no cycles) are checked
// here for the same reason, and every move is written to the audit log by
// hand. The person's own update and delete go through ent with the caller's
// context, so their policy, rule hooks and audit entries (the delete keeps
// the deleted file as "before") apply as for any other write.
func (r *Resolver) mergePeople(ctx context.Context, keepID, mergeID int) (*ent.Person, error) {
	v := auth.FromContext(ctx)
	if !v.System() && !v.Is(auth.RoleAdmin) {
		return nil, auth.Deny(v)
	}
	if keepID == mergeID {
		return nil, errcode.BadInput("merge", "a person cannot be merged into themselves / 不能与自身合并")
	}
	c := r.db(ctx)
	keep, err := c.Person.Get(ctx, keepID)
	if err != nil {
		return nil, missingPerson("keep", err)
	}
	merge, err := c.Person.Get(ctx, mergeID)
	if err != nil {
		return nil, missingPerson("merge", err)
	}
	if keep.IDNumber != "" && merge.IDNumber != "" && keep.IDNumber != merge.IDNumber {
		e := errcode.ConflictWith("the two people have different ID numbers: they are not the same person / 两人身份证号不同，不是同一人，不能合并")
		e.Field = "merge"
		return nil, e
	}
	internal := privacy.DecisionContext(ctx, privacy.Allow)
	if err := mentoringAfterMerge(internal, c, keepID, mergeID); err != nil {
		return nil, err
	}
	if err := assessmentsAfterMerge(internal, c, keepID, mergeID); err != nil {
		return nil, err
	}
	if err := enrolmentsAfterMerge(internal, c, keepID, mergeID); err != nil {
		return nil, err
	}
	moved, err := moveRecords(internal, c, keepID, mergeID)
	if err != nil {
		return nil, err
	}
	if err := noCycleThrough(internal, c, keepID); err != nil {
		return nil, err
	}
	// The merged file goes first: its ID number, once on the kept file,
	// would otherwise collide with itself on the unique index.
	if err := c.Person.DeleteOneID(mergeID).Exec(ctx); err != nil {
		return nil, err
	}
	if u, changed := fillFrom(c.Person.UpdateOneID(keepID), keep, merge); changed {
		if err := u.Exec(ctx); err != nil {
			return nil, err
		}
	}
	// The moves bypassed the link hooks: the kept file's places are
	// recomputed from its links, now including the merged file's.
	if err := places.Refresh(ctx, c, []int{keepID}); err != nil {
		return nil, err
	}
	// And the figures of the regions of their posts, which the merged
	// file's delete marked for its own places only.
	if err := figures.Rows(ctx, c, figures.PersonRegions, keepID); err != nil {
		return nil, err
	}
	for _, m := range moved {
		if err := audit.Record(ctx, c, audit.Entry{
			Action: auditlog.ActionUPDATE, EntityType: m.typ, ObjectIDs: m.ids,
			Reason: fmt.Sprintf("mergePeople: %d → %d", mergeID, keepID),
			Before: map[string]any{m.column: mergeID}, After: map[string]any{m.column: keepID},
		}); err != nil {
			return nil, err
		}
	}
	return c.Person.Get(ctx, keepID)
}

// missingPerson is the answer for a person the caller cannot load.
func missingPerson(field string, err error) error {
	if ent.IsNotFound(err) {
		return errcode.Missing(field, "the person was not found / 未找到该人员")
	}
	return err
}

// move is the records of one kind that a merge moved (for the audit log).
type move struct {
	typ, column string
	ids         []int
}

// moveRecords points every record of merge at keep: posts, mentorships on
// both sides, adviser appointments, expert assignments, contacts made,
// rewards and punishments, office audits and the roster keys
// (PersonExternalKey, whose (source, key) stays unique).
func moveRecords(ctx context.Context, c *ent.Client, keep, merge int) ([]move, error) {
	var (
		moves []move
		err   error
	)
	ids := func(typ, table, column string, q func() ([]int, error)) {
		if err != nil {
			return
		}
		var list []int
		if list, err = q(); err != nil || len(list) == 0 {
			return
		}
		if _, err = c.ExecContext(ctx, `UPDATE `+table+` SET `+column+` = $1 WHERE `+column+` = $2`, keep, merge); err != nil {
			return
		}
		if typ != "" {
			moves = append(moves, move{typ, column, list})
		}
	}
	ids("Post", post.Table, post.FieldPersonID, func() ([]int, error) { return c.Post.Query().Where(post.PersonID(merge)).IDs(ctx) })
	ids("Mentorship", mentorship.Table, mentorship.FieldMentorID, func() ([]int, error) {
		return c.Mentorship.Query().Where(mentorship.MentorID(merge)).IDs(ctx)
	})
	ids("Mentorship", mentorship.Table, mentorship.FieldMenteeID, func() ([]int, error) {
		return c.Mentorship.Query().Where(mentorship.MenteeID(merge)).IDs(ctx)
	})
	ids("AdviserAppointment", adviserappointment.Table, adviserappointment.FieldPersonID, func() ([]int, error) {
		return c.AdviserAppointment.Query().Where(adviserappointment.PersonID(merge)).IDs(ctx)
	})
	ids("ExpertAssignment", expertassignment.Table, expertassignment.FieldExpertID, func() ([]int, error) {
		return c.ExpertAssignment.Query().Where(expertassignment.ExpertID(merge)).IDs(ctx)
	})
	ids("Assessment", assessment.Table, assessment.FieldPersonID, func() ([]int, error) {
		return c.Assessment.Query().Where(assessment.PersonID(merge)).IDs(ctx)
	})
	ids("DutyItem", dutyitem.Table, dutyitem.FieldPersonID, func() ([]int, error) {
		return c.DutyItem.Query().Where(dutyitem.PersonID(merge)).IDs(ctx)
	})
	ids("ContactLog", contactlog.Table, contactlog.FieldContactedByID, func() ([]int, error) {
		return c.ContactLog.Query().Where(contactlog.ContactedByID(merge)).IDs(ctx)
	})
	// 奖惩 and audits are the person's file too.
	ids("Reward", reward.Table, reward.FieldPersonID, func() ([]int, error) {
		return c.Reward.Query().Where(reward.PersonID(merge)).IDs(ctx)
	})
	ids("OfficeAudit", officeaudit.Table, officeaudit.FieldPersonID, func() ([]int, error) {
		return c.OfficeAudit.Query().Where(officeaudit.PersonID(merge)).IDs(ctx)
	})
	ids("TrainingEnrolment", trainingenrolment.Table, trainingenrolment.FieldPersonID, func() ([]int, error) {
		return c.TrainingEnrolment.Query().Where(trainingenrolment.PersonID(merge)).IDs(ctx)
	})
	ids("Candidacy", candidacy.Table, candidacy.FieldPersonID, func() ([]int, error) {
		return c.Candidacy.Query().Where(candidacy.PersonID(merge)).IDs(ctx)
	})
	ids("ResidentTeam", residentteam.Table, residentteam.FieldLeaderID, func() ([]int, error) {
		return c.ResidentTeam.Query().Where(residentteam.LeaderID(merge)).IDs(ctx)
	})
	ids("ResidentArea", residentarea.Table, residentarea.FieldLeaderID, func() ([]int, error) {
		return c.ResidentArea.Query().Where(residentarea.LeaderID(merge)).IDs(ctx)
	})
	ids("ResidentAssessment", residentassessment.Table, residentassessment.FieldPersonID, func() ([]int, error) {
		return c.ResidentAssessment.Query().Where(residentassessment.PersonID(merge)).IDs(ctx)
	})
	ids("ExpertAgreement", expertagreement.Table, expertagreement.FieldExpertID, func() ([]int, error) {
		return c.ExpertAgreement.Query().Where(expertagreement.ExpertID(merge)).IDs(ctx)
	})
	ids("SubsidyPayment", subsidypayment.Table, subsidypayment.FieldExpertID, func() ([]int, error) {
		return c.SubsidyPayment.Query().Where(subsidypayment.ExpertID(merge)).IDs(ctx)
	})
	ids("DoctorFarm", doctorfarm.Table, doctorfarm.FieldExpertID, func() ([]int, error) {
		return c.DoctorFarm.Query().Where(doctorfarm.ExpertID(merge)).IDs(ctx)
	})
	// The dated periods of an attribute the kept file has no history of
	// move with the rest; where both files have a history of one
	// attribute, the kept file's stands (as its values do, fillFrom) and
	// the merged file's periods go with it.
	if err == nil {
		var kept []string
		if kept, err = c.PersonAttribute.Query().Where(personattribute.PersonID(keep)).
			Unique(true).Select(personattribute.FieldAttribute).Strings(ctx); err == nil {
			var list []int
			q := c.PersonAttribute.Query().Where(personattribute.PersonID(merge))
			if len(kept) > 0 {
				q.Where(func(s *sql.Selector) { s.Where(sql.NotIn(s.C(personattribute.FieldAttribute), anys(kept)...)) })
			}
			list, err = q.IDs(ctx)
			if err == nil && len(list) > 0 {
				for chunk := range slices.Chunk(list, 500) {
					args, marks := []any{keep}, make([]string, len(chunk))
					for i, id := range chunk {
						args, marks[i] = append(args, id), fmt.Sprintf("$%d", i+2)
					}
					if _, err = c.ExecContext(ctx, `UPDATE person_attributes SET person_id = $1 WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
						break
					}
				}
				moves = append(moves, move{"PersonAttribute", personattribute.FieldPersonID, list})
			}
		}
	}
	// Roster keys are internal (no GraphQL type): moved, not audited row by
	// row; the person's own entries say where they went.
	ids("", personexternalkey.Table, personexternalkey.FieldPersonID, func() ([]int, error) {
		return c.PersonExternalKey.Query().Where(personexternalkey.PersonID(merge)).IDs(ctx)
	})
	return moves, err
}

func anys(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// enrolmentsAfterMerge refuses a merge of two files enrolled in one class:
// which enrolment stands (hours, result) is for the admin to decide.
func enrolmentsAfterMerge(ctx context.Context, c *ent.Client, keep, merge int) error {
	classes, err := c.TrainingEnrolment.Query().Where(trainingenrolment.PersonID(keep)).
		Select(trainingenrolment.FieldClassID).Ints(ctx)
	if err != nil || len(classes) == 0 {
		return err
	}
	both, err := c.TrainingEnrolment.Query().Where(trainingenrolment.PersonID(merge), trainingenrolment.ClassIDIn(classes...)).Exist(ctx)
	if err != nil || !both {
		return err
	}
	return refusal(&rules.Violation{Code: rules.SecondEnrolment, Field: "merge"})
}

// assessmentsAfterMerge refuses a merge that would give one person two
// assessments of one year: which one stands is for the admin to decide
// (delete the wrong one first), not for the merge.
func assessmentsAfterMerge(ctx context.Context, c *ent.Client, keep, merge int) error {
	years, err := c.Assessment.Query().Where(assessment.PersonID(keep)).Select(assessment.FieldYear).Ints(ctx)
	if err != nil || len(years) == 0 {
		return err
	}
	both, err := c.Assessment.Query().Where(assessment.PersonID(merge), assessment.YearIn(years...)).
		Select(assessment.FieldYear).Ints(ctx)
	if err != nil || len(both) == 0 {
		return err
	}
	slices.Sort(both)
	return refusal(&rules.Violation{Code: rules.SecondAssessment, Field: "merge", Args: []any{both[0]}})
}

// mentoringAfterMerge checks the mentorships of merge as they will be once
// merge is keep: a pair of the two becomes someone mentoring themselves,
// and two active pairs with the same third person become a second active
// pair; either refuses the merge with the rule's reason.
func mentoringAfterMerge(ctx context.Context, c *ent.Client, keep, merge int) error {
	ms, err := c.Mentorship.Query().Where(mentorship.Or(
		mentorship.MentorIDIn(keep, merge), mentorship.MenteeIDIn(keep, merge),
	)).All(ctx)
	if err != nil {
		return err
	}
	as := func(id int) int {
		if id == merge {
			return keep
		}
		return id
	}
	active := map[rules.Pair[int]]rules.Where{}
	for _, m := range ms {
		p := rules.Pair[int]{Mentor: as(m.MentorID), Mentee: as(m.MenteeID)}
		if err := refusal(rules.NotSelf(p)); err != nil {
			return err
		}
		if m.Status != mentorship.StatusACTIVE {
			continue
		}
		if err := refusal(rules.OneActivePair(p, active)); err != nil {
			return err
		}
		active[p] = rules.Where{}
	}
	return nil
}

// noCycleThrough refuses a merge that puts keep above themselves in a
// lineage (A mentored B's second file, B mentored A): checked on the
// moved records, within the transaction.
func noCycleThrough(ctx context.Context, c *ent.Client, keep int) error {
	rows, err := c.QueryContext(ctx, `WITH RECURSIVE down(id) AS (
		SELECT CAST($1 AS BIGINT)
		UNION
		SELECT m.mentee_id FROM mentorships m JOIN down d ON m.mentor_id = d.id
	) SELECT m.mentor_id, m.mentee_id FROM mentorships m JOIN down d ON m.mentor_id = d.id`, keep)
	if err != nil {
		return err
	}
	defer rows.Close()
	var below []rules.Pair[int]
	for rows.Next() {
		var p rules.Pair[int]
		if err := rows.Scan(&p.Mentor, &p.Mentee); err != nil {
			return err
		}
		below = append(below, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	above, err := c.Mentorship.Query().Where(mentorship.MenteeID(keep)).All(ctx)
	if err != nil {
		return err
	}
	var fresh []rules.Pair[int]
	for _, m := range above {
		fresh = append(fresh, rules.Pair[int]{Mentor: m.MentorID, Mentee: keep})
	}
	for _, v := range rules.NoCycles(below, fresh) {
		if err := refusal(v); err != nil {
			return err
		}
	}
	return nil
}

// refusal is a broken rule as the API's error, in the form the rule hooks
// give it (ent/schema refuse): its code, field and reason.
func refusal(v *rules.Violation) error {
	if v == nil {
		return nil
	}
	e := &errcode.Error{Code: errcode.BadUserInput, Field: v.Field, Reason: string(v.Code), Text: v.Text()}
	if v.Conflict() {
		e.Code, e.Field = errcode.Conflict, ""
	}
	return e
}

// fillFrom sets on keep's update what keep lacks and merge has; tags and
// fields of expertise are the union of both. The kept file's own values
// always win: the caller chose it as the one to keep.
func fillFrom(u *ent.PersonUpdateOne, keep, merge *ent.Person) (*ent.PersonUpdateOne, bool) {
	changed := false
	set := func(missing, has bool, apply func()) {
		if missing && has {
			apply()
			changed = true
		}
	}
	set(keep.ExternalID == nil, merge.ExternalID != nil, func() { u.SetExternalID(*merge.ExternalID) })
	set(keep.Gender == nil, merge.Gender != nil, func() { u.SetGender(*merge.Gender) })
	set(keep.BirthDate == nil, merge.BirthDate != nil, func() { u.SetBirthDate(*merge.BirthDate) })
	set(keep.Ethnicity == "", merge.Ethnicity != "", func() { u.SetEthnicity(merge.Ethnicity) })
	set(keep.Education == nil, merge.Education != nil, func() { u.SetEducation(*merge.Education) })
	set(keep.PoliticalStatus == nil, merge.PoliticalStatus != nil, func() { u.SetPoliticalStatus(*merge.PoliticalStatus) })
	set(keep.PartyJoinDate == nil, merge.PartyJoinDate != nil, func() { u.SetPartyJoinDate(*merge.PartyJoinDate) })
	set(keep.Phone == "", merge.Phone != "", func() { u.SetPhone(merge.Phone) })
	set(keep.IDNumber == "", merge.IDNumber != "", func() { u.SetIDNumber(merge.IDNumber) })
	set(keep.ProfessionalTitle == "", merge.ProfessionalTitle != "", func() { u.SetProfessionalTitle(merge.ProfessionalTitle) })
	set(keep.HomeVillageID == nil, merge.HomeVillageID != nil, func() { u.SetHomeVillageID(*merge.HomeVillageID) })
	set(keep.InstitutionID == nil, merge.InstitutionID != nil, func() { u.SetInstitutionID(*merge.InstitutionID) })
	if tags := union(keep.Tags, merge.Tags); len(tags) > len(keep.Tags) {
		u.SetTags(tags)
		changed = true
	}
	if fields := union(keep.Expertise, merge.Expertise); len(fields) > len(keep.Expertise) {
		u.SetExpertise(fields)
		changed = true
	}
	return u, changed
}

// union is a followed by the values of b it lacks, in order.
func union[T comparable](a, b []T) []T {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
