package roster

import (
	"fmt"
	"slices"
	"sort"

	"yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/region"
	"yanzhen/vocab/vocabdb"
)

// validate parses every sheet, loads what the rows refer to from the
// database in a few set-based queries, and checks every row, recording all
// problems. It returns an error only when the database fails.
func (imp *importer) validate(wb *Workbook) error {
	imp.bind(wb, imp.mapping)
	if err := imp.flatten(); err != nil {
		return fmt.Errorf("reading the flat roster: %w", err)
	}
	rows := 0
	for _, s := range imp.sheets {
		rows += len(s.rows)
	}
	imp.startPhase(Validating, rows)
	if err := imp.loadRegions(); err != nil {
		return err
	}
	v, err := vocabdb.Load(imp.ctx, imp.c)
	if err != nil {
		return fmt.Errorf("loading the vocabularies: %w", err)
	}
	imp.vocab = v
	defer imp.summarizeWords()
	steps := []func() error{
		imp.institutions, imp.persons, imp.areasSheet, imp.teamsSheet, imp.postsSheet, imp.postLinks,
		imp.mentorshipsSheet, imp.appointmentsSheet,
		imp.contactLogsSheet, imp.demandsSheet, imp.assignmentsSheet, imp.serviceRecordsSheet, imp.contributionsSheet,
		imp.contributionChain,
		imp.assessmentsSheet, imp.dutyItemsSheet, imp.rewardsSheet, imp.starRatingsSheet, imp.officeAuditsSheet,
		imp.termsSheet, imp.trainingClassesSheet, imp.trainingEnrolmentsSheet,
		imp.residentAssessmentsSheet, imp.agreementsSheet, imp.subsidiesSheet, imp.farmsSheet,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("checking the roster against the database: %w", err)
		}
	}
	imp.dedupeFlat()
	imp.advance(imp.total - imp.done)
	return nil
}

// column collects the distinct non-empty values of a column of a sheet.
func (imp *importer) column(kind SheetKind, col string, into map[string]bool) {
	s := imp.sheets[kind]
	if s == nil || !s.has(col) {
		return
	}
	for _, r := range s.rows {
		if v := s.get(r, col); v != "" {
			into[v] = true
		}
	}
}

// keyUse is a column that names records by their number.
type keyUse struct {
	kind SheetKind
	col  string
}

// ambiguous refuses the rows that name a number more than one record the
// importer can see carries. Numbers are not unique across the database
// (each department numbers its own records), only among what one viewer
// sees; the generated key (P123 …) of the export names one record.
func (imp *importer) ambiguous(numbers map[string]bool, uses ...keyUse) {
	if len(numbers) == 0 {
		return
	}
	for _, u := range uses {
		s := imp.sheets[u.kind]
		if s == nil || !s.has(u.col) {
			continue
		}
		for _, r := range s.rows {
			if v := s.get(r, u.col); numbers[v] {
				imp.problemAs(KindAmbiguousNumber, s, r.Line, u.col, v, "该编号对应多条已有记录，请改用导出文件中的系统编号", "this number matches more than one record on file; use the system number of the export")
			}
		}
	}
}

func (imp *importer) loadRegions() error {
	codes := map[string]bool{}
	imp.column(Institutions, colRegionCode, codes)
	imp.column(People, colHomeVillage, codes)
	imp.column(Posts, colRegion, codes)
	imp.column(Mentorships, colRegion, codes)
	imp.column(Appointments, colVillage, codes)
	imp.column(Assignments, colServiceArea, codes)
	imp.column(Demands, colRegion, codes)
	imp.column(Contributions, colVillage, codes)
	imp.column(Assessments, colRegion, codes)
	imp.column(DutyItems, colVillage, codes)
	imp.column(Rewards, colRegion, codes)
	imp.column(StarRatings, colVillage, codes)
	imp.column(OfficeAudits, colVillage, codes)
	imp.column(Terms, colRegion, codes)
	imp.column(TrainingClasses, colRegion, codes)
	imp.column(TrainingEnrolments, colRegion, codes)
	imp.column(ResidentAreas, colRegion, codes)
	imp.column(ResidentTeams, colVillage, codes)
	imp.column(ResidentAssessments, colVillage, codes)
	imp.column(ExpertAgreements, colRegion, codes)
	imp.column(SubsidyPayments, colRegion, codes)
	imp.column(DoctorFarms, colVillage, codes)
	imp.listColumn(ResidentAreas, colAreaVillages, codes)
	return chunked(keys(codes), chunk, func(cs []string) error {
		rs, err := imp.c.Region.Query().Where(region.CodeIn(cs...)).All(imp.ctx)
		for _, r := range rs {
			imp.regions[r.Code] = r
		}
		return err
	})
}

