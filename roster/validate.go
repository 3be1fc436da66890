package roster

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/ent/servicerecord"
	"yanzhen/pii"
)

// validate parses every sheet, loads what the rows refer to from the
// database in a few set-based queries, and checks every row, recording all
// problems. It returns an error only when the database fails.
func (imp *importer) validate(wb *Workbook) error {
	imp.bind(wb)
	rows := 0
	for _, s := range imp.sheets {
		rows += len(s.rows)
	}
	imp.startPhase(Validating, rows)
	if err := imp.loadRegions(); err != nil {
		return err
	}
	steps := []func() error{
		imp.institutions, imp.persons, imp.postsSheet, imp.mentorshipsSheet, imp.appointmentsSheet,
		imp.contactLogsSheet, imp.assignmentsSheet, imp.serviceRecordsSheet, imp.demandsSheet, imp.contributionsSheet,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("checking the roster against the database: %w", err)
		}
	}
	imp.advance(imp.total - imp.done)
	return nil
}

// column collects the distinct non-empty values of a column of a sheet.
func (imp *importer) column(kind SheetKind, col string, into map[string]bool) {
	s := imp.sheets[kind]
	if s == nil || !s.has(col) {
		return
	}
	for _, r := range s.rows {
		if v := s.get(r, col); v != "" {
			into[v] = true
		}
	}
}

// keyUse is a column that names records by their number.
type keyUse struct {
	kind SheetKind
	col  string
}

// ambiguous refuses the rows that name a number more than one record the
// importer can see carries. Numbers are not unique across the database
// (each department numbers its own records), only among what one viewer
// sees; the generated key (P123 …) of the export names one record.
func (imp *importer) ambiguous(numbers map[string]bool, uses ...keyUse) {
	if len(numbers) == 0 {
		return
	}
	for _, u := range uses {
		s := imp.sheets[u.kind]
		if s == nil || !s.has(u.col) {
			continue
		}
		for _, r := range s.rows {
			if v := s.get(r, u.col); numbers[v] {
				imp.problem(s, r.Line, u.col, v, "该编号对应多条已有记录，请改用导出文件中的系统编号", "this number matches more than one record on file; use the system number of the export")
			}
		}
	}
}

func (imp *importer) loadRegions() error {
	codes := map[string]bool{}
	imp.column(Institutions, colRegionCode, codes)
	imp.column(People, colHomeVillage, codes)
	imp.column(Posts, colRegion, codes)
	imp.column(Appointments, colVillage, codes)
	imp.column(Assignments, colServiceArea, codes)
	imp.column(Demands, colRegion, codes)
	imp.column(Contributions, colVillage, codes)
	return chunked(keys(codes), chunk, func(cs []string) error {
		rs, err := imp.c.Region.Query().Where(region.CodeIn(cs...)).All(imp.ctx)
		for _, r := range rs {
			imp.regions[r.Code] = r
		}
		return err
	})
}

