package roster

import (
	"fmt"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/contactlog"
	"yanzhen/rules"
)

// Validation of the 联系记录 sheet.

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
			c.broke(colContactDate, day(*date), rules.CheckRecordDate("date", *date, time.Now()))
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
				c.failAs(KindUnknownReference, colApptNo, apptNo, "聘任编号在顾问聘任表和库中都不存在", "no adviser appointment with this number in the 顾问聘任 sheet or on file")
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
			imp.problemAs(KindDuplicateRow, s, x.line, colContactDate, day(x.date), fmt.Sprintf("与第%d行是同一联系记录（聘任、日期、方式、联系人相同）", prev),
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
