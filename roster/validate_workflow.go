package roster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/contribution"
	"yanzhen/ent/doctorfarm"
	"yanzhen/ent/expertagreement"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/post"
	"yanzhen/ent/residentarea"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
	"yanzhen/ent/subsidypayment"
	"yanzhen/regioncode"
	"yanzhen/rules"
)

// Validation of the sheets of resident work and of the support of experts
// (issue 14): 片区, 驻村工作队 (before 任职, whose resident posts name their
// team), 驻村考核, 合作任务书, 专家补贴 and 博士农场; and the links of the
// rows of 任职 (the team, a 返聘) and 成效 (the outcome chain's previous
// step). None of these records has a number of its own: a row is the
// record on file with the same natural key —
//
//	片区:       region and name (the index region_id, name);
//	驻村工作队: village and start date (one team per village and period);
//	驻村考核:   person, kind, year and quarter (the index person_id, kind, year, period);
//	合作任务书: expert, title and start date;
//	专家补贴:   expert, paying region and year (a yearly subsidy);
//	博士农场:   village and name;
//
// so an export re-imports onto its records. What the key holds, and what
// the schema makes immutable (an agreement's or assessment's region, a
// farm's expert), cannot change. Other sheets name these records by their
// keys: a post or an assessment its team by the team's start (in its own
// village), a team its 片区 by name (one set up by the village's county or
// township), a subsidy its agreement by title and start (the same expert's).

var (
	areaSite      = rules.Site{English: "a resident area (片区)", Chinese: "片区设立地区", Levels: rules.Levels{rules.County, rules.Township}}
	areaVillage   = rules.Site{English: "a village of a resident area", Chinese: "片区所辖村", Levels: rules.Levels{rules.Village}, Directory: true}
	teamSite      = rules.Site{English: "a resident work team", Chinese: "驻村工作队所在村", Levels: rules.Levels{rules.Village}}
	residentSite  = rules.Site{English: "a resident cadre's assessment", Chinese: "驻村考核所在村", Levels: rules.Levels{rules.Village}}
	agreementSite = rules.Site{English: "an expert agreement", Chinese: "任务书签订地区", Levels: rules.Levels{rules.County, rules.Township, rules.Village}}
	subsidySite   = rules.Site{English: "a subsidy payment", Chinese: "补贴发放地区", Levels: rules.Levels{rules.City, rules.County, rules.Township, rules.Village}}
	farmSite      = rules.Site{English: "a doctor farm", Chinese: "博士农场所在村", Levels: rules.Levels{rules.Village}}
)

// listColumn collects the distinct items of a list column of a sheet.
func (imp *importer) listColumn(kind SheetKind, col string, into map[string]bool) {
	s := imp.sheets[kind]
	if s == nil || !s.has(col) {
		return
	}
	for _, r := range s.rows {
		for _, v := range splitList(s.get(r, col)) {
			into[v] = true
		}
	}
}

// regionAt is regionOf with the code as written (when it is one).
func (imp *importer) regionAt(c *cells, col string, site rules.Site) (int, string) {
	code := c.regionCode(col)
	id, ok := imp.region(c.s, c.r.Line, col, code, site)
	if !ok {
		c.bad = true
	}
	return id, code
}

// personAt resolves an optional column naming a person by their 人员编号
// (组长编号, 队长编号).
func (imp *importer) personAt(c *cells, col string) ref {
	no := c.key(col)
	if no == "" {
		return ref{}
	}
	p := imp.personRef(c.s, c.r.Line, col, no)
	if !p.ok() {
		c.bad = true
	}
	return p
}

// texts reads a list cell of free words (派出单位), each at most max
// characters; has: the cell is not empty.
func (c *cells) texts(col string, max int) (out []string, has bool) {
	v := c.text(col, 0)
	if v == "" {
		return nil, false
	}
	for _, p := range splitList(v) {
		if utf8.RuneCountInString(p) > max {
			c.failAs(KindTooLong, col, p, fmt.Sprintf("超过 %d 个字符", max), fmt.Sprintf("longer than %d characters", max))
			continue
		}
		out = append(out, p)
	}
	return out, true
}

// adminOnly refuses a row that writes a record only admins keep (片区,
// 驻村工作队, 合作任务书, 专家补贴, 博士农场: the policies' admins) when the
// importer is not one.
func (imp *importer) adminOnly(s *boundSheet, line int, col, value, zh, en string) bool {
	if v := auth.FromContext(imp.ctx); v.System() || v.Is(auth.RoleAdmin) {
		return true
	}
	imp.problemAs(KindOutOfScope, s, line, col, value, "只有管理员可以导入"+zh, "only admins may import "+en)
	return false
}

// outOfScope refuses a changed row of a record held where the importer may
// not write (one held above, which came in their export unchanged).
func (imp *importer) outOfScope(s *boundSheet, line int, col, code string) {
	imp.problemAs(KindOutOfScope, s, line, col, code, "该区划不在您的管理范围内", "this region is outside your scope")
}

// dupOf reports a row with the key of an earlier row.
func (imp *importer) dupOf(s *boundSheet, line int, col, value string, prev int, zh, en string) {
	imp.problemAs(KindDuplicateRow, s, line, col, value, fmt.Sprintf("与第%d行是同一%s", prev, zh), fmt.Sprintf("the same %s as row %d", en, prev))
}

