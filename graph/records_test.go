package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/reward"
	"yanzhen/ent/starrating"
	"yanzhen/graph/relay"
	"yanzhen/rules"
)

// records is the scoped world with 奖惩, 星级评定 and audits in and out of
// 土默特右旗: vA and vB in 萨拉齐镇, vC in 双龙镇, other in another county.
type records struct {
	scoped
	// rA, rA23: 甲 rewarded in vA (2024, 2023); rAOut: 甲 rewarded in the
	// other county (甲 is visible in 土默特右旗, that reward is not);
	// rB: 乙 punished in vB; rC: 丙 rewarded in vC; rOut: the outside
	// cadre rewarded in their county.
	rA, rA2, rA23, rAOut, rB, rC, rOut *ent.Reward
	sA, sB, sC, sOut, sA23             *ent.StarRating
	aA, aAOut, aOut                    *ent.OfficeAudit
}

func makeRecords(t *testing.T, db *dbtest.DB) records {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	r := records{scoped: makeScoped(t, db)}
	vA, vB, vC := r.villages[0], r.villages[1], r.villages[3]
	rw := func(p *ent.Person, at *ent.Region, kind reward.Kind, title, day string, amount int64) *ent.Reward {
		q := c.Reward.Create().SetPerson(p).SetRegion(at).SetKind(kind).SetTitle(title).SetLevel(reward.LevelCOUNTY).SetDate(date(day))
		if amount > 0 {
			q.SetAmountYuan(amount)
		}
		return q.SaveX(ctx)
	}
	r.rA = rw(r.inA, vA, reward.KindREWARD, "优秀党务工作者", "2024-05-01", 2000)
	// A second reward of 甲 in the same year: counted twice, 甲 once.
	r.rA2 = rw(r.inA, vA, reward.KindREWARD, "先进个人", "2024-08-01", 0)
	r.rA23 = rw(r.inA, vA, reward.KindREWARD, "表彰", "2023-12-01", 100)
	r.rAOut = rw(r.inA, r.other, reward.KindREWARD, "外县表彰", "2024-02-01", 300)
	r.rB = rw(r.inB, vB, reward.KindPUNISHMENT, "通报批评", "2024-07-01", 0)
	r.rC = rw(r.inC, vC, reward.KindREWARD, "致富带头人", "2024-03-01", 500)
	r.rOut = rw(r.outside, r.other, reward.KindREWARD, "外县先进", "2024-01-01", 9999)
	sr := func(v *ent.Region, year, stars int) *ent.StarRating {
		return c.StarRating.Create().SetVillage(v).SetYear(year).SetStars(stars).SetTitle("星级党组织").SaveX(ctx)
	}
	r.sA, r.sB, r.sC, r.sOut, r.sA23 = sr(vA, 2024, 5), sr(vB, 2024, 3), sr(vC, 2024, 5), sr(r.other, 2024, 4), sr(vA, 2023, 4)
	au := func(v *ent.Region, p *ent.Person, kind string) *ent.OfficeAudit {
		return c.OfficeAudit.Create().SetRegion(v).SetPerson(p).SetKind(officeaudit.Kind(kind)).SetDate(date("2024-04-01")).SetFindings("审计发现").SaveX(ctx)
	}
	r.aA = au(vA, r.inA, "MID_TERM")
	r.aAOut = au(r.other, r.inA, "SPECIAL")
	r.aOut = au(r.other, r.outside, "DEPARTURE")
	return r
}

func TestRecordsSeenInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		r := makeRecords(t, db)
		type totals struct {
			Rewards, StarRatings, OfficeAudits struct{ TotalCount int }
		}
		const listAll = `{ rewards { totalCount } starRatings { totalCount } officeAudits { totalCount } }`
		for _, c := range []struct {
			name                   string
			v                      *auth.Viewer
			rewards, stars, audits int
		}{
			{"national", r.national, 7, 5, 3},
			{"county", r.county, 5, 4, 1},
			{"township", r.townUser, 4, 3, 1},
			{"village", r.village, 3, 2, 1},
			{"partner", r.partner, 0, 0, 0},
		} {
			var out totals
			newAPIAs(t, db, c.v).ok(listAll, nil, &out)
			if out.Rewards.TotalCount != c.rewards || out.StarRatings.TotalCount != c.stars || out.OfficeAudits.TotalCount != c.audits {
				t.Errorf("%s sees %+v, want %d rewards, %d ratings, %d audits", c.name, out, c.rewards, c.stars, c.audits)
			}
		}
		anon := newAPIAs(t, db, nil)
		for _, q := range []string{`{ rewards { totalCount } }`, `{ starRatings { totalCount } }`, `{ officeAudits { totalCount } }`} {
			anon.fails("UNAUTHENTICATED", q, nil)
		}
		anon.fails("UNAUTHENTICATED", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(r.rA.ID)})

		// node(id): out of scope is NOT_FOUND, like a missing record.
		node := `query($id: ID!) { node(id: $id) { id ... on Reward { title } ... on StarRating { stars } ... on OfficeAudit { findings } } }`
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			id   int
			seen bool
		}{
			{"county", r.county, r.rA.ID, true}, {"county", r.county, r.rOut.ID, false}, {"county", r.county, r.rAOut.ID, false},
			{"county", r.county, r.sC.ID, true}, {"county", r.county, r.sOut.ID, false},
			{"county", r.county, r.aA.ID, true}, {"county", r.county, r.aOut.ID, false},
			{"township", r.townUser, r.rB.ID, true}, {"township", r.townUser, r.rC.ID, false}, {"township", r.townUser, r.sC.ID, false},
			{"village", r.village, r.rA.ID, true}, {"village", r.village, r.rB.ID, false}, {"village", r.village, r.sB.ID, false},
			{"village", r.village, r.aA.ID, true},
			{"partner", r.partner, r.rA.ID, false}, {"partner", r.partner, r.sA.ID, false}, {"partner", r.partner, r.aA.ID, false},
			{"national", r.national, r.aOut.ID, true},
		} {
			a := newAPIAs(t, db, c.v)
			vars := map[string]any{"id": gid(c.id)}
			if c.seen {
				a.ok(node, vars, nil)
				continue
			}
			resp := a.fails("NOT_FOUND", node, vars)
			if contains(resp.Raw, "外县") {
				t.Fatalf("%s: leaked %s", c.name, resp.Raw)
			}
		}

		// Nested edges: a person's rewards and audits are those the viewer
		// may see — 甲's reward and audit in the other county stay out.
		var person struct {
			Node struct {
				Rewards struct {
					TotalCount int
					Edges      []struct{ Node struct{ Title string } }
				}
				OfficeAudits struct{ TotalCount int }
			}
		}
		personQ := `query($id: ID!) { node(id: $id) { ... on Person {
			rewards(orderBy: {field: DATE, direction: ASC}) { totalCount edges { node { title } } }
			officeAudits { totalCount } } } }`
		newAPIAs(t, db, r.county).ok(personQ, map[string]any{"id": gid(r.inA.ID)}, &person)
		if person.Node.Rewards.TotalCount != 3 || person.Node.OfficeAudits.TotalCount != 1 {
			t.Fatalf("county sees 甲's records %+v, want 3 rewards and 1 audit", person.Node)
		}
		var titles []string
		for _, e := range person.Node.Rewards.Edges {
			titles = append(titles, e.Node.Title)
		}
		if want := []string{"表彰", "优秀党务工作者", "先进个人"}; !slices.Equal(titles, want) {
			t.Fatalf("county sees 甲's rewards %v by date, want %v", titles, want)
		}
		newAPIAs(t, db, r.national).ok(personQ, map[string]any{"id": gid(r.inA.ID)}, &person)
		if person.Node.Rewards.TotalCount != 4 || person.Node.OfficeAudits.TotalCount != 2 {
			t.Fatalf("national sees 甲's records %+v, want 4 rewards and 2 audits", person.Node)
		}

		// A region is public; its records are not.
		regionQ := `query($c: String!) { region(code: $c) {
			rewards { totalCount } starRatings(orderBy: {field: YEAR, direction: DESC}) { totalCount edges { node { year stars } } }
			officeAudits { totalCount } } }`
		var reg struct {
			Region struct {
				Rewards     struct{ TotalCount int }
				StarRatings struct {
					TotalCount int
					Edges      []struct{ Node struct{ Year, Stars int } }
				}
				OfficeAudits struct{ TotalCount int }
			}
		}
		newAPIAs(t, db, r.village).ok(regionQ, map[string]any{"c": r.villages[0].Code}, &reg)
		if reg.Region.Rewards.TotalCount != 3 || reg.Region.StarRatings.TotalCount != 2 || reg.Region.OfficeAudits.TotalCount != 1 ||
			reg.Region.StarRatings.Edges[0].Node.Year != 2024 || reg.Region.StarRatings.Edges[0].Node.Stars != 5 {
			t.Fatalf("village A's own records: %+v", reg.Region)
		}
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", regionQ, map[string]any{"c": r.villages[0].Code})
		for _, v := range []*auth.Viewer{r.county, r.partner} {
			newAPIAs(t, db, v).ok(regionQ, map[string]any{"c": r.other.Code}, &reg)
			if reg.Region.Rewards.TotalCount+reg.Region.StarRatings.TotalCount+reg.Region.OfficeAudits.TotalCount != 0 {
				t.Fatalf("the other county's records are visible: %+v", reg.Region)
			}
		}

		// Filters, at the root and as relation filters, count only what the
		// viewer may load.
		count := func(v *auth.Viewer, q string) int {
			t.Helper()
			var out struct{ R struct{ TotalCount int } }
			newAPIAs(t, db, v).ok(q, nil, &out)
			return out.R.TotalCount
		}
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			q    string
			want int
		}{
			{"county punishments", r.county, `{ r: rewards(where: {kind: PUNISHMENT}) { totalCount } }`, 1},
			{"county rewards with amounts", r.county, `{ r: rewards(where: {amountYuanGT: 0}) { totalCount } }`, 3},
			{"national rewards with amounts", r.national, `{ r: rewards(where: {amountYuanGT: 0}) { totalCount } }`, 5},
			{"county five stars", r.county, `{ r: starRatings(where: {stars: 5}) { totalCount } }`, 2},
			{"village five stars", r.village, `{ r: starRatings(where: {stars: 5}) { totalCount } }`, 1},
			{"county open audits", r.county, `{ r: officeAudits(where: {status: OPEN}) { totalCount } }`, 1},
			{"county people rewarded", r.county, `{ r: people(where: {hasRewardsWith: [{kind: REWARD}]}) { totalCount } }`, 2},
			// 丙 is visible in village A (an adviser there), 丙's reward in vC is not.
			{"village people rewarded", r.village, `{ r: people(where: {hasRewardsWith: [{kind: REWARD}]}) { totalCount } }`, 1},
			{"partner people rewarded", r.partner, `{ r: people(where: {hasRewardsWith: [{}]}) { totalCount } }`, 0},
			// 甲 has an audit in the county and a special one outside it.
			{"county people audited specially", r.county, `{ r: people(where: {hasOfficeAuditsWith: [{kind: SPECIAL}]}) { totalCount } }`, 0},
			{"national people audited specially", r.national, `{ r: people(where: {hasOfficeAuditsWith: [{kind: SPECIAL}]}) { totalCount } }`, 1},
			{"county five-star villages", r.county, `{ r: regions(where: {hasStarRatingsWith: [{stars: 5}]}) { totalCount } }`, 2},
			{"anonymous five-star villages", nil, `{ r: regions(where: {hasStarRatingsWith: [{stars: 5}]}) { totalCount } }`, 0},
			{"partner rated villages", r.partner, `{ r: regions(where: {hasStarRatingsWith: [{}]}) { totalCount } }`, 0},
			{"township rewarded regions", r.townUser, `{ r: regions(where: {hasRewardsWith: [{}]}) { totalCount } }`, 2},
			{"county regions with a reward of someone outside", r.county, `{ r: regions(where: {hasRewardsWith: [{hasPersonWith: [{name: "外县干部"}]}]}) { totalCount } }`, 0},
		} {
			if got := count(c.v, c.q); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}
	})
}

func TestRecordsWrittenInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		r := makeRecords(t, db)
		sys := auth.System(context.Background())
		vA, vC := r.villages[0], r.villages[3]
		county := newAPIAs(t, db, r.county)
		rewardIn := func(p *ent.Person, at *ent.Region) map[string]any {
			return map[string]any{"in": map[string]any{
				"personID": gid(p.ID), "regionID": gid(at.ID), "kind": "REWARD", "title": "优秀村党组织书记",
				"level": "CITY", "date": "2024-09-01", "amountYuan": 5000, "documentNo": "包组通〔2024〕12号",
			}}
		}
		const createReward = `mutation($in: CreateRewardInput!) { createReward(input: $in) { id amountYuan person { name } region { code } } }`
		var created struct {
			CreateReward struct {
				ID         string
				AmountYuan int
				Person     struct{ Name string }
				Region     struct{ Code string }
			}
		}
		county.ok(createReward, rewardIn(r.inA, vA), &created)
		if created.CreateReward.AmountYuan != 5000 || created.CreateReward.Person.Name != "甲村书记" || created.CreateReward.Region.Code != vA.Code {
			t.Fatalf("created %+v", created.CreateReward)
		}
		rewardID := decodeID(t, created.CreateReward.ID)
		entry := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionCREATE), auditlog.EntityType("Reward"), auditlog.ActorID(r.county.UserID)).OnlyX(sys)
		if !slices.Contains(entry.ObjectIds, rewardID) || entry.RegionCode != vA.Code || entry.ActorID == nil || *entry.ActorID != r.county.UserID {
			t.Fatalf("audit entry of the reward: %+v", entry)
		}

		// Out of the role: township, village and partner users read but do
		// not write these records; nobody signed in is told to sign in.
		for _, v := range []*auth.Viewer{r.townUser, r.village, r.partner} {
			newAPIAs(t, db, v).fails("FORBIDDEN", createReward, rewardIn(r.inA, vA))
		}
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", createReward, rewardIn(r.inA, vA))
		// Out of scope: a region of another county is FORBIDDEN; a person
		// the county cannot see is NOT_FOUND on personID.
		county.fails("FORBIDDEN", createReward, rewardIn(r.inA, r.other))
		resp := county.fails("NOT_FOUND", createReward, rewardIn(r.outside, vA))
		if resp.Errors[0].Extensions["field"] != "personID" {
			t.Fatalf("linking someone out of sight: %s", resp.Raw)
		}
		// The other county's admin writes only there.
		otherAdmin := newAPIAs(t, db, newUser(t, db, "haibowan", auth.RoleAdmin, "150302", 0, false))
		otherAdmin.fails("FORBIDDEN", createReward, rewardIn(r.outside, vC))
		// Updates and deletes of records out of scope are NOT_FOUND.
		county.fails("NOT_FOUND", `mutation($id: ID!) { updateReward(id: $id, input: {title: "改"}) { id } }`, map[string]any{"id": gid(r.rOut.ID)})
		county.fails("NOT_FOUND", `mutation($id: ID!) { deleteReward(id: $id) }`, map[string]any{"id": gid(r.rAOut.ID)})
		county.fails("NOT_FOUND", `mutation($id: ID!) { deleteStarRating(id: $id) }`, map[string]any{"id": gid(r.sOut.ID)})
		county.fails("NOT_FOUND", `mutation($id: ID!) { updateOfficeAudit(id: $id, input: {status: RECTIFIED}) { id } }`, map[string]any{"id": gid(r.aOut.ID)})
		otherAdmin.fails("NOT_FOUND", `mutation($id: ID!) { deleteReward(id: $id) }`, map[string]any{"id": gid(r.rC.ID)})
		if n := db.Client.Reward.Query().Where(reward.Title("改")).CountX(sys); n != 0 {
			t.Fatalf("an out-of-scope update wrote %d rows", n)
		}

		// Validation: the field at fault, the rule broken.
		bad := func(q string, vars map[string]any, code, field, reason string) {
			t.Helper()
			resp := county.fails(code, q, vars)
			ext := resp.Errors[0].Extensions
			if ext["field"] != field || reason != "" && ext["reason"] != reason {
				t.Fatalf("want %s on %s (%s), got %s", code, field, reason, resp.Raw)
			}
		}
		future := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
		in := rewardIn(r.inA, vA)
		in["in"].(map[string]any)["date"] = future
		bad(createReward, in, "BAD_USER_INPUT", "date", string(rules.DateInFuture))
		in = rewardIn(r.inA, vA)
		in["in"].(map[string]any)["amountYuan"] = -1
		bad(createReward, in, "BAD_USER_INPUT", "amountYuan", "")
		bad(`mutation($id: ID!, $d: Date!) { updateReward(id: $id, input: {date: $d}) { id } }`,
			map[string]any{"id": gid(r.rA.ID), "d": future}, "BAD_USER_INPUT", "date", string(rules.DateInFuture))

		const createRating = `mutation($in: CreateStarRatingInput!) { createStarRating(input: $in) { id stars village { code } } }`
		rating := func(v *ent.Region, year, stars int) map[string]any {
			return map[string]any{"in": map[string]any{"villageID": gid(v.ID), "year": year, "stars": stars, "ratedBy": "土默特右旗委组织部"}}
		}
		bad(createRating, rating(vA, 2025, 6), "BAD_USER_INPUT", "stars", "")
		bad(createRating, rating(vA, 2025, 0), "BAD_USER_INPUT", "stars", "")
		bad(createRating, rating(r.township, 2025, 4), "BAD_USER_INPUT", "villageID", string(rules.WrongLevel))
		bad(createRating, rating(vA, time.Now().Year()+2, 4), "BAD_USER_INPUT", "year", "")
		bad(createRating, rating(vA, 1948, 4), "BAD_USER_INPUT", "year", "")
		resp = county.fails("CONFLICT", createRating, rating(vA, 2024, 4))
		if resp.Errors[0].Extensions["field"] != "year" || !contains(resp.Raw, "2024") {
			t.Fatalf("a second rating for the year: %s", resp.Raw)
		}
		var rated struct{ CreateStarRating struct{ ID string } }
		county.ok(createRating, rating(vA, 2022, 4), &rated)
		// Moving a rating onto a year already rated is the same conflict;
		// keeping its own year is not.
		county.fails("CONFLICT", `mutation($id: ID!) { updateStarRating(id: $id, input: {year: 2023}) { id } }`, map[string]any{"id": rated.CreateStarRating.ID})
		county.ok(`mutation($id: ID!) { updateStarRating(id: $id, input: {year: 2022, stars: 5}) { id } }`, map[string]any{"id": rated.CreateStarRating.ID}, nil)
		if n := db.Client.StarRating.Query().Where(starrating.VillageID(vA.ID)).CountX(sys); n != 3 {
			t.Fatalf("village A has %d ratings, want 3", n)
		}
		newAPIAs(t, db, r.townUser).fails("FORBIDDEN", createRating, rating(r.villages[2], 2024, 3))
		// Two writers racing past the hook meet the unique index, which the
		// error presenter names (graph/errors.go constraintMessages).
		_, err := db.Client.ExecContext(sys, `INSERT INTO star_ratings (created_at, updated_at, year, stars, village_id) VALUES ($1, $1, 2024, 2, $2)`, time.Now(), vA.ID)
		if c, ok := database.Violated(err); !ok || c.Kind != database.Unique || c.Name != "star_rating_village_year" {
			t.Fatalf("a second rating for 2024 past the hook: %v (%+v)", err, c)
		}

		const createAudit = `mutation($in: CreateOfficeAuditInput!) { createOfficeAudit(input: $in) { id status person { name } } }`
		audit := func(day string) map[string]any {
			return map[string]any{"in": map[string]any{"regionID": gid(vA.ID), "personID": gid(r.inA.ID), "kind": "DEPARTURE", "date": day, "findings": "村级财务收支基本规范"}}
		}
		bad(createAudit, audit(future), "BAD_USER_INPUT", "date", string(rules.DateInFuture))
		var audited struct {
			CreateOfficeAudit struct {
				ID, Status string
				Person     struct{ Name string }
			}
		}
		county.ok(createAudit, audit("2024-10-08"), &audited)
		if audited.CreateOfficeAudit.Status != "OPEN" || audited.CreateOfficeAudit.Person.Name != "甲村书记" {
			t.Fatalf("created audit %+v", audited.CreateOfficeAudit)
		}
		county.ok(`mutation($id: ID!) { updateOfficeAudit(id: $id, input: {status: RECTIFIED, followUp: "已退回多支款项"}) { id } }`,
			map[string]any{"id": audited.CreateOfficeAudit.ID}, nil)
		auditID := decodeID(t, audited.CreateOfficeAudit.ID)
		upd := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionUPDATE), auditlog.EntityType("OfficeAudit"), auditlog.ActorID(r.county.UserID)).OnlyX(sys)
		if !slices.Contains(upd.ObjectIds, auditID) || upd.After["status"] != "RECTIFIED" || upd.RegionCode != vA.Code {
			t.Fatalf("audit entry of the update: %+v", upd)
		}

		// A delete keeps the deleted row in its entry.
		county.ok(`mutation($id: ID!) { deleteReward(id: $id) }`, map[string]any{"id": created.CreateReward.ID}, nil)
		del := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionDELETE), auditlog.EntityType("Reward"), auditlog.ActorID(r.county.UserID)).OnlyX(sys)
		if !slices.Contains(del.ObjectIds, rewardID) || del.Before["title"] != "优秀村党组织书记" {
			t.Fatalf("audit entry of the delete: %+v", del)
		}
		if db.Client.Reward.Query().Where(reward.ID(rewardID)).ExistX(sys) {
			t.Fatal("the reward was not deleted")
		}
	})
}