// generatedIDs lists the IDs named by generated keys (prefix + ID) among keys
// that matched no external_id.
func generatedIDs(prefix string, want map[string]bool, found func(string) bool) []int {
	var ids []int
	for k := range want {
		if found(k) {
			continue
		}
		if id, ok := generatedKey(prefix, k); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// ---- 机构

func (imp *importer) institutions() error {
	s := imp.sheets[Institutions]
	want := map[string]bool{}
	imp.column(Institutions, colInstNo, want)
	imp.column(People, colInstitution, want)
	err := chunked(keys(want), chunk, func(ks []string) error {
		is, err := imp.c.Institution.Query().Where(institution.ExternalIDIn(ks...)).All(imp.ctx)
		for _, i := range is {
			imp.dbInst[*i.ExternalID] = i
		}
		return err
	})
	if err != nil {
		return err
	}
	generated := map[int]*ent.Institution{}
	ids := generatedIDs("I", want, func(k string) bool { return imp.dbInst[k] != nil })
	err = chunked(ids, chunk, func(ids []int) error {
		is, err := imp.c.Institution.Query().Where(institution.IDIn(ids...), institution.ExternalIDIsNil()).All(imp.ctx)
		for _, i := range is {
			generated[i.ID] = i
		}
		return err
	})
	if err != nil || s == nil {
		return err
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &instRec{rec: rec{line: r.Line}}
		x.no = c.key(colInstNo)
		x.name = c.text(colName, 128)
		x.kind = c.word(colKind, institutionKinds)
		x.regionCode = c.regionCode(colRegionCode)
		if x.regionCode != "" {
			if id, ok := imp.region(s, r.Line, colRegionCode, x.regionCode, "机构所在地", allLevels...); ok {
				x.regionID = &id
			} else {
				c.bad = true
			}
		}
		x.bad = c.bad
		if x.no != "" {
			if prev := imp.instByNo[x.no]; prev != nil {
				imp.problem(s, r.Line, colInstNo, x.no, fmt.Sprintf("与第%d行编号重复", prev.line), fmt.Sprintf("same number as row %d", prev.line))
				continue
			}
			imp.instByNo[x.no] = x
		}
		x.old = imp.dbInst[x.no]
		if id, ok := generatedKey("I", x.no); ok && x.old == nil && generated[id] != nil && generated[id].Name == x.name {
			x.old = generated[id]
		}
		x.action = create
		if x.old != nil {
			x.id = x.old.ID
			x.action = unchanged
			if x.name != x.old.Name || x.kind != string(x.old.Kind) || (x.regionID != nil && !ptrEq(x.regionID, x.old.RegionID)) {
				x.action = update
			}
		}
		imp.insts = append(imp.insts, x)
	}
	return nil
}

// instRef resolves a 机构编号.
func (imp *importer) instRef(s *boundSheet, line int, col, key string) ref {
	if x := imp.instByNo[key]; x != nil {
		return ref{&x.id}
	}
	if i := imp.dbInst[key]; i != nil {
		return dbRef(i.ID)
	}
	imp.problem(s, line, col, key, "机构编号在机构表和库中都不存在", "no institution with this number in the 机构 sheet or on file")
	return ref{}
}

// ---- 人员

func (imp *importer) persons() error {
	s := imp.sheets[People]
	want := map[string]bool{}
	uses := []keyUse{{People, colPersonNo}, {Posts, colPersonNo}, {Mentorships, colMentor}, {Mentorships, colMentee},
		{Appointments, colPersonNo}, {ContactLogs, colContactBy}, {Assignments, colPersonNo}}
	for _, u := range uses {
		imp.column(u.kind, u.col, want)
	}
	twice := map[string]bool{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		ps, err := imp.c.Person.Query().Where(person.ExternalIDIn(ks...)).All(imp.ctx)
		for _, p := range ps {
			if prev := imp.dbPerson[*p.ExternalID]; prev != nil && prev.ID != p.ID {
				twice[*p.ExternalID] = true
			}
			imp.dbPerson[*p.ExternalID] = p
		}
		return err
	})
	if err != nil {
		return err
	}
	imp.ambiguous(twice, uses...)
	for k := range twice {
		delete(imp.dbPerson, k)
	}
	generated := map[int]*ent.Person{}
	ids := generatedIDs("P", want, func(k string) bool { return imp.dbPerson[k] != nil })
	err = chunked(ids, chunk, func(ids []int) error {
		ps, err := imp.c.Person.Query().Where(person.IDIn(ids...), person.ExternalIDIsNil()).All(imp.ctx)
		for _, p := range ps {
			generated[p.ID] = p
		}
		return err
	})
	if err != nil || s == nil {
		return err
	}
	idNumbers := map[string]bool{}
	if s.has(colIDNumber) {
		for _, r := range s.rows {
			if id, err := pii.ParseIDNumber(s.get(r, colIDNumber)); err == nil {
				idNumbers[string(id)] = true
			}
		}
	}
	// ID numbers are stored encrypted: people on file are matched by the
	// keyed hash of the number.
	byIDNumber := map[string][]*ent.Person{}
	var hashes []string
	for k := range idNumbers {
		h, err := imp.c.Keys.HashIDNumber(k)
		if err != nil {
			return err
		}
		hashes = append(hashes, h)
	}
	err = chunked(hashes, chunk, func(hs []string) error {
		ps, err := imp.c.Person.Query().Where(person.IDNumberHashIn(hs...)).All(imp.ctx)
		for _, p := range ps {
			byIDNumber[p.IDNumber] = append(byIDNumber[p.IDNumber], p)
		}
		return err
	})
	if err != nil {
		return err
	}
	seenID := map[string]int{}
	seenOld := map[int]int{}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		p := &personRec{rec: rec{line: r.Line}}
		p.no = c.key(colPersonNo)
		p.name = c.text(colPersonName, 64)
		p.gender = c.word(colGender, genders)
		p.birth = c.date(colBirthDate)
		p.ethnicity = c.text(colEthnicity, 32)
		p.education = c.word(colEducation, educations)
		p.political = c.word(colPolitical, politicalStatuses)
		p.title = c.text(colTitle, 64)
		if v := numberText(c.text(colPhone, 0)); v != "" {
			if pii.CheckPhone(v) != nil {
				c.fail(colPhone, v, "不是手机号（1xxxxxxxxxx）或座机号（0xxx-xxxxxxx）", "not a mobile (1xxxxxxxxxx) or landline (0xxx-xxxxxxx) number")
			} else {
				p.phone = v
			}
		}
		var idNumber pii.IDNumber
		if v := c.text(colIDNumber, 0); v != "" {
			id, err := pii.ParseIDNumber(v)
			if err != nil {
				zh, en := idNumberProblem(err)
				c.fail(colIDNumber, v, zh, en)
			} else {
				idNumber, p.idNumber = id, string(id)
			}
		}
		if p.no == "" && p.idNumber == "" && !c.bad {
			c.fail(colPersonNo, "", "人员编号与身份证号至少填一项", "a person needs a 人员编号 or a 身份证号")
		}
		p.homeCode = c.regionCode(colHomeVillage)
		if p.homeCode != "" {
			if id, ok := imp.region(s, r.Line, colHomeVillage, p.homeCode, "所在村", region.LevelVILLAGE); ok {
				p.homeID = &id
			} else {
				c.bad = true
			}
		}
		if p.instNo = c.key(colInstitution); p.instNo != "" {
			if p.inst = imp.instRef(s, r.Line, colInstitution, p.instNo); !p.inst.ok() {
				c.bad = true
			}
		}
		p.tags, p.hasTags = c.list(colTags, personTags)
		p.fields, p.hasFields = c.list(colFields, fields)

		// Duplicates inside the sheet.
		if p.no != "" {
			if prev := imp.personByNo[p.no]; prev != nil {
				imp.problem(s, r.Line, colPersonNo, p.no, fmt.Sprintf("与第%d行人员编号重复", prev.line), fmt.Sprintf("same 人员编号 as row %d", prev.line))
				continue
			}
			imp.personByNo[p.no] = p
		}
		if p.idNumber != "" {
			if prev, dup := seenID[p.idNumber]; dup {
				c.fail(colIDNumber, p.idNumber, fmt.Sprintf("与第%d行身份证号重复", prev), fmt.Sprintf("same 身份证号 as row %d", prev))
			}
			seenID[p.idNumber] = r.Line
		}

		// Match the person on file: by 身份证号, else by 人员编号.
		viaGenerated := false
		if ms := byIDNumber[p.idNumber]; p.idNumber != "" && len(ms) > 1 {
			c.fail(colIDNumber, p.idNumber, "库中有多人使用此身份证号，无法确定是谁", "several people on file have this 身份证号; which one is meant is unclear")
		} else if len(ms) == 1 {
			p.old = ms[0]
		}
		if p.old == nil && p.no != "" {
			if e := imp.dbPerson[p.no]; e != nil {
				if p.idNumber != "" && e.IDNumber != "" && e.IDNumber != p.idNumber {
					c.fail(colPersonNo, p.no, "此人员编号在库中属于身份证号不同的另一人", "this 人员编号 belongs to another person on file, with a different 身份证号")
				} else {
					p.old = e
				}
			} else if id, ok := generatedKey("P", p.no); ok && generated[id] != nil && generated[id].Name == p.name {
				p.old, viaGenerated = generated[id], true
			}
		}
		if p.old != nil && p.no != "" && !viaGenerated && (p.old.ExternalID == nil || *p.old.ExternalID != p.no) {
			if e := imp.dbPerson[p.no]; e != nil && e.ID != p.old.ID {
				c.fail(colPersonNo, p.no, "此人员编号在库中已属于另一人", "this 人员编号 already belongs to another person on file")
			}
			p.setNo = true
		}
		if p.old != nil {
			if prev, dup := seenOld[p.old.ID]; dup {
				c.fail(colPersonNo, p.no, fmt.Sprintf("与第%d行是库中同一人", prev), fmt.Sprintf("the same person on file as row %d", prev))
			}
			seenOld[p.old.ID] = r.Line
		}
		imp.checkIDProfile(c, p, idNumber)
		p.bad = c.bad
		p.action = create
		if p.old != nil {
			p.id = p.old.ID
			p.action = unchanged
			if personChanged(p) {
				p.action = update
			}
		}
		imp.people = append(imp.people, p)
	}
	return nil
}

