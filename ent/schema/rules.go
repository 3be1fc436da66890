package schema

// The rules of the talent graph, enforced as ent hooks so that every writer
// (GraphQL mutations, imports, the demo generator) obeys them. The rules
// themselves are the pure functions of package rules, which the roster
// validation calls too; the hooks look up what they need on file and turn
// a violation into an errcode error (see refuse).

import (
	"context"
	"time"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/errcode"
	"yanzhen/pii"
	"yanzhen/rules"
	"yanzhen/vocab"
	"yanzhen/vocab/vocabdb"
)

// violation is a broken rule as an error of the API: errcode.As finds its
// code (BAD_USER_INPUT, or CONFLICT for a rule about records on file) and
// errors.As the rules.Violation, whose code says which rule.
type violation struct {
	api  *errcode.Error
	rule *rules.Violation
}

func (v *violation) Error() string   { return v.api.Error() }
func (v *violation) Unwrap() []error { return []error{v.api, v.rule} }

// refuse turns a violation into the hook's error; nil stays nil.
func refuse(v *rules.Violation) error {
	if v == nil {
		return nil
	}
	api := &errcode.Error{Code: errcode.BadUserInput, Field: v.Field, Reason: string(v.Code), Text: v.Text()}
	if v.Conflict() {
		api.Code, api.Field = errcode.Conflict, ""
	}
	return &violation{api, v}
}

// requireLevel loads the region and checks that the site may sit there.
func requireLevel(ctx context.Context, c *gen.Client, id int, field string, site rules.Site) error {
	r, ok := rules.KnownRegion(ctx, id)
	if !ok {
		found, err := c.Region.Get(ctx, id)
		if err != nil {
			return err
		}
		r = rules.Region{Name: found.Name, Code: found.Code, Level: rules.Level(found.Level)}
		rules.RememberRegion(ctx, id, r)
	}
	return refuse(site.Check(r, field))
}

