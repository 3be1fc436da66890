package schema

// The rules of the talent graph, enforced as ent hooks so that every writer
// (GraphQL mutations, imports, the demo generator) obeys them. Each returns an
// errcode error whose message says what is wrong in Chinese and English.

import (
	"context"
	"time"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/pii"
	"yanzhen/vocab"
)

var secretaryRoles = []post.Role{post.RolePARTY_SECRETARY, post.RoleSECRETARY_AND_DIRECTOR}

func isSecretary(r post.Role) bool {
	return r == post.RolePARTY_SECRETARY || r == post.RoleSECRETARY_AND_DIRECTOR
}

// requireLevel loads the region and checks its level is one of levels.
func requireLevel(ctx context.Context, c *gen.Client, id int, field, what string, levels ...region.Level) error {
	r, err := c.Region.Get(ctx, id)
	if err != nil {
		return err
	}
	for _, l := range levels {
		if r.Level == l {
			return nil
		}
	}
	return errcode.BadInput(field, "%s must be at %v level, %s (%s) is a %s / %s须为%s级区划",
		what, levels, r.Name, r.Code, r.Level, what, levels)
}

var checkPerson = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PersonFunc(func(ctx context.Context, m *gen.PersonMutation) (gen.Value, error) {
		if phone, ok := m.Phone(); ok && phone != "" {
			if err := pii.CheckPhone(phone); err != nil {
				return nil, errcode.BadInput("phone", "%s", err)
			}
		}
		if raw, ok := m.IDNumber(); ok && raw != "" {
			id, err := pii.ParseIDNumber(raw)
			if err != nil {
				return nil, errcode.BadInput("idNumber", "%s", err)
			}
			m.SetIDNumber(string(id))
			hash, err := m.Keys.HashIDNumber(string(id))
			if err != nil {
				return nil, err
			}
			m.SetIDNumberHash(hash)
			if err := idMatchesProfile(ctx, m, id); err != nil {
				return nil, err
			}
		}
		if raw, ok := m.IDNumber(); (ok && raw == "") || m.IDNumberCleared() {
			m.ClearIDNumberHash()
		}
		if tags, ok := m.Tags(); ok {
			for _, t := range tags {
				if !t.Valid() {
					return nil, errcode.BadInput("tags", "%q is not a known tag / 未知标签", t)
				}
			}
		}
		if fields, ok := m.Expertise(); ok {
			if err := checkFields("expertise", fields); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// idMatchesProfile checks the birth date and sex written in the ID number
// against the person's own, where both are known.
func idMatchesProfile(ctx context.Context, m *gen.PersonMutation, id pii.IDNumber) error {
	birth, hasBirth := m.BirthDate()
	gender, hasGender := m.Gender()
	if m.Op().Is(gen.OpUpdateOne) {
		if !hasBirth {
			if old, err := m.OldBirthDate(ctx); err == nil && old != nil {
				birth, hasBirth = *old, true
			}
		}
		if !hasGender {
			if old, err := m.OldGender(ctx); err == nil && old != nil {
				gender, hasGender = *old, true
			}
		}
	}
	if idBirth, ok := id.BirthDate(); ok && hasBirth && idBirth.Format(time.DateOnly) != birth.Format(time.DateOnly) {
		return errcode.BadInput("idNumber", "身份证号 does not match the birth date / 身份证号与出生日期不一致")
	}
	if hasGender && (gender == "FEMALE") != id.Female() {
		return errcode.BadInput("idNumber", "身份证号 does not match the gender / 身份证号与性别不一致")
	}
	return nil
}

func checkFields(name string, fields []vocab.AgriculturalField) error {
	for _, f := range fields {
		if !f.Valid() {
			return errcode.BadInput(name, "%q is not a known agricultural field / 未知专业领域", f)
		}
	}
	return nil
}

var checkPost = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PostFunc(func(ctx context.Context, m *gen.PostMutation) (gen.Value, error) {
		c := m.Client()
		var (
			role     post.Role
			regionID int
			postID   int
		)
		if m.Op().Is(gen.OpCreate) {
			role, _ = m.Role()
			regionID, _ = m.RegionID()
			levels := []region.Level{region.LevelVILLAGE}
			if role == post.RoleVILLAGE_CEO {
				levels = append(levels, region.LevelTOWNSHIP)
			}
			if err := requireLevel(ctx, c, regionID, "regionID", "a "+string(role)+" post", levels...); err != nil {
				return nil, err
			}
			if err := checkPostDetails(m, role); err != nil {
				return nil, err
			}
			if isSecretary(role) {
				m.SetSeat(post.SeatSECRETARY)
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
		}
		if isSecretary(role) {
			if err := noOverlappingSecretary(ctx, c, m, regionID, postID); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

// checkPostDetails: the reserve list belongs to reserve cadres (and they must
// have one); a dispatch level belongs to resident cadres.
func checkPostDetails(m *gen.PostMutation, role post.Role) error {
	_, hasList := m.ReserveList()
	if role == post.RoleRESERVE_CADRE && !hasList && m.Op().Is(gen.OpCreate) {
		return errcode.BadInput("reserveList", "a reserve cadre needs a reserve list (书记培养对象/两委培养对象/骨干党员) / 后备干部须注明后备类别")
	}
	if role != post.RoleRESERVE_CADRE && hasList {
		return errcode.BadInput("reserveList", "only reserve cadres are on a reserve list / 仅后备干部有后备类别")
	}
	if _, ok := m.DispatchLevel(); ok && role != post.RoleFIRST_SECRETARY && role != post.RoleWORK_TEAM_MEMBER {
		return errcode.BadInput("dispatchLevel", "only resident first secretaries and work-team members have a dispatch level / 仅驻村干部有派驻层级")
	}
	return nil
}

// noOverlappingSecretary: a village has at most one party secretary at any
// time (书记主任一肩挑 is its secretary too). The partial unique index
// post_one_current_secretary on (region_id, seat) enforces the open-ended case in the database; this check
// also covers closed terms that would overlap.
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
	q := c.Post.Query().Where(
		post.RegionID(regionID),
		post.RoleIn(secretaryRoles...),
		post.IDNEQ(self),
		post.Or(post.EndDateIsNil(), post.EndDateGTE(start)),
	)
	if hasEnd {
		q = q.Where(post.StartDateLTE(end))
	}
	other, err := q.First(ctx)
	if gen.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return errcode.ConflictWith("the village already has a party secretary from %s; one village has one secretary at a time / 该村在此期间已有党组织书记",
		other.StartDate.Format(time.DateOnly))
}

var checkMentorship = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.MentorshipFunc(func(ctx context.Context, m *gen.MentorshipMutation) (gen.Value, error) {
		mentor, _ := m.MentorID()
		mentee, _ := m.MenteeID()
		if mentor == mentee {
			return nil, errcode.BadInput("menteeID", "nobody mentors themselves / 导师与学员不能是同一人")
		}
		c := m.Client()
		dup, err := c.Mentorship.Query().Where(
			mentorship.MentorID(mentor), mentorship.MenteeID(mentee), mentorship.StatusEQ(mentorship.StatusACTIVE),
		).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if dup {
			return nil, errcode.ConflictWith("this mentor already mentors this mentee / 该结对已存在")
		}
		cycle, err := reaches(ctx, c, mentee, mentor)
		if err != nil {
			return nil, err
		}
		if cycle {
			return nil, errcode.ConflictWith("the mentee is already above the mentor in the mentoring lineage; the pair would close a cycle / 学员已是导师的上级帮带人，不能形成循环")
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)

// reaches reports whether `to` is a mentee, mentee's mentee … of `from`, by
// one recursive query (UNION stops on any cycle already present).
func reaches(ctx context.Context, c *gen.Client, from, to int) (bool, error) {
	const q = `WITH RECURSIVE down(id) AS (
		SELECT mentee_id FROM mentorships WHERE mentor_id = $1
		UNION
		SELECT m.mentee_id FROM mentorships m JOIN down d ON m.mentor_id = d.id
	) SELECT COUNT(*) FROM down WHERE id = $2`
	rows, err := c.QueryContext(ctx, q, from, to)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
	}
	return n > 0, rows.Err()
}

var checkAdviserAppointment = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.AdviserAppointmentFunc(func(ctx context.Context, m *gen.AdviserAppointmentMutation) (gen.Value, error) {
		village, _ := m.VillageID()
		if err := requireLevel(ctx, m.Client(), village, "villageID", "an adviser appointment", region.LevelVILLAGE); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)

var checkExpertAssignment = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ExpertAssignmentFunc(func(ctx context.Context, m *gen.ExpertAssignmentMutation) (gen.Value, error) {
		if m.Op().Is(gen.OpCreate) {
			r, _ := m.RegionID()
			if err := requireLevel(ctx, m.Client(), r, "regionID", "an expert assignment",
				region.LevelCOUNTY, region.LevelTOWNSHIP, region.LevelVILLAGE); err != nil {
				return nil, err
			}
		}
		if fields, ok := m.GetFields(); ok {
			if err := checkFields("fields", fields); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdateOne)

var checkDemand = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.DemandFunc(func(ctx context.Context, m *gen.DemandMutation) (gen.Value, error) {
		r, _ := m.RegionID()
		if err := requireLevel(ctx, m.Client(), r, "regionID", "a demand",
			region.LevelCOUNTY, region.LevelTOWNSHIP, region.LevelVILLAGE); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)

var checkContribution = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.ContributionFunc(func(ctx context.Context, m *gen.ContributionMutation) (gen.Value, error) {
		_, fromAppointment := m.AppointmentID()
		_, fromAssignment := m.AssignmentID()
		if fromAppointment == fromAssignment {
			return nil, errcode.BadInput("appointmentID", "a contribution is credited to exactly one adviser appointment or expert assignment / 成效须且仅须对应一项聘任或选派")
		}
		village, _ := m.VillageID()
		if err := requireLevel(ctx, m.Client(), village, "villageID", "a contribution", region.LevelVILLAGE); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate)
