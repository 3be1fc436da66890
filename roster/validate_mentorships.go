package roster

import (
	"yanzhen/ent"
	"yanzhen/ent/mentorship"
	"yanzhen/rules"
)

// Validation of the 结对帮带 sheet.

// mentorshipSite is where a pair is placed (its region decides who sees
// it, scope.Mentorships): any level, within the importer's area, as the
// API allows.
var mentorshipSite = rules.Site{English: "a mentorship", Chinese: "结对帮带所在地区",
	Levels: rules.Levels{rules.Province, rules.City, rules.County, rules.Township, rules.Village}}

func (imp *importer) mentorshipsSheet() error {
	s := imp.sheets[Mentorships]
	if s == nil {
		return nil
	}
	onFile, generated, err := loadByKey(imp, Mentorships, "M",
		func(ks []string) ([]*ent.Mentorship, error) {
			return imp.c.Mentorship.Query().Where(mentorship.ExternalIDIn(ks...)).All(imp.ctx)
		},
		func(ids []int) ([]*ent.Mentorship, error) {
			return imp.c.Mentorship.Query().Where(mentorship.IDIn(ids...), mentorship.ExternalIDIsNil()).All(imp.ctx)
		},
		func(m *ent.Mentorship) (*string, int) { return m.ExternalID, m.ID })
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &mentorshipRec{rec: rec{line: r.Line}}
		x.no = c.key(colNo)
		mentorNo, menteeNo := c.key(colMentor), c.key(colMentee)
		x.program = c.word(colProgram, programs)
		x.status = c.word(colStatus, mentorshipStatuses)
		if code := c.regionCode(colRegion); code != "" {
			if id, ok := imp.region(s, r.Line, colRegion, code, mentorshipSite); ok {
				x.regionID = &id
			} else {
				c.bad = true
			}
		}
		x.goals, x.outcome = c.text(colGoals, 0), c.text(colOutcome, 0)
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		x.mentor = imp.personRef(s, r.Line, colMentor, mentorNo)
		x.mentee = imp.personRef(s, r.Line, colMentee, menteeNo)
		if !x.mentor.ok() || !x.mentee.ok() {
			c.bad = true
		} else {
			c.broke(colMentee, menteeNo, rules.NotSelf(rules.Pair[any]{Mentor: x.mentor.node(), Mentee: x.mentee.node()}))
		}
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		x.action = create
		x.old = onFile[x.no]
		if id, ok := generatedKey("M", x.no); ok && x.old == nil && !x.bad {
			if g := generated[id]; g != nil && g.MentorID == x.mentor.ID() && g.MenteeID == x.mentee.ID() {
				x.old = g
			}
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if !x.bad && (o.MentorID != x.mentor.ID() || o.MenteeID != x.mentee.ID()) {
				c.failAs(KindFixedOnFile, colNo, x.no, "库中此编号的结对导师或学员不同，结对双方不能修改", "the pair on file with this number has another mentor or mentee; the pair cannot be changed")
				x.bad = true
			}
			if string(o.Program) != x.program || day(o.StartDate) != day(x.start) || (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.status != "" && x.status != string(o.Status)) || (x.regionID != nil && !ptrEq(x.regionID, o.RegionID)) ||
				(x.goals != "" && x.goals != o.Goals) || (x.outcome != "" && x.outcome != o.Outcome) {
				x.action = update
			}
		}
		imp.mentorships = append(imp.mentorships, x)
	}
	return imp.mentoringGraph(s)
}

// mentoringGraph checks the pairs to create against those on file: no
// second active pair of the same mentor and mentee, and no cycle in a
// lineage (a mentee above their own mentor).
func (imp *importer) mentoringGraph(s *boundSheet) error {
	var fresh []*mentorshipRec
	for _, x := range imp.mentorships {
		if !x.bad && x.action == create {
			fresh = append(fresh, x)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	var edges []struct {
		MentorID int    `json:"mentor_id"`
		MenteeID int    `json:"mentee_id"`
		Status   string `json:"status"`
	}
	if err := imp.c.Mentorship.Query().
		Select(mentorship.FieldMentorID, mentorship.FieldMenteeID, mentorship.FieldStatus).
		Scan(imp.ctx, &edges); err != nil {
		return err
	}
	var recorded []rules.Pair[any]
	active := map[rules.Pair[any]]rules.Where{}
	for _, e := range edges {
		pair := rules.Pair[any]{Mentor: e.MentorID, Mentee: e.MenteeID}
		recorded = append(recorded, pair)
		if e.Status == string(mentorship.StatusACTIVE) {
			active[pair] = rules.Where{}
		}
	}
	for _, x := range imp.mentorships {
		if x.bad || x.action == create {
			continue
		}
		if x.status == string(mentorship.StatusACTIVE) {
			active[rules.Pair[any]{Mentor: x.mentor.node(), Mentee: x.mentee.node()}] = rules.Where{Row: x.line}
		}
	}
	var added []*mentorshipRec
	var pairs []rules.Pair[any]
	for _, x := range fresh {
		pair := rules.Pair[any]{Mentor: x.mentor.node(), Mentee: x.mentee.node()}
		if v := rules.OneActivePair(pair, active); v != nil {
			imp.violation(s, x.line, colMentee, cellOf(&cells{s: s, r: rowAt(s, x.line)}, colMentee), v)
			x.bad = true
			continue
		}
		if x.status == "" || x.status == string(mentorship.StatusACTIVE) {
			active[pair] = rules.Where{Row: x.line}
		}
		added, pairs = append(added, x), append(pairs, pair)
	}
	for i, v := range rules.NoCycles(recorded, pairs) {
		if x := added[i]; v != nil {
			imp.violation(s, x.line, colMentee, cellOf(&cells{s: s, r: rowAt(s, x.line)}, colMentee), v)
			x.bad = true
		}
	}
	return nil
}
