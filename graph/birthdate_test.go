package graph_test

import (
	"context"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/graph/relay"
)

func personID(t *testing.T, global string) int {
	t.Helper()
	id, err := relay.DecodeID(global)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Birth dates to the month through the API: the generated inputs take the
// precision, the person hook stores the 1st and completes from the ID
// number, birthDateText reads it as the roster writes it.
func TestBirthDatePrecision(t *testing.T) {
	const fields = `id birthDate birthDatePrecision birthDateText gender`
	create := `mutation($in: CreatePersonInput!) { createPerson(input: $in) { ` + fields + ` } }`
	update := `mutation($id: ID!, $in: UpdatePersonInput!) { updatePerson(id: $id, input: $in) { ` + fields + ` } }`
	type personJSON struct {
		ID, BirthDate, BirthDatePrecision, BirthDateText, Gender string
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		a := newAPI(t, db)
		in := func(kv ...string) map[string]any {
			m := map[string]any{"name": "王建国"}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
			return map[string]any{"in": m}
		}
		var c struct{ CreatePerson personJSON }
		a.ok(create, in("birthDate", "1971-07-15", "birthDatePrecision", "MONTH"), &c)
		if p := c.CreatePerson; p.BirthDate != "1971-07-01" || p.BirthDatePrecision != "MONTH" || p.BirthDateText != "1971年07月" {
			t.Fatalf("month: %+v", p)
		}
		// A full date written without a precision is a day again.
		var u struct{ UpdatePerson personJSON }
		a.ok(update, map[string]any{"id": c.CreatePerson.ID, "in": map[string]any{"birthDate": "1971-07-20"}}, &u)
		if p := u.UpdatePerson; p.BirthDate != "1971-07-20" || p.BirthDatePrecision != "" || p.BirthDateText != "1971-07-20" {
			t.Fatalf("day: %+v", p)
		}
		// The precision alone cuts the date on file to its month.
		a.ok(update, map[string]any{"id": c.CreatePerson.ID, "in": map[string]any{"birthDatePrecision": "MONTH"}}, &u)
		if p := u.UpdatePerson; p.BirthDate != "1971-07-01" || p.BirthDateText != "1971年07月" {
			t.Fatalf("precision alone: %+v", p)
		}
		r := a.fails("BAD_USER_INPUT", create, in("birthDatePrecision", "MONTH"))
		if r.Errors[0].Extensions["field"] != "birthDatePrecision" {
			t.Fatalf("field: %s", r.Raw)
		}

		// The standard's example number: born 1949-12-31, female.
		const id = "11010519491231002X"
		a.ok(create, in("idNumber", id, "birthDate", "1949-12-01", "birthDatePrecision", "MONTH"), &c)
		if p := c.CreatePerson; p.BirthDate != "1949-12-31" || p.BirthDatePrecision != "DAY" || p.Gender != "FEMALE" {
			t.Fatalf("month agreeing with the number: %+v", p)
		}
		// One ID number is one person: the next checks use the same number,
		// so the file just made goes first.
		db.Client.Person.DeleteOneID(personID(t, c.CreatePerson.ID)).ExecX(auth.System(context.Background()))
		a.ok(create, in("idNumber", id), &c)
		if p := c.CreatePerson; p.BirthDate != "1949-12-31" || p.BirthDateText != "1949-12-31" || p.Gender != "FEMALE" {
			t.Fatalf("derived from the number: %+v", p)
		}
		r = a.fails("BAD_USER_INPUT", create, in("idNumber", id, "birthDate", "1949-11-01", "birthDatePrecision", "MONTH"))
		e := r.Errors[0]
		if e.Extensions["reason"] != "ID_NUMBER_BIRTH_MONTH_MISMATCH" || !strings.Contains(e.Message, "1949-11") || !strings.Contains(e.Message, "1949-12") {
			t.Fatalf("disagreeing month: %s", r.Raw)
		}
		if strings.Contains(r.Raw, id[:14]) || strings.Contains(r.Raw, "19491231") || strings.Contains(r.Raw, "1949-12-31") {
			t.Fatalf("the refusal quotes the ID number or its day: %s", r.Raw)
		}
	})
}