// checkIDProfile checks the birth date and sex written in the ID number
// against the person's, taking what the row leaves empty from the file.
func (imp *importer) checkIDProfile(c *cells, p *personRec, id pii.IDNumber) {
	birth, gender := p.birth, p.gender
	if p.old != nil {
		if id == "" && p.old.IDNumber != "" {
			id = pii.IDNumber(p.old.IDNumber)
		}
		if birth == nil && p.old.BirthDate != nil {
			b := utcDay(*p.old.BirthDate)
			birth = &b
		}
		if gender == "" && p.old.Gender != nil {
			gender = string(*p.old.Gender)
		}
	}
	if id == "" {
		return
	}
	col := colIDNumber
	if p.idNumber == "" {
		col = colBirthDate
	}
	if idBirth, ok := id.BirthDate(); ok && birth != nil && day(idBirth) != day(*birth) {
		c.fail(col, cellOf(c, col), "身份证号与出生日期不一致", "the 身份证号 does not match the birth date")
	}
	if p.idNumber == "" {
		col = colGender
	}
	if gender != "" && (gender == "FEMALE") != id.Female() {
		c.fail(col, cellOf(c, col), "身份证号与性别不一致", "the 身份证号 does not match the gender")
	}
}

func cellOf(c *cells, col string) string { return c.s.get(c.r, col) }

