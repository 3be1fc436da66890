package demo

import (
	"math"
	"time"

	"yanzhen/ent/person"
	"yanzhen/ent/post"
)

// wuzhongSeat is a village secretary of 吴忠 in the 2018 term, the 2021
// term or both (连任).
type wuzhongSeat struct {
	p      *profile
	v      *place
	county *place
	// in2018, in2021: in force on the county's 2018 / 2021 election day.
	in2018, in2021 bool
	// new: elected in 2021 without having held the seat before.
	new                  bool
	adjusted             bool
	age                  int // on the reference day: 2021's for the 2021 term, else 2018's
	role2018, role2021   post.Role
	college18, college21 bool
}

// wuzhongElectionDays are the 2018 and 2021 换届 days of 吴忠's i-th county.
func wuzhongElectionDays(i int) (time.Time, time.Time) {
	return date(2018, time.March, 18).AddDate(0, 0, 3*i), date(2021, time.April, 10).AddDate(0, 0, 4*i)
}

// planWuzhongTerms plans the village secretaries of 吴忠 over two terms so
// that the term comparison gives the report's figures: 497 secretaries in
// force on the 2021 election days, their mean age (completed years on their
// county's day) 1.5 years below the 2018 term's, 大专及以上 25 points and 一肩挑
// 34.6 points higher (education read as of each day), 272 致富带头人, 18
// re-elected secretaries aged 60 or more, 146 predecessors adjusted
// (调整不适应不胜任) at the 换届. Every village had a secretary on the 2018
// day; the 12 villages beyond 497 were left vacant in 2021. Every 2018-term
// post ends the day before the 2021 election (re-elected secretaries take a
// new post on the day).
func planWuzhongTerms(p *plan, a *area, f *factory) []*wuzhongSeat {
	r := f.r
	days := map[int][2]time.Time{}
	for i, c := range a.counties {
		d18, d21 := wuzhongElectionDays(i)
		days[c.ID] = [2]time.Time{d18, d21}
	}
	withVillages := map[int]bool{}
	for _, v := range a.villages {
		if c := a.county(v); !withVillages[c.ID] {
			withVillages[c.ID] = true
			p.elections(c, days[c.ID][0], days[c.ID][1])
		}
	}
	d18 := func(s *wuzhongSeat) time.Time { return days[s.county.ID][0] }
	d21 := func(s *wuzhongSeat) time.Time { return days[s.county.ID][1] }

	led := map[int]bool{}
	for _, v := range sample(r, a.villages, wuzhongSecretaries) {
		led[v.ID] = true
	}
	ledOrder := make([]int, 0, wuzhongSecretaries)
	for i, v := range a.villages {
		if led[v.ID] {
			ledOrder = append(ledOrder, i)
		}
	}
	retained := map[int]bool{}
	for _, k := range r.Perm(len(ledOrder))[:wuzhongRetained] {
		retained[ledOrder[k]] = true
	}
	var term18, term21, kept, fresh, leavers []*wuzhongSeat
	for i, v := range a.villages {
		s := &wuzhongSeat{v: v, county: a.county(v), in2018: true}
		term18 = append(term18, s)
		switch {
		case retained[i]:
			s.in2021 = true
			term21 = append(term21, s)
			kept = append(kept, s)
		case led[v.ID]:
			leavers = append(leavers, s)
			n := &wuzhongSeat{v: v, county: s.county, in2021: true, new: true}
			term21 = append(term21, n)
			fresh = append(fresh, n)
		default:
			leavers = append(leavers, s)
		}
	}
	for _, k := range r.Perm(len(leavers))[:wuzhongAdjusted] {
		leavers[k].adjusted = true
	}

	// Ages. The re-elected: 18 aged 60 to 65 on the 2021 day, the rest 36
	// to 57; their 2018 ages follow from their birth days.
	old := map[int]bool{}
	for _, k := range r.Perm(len(kept))[:wuzhongOver60] {
		old[k] = true
	}
	sum21, sum18 := 0, 0
	for k, s := range kept {
		s.age = 36 + r.IntN(12) + r.IntN(11)
		if old[k] {
			s.age = 60 + r.IntN(6)
		}
		s.p = f.personOn(s.county.Code, d21(s), s.age, r.IntN(100) < 8, ningxia)
		sum21 += s.age
		sum18 += ageAt(s.p.Birth, d18(s))
	}
	for _, s := range fresh {
		s.age = 30 + r.IntN(11) + r.IntN(10)
		sum21 += s.age
	}
	for _, s := range leavers {
		if s.adjusted {
			s.age = 34 + r.IntN(12) + r.IntN(12)
		} else {
			s.age = 48 + r.IntN(8) + r.IntN(8) // 到龄 or not standing again
		}
		sum18 += s.age
	}
	// Nudge the newcomers' ages a year at a time until the mean age at
	// election is 1.5 years (to a thousandth) below the 2018 term's.
	diff := func() float64 { return float64(sum21)/float64(len(term21)) - float64(sum18)/float64(len(term18)) }
	for math.Abs(diff()-wuzhongAgeDrop) > 0.0011 {
		s := fresh[r.IntN(len(fresh))]
		switch {
		case diff() > wuzhongAgeDrop && s.age > 27:
			s.age--
			sum21--
		case diff() < wuzhongAgeDrop && s.age < 55:
			s.age++
			sum21++
		}
	}
	for _, s := range fresh {
		s.p = f.personOn(s.county.Code, d21(s), s.age, r.IntN(100) < 10, ningxia)
	}
	for _, s := range leavers {
		s.p = f.personOn(s.county.Code, d18(s), s.age, r.IntN(100) < 6, ningxia)
	}

	// 一肩挑 and 大专及以上: exact counts on each side.
	o18, o21 := sharePair(len(term18), len(term21), 0.36, wuzhongOneShoulderRise)
	role := func(n, k int) []post.Role {
		roles := make([]post.Role, n)
		for i := range roles {
			roles[i] = post.RolePARTY_SECRETARY
		}
		for _, i := range r.Perm(n)[:k] {
			roles[i] = post.RoleSECRETARY_AND_DIRECTOR
		}
		return roles
	}
	for i, x := range role(len(term18), o18) {
		term18[i].role2018 = x
	}
	for i, x := range role(len(term21), o21) {
		term21[i].role2021 = x
	}
	c18, c21 := sharePair(len(term18), len(term21), 0.28, wuzhongCollegeRise)
	for _, i := range r.Perm(len(term18))[:c18] {
		term18[i].college18 = true
	}
	var open []*wuzhongSeat // 2021 secretaries not already college-educated in 2018
	forced := 0
	for _, s := range term21 {
		if s.college18 {
			s.college21 = true
			forced++
		} else {
			open = append(open, s)
		}
	}
	for _, i := range r.Perm(len(open))[:c21-forced] {
		open[i].college21 = true
	}
	var late []*wuzhongSeat // 学历提升 after the 2021 election
	for _, s := range term21 {
		if !s.college21 && len(late) < wuzhongLateDegrees && r.IntN(100) < 10 {
			late = append(late, s)
		}
	}
	for _, s := range term18 {
		if !s.in2021 {
			s.p.Education = pick(s.college18, collegeLevel(r), schoolLevel(r))
		}
	}
	for _, s := range term21 {
		switch {
		case s.college21 && (s.new || s.college18):
			s.p.Education = collegeLevel(r)
		case s.college21: // re-elected, 学历提升 during the 2018 term
			p.upgrade(s.p, schoolLevel(r), person.EducationJUNIOR_COLLEGE,
				randomDay(r, d18(s).AddDate(1, 3, 0), d21(s).AddDate(0, -3, 0)), wuzhongDegreeNote)
		default:
			s.p.Education = schoolLevel(r)
		}
	}
	for _, s := range late {
		p.upgrade(s.p, s.p.Education, person.EducationJUNIOR_COLLEGE, randomDay(r, date(2022, 7, 1), date(2024, 7, 1)), wuzhongDegreeNote)
	}

	// 致富带头人: 272 of the 2021 secretaries; tags never change here, so
	// today's reading is the election day's.
	rich := map[*wuzhongSeat]bool{}
	for _, i := range r.Perm(len(term21))[:wuzhongRichLeaders] {
		rich[term21[i]] = true
	}
	for _, s := range term18 {
		if !s.in2021 && r.IntN(100) < 25 {
			rich[s] = true
		}
	}

	// The people and their posts, village by village.
	for _, s := range append(append([]*wuzhongSeat{}, term18...), fresh...) {
		pp := s.p
		pp.HomeVillageID = s.v.ID
		pp.rank = rankSecretary
		f.joinParty(pp)
		if rich[s] {
			pp.addTag("RICH_LEADER")
		}
		if pp.Gender == person.GenderMALE && r.IntN(100) < 10 {
			pp.addTag("VETERAN")
		}
		if r.IntN(100) < 15 {
			pp.addTag("RETURNEE")
		}
		if isCollege(pp.Education) && ageAt(pp.Birth, f.asOf) < 35 {
			pp.addTag("COLLEGE_GRADUATE")
		}
		p.add(pp)
		if s.in2018 {
			start := d18(s)
			if r.IntN(100) < 45 {
				start = randomDay(r, date(2011, 1, 1), d18(s).AddDate(0, 0, -1)) // re-elected in 2018
			}
			end := d21(s).AddDate(0, 0, -1)
			pl := &postPlan{Who: pp, Region: s.v, Role: s.role2018, Start: start, End: end, Exit: post.ExitKindTERM_ENDED}
			switch {
			case s.in2021:
				pl.EndReason = "任期届满，换届连任"
			case s.adjusted:
				pl.EndReason, pl.Exit = "调整不适应不胜任", post.ExitKindADJUSTED
			case s.age >= 55:
				pl.EndReason = "到龄卸任"
			default:
				pl.EndReason = "任期届满，不再连任"
			}
			p.post(pl)
		}
		if s.in2021 {
			p.post(&postPlan{Who: pp, Region: s.v, Role: s.role2021, Start: d21(s)})
		}
	}
	return term21
}

// sharePair chooses counts k1 of n1 and k2 of n2, k1 near share·n1, whose
// shares differ by rise as closely as whole people allow.
func sharePair(n1, n2 int, share, rise float64) (int, int) {
	base := int(math.Round(share * float64(n1)))
	best1, best2, bestErr := 0, 0, math.Inf(1)
	for k1 := base - 30; k1 <= base+30; k1++ {
		k2 := int(math.Round((rise + float64(k1)/float64(n1)) * float64(n2)))
		if k1 < 0 || k2 > n2 {
			continue
		}
		if e := math.Abs(float64(k2)/float64(n2) - float64(k1)/float64(n1) - rise); e < bestErr {
			best1, best2, bestErr = k1, k2, e
		}
	}
	return best1, best2
}

func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// personOn draws a person aged age in completed years on day (rather than
// on the as-of day).
func (f *factory) personOn(county string, day time.Time, age int, female bool, mix ethnicMix) *profile {
	saved := f.asOf
	f.asOf = day
	defer func() { f.asOf = saved }()
	return f.newPerson(county, age, female, mix)
}