var checkPerson = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PersonFunc(func(ctx context.Context, m *gen.PersonMutation) (gen.Value, error) {
		if phone, ok := m.Phone(); ok && phone != "" {
			if err := pii.CheckPhone(phone); err != nil {
				return nil, errcode.BadInput("phone", "%s", err)
			}
		}
		if err := birthPrecision(ctx, m); err != nil {
			return nil, err
		}
		if birth, ok := m.BirthDate(); ok {
			if err := refuse(rules.CheckBirthDate(birth, time.Now())); err != nil {
				return nil, err
			}
		}
		hash := ""
		if raw, ok := m.IDNumber(); ok && raw != "" {
			id, v := rules.ParseIDNumber(raw)
			if v != nil {
				return nil, refuse(v)
			}
			m.SetIDNumber(string(id))
			var err error
			if hash, err = m.Keys.HashIDNumber(string(id)); err != nil {
				return nil, err
			}
			m.SetIDNumberHash(hash)
		}
		if raw, ok := m.IDNumber(); (ok && raw == "") || m.IDNumberCleared() {
			m.ClearIDNumberHash()
		}
		if err := idMatchesProfile(ctx, m); err != nil {
			return nil, err
		}
		// Whose number it is comes after what is wrong with the input
		// itself: a refusal for a typo should not tell who holds a number.
		if hash != "" {
			if err := oneFilePerIDNumber(ctx, m, hash); err != nil {
				return nil, err
			}
		}
		if village, ok := m.HomeVillageID(); ok {
			if err := requireLevel(ctx, m.Client(), village, "homeVillageID", rules.HomeVillage); err != nil {
				return nil, err
			}
		}
		if tags, ok := m.Tags(); ok {
			if err := vocabdb.Unknown(ctx, m.Client(), vocab.KindPersonTag, "tags", codes(tags)); err != nil {
				return nil, err
			}
		}
		if fields, ok := m.Expertise(); ok {
			if err := checkFields(ctx, m.Client(), "expertise", fields...); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// birthPrecision keeps birth_date_precision with the birth date: a MONTH
// birth date is stored as the 1st of its month; a birth date written
// without a precision is a full date (an update clears a MONTH left from
// before, or a client that knows nothing of precision would have its full
// date cut to the month); a precision needs a birth date; clearing the
// birth date clears its precision.
func birthPrecision(ctx context.Context, m *gen.PersonMutation) error {
	prec, hasPrec := m.BirthDatePrecision()
	birth, hasBirth := m.BirthDate()
	switch {
	case m.BirthDateCleared():
		m.ClearBirthDatePrecision()
		if hasPrec {
			return errcode.BadInput("birthDatePrecision", "a precision needs a birth date / 未填出生日期，不能指定其精度")
		}
		return nil
	case !hasPrec:
		if hasBirth && m.Op().Is(gen.OpUpdateOne) {
			m.ClearBirthDatePrecision()
		}
		return nil
	case !hasBirth && m.Op().Is(gen.OpUpdateOne):
		old, err := m.OldBirthDate(ctx)
		if err != nil {
			return err
		}
		if old != nil {
			birth, hasBirth = *old, true
		}
	}
	if !hasBirth {
		return errcode.BadInput("birthDatePrecision", "a precision needs a birth date / 未填出生日期，不能指定其精度")
	}
	if prec == person.BirthDatePrecisionMONTH {
		m.SetBirthDate(rules.MonthOf(birth).Date)
	}
	return nil
}

// idMatchesProfile checks the birth date and sex written in the ID number
// against the person's own, where both are known, and fills in from the
// number what the person lacks (rules.Profile.Complete): an empty birth
// date or gender, the day of a month-only birth date. So a person with a
// valid ID number always has the birth date and gender it says, whichever
// writer wrote them. On an update that changes any of these, what the
// update leaves alone comes from the row on file: a new birth date must
// agree with the number on file too.
func idMatchesProfile(ctx context.Context, m *gen.PersonMutation) error {
	raw, hasID := m.IDNumber()
	birth, hasBirth := m.BirthDate()
	prec, _ := m.BirthDatePrecision()
	gender, hasGender := m.Gender()
	if !hasID && !hasBirth && !hasGender && !m.BirthDateCleared() && !m.GenderCleared() {
		return nil
	}
	if m.Op().Is(gen.OpUpdateOne) {
		if !hasID && !m.IDNumberCleared() {
			old, err := m.OldIDNumber(ctx)
			if err != nil {
				return err
			}
			raw = old
		}
		if !hasBirth && !m.BirthDateCleared() {
			if old, err := m.OldBirthDate(ctx); err == nil && old != nil {
				birth, hasBirth = *old, true
				if p, err := m.OldBirthDatePrecision(ctx); err == nil && p != nil {
					prec = *p
				}
			}
		}
		if !hasGender && !m.GenderCleared() {
			if old, err := m.OldGender(ctx); err == nil && old != nil {
				gender, hasGender = *old, true
			}
		}
	}
	id, err := pii.ParseIDNumber(raw)
	if err != nil {
		return nil // none, or one on file from before the check
	}
	var written *rules.Birth
	if hasBirth {
		written = &rules.Birth{Date: birth, Month: prec == person.BirthDatePrecisionMONTH}
	}
	sex := ""
	if hasGender {
		sex = string(gender)
	}
	full, sex, vs := rules.ProfileOf(id).Complete(written, sex)
	if len(vs) > 0 {
		return refuse(vs[0])
	}
	if written == nil || written.Month { // derived, or the month's day found
		m.SetBirthDate(full.Date)
		m.SetBirthDatePrecision(person.BirthDatePrecisionDAY)
	}
	if !hasGender {
		m.SetGender(person.Gender(sex))
	}
	return nil
}

// checkFields refuses agricultural fields not in the writer's vocabulary.
func checkFields(ctx context.Context, c *gen.Client, name string, fields ...vocab.AgriculturalField) error {
	return vocabdb.Unknown(ctx, c, vocab.KindAgriculturalField, name, codes(fields))
}

func codes[S ~string](s []S) []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = string(c)
	}
	return out
}

var checkPost = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PostFunc(func(ctx context.Context, m *gen.PostMutation) (gen.Value, error) {
		c := m.Client()
		var (
			role     post.Role
			regionID int
			postID   int
			ended    bool
		)
		if m.Op().Is(gen.OpCreate) {
			role, _ = m.Role()
			regionID, _ = m.RegionID()
			if err := requireLevel(ctx, c, regionID, "regionID", rules.PostSite(string(role), string(role))); err != nil {
				return nil, err
			}
			if err := checkPostDetails(m, role); err != nil {
				return nil, err
			}
			if rules.IsSecretary(string(role)) {
				m.SetSeat(post.SeatSECRETARY)
			}
			if err := checkRehire(ctx, m, role); err != nil {
				return nil, err
			}
		} else {
			id, _ := m.ID()
			old, err := c.Post.Get(ctx, id)
			if err != nil {
				return nil, err
			}
			role, regionID, postID = old.Role, old.RegionID, old.ID
			if err := checkPostDetails(m, role); err != nil {
				return nil, err
			}
			ended = old.EndDate != nil
		}
		// How a post ended comes with the day it ended, and goes with it.
		if _, ok := m.EndDate(); ok {
			ended = true
		}
		if m.EndDateCleared() {
			ended = false
			m.ClearExitKind()
		}
		if _, ok := m.ExitKind(); ok && !ended {
			return nil, refuse(&rules.Violation{Code: rules.ExitWithoutEnd, Field: "exitKind"})
		}
		if rules.IsSecretary(string(role)) {
			if err := noOverlappingSecretary(ctx, c, m, regionID, postID); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// checkRehire checks a 返聘 against the post it takes back: the same
// person, that post ended, the new one in the supervisory committee or the
// cooperative.
func checkRehire(ctx context.Context, m *gen.PostMutation, role post.Role) error {
	from, ok := m.RehiredFromID()
	if !ok {
		return nil
	}
	old, err := m.Client().Post.Get(ctx, from)
	if err != nil {
		return errcode.Missing("rehiredFromID", "no post %d in your scope / 您的范围内没有编号为 %d 的职务", from, from)
	}
	person, _ := m.PersonID()
	return refuse(rules.CheckRehire(string(role), old.PersonID == person, old.EndDate != nil))
}

// checkPostDetails checks the reserve list and dispatch level a create
// sets, or an update changes (the role itself never changes).
func checkPostDetails(m *gen.PostMutation, role post.Role) error {
	_, hasList := m.ReserveList()
	if hasList || m.Op().Is(gen.OpCreate) {
		if err := refuse(rules.ReserveList(string(role), hasList)); err != nil {
			return err
		}
	}
	_, hasLevel := m.DispatchLevel()
	return refuse(rules.DispatchLevel(string(role), hasLevel))
}

// noOverlappingSecretary loads the village's other secretaries for
// rules.SoleSecretary. The partial unique index post_one_current_secretary
// on (region_id, seat) enforces the open-ended case in the database, against
// concurrent writers; the rule also covers closed terms that would overlap.
func noOverlappingSecretary(ctx context.Context, c *gen.Client, m *gen.PostMutation, regionID, self int) error {
	start, hasStart := m.StartDate()
	end, hasEnd := m.EndDate()
	if m.Op().Is(gen.OpUpdateOne) {
		if !hasStart {
			old, err := m.OldStartDate(ctx)
			if err != nil {
				return err
			}
			start = old
		}
		if !hasEnd && !m.EndDateCleared() {
			old, err := m.OldEndDate(ctx)
			if err != nil {
				return err
			}
			if old != nil {
				end, hasEnd = *old, true
			}
		}
	}
	term := rules.Period{Start: start}
	if hasEnd {
		term.End = &end
	}
	others, err := c.Post.Query().Where(
		post.RegionID(regionID),
		post.RoleIn(post.RolePARTY_SECRETARY, post.RoleSECRETARY_AND_DIRECTOR),
		post.IDNEQ(self),
	).Order(post.ByStartDate()).All(ctx)
	if err != nil {
		return err
	}
	terms := make([]rules.Term, len(others))
	for i, o := range others {
		terms[i] = rules.Term{Period: rules.Period{Start: o.StartDate, End: o.EndDate}}
	}
	return refuse(rules.SoleSecretary(term, terms))
}

var checkMentorship = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.MentorshipFunc(func(ctx context.Context, m *gen.MentorshipMutation) (gen.Value, error) {
		var pair rules.Pair[int]
		pair.Mentor, _ = m.MentorID()
		pair.Mentee, _ = m.MenteeID()
		if err := refuse(rules.NotSelf(pair)); err != nil {
			return nil, err
		}
		c := m.Client()
		active := map[rules.Pair[int]]rules.Where{}
		dup, err := c.Mentorship.Query().Where(
			mentorship.MentorID(pair.Mentor), mentorship.MenteeID(pair.Mentee), mentorship.StatusEQ(mentorship.StatusACTIVE),
		).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if dup {
			active[pair] = rules.Where{}
		}
		if err := refuse(rules.OneActivePair(pair, active)); err != nil {
			return nil, err
		}
		below, err := lineageBelow(ctx, c, pair.Mentee)
		if err != nil {
			return nil, err
		}
		if err := refuse(rules.NoCycles(below, []rules.Pair[int]{pair})[0]); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)

// lineageBelow loads the pairs of the lineage below a person — their
// mentees, the mentees' mentees … — by one recursive query (UNION stops on
// any cycle already present): a new pair above that person closes a cycle
// exactly when its mentor is among them.
func lineageBelow(ctx context.Context, c *gen.Client, top int) ([]rules.Pair[int], error) {
	const q = `WITH RECURSIVE down(id) AS (
		SELECT CAST($1 AS BIGINT)
		UNION
		SELECT m.mentee_id FROM mentorships m JOIN down d ON m.mentor_id = d.id
	) SELECT m.mentor_id, m.mentee_id FROM mentorships m JOIN down d ON m.mentor_id = d.id`
	rows, err := c.QueryContext(ctx, q, top)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pairs []rules.Pair[int]
	for rows.Next() {
		var p rules.Pair[int]
		if err := rows.Scan(&p.Mentor, &p.Mentee); err != nil {
			return nil, err
		}
		pairs = append(pairs, p)
	}
	return pairs, rows.Err()
}

var checkAdviserAppointment = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.AdviserAppointmentFunc(func(ctx context.Context, m *gen.AdviserAppointmentMutation) (gen.Value, error) {
		village, _ := m.VillageID()
		if err := requireLevel(ctx, m.Client(), village, "villageID", rules.Appointment); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)

var checkExpertAssignment = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ExpertAssignmentFunc(func(ctx context.Context, m *gen.ExpertAssignmentMutation) (gen.Value, error) {
		if m.Op().Is(gen.OpCreate) {
			r, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), r, "regionID", rules.Assignment); err != nil {
				return nil, err
			}
		}
		if fields, ok := m.GetFields(); ok {
			if err := checkFields(ctx, m.Client(), "fields", fields...); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

var checkDemand = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.DemandFunc(func(ctx context.Context, m *gen.DemandMutation) (gen.Value, error) {
		if m.Op().Is(gen.OpCreate) {
			r, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), r, "regionID", rules.Demand); err != nil {
				return nil, err
			}
		}
		if f, ok := m.GetField(); ok {
			if err := checkFields(ctx, m.Client(), "field", f); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne|gen.OpUpdate)

var checkContribution = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ContributionFunc(func(ctx context.Context, m *gen.ContributionMutation) (gen.Value, error) {
		_, fromAppointment := m.AppointmentID()
		_, fromAssignment := m.AssignmentID()
		if fromAppointment == fromAssignment {
			return nil, errcode.BadInput("appointmentID", "a contribution is credited to exactly one adviser appointment or expert assignment / 成效须且仅须对应一项聘任或选派")
		}
		village, _ := m.VillageID()
		if err := requireLevel(ctx, m.Client(), village, "villageID", rules.Contribution); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)

// checkOutcomeChain keeps an outcome chain in order: a step follows the
// step of the kind before its own, in its village, not before it
// (rules.CheckOutcomeStep). Checked whenever the link, kind or date is set.
var checkOutcomeChain = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ContributionFunc(func(ctx context.Context, m *gen.ContributionMutation) (gen.Value, error) {
		c := m.Client()
		follows, linked := m.FollowsID()
		_, kindSet := m.Kind()
		_, daySet := m.Date()
		if m.Op().Is(gen.OpUpdateOne) && !linked && (kindSet || daySet) {
			id, _ := m.ID()
			cur, err := c.Contribution.Get(ctx, id)
			if err != nil {
				return nil, err
			}
			if cur.FollowsID != nil && !m.FollowsCleared() {
				follows, linked = *cur.FollowsID, true
			}
		}
		if !linked {
			return next.Mutate(ctx, m)
		}
		kind, ok := m.Kind()
		village, _ := m.VillageID()
		day, _ := m.Date()
		if m.Op().Is(gen.OpUpdateOne) {
			id, _ := m.ID()
			cur, err := c.Contribution.Get(ctx, id)
			if err != nil {
				return nil, err
			}
			if !ok {
				kind = cur.Kind
			}
			if !daySet {
				day = cur.Date
			}
			village = cur.VillageID
		}
		prev, err := c.Contribution.Get(ctx, follows)
		if err != nil {
			return nil, errcode.Missing("followsID", "no contribution %d in your scope / 您的范围内没有编号为 %d 的成效记录", follows, follows)
		}
		if err := refuse(rules.CheckOutcomeStep(string(kind), string(prev.Kind), prev.VillageID == village, day, prev.Date)); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// checkContactLog and checkServiceRecord refuse records dated after today
// (rules.CheckRecordDate): a record is written after the event, and a
// future date would keep an adviser off the overdue-contact alert. An update
// that leaves the date alone was checked when the date was set.
var checkContactLog = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ContactLogFunc(func(ctx context.Context, m *gen.ContactLogMutation) (gen.Value, error) {
		if d, ok := m.Date(); ok {
			if err := refuse(rules.CheckRecordDate("date", d, time.Now())); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne|gen.OpUpdate)

var checkServiceRecord = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ServiceRecordFunc(func(ctx context.Context, m *gen.ServiceRecordMutation) (gen.Value, error) {
		if d, ok := m.Date(); ok {
			if err := refuse(rules.CheckRecordDate("date", d, time.Now())); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne|gen.OpUpdate)
