package roster

import (
	"fmt"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/institution"
	"yanzhen/regioncode"
	"yanzhen/rules"
)

// Validation of the 机构 sheet.

func (imp *importer) institutions() error {
	s := imp.sheets[Institutions]
	want := map[string]bool{}
	imp.column(Institutions, colInstNo, want)
	imp.column(People, colInstitution, want)
	imp.column(Posts, colSendingInst, want)
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
			if id, ok := imp.region(s, r.Line, colRegionCode, x.regionCode, rules.Institution); ok {
				x.regionID = &id
			} else {
				c.bad = true
			}
		}
		x.bad = c.bad
		if x.no != "" {
			if prev := imp.instByNo[x.no]; prev != nil {
				imp.problemAs(KindDuplicateNumber, s, r.Line, colInstNo, x.no, fmt.Sprintf("与第%d行编号重复", prev.line), fmt.Sprintf("same number as row %d", prev.line))
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
	return imp.keepForeignInstitutions(s)
}

// keepForeignInstitutions leaves alone the institutions on file that the
// roster would change but the viewer may not: institutions are a directory
// every admin reads and adds to, but an entry is changed by the admins of
// its place. A county's roster names its partner universities as it knows
// them; a difference from the directory is reported, not a refusal.
func (imp *importer) keepForeignInstitutions(s *boundSheet) error {
	v := auth.FromContext(imp.ctx)
	if v.System() || (v.Is(auth.RoleAdmin) && v.Scope == "") {
		return nil
	}
	var ids []int
	for _, x := range imp.insts {
		if x.action == update {
			ids = append(ids, x.id)
		}
	}
	mine := map[int]bool{}
	err := chunked(ids, chunk, func(ids []int) error {
		found, err := imp.c.Institution.Query().Where(institution.IDIn(ids...), institution.HasRegionWith(regioncode.Within(v.Scope))).IDs(imp.ctx)
		for _, id := range found {
			mine[id] = true
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, x := range imp.insts {
		if x.action == update && !mine[x.id] {
			x.action = unchanged
			imp.warn(s.name, x.line, colName, x.name, "该机构不在您的管辖范围内，库中信息保持不变",
				"the institution is outside your area: its entry on file is kept as it is")
		}
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
	imp.problemAs(KindUnknownReference, s, line, col, key, "机构编号在机构表和库中都不存在", "no institution with this number in the 机构 sheet or on file")
	return ref{}
}
