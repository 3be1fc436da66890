package roster

import (
	"yanzhen/ent"
	"yanzhen/ent/demand"
	"yanzhen/rules"
)

// Validation of the 需求清单 sheet.

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
		x.raisedOn, x.closedOn = c.date(colRaisedOn), c.date(colClosedOn)
		c.period(colClosedOn, x.raisedOn, x.closedOn)
		id, ok := imp.region(s, r.Line, colRegion, code, rules.Demand)
		x.regionID, c.bad = id, c.bad || !ok
		if dupRow(c, seen, colNo, x.no) {
			continue
		}
		x.bad = c.bad
		imp.demandByNo[x.no] = x
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
				c.failAs(KindFixedOnFile, colRegion, code, "库中此编号的需求属于其他地区，地区不能修改", "the demand on file with this number is in another region; the region cannot be changed")
				x.bad = true
			}
			if string(o.Field) != x.field || o.Description != x.description || (x.status != "" && x.status != string(o.Status)) ||
				(x.raisedOn != nil && !sameDay(x.raisedOn, &o.RaisedOn)) || (x.closedOn != nil && !sameDay(x.closedOn, o.ClosedOn)) {
				x.action = update
			}
		}
		imp.demands = append(imp.demands, x)
	}
	return nil
}
