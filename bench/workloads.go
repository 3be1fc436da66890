package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
)

// Workload is one kind of request, written once for Yanzhen and once for
// PostGraphile (empty when PostGraphile has no equivalent: the analytics).
// Both ask for the same rows in the same order, so that canonical reduces
// the two answers to the same value.
type Workload struct {
	Name         string
	Yanzhen      string
	PostGraphile string
	// vars gives the variables of one request for a parameter of the pool.
	vars func(pg bool, p any) map[string]any
	// canonical turns an answer into plain values, the same for both
	// servers when they return the same content.
	canonical func(postgraphile bool, data json.RawMessage) (any, error)
	// pool lists the parameters for a scope ("" national, else a county code).
	pool func(ctx context.Context, db *sql.DB, county string) ([]any, error)
	// analytic: Yanzhen's own figures, no PostGraphile equivalent.
	analytic bool
}

func (w *Workload) query(c *Client) string {
	if c.PostGraphile {
		return w.PostGraphile
	}
	return w.Yanzhen
}

// idVars passes a row id: Yanzhen's global ID of the type, PostGraphile's
// BigInt as a string.
func idVars(typ string) func(pg bool, p any) map[string]any {
	return func(pg bool, p any) map[string]any {
		id := p.(int64)
		if pg {
			return map[string]any{"id": strconv.FormatInt(id, 10)}
		}
		return map[string]any{"id": globalID(typ, id)}
	}
}

func globalID(typ string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.FormatInt(id, 10)))
}

// codeRange is the half-open range of the codes under a prefix (digits only).
func codeRange(prefix string) (string, string) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return prefix, string(b[:i+1])
		}
		b = b[:i]
	}
	return prefix, "~"
}

// sample reads up to 1000 values of a query that returns one column, in a
// fixed pseudo-random order (hashtext of the value): the same pool every run.
func sample(ctx context.Context, db *sql.DB, q string, args ...any) ([]any, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []any
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no parameters: %s", q)
	}
	return out, nil
}

// scopeArgs gives the bounds of a county's codes, or the whole range.
func scopeArgs(county string) (string, string) {
	if county == "" {
		return "", "~"
	}
	return codeRange(county)
}

// The selections below are the four workloads and the two analytics.
// Connections without orderBy are in primary-key order on both servers.

var villagePage = &Workload{
	Name: "village page",
	Yanzhen: `query VillagePage($code: String!) { region(code: $code) { code name
  posts(first: 50) { edges { node { role startDate endDate person { name gender birthDate } } } }
  adviserAppointments(first: 20) { edges { node { kind startDate person { name }
    contactLogs(first: 5, orderBy: {field: DATE, direction: DESC}) { edges { node { date mode } } } } } } } }`,
	// PostGraphile offers no regionByCode: regions.code has a unique index,
	// not a unique constraint, which is what it reads.
	PostGraphile: `query VillagePage($code: String!) { region: regions(condition: {code: $code}, first: 1) { nodes { code name
  posts(first: 50) { nodes { role startDate endDate person { name gender birthDate } } }
  adviserAppointments: adviserAppointmentsByVillageId(first: 20) { nodes { kind startDate person { name }
    contactLogs: contactLogsByAppointmentId(first: 5, orderBy: [DATE_DESC, ID_DESC]) { nodes { date mode } } } } } } }`,
	vars: func(_ bool, p any) map[string]any { return map[string]any{"code": p} },
	canonical: func(pg bool, data json.RawMessage) (any, error) {
		v, err := reshape(data)
		if m, ok := v.(map[string]any); ok && pg {
			if l, ok := m["region"].([]any); ok && len(l) == 1 {
				m["region"] = l[0]
			}
		}
		return v, err
	},
	// Villages with posts, and every village with an adviser (the demo's
	// advisers and their contact logs are in a few seed areas).
	pool: func(ctx context.Context, db *sql.DB, county string) ([]any, error) {
		lo, hi := scopeArgs(county)
		return sample(ctx, db, `(SELECT r.code FROM regions r WHERE r.level = 'VILLAGE' AND r.code >= $1 AND r.code < $2
			AND EXISTS (SELECT 1 FROM posts p WHERE p.region_id = r.id) ORDER BY hashtext(r.code) LIMIT 1000)
			UNION (SELECT DISTINCT r.code FROM regions r JOIN adviser_appointments a ON a.village_id = r.id
			WHERE r.code >= $1 AND r.code < $2) ORDER BY 1`, lo, hi)
	},
}