func teamKey(village int, start time.Time) string { return fmt.Sprint(village, "|", day(start)) }

// --- 片区 ---

type areaRec struct {
	rec
	regionID            int
	regionCode          string
	name, branch, notes string
	leader              ref
	villages            []int // with hasVillages: the cell's villages
	villageCodes        []string
	hasVillages         bool
	start               time.Time
	end                 *time.Time
	old                 *ent.ResidentArea
}

func (imp *importer) areasSheet() error {
	s := imp.sheets[ResidentAreas]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &areaRec{rec: rec{line: r.Line}}
		// A 片区 set up above the importer (grouping villages they keep)
		// may come back unchanged in their export: the scope is checked
		// once the row is matched (below).
		site := areaSite
		site.Directory = true
		x.regionID, x.regionCode = imp.regionAt(c, colRegion, site)
		x.name = c.text(colName, 128)
		x.branch = c.text(colPartyBranch, 128)
		x.leader = imp.personAt(c, colAreaLeader)
		if v := c.text(colAreaVillages, 0); v != "" {
			x.hasVillages = true
			for _, code := range splitList(v) {
				if !regioncode.Valid(code) {
					c.failAs(KindBadRegionCode, colAreaVillages, code, "区划代码应为 2、4、6、9 或 12 位数字", "a region code has 2, 4, 6, 9 or 12 digits")
					continue
				}
				id, ok := imp.region(s, r.Line, colAreaVillages, code, areaVillage)
				if !ok {
					c.bad = true
					continue
				}
				if !slices.Contains(x.villages, id) {
					x.villages = append(x.villages, id)
					x.villageCodes = append(x.villageCodes, code)
				}
			}
		}
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colEnd, start, x.end)
		if start != nil {
			x.start = *start
		} else {
			c.bad = true
		}
		x.notes = c.text(colNotes, 0)
		x.bad = c.bad
		imp.areas = append(imp.areas, x)
	}
	var ids []int
	for _, x := range imp.areas {
		if !x.bad {
			ids = append(ids, x.regionID)
		}
	}
	key := func(region int, name string) string { return fmt.Sprint(region, "|", name) }
	seen, _, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.ResidentArea, error) {
		if internal {
			return nil, nil
		}
		return imp.c.ResidentArea.Query().Where(residentarea.RegionIDIn(ids...)).WithVillages().All(imp.ctx)
	}, func(a *ent.ResidentArea) string { return key(a.RegionID, a.Name) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.areas {
		if x.bad {
			continue
		}
		k := key(x.regionID, x.name)
		if prev, dup := rows[k]; dup {
			imp.dupOf(s, x.line, colName, x.name, prev, "片区（地区、名称相同）", "片区 (region and name)")
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		added := x.villageCodes
		if o := seen[k]; o != nil {
			x.old, x.id, x.action = o, o.ID, unchanged
			have := map[int]bool{}
			for _, v := range o.Edges.Villages {
				have[v.ID] = true
			}
			added = nil
			for i, id := range x.villages {
				if !have[id] {
					added = append(added, x.villageCodes[i])
				}
			}
			if day(x.start) != day(utcDay(o.StartDate)) || (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.branch != "" && x.branch != o.PartyBranch) || (x.leader.ok() && (x.leader.ID() == 0 || !ptrEq(idOf(x.leader), o.LeaderID))) ||
				(x.hasVillages && (len(added) > 0 || len(x.villages) != len(have))) || (x.notes != "" && x.notes != o.Notes) {
				x.action = update
			}
		}
		if x.action == unchanged {
			continue
		}
		if !imp.adminOnly(s, x.line, colRegion, x.regionCode, "片区", "a 片区 (resident area)") {
			x.bad = true
			continue
		}
		if !imp.covers(x.regionCode) {
			imp.outOfScope(s, x.line, colRegion, x.regionCode)
			x.bad = true
		}
		// A 片区 groups only villages its admin covers (the policy).
		for _, code := range added {
			if !imp.covers(code) {
				imp.outOfScope(s, x.line, colAreaVillages, code)
				x.bad = true
			}
		}
	}
	return nil
}

// --- 驻村工作队 ---

type teamRec struct {
	rec
	villageID          int
	villageCode        string
	start              time.Time
	name, level, notes string
	leader             ref
	units              []string
	hasUnits           bool
	areaName           string
	area               ref
	end                *time.Time
	old                *ent.ResidentTeam
}

func (imp *importer) teamsSheet() error {
	s := imp.sheets[ResidentTeams]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &teamRec{rec: rec{line: r.Line}}
		x.villageID, x.villageCode = imp.regionAt(c, colVillage, teamSite)
		if d := c.date(colStart); d != nil {
			x.start = *d
		} else {
			c.bad = true
		}
		x.name = c.text(colName, 128)
		x.leader = imp.personAt(c, colTeamLeader)
		x.level = c.word(colDispatch, dispatchLevels)
		x.units, x.hasUnits = c.texts(colSendingUnit, 128)
		x.end = c.date(colEnd)
		if !x.start.IsZero() {
			c.period(colEnd, &x.start, x.end)
		}
		x.notes = c.text(colNotes, 0)
		x.areaName = c.text(colArea, 128)
		x.bad = c.bad
		imp.teams = append(imp.teams, x)
	}
	if err := imp.teamAreas(s); err != nil {
		return err
	}
	var ids []int
	for _, x := range imp.teams {
		if !x.bad {
			ids = append(ids, x.villageID)
		}
	}
	if err := imp.loadTeams(ids); err != nil {
		return err
	}
	for _, x := range imp.teams {
		if x.start.IsZero() || x.villageID == 0 {
			continue
		}
		k := teamKey(x.villageID, x.start)
		if x.bad {
			// The rows naming it in 任职 and 驻村考核 name it still: the
			// problem is the team's.
			if imp.teamByKey[k] == nil {
				imp.teamByKey[k] = x
			}
			continue
		}
		if prev := imp.teamByKey[k]; prev != nil {
			imp.dupOf(s, x.line, colStart, day(x.start), prev.line, "驻村工作队（村、开始日期相同）", "resident team (village and start date)")
			x.bad = true
			continue
		}
		imp.teamByKey[k] = x
		x.action = create
		if o := imp.dbTeam[k]; o != nil {
			x.old, x.id, x.action = o, o.ID, unchanged
			if string(o.DispatchLevel) != x.level || (x.name != "" && x.name != o.Name) ||
				(x.leader.ok() && (x.leader.ID() == 0 || !ptrEq(idOf(x.leader), o.LeaderID))) ||
				(x.hasUnits && !slices.Equal(x.units, o.SendingUnits)) ||
				(x.area.ok() && (x.area.ID() == 0 || !ptrEq(idOf(x.area), o.AreaID))) ||
				(x.end != nil && !sameDay(x.end, o.EndDate)) || (x.notes != "" && x.notes != o.Notes) {
				x.action = update
			}
		}
		if x.action != unchanged && !imp.adminOnly(s, x.line, colVillage, x.villageCode, "驻村工作队", "a resident work team") {
			x.bad = true
		}
	}
	return nil
}

