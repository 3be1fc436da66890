package roster

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/i18n"
	"yanzhen/pii"
	"yanzhen/regioncode"
	"yanzhen/rules"
)

// A county's 花名册 is often one flat sheet: a row per person with their
// current post — 序号, 姓名, 性别, 出生年月 … 现任职务, 任职时间, 所在村,
// 联系电话, 身份证号, 备注. Such a sheet is read here into the format's own
// 人员 and 任职 sheets: every flat row becomes a 人员 row and one 任职 row
// per post its 职务 names. The rows keep their lines and the sheets the flat
// sheet's name, and each column is bound to the flat sheet's own cell (or,
// for what is derived, to the cell it is derived from: cellAt), so all of
// validation, identity matching, dry runs, reports and the annotated
// workbook work on it unchanged and point at the user's cells.

// The flat roster's own columns (the others are those of 人员 and 任职).
const (
	colFlatVillage  = "所在村"
	colFlatTownship = "所在乡镇"
	colFlatSeq      = "序号"
	colFlatNote     = "备注"
)

// flatNames are the sheet names (and column-mapping kinds) of a flat roster.
var flatNames = []string{"花名册", "flat", "flat_roster"}

func isFlatName(name string) bool {
	k := headerKey(name)
	for _, n := range flatNames {
		if headerKey(n) == k {
			return true
		}
	}
	return false
}

// flatDef is the flat roster as a sheet: the 人员 columns (but 所在村代码:
// 所在村 is where the post is), 职务, 任职时间 (开始日期), 离任时间
// (结束日期), 后备类别, 所在村 and 所在乡镇 by name or code, and 序号 and
// 备注, which are not imported (without a warning). It is not one of the
// format's sheets (Sheets): a roster is written in the format.
var flatDef = SheetDef{Kind: -1, Name: flatNames[0], Aliases: flatNames[1:], Columns: flatColumns()}

func flatColumns() []Column {
	var cols []Column
	for _, c := range Sheets[People].Columns {
		switch c.Name {
		case colHomeVillage:
			continue
		case colPersonNo:
			// A flat sheet's 编号 is its 序号: counting rows, not people.
			c.Synonyms = []string{"人员代码"}
		}
		cols = append(cols, c)
	}
	// Only the start or end words: a flat sheet's 日期 or 时间 is no one's.
	noEither := func(c Column) Column {
		c.Synonyms = slices.DeleteFunc(slices.Clone(c.Synonyms), func(s string) bool { return slices.Contains(eitherEnd, s) })
		return c
	}
	posts := &Sheets[Posts]
	role := *posts.column(colRole)
	role.words = nil // read by readPostTitle
	role.Synonyms = append(slices.Clone(role.Synonyms), "现职务", "职务名称", "现任职务名称", "现任村职务")
	role.Note = "如 党支部书记、村委会主任（一肩挑）、副书记、委员、后备干部（书记培养对象）；多个以、或，分隔"
	start := noEither(*posts.column(colStart))
	start.Synonyms = append(start.Synonyms, "任现职务时间", "现任职务时间", "任职年月")
	cols = append(cols, role, start, noEither(*posts.column(colEnd)), *posts.column(colReserveList),
		Column{Name: colFlatVillage, Synonyms: []string{"村名", "村", "村(社区)", "所在村(社区)", "所在嘎查村", "嘎查村", "所在村居", "村名称", "任职村", "村代码", "所在村代码", "村级区划代码"},
			Note: "村名（在标题、所在乡镇或导入地区之下查找）或12位村级区划代码；空则取标题或工作表名中的村"},
		Column{Name: colFlatTownship, Synonyms: []string{"乡镇", "乡镇(街道)", "所在乡镇(街道)", "乡镇名称", "所属乡镇", "苏木乡镇", "所在苏木乡镇", "乡(镇)"}},
		Column{Name: colFlatSeq, Synonyms: []string{"编号", "序"}},
		Column{Name: colFlatNote, Synonyms: []string{"说明"}},
	)
	return cols
}