func personChanged(p *personRec) bool {
	o := p.old
	switch {
	case p.setNo, p.name != o.Name:
		return true
	case p.gender != "" && (o.Gender == nil || string(*o.Gender) != p.gender):
		return true
	case p.birth != nil && !sameDay(p.birth, o.BirthDate):
		return true
	case p.ethnicity != "" && p.ethnicity != o.Ethnicity, p.title != "" && p.title != o.ProfessionalTitle:
		return true
	case p.education != "" && (o.Education == nil || string(*o.Education) != p.education):
		return true
	case p.political != "" && (o.PoliticalStatus == nil || string(*o.PoliticalStatus) != p.political):
		return true
	case p.phone != "" && p.phone != o.Phone, p.idNumber != "" && p.idNumber != o.IDNumber:
		return true
	case p.homeID != nil && !ptrEq(p.homeID, o.HomeVillageID):
		return true
	case p.inst.ok() && (p.inst.ID() == 0 || o.InstitutionID == nil || *o.InstitutionID != p.inst.ID()):
		return true
	case p.hasTags && !slices.Equal(p.tags, tagStrings(o.Tags)):
		return true
	case p.hasFields && !slices.Equal(p.fields, fieldStrings(o.Expertise)):
		return true
	}
	return false
}

// ---- 任职

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

// ---- 结对帮带

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

func rowAt(s *boundSheet, line int) Row {
	i := sort.Search(len(s.rows), func(i int) bool { return s.rows[i].Line >= line })
	if i < len(s.rows) && s.rows[i].Line == line {
		return s.rows[i]
	}
	return Row{Line: line}
}

// dupRow reports a key already used in the sheet.
func dupRow(c *cells, seen map[string]int, col, key string) bool {
	if key == "" {
		return false
	}
	if prev, dup := seen[key]; dup {
		c.fail(col, key, fmt.Sprintf("与第%d行编号重复", prev), fmt.Sprintf("same number as row %d", prev))
		return true
	}
	seen[key] = c.r.Line
	return false
}

