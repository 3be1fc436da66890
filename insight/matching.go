package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/demand"
	"yanzhen/errcode"
	"yanzhen/i18n"
	"yanzhen/regioncode"
	"yanzhen/vocab"
)

// MatchWeights configure the 两单合一 ranking. A candidate's score is
//
//	Cooperation×cooperation + Field×fieldFit + Proximity×proximity + Load×load
//
// with each component in 0…1:
//
//   - cooperation (合作基础优先): 1 when the expert has (or had) an assignment in
//     the demand's county, 0.5 when another expert of their institution has,
//     else 0;
//   - fieldFit (专业领域契合): 1 when the demanded field is in the expert's
//     expertise or the fields of one of their assignments, 0.5 when only a
//     related field is (RelatedFields);
//   - proximity (工作就近就便): where the expert's institution is (their home
//     village when they have no institution) against the demand's region: 1
//     same county, 0.67 same city, 0.33 same province, 0 elsewhere;
//   - load: 1 − active/Cap while the expert has fewer than Cap assignments in
//     force, and Overload (negative) at or over the cap.
type MatchWeights struct {
	Cooperation, Field, Proximity, Load float64
	// Cap is how many assignments in force an expert can carry.
	Cap int
	// Overload is the load component at or over the cap.
	Overload float64
}

// DefaultMatchWeights follow the seeds' order of priority: cooperation first,
// then field, then proximity; the overload penalty outweighs any proximity.
var DefaultMatchWeights = MatchWeights{Cooperation: 0.35, Field: 0.30, Proximity: 0.20, Load: 0.15, Cap: 3, Overload: -3}

// relatedPairs are the fields close enough that an expert in one can serve a
// demand in the other (a partial fit). The relation is symmetric.
var relatedPairs = [][2]vocab.AgriculturalField{
	{"FIELD_CROPS", "TUBERS"}, {"FIELD_CROPS", "LEGUMES"}, {"FIELD_CROPS", "SOIL_FERTILIZER"},
	{"FIELD_CROPS", "PLANT_PROTECTION"}, {"FIELD_CROPS", "AGRICULTURAL_MACHINERY"},
	{"TUBERS", "LEGUMES"},
	{"VEGETABLES", "MELONS"}, {"VEGETABLES", "PROTECTED_AGRICULTURE"}, {"VEGETABLES", "EDIBLE_FUNGI"},
	{"VEGETABLES", "PLANT_PROTECTION"},
	{"FRUIT_TREES", "PLANT_PROTECTION"}, {"FRUIT_TREES", "SOIL_FERTILIZER"}, {"FRUIT_TREES", "MELONS"},
	{"MEDICINAL_HERBS", "EDIBLE_FUNGI"}, {"MEDICINAL_HERBS", "FIELD_CROPS"},
	{"LIVESTOCK_POULTRY", "AQUACULTURE"}, {"LIVESTOCK_POULTRY", "FOOD_PROCESSING"},
	{"PROTECTED_AGRICULTURE", "SMART_AGRICULTURE"}, {"PROTECTED_AGRICULTURE", "MELONS"},
	{"SMART_AGRICULTURE", "AGRICULTURAL_MACHINERY"},
	{"SOIL_FERTILIZER", "PLANT_PROTECTION"},
	{"LEISURE_AGRICULTURE", "E_COMMERCE"}, {"FOOD_PROCESSING", "E_COMMERCE"},
}

// RelatedFields returns the fields related to f (not f itself), sorted.
func RelatedFields(f vocab.AgriculturalField) []vocab.AgriculturalField {
	var out []vocab.AgriculturalField
	for _, p := range relatedPairs {
		switch f {
		case p[0]:
			out = append(out, p[1])
		case p[1]:
			out = append(out, p[0])
		}
	}
	slices.Sort(out)
	return out
}

// Candidate is an expert ranked for a demand.
type Candidate struct {
	ExpertID                               int
	InstitutionID                          int // 0 when none
	Score                                  float64
	Cooperation, FieldFit, Proximity, Load float64
	ActiveAssignments                      int
	Reasons                                []i18n.Text
}