// flatSheet is a bound flat roster: the rows below its header, and its
// title (the sheet name and the rows above the header), which may name the
// township or village the sheet is about.
type flatSheet struct {
	*boundSheet
	title string
	// lost are the rows whose village was not found (and reported): their
	// posts' empty 地区代码 is not reported again.
	lost map[int]bool
}

// looksFlat: a sheet of no kind of the format is a flat roster when its
// header names 姓名 and 职务.
func looksFlat(s *Sheet, ms []*mappingEntry) bool {
	sms := forSheet(ms, s.Name, &flatDef)
	header, _, _, _ := headerRow(&flatDef, s, sms)
	has := map[string]bool{}
	for _, hc := range readHeader(&flatDef, header, sms) {
		if len(hc.cols) == 1 {
			has[hc.cols[0].Name] = true
		}
	}
	return has[colPersonName] && has[colRole]
}

// bindFlat binds a flat roster sheet. One per roster: its rows become the
// roster's 人员 and 任职 sheets.
func (imp *importer) bindFlat(s *Sheet, ms []*mappingEntry) {
	if imp.flat != nil {
		imp.problemAs(KindSheet, &boundSheet{name: s.Name}, 0, "", "",
			"一次只能导入一张花名册（已有「"+imp.flat.name+"」）；请分开导入或合并为一张",
			"one flat roster per import ("+imp.flat.name+" is one); import them one by one or join them")
		return
	}
	b, line, bad := imp.bindColumns(s, &flatDef, forSheet(ms, s.Name, &flatDef))
	if bad {
		b.rows = nil
	}
	title := []string{s.Name}
	if line > 1 {
		title = append(title, s.Header...)
	}
	for _, r := range s.Rows {
		if r.Line < line {
			title = append(title, r.Cells...)
		}
	}
	imp.flat = &flatSheet{boundSheet: b, title: strings.Join(title, " "), lost: map[int]bool{}}
}

// flatten reads the flat roster, if any, into the 人员 and 任职 sheets.
func (imp *importer) flatten() error {
	f := imp.flat
	if f == nil {
		return nil
	}
	for _, k := range []SheetKind{People, Posts} {
		if prev := imp.sheets[k]; prev != nil {
			imp.problemAs(KindSheet, &boundSheet{name: f.name}, 0, "", "",
				"花名册不能与「"+prev.name+"」工作表一起导入；请分开导入",
				"a flat roster cannot be imported together with the sheet "+prev.name+"; import them one by one")
			return nil
		}
	}
	imp.counts[People] = &SheetCount{Sheet: Sheets[People].Name}
	imp.counts[Posts] = &SheetCount{Sheet: Sheets[Posts].Name}
	villages, err := imp.flatVillages(f)
	if err != nil {
		return err
	}
	// The derived cells go after the sheet's own: 人员编号, 地区代码, 职务
	// and 后备类别 as the format writes them.
	w := len(f.header)
	for _, r := range f.rows {
		w = max(w, len(r.Cells))
	}
	at := func(col string, or int) int {
		if i, ok := f.idx[col]; ok {
			return i
		}
		return or
	}
	nameAt, roleAt := at(colPersonName, -1), at(colRole, -1)
	people := &boundSheet{def: &Sheets[People], name: f.name, idx: map[string]int{}, header: f.header, cellAt: map[string]int{}}
	for _, c := range Sheets[People].Columns {
		if i, ok := f.idx[c.Name]; ok {
			people.idx[c.Name] = i
		}
	}
	people.idx[colPersonNo], people.cellAt[colPersonNo] = w, at(colPersonNo, nameAt)
	posts := &boundSheet{def: &Sheets[Posts], name: f.name, idx: map[string]int{
		colPersonNo: w, colRegion: w + 1, colRole: w + 2, colReserveList: w + 3,
	}, header: f.header, cellAt: map[string]int{
		colPersonNo: at(colPersonNo, nameAt), colRegion: at(colFlatVillage, -1), colRole: roleAt,
		colReserveList: at(colReserveList, roleAt),
	}}
	for _, col := range []string{colStart, colEnd} {
		if i, ok := f.idx[col]; ok {
			posts.idx[col] = i
		}
	}
	for _, r := range f.rows {
		cells := make([]string, w+4)
		copy(cells, r.Cells)
		if nameAt >= 0 && nameAt < len(r.Cells) {
			cells[nameAt] = spacedName(r.Cells[nameAt])
		}
		code, found := villages[r.Line]
		if !found {
			f.lost[r.Line] = true
		}
		no := f.get(r, colPersonNo)
		if no == "" {
			no = flatKey(code, f.get(r, colFlatVillage), f.get(r, colPersonName), f.get(r, colIDNumber), f.get(r, colBirthDate))
		}
		cells[w] = no
		people.rows = append(people.rows, Row{Line: r.Line, Cells: cells})
		list := f.get(r, colReserveList)
		ps := imp.flatPosts(f, r)
		reserve := slices.ContainsFunc(ps, func(p flatPost) bool { return p.role == roleReserve })
		for _, p := range ps {
			pc := slices.Clone(cells)
			pc[w+1], pc[w+2] = code, postRoles.chinese(p.role)
			switch {
			case p.reserve != "":
				pc[w+3] = reserveLists.chinese(p.reserve)
			case p.role == roleReserve || !reserve:
				// The 后备类别 column's word, checked as the 任职 sheet's
				// (required for a reserve, refused for another post).
				pc[w+3] = list
			}
			posts.rows = append(posts.rows, Row{Line: r.Line, Cells: pc})
		}
	}
	imp.sheets[People], imp.sheets[Posts] = people, posts
	return nil
}

