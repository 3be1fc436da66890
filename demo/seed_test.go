package demo_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/demo"
	"yanzhen/divisions"
	"yanzhen/ent"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/pii"
	"yanzhen/vocab"
)

var asOf = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)

func importRegions(t testing.TB, db *dbtest.DB) {
	t.Helper()
	if _, err := divisions.Import(auth.System(context.Background()), db.DB, divisions.Embedded(), divisions.Options{}); err != nil {
		t.Fatalf("importing regions: %v", err)
	}
}

func seed(t testing.TB, db *dbtest.DB) demo.Summary {
	t.Helper()
	importRegions(t, db)
	start := time.Now()
	sum, err := demo.Seed(auth.System(context.Background()), db.DB, demo.Options{})
	if err != nil {
		t.Fatalf("seeding: %v", err)
	}
	t.Logf("%s (measured %s)", sum, time.Since(start).Round(time.Millisecond))
	return sum
}

// subtree is the SQL condition for regions r under code.
func subtree(code string) string {
	hi := []byte(code)
	hi[len(hi)-1]++
	return fmt.Sprintf("r.code >= '%s' AND r.code < '%s'", code, hi)
}

func ints(t *testing.T, db *sql.DB, q string) []int {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func one(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	xs := ints(t, db, q)
	if len(xs) != 1 {
		t.Fatalf("%s: %d rows", q, len(xs))
	}
	return xs[0]
}

const twoCommittees = `'PARTY_SECRETARY','SECRETARY_AND_DIRECTOR','COMMITTEE_DIRECTOR','DEPUTY_SECRETARY','COMMITTEE_MEMBER'`

func completedAge(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}

func TestSeedMatchesPublishedFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		seed(t, db)
		q := db.SQL

		// 土默特右旗: 201 villages, 1,217 两委 cadres.
		tumed := subtree("150221")
		cadreIDs := ints(t, q, `SELECT DISTINCT p.person_id FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN (`+twoCommittees+`) AND `+tumed)
		if len(cadreIDs) != 1217 {
			t.Errorf("土默特右旗 两委 cadres = %d, want 1217", len(cadreIDs))
		}
		villages := one(t, q, `SELECT COUNT(DISTINCT p.region_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN (`+twoCommittees+`) AND r.kind = 'VILLAGE' AND `+tumed)
		if villages != 201 {
			t.Errorf("土默特右旗 villages with cadres = %d, want 201", villages)
		}
		withSecretary := one(t, q, `SELECT COUNT(DISTINCT p.region_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') AND `+tumed)
		if withSecretary != 201 {
			t.Errorf("土默特右旗 villages with a secretary = %d, want 201", withSecretary)
		}
		cadres, err := db.Client.Person.Query().Where(person.IDIn(cadreIDs...)).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ageSum, exactSum float64
		young, collegeN, returnees := 0, 0, 0
		for _, c := range cadres {
			age := completedAge(*c.BirthDate, asOf)
			ageSum += float64(age)
			exactSum += asOf.Sub(*c.BirthDate).Hours() / 24 / 365.2425
			if age < 35 {
				young++
			}
			if c.Education != nil {
				switch *c.Education {
				case person.EducationJUNIOR_COLLEGE, person.EducationBACHELOR, person.EducationMASTER, person.EducationDOCTORATE:
					collegeN++
				}
			}
			for _, tag := range c.Tags {
				if tag == vocab.PersonTag("RETURNEE") {
					returnees++
				}
			}
		}
		n := float64(len(cadres))
		if avg := ageSum / n; math.Abs(avg-42) > 0.5 {
			t.Errorf("average completed age %.2f, want 42 ± 0.5", avg)
		}
		if avg := exactSum / n; math.Abs(avg-42) > 0.5 {
			t.Errorf("average exact age %.2f, want 42 ± 0.5", avg)
		}
		if share := 100 * float64(collegeN) / n; math.Abs(share-45.5) > 0.1 {
			t.Errorf("大专及以上 %.2f%%, want 45.5 ± 0.1", share)
		}
		if young != 237 {
			t.Errorf("under 35: %d, want 237", young)
		}
		if returnees != 237 {
			t.Errorf("returnees among cadres: %d, want 237", returnees)
		}

		// 土默特右旗's year of work (seed 004): 1,681 duty items over the 201
		// villages, every item on a sitting cadre's list; 169 cadres
		// rewarded with over 70万元; 17 区市级先进个人.
		if n := one(t, q, `SELECT COUNT(*) FROM duty_items d JOIN regions r ON r.id = d.region_id WHERE d.year = 2024 AND `+tumed); n != 1681 {
			t.Errorf("土默特右旗 duty items of 2024 = %d, want 1681", n)
		}
		if n := one(t, q, `SELECT COUNT(DISTINCT d.region_id) FROM duty_items d JOIN regions r ON r.id = d.region_id WHERE d.year = 2024 AND `+tumed); n != 201 {
			t.Errorf("土默特右旗 villages with duty lists = %d, want 201", n)
		}
		if n := one(t, q, `SELECT COUNT(*) FROM duty_items d JOIN regions r ON r.id = d.region_id WHERE `+tumed+`
			AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.person_id = d.person_id AND p.region_id = d.region_id AND p.end_date IS NULL
				AND p.role IN (`+twoCommittees+`))`); n != 0 {
			t.Errorf("%d duty items on the list of someone not a sitting cadre of the village", n)
		}
		rewarded := one(t, q, `SELECT COUNT(DISTINCT w.person_id) FROM rewards w JOIN regions r ON r.id = w.region_id
			WHERE w.kind = 'REWARD' AND w.amount_yuan > 0 AND `+tumed)
		yuan := one(t, q, `SELECT COALESCE(SUM(w.amount_yuan), 0) FROM rewards w JOIN regions r ON r.id = w.region_id
			WHERE w.kind = 'REWARD' AND `+tumed)
		if rewarded != 169 || yuan <= 700000 {
			t.Errorf("土默特右旗 rewarded cadres %d with %d yuan, want 169 with over 700,000", rewarded, yuan)
		}
		if n := one(t, q, `SELECT COUNT(DISTINCT w.person_id) FROM rewards w JOIN regions r ON r.id = w.region_id
			WHERE w.title = '先进个人' AND w.level IN ('PROVINCE', 'CITY') AND `+tumed); n != 17 {
			t.Errorf("土默特右旗 区市级先进个人 = %d, want 17", n)
		}
		// Every secretary's 述职评议 of 2023 and 2024, ranked 1…N in the
		// township with no rank twice.
		if n := one(t, q, `SELECT COUNT(DISTINCT a.person_id) FROM assessments a JOIN regions r ON r.id = a.region_id
			WHERE a.year IN (2023, 2024) AND `+tumed+` AND EXISTS (SELECT 1 FROM posts p WHERE p.person_id = a.person_id
				AND p.region_id = a.region_id AND p.end_date IS NULL AND p.role IN ('PARTY_SECRETARY', 'SECRETARY_AND_DIRECTOR'))`); n != 201 {
			t.Errorf("土默特右旗 secretaries assessed = %d, want 201", n)
		}
		if n := one(t, q, `SELECT COUNT(*) FROM (SELECT SUBSTR(r.code, 1, 9), a.year, a.rank FROM assessments a JOIN regions r ON r.id = a.region_id
			WHERE `+tumed+` GROUP BY SUBSTR(r.code, 1, 9), a.year, a.rank HAVING COUNT(*) > 1) x`); n != 0 {
			t.Errorf("%d ranks given twice in a township and year", n)
		}
		tagged := 0
		for _, id := range ints(t, q, `SELECT DISTINCT p.person_id FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND `+tumed) {
			pp, err := db.Client.Person.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, tag := range pp.Tags {
				if tag == "RETURNEE" {
					tagged++
				}
			}
		}
		if tagged != 237 {
			t.Errorf("people with a current post tagged RETURNEE: %d, want 237", tagged)
		}
		reserves := one(t, q, `SELECT COUNT(DISTINCT p.person_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role = 'RESERVE_CADRE' AND `+tumed)
		if reserves != 749 {
			t.Errorf("reserves = %d, want 749", reserves)
		}
		if lists := one(t, q, `SELECT COUNT(DISTINCT p.reserve_list) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role = 'RESERVE_CADRE' AND `+tumed); lists != 3 {
			t.Errorf("reserves on %d lists, want all 3", lists)
		}
		short := one(t, q, `SELECT COUNT(*) FROM (SELECT p.region_id FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role = 'RESERVE_CADRE' AND `+tumed+` GROUP BY p.region_id HAVING COUNT(*) < 2) s`)
		if short < 1 || short > 10 {
			t.Errorf("%d villages with fewer than 2 reserves; want a few", short)
		}
		pipeline := one(t, q, `SELECT COUNT(DISTINCT s.person_id) FROM posts s JOIN regions r ON r.id = s.region_id
			JOIN posts rc ON rc.person_id = s.person_id AND rc.role = 'RESERVE_CADRE' AND rc.end_date IS NOT NULL
			WHERE s.end_date IS NULL AND s.role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') AND `+tumed)
		if pipeline == 0 {
			t.Error("no former reserve became a secretary")
		}

		// 沙市区: 42 名誉书记, 96 发展顾问, monthly contacts, some overdue.
		shashi := subtree("421002")
		for kind, want := range map[string]int{"HONORARY_SECRETARY": 42, "DEVELOPMENT_ADVISER": 96} {
			got := one(t, q, `SELECT COUNT(*) FROM adviser_appointments a JOIN regions r ON r.id = a.village_id
				WHERE a.kind = '`+kind+`' AND a.end_date IS NULL AND `+shashi)
			if got != want {
				t.Errorf("沙市区 %s = %d, want %d", kind, got, want)
			}
		}
		appIDs := ints(t, q, `SELECT a.id FROM adviser_appointments a JOIN regions r ON r.id = a.village_id WHERE `+shashi)
		logs, err := db.Client.ContactLog.Query().Where(contactlog.AppointmentIDIn(appIDs...)).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last := map[int]time.Time{}
		months := map[int]map[string]bool{}
		for _, l := range logs {
			if l.Date.After(last[l.AppointmentID]) {
				last[l.AppointmentID] = l.Date
			}
			if months[l.AppointmentID] == nil {
				months[l.AppointmentID] = map[string]bool{}
			}
			months[l.AppointmentID][l.Date.Format("2006-01")] = true
		}
		overdue := 0
		for _, id := range appIDs {
			if last[id].IsZero() {
				t.Errorf("appointment %d has no contact log", id)
				continue
			}
			if asOf.Sub(last[id]) > 30*24*time.Hour {
				overdue++
			} else if len(months[id]) < 6 {
				t.Errorf("appointment %d is contacted in only %d months", id, len(months[id]))
			}
		}
		if overdue != 8 {
			t.Errorf("overdue appointments = %d, want 8", overdue)
		}
		experts := one(t, q, `SELECT COUNT(DISTINCT a.expert_id) FROM expert_assignments a JOIN regions r ON r.id = a.region_id
			JOIN persons e ON e.id = a.expert_id
			WHERE a.end_date IS NULL AND e.institution_id IS NOT NULL AND `+shashi)
		if experts != 20 {
			t.Errorf("沙市区 科技特派员 = %d, want 20", experts)
		}
		for kind, want := range map[string]int{"INVESTMENT_LEAD": 17, "SITE_VISIT": 13, "PROJECT_LANDED": 4} {
			got := one(t, q, `SELECT COUNT(*) FROM contributions c JOIN regions r ON r.id = c.village_id
				WHERE c.appointment_id IS NOT NULL AND c.kind = '`+kind+`' AND `+shashi)
			if got != want {
				t.Errorf("沙市区 adviser contributions %s = %d, want %d", kind, got, want)
			}
		}
		if funds := one(t, q, `SELECT SUM(c.amount_yuan) FROM contributions c JOIN regions r ON r.id = c.village_id
			WHERE c.appointment_id IS NOT NULL AND c.kind = 'FUNDS' AND `+shashi); funds != 10_300_000 {
			t.Errorf("funds to villages = %d yuan, want 10,300,000", funds)
		}
		matched := one(t, q, `SELECT COUNT(*) FROM expert_assignments a JOIN demands d ON d.id = a.demand_id
			JOIN regions r ON r.id = d.region_id WHERE d.status IN ('MATCHED','DONE') AND `+shashi)
		open := one(t, q, `SELECT COUNT(*) FROM demands d JOIN regions r ON r.id = d.region_id WHERE d.status = 'OPEN' AND `+shashi)
		if matched == 0 || open == 0 {
			t.Errorf("沙市区 demands: %d matched, %d open; want some of each", matched, open)
		}

		// 吴忠市: 497 secretaries, 510 resident cadres.
		wuzhong := subtree("6403")
		if got := one(t, q, `SELECT COUNT(DISTINCT p.person_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') AND `+wuzhong); got != 497 {
			t.Errorf("吴忠市 secretaries = %d, want 497", got)
		}
		if got := one(t, q, `SELECT COUNT(DISTINCT p.person_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN ('FIRST_SECRETARY','WORK_TEAM_MEMBER') AND `+wuzhong); got != 510 {
			t.Errorf("吴忠市 resident cadres = %d, want 510", got)
		}
		if got := one(t, q, `SELECT COUNT(DISTINCT p.dispatch_level) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role = 'FIRST_SECRETARY' AND p.cluster IS NOT NULL AND `+wuzhong); got != 3 {
			t.Errorf("吴忠市 first secretaries from %d dispatch levels, want 3", got)
		}

		// 魏县 and 保定市 have people too.
		for _, code := range []string{"130434", "1306"} {
			if got := one(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
				WHERE p.end_date IS NULL AND `+subtree(code)); got < 100 {
				t.Errorf("%s has %d current posts", code, got)
			}
		}

		// Everywhere: at most one current secretary per village.
		if dup := ints(t, q, `SELECT region_id FROM posts WHERE end_date IS NULL
			AND role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') GROUP BY region_id HAVING COUNT(*) > 1`); len(dup) > 0 {
			t.Errorf("%d villages with two current secretaries", len(dup))
		}
		checkPeople(t, db)
		checkMentoring(t, db)
	})
}

