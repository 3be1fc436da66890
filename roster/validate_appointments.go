package roster

import (
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/rules"
)

// Validation of the 顾问聘任 sheet.

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
		c.period(colApptEnd, start, x.end)
		if start != nil {
			x.start = *start
		}
		x.cert = c.text(colCertificate, 64)
		if x.person = imp.personRef(s, r.Line, colPersonNo, personNo); !x.person.ok() {
			c.bad = true
		}
		id, ok := imp.region(s, r.Line, colVillage, villageCode, rules.Appointment)
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
				c.failAs(KindFixedOnFile, colNo, x.no, "库中此编号的聘任人员或村不同，不能修改", "the appointment on file with this number has another person or village; they cannot be changed")
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