// flatKey is the 人员编号 of a flat row without one: the village's code (or
// its name, while unknown), the name without spaces, and the birth month
// (the ID number's when it has one, else the 出生年月's), e.g.
// 150221105220-张三-197107. The same row imported again has the same key,
// so it matches the person it made (the key is kept as the source's key,
// and as the person's number while they have none).
func flatKey(code, village, name, idNumber, birth string) string {
	if code == "" {
		code = strings.Join(strings.Fields(village), "")
	}
	name = strings.Join(strings.Fields(name), "")
	if utf8.RuneCountInString(name) > 32 {
		name = string([]rune(name)[:32])
	}
	month := ""
	if id, err := pii.ParseIDNumber(idNumber); err == nil {
		month = string(id)[6:12]
	} else if t, _, ok := parseDateMonth(birth); ok {
		month = t.Format("200601")
	}
	k := code + "-" + name
	if month != "" {
		k += "-" + month
	}
	return k
}

// spacedName is a name without the spaces a roster aligns two-character
// names with (张  三 is 张三); a name with Latin letters keeps its spaces.
func spacedName(name string) string {
	f := strings.Fields(name)
	for _, w := range f {
		for _, r := range w {
			if !unicode.Is(unicode.Han, r) && r != '·' && r != '•' {
				return name
			}
		}
	}
	return strings.Join(f, "")
}

// Post roles and reserve lists by their codes.
const (
	roleSecretary   = "PARTY_SECRETARY"
	roleDirector    = "COMMITTEE_DIRECTOR"
	roleBoth        = "SECRETARY_AND_DIRECTOR"
	roleDeputy      = "DEPUTY_SECRETARY"
	roleMember      = "COMMITTEE_MEMBER"
	roleReserve     = "RESERVE_CADRE"
	roleFirst       = "FIRST_SECRETARY"
	roleWorkTeam    = "WORK_TEAM_MEMBER"
	roleCEO         = "VILLAGE_CEO"
	roleInstructor  = "VILLAGE_INSTRUCTOR"
	listSecretary   = "SECRETARY_CANDIDATE"
	listCommittee   = "COMMITTEE_CANDIDATE"
	listBackbone    = "BACKBONE_MEMBER"
	postTitleSplits = "、，,/;；兼及+"
)

// flatPost is one post a 职务 cell names.
type flatPost struct{ role, reserve string }

