package insight

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/ent/term"
)

// Terms (届) and 换届. Each county holds its 换届 on its own day (ent Term);
// a post belongs to the term in force in its county on the day it was taken
// (TermOf), and CompareTerms sets the structure of the teams elected at a
// county's latest 换届 beside the previous one's. The definitions are in
// insight/README.md ("Terms").

// StructureFigures is the structure of a group of cadres (each person once)
// on their county's election day: the committee figures of regionStatistics
// for one group.
type StructureFigures struct {
	Count, Male, Female                                        int
	FemaleShare                                                *float64
	AgedUpTo35, Aged36To45, Aged46To60, AgedOver60, AgeUnknown int
	AverageAge                                                 *float64
	CollegeEducated                                            int
	CollegeShare                                               *float64
	PartyMembers                                               int
	PartyShare                                                 *float64
	// OneShoulder counts the people holding a 书记主任一肩挑 post.
	OneShoulder      int
	OneShoulderShare *float64
	RichLeaders      int
	RichLeaderShare  *float64
	// Tags counts the people per tag code as of the day.
	Tags []ValueCount
}

// TermSide is one round of a term comparison: each county's term of that
// round and the teams in force on its election day.
type TermSide struct {
	Terms                     []*ent.Term
	ElectedFrom, ElectedUntil *time.Time
	Secretaries, Committee    *StructureFigures
}

// FigureDifference is one figure of a group on both sides.
type FigureDifference struct {
	Group, Figure                 string
	Current, Previous, Difference *float64
}

// TermComparison sets a subtree's current term beside the previous one.
type TermComparison struct {
	Region            *ent.Region
	Current, Previous *TermSide
	Differences       []*FigureDifference
	// Secretaries of the current election day who held the same village's
	// seat the day before (连任), the others (新任), secretary posts ended as
	// ADJUSTED between the two election days, and retained secretaries aged
	// 60 or more.
	Retained, NewlyElected, Adjusted, RetainedOver60 int
	Counties, CountiesWithoutTerm                    int
	// Exits counts the 两委 posts ended in each term by how they ended.
	Exits []*TermExits
}

// TermExits is how many 两委 posts of a subtree ended in one term with one
// exit kind: in the PREVIOUS term, from its election day to the current
// one (both included: the outgoing team ends on the 换届); in the CURRENT
// term, after its election day up to today.
type TermExits struct {
	Term string
	// Kind is the post's exit kind, or UNSPECIFIED.
	Kind  string
	Count int
}

// secretaryRoles hold a village's secretary seat (the first two 两委 roles).
var secretaryRoles = committeeRoles[:2]

// countyLength is the length of a county's code.
const countyLength = 6

// adjustedYears bounds how far back an ADJUSTED exit counts for a county
// with no previous term.
const adjustedYears = 5