// TestRewardTotals checks rewardTotals against the records counted here,
// row by row, for each region of the answer.
func TestRewardTotals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		r := makeRecords(t, db)
		sys := auth.System(context.Background())
		rewards := db.Client.Reward.Query().WithRegion().AllX(sys)
		ratings := db.Client.StarRating.Query().WithVillage().AllX(sys)
		// expect counts the records under code in year, by hand.
		expect := func(code string, year int) total {
			want := total{Year: year, StarRatings: make([]struct{ Stars, Villages int }, 5)}
			people := map[int]bool{}
			for _, w := range rewards {
				if !strings.HasPrefix(w.Edges.Region.Code, code) || w.Date.Year() != year {
					continue
				}
				if w.Kind == reward.KindPUNISHMENT {
					want.Punishments++
					continue
				}
				want.Rewards++
				people[w.PersonID] = true
				if w.AmountYuan != nil {
					want.AmountYuan += *w.AmountYuan
				}
			}
			want.PeopleRewarded = len(people)
			for i := range want.StarRatings {
				want.StarRatings[i].Stars = i + 1
			}
			for _, s := range ratings {
				if strings.HasPrefix(s.Edges.Village.Code, code) && s.Year == year {
					want.StarRatings[s.Stars-1].Villages++
				}
			}
			return want
		}
		const q = `query($c: String!, $y: Int) { rewardTotals(code: $c, year: $y) {
			region { code } year rewards punishments peopleRewarded amountYuan starRatings { stars villages } } }`
		check := func(a *api, code string, year int, children []string) []total {
			t.Helper()
			var out struct{ RewardTotals []total }
			a.ok(q, map[string]any{"c": code, "y": year}, &out)
			codes := append([]string{code}, children...)
			if len(out.RewardTotals) != len(codes) {
				t.Fatalf("%s %d: %d entries, want %d", code, year, len(out.RewardTotals), len(codes))
			}
			for i, got := range out.RewardTotals {
				want := expect(codes[i], year)
				if got.Region == nil || got.Region.Code != codes[i] {
					t.Fatalf("entry %d is for %+v, want %s", i, got.Region, codes[i])
				}
				got.Region = nil
				if !equalTotals(got, want) {
					t.Errorf("%s %d, entry %s: %+v, want %+v", code, year, codes[i], got, want)
				}
			}
			return out.RewardTotals
		}
		county := newAPIAs(t, db, r.county)
		got := check(county, "150221", 2024, []string{r.township.Code, r.township2.Code})
		// The world must exercise the figures: 甲's two rewards count once
		// in the people, the other county's records not at all.
		if g := got[0]; g.Rewards != 3 || g.Punishments != 1 || g.PeopleRewarded != 2 || g.AmountYuan != 2500 ||
			g.StarRatings[4].Villages != 2 || g.StarRatings[2].Villages != 1 || g.StarRatings[3].Villages != 0 {
			t.Fatalf("county 2024: %+v", g)
		}
		check(county, "150221", 2023, []string{r.township.Code, r.township2.Code})
		townChildren := []string{r.villages[0].Code, r.villages[1].Code, r.villages[2].Code}
		check(newAPIAs(t, db, r.townUser), r.township.Code, 2024, townChildren)
		check(newAPIAs(t, db, r.village), r.villages[0].Code, 2024, nil)
		got = check(newAPIAs(t, db, r.national), "15", 2024, []string{"1502", "1503"})
		if got[0].AmountYuan != 2500+300+9999 {
			t.Fatalf("province 2024: %+v", got[0])
		}

		// Without a year: the current one, where nothing is on file.
		var cur struct{ RewardTotals []total }
		county.ok(`{ rewardTotals(code: "150221") { year rewards starRatings { villages } } }`, nil, &cur)
		if y := time.Now().In(rules.China).Year(); cur.RewardTotals[0].Year != y || cur.RewardTotals[0].Rewards != 0 {
			t.Fatalf("default year: %+v, want %d", cur.RewardTotals[0], y)
		}

		// The region asked for must be in scope; partners get none.
		vars := map[string]any{"c": "150221", "y": 2024}
		newAPIAs(t, db, r.townUser).fails("FORBIDDEN", q, vars)
		newAPIAs(t, db, r.village).fails("FORBIDDEN", q, vars)
		newAPIAs(t, db, r.partner).fails("FORBIDDEN", q, vars)
		county.fails("FORBIDDEN", q, map[string]any{"c": r.other.Code, "y": 2024})
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", q, vars)
	})
}