// generatedIDs lists the IDs named by generated keys (prefix + ID) among keys
// that matched no external_id.
func generatedIDs(prefix string, want map[string]bool, found func(string) bool) []int {
	var ids []int
	for k := range want {
		if found(k) {
			continue
		}
		if id, ok := generatedKey(prefix, k); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

func rowAt(s *boundSheet, line int) Row {
	i := sort.Search(len(s.rows), func(i int) bool { return s.rows[i].Line >= line })
	if i < len(s.rows) && s.rows[i].Line == line {
		return s.rows[i]
	}
	return Row{Line: line}
}

// dupRow reports a key already used in the sheet.
func dupRow(c *cells, seen map[string]int, col, key string) bool {
	if key == "" {
		return false
	}
	if prev, dup := seen[key]; dup {
		c.failAs(KindDuplicateNumber, col, key, fmt.Sprintf("与第%d行编号重复", prev), fmt.Sprintf("same number as row %d", prev))
		return true
	}
	seen[key] = c.r.Line
	return false
}

// loadByKey loads the rows on file that the sheet's 编号 column names, by
// external_id, and those named by a generated key (prefix + ID).
func loadByKey[T any](imp *importer, kind SheetKind, prefix string,
	byExternal func([]string) ([]T, error), byID func([]int) ([]T, error),
	ident func(T) (*string, int),
) (map[string]T, map[int]T, error) {
	want := map[string]bool{}
	imp.column(kind, colNo, want)
	onFile, generated := map[string]T{}, map[int]T{}
	twice := map[string]bool{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		xs, err := byExternal(ks)
		for _, x := range xs {
			if ext, _ := ident(x); ext != nil {
				if _, dup := onFile[*ext]; dup {
					twice[*ext] = true
				}
				onFile[*ext] = x
			}
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	imp.ambiguous(twice, keyUse{kind, colNo})
	for k := range twice {
		delete(onFile, k)
	}
	ids := generatedIDs(prefix, want, func(k string) bool { _, ok := onFile[k]; return ok })
	err = chunked(ids, chunk, func(ids []int) error {
		xs, err := byID(ids)
		for _, x := range xs {
			_, id := ident(x)
			generated[id] = x
		}
		return err
	})
	return onFile, generated, err
}

// appointmentsOnFile loads the appointments on file that a column names.
func (imp *importer) appointmentsOnFile(kind SheetKind, col string) (map[string]*ent.AdviserAppointment, error) {
	want := map[string]bool{}
	imp.column(kind, col, want)
	out := map[string]*ent.AdviserAppointment{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		as, err := imp.c.AdviserAppointment.Query().Where(adviserappointment.ExternalIDIn(ks...)).All(imp.ctx)
		for _, a := range as {
			out[*a.ExternalID] = a
		}
		return err
	})
	return out, err
}

// assignmentsOnFile loads the assignments on file that a column names.
func (imp *importer) assignmentsOnFile(kind SheetKind, col string) (map[string]*ent.ExpertAssignment, error) {
	want := map[string]bool{}
	imp.column(kind, col, want)
	out := map[string]*ent.ExpertAssignment{}
	err := chunked(keys(want), chunk, func(ks []string) error {
		as, err := imp.c.ExpertAssignment.Query().Where(expertassignment.ExternalIDIn(ks...)).All(imp.ctx)
		for _, a := range as {
			out[*a.ExternalID] = a
		}
		return err
	})
	return out, err
}

// idOf is the ID a reference stands for, nil for no reference (or a row not
// yet written, which nothing on file can point at).
func idOf(r ref) *int {
	if !r.ok() || r.ID() == 0 {
		return nil
	}
	id := r.ID()
	return &id
}

func uniq(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func tagStrings(ts []vocabTag) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

func fieldStrings(fs []vocabField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
