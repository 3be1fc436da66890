package roster

import (
	"fmt"

	"yanzhen/ent"
	"yanzhen/ent/institution"
	"yanzhen/rules"
)

// Validation of the 机构 sheet.

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
			if id, ok := imp.region(s, r.Line, colRegionCode, x.regionCode, rules.Institution); ok {
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
