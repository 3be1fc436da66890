package roster

import (
	"fmt"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
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
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colStart, colEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		if x.person = imp.personRef(s, r.Line, colPersonNo, x.personNo); !x.person.ok() {
			c.bad = true
		}
		if x.role != "" {
			levels := []region.Level{region.LevelVILLAGE}
			if x.role == string(post.RoleVILLAGE_CEO) {
				levels = append(levels, region.LevelTOWNSHIP)
			}
			id, ok := imp.region(s, r.Line, colRegion, x.regionCode, postRoles.chinese(x.role), levels...)
			x.regionID = id
			c.bad = c.bad || !ok
			switch {
			case x.role == string(post.RoleRESERVE_CADRE) && x.reserve == "" && c.s.get(r, colReserveList) == "":
				c.fail(colReserveList, "", "后备干部须注明后备类别（"+reserveLists.list()+"）", "a reserve cadre needs a reserve list ("+reserveLists.list()+")")
			case x.role != string(post.RoleRESERVE_CADRE) && x.reserve != "":
				c.fail(colReserveList, c.s.get(r, colReserveList), "仅后备干部有后备类别", "only reserve cadres are on a reserve list")
			}
			if x.level != "" && x.role != string(post.RoleFIRST_SECRETARY) && x.role != string(post.RoleWORK_TEAM_MEMBER) {
				c.fail(colDispatch, c.s.get(r, colDispatch), "仅驻村第一书记、驻村工作队员有派驻层级", "only resident first secretaries and work-team members have a dispatch level")
			}
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
			imp.problem(s, x.line, colStart, day(x.start), fmt.Sprintf("与第%d行是同一任职（人员、地区、职务、开始日期相同）", prev),
				fmt.Sprintf("the same post as row %d (person, region, role and start date)", prev))
			x.bad = true
			continue
		}
		seen[k] = x.line
		x.action = create
		if x.person.ID() != 0 {
			x.old = onFile[postKey{x.person.ID(), x.regionID, x.role, day(x.start)}]
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.reserve != "" && (o.ReserveList == nil || string(*o.ReserveList) != x.reserve)) ||
				(x.level != "" && (o.DispatchLevel == nil || string(*o.DispatchLevel) != x.level)) {
				x.action = update
			}
		}
	}
	return imp.oneSecretary(s)
}

// oneSecretary checks that no village has two party secretaries (一肩挑
// included) at the same time, among the workbook's posts and those on file.
func (imp *importer) oneSecretary(s *boundSheet) error {
	type term struct {
		start time.Time
		end   *time.Time
		row   *postRec // nil for a post on file only
	}
	terms := map[int][]term{}
	matched := map[int]bool{}
	for _, x := range imp.posts {
		if x.bad || !isSecretary(x.role) {
			continue
		}
		end := x.end
		if end == nil && x.old != nil {
			end = x.old.EndDate
		}
		terms[x.regionID] = append(terms[x.regionID], term{x.start, end, x})
		if x.old != nil {
			matched[x.old.ID] = true
		}
	}
	err := chunked(keys(terms), chunk, func(ids []int) error {
		ps, err := imp.c.Post.Query().Where(post.RegionIDIn(ids...),
			post.RoleIn(post.RolePARTY_SECRETARY, post.RoleSECRETARY_AND_DIRECTOR)).All(imp.ctx)
		for _, p := range ps {
			if !matched[p.ID] {
				terms[p.RegionID] = append(terms[p.RegionID], term{utcDay(p.StartDate), p.EndDate, nil})
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	overlap := func(a, b term) bool {
		return (a.end == nil || !a.end.Before(b.start)) && (b.end == nil || !b.end.Before(a.start))
	}
	for _, ts := range terms {
		for i, t := range ts {
			if t.row == nil {
				continue
			}
			for j, o := range ts {
				// Report each clash once: on the later row, or on the row when
				// the other term is on file.
				if i == j || (o.row != nil && o.row.line > t.row.line) || !overlap(t, o) {
					continue
				}
				zh := "该村在此期间已有党组织书记（" + day(o.start) + " 起"
				en := "the village already has a party secretary from " + day(o.start)
				if o.row != nil {
					zh += fmt.Sprintf("，第%d行", o.row.line)
					en += fmt.Sprintf(" (row %d)", o.row.line)
				} else {
					zh += "，库中已有"
					en += " (on file)"
				}
				imp.problem(s, t.row.line, colRole, postRoles.chinese(t.row.role), zh+"）；一个村同一时间只有一名书记",
					en+"; a village has one secretary at a time")
				t.row.bad = true
				break
			}
		}
	}
	return nil
}

func isSecretary(role string) bool {
	return role == string(post.RolePARTY_SECRETARY) || role == string(post.RoleSECRETARY_AND_DIRECTOR)
}
