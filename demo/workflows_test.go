package demo_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"yanzhen/database/dbtest"
	"yanzhen/demo"
)

// The workflows of the demo (docs/workflows.md) as the seed documents give
// them, each counted with the test's own SQL: 沙市's outcome chains and its
// 2024 资格联审 (seed 001), 吴忠's resident teams and 片区 (the Ningxia
// report), and the 18 市派 + 78 区派 resident cadres of seed 000's district
// (魏县 in the demo).

const residentRoles = `'FIRST_SECRETARY','WORK_TEAM_MEMBER'`

func TestSeedWorkflowFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		seed(t, db)
		q := db.SQL
		t.Run("shashi outcome chains", func(t *testing.T) { checkOutcomeChains(t, q) })
		t.Run("wuzhong resident teams", func(t *testing.T) { checkWuzhongTeams(t, q) })
		t.Run("weixian dispatch levels", func(t *testing.T) { checkWeixianTeams(t, q) })
		t.Run("shashi candidacies", func(t *testing.T) { checkShashiCandidacies(t, q) })
	})
}

// 沙市: what the advisers brought (17 leads, 13 visits, 4 projects,
// 1030万元), as chains: a visit follows a lead of the same adviser, a
// project a visit, funds a project; every link to the kind before, in the
// same village, not earlier.
func checkOutcomeChains(t *testing.T, q *sql.DB) {
	shashi := subtree(demo.Shashi)
	advisers := `FROM contributions c JOIN regions r ON r.id = c.village_id WHERE c.appointment_id IS NOT NULL AND ` + shashi
	for kind, want := range map[string]int{"INVESTMENT_LEAD": 17, "SITE_VISIT": 13, "PROJECT_LANDED": 4} {
		if got := count(t, q, `SELECT COUNT(*) `+advisers+` AND c.kind = $1`, kind); got != want {
			t.Errorf("沙市 adviser contributions %s = %d, want %d", kind, got, want)
		}
	}
	if got := count(t, q, `SELECT COALESCE(SUM(c.amount_yuan), 0) `+advisers+` AND c.kind = 'FUNDS'`); got != 10_300_000 {
		t.Errorf("沙市 funds brought by advisers = %d yuan, want 10,300,000", got)
	}
	// Every link, whoever is credited, goes to the kind just before, in the
	// same village, on or before the day.
	links := count(t, q, `SELECT COUNT(*) FROM contributions c JOIN regions r ON r.id = c.village_id
		WHERE c.follows_id IS NOT NULL AND `+shashi)
	good := count(t, q, `SELECT COUNT(*) FROM contributions c JOIN regions r ON r.id = c.village_id
		JOIN contributions f ON f.id = c.follows_id
		WHERE `+shashi+` AND f.village_id = c.village_id AND f.date <= c.date
			AND ((c.kind = 'SITE_VISIT' AND f.kind = 'INVESTMENT_LEAD') OR (c.kind = 'PROJECT_LANDED' AND f.kind = 'SITE_VISIT')
				OR (c.kind = 'FUNDS' AND f.kind = 'PROJECT_LANDED'))`)
	if links == 0 || good != links {
		t.Errorf("沙市: %d of %d chain links go to the previous kind in the same village, not later", good, links)
	}
	// The advisers' chains: every visit, project and tranche of funds has
	// its link, to a step of the same adviser; a lead leads to one visit at
	// most, a visit to one project at most.
	if n := count(t, q, `SELECT COUNT(*) `+advisers+` AND c.kind <> 'INVESTMENT_LEAD' AND (c.follows_id IS NULL
		OR NOT EXISTS (SELECT 1 FROM contributions f WHERE f.id = c.follows_id AND f.appointment_id = c.appointment_id))`); n != 0 {
		t.Errorf("沙市: %d adviser contributions after a lead do not follow a step of the same adviser", n)
	}
	if n := count(t, q, `SELECT COUNT(*) `+advisers+` AND c.kind = 'INVESTMENT_LEAD' AND c.follows_id IS NOT NULL`); n != 0 {
		t.Errorf("沙市: %d leads follow something", n)
	}
	if n := count(t, q, `SELECT COUNT(DISTINCT c.follows_id) `+advisers+` AND c.kind IN ('SITE_VISIT','PROJECT_LANDED')`); n != 13+4 {
		t.Errorf("沙市: visits and projects follow %d distinct steps, want 17 (one each)", n)
	}
	if n := count(t, q, `SELECT COUNT(DISTINCT c.follows_id) `+advisers+` AND c.kind = 'FUNDS'`); n != 4 {
		t.Errorf("沙市: funds reach %d projects, want all 4", n)
	}
	if n := count(t, q, `SELECT COUNT(*) `+advisers+` AND c.date > $1`, time.Date(2024, 8, 22, 0, 0, 0, 0, time.UTC)); n != 0 {
		t.Errorf("沙市: %d adviser contributions after the report of 2024-08-22", n)
	}
}