// teamAreas resolves the 片区 each team names: of that name, set up by the
// village's county or township — a row of the 片区 sheet, else (none
// there) a 片区 on file.
func (imp *importer) teamAreas(s *boundSheet) error {
	sheetAreas := func(x *teamRec) (found []ref) {
		rows := map[string]bool{}
		for _, a := range imp.areas {
			if a.name == x.areaName && a.regionCode != "" && strings.HasPrefix(x.villageCode, a.regionCode) && !rows[a.regionCode] {
				rows[a.regionCode] = true // a row twice is reported on the 片区 sheet
				found = append(found, ref{&a.id})
			}
		}
		return found
	}
	names := map[string]bool{}
	for _, x := range imp.teams {
		if x.areaName != "" && x.villageCode != "" && len(sheetAreas(x)) == 0 {
			names[x.areaName] = true
		}
	}
	dbArea := map[string][]*ent.ResidentArea{}
	if err := chunked(keys(names), chunk, func(ns []string) error {
		as, err := imp.c.ResidentArea.Query().Where(residentarea.NameIn(ns...)).WithRegion().All(imp.ctx)
		for _, a := range as {
			dbArea[a.Name] = append(dbArea[a.Name], a)
		}
		return err
	}); err != nil {
		return err
	}
	for _, x := range imp.teams {
		if x.areaName == "" || x.villageCode == "" {
			continue
		}
		found := sheetAreas(x)
		if len(found) == 0 {
			for _, a := range dbArea[x.areaName] {
				if a.Edges.Region != nil && strings.HasPrefix(x.villageCode, a.Edges.Region.Code) {
					found = append(found, dbRef(a.ID))
				}
			}
		}
		c := &cells{imp: imp, s: s, r: rowAt(s, x.line)}
		switch len(found) {
		case 1:
			x.area = found[0]
			continue
		case 0:
			c.failAs(KindUnknownReference, colArea, x.areaName, "片区表和库中都没有本村所在县或乡镇设立的此名称的片区",
				"no 片区 of this name set up by the village's county or township in the 片区 sheet or on file")
		default:
			c.failAs(KindAmbiguousNumber, colArea, x.areaName, "本村所在县和乡镇都设有此名称的片区", "both the village's county and township have a 片区 of this name")
		}
		x.bad = true
	}
	return nil
}

// loadTeams loads the teams on file in the villages (as the importer sees
// them) into dbTeam, by village and start date.
func (imp *importer) loadTeams(villages []int) error {
	var todo []int
	for _, id := range uniq(villages) {
		if !imp.teamVillages[id] {
			imp.teamVillages[id] = true
			todo = append(todo, id)
		}
	}
	return chunked(todo, chunk, func(ids []int) error {
		ts, err := imp.c.ResidentTeam.Query().Where(residentteam.VillageIDIn(ids...)).All(imp.ctx)
		for _, t := range ts {
			imp.dbTeam[teamKey(t.VillageID, utcDay(t.StartDate))] = t
		}
		return err
	})
}

// teamRef finds the team of a village that started on a day: a row of the
// 驻村工作队 sheet, else a team on file.
func (imp *importer) teamRef(c *cells, col string, village int, start time.Time) ref {
	k := teamKey(village, start)
	if x := imp.teamByKey[k]; x != nil {
		return ref{&x.id}
	}
	if t := imp.dbTeam[k]; t != nil {
		return dbRef(t.ID)
	}
	c.failAs(KindUnknownReference, col, day(start), "驻村工作队表和库中都没有本村此日开始的工作队", "no resident team of this village started on this day in the 驻村工作队 sheet or on file")
	return ref{}
}

// --- 任职: the team, 返聘 ---

