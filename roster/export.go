package roster

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/person"
	"yanzhen/ent/personexternalkey"
	"yanzhen/ent/post"
	"yanzhen/ent/predicate"
	"yanzhen/ent/region"
	"yanzhen/ent/reward"
	"yanzhen/ent/servicerecord"
	"yanzhen/ent/starrating"
	"yanzhen/ent/term"
	"yanzhen/ent/trainingclass"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/errcode"
	"yanzhen/regioncode"
)

// ExportOptions tune an export.
type ExportOptions struct {
	// MaskPersonalData writes 身份证号 and 联系电话 masked (138****8000). A
	// masked roster cannot be imported back: its ID numbers fail the check.
	MaskPersonalData bool
	// Source names whose 人员编号 the roster carries (ImportOptions.Source
	// of the county's own imports): a person with a key of that source is
	// written under it, so that the county's next file still matches. Empty:
	// the legacy number (persons.external_id), else P + the ID.
	Source string
}

// Export writes the roster of a region's subtree to dest: an .xlsx file when
// dest ends in .xlsx, else a directory of UTF-8 CSV files (with BOM, so
// Excel opens them), created if missing.
func Export(ctx context.Context, client *ent.Client, regionCode string, opts ExportOptions, dest string) error {
	wb, err := ExportWorkbook(ctx, client, regionCode, opts)
	if err != nil {
		return err
	}
	if strings.EqualFold(filepath.Ext(dest), ".xlsx") {
		f, err := os.Create(dest)
		if err != nil {
			return fmt.Errorf("writing the roster: %w", err)
		}
		if err := wb.WriteXLSX(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return wb.WriteCSVDir(dest)
}

// ExportWorkbook builds the roster of a region's subtree: the people with a
// post, adviser appointment, expert assignment or home village in it (and
// the mentors and mentees of their mentorships, and the cadres who logged
// contacts), their institutions, and every relationship and record whose
// region is in the subtree. Rows are ordered by their keys, so the same data
// always gives the same workbook. Records without a number of their own get
// a generated one (P + ID for people, I, M, A, E, D, C for the others).
func ExportWorkbook(ctx context.Context, client *ent.Client, regionCode string, opts ExportOptions) (*Workbook, error) {
	if !regioncode.Valid(regionCode) {
		return nil, errcode.BadInput("region", "%q is not a region code / 不是有效的区划代码", regionCode)
	}
	exists, err := client.Region.Query().Where(region.Code(regionCode)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, errcode.New(errcode.NotFound, "no region with code %s / 区划代码不存在", regionCode)
	}
	// The region must lie in the viewer's scope; phone and ID numbers come
	// out in clear only for a viewer with personal-data access there.
	v := auth.FromContext(ctx)
	if err := auth.RequireScope(ctx, regionCode, auth.RoleAdmin, auth.RoleTownship, auth.RoleVillage); err != nil {
		return nil, err
	}
	if !opts.MaskPersonalData && !v.System() && !v.PersonalData {
		return nil, errcode.New(errcode.Forbidden, "exporting phone and ID numbers in clear needs personal-data access / 导出完整个人信息须获授权")
	}
	if err := audit.Record(ctx, client, audit.Entry{
		Action: auditlog.ActionEXPORT, EntityType: "Roster", RegionCode: regionCode,
		After: map[string]any{"masked": opts.MaskPersonalData, "source": opts.Source},
	}); err != nil {
		return nil, err
	}
	x := &exporter{ctx: ctx, c: client, opts: opts, codes: map[int]string{}}
	if err := x.loadVocabularies(); err != nil {
		return nil, err
	}
	if err := x.load(regionCode); err != nil {
		return nil, fmt.Errorf("exporting the roster of %s: %w", regionCode, err)
	}
	return x.workbook(), nil
}

type exporter struct {
	ctx   context.Context
	c     *ent.Client
	opts  ExportOptions
	codes map[int]string // region ID → code
	// The labels of the extendable vocabularies as they apply to the
	// exporter: a county's 乡贤 goes out as 乡贤 and reads back as its code.
	tags, fields words

	posts       []*ent.Post
	appts       []*ent.AdviserAppointment
	assigns     []*ent.ExpertAssignment
	contribs    []*ent.Contribution
	logs        []*ent.ContactLog
	services    []*ent.ServiceRecord
	demands     []*ent.Demand
	mentorships []*ent.Mentorship
	people      []*ent.Person
	insts       []*ent.Institution
	// The work cycle.
	assessments []*ent.Assessment
	duties      []*ent.DutyItem
	rewards     []*ent.Reward
	stars       []*ent.StarRating
	audits      []*ent.OfficeAudit
	terms       []*ent.Term
	classes     []*ent.TrainingClass
	enrolments  []*ent.TrainingEnrolment
	classByID   map[int]*ent.TrainingClass
	// Resident work and the support of experts (export_workflow.go).
	workflow

	personKey, instKey, apptKey, assignKey, demandKey map[int]string
	// sourceKey is each exported person's key of opts.Source; taken the
	// keys of that source that belong to people not written under them.
	sourceKey map[int]string
	taken     map[string]bool
}

func (x *exporter) load(code string) (err error) {
	ctx, within := x.ctx, regioncode.Within(code)
	if x.posts, err = x.c.Post.Query().Where(post.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.appts, err = x.c.AdviserAppointment.Query().Where(adviserappointment.HasVillageWith(within)).All(ctx); err != nil {
		return err
	}
	if x.assigns, err = x.c.ExpertAssignment.Query().Where(expertassignment.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.contribs, err = x.c.Contribution.Query().Where(contribution.HasVillageWith(within)).All(ctx); err != nil {
		return err
	}
	if x.demands, err = x.c.Demand.Query().Where(demand.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if err := x.loadWorkflow(within); err != nil {
		return err
	}
	// The sources of the subtree's contributions come along, wherever they
	// are; so do the assignments its agreements are made under.
	haveAppt, haveAssign := idSet(x.appts, func(a *ent.AdviserAppointment) int { return a.ID }), idSet(x.assigns, func(a *ent.ExpertAssignment) int { return a.ID })
	var moreAppts, moreAssigns []int
	for _, a := range x.agreements {
		if a.AssignmentID != nil && !haveAssign[*a.AssignmentID] {
			haveAssign[*a.AssignmentID] = true
			moreAssigns = append(moreAssigns, *a.AssignmentID)
		}
	}
	for _, c := range x.contribs {
		if c.AppointmentID != nil && !haveAppt[*c.AppointmentID] {
			haveAppt[*c.AppointmentID] = true
			moreAppts = append(moreAppts, *c.AppointmentID)
		}
		if c.AssignmentID != nil && !haveAssign[*c.AssignmentID] {
			haveAssign[*c.AssignmentID] = true
			moreAssigns = append(moreAssigns, *c.AssignmentID)
		}
	}
	if err := chunked(moreAppts, chunk, func(ids []int) error {
		as, err := x.c.AdviserAppointment.Query().Where(adviserappointment.IDIn(ids...)).All(ctx)
		x.appts = append(x.appts, as...)
		return err
	}); err != nil {
		return err
	}
	if err := chunked(moreAssigns, chunk, func(ids []int) error {
		as, err := x.c.ExpertAssignment.Query().Where(expertassignment.IDIn(ids...)).All(ctx)
		x.assigns = append(x.assigns, as...)
		return err
	}); err != nil {
		return err
	}
	// So do the demands the assignments answer (两单合一).
	haveDemand := idSet(x.demands, func(d *ent.Demand) int { return d.ID })
	var moreDemands []int
	for _, a := range x.assigns {
		if a.DemandID != nil && !haveDemand[*a.DemandID] {
			haveDemand[*a.DemandID] = true
			moreDemands = append(moreDemands, *a.DemandID)
		}
	}
	if err := chunked(moreDemands, chunk, func(ids []int) error {
		ds, err := x.c.Demand.Query().Where(demand.IDIn(ids...)).All(ctx)
		x.demands = append(x.demands, ds...)
		return err
	}); err != nil {
		return err
	}
	if err := chunked(keys(haveAppt), chunk, func(ids []int) error {
		ls, err := x.c.ContactLog.Query().Where(contactlog.AppointmentIDIn(ids...)).All(ctx)
		x.logs = append(x.logs, ls...)
		return err
	}); err != nil {
		return err
	}
	if err := chunked(keys(haveAssign), chunk, func(ids []int) error {
		rs, err := x.c.ServiceRecord.Query().Where(servicerecord.AssignmentIDIn(ids...)).All(ctx)
		x.services = append(x.services, rs...)
		return err
	}); err != nil {
		return err
	}

	if err := x.loadWorkCycle(within); err != nil {
		return err
	}

	// People: those placed in the subtree, then the other side of their
	// mentorships and the cadres who logged contacts, and the people the
	// records of the work cycle name.
	people := map[int]bool{}
	for _, a := range x.assessments {
		people[a.PersonID] = true
	}
	for _, d := range x.duties {
		people[d.PersonID] = true
	}
	for _, r := range x.rewards {
		people[r.PersonID] = true
	}
	for _, a := range x.audits {
		if a.PersonID != nil {
			people[*a.PersonID] = true
		}
	}
	for _, e := range x.enrolments {
		people[e.PersonID] = true
	}
	x.workflowPeople(people)
	for _, p := range x.posts {
		people[p.PersonID] = true
	}
	for _, a := range x.appts {
		people[a.PersonID] = true
	}
	for _, a := range x.assigns {
		people[a.ExpertID] = true
	}
	var residents []int
	if err := x.c.Person.Query().Where(person.HasHomeVillageWith(within)).Select(person.FieldID).Scan(ctx, &residents); err != nil {
		return err
	}
	for _, id := range residents {
		people[id] = true
	}
	mentorshipIDs := map[int]*ent.Mentorship{}
	ms, err := x.c.Mentorship.Query().Where(mentorship.HasRegionWith(within)).All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		mentorshipIDs[m.ID] = m
	}
	if err := chunked(keys(people), chunk, func(ids []int) error {
		ms, err := x.c.Mentorship.Query().Where(mentorship.Or(mentorship.MentorIDIn(ids...), mentorship.MenteeIDIn(ids...))).All(ctx)
		for _, m := range ms {
			mentorshipIDs[m.ID] = m
		}
		return err
	}); err != nil {
		return err
	}
	for _, m := range mentorshipIDs {
		x.mentorships = append(x.mentorships, m)
		people[m.MentorID], people[m.MenteeID] = true, true
	}
	for _, l := range x.logs {
		if l.ContactedByID != nil {
			people[*l.ContactedByID] = true
		}
	}
	if err := chunked(keys(people), chunk, func(ids []int) error {
		ps, err := x.c.Person.Query().Where(person.IDIn(ids...)).All(ctx)
		x.people = append(x.people, ps...)
		return err
	}); err != nil {
		return err
	}

	if err := x.loadSourceKeys(); err != nil {
		return err
	}

	// Institutions: of the people exported, those that sent the resident
	// cadres, and those in the subtree.
	insts := map[int]bool{}
	for _, p := range x.people {
		if p.InstitutionID != nil {
			insts[*p.InstitutionID] = true
		}
	}
	for _, p := range x.posts {
		if p.SendingInstitutionID != nil {
			insts[*p.SendingInstitutionID] = true
		}
	}
	var local []int
	if err := x.c.Institution.Query().Where(institution.HasRegionWith(within)).Select(institution.FieldID).Scan(ctx, &local); err != nil {
		return err
	}
	for _, id := range local {
		insts[id] = true
	}
	if err := chunked(keys(insts), chunk, func(ids []int) error {
		is, err := x.c.Institution.Query().Where(institution.IDIn(ids...)).All(ctx)
		x.insts = append(x.insts, is...)
		return err
	}); err != nil {
		return err
	}
	return x.loadCodes()
}

// loadSourceKeys finds the exported people's keys of opts.Source, and
// which of the numbers the others would be written under (their legacy
// number) that source already gives someone: such a person is written as
// P + ID instead, since the source's number would match the other person
// on re-import.
func (x *exporter) loadSourceKeys() error {
	x.sourceKey, x.taken = map[int]string{}, map[string]bool{}
	if x.opts.Source == "" {
		return nil
	}
	ids := make([]int, len(x.people))
	for i, p := range x.people {
		ids[i] = p.ID
	}
	if err := chunked(ids, chunk, func(ids []int) error {
		ks, err := x.c.PersonExternalKey.Query().
			Where(personexternalkey.Source(x.opts.Source), personexternalkey.PersonIDIn(ids...)).All(x.ctx)
		for _, k := range ks {
			x.sourceKey[k.PersonID] = k.Key
		}
		return err
	}); err != nil {
		return err
	}
	var legacy []string
	for _, p := range x.people {
		if _, ok := x.sourceKey[p.ID]; !ok && p.ExternalID != nil && *p.ExternalID != "" {
			legacy = append(legacy, *p.ExternalID)
		}
	}
	return chunked(legacy, chunk, func(ns []string) error {
		ks, err := x.c.PersonExternalKey.Query().
			Where(personexternalkey.Source(x.opts.Source), personexternalkey.KeyIn(ns...)).All(x.ctx)
		for _, k := range ks {
			x.taken[k.Key] = true
		}
		return err
	})
}

// personNo is the 人员编号 a person is written under: the source's key,
// else the legacy number (unless the source gives it to someone else),
// else P + ID.
func (x *exporter) personNo(p *ent.Person) string {
	if k, ok := x.sourceKey[p.ID]; ok {
		return k
	}
	if p.ExternalID != nil && x.taken[*p.ExternalID] {
		return "P" + strconv.Itoa(p.ID)
	}
	return keyOf(p.ExternalID, "P", p.ID)
}

// loadCodes fetches the codes of every region the rows name.
func (x *exporter) loadCodes() error {
	want := map[int]bool{}
	add := func(id *int) {
		if id != nil {
			want[*id] = true
		}
	}
	for _, i := range x.insts {
		add(i.RegionID)
	}
	for _, p := range x.people {
		add(p.HomeVillageID)
	}
	for _, p := range x.posts {
		add(&p.RegionID)
	}
	for _, m := range x.mentorships {
		add(m.RegionID)
	}
	for _, a := range x.appts {
		add(&a.VillageID)
	}
	for _, a := range x.assigns {
		add(&a.RegionID)
	}
	for _, d := range x.demands {
		add(&d.RegionID)
	}
	for _, c := range x.contribs {
		add(&c.VillageID)
	}
	for _, a := range x.assessments {
		add(&a.RegionID)
	}
	for _, d := range x.duties {
		add(&d.RegionID)
	}
	for _, r := range x.rewards {
		add(&r.RegionID)
	}
	for _, r := range x.stars {
		add(&r.VillageID)
	}
	for _, a := range x.audits {
		add(&a.RegionID)
	}
	for _, t := range x.terms {
		add(&t.RegionID)
	}
	for _, c := range x.classes {
		add(&c.RegionID)
	}
	for _, e := range x.enrolments {
		add(&e.RegionID)
	}
	x.workflowRegions(add)
	return chunked(keys(want), chunk, func(ids []int) error {
		rs, err := x.c.Region.Query().Where(region.IDIn(ids...)).Select(region.FieldID, region.FieldCode).All(x.ctx)
		for _, r := range rs {
			x.codes[r.ID] = r.Code
		}
		return err
	})
}

func idSet[T any](xs []T, id func(T) int) map[int]bool {
	out := make(map[int]bool, len(xs))
	for _, x := range xs {
		out[id(x)] = true
	}
	return out
}

func keyOf(ext *string, prefix string, id int) string {
	if ext != nil && *ext != "" {
		return *ext
	}
	return prefix + strconv.Itoa(id)
}

func (x *exporter) workbook() *Workbook {
	x.personKey, x.instKey = map[int]string{}, map[int]string{}
	x.apptKey, x.assignKey, x.demandKey = map[int]string{}, map[int]string{}, map[int]string{}
	for _, p := range x.people {
		x.personKey[p.ID] = x.personNo(p)
	}
	for _, d := range x.demands {
		x.demandKey[d.ID] = keyOf(d.ExternalID, "D", d.ID)
	}
	for _, i := range x.insts {
		x.instKey[i.ID] = keyOf(i.ExternalID, "I", i.ID)
	}
	for _, a := range x.appts {
		x.apptKey[a.ID] = keyOf(a.ExternalID, "A", a.ID)
	}
	for _, a := range x.assigns {
		x.assignKey[a.ID] = keyOf(a.ExternalID, "E", a.ID)
	}
	x.workflowKeys()
	wb := &Workbook{}
	for _, d := range Sheets {
		s := &Sheet{Name: d.Name}
		for _, c := range d.Columns {
			s.Header = append(s.Header, c.Name)
		}
		rows := x.rows(d.Kind)
		// Sort by the whole row: the key columns come first in every sheet,
		// and the rest breaks ties, so the order never depends on the database.
		slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
		for i, r := range rows {
			s.Rows = append(s.Rows, Row{Line: i + 2, Cells: r})
		}
		wb.Sheets = append(wb.Sheets, s)
	}
	return wb
}

func (x *exporter) code(id *int) string {
	if id == nil {
		return ""
	}
	return x.codes[*id]
}

// ref is the number of a record a row points at ("" for none, or one the
// viewer may not read).
func (x *exporter) ref(numbers map[int]string, id *int) string {
	if id == nil {
		return ""
	}
	return numbers[*id]
}

func (x *exporter) personal(col, v string) string {
	if x.opts.MaskPersonalData {
		return maskValue(col, v)
	}
	return v
}

func joinWords[T ~string](ws words, xs []T) string {
	out := make([]string, len(xs))
	for i, v := range xs {
		out[i] = ws.chinese(string(v))
	}
	return strings.Join(out, ";")
}

func wordPtr[T ~string](ws words, v *T) string {
	if v == nil {
		return ""
	}
	return ws.chinese(string(*v))
}

// rows gives one sheet's rows, in the column order of Sheets.
func (x *exporter) rows(kind SheetKind) [][]string {
	var out [][]string
	switch kind {
	case Institutions:
		for _, i := range x.insts {
			out = append(out, []string{x.instKey[i.ID], i.Name, institutionKinds.chinese(string(i.Kind)), x.code(i.RegionID)})
		}
	case People:
		for _, p := range x.people {
			inst := ""
			if p.InstitutionID != nil {
				inst = x.instKey[*p.InstitutionID]
			}
			out = append(out, []string{
				x.personKey[p.ID], p.Name, wordPtr(genders, p.Gender), birthText(p.BirthDate, p.BirthDatePrecision), p.Ethnicity,
				wordPtr(educations, p.Education), wordPtr(politicalStatuses, p.PoliticalStatus), dayPtr(p.PartyJoinDate),
				x.personal(colPhone, p.Phone), x.personal(colIDNumber, p.IDNumber), x.code(p.HomeVillageID), inst,
				joinWords(x.tags, p.Tags), joinWords(x.fields, p.Expertise), p.ProfessionalTitle,
			})
		}
	case Posts:
		for _, p := range x.posts {
			out = append(out, []string{
				x.personKey[p.PersonID], x.codes[p.RegionID], postRoles.chinese(string(p.Role)),
				wordPtr(reserveLists, p.ReserveList), wordPtr(dispatchLevels, p.DispatchLevel),
				p.SendingUnit, x.ref(x.instKey, p.SendingInstitutionID), p.Cluster,
				day(p.StartDate), dayPtr(p.EndDate), p.EndReason, wordPtr(exitKinds, p.ExitKind),
				x.teamOf(p.TeamID, p.RegionID), x.rehireRole(p), x.rehireStart(p),
			})
		}
	case Mentorships:
		for _, m := range x.mentorships {
			out = append(out, []string{
				keyOf(m.ExternalID, "M", m.ID), x.personKey[m.MentorID], x.personKey[m.MenteeID],
				programs.chinese(string(m.Program)), day(m.StartDate), dayPtr(m.EndDate),
				mentorshipStatuses.chinese(string(m.Status)), x.code(m.RegionID), m.Goals, m.Outcome,
			})
		}
	case Appointments:
		for _, a := range x.appts {
			out = append(out, []string{
				x.apptKey[a.ID], x.personKey[a.PersonID], x.codes[a.VillageID], appointmentKinds.chinese(string(a.Kind)),
				day(a.StartDate), dayPtr(a.EndDate), a.CertificateNo,
			})
		}
	case ContactLogs:
		for _, l := range x.logs {
			by := ""
			if l.ContactedByID != nil {
				by = x.personKey[*l.ContactedByID]
			}
			out = append(out, []string{x.apptKey[l.AppointmentID], day(l.Date), contactModes.chinese(string(l.Mode)), by, l.Notes})
		}
	case Assignments:
		for _, a := range x.assigns {
			out = append(out, []string{
				x.assignKey[a.ID], x.personKey[a.ExpertID], x.codes[a.RegionID], joinWords(x.fields, a.Fields),
				day(a.StartDate), dayPtr(a.EndDate), yesNo.chinese(strconv.FormatBool(a.AgreementSigned)),
				strconv.FormatInt(a.AnnualSubsidyYuan, 10), x.ref(x.demandKey, a.DemandID),
			})
		}
	case ServiceRecords:
		for _, r := range x.services {
			out = append(out, []string{
				x.assignKey[r.AssignmentID], day(r.Date), serviceKinds.chinese(string(r.Kind)), strconv.Itoa(r.Beneficiaries), r.Notes,
			})
		}
	case Demands:
		for _, d := range x.demands {
			out = append(out, []string{
				x.demandKey[d.ID], x.codes[d.RegionID], x.fields.chinese(string(d.Field)), d.Description,
				demandStatuses.chinese(string(d.Status)), day(d.RaisedOn), dayPtr(d.ClosedOn),
			})
		}
	case Contributions:
		for _, c := range x.contribs {
			source := ""
			if c.AppointmentID != nil {
				source = x.apptKey[*c.AppointmentID]
			} else if c.AssignmentID != nil {
				source = x.assignKey[*c.AssignmentID]
			}
			out = append(out, []string{
				keyOf(c.ExternalID, "C", c.ID), source, x.codes[c.VillageID], contributionKinds.chinese(string(c.Kind)),
				strconv.FormatInt(c.AmountYuan, 10), day(c.Date), c.Description, x.ref(x.contribKey, c.FollowsID),
			})
		}
	case Assessments:
		for _, a := range x.assessments {
			out = append(out, []string{
				x.personKey[a.PersonID], x.codes[a.RegionID], strconv.Itoa(a.Year), grades.chinese(string(a.Grade)),
				floatPtr(a.ReviewScore), intPtr(a.Rank), intPtr(a.RankedAmong), wordPtr(rankScopes, a.RankScope), a.Pledge, a.Notes,
			})
		}
	case DutyItems:
		for _, d := range x.duties {
			out = append(out, []string{
				x.personKey[d.PersonID], x.codes[d.RegionID], strconv.Itoa(d.Year), d.Task, dutyKinds.chinese(string(d.Kind)),
				dayPtr(d.Deadline), dutyStatuses.chinese(string(d.Status)), dayPtr(d.CompletedOn), d.Evidence, d.ReviewedBy,
			})
		}
	case Rewards:
		for _, r := range x.rewards {
			out = append(out, []string{
				x.personKey[r.PersonID], x.codes[r.RegionID], rewardKinds.chinese(string(r.Kind)), r.Title,
				rewardLevels.chinese(string(r.Level)), day(r.Date), int64Ptr(r.AmountYuan), r.DocumentNo, r.Notes,
			})
		}
	case StarRatings:
		for _, r := range x.stars {
			out = append(out, []string{
				x.codes[r.VillageID], strconv.Itoa(r.Year), starWords.chinese(strconv.Itoa(r.Stars)), r.Title, r.RatedBy, dayPtr(r.Date),
			})
		}
	case OfficeAudits:
		for _, a := range x.audits {
			out = append(out, []string{
				x.codes[a.RegionID], x.ref(x.personKey, a.PersonID), auditKinds.chinese(string(a.Kind)), day(a.Date),
				a.Findings, a.FollowUp, auditStatuses.chinese(string(a.Status)),
			})
		}
	case Terms:
		for _, t := range x.terms {
			out = append(out, []string{x.codes[t.RegionID], intPtr(t.Number), t.Name, day(t.ElectedOn), t.Notes})
		}
	case TrainingClasses:
		for _, c := range x.classes {
			out = append(out, []string{
				c.Name, x.codes[c.RegionID], classKinds.chinese(string(c.Kind)), c.Organizer, c.Place,
				day(c.StartsOn), dayPtr(c.EndsOn), floatPtr(c.Hours), c.Notes,
			})
		}
	case TrainingEnrolments:
		for _, e := range x.enrolments {
			c := x.classByID[e.ClassID]
			out = append(out, []string{
				c.Name, day(c.StartsOn), x.personKey[e.PersonID], x.codes[e.RegionID],
				yesNo.chinese(strconv.FormatBool(e.Completed)), floatPtr(e.Hours), e.Result,
			})
		}
	default:
		out = x.workflowRows(kind)
	}
	return out
}

// loadWorkCycle loads the records of the work cycle kept in the subtree,
// and the classes its trainees' enrolments are of, wherever they are held.
// An enrolment in a class the exporter may not see is left out: its row
// could not name the class.
func (x *exporter) loadWorkCycle(within predicate.Region) (err error) {
	ctx := x.ctx
	if x.assessments, err = x.c.Assessment.Query().Where(assessment.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.duties, err = x.c.DutyItem.Query().Where(dutyitem.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.rewards, err = x.c.Reward.Query().Where(reward.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.stars, err = x.c.StarRating.Query().Where(starrating.HasVillageWith(within)).All(ctx); err != nil {
		return err
	}
	if x.audits, err = x.c.OfficeAudit.Query().Where(officeaudit.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.terms, err = x.c.Term.Query().Where(term.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	if x.classes, err = x.c.TrainingClass.Query().Where(trainingclass.HasRegionWith(within)).All(ctx); err != nil {
		return err
	}
	enrolments, err := x.c.TrainingEnrolment.Query().Where(trainingenrolment.HasRegionWith(within)).All(ctx)
	if err != nil {
		return err
	}
	x.classByID = map[int]*ent.TrainingClass{}
	for _, c := range x.classes {
		x.classByID[c.ID] = c
	}
	var more []int
	for _, e := range enrolments {
		if x.classByID[e.ClassID] == nil {
			more = append(more, e.ClassID)
		}
	}
	if err := chunked(uniq(more), chunk, func(ids []int) error {
		cs, err := x.c.TrainingClass.Query().Where(trainingclass.IDIn(ids...)).All(ctx)
		for _, c := range cs {
			x.classByID[c.ID] = c
			x.classes = append(x.classes, c)
		}
		return err
	}); err != nil {
		return err
	}
	for _, e := range enrolments {
		if x.classByID[e.ClassID] != nil {
			x.enrolments = append(x.enrolments, e)
		}
	}
	return nil
}

func floatPtr(f *float64) string { return ftext(f) }

func intPtr(n *int) string { return itext(n) }

func int64Ptr(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// formulaStarts are the characters that make a spreadsheet read a cell as
// a formula (OWASP, CSV injection): = + - @, tab and carriage return.
const formulaStarts = "=+-@\t\r"

// plainNumber is a number a spreadsheet reads as one, not as a formula.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// escapeFormula neutralises a cell a spreadsheet would run as a formula
// ("=HYPERLINK(…)", "@SUM(…)", "-1+cmd|…") by putting a single quote in
// front, as OWASP advises; a plain number ("-5") stays a number. It quotes
// a cell that starts with quotes before such a character too ("'=x" is
// written "”=x"), so that unescapeFormula, which takes one quote off
// every cell of that form, gives back exactly what was written: an export
// imports unchanged.
func escapeFormula(s string) string {
	t := strings.TrimLeft(s, "'")
	if t == "" || strings.IndexByte(formulaStarts, t[0]) < 0 || (len(t) == len(s) && plainNumber.MatchString(s)) {
		return s
	}
	return "'" + s
}

// unescapeFormula undoes escapeFormula on a cell read from a file: a
// quote before what would start a formula ("'=x", "'-5", "”=x") is
// dropped. A quote before anything else is the cell's own.
func unescapeFormula(s string) string {
	if len(s) < 2 || s[0] != '\'' {
		return s
	}
	if t := strings.TrimLeft(s, "'"); t != "" && strings.IndexByte(formulaStarts, t[0]) >= 0 {
		return s[1:]
	}
	return s
}

func escapeFormulas(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = escapeFormula(c)
	}
	return out
}

// numericColumns are written as numbers in .xlsx, so Excel can sum them.
var numericColumns = map[string]bool{colSubsidy: true, colBeneficiary: true, colAmount: true, colYear: true,
	colFunding: true, colYearsFunded: true}

// WriteXLSX writes the workbook as .xlsx, one sheet per Sheet, with a bold
// frozen header row. Codes, ID numbers and phone numbers stay text.
func (wb *Workbook) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, s := range wb.Sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return err
		}
		if len(s.Header) > 0 {
			if err := sw.SetColWidth(1, len(s.Header), 16); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		header := make([]any, len(s.Header))
		numeric := make([]bool, len(s.Header))
		for j, h := range s.Header {
			header[j] = escapeFormula(h)
			numeric[j] = numericColumns[h]
		}
		if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: bold}); err != nil {
			return err
		}
		for j, r := range s.Rows {
			vals := make([]any, len(r.Cells))
			for k, v := range r.Cells {
				vals[k] = escapeFormula(v) // a string cell is not run, but one edited in Excel or saved as CSV is
				if k < len(numeric) && numeric[k] {
					if n, err := strconv.ParseInt(v, 10, 64); err == nil {
						vals[k] = n
					}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := sw.SetRow(cell, vals); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	return nil
}

// WriteCSVDir writes one UTF-8 CSV file (with BOM) per sheet into dir.
func (wb *Workbook) WriteCSVDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing the roster: %w", err)
	}
	for _, s := range wb.Sheets {
		if err := writeCSV(filepath.Join(dir, s.Name+".csv"), s); err != nil {
			return err
		}
	}
	return nil
}

func writeCSV(path string, s *Sheet) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing the roster: %w", err)
	}
	b := bufio.NewWriter(f)
	b.Write(utf8BOM)
	w := csv.NewWriter(b)
	w.UseCRLF = true
	w.Write(escapeFormulas(s.Header))
	for _, r := range s.Rows {
		w.Write(escapeFormulas(r.Cells))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := b.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