// unrecordedPosts are offices a village roster lists that are not posts
// of the talent graph (村务监督委员会, 妇联, 共青团, 民兵, and staff such as
// 文书 and 会计): read, and left out with a warning. They are looked for
// before the words of the posts they contain (团支部书记 is no party
// secretary, 监委会主任 no director).
var unrecordedPosts = []string{
	"监委", "监督委员会", "监事", "妇联", "妇代会", "妇女", "团支部", "团委", "团总支", "共青团", "民兵", "治保", "调解",
	"文书", "会计", "出纳", "报账员", "网格员", "计生", "专干", "助理", "名誉", "顾问", "经济合作社", "合作社",
}

// readPostTitle reads a 职务 cell: the posts it names (several separated
// by 、，/ or 兼; 一肩挑 in the cell, or a secretary who is also the
// director, is the one post 书记主任一肩挑), the words it names that are
// not posts of the talent graph, and the words it does not know.
func readPostTitle(cell string) (posts []flatPost, unrecorded, unknown []string) {
	parts := postTitleParts(cell)
	both, secretary, director := false, false, false
	add := func(p flatPost) {
		if !slices.Contains(posts, p) {
			posts = append(posts, p)
		}
	}
	for _, p := range parts {
		// The village bodies outside 两委 (村务监督委员会, 合作社) stay
		// unrecorded here, whatever their wording (the 任职 sheet carries them).
		if code, _, ok := postRoles.code(p); ok && !slices.Contains(rules.RehireRoles, code) {
			switch code {
			case roleSecretary:
				secretary = true
			case roleDirector:
				director = true
			case roleBoth:
				both = true
			default:
				add(flatPost{role: code})
			}
			continue
		}
		if code, _, ok := reserveLists.code(p); ok {
			add(flatPost{roleReserve, code})
			continue
		}
		has := func(ws ...string) bool {
			for _, w := range ws {
				if strings.Contains(strings.ToUpper(p), w) {
					return true
				}
			}
			return false
		}
		switch {
		case has("一肩挑"):
			both = true
		case has("第一书记"):
			add(flatPost{role: roleFirst})
		case has("工作队", "驻村队员", "驻村干部"):
			add(flatPost{role: roleWorkTeam})
		case has("CEO"):
			add(flatPost{role: roleCEO})
		case has("指导员"):
			add(flatPost{role: roleInstructor})
		case has("后备", "培养对象", "储备", "骨干党员"):
			list := ""
			switch {
			case has("骨干党员"):
				list = listBackbone
			case has("书记", "主职", "带头人"):
				list = listSecretary
			case has("两委", "村干部", "委员"):
				list = listCommittee
			}
			add(flatPost{roleReserve, list})
		case has(unrecordedPosts...):
			unrecorded = append(unrecorded, p)
		case has("副书记"):
			add(flatPost{role: roleDeputy})
		case has("副主任", "副村长", "副嘎查达"):
			add(flatPost{role: roleMember})
		case has("书记"):
			secretary = true
		case has("主任", "村长", "嘎查达"):
			director = true
		case has("委员", "支委", "村委", "两委", "班子成员"):
			add(flatPost{role: roleMember})
		default:
			unknown = append(unknown, p)
		}
	}
	// 后备干部 and 书记培养对象 in one cell are one reserve, on that list.
	if slices.ContainsFunc(posts, func(p flatPost) bool { return p.role == roleReserve && p.reserve != "" }) {
		posts = slices.DeleteFunc(posts, func(p flatPost) bool { return p.role == roleReserve && p.reserve == "" })
	}
	switch {
	case both || secretary && director:
		posts = append([]flatPost{{role: roleBoth}}, posts...)
	case secretary:
		posts = append([]flatPost{{role: roleSecretary}}, posts...)
	case director:
		posts = append([]flatPost{{role: roleDirector}}, posts...)
	}
	return posts, unrecorded, unknown
}