// postLinks resolves the team and the 返聘 of the rows of 任职, once the
// teams and every post row are known. A post names the team of its own
// village; a 返聘 the same person's post by its role and start (a row of
// 任职, else a post on file), which must have ended: rules.CheckRehire.
func (imp *importer) postLinks() error {
	s := imp.sheets[Posts]
	if s == nil {
		return nil
	}
	var villages, people []int
	for _, x := range imp.posts {
		if x.bad {
			continue
		}
		if x.teamStart != nil {
			villages = append(villages, x.regionID)
		}
		if (x.rehireRole != "" || x.rehireStart != nil) && x.person.ID() != 0 {
			people = append(people, x.person.ID())
		}
	}
	if err := imp.loadTeams(villages); err != nil {
		return err
	}
	// The posts on file of the people rehired, but those the rows match.
	matched := map[int]bool{}
	for _, x := range imp.posts {
		if x.old != nil {
			matched[x.old.ID] = true
		}
	}
	type postKey struct {
		person      int
		role, start string
	}
	dbPost := map[postKey][]*ent.Post{}
	if err := chunked(uniq(people), chunk, func(ids []int) error {
		ps, err := imp.c.Post.Query().Where(post.PersonIDIn(ids...)).All(imp.ctx)
		for _, p := range ps {
			if !matched[p.ID] {
				k := postKey{p.PersonID, string(p.Role), day(utcDay(p.StartDate))}
				dbPost[k] = append(dbPost[k], p)
			}
		}
		return err
	}); err != nil {
		return err
	}
	type target struct {
		ref   ref
		row   *postRec // nil: a post on file
		ended bool
	}
	// The rows by person, role and start; the row each row takes back.
	type rowKey struct {
		person      any
		role, start string
	}
	byKey := map[rowKey][]*postRec{}
	for _, o := range imp.posts {
		if o.person.ok() && o.role != "" && !o.start.IsZero() {
			k := rowKey{o.person.node(), o.role, day(o.start)}
			byKey[k] = append(byKey[k], o)
		}
	}
	takesBack := map[*postRec]*postRec{}
	for _, x := range imp.posts {
		if x.bad {
			continue
		}
		r := rowAt(s, x.line)
		c := &cells{imp: imp, s: s, r: r}
		if x.teamStart != nil {
			x.team = imp.teamRef(c, colTeamStart, x.regionID, *x.teamStart)
			if x.old != nil && x.team.ok() && x.action == unchanged && (x.team.ID() == 0 || !ptrEq(idOf(x.team), x.old.TeamID)) {
				x.action = update
			}
		}
		switch {
		case x.rehireRole != "" && x.rehireStart == nil:
			c.failAs(KindMissingValue, colRehireStart, "", "返聘须同填原职务及其开始日期", "a 返聘 names the earlier post's role and its start date")
		case x.rehireRole == "" && x.rehireStart != nil:
			c.failAs(KindMissingValue, colRehireRole, "", "返聘须同填原职务及其开始日期", "a 返聘 names the earlier post's role and its start date")
		case x.rehireRole != "":
			var ts []target
			for _, o := range byKey[rowKey{x.person.node(), x.rehireRole, day(*x.rehireStart)}] {
				if o != x {
					ended := o.end != nil || (o.old != nil && o.old.EndDate != nil)
					ts = append(ts, target{ref{&o.id}, o, ended})
				}
			}
			if x.person.ID() != 0 {
				for _, p := range dbPost[postKey{x.person.ID(), x.rehireRole, day(*x.rehireStart)}] {
					ts = append(ts, target{dbRef(p.ID), nil, p.EndDate != nil})
				}
			}
			role := postRoles.chinese(x.rehireRole)
			switch len(ts) {
			case 0:
				c.failAs(KindUnknownReference, colRehireRole, role, "任职表和库中都没有本人此职务、此日开始的任职",
					"no post of this person with this role and start date in the 任职 sheet or on file")
			case 1:
				t := ts[0]
				if t.row != nil && t.row.bad {
					c.bad = true // its problem is reported on its row
					break
				}
				if v := rules.CheckRehire(x.role, true, t.ended); v != nil {
					c.broke(colRehireRole, role, v)
					break
				}
				// Rows that take each other back, round and round.
				cycle := false
				for o, i := t.row, 0; o != nil && i <= len(imp.posts); o, i = takesBack[o], i+1 {
					cycle = cycle || o == x
				}
				if cycle {
					c.broke(colRehireRole, role, &rules.Violation{Code: rules.RehireNotAllowed, Field: "rehiredFromID", Args: []any{x.role}})
					break
				}
				x.rehire = t.ref
				if t.row != nil {
					takesBack[x] = t.row
				}
			default:
				c.failAs(KindAmbiguousNumber, colRehireRole, role, "本人有多项此职务、此日开始的任职（在不同的村）", "this person has several posts of this role started on this day (in different villages)")
			}
			// Fixed once written (the schema's rehired_from is immutable).
			if o := x.old; o != nil && !c.bad && (x.rehire.ID() == 0 || !ptrEq(idOf(x.rehire), o.RehiredFromID)) {
				c.failAs(KindFixedOnFile, colRehireRole, role, "库中此任职的返聘（原任职）在建立任职时确定，不能补录或修改",
					"the 返聘 of the post on file (the post it takes back) is set when the post is created; it cannot be added or changed")
			}
		}
		if c.bad {
			x.bad = true
		}
	}
	return nil
}