var institutionExperts = &Workload{
	Name: "institution experts",
	Yanzhen: `query InstitutionExperts($id: ID!) { node(id: $id) { ... on Institution { name kind
  experts(first: 50) { edges { node { name gender
    expertAssignments(first: 20) { edges { node { startDate endDate
      region { code name parent { code name } } } } } } } } } } }`,
	PostGraphile: `query InstitutionExperts($id: BigInt!) { node: institution(id: $id) { name kind
  experts: people(first: 50) { nodes { name gender
    expertAssignments: expertAssignmentsByExpertId(first: 20) { nodes { startDate endDate
      region { code name parent { code name } } } } } } } }`,
	vars: idVars("Institution"),
	canonical: func(pg bool, data json.RawMessage) (any, error) {
		return reshape(data)
	},
	// Institutions with experts the scope sees (an expert with a place in it).
	pool: func(ctx context.Context, db *sql.DB, county string) ([]any, error) {
		lo, hi := scopeArgs(county)
		return sample(ctx, db, `SELECT DISTINCT p.institution_id FROM persons p JOIN person_places pp ON pp.person_id = p.id
			WHERE p.institution_id IS NOT NULL AND pp.code >= $1 AND pp.code < $2 ORDER BY 1`, lo, hi)
	},
}

var mentoring = &Workload{
	Name: "mentors two levels",
	Yanzhen: `query Mentoring($id: ID!) { node(id: $id) { ... on Person { name
  posts(first: 10) { edges { node { role startDate } } }
  mentorshipsAsMentee(first: 10) { edges { node { startDate mentor { name
    posts(first: 10) { edges { node { role startDate } } }
    mentorshipsAsMentee(first: 10) { edges { node { startDate mentor { name posts(first: 10) { edges { node { role startDate } } } } } } } } } } }
  mentorshipsAsMentor(first: 10) { edges { node { startDate mentee { name
    posts(first: 10) { edges { node { role startDate } } }
    mentorshipsAsMentor(first: 10) { edges { node { startDate mentee { name posts(first: 10) { edges { node { role startDate } } } } } } } } } } } } } }`,
	PostGraphile: `query Mentoring($id: BigInt!) { node: person(id: $id) { name
  posts(first: 10) { nodes { role startDate } }
  mentorshipsAsMentee: mentorshipsByMenteeId(first: 10) { nodes { startDate mentor { name
    posts(first: 10) { nodes { role startDate } }
    mentorshipsAsMentee: mentorshipsByMenteeId(first: 10) { nodes { startDate mentor { name posts(first: 10) { nodes { role startDate } } } } } } } }
  mentorshipsAsMentor: mentorshipsByMentorId(first: 10) { nodes { startDate mentee { name
    posts(first: 10) { nodes { role startDate } }
    mentorshipsAsMentor: mentorshipsByMentorId(first: 10) { nodes { startDate mentee { name posts(first: 10) { nodes { role startDate } } } } } } } } } }`,
	vars: idVars("Person"),
	canonical: func(pg bool, data json.RawMessage) (any, error) {
		return reshape(data)
	},
	// Mentors whose mentees mentor too, then any mentor, in the scope.
	pool: func(ctx context.Context, db *sql.DB, county string) ([]any, error) {
		lo, hi := scopeArgs(county)
		return sample(ctx, db, `SELECT id FROM (SELECT DISTINCT m.mentor_id AS id FROM mentorships m
			JOIN person_places pp ON pp.person_id = m.mentor_id AND pp.code >= $1 AND pp.code < $2) s
			ORDER BY hashtext(id::text) LIMIT 1000`, lo, hi)
	},
}