// fieldLike is the SQL test that a JSON array column holds the field in
// parameter p (both engines render the array as text with quoted codes).
func fieldLike(col, p string) string {
	return fmt.Sprintf("CAST(%s AS TEXT) LIKE '%%\"' || %s || '\"%%'", col, p)
}

// expertsCTE lists the people who count as experts: those of a university or
// research institute, and anyone who has ever had an expert assignment.
const expertsCTE = `experts(id) AS (
		SELECT p.id FROM persons p JOIN institutions i ON i.id = p.institution_id
		WHERE i.kind IN ('UNIVERSITY', 'RESEARCH_INSTITUTE')
		UNION
		SELECT expert_id FROM expert_assignments
	)`

// isExpert reports whether the person is among expertsCTE's experts.
func isExpert(ctx context.Context, c *ent.Client, id int) (bool, error) {
	found := false
	err := queryRows(ctx, c, `WITH `+expertsCTE+` SELECT 1 FROM experts WHERE id = $1`, []any{id},
		func(*sql.Rows) error { found = true; return nil })
	if err != nil {
		return false, fmt.Errorf("is expert: %w", err)
	}
	return found, nil
}

// fitsSQL is a CASE giving 2 when expert p's expertise or assignments hold
// the field in parameter exact, 1 when they hold one of the fields in the
// parameters related, else 0.
func fitsSQL(exact string, related []string) string {
	holds := func(param string) string {
		return fmt.Sprintf("(%s OR EXISTS (SELECT 1 FROM expert_assignments fa WHERE fa.expert_id = p.id AND %s))",
			fieldLike("p.expertise", param), fieldLike("fa.fields", param))
	}
	s := "CASE WHEN " + holds(exact) + " THEN 2"
	if len(related) > 0 {
		var ors []string
		for _, r := range related {
			ors = append(ors, holds(r))
		}
		s += " WHEN " + strings.Join(ors, " OR ") + " THEN 1"
	}
	return s + " ELSE 0 END"
}

// MatchCandidates ranks the experts that fit a demand's field, best first,
// at most first of them; on is the date load is measured on. It returns an
// empty list when no expert fits the field.
func MatchCandidates(ctx context.Context, c *ent.Client, demandID, first int, w MatchWeights, on time.Time) ([]Candidate, error) {
	// Matching proposes people to a region's demand: regional roles only.
	if v := auth.FromContext(ctx); !v.System() && !v.Regional() {
		return nil, auth.Deny(v)
	}
	d, err := c.Demand.Query().Where(demand.ID(demandID)).WithRegion().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.NotFound, "no demand with this ID / 未找到该需求")
	}
	if err != nil {
		return nil, err
	}
	code := d.Edges.Region.Code
	county := code[:min(6, len(code))]
	clo, chi := codeRange(county)
	related := RelatedFields(d.Field)
	args := []any{string(d.Field), day(on), clo, chi}
	var relParams []string
	for _, r := range related {
		args = append(args, string(r))
		relParams = append(relParams, fmt.Sprintf("$%d", len(args)))
	}
	inCounty := "r.code >= $3 AND r.code < $4"
	// Only experts the viewer may see are proposed.
	proposed := seesPeople(ctx, "p.id", &args)
	q := `WITH ` + expertsCTE + `,
	features AS (
		SELECT p.id, COALESCE(p.institution_id, 0) AS institution_id, ` + fitsSQL("$1", relParams) + ` AS fit,
			COALESCE(ir.code, hv.code, '') AS home_code,
			(SELECT COUNT(*) FROM expert_assignments a WHERE a.expert_id = p.id
				AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)) AS active,
			(SELECT COUNT(*) FROM expert_assignments a JOIN regions r ON r.id = a.region_id
				WHERE a.expert_id = p.id AND ` + inCounty + `) AS own_assignments,
			(SELECT COUNT(*) FROM service_records s JOIN expert_assignments a ON a.id = s.assignment_id
				JOIN regions r ON r.id = a.region_id WHERE a.expert_id = p.id AND ` + inCounty + `) AS own_records,
			(SELECT COUNT(*) FROM expert_assignments a JOIN persons q ON q.id = a.expert_id
				JOIN regions r ON r.id = a.region_id
				WHERE q.institution_id = p.institution_id AND q.id <> p.id AND ` + inCounty + `) AS institution_assignments
		FROM experts e JOIN persons p ON p.id = e.id
		LEFT JOIN institutions i ON i.id = p.institution_id
		LEFT JOIN regions ir ON ir.id = i.region_id
		LEFT JOIN regions hv ON hv.id = p.home_village_id
		WHERE ` + proposed + `
	)
	SELECT id, institution_id, fit, home_code, active, own_assignments, own_records, institution_assignments
	FROM features WHERE fit > 0`
	var out []Candidate
	err = queryRows(ctx, c, q, args, func(rows *sql.Rows) error {
		var (
			cd                                    Candidate
			fit, own, records, institutionServing int
			home                                  string
		)
		if err := rows.Scan(&cd.ExpertID, &cd.InstitutionID, &fit, &home, &cd.ActiveAssignments, &own, &records, &institutionServing); err != nil {
			return err
		}
		score(&cd, w, d.Field, code, fit, home, own, records, institutionServing)
		out = append(out, cd)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("match candidates: %w", err)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return a.ExpertID - b.ExpertID
	})
	if len(out) > first {
		out = out[:first]
	}
	return out, nil
}