// teamChecks are the checks every resident team passes: its members are
// the resident posts that name it, in its village, with one first
// secretary who leads it, its dispatch level, its start and a sending unit
// it lists; its 片区 covers its village and is led by a first secretary of
// one of the 片区's teams.
func teamChecks(t *testing.T, q *sql.DB, code string) {
	t.Helper()
	teams := `FROM resident_teams tm JOIN regions r ON r.id = tm.village_id WHERE ` + subtree(code)
	if n := count(t, q, `SELECT COUNT(*) `+teams+` AND (
		(SELECT COUNT(*) FROM posts p WHERE p.team_id = tm.id) <> 3
		OR (SELECT COUNT(*) FROM posts p WHERE p.team_id = tm.id AND p.role = 'FIRST_SECRETARY' AND p.person_id = tm.leader_id) <> 1
		OR EXISTS (SELECT 1 FROM posts p WHERE p.team_id = tm.id AND (p.region_id <> tm.village_id OR p.role NOT IN (`+residentRoles+`)
			OR p.dispatch_level <> tm.dispatch_level OR p.start_date <> tm.start_date OR p.end_date IS NOT NULL
			OR CAST(tm.sending_units AS TEXT) NOT LIKE '%' || p.sending_unit || '%')))`); n != 0 {
		t.Errorf("%s: %d resident teams whose members disagree with the team", code, n)
	}
	if n := count(t, q, `SELECT COUNT(*) `+teams+` AND NOT EXISTS (SELECT 1 FROM resident_area_villages av
		WHERE av.resident_area_id = tm.area_id AND av.region_id = tm.village_id)`); n != 0 {
		t.Errorf("%s: %d teams whose village is not in their 片区", code, n)
	}
	areas := `FROM resident_areas a JOIN regions r ON r.id = a.region_id WHERE ` + subtree(code)
	if n := count(t, q, `SELECT COUNT(*) `+areas+` AND (a.party_branch IS NULL OR a.party_branch <> a.name || '临时党支部'
		OR a.name NOT LIKE '%第%片区'
		OR NOT EXISTS (SELECT 1 FROM resident_teams tm WHERE tm.area_id = a.id AND tm.leader_id = a.leader_id)
		OR EXISTS (SELECT 1 FROM resident_teams tm JOIN posts p ON p.team_id = tm.id WHERE tm.area_id = a.id AND p.cluster <> a.name))`); n != 0 {
		t.Errorf("%s: %d 片区 without their 临时党支部, a leader of their teams, or their teams' cluster", code, n)
	}
}