// total is an entry of rewardTotals.
type total struct {
	Region                               *struct{ Code string }
	Year                                 int
	Rewards, Punishments, PeopleRewarded int
	AmountYuan                           int64
	StarRatings                          []struct{ Stars, Villages int }
}

func equalTotals(a, b total) bool {
	return a.Year == b.Year && a.Rewards == b.Rewards && a.Punishments == b.Punishments &&
		a.PeopleRewarded == b.PeopleRewarded && a.AmountYuan == b.AmountYuan && slices.Equal(a.StarRatings, b.StarRatings)
}

// decodeID reads the number of a global ID.
func decodeID(t *testing.T, global string) int {
	t.Helper()
	id, err := relay.DecodeID(global)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestMergeMovesRecords: a merged file's rewards and audits move to the kept
// person (一人一档), each move in the audit log.
func TestMergeMovesRecords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		sys := auth.System(context.Background())
		c := db.Client
		vA := s.villages[0]
		dup := c.Person.Create().SetName("甲村书记").SetHomeVillage(vA).SaveX(sys)
		w := c.Reward.Create().SetPerson(dup).SetRegion(vA).SetKind(reward.KindREWARD).SetTitle("先进个人").
			SetLevel(reward.LevelTOWNSHIP).SetDate(date("2024-01-05")).SaveX(sys)
		a := c.OfficeAudit.Create().SetRegion(vA).SetPerson(dup).SetKind(officeaudit.KindDEPARTURE).
			SetDate(date("2024-02-05")).SetFindings("无").SaveX(sys)
		newAPIAs(t, db, s.county).ok(`mutation($k: ID!, $m: ID!) { mergePeople(keep: $k, merge: $m) { id } }`,
			map[string]any{"k": gid(s.inA.ID), "m": gid(dup.ID)}, nil)
		if got := c.Reward.GetX(sys, w.ID).PersonID; got != s.inA.ID {
			t.Errorf("the reward stayed with %d", got)
		}
		if got := c.OfficeAudit.GetX(sys, a.ID).PersonID; got == nil || *got != s.inA.ID {
			t.Errorf("the audit stayed with %v", got)
		}
		for _, typ := range []string{"Reward", "OfficeAudit"} {
			if n := c.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionUPDATE), auditlog.EntityType(typ), auditlog.ReasonContains("mergePeople")).CountX(sys); n != 1 {
				t.Errorf("%d merge entries for %s, want 1", n, typ)
			}
		}
	})
}