// score fills a candidate's components, score and reasons.
func score(cd *Candidate, w MatchWeights, field vocab.AgriculturalField, code string, fit int, home string, own, records, institutionServing int) {
	label := fieldTerm(field)
	switch {
	case own > 0:
		cd.Cooperation = 1
		cd.Reasons = append(cd.Reasons, text("合作基础：已在该县（旗、区）承担 %d 项选派任务、%d 条服务记录",
			"cooperation: already has %d assignment(s) and %d service record(s) in this county", own, records))
	case institutionServing > 0:
		cd.Cooperation = 0.5
		cd.Reasons = append(cd.Reasons, text("合作基础：所在单位已有专家在该县（旗、区）服务（%d 项选派）",
			"cooperation: their institution already serves this county (%d assignment(s))", institutionServing))
	default:
		cd.Reasons = append(cd.Reasons, text("合作基础：尚无在该县（旗、区）的合作", "cooperation: no prior work in this county"))
	}
	if fit == 2 {
		cd.FieldFit = 1
		cd.Reasons = append(cd.Reasons, i18n.Text{Zh: "专业契合：专业领域为" + label.Chinese, En: "field: works in " + label.English})
	} else {
		cd.FieldFit = 0.5
		cd.Reasons = append(cd.Reasons, i18n.Text{Zh: "专业相近：专业领域与" + label.Chinese + "相关", En: "field: works in a field related to " + label.English})
	}
	switch {
	case home == "":
		cd.Reasons = append(cd.Reasons, text("就近就便：单位所在地不详", "proximity: location unknown"))
	case len(home) >= 6 && home[:6] == code[:6]:
		cd.Proximity = 1
		cd.Reasons = append(cd.Reasons, text("就近就便：同一县（旗、区）", "proximity: same county"))
	case len(home) >= 4 && home[:4] == code[:4]:
		cd.Proximity = 0.67
		cd.Reasons = append(cd.Reasons, text("就近就便：同一市（盟）", "proximity: same city"))
	case home[:2] == code[:2]:
		cd.Proximity = 0.33
		cd.Reasons = append(cd.Reasons, text("就近就便：同一省（区）", "proximity: same province"))
	default:
		cd.Reasons = append(cd.Reasons, text("就近就便：外省（区）", "proximity: another province"))
	}
	capacity := max(w.Cap, 1)
	if cd.ActiveAssignments >= capacity {
		cd.Load = w.Overload
		cd.Reasons = append(cd.Reasons, text("工作负荷：在岗任务 %d 项，已达上限 %d 项",
			"load: %d assignments in force, at or over the cap of %d", cd.ActiveAssignments, capacity))
	} else {
		cd.Load = 1 - float64(cd.ActiveAssignments)/float64(capacity)
		cd.Reasons = append(cd.Reasons, text("工作负荷：在岗任务 %d 项（上限 %d 项）",
			"load: %d assignments in force (cap %d)", cd.ActiveAssignments, capacity))
	}
	cd.Score = w.Cooperation*cd.Cooperation + w.Field*cd.FieldFit + w.Proximity*cd.Proximity + w.Load*cd.Load
}

