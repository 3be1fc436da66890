package roster

import (
	"fmt"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/servicerecord"
	"yanzhen/rules"
)

// Validation of the 服务记录 sheet.

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
			c.broke(colDate, day(*d), rules.CheckRecordDate("date", *d, time.Now()))
		}
		x.kind = c.word(colKind, serviceKinds)
		x.beneficiaries = c.count(colBeneficiary)
		x.notes = c.text(colContent, 0)
		x.hasNotes = x.notes != ""
		if no != "" {
			if x.assign = imp.assignRef(no, dbAssign); !x.assign.ok() {
				c.failAs(KindUnknownReference, colAssignmentNo, no, "选派编号在科技特派员选派表和库中都不存在", "no expert assignment with this number in the 科技特派员选派 sheet or on file")
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
			imp.problemAs(KindDuplicateRow, s, x.line, colDate, day(x.date), fmt.Sprintf("与第%d行是同一服务记录（选派、日期、类型相同）", prev),
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