// loadByKey loads the rows on file that the sheet's 编号 column names, by
// external_id, and those named by a generated key (prefix + ID).
func loadByKey[T any](imp *importer, kind SheetKind, prefix string,
	byExternal func([]string) ([]T, error), byID func([]int) ([]T, error),
	ident func(T) (*string, int),
) (map[string]T, map[int]T, error) {
	want := map[string]bool{}
	imp.column(kind, colNo, want)
	onFile, generated := map[string]T{}, map[int]T{}
	twice := map[string]bool{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		xs, err := byExternal(ks)
		for _, x := range xs {
			if ext, _ := ident(x); ext != nil {
				if _, dup := onFile[*ext]; dup {
					twice[*ext] = true
				}
				onFile[*ext] = x
			}
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	imp.ambiguous(twice, keyUse{kind, colNo})
	for k := range twice {
		delete(onFile, k)
	}
	ids := generatedIDs(prefix, want, func(k string) bool { _, ok := onFile[k]; return ok })
	err = chunked(ids, chunk, func(ids []int) error {
		xs, err := byID(ids)
		for _, x := range xs {
			_, id := ident(x)
			generated[id] = x
		}
		return err
	})
	return onFile, generated, err
}

// ---- 顾问聘任

func (imp *importer) appointmentsSheet() error {
	s := imp.sheets[Appointments]
	onFile, generated, err := loadByKey(imp, Appointments, "A",
		func(ks []string) ([]*ent.AdviserAppointment, error) {
			return imp.c.AdviserAppointment.Query().Where(adviserappointment.ExternalIDIn(ks...)).All(imp.ctx)
		},
		func(ids []int) ([]*ent.AdviserAppointment, error) {
			return imp.c.AdviserAppointment.Query().Where(adviserappointment.IDIn(ids...), adviserappointment.ExternalIDIsNil()).All(imp.ctx)
		},
		func(a *ent.AdviserAppointment) (*string, int) { return a.ExternalID, a.ID })
	if err != nil || s == nil {
		return err
	}
	seen := map[string]int{}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &apptRec{rec: rec{line: r.Line}}
		x.no = c.key(colNo)
		personNo := c.key(colPersonNo)
		villageCode := c.regionCode(colVillage)
		x.kind = c.word(colApptKind, appointmentKinds)
		start := c.date(colApptStart)
		x.end = c.date(colApptEnd)
		c.period(colApptStart, colApptEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		x.cert = c.text(colCertificate, 64)
		if x.person = imp.personRef(s, r.Line, colPersonNo, personNo); !x.person.ok() {
			c.bad = true
		}
		id, ok := imp.region(s, r.Line, colVillage, villageCode, "顾问聘任的村", region.LevelVILLAGE)
		x.villageID, c.bad = id, c.bad || !ok
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		imp.apptByNo[x.no] = x
		x.action = create
		x.old = onFile[x.no]
		if gid, ok := generatedKey("A", x.no); ok && x.old == nil && !x.bad {
			if g := generated[gid]; g != nil && g.PersonID == x.person.ID() && g.VillageID == x.villageID {
				x.old = g
			}
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if !x.bad && (o.PersonID != x.person.ID() || o.VillageID != x.villageID) {
				c.fail(colNo, x.no, "库中此编号的聘任人员或村不同，不能修改", "the appointment on file with this number has another person or village; they cannot be changed")
				x.bad = true
			}
			if string(o.Kind) != x.kind || day(o.StartDate) != day(x.start) || (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.cert != "" && x.cert != o.CertificateNo) {
				x.action = update
			}
		}
		imp.appts = append(imp.appts, x)
	}
	return nil
}

// apptRef resolves a 聘任编号: a row of the 顾问聘任 sheet, else an
// appointment on file; not ok when neither has it.
func (imp *importer) apptRef(key string, dbAppt map[string]*ent.AdviserAppointment) ref {
	if x := imp.apptByNo[key]; x != nil {
		return ref{&x.id}
	}
	if a := dbAppt[key]; a != nil {
		return dbRef(a.ID)
	}
	return ref{}
}

// ---- 联系记录

func (imp *importer) contactLogsSheet() error {
	s := imp.sheets[ContactLogs]
	if s == nil {
		return nil
	}
	dbAppt, err := imp.appointmentsOnFile(ContactLogs, colApptNo)
	if err != nil {
		return err
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &logRec{rec: rec{line: r.Line}}
		apptNo := c.key(colApptNo)
		date := c.date(colContactDate)
		if date != nil {
			x.date = *date
		}
		x.mode = c.word(colMode, contactModes)
		if by := c.key(colContactBy); by != "" {
			if x.contactBy = imp.personRef(s, r.Line, colContactBy, by); !x.contactBy.ok() {
				c.bad = true
			}
		}
		x.notes = c.text(colContent, 0)
		x.hasNotes = x.notes != ""
		if apptNo != "" {
			if x.appt = imp.apptRef(apptNo, dbAppt); !x.appt.ok() {
				c.fail(colApptNo, apptNo, "聘任编号在顾问聘任表和库中都不存在", "no adviser appointment with this number in the 顾问聘任 sheet or on file")
			}
		}
		x.bad = c.bad
		imp.logs = append(imp.logs, x)
	}
	// Match on (appointment, date, mode, contact person).
	logKey := func(appt any, date time.Time, mode string, by any) string {
		return fmt.Sprint(appt, "|", day(date), "|", mode, "|", by)
	}
	var appts []int
	for _, x := range imp.logs {
		if !x.bad && x.appt.ID() != 0 {
			appts = append(appts, x.appt.ID())
		}
	}
	onFile := map[string]*ent.ContactLog{}
	err = chunked(uniq(appts), chunk, func(ids []int) error {
		ls, err := imp.c.ContactLog.Query().Where(contactlog.AppointmentIDIn(ids...)).All(imp.ctx)
		for _, l := range ls {
			by := 0
			if l.ContactedByID != nil {
				by = *l.ContactedByID
			}
			onFile[logKey(l.AppointmentID, l.Date, string(l.Mode), by)] = l
		}
		return err
	})
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for _, x := range imp.logs {
		if x.bad {
			continue
		}
		var by any = 0
		if x.contactBy.ok() {
			by = x.contactBy.node()
		}
		k := logKey(x.appt.node(), x.date, x.mode, by)
		if prev, dup := seen[k]; dup {
			imp.problem(s, x.line, colContactDate, day(x.date), fmt.Sprintf("与第%d行是同一联系记录（聘任、日期、方式、联系人相同）", prev),
				fmt.Sprintf("the same contact as row %d (appointment, date, mode and contact person)", prev))
			x.bad = true
			continue
		}
		seen[k] = x.line
		x.action = create
		if x.old = onFile[k]; x.old != nil {
			x.id, x.action = x.old.ID, unchanged
			if x.hasNotes && x.notes != x.old.Notes {
				x.action = update
			}
		}
	}
	return nil
}

// appointmentsOnFile loads the appointments on file that a column names.
func (imp *importer) appointmentsOnFile(kind SheetKind, col string) (map[string]*ent.AdviserAppointment, error) {
	want := map[string]bool{}
	imp.column(kind, col, want)
	out := map[string]*ent.AdviserAppointment{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		as, err := imp.c.AdviserAppointment.Query().Where(adviserappointment.ExternalIDIn(ks...)).All(imp.ctx)
		for _, a := range as {
			out[*a.ExternalID] = a
		}
		return err
	})
	return out, err
}

// assignmentsOnFile loads the assignments on file that a column names.
func (imp *importer) assignmentsOnFile(kind SheetKind, col string) (map[string]*ent.ExpertAssignment, error) {
	want := map[string]bool{}
	imp.column(kind, col, want)
	out := map[string]*ent.ExpertAssignment{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		as, err := imp.c.ExpertAssignment.Query().Where(expertassignment.ExternalIDIn(ks...)).All(imp.ctx)
		for _, a := range as {
			out[*a.ExternalID] = a
		}
		return err
	})
	return out, err
}

