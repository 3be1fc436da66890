package roster

import (
	"fmt"
	"slices"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/personexternalkey"
	"yanzhen/ent/privacy"
	"yanzhen/pii"
	"yanzhen/rules"
)

// Validation of the 人员 sheet.

func (imp *importer) persons() error {
	s := imp.sheets[People]
	want := map[string]bool{}
	uses := []keyUse{{People, colPersonNo}, {Posts, colPersonNo}, {Mentorships, colMentor}, {Mentorships, colMentee},
		{Appointments, colPersonNo}, {ContactLogs, colContactBy}, {Assignments, colPersonNo},
		{Assessments, colPersonNo}, {DutyItems, colPersonNo}, {Rewards, colPersonNo}, {OfficeAudits, colPersonNo},
		{TrainingEnrolments, colPersonNo}, {ResidentAreas, colAreaLeader}, {ResidentTeams, colTeamLeader},
		{ResidentAssessments, colPersonNo}, {ExpertAgreements, colPersonNo}, {SubsidyPayments, colPersonNo},
		{DoctorFarms, colPersonNo}}
	for _, u := range uses {
		imp.column(u.kind, u.col, want)
	}
	// A number is first this source's own key (PersonExternalKey), then
	// the legacy persons.external_id: so county A's numbers keep matching
	// after county B filed the same people under B's numbers.
	if err := imp.sourceKeys(keys(want)); err != nil {
		return err
	}
	var legacy []string
	for k := range want {
		if imp.dbPerson[k] == nil {
			legacy = append(legacy, k)
		}
	}
	twice := map[string]bool{}
	err := chunked(legacy, chunk, func(ks []string) error {
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
	// A generated number (P + ID) names a person with no number of its
	// own, or one an export for a source wrote so because the legacy
	// number is another person's key of that source (ExportOptions.Source);
	// the row's name must be the person's too.
	generated := map[int]*ent.Person{}
	ids := generatedIDs("P", want, func(k string) bool { return imp.dbPerson[k] != nil })
	err = chunked(ids, chunk, func(ids []int) error {
		ps, err := imp.c.Person.Query().Where(person.IDIn(ids...)).All(imp.ctx)
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
	hidden, err := imp.filedElsewhere(hashes, byIDNumber)
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
		if b := c.birth(colBirthDate); b != nil {
			p.birth, p.birthMonth, p.birthCell = &b.Date, b.Month, monthCell(cellOf(c, colBirthDate), b)
			c.broke(colBirthDate, b.Text(), rules.CheckBirthDate(b.Date, time.Now()))
		}
		p.ethnicity = c.text(colEthnicity, 32)
		p.education = c.word(colEducation, educations)
		p.political = c.word(colPolitical, politicalStatuses)
		if d := c.date(colPartyJoin); d != nil {
			p.partyJoin = d
			c.broke(colPartyJoin, cellOf(c, colPartyJoin), rules.CheckRecordDate("partyJoinDate", *d, time.Now()))
		}
		p.title = c.text(colTitle, 64)
		if v := numberText(c.text(colPhone, 0)); v != "" {
			if pii.CheckPhone(v) != nil {
				c.failAs(KindBadPhone, colPhone, v, "不是手机号（1xxxxxxxxxx）或座机号（0xxx-xxxxxxx）", "not a mobile (1xxxxxxxxxx) or landline (0xxx-xxxxxxx) number")
			} else {
				p.phone = v
			}
		}
		var idNumber pii.IDNumber
		if v := c.text(colIDNumber, 0); v != "" {
			id, bad := rules.ParseIDNumber(v)
			c.broke(colIDNumber, v, bad)
			if bad == nil {
				idNumber, p.idNumber = id, string(id)
			}
		}
		if p.no == "" && p.idNumber == "" && !c.bad {
			c.failAs(KindMissingValue, colPersonNo, "", "人员编号与身份证号至少填一项", "a person needs a 人员编号 or a 身份证号")
		}
		p.homeCode = c.regionCode(colHomeVillage)
		if p.homeCode != "" {
			if id, ok := imp.region(s, r.Line, colHomeVillage, p.homeCode, rules.HomeVillage); ok {
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
				imp.problemAs(KindDuplicateNumber, s, r.Line, colPersonNo, p.no, fmt.Sprintf("与第%d行人员编号重复", prev.line), fmt.Sprintf("same 人员编号 as row %d", prev.line))
				continue
			}
			imp.personByNo[p.no] = p
		}
		if p.idNumber != "" {
			if prev, dup := seenID[p.idNumber]; dup {
				c.failAs(KindDuplicateNumber, colIDNumber, p.idNumber, fmt.Sprintf("与第%d行身份证号重复", prev), fmt.Sprintf("same 身份证号 as row %d", prev))
			}
			seenID[p.idNumber] = r.Line
		}

		// Match the person on file: by 身份证号, else by 人员编号.
		viaGenerated := false
		if ms := byIDNumber[p.idNumber]; p.idNumber != "" && len(ms) > 1 {
			c.failAs(KindAmbiguousNumber, colIDNumber, p.idNumber, "库中有多人使用此身份证号，无法确定是谁", "several people on file have this 身份证号; which one is meant is unclear")
		} else if len(ms) == 1 {
			p.old = ms[0]
		} else if h := hidden[p.idNumber]; p.idNumber != "" && h != nil {
			// One file per ID number: the person is on file in another
			// area. A row with their full ID number and name introduces
			// them, as introducePerson does (same condition, same audit
			// entry): the roster's records link them and the source's
			// number is kept, but their file is not changed from here.
			// Anything else is refused without naming anyone.
			v := auth.FromContext(imp.ctx)
			switch {
			case h.Name != p.name:
				c.failAs(KindOnFileElsewhere, colIDNumber, p.idNumber, "此身份证号在库中已有档案（不在本辖区），姓名不一致，无法关联", "this 身份证号 is on file outside your area under another name; it cannot be linked")
			case !v.System() && !v.PersonalData:
				c.failAs(KindOnFileElsewhere, colIDNumber, p.idNumber, "此人在库中已有档案（不在本辖区），按身份证号关联须有个人信息查看权限", "this person is on file outside your area; linking them by 身份证号 needs personal-data access")
			default:
				p.old, p.introduced = h, true
			}
		}
		if p.old == nil && p.no != "" {
			if e := imp.dbPerson[p.no]; e != nil {
				if p.idNumber != "" && e.IDNumber != "" && e.IDNumber != p.idNumber {
					c.failAs(KindFixedOnFile, colPersonNo, p.no, "此人员编号在库中属于身份证号不同的另一人", "this 人员编号 belongs to another person on file, with a different 身份证号")
				} else {
					p.old = e
				}
			} else if id, ok := generatedKey("P", p.no); ok && generated[id] != nil && generated[id].Name == p.name {
				p.old, viaGenerated = generated[id], true
			}
		}
		if p.old != nil && p.no != "" && !viaGenerated && (p.old.ExternalID == nil || *p.old.ExternalID != p.no || imp.source != "" && !imp.keyed[p.no]) {
			if e := imp.dbPerson[p.no]; e != nil && e.ID != p.old.ID {
				c.failAs(KindFixedOnFile, colPersonNo, p.no, "此人员编号在库中已属于另一人", "this 人员编号 already belongs to another person on file")
			}
			// With a source, the number is kept as this source's key and
			// the legacy number is only filled, never replaced: it may be
			// another county's, which must keep matching.
			p.setNo = !p.introduced && (p.old.ExternalID == nil || imp.source == "" && *p.old.ExternalID != p.no)
			p.setKey = imp.source != "" && !imp.keyed[p.no]
		}
		if p.old == nil && p.no != "" {
			p.setKey = imp.source != ""
		}
		if p.old != nil {
			if prev, dup := seenOld[p.old.ID]; dup {
				c.failAs(KindDuplicateRow, colPersonNo, p.no, fmt.Sprintf("与第%d行是库中同一人", prev), fmt.Sprintf("the same person on file as row %d", prev))
			}
			seenOld[p.old.ID] = r.Line
		}
		if p.introduced {
			// The row is checked alone: what the file holds is not the
			// importer's to compare with.
			old := p.old
			p.old = nil
			imp.checkIDProfile(c, p, idNumber)
			p.old = old
		} else {
			imp.checkIDProfile(c, p, idNumber)
		}
		p.bad = c.bad
		p.action = create
		if p.old != nil {
			p.id = p.old.ID
			p.action = unchanged
			if !p.introduced && personChanged(p) {
				p.action = update
			}
		}
		imp.people = append(imp.people, p)
	}
	return nil
}

// checkIDProfile checks the birth date and sex written in the ID number
// against the person's, taking what the row leaves empty from the file,
// and fills in what the number adds (rules.Profile.Complete, as the person
// hook does): an empty birth date or gender, the day of a month-only birth
// date. The problem is on the 身份证号 when the row has one, else on the
// column that disagrees with the number on file.
func (imp *importer) checkIDProfile(c *cells, p *personRec, id pii.IDNumber) {
	var birth *rules.Birth
	if p.birth != nil {
		birth = &rules.Birth{Date: *p.birth, Month: p.birthMonth || p.birthCell}
	}
	gender := p.gender
	if p.old != nil {
		if onFile, err := pii.ParseIDNumber(p.old.IDNumber); id == "" && err == nil {
			id = onFile // one stored before the check is ignored, as the hook does
		}
		if birth == nil && p.old.BirthDate != nil {
			b := birthOf(*p.old.BirthDate, p.old.BirthDatePrecision)
			birth = &b
		}
		if gender == "" && p.old.Gender != nil {
			gender = string(*p.old.Gender)
		}
	}
	if id == "" {
		return
	}
	full, sex, vs := rules.ProfileOf(id).Complete(birth, gender)
	for _, v := range vs {
		col := colIDNumber
		if p.idNumber == "" {
			col = colBirthDate
			if v.Code == rules.IDGenderMismatch {
				col = colGender
			}
		}
		c.broke(col, cellOf(c, col), v)
	}
	if len(vs) > 0 {
		return
	}
	if birth == nil || birth.Month {
		p.birth, p.birthMonth = &full.Date, false
	}
	if gender == "" {
		p.gender = sex
	}
}

func cellOf(c *cells, col string) string { return c.s.get(c.r, col) }

func personChanged(p *personRec) bool {
	o := p.old
	switch {
	case p.setNo, p.setKey, p.name != o.Name:
		return true
	case p.gender != "" && (o.Gender == nil || string(*o.Gender) != p.gender):
		return true
	case p.birth != nil && (!sameDay(p.birth, o.BirthDate) || p.birthMonth != monthOnly(o.BirthDatePrecision)):
		return true
	case p.partyJoin != nil && !sameDay(p.partyJoin, o.PartyJoinDate):
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

// sourceKeys loads the people the import's source knows by the numbers ks
// (their PersonExternalKey), among the people the importer may see.
func (imp *importer) sourceKeys(ks []string) error {
	if imp.source == "" {
		return nil
	}
	return chunked(ks, chunk, func(ks []string) error {
		es, err := imp.c.PersonExternalKey.Query().
			Where(personexternalkey.Source(imp.source), personexternalkey.KeyIn(ks...)).
			WithPerson().All(imp.ctx)
		for _, e := range es {
			if e.Edges.Person != nil {
				imp.dbPerson[e.Key] = e.Edges.Person
				imp.keyed[e.Key] = true
			}
		}
		return err
	})
}

// filedElsewhere finds which of the roster's ID numbers (by hash) are on
// file for people the importer cannot see: such a row can neither match
// them through the importer's queries nor file them again. They are read
// with an internal decision; what reaches the report is decided by the
// caller (persons).
func (imp *importer) filedElsewhere(hashes []string, seen map[string][]*ent.Person) (map[string]*ent.Person, error) {
	visible := map[string]bool{}
	for _, ps := range seen {
		for _, p := range ps {
			visible[*p.IDNumberHash] = true
		}
	}
	var rest []string
	for _, h := range hashes {
		if !visible[h] {
			rest = append(rest, h)
		}
	}
	hidden := map[string]*ent.Person{}
	err := chunked(rest, chunk, func(hs []string) error {
		ps, err := imp.c.Person.Query().Where(person.IDNumberHashIn(hs...)).All(privacy.DecisionContext(imp.ctx, privacy.Allow))
		for _, p := range ps {
			hidden[p.IDNumber] = p
		}
		return err
	})
	return hidden, err
}