// postTitleParts splits a 职务 cell into its words. A bracket holds words
// of their own (书记、主任（一肩挑）) — except after a reserve, where it says
// which (后备干部（书记培养对象）, 村级后备力量（两委）) and stays with it.
func postTitleParts(cell string) []string {
	s := width.Fold.String(cell)
	s = strings.Join(strings.Fields(s), "")
	for _, b := range [][2]string{{"[", "]"}, {"【", "】"}, {"〔", "〕"}, {"《", "》"}} {
		s = strings.ReplaceAll(strings.ReplaceAll(s, b[0], "("), b[1], ")")
	}
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(postTitleSplits, r) })
	}
	var parts []string
	for s != "" {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			parts = append(parts, split(s)...)
			break
		}
		parts = append(parts, split(s[:open])...)
		rest := s[open+1:]
		inner := rest
		if end := strings.IndexByte(rest, ')'); end >= 0 {
			inner, s = rest[:end], rest[end+1:]
		} else {
			s = ""
		}
		if n := len(parts); n > 0 && isReserveWord(parts[n-1]) {
			parts[n-1] += inner
			continue
		}
		parts = append(parts, split(inner)...)
	}
	return parts
}

func isReserveWord(s string) bool {
	for _, w := range []string{"后备", "培养", "储备"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// flatPosts reads a row's 职务 and reports what it cannot read on its cell.
func (imp *importer) flatPosts(f *flatSheet, r Row) []flatPost {
	cell := f.get(r, colRole)
	if cell == "" {
		imp.problemAs(KindMissingValue, f.boundSheet, r.Line, colRole, "", "职务为空（花名册每行是一人及其现任职务）",
			"no post (each row of a flat roster is a person and their current post)")
		return nil
	}
	posts, unrecorded, unknown := readPostTitle(cell)
	for _, w := range unknown {
		imp.problemAs(KindPostTitle, f.boundSheet, r.Line, colRole, w,
			"无法识别的职务「"+w+"」；可写 "+postRoles.list()+"，多个以、分隔",
			"a post title Yanzhen does not know: "+w+"; write one of "+postRoles.list()+", several separated by 、")
	}
	for _, w := range unrecorded {
		imp.rep.Warnings = append(imp.rep.Warnings, Problem{
			Sheet: f.name, Row: r.Line, Column: colRole, Value: w, Kind: KindPostTitle, Cell: cellName(f.boundSheet, r.Line, colRole),
			Text: i18n.Text{
				Zh: "「" + w + "」不是人才库记录的职务，未导入为任职",
				En: w + " is not a post the talent roster keeps; not imported as a post",
			},
		})
	}
	return posts
}

// The suffixes of region names: a title's words ending in one may be a
// region (土默特右旗, 萨拉齐镇, 大库联村).
var regionSuffixes = []string{"省", "自治区", "市", "盟", "州", "县", "旗", "区", "镇", "乡", "苏木", "街道", "村", "嘎查", "社区"}

// titleWords are the title's substrings that end in a region suffix, the
// names a title may give.
func titleWords(title string) []string {
	rs := []rune(width.Fold.String(strings.Join(strings.Fields(title), "")))
	seen := map[string]bool{}
	for j := 1; j <= len(rs); j++ {
		end := string(rs[:j])
		suffix := false
		for _, s := range regionSuffixes {
			suffix = suffix || strings.HasSuffix(end, s)
		}
		if !suffix {
			continue
		}
		for i := max(0, j-20); i < j-1; i++ {
			seen[string(rs[i:j])] = true
		}
	}
	return keys(seen)
}

// villageNames are the names a 所在村 cell may mean: as written, or with
// the suffix it left off (大库联 is 大库联村).
func villageNames(cell string) []string {
	n := strings.Join(strings.Fields(width.Fold.String(cell)), "")
	return []string{n, n + "村", n + "嘎查", n + "社区"}
}

func townshipNames(cell string) []string {
	n := strings.Join(strings.Fields(width.Fold.String(cell)), "")
	return []string{n, n + "镇", n + "乡", n + "苏木", n + "街道"}
}

// under: the region lies in one of areas (all of them when there are none).
func under(r *ent.Region, areas []*ent.Region) bool {
	if len(areas) == 0 {
		return true
	}
	for _, a := range areas {
		if strings.HasPrefix(r.Code, a.Code) {
			return true
		}
	}
	return false
}

// flatVillages finds the village of each flat row: the 所在村 cell's code,
// or the village of that name under the row's 所在乡镇, else under the
// areas the title names or the import was given (ImportOptions.Region),
// within the importer's scope; a row without 所在村 takes the village the
// title names. What it cannot find, or finds more than once, is reported on
// the cell. It returns the code by row.
func (imp *importer) flatVillages(f *flatSheet) (map[int]string, error) {
	v := auth.FromContext(imp.ctx)
	// Regions the importer may name: in its scope; areas may also be
	// above it (a township's clerk's sheet titled with the county).
	inScope := func(r *ent.Region) bool { return v.Covers(r.Code) }
	aboveOrIn := func(r *ent.Region) bool { return v.Covers(r.Code) || strings.HasPrefix(v.Scope, r.Code) }
	byName := func(names []string, levels ...region.Level) ([]*ent.Region, error) {
		var out []*ent.Region
		err := chunked(names, chunk, func(ns []string) error {
			rs, err := imp.c.Region.Query().Where(region.NameIn(ns...), region.LevelIn(levels...)).All(imp.ctx)
			out = append(out, rs...)
			return err
		})
		return out, err
	}

	// The areas: the import's region, and the deepest regions the title
	// names above the village level.
	var areas []*ent.Region
	if imp.flatRegion != "" {
		r, err := imp.c.Region.Query().Where(region.Code(imp.flatRegion)).Only(imp.ctx)
		switch {
		case ent.IsNotFound(err):
			imp.problemAs(KindUnknownRegion, &boundSheet{name: f.name}, 0, "", imp.flatRegion,
				"导入指定的地区代码在库中不存在", "the region the import names is not on file")
		case err != nil:
			return nil, err
		default:
			areas = append(areas, r)
		}
	}
	named, err := byName(titleWords(f.title), region.LevelPROVINCE, region.LevelCITY, region.LevelCOUNTY,
		region.LevelTOWNSHIP, region.LevelVILLAGE)
	if err != nil {
		return nil, err
	}
	var titled, titleVillages []*ent.Region
	for _, r := range named {
		switch {
		case !aboveOrIn(r) || !under(r, areas):
		case r.Level == region.LevelVILLAGE:
			titleVillages = append(titleVillages, r)
		default:
			titled = append(titled, r)
		}
	}
	for _, r := range titled {
		deepest := !slices.ContainsFunc(titled, func(o *ent.Region) bool {
			return o.Code != r.Code && strings.HasPrefix(o.Code, r.Code)
		})
		if deepest && !slices.ContainsFunc(areas, func(a *ent.Region) bool { return strings.HasPrefix(a.Code, r.Code) }) {
			areas = append(areas, r)
		}
	}
	titleVillages = slices.DeleteFunc(titleVillages, func(r *ent.Region) bool { return !under(r, areas) || !inScope(r) })

	// The townships and villages the rows name.
	var townNames, villNames []string
	for _, r := range f.rows {
		if t := f.get(r, colFlatTownship); t != "" {
			townNames = append(townNames, townshipNames(t)...)
		}
		if c := f.get(r, colFlatVillage); c != "" && !regioncode.Valid(c) {
			villNames = append(villNames, villageNames(c)...)
		}
	}
	towns, err := byName(uniqStrings(townNames), region.LevelTOWNSHIP)
	if err != nil {
		return nil, err
	}
	towns = slices.DeleteFunc(towns, func(r *ent.Region) bool { return !aboveOrIn(r) || !under(r, areas) })
	villages, err := byName(uniqStrings(villNames), region.LevelVILLAGE)
	if err != nil {
		return nil, err
	}
	villages = slices.DeleteFunc(villages, func(r *ent.Region) bool { return !inScope(r) || !under(r, areas) })
	// The townships of the villages, to name them when a name is ambiguous.
	parents := map[string]string{}
	var parentCodes []string
	for _, r := range villages {
		parentCodes = append(parentCodes, r.Code[:9])
	}
	err = chunked(uniqStrings(parentCodes), chunk, func(cs []string) error {
		rs, err := imp.c.Region.Query().Where(region.CodeIn(cs...)).All(imp.ctx)
		for _, r := range rs {
			parents[r.Code] = r.Name
		}
		return err
	})
	if err != nil {
		return nil, err
	}

	where := "您的管理范围内"
	whereEn := "within your scope"
	if len(areas) > 0 {
		where, whereEn = regionNames(areas), regionNames(areas)
	}
	out := map[int]string{}
	for _, r := range f.rows {
		cell := f.get(r, colFlatVillage)
		switch {
		case regioncode.Valid(cell):
			out[r.Line] = cell // a code: checked as the 任职 sheet's
			continue
		case cell == "" && len(titleVillages) == 1:
			out[r.Line] = titleVillages[0].Code
			continue
		case cell == "":
			zh, en := "未写所在村，标题和工作表名中也没有（唯一的）村名", "no village: the row names none, nor do the sheet's title and name (one village)"
			if len(titleVillages) > 1 {
				zh, en = "未写所在村，标题中的村名有多个同名村："+regionNames(titleVillages), "no village: the row names none, and the title's village has namesakes: "+regionNames(titleVillages)
			}
			imp.problemAs(KindMissingValue, f.boundSheet, r.Line, colFlatVillage, "", zh, en)
			continue
		}
		in, inEn := where, whereEn
		scope := areas
		if t := f.get(r, colFlatTownship); t != "" {
			names := townshipNames(t)
			scope = slices.DeleteFunc(slices.Clone(towns), func(x *ent.Region) bool { return !slices.Contains(names, x.Name) })
			if len(scope) == 0 {
				imp.problemAs(KindUnknownRegion, f.boundSheet, r.Line, colFlatTownship, t,
					"在"+where+"没有名为「"+t+"」的乡镇", "no township named "+t+" "+inEn)
				continue
			}
			in, inEn = regionNames(scope), regionNames(scope)
		}
		names := villageNames(cell)
		var found []*ent.Region
		for _, x := range villages {
			if slices.Contains(names, x.Name) && under(x, scope) {
				found = append(found, x)
			}
		}
		switch len(found) {
		case 1:
			out[r.Line] = found[0].Code
		case 0:
			imp.problemAs(KindUnknownRegion, f.boundSheet, r.Line, colFlatVillage, cell,
				"在"+in+"没有名为「"+cell+"」的村（请核对村名，或填写所在乡镇、12位村代码）",
				"no village named "+cell+" "+inEn+" (check the name, or give the township or the 12-digit code)")
		default:
			var towns []string
			for _, x := range found {
				towns = append(towns, parents[x.Code[:9]]+x.Name+"（"+x.Code+"）")
			}
			sort.Strings(towns)
			imp.problemAs(KindAmbiguousRegion, f.boundSheet, r.Line, colFlatVillage, cell,
				"有多个名为「"+cell+"」的村："+strings.Join(towns, "、")+"；请填写所在乡镇或12位村代码",
				fmt.Sprintf("%d villages are named %s: %s; give the township (所在乡镇) or the 12-digit code", len(found), cell, strings.Join(towns, ", ")))
		}
	}
	return out, nil
}

func regionNames(rs []*ent.Region) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	sort.Strings(out)
	return strings.Join(slices.Compact(out), "、")
}

func uniqStrings(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}

// dedupeFlat drops the repeats of a problem: a flat row read as two posts
// reports what is wrong with its shared cells (person, 任职时间) once, and
// a village not found is reported on its 所在村 only.
func (imp *importer) dedupeFlat() {
	if imp.flat == nil {
		return
	}
	type key struct {
		sheet, col, value, cell, zh string
		row                         int
		kind                        Kind
	}
	seen := map[key]bool{}
	imp.rep.Problems = slices.DeleteFunc(imp.rep.Problems, func(p Problem) bool {
		if p.Column == colRegion && p.Kind == KindMissingValue && imp.flat.lost[p.Row] {
			return true
		}
		k := key{p.Sheet, p.Column, p.Value, p.Cell, p.Text.Zh, p.Row, p.Kind}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}
