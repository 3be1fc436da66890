package roster

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/reward"
	"yanzhen/ent/servicerecord"
	"yanzhen/ent/trainingclass"
	"yanzhen/errcode"
	"yanzhen/rules"
)

// The guard against drift: each bad case goes through an ent write (what
// GraphQL mutations and the roster writer use) and through roster
// validation, and both must refuse it by the same rule.
func TestBothWritersRefuseAlike(t *testing.T) {
	ctx := auth.System(context.Background())
	onDay := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	postRow := func(person, code, role, list, dispatch, start, end string) *Sheet {
		return sheet("任职", []string{"人员编号", "地区代码", "职务", "后备类别", "派驻层级", "开始日期", "结束日期"},
			[]string{person, code, role, list, dispatch, start, end})
	}
	personRow := func(gender, birth, idNumber, village string) *Sheet {
		return people([]string{"N1", "新人", gender, birth, "", idNumber, village})
	}
	pairRow := func(mentor, mentee string) *Sheet { return pairs([]string{"M9", mentor, mentee, "x+N", "2025-01-01"}) }
	tomorrow := time.Now().In(rules.China).AddDate(0, 0, 2).Format(time.DateOnly)

	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		c := db.Client
		village := c.Region.Query().Where(region.Code("150221105220")).OnlyX(ctx)
		township := c.Region.Query().Where(region.Code("150221105")).OnlyX(ctx)
		// On file: A1 is the village's secretary since 2021; A1 mentors B1,
		// who mentors C1.
		who := map[string]*ent.Person{}
		for _, no := range []string{"A1", "B1", "C1"} {
			who[no] = c.Person.Create().SetName(no).SetExternalID(no).SaveX(ctx)
		}
		c.Post.Create().SetPersonID(who["A1"].ID).SetRegionID(village.ID).SetRole(post.RolePARTY_SECRETARY).
			SetStartDate(onDay("2021-01-01")).SaveX(ctx)
		c.Mentorship.Create().SetMentorID(who["A1"].ID).SetMenteeID(who["B1"].ID).SetProgram(mentorship.ProgramQINGLAN).
			SetStartDate(onDay("2023-01-01")).SaveX(ctx)
		c.Mentorship.Create().SetMentorID(who["B1"].ID).SetMenteeID(who["C1"].ID).SetProgram(mentorship.ProgramTUTOR).
			SetStartDate(onDay("2023-01-01")).SaveX(ctx)

		// An appointment and an assignment on file, for the records dated
		// in the future.
		appt := c.AdviserAppointment.Create().SetExternalID("PR1").SetPersonID(who["B1"].ID).SetVillageID(village.ID).
			SetKind(adviserappointment.KindDEVELOPMENT_ADVISER).SetStartDate(onDay("2024-01-01")).SaveX(ctx)
		assign := c.ExpertAssignment.Create().SetExternalID("XP1").SetExpertID(who["C1"].ID).SetRegionID(township.ID).
			SetStartDate(onDay("2024-01-01")).SaveX(ctx)

		newPost := func(no string, r *ent.Region, role post.Role, start, end string) *ent.PostCreate {
			b := c.Post.Create().SetPersonID(who[no].ID).SetRegionID(r.ID).SetRole(role).SetStartDate(onDay(start))
			if end != "" {
				b.SetEndDate(onDay(end))
			}
			return b
		}
		newPerson := func(gender, birth, idNumber string) *ent.PersonCreate {
			b := c.Person.Create().SetName("新人").SetIDNumber(idNumber)
			if gender != "" {
				b.SetGender(person.Gender(gender))
			}
			if birth != "" {
				b.SetBirthDate(onDay(birth))
			}
			return b
		}
		c.Assessment.Create().SetPersonID(who["A1"].ID).SetRegionID(township.ID).SetYear(2023).
			SetGrade(assessment.GradeEXCELLENT).SaveX(ctx)
		nextYear := time.Now().In(rules.China).Year() + 1
		newPair := func(mentor, mentee string) error {
			_, err := c.Mentorship.Create().SetMentorID(who[mentor].ID).SetMenteeID(who[mentee].ID).
				SetProgram(mentorship.ProgramX_PLUS_N).SetStartDate(onDay("2025-01-01")).Save(ctx)
			return err
		}
		cases := []struct {
			rule   rules.Code
			write  func() error
			roster *Sheet
		}{
			{rules.EndBeforeStart, func() error {
				_, err := newPost("C1", village, post.RoleCOMMITTEE_MEMBER, "2024-05-01", "2024-04-30").Save(ctx)
				return err
			}, postRow("C1", "150221105220", "两委委员", "", "", "2024-05-01", "2024-04-30")},
			{rules.WrongLevel, func() error {
				_, err := newPost("C1", township, post.RoleCOMMITTEE_MEMBER, "2024-05-01", "").Save(ctx)
				return err
			}, postRow("C1", "150221105", "两委委员", "", "", "2024-05-01", "")},
			{rules.WrongLevel, func() error {
				_, err := c.Person.Create().SetName("新人").SetHomeVillageID(township.ID).Save(ctx)
				return err
			}, personRow("", "", "", "150221105")},
			{rules.SecondSecretary, func() error {
				_, err := newPost("B1", village, post.RoleSECRETARY_AND_DIRECTOR, "2024-01-01", "").Save(ctx)
				return err
			}, postRow("B1", "150221105220", "书记主任一肩挑", "", "", "2024-01-01", "")},
			{rules.SecondSecretary, func() error { // a closed term overlapping the current one
				_, err := newPost("B1", village, post.RolePARTY_SECRETARY, "2020-01-01", "2021-01-01").Save(ctx)
				return err
			}, postRow("B1", "150221105220", "党组织书记", "", "", "2020-01-01", "2021-01-01")},
			{rules.ReserveListMissing, func() error {
				_, err := newPost("C1", village, post.RoleRESERVE_CADRE, "2024-01-01", "").Save(ctx)
				return err
			}, postRow("C1", "150221105220", "后备干部", "", "", "2024-01-01", "")},
			{rules.ReserveListNotAllowed, func() error {
				_, err := newPost("C1", village, post.RoleCOMMITTEE_MEMBER, "2024-01-01", "").
					SetReserveList(post.ReserveListSECRETARY_CANDIDATE).Save(ctx)
				return err
			}, postRow("C1", "150221105220", "两委委员", "书记培养对象", "", "2024-01-01", "")},
			{rules.DispatchNotAllowed, func() error {
				_, err := newPost("C1", village, post.RoleCOMMITTEE_MEMBER, "2024-01-01", "").
					SetDispatchLevel(post.DispatchLevelCOUNTY).Save(ctx)
				return err
			}, postRow("C1", "150221105220", "两委委员", "", "县派", "2024-01-01", "")},
			{rules.IDFormat, func() error { _, err := newPerson("", "", "15022119880512").Save(ctx); return err },
				personRow("", "", "15022119880512", "")},
			{rules.IDCheckDigit, func() error { _, err := newPerson("", "", "150221198805120028").Save(ctx); return err },
				personRow("", "", "150221198805120028", "")},
			{rules.IDBirthMismatch, func() error { _, err := newPerson("", "1988-05-13", womanID).Save(ctx); return err },
				personRow("", "1988-05-13", womanID, "")},
			{rules.IDBirthMonthMismatch, func() error { // 出生年月 in another month than the number's
				_, err := newPerson("", "1988-06-01", womanID).SetBirthDatePrecision(person.BirthDatePrecisionMONTH).Save(ctx)
				return err
			}, personRow("", "1988.06", womanID, "")},
			{rules.IDGenderMismatch, func() error { _, err := newPerson("MALE", "", womanID).Save(ctx); return err },
				personRow("男", "", womanID, "")},
			{rules.BirthDateInFuture, func() error {
				_, err := c.Person.Create().SetName("新人").SetBirthDate(onDay(tomorrow)).Save(ctx)
				return err
			}, personRow("", tomorrow, "", "")},
			{rules.DateInFuture, func() error {
				_, err := c.ContactLog.Create().SetAppointmentID(appt.ID).SetDate(onDay(tomorrow)).
					SetMode(contactlog.ModeVISIT).Save(ctx)
				return err
			}, sheet("联系记录", []string{"聘任编号", "联系日期", "方式"}, []string{"PR1", tomorrow, "走访"})},
			{rules.DateInFuture, func() error {
				_, err := c.ServiceRecord.Create().SetAssignmentID(assign.ID).SetDate(onDay(tomorrow)).
					SetKind(servicerecord.KindTRAINING).Save(ctx)
				return err
			}, sheet("服务记录", []string{"选派编号", "日期", "类型"}, []string{"XP1", tomorrow, "培训"})},
			{rules.DateInFuture, func() error { // an update that moves the date
				l := c.ContactLog.Create().SetAppointmentID(appt.ID).SetDate(onDay("2025-01-01")).
					SetMode(contactlog.ModePHONE).SaveX(ctx)
				_, err := l.Update().SetDate(onDay(tomorrow)).Save(ctx)
				return err
			}, sheet("联系记录", []string{"聘任编号", "联系日期", "方式"}, []string{"PR1", tomorrow, "电话"})},
			// The work cycle.
			{rules.SecondAssessment, func() error { // A1's 2023 assessment is the township's
				_, err := c.Assessment.Create().SetPersonID(who["A1"].ID).SetRegionID(village.ID).SetYear(2023).
					SetGrade(assessment.GradeCOMPETENT).Save(ctx)
				return err
			}, sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次"}, []string{"A1", "150221105220", "2023", "称职"})},
			{rules.RankOutOfRange, func() error {
				_, err := c.Assessment.Create().SetPersonID(who["B1"].ID).SetRegionID(village.ID).SetYear(2024).
					SetGrade(assessment.GradeEXCELLENT).SetRank(13).SetRankedAmong(12).SetRankScope(assessment.RankScopeCOUNTY).Save(ctx)
				return err
			}, sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次", "排名", "参评人数", "排名范围"},
				[]string{"B1", "150221105220", "2024", "优秀", "13", "12", "县"})},
			{rules.RankIncomplete, func() error {
				_, err := c.Assessment.Create().SetPersonID(who["B1"].ID).SetRegionID(village.ID).SetYear(2024).
					SetGrade(assessment.GradeEXCELLENT).SetRank(1).Save(ctx)
				return err
			}, sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次", "排名"}, []string{"B1", "150221105220", "2024", "优秀", "1"})},
			{rules.YearOutOfRange, func() error {
				_, err := c.StarRating.Create().SetVillageID(village.ID).SetYear(nextYear).SetStars(5).Save(ctx)
				return err
			}, sheet("星级评定", []string{"村代码", "年度", "星级"}, []string{"150221105220", strconv.Itoa(nextYear), "5"})},
			{rules.CompletedNotDone, func() error {
				_, err := c.DutyItem.Create().SetPersonID(who["A1"].ID).SetRegionID(village.ID).SetYear(2024).SetTask("修路").
					SetKind(dutyitem.KindKEY).SetStatus(dutyitem.StatusOPEN).SetCompletedOn(onDay("2024-05-01")).Save(ctx)
				return err
			}, sheet("履职清单", []string{"人员编号", "村代码", "年度", "任务", "类别", "状态", "完成日期"},
				[]string{"A1", "150221105220", "2024", "修路", "重点", "推进中", "2024-05-01"})},
			{rules.WrongLevel, func() error {
				_, err := c.Term.Create().SetRegionID(township.ID).SetName("换届").SetElectedOn(onDay("2021-03-31")).Save(ctx)
				return err
			}, sheet("换届", []string{"县代码", "名称", "换届日期"}, []string{"150221105", "换届", "2021-03-31"})},
			{rules.DateInFuture, func() error {
				_, err := c.Reward.Create().SetPersonID(who["A1"].ID).SetRegionID(village.ID).SetKind(reward.KindREWARD).
					SetTitle("先进").SetLevel(reward.LevelCOUNTY).SetDate(onDay(tomorrow)).Save(ctx)
				return err
			}, sheet("奖惩", []string{"人员编号", "地区代码", "类别", "名称", "级别", "日期"}, []string{"A1", "150221105220", "奖励", "先进", "县级", tomorrow})},
			{rules.EndsBeforeStart, func() error {
				_, err := c.TrainingClass.Create().SetRegionID(township.ID).SetName("班").SetKind(trainingclass.KindOTHER).
					SetStartsOn(onDay("2024-04-08")).SetEndsOn(onDay("2024-04-01")).Save(ctx)
				return err
			}, sheet("培训班次", []string{"班次名称", "地区代码", "类型", "开始日期", "结束日期"}, []string{"班", "150221105", "其他", "2024-04-08", "2024-04-01"})},
			{rules.HoursOutOfRange, func() error {
				_, err := c.TrainingClass.Create().SetRegionID(township.ID).SetName("班").SetKind(trainingclass.KindOTHER).
					SetStartsOn(onDay("2024-04-08")).SetHours(3000).Save(ctx)
				return err
			}, sheet("培训班次", []string{"班次名称", "地区代码", "类型", "开始日期", "学时"}, []string{"班", "150221105", "其他", "2024-04-08", "3000"})},
			{rules.ExitWithoutEnd, func() error {
				_, err := newPost("C1", village, post.RoleCOMMITTEE_MEMBER, "2024-01-01", "").SetExitKind(post.ExitKindRESIGNED).Save(ctx)
				return err
			}, sheet("任职", []string{"人员编号", "地区代码", "职务", "开始日期", "离任方式"}, []string{"C1", "150221105220", "两委委员", "2024-01-01", "辞职"})},
			{rules.SelfMentoring, func() error { return newPair("A1", "A1") }, pairRow("A1", "A1")},
			{rules.SecondActivePair, func() error { return newPair("A1", "B1") }, pairRow("A1", "B1")},
			{rules.MentoringCycle, func() error { return newPair("B1", "A1") }, pairRow("B1", "A1")},
			{rules.MentoringCycle, func() error { return newPair("C1", "A1") }, pairRow("C1", "A1")},
		}
		for _, tc := range cases {
			err := tc.write()
			var v *rules.Violation
			if !errors.As(err, &v) || v.Code != tc.rule {
				t.Errorf("%s: the ent write answered %v", tc.rule, err)
			} else if e, ok := errcode.As(err); !ok || (e.Code == errcode.Conflict) != v.Conflict() || e.Field != v.Field && !v.Conflict() {
				t.Errorf("%s: the API sees %+v", tc.rule, e)
			}
			rep, err := Import(ctx, db.DB, &Workbook{Sheets: []*Sheet{tc.roster}}, ImportOptions{})
			var rule []rules.Code
			for _, p := range rep.Problems {
				rule = append(rule, p.Rule)
			}
			if err == nil || len(rule) != 1 || rule[0] != tc.rule {
				t.Errorf("%s: the roster answered %v, %v", tc.rule, err, rep.Problems)
			}
		}
		if n := c.Person.Query().CountX(ctx); n != 3 {
			t.Fatalf("%d people: a bad case was written", n)
		}
		if n := c.Assessment.Query().CountX(ctx) + c.TrainingClass.Query().CountX(ctx) + c.Term.Query().CountX(ctx) +
			c.Reward.Query().CountX(ctx) + c.DutyItem.Query().CountX(ctx) + c.StarRating.Query().CountX(ctx); n != 1 {
			t.Fatalf("%d work-cycle records, want the one assessment on file: a bad case was written", n)
		}
		if n := c.ServiceRecord.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d service records: a bad case was written", n)
		}
		if n := c.ContactLog.Query().Where(contactlog.DateGT(onDay("2025-01-01"))).CountX(ctx); n != 0 {
			t.Fatalf("%d contact logs in the future: a bad case was written", n)
		}
	})
}