// checkPeople: every ID number passes GB 11643 and agrees with the birth date
// and gender; every phone is a mobile number; no two people share either.
func checkPeople(t *testing.T, db *dbtest.DB) {
	people, err := db.Client.Person.Query().Where(person.ExternalIDHasPrefix("DEMO-")).All(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	ids, phones := map[string]bool{}, map[string]bool{}
	surnames := map[string]int{}
	for _, p := range people {
		id, err := pii.ParseIDNumber(p.IDNumber)
		if err != nil {
			t.Fatalf("person %s: %v", *p.ExternalID, err)
		}
		if b, _ := id.BirthDate(); !b.Equal(*p.BirthDate) || id.Female() != (*p.Gender == person.GenderFEMALE) {
			t.Fatalf("person %s: ID number disagrees with the birth date or gender", *p.ExternalID)
		}
		if err := pii.CheckPhone(p.Phone); err != nil || !strings.HasPrefix(p.Phone, "1") {
			t.Fatalf("person %s: bad phone", *p.ExternalID)
		}
		if ids[p.IDNumber] || phones[p.Phone] {
			t.Fatalf("person %s: ID number or phone used twice", *p.ExternalID)
		}
		ids[p.IDNumber], phones[p.Phone] = true, true
		surnames[string([]rune(p.Name)[:1])]++
		if n := len([]rune(p.Name)); n < 2 || n > 4 {
			t.Errorf("implausible name length %d", n)
		}
	}
	if len(surnames) < 80 {
		t.Errorf("only %d distinct first characters of names", len(surnames))
	}
}

// checkMentoring: no cycles, lineages of four generations, x+N groups, and
// some mentorships past their end date but still active.
func checkMentoring(t *testing.T, db *dbtest.DB) {
	ms, err := db.Client.Mentorship.Query().All(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	down := map[int][]int{}
	xn := map[int]int{}
	late := 0
	for _, m := range ms {
		down[m.MentorID] = append(down[m.MentorID], m.MenteeID)
		if m.Program == mentorship.ProgramX_PLUS_N {
			xn[m.MentorID]++
		}
		if m.Status == mentorship.StatusACTIVE && m.EndDate != nil && m.EndDate.Before(asOf) {
			late++
		}
	}
	// depth[v] is the longest chain of mentees below v; a cycle shows as a
	// node met again on the current path.
	const visiting = -1
	depth := map[int]int{}
	var walk func(v int) int
	walk = func(v int) int {
		if d, ok := depth[v]; ok {
			if d == visiting {
				t.Fatalf("mentoring cycle through person %d", v)
			}
			return d
		}
		depth[v] = visiting
		best := 0
		for _, w := range down[v] {
			best = max(best, 1+walk(w))
		}
		depth[v] = best
		return best
	}
	longest := 0
	for v := range down {
		longest = max(longest, walk(v))
	}
	if longest+1 < 4 {
		t.Errorf("longest lineage has %d generations, want 4", longest+1)
	}
	groups := 0
	for _, n := range xn {
		if n >= 3 {
			groups++
		}
	}
	if groups == 0 {
		t.Error("no x+N group with three or more mentees")
	}
	if late == 0 {
		t.Error("no active mentorship past its end date")
	}
}

var (
	hashesMu sync.Mutex
	hashes   = map[string]string{}
)

// fingerprint hashes the people and posts in external-ID order.
func fingerprint(t *testing.T, db *dbtest.DB) string {
	t.Helper()
	ctx := auth.System(context.Background())
	people, err := db.Client.Person.Query().Where(person.ExternalIDHasPrefix("DEMO-")).
		Order(ent.Asc(person.FieldExternalID)).WithPosts().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, p := range people {
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%v|%v\n", *p.ExternalID, p.Name, p.IDNumber, p.Phone,
			p.BirthDate.Format(time.DateOnly), p.Tags, p.Education)
		// The eager load returns a person's posts in whatever order the
		// engine's plan gives; the fingerprint is of their content.
		var lines []string
		for _, ps := range p.Edges.Posts {
			end := ""
			if ps.EndDate != nil {
				end = ps.EndDate.Format(time.DateOnly)
			}
			lines = append(lines, fmt.Sprintf("  %s %s %s\n", ps.Role, ps.StartDate.Format(time.DateOnly), end))
		}
		sort.Strings(lines)
		for _, l := range lines {
			fmt.Fprint(h, l)
		}
	}
	// Training enrolments and attribute periods, by content.
	es, err := db.Client.TrainingEnrolment.Query().WithClass().WithPerson().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range es {
		hours := -1.0
		if e.Hours != nil {
			hours = *e.Hours
		}
		lines = append(lines, fmt.Sprintf("E %s %s %s %v %v\n", e.Edges.Class.Name, e.Edges.Class.StartsOn.Format(time.DateOnly),
			*e.Edges.Person.ExternalID, e.Completed, hours))
	}
	as, err := db.Client.PersonAttribute.Query().WithPerson().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		day := func(d *time.Time) string {
			if d == nil {
				return "-"
			}
			return d.Format(time.DateOnly)
		}
		lines = append(lines, fmt.Sprintf("A %s %s %s %s %s\n", *a.Edges.Person.ExternalID, a.Attribute, a.Value, day(a.ValidFrom), day(a.ValidUntil)))
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprint(h, l)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func reopen(t *testing.T, db *dbtest.DB) *dbtest.DB {
	if db.Dialect == "postgres" {
		return dbtest.OpenPostgres(t)
	}
	return dbtest.OpenSQLite(t)
}

func TestSeedIsDeterministicAndRunsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		first := seed(t, db)
		h1 := fingerprint(t, db)

		again, err := demo.Seed(ctx, db.DB, demo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !again.AlreadyPresent || again.People != 0 {
			t.Errorf("second Seed: %+v, want a no-op", again)
		}
		if n := db.Client.Person.Query().CountX(ctx); n != first.People {
			t.Errorf("%d people after the second Seed, want %d", n, first.People)
		}

		other := reopen(t, db)
		seed(t, other)
		if h2 := fingerprint(t, other); h2 != h1 {
			t.Errorf("two runs differ: %s vs %s", h1, h2)
		}
		// And across engines, when both run.
		hashesMu.Lock()
		defer hashesMu.Unlock()
		hashes[db.Dialect] = h1
		if len(hashes) == 2 && hashes["sqlite3"] != hashes["postgres"] {
			t.Errorf("SQLite and PostgreSQL runs differ")
		}
	})
}

func TestSeedNeedsRegions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		_, err := demo.Seed(auth.System(context.Background()), db.DB, demo.Options{})
		if err == nil || !strings.Contains(err.Error(), "import the regions") {
			t.Fatalf("Seed on an empty database: %v, want a request to import the regions", err)
		}
		if n := db.Client.Person.Query().CountX(auth.System(context.Background())); n != 0 {
			t.Errorf("%d people written", n)
		}
	})
}
