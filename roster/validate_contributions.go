package roster

import (
	"yanzhen/ent"
	"yanzhen/ent/contribution"
	"yanzhen/rules"
)

// Validation of the 成效 sheet.

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
		x.followsNo = c.key(colFollows)
		if source != "" {
			x.appt = imp.apptRef(source, dbAppt)
			x.assign = imp.assignRef(source, dbAssign)
			switch {
			case x.appt.ok() && x.assign.ok():
				c.failAs(KindAmbiguousNumber, colSourceNo, source, "此编号既是聘任编号又是选派编号，无法确定来源", "this number is both an appointment and an assignment; the source is unclear")
			case !x.appt.ok() && !x.assign.ok():
				c.failAs(KindUnknownReference, colSourceNo, source, "来源编号不是已有的聘任编号或选派编号", "no adviser appointment or expert assignment has this number")
			}
		}
		id, ok := imp.region(s, r.Line, colVillage, code, rules.Contribution)
		x.villageID, c.bad = id, c.bad || !ok
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		if x.no != "" {
			imp.contribByNo[x.no] = x
		}
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
				c.failAs(KindFixedOnFile, colNo, x.no, "库中此编号的成效来源或村不同，不能修改", "the contribution on file with this number has another source or village; they cannot be changed")
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