// ---- 科技特派员选派

func (imp *importer) assignmentsSheet() error {
	s := imp.sheets[Assignments]
	onFile, generated, err := loadByKey(imp, Assignments, "E",
		func(ks []string) ([]*ent.ExpertAssignment, error) {
			return imp.c.ExpertAssignment.Query().Where(expertassignment.ExternalIDIn(ks...)).All(imp.ctx)
		},
		func(ids []int) ([]*ent.ExpertAssignment, error) {
			return imp.c.ExpertAssignment.Query().Where(expertassignment.IDIn(ids...), expertassignment.ExternalIDIsNil()).All(imp.ctx)
		},
		func(a *ent.ExpertAssignment) (*string, int) { return a.ExternalID, a.ID })
	if err != nil || s == nil {
		return err
	}
	seen := map[string]int{}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &assignRec{rec: rec{line: r.Line}}
		x.no = c.key(colNo)
		personNo := c.key(colPersonNo)
		code := c.regionCode(colServiceArea)
		x.fields, x.hasFields = c.list(colFields, fields)
		start := c.date(colStart)
		x.end = c.date(colEnd)
		c.period(colStart, colEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		if v := c.word(colAgreement, yesNo); v != "" {
			b := v == "true"
			x.agreement = &b
		}
		x.subsidy = c.count(colSubsidy)
		if x.expert = imp.personRef(s, r.Line, colPersonNo, personNo); !x.expert.ok() {
			c.bad = true
		}
		id, ok := imp.region(s, r.Line, colServiceArea, code, "科技特派员服务地区",
			region.LevelCOUNTY, region.LevelTOWNSHIP, region.LevelVILLAGE)
		x.regionID, c.bad = id, c.bad || !ok
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		imp.assignByNo[x.no] = x
		x.action = create
		x.old = onFile[x.no]
		if gid, ok := generatedKey("E", x.no); ok && x.old == nil && !x.bad {
			if g := generated[gid]; g != nil && g.ExpertID == x.expert.ID() && g.RegionID == x.regionID {
				x.old = g
			}
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if !x.bad && (o.ExpertID != x.expert.ID() || o.RegionID != x.regionID) {
				c.fail(colNo, x.no, "库中此编号的选派人员或服务地区不同，不能修改", "the assignment on file with this number has another expert or region; they cannot be changed")
				x.bad = true
			}
			if day(o.StartDate) != day(x.start) || (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.hasFields && !slices.Equal(x.fields, fieldStrings(o.Fields))) ||
				(x.agreement != nil && *x.agreement != o.AgreementSigned) ||
				(x.subsidy != nil && *x.subsidy != o.AnnualSubsidyYuan) {
				x.action = update
			}
		}
		imp.assigns = append(imp.assigns, x)
	}
	return nil
}

