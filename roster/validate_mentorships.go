package roster

import (
	"fmt"

	"yanzhen/ent"
	"yanzhen/ent/mentorship"
)

// Validation of the 结对帮带 sheet.

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
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colStart, colEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		x.mentor = imp.personRef(s, r.Line, colMentor, mentorNo)
		x.mentee = imp.personRef(s, r.Line, colMentee, menteeNo)
		if !x.mentor.ok() || !x.mentee.ok() {
			c.bad = true
		} else if x.mentor.node() == x.mentee.node() {
			c.fail(colMentee, menteeNo, "导师与学员不能是同一人", "nobody mentors themselves")
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
				c.fail(colNo, x.no, "库中此编号的结对导师或学员不同，结对双方不能修改", "the pair on file with this number has another mentor or mentee; the pair cannot be changed")
				x.bad = true
			}
			if string(o.Program) != x.program || day(o.StartDate) != day(x.start) || (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.status != "" && x.status != string(o.Status)) {
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
	graph := map[any][]any{}
	active := map[[2]any]int{} // pair → row (0: on file)
	for _, e := range edges {
		graph[e.MentorID] = append(graph[e.MentorID], e.MenteeID)
		if e.Status == string(mentorship.StatusACTIVE) {
			active[[2]any{e.MentorID, e.MenteeID}] = 0
		}
	}
	for _, x := range imp.mentorships {
		if x.bad || x.action == create {
			continue
		}
		if x.status == string(mentorship.StatusACTIVE) {
			active[[2]any{x.mentor.node(), x.mentee.node()}] = x.line
		}
	}
	for _, x := range fresh {
		pair := [2]any{x.mentor.node(), x.mentee.node()}
		if row, dup := active[pair]; dup {
			zh, en := "该导师与学员已有进行中的结对（库中）", "this mentor already mentors this mentee (on file)"
			if row > 0 {
				zh, en = fmt.Sprintf("该导师与学员已在第%d行结对", row), fmt.Sprintf("this mentor already mentors this mentee in row %d", row)
			}
			imp.problem(s, x.line, colMentee, cellOf(&cells{s: s, r: rowAt(s, x.line)}, colMentee), zh, en)
			x.bad = true
			continue
		}
		if x.status == "" || x.status == string(mentorship.StatusACTIVE) {
			active[pair] = x.line
		}
		graph[pair[0]] = append(graph[pair[0]], pair[1])
	}
	comp := components(graph)
	for _, x := range fresh {
		if x.bad {
			continue
		}
		a, b := x.mentor.node(), x.mentee.node()
		if ca, ok := comp[a]; ok && ca == comp[b] {
			imp.problem(s, x.line, colMentee, cellOf(&cells{s: s, r: rowAt(s, x.line)}, colMentee),
				"学员已是导师的上级帮带人，结对将形成循环", "the mentee is already above the mentor in the lineage; the pair would close a cycle")
			x.bad = true
		}
	}
	return nil
}

// components gives each node of a directed graph its strongly connected
// component (Tarjan's algorithm): two people in one component mentor each
// other through a cycle.
func components(graph map[any][]any) map[any]int {
	index, low, comp := map[any]int{}, map[any]int{}, map[any]int{}
	onStack := map[any]bool{}
	var stack []any
	next, ncomp := 0, 0
	var visit func(v any)
	visit = func(v any) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range graph[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for v := range graph {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return comp
}