// --- 成效: the outcome chain ---

// contributionChain resolves the 上一步编号 of the rows of 成效 — a row of
// the sheet, else a contribution on file the importer sees (by its 编号 or
// the C + ID an export gives one without) — and checks the step as the
// hook does (rules.CheckOutcomeStep): the kind just before its own, in
// the same village, not before it. A row that changes the kind or date of
// a contribution already linked on file is checked against its link.
func (imp *importer) contributionChain() error {
	s := imp.sheets[Contributions]
	if s == nil {
		return nil
	}
	want := map[string]bool{}
	var linked []int
	for _, x := range imp.contribs {
		if x.followsNo != "" && imp.contribByNo[x.followsNo] == nil {
			want[x.followsNo] = true
		}
		if x.followsNo == "" && x.old != nil && x.old.FollowsID != nil && x.action == update {
			linked = append(linked, *x.old.FollowsID)
		}
	}
	dbContrib, twice := map[string]*ent.Contribution{}, map[string]bool{}
	byID := map[int]*ent.Contribution{}
	if err := chunked(keys(want), chunk, func(ks []string) error {
		cs, err := imp.c.Contribution.Query().Where(contribution.ExternalIDIn(ks...)).All(imp.ctx)
		for _, c := range cs {
			if prev := dbContrib[*c.ExternalID]; prev != nil && prev.ID != c.ID {
				twice[*c.ExternalID] = true // numbers are unique per viewer only: reported below
			}
			dbContrib[*c.ExternalID] = c
		}
		return err
	}); err != nil {
		return err
	}
	linked = append(linked, generatedIDs("C", want, func(k string) bool { _, ok := dbContrib[k]; return ok })...)
	if err := chunked(uniq(linked), chunk, func(ids []int) error {
		cs, err := imp.c.Contribution.Query().Where(contribution.IDIn(ids...)).All(imp.ctx)
		for _, c := range cs {
			byID[c.ID] = c
		}
		return err
	}); err != nil {
		return err
	}
	for _, x := range imp.contribs {
		r := rowAt(s, x.line)
		c := &cells{imp: imp, s: s, r: r}
		if x.followsNo == "" {
			if x.bad || x.old == nil || x.old.FollowsID == nil || x.action != update {
				continue
			}
			if p := byID[*x.old.FollowsID]; p != nil {
				c.broke(colKind, s.get(r, colKind), rules.CheckOutcomeStep(x.kind, string(p.Kind), p.VillageID == x.villageID, x.date, p.Date))
			}
			x.bad = x.bad || c.bad
			continue
		}
		var kind string
		var village int
		var date time.Time
		if p := imp.contribByNo[x.followsNo]; p != nil {
			if p.bad {
				continue // its problem is reported on its row
			}
			x.follows, kind, village, date = ref{&p.id}, p.kind, p.villageID, p.date
		} else if p := dbContrib[x.followsNo]; twice[x.followsNo] {
			c.failAs(KindAmbiguousNumber, colFollows, x.followsNo, "该编号对应多条已有记录，请改用导出文件中的系统编号", "this number matches more than one record on file; use the system number of the export")
			x.bad = true
			continue
		} else if p == nil {
			if id, gen := generatedKey("C", x.followsNo); gen && byID[id] != nil && byID[id].ExternalID == nil {
				p = byID[id]
			}
			if p == nil {
				c.failAs(KindUnknownReference, colFollows, x.followsNo, "上一步编号在成效表和库中都不存在", "no contribution with this number in the 成效 sheet or on file")
				x.bad = true
				continue
			}
			x.follows, kind, village, date = dbRef(p.ID), string(p.Kind), p.VillageID, p.Date
		} else {
			x.follows, kind, village, date = dbRef(p.ID), string(p.Kind), p.VillageID, p.Date
		}
		if x.bad {
			continue
		}
		c.broke(colFollows, x.followsNo, rules.CheckOutcomeStep(x.kind, kind, village == x.villageID, x.date, date))
		if c.bad {
			x.bad = true
			continue
		}
		if x.old != nil && x.action == unchanged && (x.follows.ID() == 0 || !ptrEq(idOf(x.follows), x.old.FollowsID)) {
			x.action = update
		}
	}
	return nil
}

// --- 驻村考核 ---

type residentAssessmentRec struct {
	rec
	person                ref
	villageID, year       int
	kind, grade           string
	period                *int
	assessedBy, notes     string
	assessedOn, teamStart *time.Time
	team                  ref
	old                   *ent.ResidentAssessment
}

