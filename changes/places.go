package changes

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"yanzhen/audit"
	gen "yanzhen/ent"
)

// place is where an object is seen from: its region codes (a person: every
// region their links put them in, as person_places keeps them) and, for an
// expert's records, the expert's institution (a partner's feed).
type place struct {
	regions     []string
	institution int
}

// peopleSQL is, for the types that belong to a person, the FROM clause of
// the object x and its person p. A person's places are person_places,
// kept by the link hooks in the same transaction.
var peopleSQL = map[string]string{
	"Person":          "persons x JOIN persons p ON p.id = x.id",
	"PersonAttribute": "person_attributes x JOIN persons p ON p.id = x.person_id",
}

// institutionSQL selects the institution of the expert an object belongs
// to: the objects a partner sees (scope: its institution's experts and
// their assignments, service, contributions, agreements, subsidies and
// farms), and an institution itself.
var institutionSQL = map[string]string{
	"Institution":      "SELECT x.id, x.id FROM institutions x",
	"ExpertAssignment": "SELECT x.id, p.institution_id FROM expert_assignments x JOIN persons p ON p.id = x.expert_id",
	"ServiceRecord": `SELECT x.id, p.institution_id FROM service_records x
		JOIN expert_assignments a ON a.id = x.assignment_id JOIN persons p ON p.id = a.expert_id`,
	"Contribution": `SELECT x.id, p.institution_id FROM contributions x
		JOIN expert_assignments a ON a.id = x.assignment_id JOIN persons p ON p.id = a.expert_id`,
	"ExpertAgreement": "SELECT x.id, p.institution_id FROM expert_agreements x JOIN persons p ON p.id = x.expert_id",
	"SubsidyPayment":  "SELECT x.id, p.institution_id FROM subsidy_payments x JOIN persons p ON p.id = x.expert_id",
	"DoctorFarm":      "SELECT x.id, p.institution_id FROM doctor_farms x JOIN persons p ON p.id = x.expert_id",
}

// placesOf reads where objects of a type are, by a few statements per
// thousand objects. ctx must let the reads through privacy.
func placesOf(ctx context.Context, c *gen.Client, typ string, ids []int) (map[int]place, error) {
	out := make(map[int]place, len(ids))
	if from, ok := peopleSQL[typ]; ok {
		// The person's places and institution, in one statement.
		q := "SELECT x.id, p.institution_id, pp.code FROM " + from + " LEFT JOIN person_places pp ON pp.person_id = p.id"
		for chunk := range slices.Chunk(ids, 1000) {
			if err := scan(ctx, c, q+" WHERE x.id IN ("+marks(len(chunk))+")", anys(chunk), func(rows *sql.Rows) error {
				var id int
				var inst sql.NullInt64
				var code sql.NullString
				if err := rows.Scan(&id, &inst, &code); err != nil {
					return err
				}
				p := out[id]
				p.institution = int(inst.Int64)
				if code.Valid {
					p.regions = append(p.regions, code.String)
				}
				out[id] = p
				return nil
			}); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	regions, err := audit.RegionsOf(ctx, c, typ, ids)
	if err != nil {
		return nil, err
	}
	for id, code := range regions {
		if code != "" {
			out[id] = place{regions: []string{code}}
		}
	}
	if q, ok := institutionSQL[typ]; ok {
		inst, err := pairs(ctx, c, q, ids)
		if err != nil {
			return nil, err
		}
		for id, i := range inst {
			p := out[id]
			p.institution = i
			out[id] = p
		}
	}
	return out, nil
}

// pairs runs q (SELECT x.id, <an int> FROM … x) for ids, leaving out NULLs.
func pairs(ctx context.Context, c *gen.Client, q string, ids []int) (map[int]int, error) {
	out := map[int]int{}
	for chunk := range slices.Chunk(ids, 1000) {
		if err := scan(ctx, c, q+" WHERE x.id IN ("+marks(len(chunk))+")", anys(chunk), func(rows *sql.Rows) error {
			var id int
			var v sql.NullInt64
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			if v.Valid {
				out[id] = int(v.Int64)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scan(ctx context.Context, c *gen.Client, q string, args []any, row func(*sql.Rows) error) error {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func marks(n int) string {
	m := make([]string, n)
	for i := range m {
		m[i] = fmt.Sprintf("$%d", i+1)
	}
	return strings.Join(m, ", ")
}

func anys(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