// ConfirmMatch records a person's decision on a match: it creates the expert
// assignment answering the demand (in regionID, or the demand's region when
// 0), with the demanded field, who confirmed it and when, and marks the
// demand MATCHED. c should be the request's transaction, so that both writes
// happen or neither.
func ConfirmMatch(ctx context.Context, c *ent.Client, demandID, expertID, regionID int, start time.Time, confirmedBy string) (*ent.ExpertAssignment, error) {
	confirmedBy = strings.TrimSpace(confirmedBy)
	if confirmedBy == "" {
		return nil, errcode.BadInput("confirmedBy", "say who confirms the match / 请填写确认人")
	}
	d, err := c.Demand.Get(ctx, demandID)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.NotFound, "no demand with this ID / 未找到该需求")
	}
	if err != nil {
		return nil, err
	}
	if d.Status != demand.StatusOPEN {
		return nil, errcode.ConflictWith("the demand is %s, not OPEN; only an open demand can be matched / 该需求已对接或已完成", d.Status)
	}
	if err := personExists(ctx, c, expertID); err != nil {
		return nil, err
	}
	// Only someone matching could propose may be confirmed: a match made by
	// hand must not send a village cadre as 科技特派员.
	expert, err := isExpert(ctx, c, expertID)
	if err != nil {
		return nil, err
	}
	if !expert {
		return nil, errcode.BadInput("expertID", "not an expert: only people of a university or research institute, or with an expert assignment, can be matched / 非专家：仅高校、科研院所人员或已有选派记录者可对接")
	}
	if regionID == 0 {
		regionID = d.RegionID
	}
	a, err := c.ExpertAssignment.Create().
		SetExpertID(expertID).
		SetRegionID(regionID).
		SetStartDate(day(start)).
		SetFields([]vocab.AgriculturalField{d.Field}).
		SetDemandID(d.ID).
		SetConfirmedBy(confirmedBy).
		SetConfirmedAt(time.Now()).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := d.Update().SetStatus(demand.StatusMATCHED).Exec(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// FieldGap is a field with open demands and no expert serving it.
type FieldGap struct {
	Field       vocab.AgriculturalField
	OpenDemands int
}

// Gaps is where supply does not meet demand in a region subtree.
type Gaps struct {
	// DemandIDs are open demands without a fitting expert in their province.
	DemandIDs       []int
	UncoveredFields []FieldGap
}

// valuesSQL renders pairs as a VALUES list of string literals (the codes are
// our own constants).
func valuesSQL(pairs [][2]string) string {
	rows := make([]string, len(pairs))
	for i, p := range pairs {
		rows[i] = fmt.Sprintf("('%s', '%s')", p[0], p[1])
	}
	return "VALUES " + strings.Join(rows, ", ")
}

// fitPairs lists (demanded field, field that serves it): every field serves
// itself, and related fields serve each other.
func fitPairs() [][2]string {
	var out [][2]string
	for _, t := range vocab.AgriculturalFields {
		out = append(out, [2]string{t.Code, t.Code})
	}
	for _, p := range relatedPairs {
		out = append(out, [2]string{string(p[0]), string(p[1])}, [2]string{string(p[1]), string(p[0])})
	}
	return out
}

// SupplyGaps finds, in the subtree of code: open demands whose field (or a
// related one) no expert covers in the demand's province — by institution or
// home location there, or an assignment in force there — and the fields of
// open demands that no assignment in force in the subtree (or at a region
// above it) lists.
func SupplyGaps(ctx context.Context, c *ent.Client, code string, on time.Time) (*Gaps, error) {
	if _, err := analyticsRegion(ctx, c, code); err != nil {
		return nil, err
	}
	lo, hi := codeRange(code)
	plo, phi := codeRange(code[:2])
	var g Gaps
	q := `WITH ` + expertsCTE + `,
	fits(demanded, serves) AS (` + valuesSQL(fitPairs()) + `
		-- The fields areas added (a county's 茶叶) serve themselves.
		UNION ALL SELECT code, code FROM vocabulary_terms WHERE vocabulary = 'AGRICULTURAL_FIELD'),
	local_experts(id) AS (
		SELECT p.id FROM experts e JOIN persons p ON p.id = e.id
		LEFT JOIN institutions i ON i.id = p.institution_id
		LEFT JOIN regions ir ON ir.id = i.region_id
		LEFT JOIN regions hv ON hv.id = p.home_village_id
		WHERE COALESCE(ir.code, hv.code, '') >= $3 AND COALESCE(ir.code, hv.code, '') < $4
		UNION
		SELECT a.expert_id FROM expert_assignments a JOIN regions r ON r.id = a.region_id
		WHERE r.code >= $3 AND r.code < $4 AND a.start_date <= $5 AND (a.end_date IS NULL OR a.end_date >= $5)
	),
	covered(field) AS (
		SELECT DISTINCT f.demanded FROM fits f JOIN local_experts e ON EXISTS (
			SELECT 1 FROM persons p WHERE p.id = e.id AND ` + fieldLike("p.expertise", "f.serves") + `)
			OR EXISTS (SELECT 1 FROM expert_assignments a WHERE a.expert_id = e.id AND ` + fieldLike("a.fields", "f.serves") + `)
	)
	SELECT d.id FROM demands d JOIN regions r ON r.id = d.region_id
	WHERE d.status = 'OPEN' AND r.code >= $1 AND r.code < $2
		AND d.field NOT IN (SELECT field FROM covered)
	ORDER BY d.raised_on, d.id`
	err := queryRows(ctx, c, q, []any{lo, hi, plo, phi, day(on)}, func(rows *sql.Rows) error {
		var id int
		if err := rows.Scan(&id); err != nil {
			return err
		}
		g.DemandIDs = append(g.DemandIDs, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demands without candidates: %w", err)
	}
	// Assignments at the region itself or above it serve the whole subtree.
	above := append(regioncode.Ancestors(code), code)
	args := []any{lo, hi, day(on)}
	var marks []string
	for _, a := range above {
		args = append(args, a)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	q = `SELECT d.field, COUNT(*) FROM demands d JOIN regions r ON r.id = d.region_id
	WHERE d.status = 'OPEN' AND r.code >= $1 AND r.code < $2
		AND NOT EXISTS (
			SELECT 1 FROM expert_assignments a JOIN regions ar ON ar.id = a.region_id
			WHERE ((ar.code >= $1 AND ar.code < $2) OR ar.code IN (` + strings.Join(marks, ", ") + `))
				AND a.start_date <= $3 AND (a.end_date IS NULL OR a.end_date >= $3)
				AND ` + fieldLike("a.fields", "d.field") + `)
	GROUP BY d.field ORDER BY d.field`
	err = queryRows(ctx, c, q, args, func(rows *sql.Rows) error {
		var fg FieldGap
		if err := rows.Scan(&fg.Field, &fg.OpenDemands); err != nil {
			return err
		}
		g.UncoveredFields = append(g.UncoveredFields, fg)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("uncovered fields: %w", err)
	}
	return &g, nil
}

// fieldTerm returns the vocabulary entry of f (its code as labels if unknown).
func fieldTerm(f vocab.AgriculturalField) vocab.Term {
	for _, t := range vocab.AgriculturalFields {
		if t.Code == string(f) {
			return t
		}
	}
	return vocab.Term{Code: string(f), Chinese: string(f), English: string(f)}
}