func (imp *importer) residentAssessmentsSheet() error {
	s := imp.sheets[ResidentAssessments]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &residentAssessmentRec{rec: rec{line: r.Line}}
		x.person = imp.personOf(c, false)
		x.villageID = imp.regionOf(c, colVillage, residentSite)
		x.kind = c.word(colKind, residentAssessmentKinds)
		x.year = c.year(colYear)
		if n := c.count(colPeriod); n != nil {
			if *n < 1 || *n > 4 {
				c.failAs(KindBadNumber, colPeriod, strconv.FormatInt(*n, 10), "季度应为 1–4", "a quarter is 1–4")
			} else {
				x.period = asInt(n)
			}
		}
		x.grade = c.word(colGrade, grades)
		x.assessedBy = c.text(colAssessedBy, 128)
		x.assessedOn = c.date(colAssessedOn)
		x.teamStart = c.date(colTeamStart)
		x.notes = c.text(colNotes, 0)
		x.bad = c.bad || x.year == 0
		imp.residentAssessment = append(imp.residentAssessment, x)
	}
	var villages []int
	for _, x := range imp.residentAssessment {
		if !x.bad && x.teamStart != nil {
			villages = append(villages, x.villageID)
		}
	}
	if err := imp.loadTeams(villages); err != nil {
		return err
	}
	ids := personIDs(imp.residentAssessment, func(x *residentAssessmentRec) bool { return x.bad }, func(x *residentAssessmentRec) ref { return x.person })
	key := func(person any, kind string, year int, period *int) string {
		return fmt.Sprint(person, "|", kind, "|", year, "|", itext(period))
	}
	seen, _, err := onFileKeys(imp, ids, func(ids []int, internal bool) ([]*ent.ResidentAssessment, error) {
		if internal {
			return nil, nil
		}
		return imp.c.ResidentAssessment.Query().Where(residentassessment.PersonIDIn(ids...)).All(imp.ctx)
	}, func(a *ent.ResidentAssessment) string { return key(a.PersonID, string(a.Kind), a.Year, a.Period) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.residentAssessment {
		if x.bad {
			continue
		}
		r := rowAt(s, x.line)
		c := &cells{imp: imp, s: s, r: r}
		if x.teamStart != nil {
			if x.team = imp.teamRef(c, colTeamStart, x.villageID, *x.teamStart); !x.team.ok() {
				x.bad = true
				continue
			}
		}
		k := key(x.person.node(), x.kind, x.year, x.period)
		if prev, dup := rows[k]; dup {
			imp.dupOf(s, x.line, colYear, strconv.Itoa(x.year), prev, "驻村考核（人员、类型、年度、季度相同）", "resident assessment (person, kind, year and quarter)")
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if x.person.ID() == 0 {
			continue
		}
		o := seen[key(x.person.ID(), x.kind, x.year, x.period)]
		if o == nil {
			continue
		}
		x.old, x.id, x.action = o, o.ID, unchanged
		if o.RegionID != x.villageID {
			c.fixedOnFile(colVillage, s.get(r, colVillage), "驻村考核")
			x.bad = true
			continue
		}
		if string(o.Grade) != x.grade || (x.assessedBy != "" && x.assessedBy != o.AssessedBy) ||
			(x.assessedOn != nil && !sameDay(x.assessedOn, o.AssessedOn)) ||
			(x.team.ok() && (x.team.ID() == 0 || !ptrEq(idOf(x.team), o.TeamID))) || (x.notes != "" && x.notes != o.Notes) {
			x.action = update
		}
	}
	return nil
}

// --- 合作任务书 ---

type agreementRec struct {
	rec
	expert                        ref
	regionID                      int
	regionCode, title             string
	start                         time.Time
	end, signedOn                 *time.Time
	assign                        ref
	parties, body, targets, notes string
	share                         *float64
	old                           *ent.ExpertAgreement
}

// agreementKey names an agreement as the 专家补贴 sheet does: its expert,
// title and start.
func agreementKey(expert any, title string, start time.Time) string {
	return fmt.Sprint(expert, "|", title, "|", day(start))
}

func (imp *importer) agreementsSheet() error {
	s := imp.sheets[ExpertAgreements]
	if s == nil {
		return nil
	}
	// The assignments on file the rows name (those of the 科技特派员选派
	// sheet are its rows').
	want := map[string]bool{}
	imp.column(ExpertAgreements, colAssignmentNo, want)
	dbAssign := map[string]*ent.ExpertAssignment{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		ks = slices.DeleteFunc(ks, func(k string) bool { return imp.assignByNo[k] != nil })
		if len(ks) == 0 {
			return nil
		}
		as, err := imp.c.ExpertAssignment.Query().Where(expertassignment.ExternalIDIn(ks...)).All(imp.ctx)
		for _, a := range as {
			dbAssign[*a.ExternalID] = a
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &agreementRec{rec: rec{line: r.Line}}
		x.expert = imp.personOf(c, false)
		x.title = c.text(colName, 128)
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colEnd, start, x.end)
		if start != nil {
			x.start = *start
		} else {
			c.bad = true
		}
		// An agreement signed above the importer (the county's, under
		// which a township pays) may come back unchanged in their export:
		// the scope is checked once the row is matched (below).
		site := agreementSite
		site.Directory = true
		x.regionID, x.regionCode = imp.regionAt(c, colRegion, site)
		if no := c.key(colAssignmentNo); no != "" {
			if x.assign = imp.assignRef(no, dbAssign); !x.assign.ok() {
				c.failAs(KindUnknownReference, colAssignmentNo, no, "选派编号在科技特派员选派表和库中都不存在", "no expert assignment with this number in the 科技特派员选派 sheet or on file")
			}
		}
		x.parties = c.text(colParties, 256)
		x.body, x.targets = c.text(colAgreementBody, 0), c.text(colTargets, 0)
		if x.share = c.decimal(colShare); x.share != nil && *x.share > 100 {
			c.failAs(KindBadNumber, colShare, ftext(x.share), "收益分成应为 0–100", "a share of the proceeds is 0–100 per cent")
		}
		x.signedOn = c.date(colSignedOn)
		x.notes = c.text(colNotes, 0)
		x.bad = c.bad
		imp.agreements = append(imp.agreements, x)
	}
	ids := personIDs(imp.agreements, func(x *agreementRec) bool { return x.bad }, func(x *agreementRec) ref { return x.expert })
	seen, _, err := onFileKeys(imp, ids, func(ids []int, internal bool) ([]*ent.ExpertAgreement, error) {
		if internal {
			return nil, nil
		}
		return imp.c.ExpertAgreement.Query().Where(expertagreement.ExpertIDIn(ids...)).All(imp.ctx)
	}, func(a *ent.ExpertAgreement) string { return agreementKey(a.ExpertID, a.Title, utcDay(a.StartDate)) })
	if err != nil {
		return err
	}
	for _, x := range imp.agreements {
		if !x.expert.ok() || x.title == "" || x.start.IsZero() {
			continue
		}
		k := agreementKey(x.expert.node(), x.title, x.start)
		if x.bad {
			if imp.agreementByKey[k] == nil {
				imp.agreementByKey[k] = x // its subsidies name it still
			}
			continue
		}
		if prev := imp.agreementByKey[k]; prev != nil {
			imp.dupOf(s, x.line, colName, x.title, prev.line, "任务书（专家、名称、开始日期相同）", "agreement (expert, title and start date)")
			x.bad = true
			continue
		}
		imp.agreementByKey[k] = x
		x.action = create
		if x.expert.ID() != 0 {
			if o := seen[agreementKey(x.expert.ID(), x.title, x.start)]; o != nil {
				x.old, x.id, x.action = o, o.ID, unchanged
				if o.RegionID != x.regionID {
					c := &cells{imp: imp, s: s, r: rowAt(s, x.line)}
					c.fixedOnFile(colRegion, x.regionCode, "任务书")
					x.bad = true
					continue
				}
				if (x.end != nil && !sameDay(x.end, o.EndDate)) || (x.signedOn != nil && !sameDay(x.signedOn, o.SignedOn)) ||
					(x.assign.ok() && (x.assign.ID() == 0 || !ptrEq(idOf(x.assign), o.AssignmentID))) ||
					(x.parties != "" && x.parties != o.Parties) || (x.body != "" && x.body != o.Content) ||
					(x.targets != "" && x.targets != o.Targets) || (x.share != nil && !ptrEq(x.share, o.ProceedsSharePercent)) ||
					(x.notes != "" && x.notes != o.Notes) {
					x.action = update
				}
			}
		}
		if x.action == unchanged {
			continue
		}
		if !imp.adminOnly(s, x.line, colRegion, x.regionCode, "合作任务书", "an expert agreement") {
			x.bad = true
		} else if !imp.covers(x.regionCode) {
			imp.outOfScope(s, x.line, colRegion, x.regionCode)
			x.bad = true
		}
	}
	return nil
}

// --- 专家补贴 ---

type subsidyRec struct {
	rec
	expert         ref
	regionID, year int
	regionCode     string
	amount         int64
	paidOn         *time.Time
	title          string // the agreement's, with its start
	agreementStart *time.Time
	agreement      ref
	notes          string
	old            *ent.SubsidyPayment
}

func (imp *importer) subsidiesSheet() error {
	s := imp.sheets[SubsidyPayments]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &subsidyRec{rec: rec{line: r.Line}}
		x.expert = imp.personOf(c, false)
		x.regionID, x.regionCode = imp.regionAt(c, colRegion, subsidySite)
		x.year = c.year(colYear)
		if n := c.count(colAmount); n != nil {
			x.amount = *n
		} else {
			c.bad = true
		}
		x.paidOn = c.date(colPaidOn)
		x.title = c.text(colAgreementTitle, 128)
		x.agreementStart = c.date(colAgreementStart)
		switch {
		case x.title != "" && x.agreementStart == nil && s.get(r, colAgreementStart) == "":
			c.failAs(KindMissingValue, colAgreementStart, "", "所依据的任务书须同填名称和开始日期", "an agreement is named by its title and start date")
		case x.title == "" && x.agreementStart != nil:
			c.failAs(KindMissingValue, colAgreementTitle, "", "所依据的任务书须同填名称和开始日期", "an agreement is named by its title and start date")
		}
		x.notes = c.text(colNotes, 0)
		x.bad = c.bad || x.year == 0
		imp.subsidies = append(imp.subsidies, x)
	}
	// The agreements they are paid under: a row of 合作任务书, else (none
	// there) one on file, of the same expert, by title and start.
	titles := map[string]bool{}
	for _, x := range imp.subsidies {
		if x.title != "" && x.agreementStart != nil && x.expert.ok() && imp.agreementByKey[agreementKey(x.expert.node(), x.title, *x.agreementStart)] == nil {
			titles[x.title] = true
		}
	}
	dbAgreement := map[string]*ent.ExpertAgreement{}
	if err := chunked(keys(titles), chunk, func(ts []string) error {
		as, err := imp.c.ExpertAgreement.Query().Where(expertagreement.TitleIn(ts...)).All(imp.ctx)
		for _, a := range as {
			dbAgreement[agreementKey(a.ExpertID, a.Title, utcDay(a.StartDate))] = a
		}
		return err
	}); err != nil {
		return err
	}
	for _, x := range imp.subsidies {
		if x.title == "" || x.agreementStart == nil || !x.expert.ok() {
			continue
		}
		if a := imp.agreementByKey[agreementKey(x.expert.node(), x.title, *x.agreementStart)]; a != nil {
			x.agreement = ref{&a.id}
		} else if a := dbAgreement[agreementKey(x.expert.ID(), x.title, *x.agreementStart)]; a != nil && x.expert.ID() != 0 {
			x.agreement = dbRef(a.ID)
		} else {
			imp.problemAs(KindUnknownReference, s, x.line, colAgreementTitle, x.title, "合作任务书表和库中都没有该专家此名称、此日开始的任务书",
				"no agreement of this expert with this title and start date in the 合作任务书 sheet or on file")
			x.bad = true
		}
	}
	ids := personIDs(imp.subsidies, func(x *subsidyRec) bool { return x.bad }, func(x *subsidyRec) ref { return x.expert })
	key := func(expert any, region, year int) string { return fmt.Sprint(expert, "|", region, "|", year) }
	seen, _, err := onFileKeys(imp, ids, func(ids []int, internal bool) ([]*ent.SubsidyPayment, error) {
		if internal {
			return nil, nil
		}
		return imp.c.SubsidyPayment.Query().Where(subsidypayment.ExpertIDIn(ids...)).All(imp.ctx)
	}, func(p *ent.SubsidyPayment) string { return key(p.ExpertID, p.RegionID, p.Year) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.subsidies {
		if x.bad {
			continue
		}
		k := key(x.expert.node(), x.regionID, x.year)
		if prev, dup := rows[k]; dup {
			imp.dupOf(s, x.line, colYear, strconv.Itoa(x.year), prev, "专家补贴（专家、地区、年度相同）", "subsidy (expert, region and year)")
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if x.expert.ID() != 0 {
			if o := seen[key(x.expert.ID(), x.regionID, x.year)]; o != nil {
				x.old, x.id, x.action = o, o.ID, unchanged
				if o.AmountYuan != x.amount || (x.paidOn != nil && !sameDay(x.paidOn, o.PaidOn)) ||
					(x.agreement.ok() && (x.agreement.ID() == 0 || !ptrEq(idOf(x.agreement), o.AgreementID))) ||
					(x.notes != "" && x.notes != o.Notes) {
					x.action = update
				}
			}
		}
		if x.action != unchanged && !imp.adminOnly(s, x.line, colRegion, x.regionCode, "专家补贴", "a subsidy payment") {
			x.bad = true
		}
	}
	return nil
}

// --- 博士农场 ---

type farmRec struct {
	rec
	villageID      int
	villageCode    string
	name, notes    string
	expert         ref
	founded        time.Time
	funding, years *int64
	old            *ent.DoctorFarm
}

func (imp *importer) farmsSheet() error {
	s := imp.sheets[DoctorFarms]
	if s == nil {
		return nil
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &farmRec{rec: rec{line: r.Line}}
		x.villageID, x.villageCode = imp.regionAt(c, colVillage, farmSite)
		x.name = c.text(colName, 128)
		x.expert = imp.personOf(c, false)
		if d := c.date(colFoundedOn); d != nil {
			x.founded = *d
		} else {
			c.bad = true
		}
		x.funding = c.count(colFunding)
		x.years = c.count(colYearsFunded)
		x.notes = c.text(colNotes, 0)
		x.bad = c.bad
		imp.farms = append(imp.farms, x)
	}
	var ids []int
	for _, x := range imp.farms {
		if !x.bad {
			ids = append(ids, x.villageID)
		}
	}
	key := func(village int, name string) string { return fmt.Sprint(village, "|", name) }
	seen, _, err := onFileKeys(imp, uniq(ids), func(ids []int, internal bool) ([]*ent.DoctorFarm, error) {
		if internal {
			return nil, nil
		}
		return imp.c.DoctorFarm.Query().Where(doctorfarm.VillageIDIn(ids...)).All(imp.ctx)
	}, func(f *ent.DoctorFarm) string { return key(f.VillageID, f.Name) })
	if err != nil {
		return err
	}
	rows := map[string]int{}
	for _, x := range imp.farms {
		if x.bad {
			continue
		}
		k := key(x.villageID, x.name)
		if prev, dup := rows[k]; dup {
			imp.dupOf(s, x.line, colName, x.name, prev, "博士农场（村、名称相同）", "doctor farm (village and name)")
			x.bad = true
			continue
		}
		rows[k] = x.line
		x.action = create
		if o := seen[k]; o != nil {
			x.old, x.id, x.action = o, o.ID, unchanged
			if x.expert.ID() != o.ExpertID {
				c := &cells{imp: imp, s: s, r: rowAt(s, x.line)}
				c.failAs(KindFixedOnFile, colPersonNo, s.get(c.r, colPersonNo), "库中此农场的专家不同，不能修改", "the farm on file has another expert; that cannot be changed")
				x.bad = true
				continue
			}
			if day(x.founded) != day(utcDay(o.FoundedOn)) || (x.funding != nil && *x.funding != o.YearlyFundingYuan) ||
				(x.years != nil && int(*x.years) != o.YearsFunded) || (x.notes != "" && x.notes != o.Notes) {
				x.action = update
			}
		}
		if x.action != unchanged && !imp.adminOnly(s, x.line, colVillage, x.villageCode, "博士农场", "a doctor farm") {
			x.bad = true
		}
	}
	return nil
}