// 吴忠: 510 resident cadres in 170 teams, one per village, grouped into 片区
// (each the villages of up to three townships); the 2023 year graded for
// those in post since before July 2023.
func checkWuzhongTeams(t *testing.T, q *sql.DB) {
	wuzhong := subtree(demo.Wuzhong)
	resident := `FROM posts p JOIN regions r ON r.id = p.region_id WHERE p.end_date IS NULL AND p.role IN (` + residentRoles + `) AND ` + wuzhong
	if n := count(t, q, `SELECT COUNT(*) `+resident+` AND p.team_id IS NOT NULL`); n != 510 {
		t.Errorf("吴忠 resident posts with a team = %d, want 510", n)
	}
	if n := count(t, q, `SELECT COUNT(*) `+resident+` AND p.team_id IS NULL`); n != 0 {
		t.Errorf("吴忠 resident posts without a team = %d", n)
	}
	teams := count(t, q, `SELECT COUNT(*) FROM resident_teams tm JOIN regions r ON r.id = tm.village_id WHERE `+wuzhong)
	villages := count(t, q, `SELECT COUNT(DISTINCT tm.village_id) FROM resident_teams tm JOIN regions r ON r.id = tm.village_id WHERE `+wuzhong)
	if teams != 170 || villages != 170 {
		t.Errorf("吴忠: %d resident teams in %d villages, want 170 in 170", teams, villages)
	}
	teamChecks(t, q, demo.Wuzhong)
	areas := count(t, q, `SELECT COUNT(*) FROM resident_areas a JOIN regions r ON r.id = a.region_id WHERE `+wuzhong)
	clusters := count(t, q, `SELECT COUNT(DISTINCT p.cluster) `+resident)
	inAreas := count(t, q, `SELECT COUNT(*) FROM resident_teams tm JOIN regions r ON r.id = tm.village_id WHERE tm.area_id IS NOT NULL AND `+wuzhong)
	if areas == 0 || areas != clusters || inAreas != 170 {
		t.Errorf("吴忠: %d 片区 for %d clusters, %d teams in one; want one 片区 per cluster and every team in one", areas, clusters, inAreas)
	}
	// A 片区 is set up by a county: its villages are the county's.
	if n := count(t, q, `SELECT COUNT(*) FROM resident_areas a JOIN regions r ON r.id = a.region_id
		JOIN resident_area_villages av ON av.resident_area_id = a.id JOIN regions v ON v.id = av.region_id
		WHERE `+wuzhong+` AND (r.level <> 'COUNTY' OR SUBSTR(v.code, 1, 6) <> SUBSTR(r.code, 1, 6))`); n != 0 {
		t.Errorf("吴忠: %d villages of a 片区 outside its county", n)
	}
	t.Logf("吴忠: %d resident teams in %d 片区", teams, areas)
	// 年度考核 of 2023: one per cadre in post before July 2023, at the team.
	due := count(t, q, `SELECT COUNT(*) `+resident+` AND p.start_date < $1`, time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC))
	assessed := count(t, q, `SELECT COUNT(*) FROM resident_assessments s JOIN regions r ON r.id = s.region_id
		WHERE s.kind = 'ANNUAL' AND s.year = 2023 AND `+wuzhong+` AND EXISTS (SELECT 1 FROM posts p
			WHERE p.person_id = s.person_id AND p.team_id = s.team_id AND p.region_id = s.region_id AND p.start_date < $1)`,
		time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC))
	all := count(t, q, `SELECT COUNT(*) FROM resident_assessments s JOIN regions r ON r.id = s.region_id WHERE `+wuzhong)
	if due == 0 || assessed != due || all != due {
		t.Errorf("吴忠 2023 年度考核: %d of the %d cadres due (%d assessments in all)", assessed, due, all)
	}
}