// ---- 服务记录

func (imp *importer) serviceRecordsSheet() error {
	s := imp.sheets[ServiceRecords]
	if s == nil {
		return nil
	}
	dbAssign, err := imp.assignmentsOnFile(ServiceRecords, colAssignmentNo)
	if err != nil {
		return err
	}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &serviceRec{rec: rec{line: r.Line}}
		no := c.key(colAssignmentNo)
		if d := c.date(colDate); d != nil {
			x.date = *d
		}
		x.kind = c.word(colKind, serviceKinds)
		x.beneficiaries = c.count(colBeneficiary)
		x.notes = c.text(colContent, 0)
		x.hasNotes = x.notes != ""
		if no != "" {
			if a := imp.assignByNo[no]; a != nil {
				x.assign = ref{&a.id}
			} else if a := dbAssign[no]; a != nil {
				x.assign = dbRef(a.ID)
			} else {
				c.fail(colAssignmentNo, no, "选派编号在科技特派员选派表和库中都不存在", "no expert assignment with this number in the 科技特派员选派 sheet or on file")
			}
		}
		x.bad = c.bad
		imp.services = append(imp.services, x)
	}
	key := func(assign any, date time.Time, kind string) string {
		return fmt.Sprint(assign, "|", day(date), "|", kind)
	}
	var ids []int
	for _, x := range imp.services {
		if !x.bad && x.assign.ID() != 0 {
			ids = append(ids, x.assign.ID())
		}
	}
	onFile := map[string]*ent.ServiceRecord{}
	err = chunked(uniq(ids), chunk, func(ids []int) error {
		rs, err := imp.c.ServiceRecord.Query().Where(servicerecord.AssignmentIDIn(ids...)).All(imp.ctx)
		for _, r := range rs {
			onFile[key(r.AssignmentID, r.Date, string(r.Kind))] = r
		}
		return err
	})
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for _, x := range imp.services {
		if x.bad {
			continue
		}
		k := key(x.assign.node(), x.date, x.kind)
		if prev, dup := seen[k]; dup {
			imp.problem(s, x.line, colDate, day(x.date), fmt.Sprintf("与第%d行是同一服务记录（选派、日期、类型相同）", prev),
				fmt.Sprintf("the same service record as row %d (assignment, date and kind)", prev))
			x.bad = true
			continue
		}
		seen[k] = x.line
		x.action = create
		if x.old = onFile[k]; x.old != nil {
			x.id, x.action = x.old.ID, unchanged
			if (x.hasNotes && x.notes != x.old.Notes) || (x.beneficiaries != nil && int(*x.beneficiaries) != x.old.Beneficiaries) {
				x.action = update
			}
		}
	}
	return nil
}

// ---- 需求清单

func (imp *importer) demandsSheet() error {
	s := imp.sheets[Demands]
	onFile, generated, err := loadByKey(imp, Demands, "D",
		func(ks []string) ([]*ent.Demand, error) {
			return imp.c.Demand.Query().Where(demand.ExternalIDIn(ks...)).All(imp.ctx)
		},
		func(ids []int) ([]*ent.Demand, error) {
			return imp.c.Demand.Query().Where(demand.IDIn(ids...), demand.ExternalIDIsNil()).All(imp.ctx)
		},
		func(d *ent.Demand) (*string, int) { return d.ExternalID, d.ID })
	if err != nil || s == nil {
		return err
	}
	seen := map[string]int{}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &demandRec{rec: rec{line: r.Line}}
		x.no = c.key(colNo)
		code := c.regionCode(colRegion)
		x.field = c.word(colFields, fields)
		x.description = c.text(colDescription, 0)
		x.status = c.word(colStatus, demandStatuses)
		id, ok := imp.region(s, r.Line, colRegion, code, "需求所在地区", region.LevelCOUNTY, region.LevelTOWNSHIP, region.LevelVILLAGE)
		x.regionID, c.bad = id, c.bad || !ok
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		x.action = create
		x.old = onFile[x.no]
		if gid, ok := generatedKey("D", x.no); ok && x.old == nil && !x.bad {
			if g := generated[gid]; g != nil && g.RegionID == x.regionID {
				x.old = g
			}
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if !x.bad && o.RegionID != x.regionID {
				c.fail(colRegion, code, "库中此编号的需求属于其他地区，地区不能修改", "the demand on file with this number is in another region; the region cannot be changed")
				x.bad = true
			}
			if string(o.Field) != x.field || o.Description != x.description || (x.status != "" && x.status != string(o.Status)) {
				x.action = update
			}
		}
		imp.demands = append(imp.demands, x)
	}
	return nil
}

