package demo_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/demo"
	"yanzhen/ent/region"
	"yanzhen/ent/trainingclass"
	"yanzhen/insight"
)

// The work-cycle figures of the demo (issue 13): terms, the 吴忠 term
// comparison, training and 土右旗's cooperatives, each counted with the
// test's own SQL under the definitions of the term comparison and the
// training cohort.

const secretaryRoles = `'PARTY_SECRETARY','SECRETARY_AND_DIRECTOR'`

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// secretarySeat is a secretary in force on a day, with what the term
// comparison reads of them as of that day.
type secretarySeat struct {
	person, village int
	role            string
	age             int  // completed years on the day
	college         bool // education as of the day
	rich            bool
}

// secretariesOn lists the village secretaries of a county's subtree in
// force on day (start on or before it, end open or on or after it), with
// the education of the period covering the day (the column when the person
// has no periods) and the age in completed years on the day.
func secretariesOn(t *testing.T, db *sql.DB, county string, day time.Time) []secretarySeat {
	t.Helper()
	age := fmt.Sprintf(`(%d - CAST(SUBSTR(CAST(x.birth_date AS TEXT), 1, 4) AS INTEGER) - CASE WHEN SUBSTR(CAST(x.birth_date AS TEXT), 6, 5) > '%s' THEN 1 ELSE 0 END)`,
		day.Year(), day.Format("01-02"))
	q := `SELECT p.person_id, p.region_id, p.role, ` + age + `,
		CASE WHEN EXISTS (SELECT 1 FROM person_attributes h WHERE h.person_id = x.id AND h.attribute = 'EDUCATION')
			THEN (SELECT h.value FROM person_attributes h WHERE h.person_id = x.id AND h.attribute = 'EDUCATION'
				AND (h.valid_from IS NULL OR h.valid_from <= $1) AND (h.valid_until IS NULL OR h.valid_until > $1))
			ELSE x.education END,
		CASE WHEN CAST(x.tags AS TEXT) LIKE '%"RICH_LEADER"%' THEN 1 ELSE 0 END
		FROM posts p JOIN regions r ON r.id = p.region_id JOIN persons x ON x.id = p.person_id
		WHERE ` + subtree(county) + ` AND p.role IN (` + secretaryRoles + `)
			AND p.start_date <= $1 AND (p.end_date IS NULL OR p.end_date >= $1)`
	rows, err := db.Query(q, day)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []secretarySeat
	for rows.Next() {
		var (
			s    secretarySeat
			edu  sql.NullString
			rich int
		)
		if err := rows.Scan(&s.person, &s.village, &s.role, &s.age, &edu, &rich); err != nil {
			t.Fatal(err)
		}
		switch edu.String {
		case "JUNIOR_COLLEGE", "BACHELOR", "MASTER", "DOCTORATE":
			s.college = true
		}
		s.rich = rich == 1
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// termsOf returns the terms of the counties of a subtree, oldest first.
func termsOf(t *testing.T, db *sql.DB, code string) map[string][]time.Time {
	t.Helper()
	rows, err := db.Query(`SELECT r.code, t.elected_on FROM terms t JOIN regions r ON r.id = t.region_id WHERE ` + subtree(code))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]time.Time{}
	for rows.Next() {
		var (
			c string
			d time.Time
		)
		if err := rows.Scan(&c, &d); err != nil {
			t.Fatal(err)
		}
		out[c] = append(out[c], d.UTC())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, ds := range out {
		sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
	}
	return out
}

func TestSeedWorkCycleFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		seed(t, db)
		q := db.SQL

		// Terms: every county with demo villages has its 2018 and 2021 换届.
		counties := map[string]bool{}
		for _, code := range []string{"150221", "421002", "130434", "6403", "1306"} {
			rows, err := q.Query(`SELECT DISTINCT SUBSTR(r.code, 1, 6) FROM posts p JOIN regions r ON r.id = p.region_id
				WHERE r.level = 'VILLAGE' AND ` + subtree(code))
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var c string
				if err := rows.Scan(&c); err != nil {
					t.Fatal(err)
				}
				counties[c] = true
			}
			rows.Close()
		}
		if len(counties) < 5 {
			t.Fatalf("demo villages in %d counties", len(counties))
		}
		for c := range counties {
			ds := termsOf(t, q, c)[c]
			var years []int
			for _, d := range ds {
				years = append(years, d.Year())
			}
			if fmt.Sprint(years) != "[2018 2021]" {
				t.Errorf("county %s: terms of %v, want 2018 and 2021", c, years)
			}
		}

		// 吴忠's term comparison: each county's 2021 term against its 2018
		// term, the teams in force on each county's election day.
		var (
			n21, n18, age21, age18, col21, col18, one21, one18, rich21 int
			retained, retainedOver60, adjusted, colColumn21, notOnDay  int
		)
		for c, ds := range termsOf(t, q, "6403") {
			if len(ds) != 2 {
				t.Fatalf("吴忠 county %s has %d terms", c, len(ds))
			}
			d18, d21 := ds[0], ds[1]
			before := map[[2]int]bool{}
			for _, s := range secretariesOn(t, q, c, d21.AddDate(0, 0, -1)) {
				before[[2]int{s.person, s.village}] = true
			}
			for _, s := range secretariesOn(t, q, c, d21) {
				n21++
				age21 += s.age
				if s.college {
					col21++
				}
				if s.role == "SECRETARY_AND_DIRECTOR" {
					one21++
				}
				if s.rich {
					rich21++
				}
				if before[[2]int{s.person, s.village}] {
					retained++
					if s.age >= 60 {
						retainedOver60++
					}
				}
			}
			for _, s := range secretariesOn(t, q, c, d18) {
				n18++
				age18 += s.age
				if s.college {
					col18++
				}
				if s.role == "SECRETARY_AND_DIRECTOR" {
					one18++
				}
			}
			adjusted += count(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
				WHERE `+subtree(c)+` AND p.role IN (`+secretaryRoles+`) AND p.exit_kind = 'ADJUSTED'
				AND p.end_reason = '调整不适应不胜任' AND p.end_date >= $1 AND p.end_date <= $2`, d18, d21)
			// Read from today's column instead, the 2021 college count differs:
			// some degrees came after the election.
			colColumn21 += count(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id JOIN persons x ON x.id = p.person_id
				WHERE `+subtree(c)+` AND p.role IN (`+secretaryRoles+`) AND p.start_date <= $1 AND (p.end_date IS NULL OR p.end_date >= $1)
				AND x.education IN ('JUNIOR_COLLEGE','BACHELOR','MASTER','DOCTORATE')`, d21)
			// Secretary posts taken in 2021 start on the county's day.
			notOnDay += count(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
				WHERE `+subtree(c)+` AND p.role IN (`+secretaryRoles+`) AND p.start_date >= $1 AND p.start_date <= $2 AND p.start_date <> $3`,
				time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC), d21)
		}
		t.Logf("吴忠: %d secretaries on the 2021 days (%d re-elected) against %d on the 2018 days; mean age %.4f vs %.4f; college %d vs %d (%d by today's column); 一肩挑 %d vs %d; rich %d; adjusted %d",
			n21, retained, n18, float64(age21)/float64(n21), float64(age18)/float64(n18), col21, col18, colColumn21, one21, one18, rich21, adjusted)
		if n21 != 497 {
			t.Errorf("吴忠 secretaries on the 2021 election days = %d, want 497", n21)
		}
		mean21, mean18 := float64(age21)/float64(n21), float64(age18)/float64(n18)
		if d := math.Round((mean21-mean18)*10) / 10; d != -1.5 {
			t.Errorf("吴忠 average age at election %.3f vs %.3f: difference %.1f, want -1.5", mean21, mean18, d)
		}
		share := func(k, n int) float64 { return float64(k) / float64(n) }
		if d := math.Round((share(col21, n21)-share(col18, n18))*1000) / 1000; d != 0.25 {
			t.Errorf("吴忠 大专及以上 %d/%d vs %d/%d: difference %.3f, want 0.250 (25 points)", col21, n21, col18, n18, d)
		}
		if colColumn21 == col21 {
			t.Errorf("吴忠: no 2021 secretary's education changed after the election (as of: %d, today's column: %d)", col21, colColumn21)
		}
		if d := math.Round((share(one21, n21)-share(one18, n18))*1000) / 1000; d != 0.346 {
			t.Errorf("吴忠 一肩挑 %d/%d vs %d/%d: difference %.3f, want 0.346", one21, n21, one18, n18, d)
		}
		if rich21 != 272 || math.Round(share(rich21, n21)*1000) != 547 {
			t.Errorf("吴忠 致富带头人 %d of %d, want 272 (54.7%%)", rich21, n21)
		}
		if retainedOver60 != 18 {
			t.Errorf("吴忠 re-elected secretaries aged 60 or more = %d, want 18", retainedOver60)
		}
		if retained == 0 || retained == n21 {
			t.Errorf("吴忠 re-elected secretaries = %d of %d; want some and some new", retained, n21)
		}
		if adjusted != 146 {
			t.Errorf("吴忠 secretaries adjusted between the elections = %d, want 146", adjusted)
		}
		if notOnDay != 0 {
			t.Errorf("吴忠: %d secretary posts taken in 2021 off the county's election day", notOnDay)
		}

		// 雏鹰计划 in 魏县: 85 young cadres, 15 now secretaries who took the
		// seat after the class started (current on the as-of day and today).
		weixian := subtree("130434")

		// 届中审计 of every 魏县 village with a secretary in 2023 (seed 000),
		// each of the secretary in office on the day.
		seated := count(t, q, `SELECT COUNT(DISTINCT p.region_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE `+weixian+` AND p.role IN (`+secretaryRoles+`) AND p.start_date <= $1 AND (p.end_date IS NULL OR p.end_date >= $2)`,
			time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC))
		audited := count(t, q, `SELECT COUNT(DISTINCT a.region_id) FROM office_audits a JOIN regions r ON r.id = a.region_id
			WHERE `+weixian+` AND a.kind = 'MID_TERM' AND a.date >= $1 AND a.date <= $2`,
			time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC))
		ofSecretary := count(t, q, `SELECT COUNT(*) FROM office_audits a JOIN regions r ON r.id = a.region_id
			WHERE `+weixian+` AND a.kind = 'MID_TERM' AND EXISTS (SELECT 1 FROM posts p WHERE p.region_id = a.region_id
				AND p.person_id = a.person_id AND p.role IN (`+secretaryRoles+`) AND p.start_date <= a.date
				AND (p.end_date IS NULL OR p.end_date >= a.date))`)
		if seated == 0 || audited != seated || ofSecretary != audited {
			t.Errorf("魏县 届中审计: %d villages audited in 2023 (%d of their secretary in office), %d villages with a secretary then",
				audited, ofSecretary, seated)
		}
		eagles := `FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id JOIN regions r ON r.id = c.region_id
			WHERE c.kind = 'YOUNG_EAGLE' AND ` + weixian
		if n := count(t, q, `SELECT COUNT(DISTINCT c.id) `+eagles); n != 1 {
			t.Errorf("魏县 雏鹰 classes = %d, want 1", n)
		}
		if n := count(t, q, `SELECT COUNT(DISTINCT e.person_id) `+eagles); n != 85 {
			t.Errorf("魏县 雏鹰 trainees = %d, want 85", n)
		}
		if n := count(t, q, `SELECT COUNT(DISTINCT e.person_id) `+eagles+` AND EXISTS (SELECT 1 FROM posts p
			WHERE p.person_id = e.person_id AND p.role IN (`+secretaryRoles+`) AND p.end_date IS NULL
			AND p.start_date >= c.starts_on AND p.start_date <= $1)`, asOf); n != 15 {
			t.Errorf("魏县 雏鹰 now secretaries = %d, want 15", n)
		}
		if n := count(t, q, `SELECT COUNT(*) `+eagles+` AND EXISTS (SELECT 1 FROM posts p
			WHERE p.person_id = e.person_id AND p.role IN (`+secretaryRoles+`) AND p.start_date < c.starts_on)`); n != 0 {
			t.Errorf("%d 雏鹰 trainees were secretaries before the class", n)
		}
		if n := count(t, q, `SELECT COUNT(*) FROM training_classes c JOIN regions r ON r.id = c.region_id
			WHERE c.kind = 'YOUNG_EAGLE' AND `+weixian+` AND c.ends_on >= $1`, time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)); n != 1 {
			t.Error("the 雏鹰 class does not run two years")
		}

		// 蹲点学习: 30 distinct sitting secretaries of 魏县 in 杭州 and 成都.
		study := `FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id JOIN regions r ON r.id = c.region_id
			WHERE c.kind = 'ON_SITE_STUDY' AND ` + weixian
		if n := count(t, q, `SELECT COUNT(DISTINCT e.person_id) `+study+` AND EXISTS (SELECT 1 FROM posts p
			WHERE p.person_id = e.person_id AND p.role IN (`+secretaryRoles+`) AND p.end_date IS NULL AND p.start_date <= c.starts_on)`); n != 30 {
			t.Errorf("魏县 蹲点学习 secretaries = %d, want 30", n)
		}
		if n := count(t, q, `SELECT COUNT(*) `+study); n != 30 {
			t.Errorf("魏县 蹲点学习 enrolments = %d, want 30", n)
		}
		for _, city := range []string{"杭州", "成都"} {
			if n := count(t, q, `SELECT COUNT(*) `+study+` AND c.place LIKE '%`+city+`%'`); n == 0 {
				t.Errorf("nobody sent to %s", city)
			}
		}

		// 沙市: 5 跟班学习 trainees.
		if n := count(t, q, `SELECT COUNT(DISTINCT e.person_id) FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id
			JOIN regions r ON r.id = c.region_id WHERE c.kind = 'SHADOWING' AND r.code = '421002'`); n != 5 {
			t.Errorf("沙市 跟班学习 trainees = %d, want 5", n)
		}

		// The yearly 村书记培训班 of 土右旗 and 沙市, 2023 and 2024: most
		// complete, some credited under the 32-hour minimum.
		for _, code := range []string{"150221", "421002"} {
			for _, y := range []int{2023, 2024} {
				from, to := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
				cls := `FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id JOIN regions r ON r.id = c.region_id
					WHERE c.kind = 'SECRETARY_TRAINING' AND r.code = '` + code + `' AND c.starts_on >= $1 AND c.starts_on <= $2 AND c.hours > 0`
				all := count(t, q, `SELECT COUNT(*) `+cls, from, to)
				done := count(t, q, `SELECT COUNT(*) `+cls+` AND e.completed`, from, to)
				short := count(t, q, `SELECT COUNT(*) `+cls+` AND e.completed AND COALESCE(e.hours, c.hours) < 32`, from, to)
				if all < 30 || done*10 < all*8 || done == all || short == 0 {
					t.Errorf("%s %d 村书记培训班: %d enrolled, %d completed, %d under 32 hours; want most completing, some short",
						code, y, all, done, short)
				}
			}
		}

		// 土右旗: 64 villages whose secretary runs the cooperative.
		if n := count(t, q, `SELECT COUNT(DISTINCT p.region_id) FROM posts p JOIN regions r ON r.id = p.region_id JOIN persons x ON x.id = p.person_id
			WHERE `+subtree("150221")+` AND p.end_date IS NULL AND p.role IN (`+secretaryRoles+`)
			AND CAST(x.tags AS TEXT) LIKE '%"COOPERATIVE_LEADER"%'`); n != 64 {
			t.Errorf("土右旗 cooperative villages = %d, want 64", n)
		}
	})
}

// The product's own analytics read the seed's work-cycle figures as the
// report gives them (the test above counts them with its own SQL; this one
// checks that termComparison and trainingCohort agree with it).
func TestProductReadsTheSeedWorkCycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		seed(t, db)
		ctx := auth.System(context.Background())
		c, err := insight.CompareTerms(ctx, db.Client, demo.Wuzhong, 2021)
		if err != nil {
			t.Fatal(err)
		}
		round := func(f *float64, places float64) float64 {
			if f == nil {
				t.Fatal("a figure is missing")
			}
			p := math.Pow(10, places)
			return math.Round(*f*p) / p
		}
		diff := map[string]*float64{}
		for _, d := range c.Differences {
			if d.Group == "SECRETARIES" {
				diff[d.Figure] = d.Difference
			}
		}
		got := []any{c.Current.Secretaries.Count, round(diff["averageAge"], 1), round(diff["collegeShare"], 3),
			round(diff["oneShoulderShare"], 3), round(c.Current.Secretaries.RichLeaderShare, 3), c.RetainedOver60, c.Adjusted}
		if want := []any{497, -1.5, 0.25, 0.346, 0.547, 18, 146}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("吴忠's term comparison reads %v, want %v (count, age, 大专, 一肩挑, 致富带头人, over 60 retained, adjusted)", got, want)
		}
		for _, k := range []struct {
			kind                  trainingclass.Kind
			region                string
			trainees, secretaries int
		}{
			{trainingclass.KindYOUNG_EAGLE, demo.Weixian, 85, 15},
			{trainingclass.KindSHADOWING, demo.Shashi, 5, -1},
		} {
			id := db.Client.TrainingClass.Query().Where(trainingclass.KindEQ(k.kind),
				trainingclass.HasRegionWith(region.Code(k.region))).OnlyIDX(ctx)
			cohort, err := insight.Cohort(ctx, db.Client, id)
			if err != nil {
				t.Fatal(err)
			}
			if cohort.Trainees != k.trainees || k.secretaries >= 0 && cohort.NowSecretaries != k.secretaries {
				t.Errorf("the %s class of %s: %d trainees, %d now secretaries; want %d, %d", k.kind, k.region,
					cohort.Trainees, cohort.NowSecretaries, k.trainees, k.secretaries)
			}
		}
	})
}