// Seed 000's district (魏县): 18 市派 and 78 区派 resident cadres — counted
// over the cadres, as the report counts them — in teams of one level each.
func checkWeixianTeams(t *testing.T, q *sql.DB) {
	weixian := subtree(demo.Weixian)
	got := map[string]int{}
	rows, err := q.Query(`SELECT p.dispatch_level, COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE p.end_date IS NULL AND p.role IN (` + residentRoles + `) AND p.team_id IS NOT NULL AND ` + weixian + `
		GROUP BY p.dispatch_level`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var (
			level string
			n     int
		)
		if err := rows.Scan(&level, &n); err != nil {
			t.Fatal(err)
		}
		got[level] = n
	}
	rows.Close()
	if fmt.Sprint(got) != fmt.Sprint(map[string]int{"CITY": 18, "COUNTY": 78}) {
		t.Errorf("魏县 resident cadres by dispatch level %v, want 18 CITY and 78 COUNTY", got)
	}
	if n := count(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
		WHERE p.role IN (`+residentRoles+`) AND p.team_id IS NULL AND `+weixian); n != 0 {
		t.Errorf("魏县: %d resident posts without a team", n)
	}
	for level, want := range map[string]int{"CITY": 6, "COUNTY": 26} {
		if n := count(t, q, `SELECT COUNT(*) FROM resident_teams tm JOIN regions r ON r.id = tm.village_id
			WHERE tm.dispatch_level = $1 AND `+weixian, level); n != want {
			t.Errorf("魏县 %s teams = %d, want %d", level, n, want)
		}
	}
	teamChecks(t, q, demo.Weixian)
	// 平时考核 and 年度考核: 2023's year, 2024's first three quarters.
	for _, c := range []struct {
		kind         string
		year, period int
	}{{"ANNUAL", 2023, 0}, {"ROUTINE", 2024, 1}, {"ROUTINE", 2024, 2}, {"ROUTINE", 2024, 3}} {
		if n := count(t, q, `SELECT COUNT(DISTINCT s.person_id) FROM resident_assessments s JOIN regions r ON r.id = s.region_id
			JOIN posts p ON p.person_id = s.person_id AND p.team_id = s.team_id
			WHERE s.kind = $1 AND s.year = $2 AND COALESCE(s.period, 0) = $3 AND `+weixian, c.kind, c.year, c.period); n != 96 {
			t.Errorf("魏县 %s %d/%d: %d cadres assessed, want 96", c.kind, c.year, c.period, n)
		}
	}
}

// candidacyRow and stepRow are a candidacy and its steps as the test reads
// them.
type candidacyRow struct {
	id, person, village     int
	role, state             string
	proposed                time.Time
	post                    sql.NullInt64
	appointed, filed        sql.NullTime
	refusedStep, reason     sql.NullString
	postPerson, postVillage sql.NullInt64
	postRole                sql.NullString
	postStart               sql.NullTime
	steps                   []stepRow
}

type stepRow struct {
	step, decision, actorRole string
	body, opinion             sql.NullString
	on                        time.Time
}

// 沙市's 2024 round: 40 candidates vetted by the district (ENTRY, in its
// villages), each with the steps its state requires, in order, by the role
// that owns each; the appointed on their post, the filed with their 备案,
// the refused with the reason and the refusing step.
func checkShashiCandidacies(t *testing.T, q *sql.DB) {
	rows, err := q.Query(`SELECT c.id, c.person_id, c.region_id, c.role, c.state, c.proposed_on, c.post_id, c.appointed_on, c.filed_on,
			c.refused_step, c.refusal_reason, p.person_id, p.region_id, p.role, p.start_date
		FROM candidacies c JOIN regions r ON r.id = c.region_id LEFT JOIN posts p ON p.id = c.post_id
		WHERE c.purpose = 'ENTRY' AND c.round = $1 AND r.level = 'VILLAGE' AND `+subtree(demo.Shashi)+` ORDER BY c.id`,
		"2024年村（社区）“两委”干部调整优化")
	if err != nil {
		t.Fatal(err)
	}
	var cs []*candidacyRow
	byID := map[int]*candidacyRow{}
	for rows.Next() {
		c := &candidacyRow{}
		if err := rows.Scan(&c.id, &c.person, &c.village, &c.role, &c.state, &c.proposed, &c.post, &c.appointed, &c.filed,
			&c.refusedStep, &c.reason, &c.postPerson, &c.postVillage, &c.postRole, &c.postStart); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
		byID[c.id] = c
	}
	rows.Close()
	if len(cs) != 40 {
		t.Fatalf("沙市 candidacies of the 2024 round = %d, want 40", len(cs))
	}
	srows, err := q.Query(`SELECT s.candidacy_id, s.step, s.decision, s.actor_role, s.body, s.opinion, s.acted_on
		FROM candidacy_steps s JOIN candidacies c ON c.id = s.candidacy_id WHERE c.round = $1 ORDER BY s.acted_on, s.id`,
		"2024年村（社区）“两委”干部调整优化")
	if err != nil {
		t.Fatal(err)
	}
	for srows.Next() {
		var (
			id int
			s  stepRow
		)
		if err := srows.Scan(&id, &s.step, &s.decision, &s.actorRole, &s.body, &s.opinion, &s.on); err != nil {
			t.Fatal(err)
		}
		if c := byID[id]; c != nil {
			c.steps = append(c.steps, s)
		}
	}
	srows.Close()

	// The steps in order, who owns each, and how far each state has come.
	order := map[string]int{"VILLAGE_REVIEW": 0, "TOWNSHIP_REVIEW": 1, "BODY_OPINION": 2, "COUNTY_DECISION": 3, "APPOINTMENT": 4, "FILING": 5}
	owner := map[string]string{"VILLAGE_REVIEW": "VILLAGE", "TOWNSHIP_REVIEW": "TOWNSHIP", "BODY_OPINION": "ADMIN",
		"COUNTY_DECISION": "ADMIN", "APPOINTMENT": "TOWNSHIP", "FILING": "ADMIN"}
	reached := map[string]int{"PROPOSED": 0, "TOWNSHIP_REVIEWED": 1, "JOINT_REVIEWED": 3, "APPOINTED": 4, "FILED": 5}
	states := map[string]int{}
	for _, c := range cs {
		states[c.state]++
		last, ok := reached[c.state]
		if c.state == "REFUSED" {
			if !c.refusedStep.Valid || c.reason.String == "" {
				t.Errorf("candidacy %d is refused without its step or reason", c.id)
				continue
			}
			last, ok = order[c.refusedStep.String]
		}
		if !ok {
			t.Errorf("candidacy %d is %s", c.id, c.state)
			continue
		}
		if c.proposed.Year() != 2024 {
			t.Errorf("candidacy %d proposed on %s, not in 2024", c.id, c.proposed.Format(time.DateOnly))
		}
		has := map[string]bool{}
		var prev time.Time
		prevOrder := -1
		for _, s := range c.steps {
			o, known := order[s.step]
			switch {
			case !known:
				t.Errorf("candidacy %d has a step %s", c.id, s.step)
			case o > last:
				t.Errorf("candidacy %d (%s) has a step %s beyond its state", c.id, c.state, s.step)
			case o < prevOrder || s.on.Before(prev):
				t.Errorf("candidacy %d: step %s on %s out of order", c.id, s.step, s.on.Format(time.DateOnly))
			case s.actorRole != owner[s.step]:
				t.Errorf("candidacy %d: step %s by %s, want %s", c.id, s.step, s.actorRole, owner[s.step])
			case s.on.After(asOf):
				t.Errorf("candidacy %d: step %s after the as-of day", c.id, s.step)
			}
			prev, prevOrder = s.on, o
			// Only a refused candidacy has a refusal: its refusing step's, and
			// the opinion of the body that would not agree.
			refusing := c.state == "REFUSED" && s.step == c.refusedStep.String
			if s.decision == "REFUSED" && !refusing && (c.state != "REFUSED" || s.step != "BODY_OPINION") || refusing && s.decision != "REFUSED" {
				t.Errorf("candidacy %d (%s): step %s is %s", c.id, c.state, s.step, s.decision)
			}
			if refusing && s.opinion.String == "" {
				t.Errorf("candidacy %d: the refusing step gives no reason", c.id)
			}
			if s.step == "BODY_OPINION" {
				has[s.body.String] = s.decision == "APPROVED" || c.state == "REFUSED"
			} else {
				has[s.step] = true
			}
			if s.step == "COUNTY_DECISION" && s.on.After(time.Date(2024, 8, 22, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("candidacy %d: the 联审 concluded on %s, after the report of 2024-08-22", c.id, s.on.Format(time.DateOnly))
			}
			if s.step == "VILLAGE_REVIEW" && !s.on.Equal(c.proposed) {
				t.Errorf("candidacy %d proposed on %s, reviewed by the village on %s", c.id, c.proposed, s.on)
			}
			if s.step == "APPOINTMENT" && (!c.appointed.Valid || !c.appointed.Time.Equal(s.on)) {
				t.Errorf("candidacy %d: appointed_on disagrees with its APPOINTMENT step", c.id)
			}
			if s.step == "FILING" && (!c.filed.Valid || !c.filed.Time.Equal(s.on)) {
				t.Errorf("candidacy %d: filed_on disagrees with its FILING step", c.id)
			}
		}
		need := []string{"VILLAGE_REVIEW"}
		if last >= 1 {
			need = append(need, "TOWNSHIP_REVIEW")
		}
		if last >= 3 {
			need = append(need, "DISCIPLINE", "PUBLIC_SECURITY", "PETITION", "COUNTY_DECISION")
		}
		if last >= 4 {
			need = append(need, "APPOINTMENT")
		}
		if last >= 5 {
			need = append(need, "FILING")
		}
		for _, n := range need {
			if !has[n] {
				t.Errorf("candidacy %d (%s) lacks %s", c.id, c.state, n)
			}
		}
		appointed := c.state == "APPOINTED" || c.state == "FILED"
		if appointed != c.post.Valid || appointed != c.appointed.Valid || (c.state == "FILED") != c.filed.Valid {
			t.Errorf("candidacy %d (%s): post %v, appointed_on %v, filed_on %v", c.id, c.state, c.post.Valid, c.appointed.Valid, c.filed.Valid)
		}
		if appointed && (int(c.postPerson.Int64) != c.person || int(c.postVillage.Int64) != c.village || c.postRole.String != c.role ||
			!c.postStart.Time.Equal(c.appointed.Time)) {
			t.Errorf("candidacy %d: its post is not the candidate's %s post in the village from the appointment", c.id, c.role)
		}
	}
	t.Logf("沙市 2024 资格联审: %v", states)
	if states["FILED"]*2 <= len(cs) || states["APPOINTED"] == 0 || states["REFUSED"] < 2 {
		t.Errorf("沙市 candidacies by state %v: want most FILED, some APPOINTED and a couple REFUSED", states)
	}
}