// ---- 成效

func (imp *importer) contributionsSheet() error {
	s := imp.sheets[Contributions]
	onFile, generated, err := loadByKey(imp, Contributions, "C",
		func(ks []string) ([]*ent.Contribution, error) {
			return imp.c.Contribution.Query().Where(contribution.ExternalIDIn(ks...)).All(imp.ctx)
		},
		func(ids []int) ([]*ent.Contribution, error) {
			return imp.c.Contribution.Query().Where(contribution.IDIn(ids...), contribution.ExternalIDIsNil()).All(imp.ctx)
		},
		func(c *ent.Contribution) (*string, int) { return c.ExternalID, c.ID })
	if err != nil || s == nil {
		return err
	}
	dbAppt, err := imp.appointmentsOnFile(Contributions, colSourceNo)
	if err != nil {
		return err
	}
	dbAssign, err := imp.assignmentsOnFile(Contributions, colSourceNo)
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for _, r := range s.rows {
		c := imp.rowCells(s, r)
		x := &contribRec{rec: rec{line: r.Line}}
		x.no = c.key(colNo)
		source := c.key(colSourceNo)
		code := c.regionCode(colVillage)
		x.kind = c.word(colKind, contributionKinds)
		x.amount = c.count(colAmount)
		if d := c.date(colDate); d != nil {
			x.date = *d
		}
		x.description = c.text(colRemark, 0)
		x.hasDescription = x.description != ""
		if source != "" {
			x.appt = imp.apptRef(source, dbAppt)
			if a := imp.assignByNo[source]; a != nil {
				x.assign = ref{&a.id}
			} else if a := dbAssign[source]; a != nil {
				x.assign = dbRef(a.ID)
			}
			switch {
			case x.appt.ok() && x.assign.ok():
				c.fail(colSourceNo, source, "此编号既是聘任编号又是选派编号，无法确定来源", "this number is both an appointment and an assignment; the source is unclear")
			case !x.appt.ok() && !x.assign.ok():
				c.fail(colSourceNo, source, "来源编号不是已有的聘任编号或选派编号", "no adviser appointment or expert assignment has this number")
			}
		}
		id, ok := imp.region(s, r.Line, colVillage, code, "成效所在村", region.LevelVILLAGE)
		x.villageID, c.bad = id, c.bad || !ok
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		x.action = create
		x.old = onFile[x.no]
		sameSource := func(o *ent.Contribution) bool {
			return o.VillageID == x.villageID && ptrEq(o.AppointmentID, idOf(x.appt)) && ptrEq(o.AssignmentID, idOf(x.assign))
		}
		if gid, ok := generatedKey("C", x.no); ok && x.old == nil && !x.bad {
			if g := generated[gid]; g != nil && sameSource(g) {
				x.old = g
			}
		}
		if o := x.old; o != nil {
			x.id, x.action = o.ID, unchanged
			if !x.bad && !sameSource(o) {
				c.fail(colNo, x.no, "库中此编号的成效来源或村不同，不能修改", "the contribution on file with this number has another source or village; they cannot be changed")
				x.bad = true
			}
			if string(o.Kind) != x.kind || day(o.Date) != day(x.date) || (x.amount != nil && *x.amount != o.AmountYuan) ||
				(x.hasDescription && x.description != o.Description) {
				x.action = update
			}
		}
		imp.contribs = append(imp.contribs, x)
	}
	return nil
}

// idOf is the ID a reference stands for, nil for no reference (or a row not
// yet written, which nothing on file can point at).
func idOf(r ref) *int {
	if !r.ok() || r.ID() == 0 {
		return nil
	}
	id := r.ID()
	return &id
}

func uniq(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func tagStrings(ts []vocabTag) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

func fieldStrings(fs []vocabField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
