package graph_test

// Issue 9 item 4: masked ID numbers and what else is readable.

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/auditlog"
	"yanzhen/pii"
	"yanzhen/roster"
)

// withCheckDigit completes 17 digits with their GB 11643 check digit.
func withCheckDigit(first17 string) string { return first17 + string(pii.CheckDigit(first17)) }

// candidates counts the ID numbers consistent with everything in seen (the
// masked forms of one number, as shown in different places), the birth
// date, the sex and the county of the home village: what someone without
// personal-data access can put together.
func candidates(t *testing.T, seen []string, birth, gender, homeCode string) int {
	t.Helper()
	if len(seen) == 0 {
		t.Fatal("no masked number seen")
	}
	p := []byte(strings.Repeat("*", 18))
	for _, s := range seen {
		if len(s) != 18 {
			t.Fatalf("masked number %q is not 18 characters", s)
		}
		for i := range 18 {
			switch {
			case s[i] == '*':
			case p[i] == '*':
				p[i] = s[i]
			case p[i] != s[i]:
				t.Fatalf("two masks of one number disagree: %q", seen)
			}
		}
	}
	// The birth date fills digits 7–14; the home county, a hidden region.
	date := strings.ReplaceAll(birth, "-", "")
	for i := range 8 {
		if p[6+i] == '*' {
			p[6+i] = date[i]
		}
	}
	for i := range 6 {
		if p[i] == '*' {
			p[i] = homeCode[i]
		}
	}
	female := gender == "FEMALE"
	n := pii.CountIDNumbers(string(p), func(id pii.IDNumber) bool { return id.Female() == female })
	t.Logf("seen %q → pattern %s: %d candidates", seen, p, n)
	return n
}

// TestMaskedIDNumbersCannotBeRebuilt: a county admin without personal-data
// access reads a person's masked ID number from the API, the masked roster
// export (xlsx and CSV) and the audit log (before and after), together with
// the birth date, the gender and the home village. At least 500 numbers
// must remain possible (digits 15–17, with the sex known) — with the mask
// that kept the last four digits, exactly one did.
func TestMaskedIDNumbersCannotBeRebuilt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorld(t, db.Client)
		plainV := newUser(t, db, "plain", auth.RoleAdmin, "150221", 0, false)
		plain := newAPIAs(t, db, plainV)
		first := withCheckDigit("11010519491231002")  // female (2 is even)
		second := withCheckDigit("11010519491231004") // the same person, corrected
		var created struct{ CreatePerson struct{ ID string } }
		plain.ok(`mutation($in: CreatePersonInput!) { createPerson(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": "甲村书记", "gender": "FEMALE", "birthDate": "1949-12-31", "idNumber": first,
			"phone": "13800138000", "homeVillageID": gid(w.villages[0].ID),
		}}, &created)
		id := created.CreatePerson.ID
		plain.ok(`mutation($id: ID!, $n: String!) { updatePerson(id: $id, input: {idNumber: $n}) { id } }`,
			map[string]any{"id": id, "n": second}, nil)
		// An entry written under the old mask (110105********0043): the
		// log is never rewritten, so it is masked again as it is read.
		ctx := auth.System(context.Background())
		db.Client.AuditLog.Create().SetAction(auditlog.ActionUPDATE).SetActorName("plain").SetEntityType("Person").
			SetRegionCode(w.villages[0].Code).SetAfter(map[string]any{"id_number": second[:6] + "********" + second[14:]}).ExecX(ctx)

		// What the API shows.
		var p struct {
			Node struct {
				IDNumber, BirthDate, Gender string
				HomeVillage                 struct{ Code string }
			}
		}
		plain.ok(`query($id: ID!) { node(id: $id) { ... on Person { idNumber birthDate gender homeVillage { code } } } }`,
			map[string]any{"id": id}, &p)
		seenFirst, seenSecond := []string{}, []string{p.Node.IDNumber}

		// What the audit log shows.
		var logs struct {
			AuditLogs struct {
				Edges []struct {
					Node struct {
						Action        string
						Before, After map[string]any
					}
				}
			}
		}
		plain.ok(`{ auditLogs(first: 100, where: {entityType: "Person"}) { edges { node { action before after } } } }`, nil, &logs)
		for _, e := range logs.AuditLogs.Edges {
			if s, ok := e.Node.Before["id_number"].(string); ok {
				seenFirst = append(seenFirst, s)
			}
			if s, ok := e.Node.After["id_number"].(string); ok {
				if e.Node.Action == "CREATE" {
					seenFirst = append(seenFirst, s)
				} else {
					seenSecond = append(seenSecond, s)
				}
			}
		}
		if len(seenFirst) != 2 || len(seenSecond) != 3 {
			// CREATE (after), UPDATE (before, after) and the old entry.
			t.Fatalf("audit entries: %+v", logs)
		}

		// What the masked export shows, written as xlsx and as CSV and read back.
		wb, err := roster.ExportWorkbook(auth.NewContext(ctx, plainV), db.Client, "150221", roster.ExportOptions{MaskPersonalData: true})
		if err != nil {
			t.Fatal(err)
		}
		var xlsx bytes.Buffer
		if err := wb.WriteXLSX(&xlsx); err != nil {
			t.Fatal(err)
		}
		fromXLSX, err := roster.ReadXLSX(&xlsx)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := wb.WriteCSVDir(dir); err != nil {
			t.Fatal(err)
		}
		fromCSV, err := roster.ReadCSVDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		idLike := regexp.MustCompile(`^[0-9*]{17}[0-9X*]$`)
		exported := 0
		for _, b := range []*roster.Workbook{fromXLSX, fromCSV} {
			for _, s := range b.Sheets {
				for _, r := range s.Rows {
					for _, c := range r.Cells {
						if strings.Contains(c, second[:6]) && idLike.MatchString(c) {
							seenSecond = append(seenSecond, c)
							exported++
						}
						if strings.Contains(c, "13800138000") || c == first || c == second {
							t.Fatalf("the masked export shows %q", c)
						}
					}
				}
			}
		}
		if exported != 2 {
			t.Fatalf("the ID number is in %d exported cells, want 2 (xlsx and CSV)", exported)
		}

		raw, _ := json.Marshal([]any{p, logs})
		if strings.Contains(string(raw), first) || strings.Contains(string(raw), second) {
			t.Fatalf("a full number is shown: %s", raw)
		}
		birth, gender, home := p.Node.BirthDate, p.Node.Gender, p.Node.HomeVillage.Code
		if birth != "1949-12-31" || gender != "FEMALE" {
			t.Fatalf("person: %+v", p)
		}
		for _, seen := range [][]string{seenFirst, seenSecond} {
			if n := candidates(t, seen, birth, gender, home); n < 500 {
				t.Errorf("%q with birth date %s and gender %s leaves %d possible numbers, want ≥ 500", seen, birth, gender, n)
			}
		}
	})
}
