package roster

import (
	"fmt"

	"yanzhen/ent"
	"yanzhen/ent/post"
	"yanzhen/rules"
)

// Validation of the 任职 sheet.

func (imp *importer) postsSheet() error {
	s := imp.sheets[Posts]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &postRec{rec: rec{line: r.Line}}
		x.personNo = c.key(colPersonNo)
		x.regionCode = c.regionCode(colRegion)
		x.role = c.word(colRole, postRoles)
		x.reserve = c.word(colReserveList, reserveLists)
		x.level = c.word(colDispatch, dispatchLevels)
		x.sendingUnit = c.text(colSendingUnit, 128)
		x.cluster = c.text(colCluster, 64)
		x.endReason = c.text(colEndReason, 256)
		x.exitKind = c.word(colExitKind, exitKinds)
		if no := c.key(colSendingInst); no != "" {
			if x.sendingInst = imp.instRef(s, r.Line, colSendingInst, no); !x.sendingInst.ok() {
				c.bad = true
			}
		}
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		x.teamStart = c.date(colTeamStart)
		x.rehireRole = c.word(colRehireRole, postRoles)
		x.rehireStart = c.date(colRehireStart)
		if x.exitKind != "" && x.end == nil && c.s.get(r, colEnd) == "" {
			// The post on file may have ended already: checked below.
			x.exitNeedsEnd = true
		}
		if x.person = imp.personRef(s, r.Line, colPersonNo, x.personNo); !x.person.ok() {
			c.bad = true
		}
		if x.role != "" {
			id, ok := imp.region(s, r.Line, colRegion, x.regionCode, rules.PostSite(x.role, postRoles.chinese(x.role)))
			x.regionID = id
			c.bad = c.bad || !ok
			// A reserve list not among the allowed words is reported as such.
			if list := c.s.get(r, colReserveList); x.reserve != "" || list == "" {
				c.broke(colReserveList, list, rules.ReserveList(x.role, x.reserve != ""))
			}
			c.broke(colDispatch, c.s.get(r, colDispatch), rules.DispatchLevel(x.role, x.level != ""))
		}
		x.bad = c.bad
		imp.posts = append(imp.posts, x)
	}
	// Match the posts on file: (person, region, role, start date).
	var personIDs []int
	for _, x := range imp.posts {
		if !x.bad && x.person.ID() != 0 {
			personIDs = append(personIDs, x.person.ID())
		}
	}
	type postKey struct {
		person, region int
		role, start    string
	}
	onFile := map[postKey]*ent.Post{}
	err := chunked(uniq(personIDs), chunk, func(ids []int) error {
		ps, err := imp.c.Post.Query().Where(post.PersonIDIn(ids...)).All(imp.ctx)
		for _, p := range ps {
			onFile[postKey{p.PersonID, p.RegionID, string(p.Role), day(p.StartDate)}] = p
		}
		return err
	})
	if err != nil {
		return err
	}
	seen := map[[2]any]int{}
	for _, x := range imp.posts {
		if x.bad {
			continue
		}
		k := [2]any{x.person.node(), fmt.Sprint(x.regionID, x.role, day(x.start))}
		if prev, dup := seen[k]; dup {
			imp.problemAs(KindDuplicateRow, s, x.line, colStart, day(x.start), fmt.Sprintf("与第%d行是同一任职（人员、地区、职务、开始日期相同）", prev),
				fmt.Sprintf("the same post as row %d (person, region, role and start date)", prev))
			x.bad = true
			continue
		}
		seen[k] = x.line
		x.action = create
		if x.person.ID() != 0 {
			x.old = onFile[postKey{x.person.ID(), x.regionID, x.role, day(x.start)}]
		}
		if x.exitNeedsEnd && (x.old == nil || x.old.EndDate == nil) {
			imp.violation(s, x.line, colExitKind, exitKinds.chinese(x.exitKind), &rules.Violation{Code: rules.ExitWithoutEnd, Field: "exitKind"})
			x.bad = true
			continue
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.reserve != "" && (o.ReserveList == nil || string(*o.ReserveList) != x.reserve)) ||
				(x.level != "" && (o.DispatchLevel == nil || string(*o.DispatchLevel) != x.level)) ||
				(x.sendingUnit != "" && x.sendingUnit != o.SendingUnit) || (x.cluster != "" && x.cluster != o.Cluster) ||
				(x.endReason != "" && x.endReason != o.EndReason) ||
				(x.exitKind != "" && (o.ExitKind == nil || string(*o.ExitKind) != x.exitKind)) ||
				(x.sendingInst.ok() && (x.sendingInst.ID() == 0 || !ptrEq(idOf(x.sendingInst), o.SendingInstitutionID))) {
				x.action = update
			}
		}
	}
	return imp.oneSecretary(s)
}

// oneSecretary applies rules.SoleSecretary to the secretaries' posts of
// the workbook, each against the village's other terms in the workbook and
// on file.
func (imp *importer) oneSecretary(s *boundSheet) error {
	type term struct {
		rules.Term
		row *postRec // nil for a post on file only
	}
	terms := map[int][]term{}
	matched := map[int]bool{}
	for _, x := range imp.posts {
		if x.bad || !rules.IsSecretary(x.role) {
			continue
		}
		end := x.end
		if end == nil && x.old != nil {
			end = x.old.EndDate
		}
		terms[x.regionID] = append(terms[x.regionID], term{rules.Term{Period: rules.Period{Start: x.start, End: end}, Where: rules.Where{Row: x.line}}, x})
		if x.old != nil {
			matched[x.old.ID] = true
		}
	}
	err := chunked(keys(terms), chunk, func(ids []int) error {
		ps, err := imp.c.Post.Query().Where(post.RegionIDIn(ids...),
			post.RoleIn(post.RolePARTY_SECRETARY, post.RoleSECRETARY_AND_DIRECTOR)).All(imp.ctx)
		for _, p := range ps {
			if !matched[p.ID] {
				terms[p.RegionID] = append(terms[p.RegionID], term{rules.Term{Period: rules.Period{Start: p.StartDate, End: p.EndDate}}, nil})
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, ts := range terms {
		for i, t := range ts {
			if t.row == nil {
				continue
			}
			// Report each clash once: on the later row, or on the row when
			// the other term is on file.
			var others []rules.Term
			for j, o := range ts {
				if i != j && (o.row == nil || o.row.line < t.row.line) {
					others = append(others, o.Term)
				}
			}
			if v := rules.SoleSecretary(t.Period, others); v != nil {
				imp.violation(s, t.row.line, colRole, postRoles.chinese(t.row.role), v)
				t.row.bad = true
			}
		}
	}
	return nil
}