var countyPeople = &Workload{
	Name: "county people",
	Yanzhen: `query CountyPeople($code: String!) {
  people(first: 50, orderBy: {field: NAME}, where: {hasHomeVillageWith: {codeHasPrefix: $code}}) { edges { node { name gender birthDate
    posts(first: 5, where: {endDateIsNil: true}) { edges { node { role startDate region { code name } } } } } } } }`,
	PostGraphile: `query CountyPeople($code: String!) {
  people(first: 50, orderBy: [NAME_ASC, ID_ASC], filter: {homeVillage: {code: {startsWith: $code}}}) { nodes { name gender birthDate
    posts(first: 5, filter: {endDate: {isNull: true}}) { nodes { role startDate region { code name } } } } } }`,
	vars: func(_ bool, p any) map[string]any { return map[string]any{"code": p} },
	canonical: func(pg bool, data json.RawMessage) (any, error) {
		return reshape(data)
	},
	pool: func(ctx context.Context, db *sql.DB, county string) ([]any, error) {
		if county != "" {
			return []any{county}, nil
		}
		return sample(ctx, db, `SELECT code FROM regions WHERE level = 'COUNTY' ORDER BY hashtext(code) LIMIT 1000`)
	},
}

const statisticsQuery = `query Statistics($code: String!) { regionStatistics(code: $code) { villages communities
  committee { members male female averageAge collegeEducated partyMembers oneShoulderVillages }
  reserves { total villagesWithFewerThanTwo } advisers { appointments villagesWithout }
  experts { activeAssignments experts villagesCovered }
  children { region { code name } villages committee { members averageAge } reserves { total } } } }`

const alertsQuery = `query Alerts($code: String!) { alerts(code: $code, first: 20) { totalCount
  edges { node { kind daysOverdue region { code name } message { zh } } } } }`

func analytic(name, q string, pool func(ctx context.Context, db *sql.DB, county string) ([]any, error)) *Workload {
	return &Workload{Name: name, Yanzhen: q, analytic: true,
		vars:      func(_ bool, p any) map[string]any { return map[string]any{"code": p} },
		canonical: func(pg bool, data json.RawMessage) (any, error) { return reshape(data) },
		pool:      pool}
}

// provinces: a random province nationally; the county itself for a county account.
func provinces(ctx context.Context, db *sql.DB, county string) ([]any, error) {
	if county != "" {
		return []any{county}, nil
	}
	return sample(ctx, db, `SELECT code FROM regions WHERE level = 'PROVINCE' ORDER BY code`)
}

// nation: the whole country (code ""), for national accounts only.
func nation(ctx context.Context, db *sql.DB, county string) ([]any, error) {
	if county != "" {
		return nil, nil
	}
	return []any{""}, nil
}

// counties: a random county nationally; the county itself for a county account.
func counties(ctx context.Context, db *sql.DB, county string) ([]any, error) {
	if county != "" {
		return []any{county}, nil
	}
	return sample(ctx, db, `SELECT code FROM regions WHERE level = 'COUNTY' ORDER BY hashtext(code) LIMIT 200`)
}

var workloads = []*Workload{
	villagePage, institutionExperts, mentoring, countyPeople,
	analytic("statistics (nation)", statisticsQuery, nation),
	analytic("alerts (nation)", alertsQuery, nation),
	analytic("statistics (province)", statisticsQuery, provinces),
	analytic("alerts (province)", alertsQuery, provinces),
	analytic("statistics (county)", statisticsQuery, counties),
	analytic("alerts (county)", alertsQuery, counties),
}

// reshape turns an answer into plain JSON values with every connection
// reduced to its list of nodes (the queries alias PostGraphile's names to
// Yanzhen's), so that two answers of the same content compare equal.
func reshape(data json.RawMessage) (any, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return normalize(v), nil
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if edges, ok := x["edges"].([]any); ok && len(x) == 1 {
			out := make([]any, len(edges))
			for i, e := range edges {
				out[i] = normalize(e.(map[string]any)["node"])
			}
			return out
		}
		if nodes, ok := x["nodes"].([]any); ok && len(x) == 1 {
			out := make([]any, len(nodes))
			for i, n := range nodes {
				out[i] = normalize(n)
			}
			return out
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}
