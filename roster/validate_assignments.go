package roster

import (
	"slices"

	"yanzhen/ent"
	"yanzhen/ent/demand"
	"yanzhen/ent/expertassignment"
	"yanzhen/rules"
)

// Validation of the 科技特派员选派 sheet.

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
	dbDemand, err := imp.demandsOnFile(Assignments, colDemandNo)
	if err != nil {
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
		c.period(colEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		if v := c.word(colAgreement, yesNo); v != "" {
			b := v == "true"
			x.agreement = &b
		}
		x.subsidy = c.count(colSubsidy)
		if no := c.key(colDemandNo); no != "" {
			if x.demand = imp.demandRef(no, dbDemand); !x.demand.ok() {
				c.failAs(KindUnknownReference, colDemandNo, no, "需求编号在需求清单表和库中都不存在", "no demand with this number in the 需求清单 sheet or on file")
			}
		}
		if x.expert = imp.personRef(s, r.Line, colPersonNo, personNo); !x.expert.ok() {
			c.bad = true
		}
		id, ok := imp.region(s, r.Line, colServiceArea, code, rules.Assignment)
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
				c.failAs(KindFixedOnFile, colNo, x.no, "库中此编号的选派人员或服务地区不同，不能修改", "the assignment on file with this number has another expert or region; they cannot be changed")
				x.bad = true
			}
			if day(o.StartDate) != day(x.start) || (x.end != nil && !sameDay(x.end, o.EndDate)) ||
				(x.hasFields && !slices.Equal(x.fields, fieldStrings(o.Fields))) ||
				(x.agreement != nil && *x.agreement != o.AgreementSigned) ||
				(x.subsidy != nil && *x.subsidy != o.AnnualSubsidyYuan) ||
				(x.demand.ok() && (x.demand.ID() == 0 || !ptrEq(idOf(x.demand), o.DemandID))) {
				x.action = update
			}
		}
		imp.assigns = append(imp.assigns, x)
	}
	return nil
}

// demandRef finds a demand by its number: in the workbook, else on file;
// the zero ref when neither has it.
func (imp *importer) demandRef(key string, dbDemand map[string]*ent.Demand) ref {
	if x := imp.demandByNo[key]; x != nil {
		return ref{&x.id}
	}
	if d := dbDemand[key]; d != nil {
		return dbRef(d.ID)
	}
	return ref{}
}

// demandsOnFile loads the demands on file that a column names.
func (imp *importer) demandsOnFile(kind SheetKind, col string) (map[string]*ent.Demand, error) {
	want := map[string]bool{}
	imp.column(kind, col, want)
	out := map[string]*ent.Demand{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		ds, err := imp.c.Demand.Query().Where(demand.ExternalIDIn(ks...)).All(imp.ctx)
		for _, d := range ds {
			out[*d.ExternalID] = d
		}
		return err
	})
	return out, err
}

// assignRef finds an assignment by its number: in the workbook, else on
// file; the zero ref when neither has it.
func (imp *importer) assignRef(key string, dbAssign map[string]*ent.ExpertAssignment) ref {
	if x := imp.assignByNo[key]; x != nil {
		return ref{&x.id}
	}
	if a := dbAssign[key]; a != nil {
		return dbRef(a.ID)
	}
	return ref{}
}