// CompareTerms compares, for the subtree of code ("" the country, for
// national admins), each county's current term — its latest with an
// election in or before year (0: the latest) — with the one before it.
// The counties are those of the subtree, or for a code below a county its
// county; the teams are the posts of the subtree's villages only, so a
// township viewer sees its own villages against its county's terms.
//
// Three statements and the terms' query: the counties, the teams of both
// rounds (one row per member and post), the tags of their periods, the
// ADJUSTED exits.
func CompareTerms(ctx context.Context, c *ent.Client, code string, year int) (*TermComparison, error) {
	r, err := analyticsSubtree(ctx, c, code)
	if err != nil {
		return nil, err
	}
	lo, hi := codeRange(code)
	out := &TermComparison{Region: r, Differences: []*FigureDifference{}}

	// The counties: those of the subtree, or the county above the code.
	countyWhere, countyArgs := "code >= $1 AND code < $2", []any{lo, hi}
	if len(code) > countyLength {
		countyWhere, countyArgs = "code = $1", []any{code[:countyLength]}
	}
	countyCode := map[int]string{}
	err = queryRows(ctx, c, "SELECT id, code FROM regions WHERE level = 'COUNTY' AND "+countyWhere, countyArgs, func(rows *sql.Rows) error {
		var (
			id int
			cc string
		)
		if err := rows.Scan(&id, &cc); err != nil {
			return err
		}
		countyCode[id] = cc
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("term comparison counties: %w", err)
	}
	out.Counties = len(countyCode)

	// The terms of those counties the viewer sees (the ent policy applies
	// scope.Terms), oldest first.
	q := c.Term.Query().Order(ent.Asc(term.FieldElectedOn), ent.Asc(term.FieldID))
	if len(code) > countyLength {
		q.Where(term.HasRegionWith(region.LevelEQ(region.LevelCOUNTY), region.Code(code[:countyLength])))
	} else {
		q.Where(term.HasRegionWith(region.LevelEQ(region.LevelCOUNTY), region.CodeGTE(lo), region.CodeLT(hi)))
	}
	terms, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	byCounty := map[int][]*ent.Term{}
	for _, t := range terms {
		if year == 0 || t.ElectedOn.Year() <= year {
			byCounty[t.RegionID] = append(byCounty[t.RegionID], t)
		}
	}
	rounds := map[int]termRound{} // by county id
	for id := range countyCode {
		ts := byCounty[id]
		if len(ts) == 0 {
			out.CountiesWithoutTerm++
			continue
		}
		rd := termRound{current: ts[len(ts)-1]}
		if len(ts) > 1 {
			rd.previous = ts[len(ts)-2]
		}
		rounds[id] = rd
	}
	out.Current = &TermSide{Terms: []*ent.Term{}}
	var previous *TermSide
	side := map[int]*TermSide{} // by term id
	for _, rd := range rounds {
		add(out.Current, rd.current)
		side[rd.current.ID] = out.Current
		if rd.previous != nil {
			if previous == nil {
				previous = &TermSide{Terms: []*ent.Term{}}
			}
			add(previous, rd.previous)
			side[rd.previous.ID] = previous
		}
	}
	out.Previous = previous

	teams, err := termTeams(ctx, c, lo, hi, side)
	if err != nil {
		return nil, err
	}
	out.Current.Secretaries, out.Current.Committee = teams.figures(out.Current)
	if previous != nil {
		previous.Secretaries, previous.Committee = teams.figures(previous)
	}
	for _, m := range teams.secretaries(out.Current) {
		if m.retained {
			out.Retained++
			if m.age.Valid && m.age.Int64 >= 60 {
				out.RetainedOver60++
			}
		} else {
			out.NewlyElected++
		}
	}
	if out.Adjusted, err = adjustedExits(ctx, c, lo, hi, rounds, countyCode); err != nil {
		return nil, err
	}
	if out.Exits, err = exitsByKind(ctx, c, lo, hi, rounds, countyCode); err != nil {
		return nil, err
	}
	out.Differences = differences(out.Current, out.Previous)
	for _, s := range []*TermSide{out.Current, out.Previous} {
		if s != nil {
			slices.SortFunc(s.Terms, func(a, b *ent.Term) int { return a.ID - b.ID })
		}
	}
	return out, nil
}

// termRound is a county's current term and the one before it (nil when
// none).
type termRound struct{ current, previous *ent.Term }

// add puts term t on side s.
func add(s *TermSide, t *ent.Term) {
	s.Terms = append(s.Terms, t)
	d := day(t.ElectedOn)
	if s.ElectedFrom == nil || d.Before(*s.ElectedFrom) {
		s.ElectedFrom = &d
	}
	if s.ElectedUntil == nil || d.After(*s.ElectedUntil) {
		e := d
		s.ElectedUntil = &e
	}
}

// member is one person of a side's team, with their values on their
// county's election day.
type member struct {
	secretary, oneShoulder, retained bool
	gender                           sql.NullString
	age                              sql.NullInt64
	education, political             sql.NullString
	tags                             map[string]bool
	columnTags                       []string
	periodTags, coveringTags         map[string]bool
}

// teams holds the members of each side, each person once per side.
type teams map[*TermSide]map[int]*member

func (t teams) secretaries(s *TermSide) []*member {
	out := []*member{}
	for _, m := range t[s] {
		if m.secretary {
			out = append(out, m)
		}
	}
	return out
}

// termTeams reads the teams in force on the election days of the terms
// of side, in villages of [lo, hi): one row per member and post, with the
// values as of the term's day (the day is the term's elected_on, a column).
func termTeams(ctx context.Context, c *ent.Client, lo, hi string, side map[int]*TermSide) (teams, error) {
	out := teams{}
	if len(side) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(side))
	past := false
	for id := range side {
		ids = append(ids, strconv.Itoa(id))
	}
	today := Today()
	for _, s := range side {
		if s.ElectedFrom != nil && s.ElectedFrom.Before(today) {
			past = true
		}
	}
	// The terms' ids are our own integers, written into the statement.
	cte := `WITH d AS (
		SELECT t.id AS term_id, r.code AS county, t.elected_on AS day
		FROM terms t JOIN regions r ON r.id = t.region_id WHERE t.id IN (` + strings.Join(ids, ",") + `)
	), m AS (
		SELECT DISTINCT d.term_id, d.day, p.person_id, p.region_id, p.role
		FROM posts p JOIN regions v ON v.id = p.region_id JOIN d ON SUBSTR(v.code, 1, ` + strconv.Itoa(countyLength) + `) = d.county
		WHERE v.level = 'VILLAGE' AND v.code >= $1 AND v.code < $2 AND p.role IN (` + sqlList(committeeRoles) + `)
			AND p.start_date <= d.day AND (p.end_date IS NULL OR p.end_date >= d.day)
	)`
	at := attributes{x: "x", day: "m.day", past: past}
	age := ageSQL("x.birth_date", "CAST(SUBSTR(CAST(m.day AS TEXT), 1, 4) AS INTEGER)", "SUBSTR(CAST(m.day AS TEXT), 6, 5)")
	sec := sqlList(secretaryRoles)
	// For a secretary: whether a secretary post of the same person and
	// village began before the day and lasts into it, and the latest end
	// before the day of such a post (the seat was held the day before if
	// either holds it on day − 1).
	members := cte + `
	SELECT m.term_id, m.day, m.person_id, m.role, x.gender,
		CASE WHEN x.birth_date IS NULL THEN NULL ELSE ` + age + ` END,
		` + at.education() + `, ` + at.political() + `, CAST(x.tags AS TEXT),
		CASE WHEN m.role IN (` + sec + `) AND EXISTS (SELECT 1 FROM posts q WHERE q.person_id = m.person_id AND q.region_id = m.region_id
			AND q.role IN (` + sec + `) AND q.start_date < m.day AND (q.end_date IS NULL OR q.end_date >= m.day)) THEN 1 ELSE 0 END,
		CASE WHEN m.role IN (` + sec + `) THEN (SELECT MAX(q.end_date) FROM posts q WHERE q.person_id = m.person_id AND q.region_id = m.region_id
			AND q.role IN (` + sec + `) AND q.start_date < m.day AND q.end_date < m.day) END
	FROM m JOIN persons x ON x.id = m.person_id
	ORDER BY m.term_id, m.person_id`
	err := queryRows(ctx, c, members, []any{lo, hi}, func(rows *sql.Rows) error {
		var (
			termID, personID       int
			d, lastEnd             scanDate
			role                   string
			gender, edu, pol, tags sql.NullString
			age                    sql.NullInt64
			held                   int
		)
		if err := rows.Scan(&termID, &d, &personID, &role, &gender, &age, &edu, &pol, &tags, &held, &lastEnd); err != nil {
			return err
		}
		s := side[termID]
		if out[s] == nil {
			out[s] = map[int]*member{}
		}
		m := out[s][personID]
		if m == nil {
			m = &member{gender: gender, age: age, education: edu, political: pol,
				periodTags: map[string]bool{}, coveringTags: map[string]bool{}}
			if tags.Valid && tags.String != "" {
				if err := json.Unmarshal([]byte(tags.String), &m.columnTags); err != nil {
					return fmt.Errorf("tags of a team member: %w", err)
				}
			}
			out[s][personID] = m
		}
		if slices.Contains(secretaryRoles, role) {
			m.secretary = true
			if held == 1 || lastEnd.Valid && lastEnd.Time.Equal(d.Time.AddDate(0, 0, -1)) {
				m.retained = true
			}
		}
		if role == "SECRETARY_AND_DIRECTOR" {
			m.oneShoulder = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("term teams: %w", err)
	}

	// Tags as of the day: a tag the person has periods of counts when a
	// period covers the day; any other tag, from the column (as hasTag).
	tags := cte + `
	SELECT DISTINCT m.term_id, m.person_id, h.value,
		CASE WHEN (h.valid_from IS NULL OR h.valid_from <= m.day) AND (h.valid_until IS NULL OR h.valid_until > m.day) THEN 1 ELSE 0 END
	FROM m JOIN person_attributes h ON h.person_id = m.person_id AND h.attribute = 'TAG'`
	err = queryRows(ctx, c, tags, []any{lo, hi}, func(rows *sql.Rows) error {
		var (
			termID, personID, covering int
			value                      string
		)
		if err := rows.Scan(&termID, &personID, &value, &covering); err != nil {
			return err
		}
		if m := out[side[termID]][personID]; m != nil {
			m.periodTags[value] = true
			if covering == 1 {
				m.coveringTags[value] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("term team tags: %w", err)
	}
	for _, ms := range out {
		for _, m := range ms {
			m.tags = map[string]bool{}
			for _, t := range m.columnTags {
				if !m.periodTags[t] || !past {
					m.tags[t] = true
				}
			}
			if past {
				for t := range m.coveringTags {
					m.tags[t] = true
				}
			}
		}
	}
	return out, nil
}

// figures computes the secretaries' and the committee's structure on side s.
func (t teams) figures(s *TermSide) (secretaries, committee *StructureFigures) {
	secretaries, committee = &StructureFigures{}, &StructureFigures{}
	for _, m := range t[s] {
		if m.secretary {
			secretaries.count(m)
		}
		committee.count(m)
	}
	secretaries.finish()
	committee.finish()
	return secretaries, committee
}

// count adds member m; AverageAge holds the sum of known ages until finish.
func (f *StructureFigures) count(m *member) {
	f.Count++
	switch m.gender.String {
	case "MALE":
		f.Male++
	case "FEMALE":
		f.Female++
	}
	if !m.age.Valid {
		f.AgeUnknown++
	} else {
		a := m.age.Int64
		switch {
		case a <= 35:
			f.AgedUpTo35++
		case a <= 45:
			f.Aged36To45++
		case a <= 60:
			f.Aged46To60++
		default:
			f.AgedOver60++
		}
		if f.AverageAge == nil {
			f.AverageAge = new(float64)
		}
		*f.AverageAge += float64(a)
	}
	if slices.Contains(sqlValues(collegeEducations), m.education.String) {
		f.CollegeEducated++
	}
	if slices.Contains(sqlValues(partyStatuses), m.political.String) {
		f.PartyMembers++
	}
	if m.oneShoulder {
		f.OneShoulder++
	}
	if m.tags["RICH_LEADER"] {
		f.RichLeaders++
	}
	for tag := range m.tags {
		i := slices.IndexFunc(f.Tags, func(v ValueCount) bool { return v.Value == tag })
		if i < 0 {
			f.Tags = append(f.Tags, ValueCount{Value: tag})
			i = len(f.Tags) - 1
		}
		f.Tags[i].Count++
	}
}

// sqlValues reads back a list of SQL literals ('A', 'B').
func sqlValues(list string) []string {
	return strings.Split(strings.ReplaceAll(list, "'", ""), ", ")
}

func (f *StructureFigures) finish() {
	if f.AverageAge != nil {
		*f.AverageAge /= float64(f.Count - f.AgeUnknown)
	}
	f.FemaleShare = share(f.Female, f.Count)
	f.CollegeShare = share(f.CollegeEducated, f.Count)
	f.PartyShare = share(f.PartyMembers, f.Count)
	f.OneShoulderShare = share(f.OneShoulder, f.Count)
	f.RichLeaderShare = share(f.RichLeaders, f.Count)
	if f.Tags == nil {
		f.Tags = []ValueCount{}
	}
	slices.SortFunc(f.Tags, func(a, b ValueCount) int { return strings.Compare(a.Value, b.Value) })
}

// differenceFigures are the figures compared, in order.
var differenceFigures = []struct {
	name  string
	value func(*StructureFigures) *float64
}{
	{"count", func(f *StructureFigures) *float64 { return num(f.Count) }},
	{"averageAge", func(f *StructureFigures) *float64 { return f.AverageAge }},
	{"femaleShare", func(f *StructureFigures) *float64 { return f.FemaleShare }},
	{"collegeShare", func(f *StructureFigures) *float64 { return f.CollegeShare }},
	{"partyShare", func(f *StructureFigures) *float64 { return f.PartyShare }},
	{"oneShoulderShare", func(f *StructureFigures) *float64 { return f.OneShoulderShare }},
	{"richLeaderShare", func(f *StructureFigures) *float64 { return f.RichLeaderShare }},
	{"agedUpTo35", func(f *StructureFigures) *float64 { return num(f.AgedUpTo35) }},
	{"aged36To45", func(f *StructureFigures) *float64 { return num(f.Aged36To45) }},
	{"aged46To60", func(f *StructureFigures) *float64 { return num(f.Aged46To60) }},
	{"agedOver60", func(f *StructureFigures) *float64 { return num(f.AgedOver60) }},
}

func num(n int) *float64 {
	f := float64(n)
	return &f
}

// differences lists each group's figures on both sides; previous may be nil.
func differences(current, previous *TermSide) []*FigureDifference {
	out := []*FigureDifference{}
	for _, g := range []struct {
		name string
		of   func(*TermSide) *StructureFigures
	}{
		{"SECRETARIES", func(s *TermSide) *StructureFigures { return s.Secretaries }},
		{"COMMITTEE", func(s *TermSide) *StructureFigures { return s.Committee }},
	} {
		for _, fig := range differenceFigures {
			d := &FigureDifference{Group: g.name, Figure: fig.name, Current: fig.value(g.of(current))}
			if previous != nil {
				d.Previous = fig.value(g.of(previous))
			}
			if d.Current != nil && d.Previous != nil {
				x := *d.Current - *d.Previous
				d.Difference = &x
			}
			out = append(out, d)
		}
	}
	return out
}

// adjustedExits counts the secretary posts of villages of [lo, hi) in the
// counties with a current term that ended with exit kind ADJUSTED from the
// previous election day to the current one (both included), or, for a
// county without a previous term, in the adjustedYears before the current.
func adjustedExits(ctx context.Context, c *ent.Client, lo, hi string, rounds map[int]termRound, countyCode map[int]string) (int, error) {
	if len(rounds) == 0 {
		return 0, nil
	}
	type window struct{ from, until time.Time }
	windows := map[string]window{}
	var from, until time.Time
	for id, rd := range rounds {
		w := window{until: day(rd.current.ElectedOn)}
		if rd.previous != nil {
			w.from = day(rd.previous.ElectedOn)
		} else {
			w.from = w.until.AddDate(-adjustedYears, 0, 0)
		}
		windows[countyCode[id]] = w
		if from.IsZero() || w.from.Before(from) {
			from = w.from
		}
		if w.until.After(until) {
			until = w.until
		}
	}
	q := `SELECT SUBSTR(v.code, 1, ` + strconv.Itoa(countyLength) + `), p.end_date FROM posts p JOIN regions v ON v.id = p.region_id
	WHERE v.level = 'VILLAGE' AND v.code >= $1 AND v.code < $2 AND p.role IN (` + sqlList(secretaryRoles) + `)
		AND p.exit_kind = 'ADJUSTED' AND p.end_date >= $3 AND p.end_date <= $4`
	n := 0
	err := queryRows(ctx, c, q, []any{lo, hi, from, until}, func(rows *sql.Rows) error {
		var (
			county string
			end    scanDate
		)
		if err := rows.Scan(&county, &end); err != nil {
			return err
		}
		if w, ok := windows[county]; ok && end.Valid && !end.Time.Before(w.from) && !end.Time.After(w.until) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("adjusted secretaries: %w", err)
	}
	return n, nil
}

// exitsByKind counts the 两委 posts of villages of [lo, hi) ended in each
// county's previous term (previous election day to the current one, both
// included; the adjustedYears before it for a county with no previous term)
// and in its current term (after the current election day), by exit kind.
func exitsByKind(ctx context.Context, c *ent.Client, lo, hi string, rounds map[int]termRound, countyCode map[int]string) ([]*TermExits, error) {
	out := []*TermExits{}
	if len(rounds) == 0 {
		return out, nil
	}
	type window struct{ from, elected time.Time }
	windows := map[string]window{}
	var from time.Time
	for id, rd := range rounds {
		w := window{elected: day(rd.current.ElectedOn)}
		if rd.previous != nil {
			w.from = day(rd.previous.ElectedOn)
		} else {
			w.from = w.elected.AddDate(-adjustedYears, 0, 0)
		}
		windows[countyCode[id]] = w
		if from.IsZero() || w.from.Before(from) {
			from = w.from
		}
	}
	q := `SELECT SUBSTR(v.code, 1, ` + strconv.Itoa(countyLength) + `), p.end_date, COALESCE(p.exit_kind, 'UNSPECIFIED')
	FROM posts p JOIN regions v ON v.id = p.region_id
	WHERE v.level = 'VILLAGE' AND v.code >= $1 AND v.code < $2 AND p.role IN (` + sqlList(committeeRoles) + `)
		AND p.end_date >= $3`
	counts := map[[2]string]int{}
	err := queryRows(ctx, c, q, []any{lo, hi, from}, func(rows *sql.Rows) error {
		var (
			county, kind string
			end          scanDate
		)
		if err := rows.Scan(&county, &end, &kind); err != nil {
			return err
		}
		w, ok := windows[county]
		if !ok || !end.Valid || end.Time.Before(w.from) {
			return nil
		}
		term := "PREVIOUS"
		if end.Time.After(w.elected) {
			term = "CURRENT"
		}
		counts[[2]string{term, kind}]++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("exits by kind: %w", err)
	}
	for k, n := range counts {
		out = append(out, &TermExits{Term: k[0], Kind: k[1], Count: n})
	}
	slices.SortFunc(out, func(a, b *TermExits) int {
		if a.Term != b.Term {
			return strings.Compare(b.Term, a.Term) // PREVIOUS first
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	return out, nil
}

// TermOf returns the term in force in each post's county on the day the
// post was taken — the county's latest term elected on or before the
// post's start — for the posts with ids (those with none are absent). Two
// statements whatever the number of posts; the terms are those the viewer
// may see (the ent policy applies scope.Terms).
func TermOf(ctx context.Context, c *ent.Client, ids []int) (map[int]*ent.Term, error) {
	out := map[int]*ent.Term{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.Itoa(id)
	}
	// The posts' ids are integers, written into the statement.
	q := `SELECT p.id, t.id, t.elected_on FROM posts p JOIN regions v ON v.id = p.region_id
		JOIN regions k ON k.level = 'COUNTY' AND k.code = SUBSTR(v.code, 1, ` + strconv.Itoa(countyLength) + `)
		JOIN terms t ON t.region_id = k.id AND t.elected_on <= p.start_date
	WHERE p.id IN (` + strings.Join(list, ",") + `)`
	type pick struct {
		term int
		on   time.Time
	}
	latest := map[int]pick{}
	err := queryRows(ctx, c, q, nil, func(rows *sql.Rows) error {
		var (
			postID, termID int
			on             scanDate
		)
		if err := rows.Scan(&postID, &termID, &on); err != nil {
			return err
		}
		if p, ok := latest[postID]; !ok || on.Time.After(p.on) {
			latest[postID] = pick{termID, on.Time}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("terms of posts: %w", err)
	}
	if len(latest) == 0 {
		return out, nil
	}
	termIDs := []int{}
	for _, p := range latest {
		if !slices.Contains(termIDs, p.term) {
			termIDs = append(termIDs, p.term)
		}
	}
	terms, err := c.Term.Query().Where(term.IDIn(termIDs...)).All(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int]*ent.Term{}
	for _, t := range terms {
		byID[t.ID] = t
	}
	for postID, p := range latest {
		if t := byID[p.term]; t != nil {
			out[postID] = t
		}
	}
	return out, nil
}
