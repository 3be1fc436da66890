package database

import "testing"

func TestCountStarQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT COUNT("persons"."id") FROM "persons" WHERE "persons"."id" IN (SELECT 1)`,
			`SELECT COUNT(*) FROM "persons" WHERE "persons"."id" IN (SELECT 1)`},
		{"SELECT COUNT(`regions`.`id`) FROM `regions` WHERE `regions`.`code` >= ?",
			"SELECT COUNT(*) FROM `regions` WHERE `regions`.`code` >= ?"},
		// A distinct count, another table's ids, other statements: untouched.
		{`SELECT COUNT(DISTINCT "persons"."id") FROM "persons"`, `SELECT COUNT(DISTINCT "persons"."id") FROM "persons"`},
		{`SELECT COUNT("t1"."id") FROM "persons"`, `SELECT COUNT("t1"."id") FROM "persons"`},
		{`SELECT "persons"."id" FROM "persons"`, `SELECT "persons"."id" FROM "persons"`},
	} {
		if got := countStarQuery(tc.in); got != tc.want {
			t.Errorf("countStarQuery(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
