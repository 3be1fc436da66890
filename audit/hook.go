package audit

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"entgo.io/ent"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/privacy"
	"yanzhen/pii"
)

// Fields never copied into the log: derived, internal or secret.
var unaudited = map[string]bool{
	"created_at": true, "updated_at": true, "name_pinyin": true, "name_initials": true,
	"phone_suffix": true, "id_number_hash": true, "password_hash": true, "seat": true,
	"failed_logins": true, "content": true, "report": true, "claim": true, "lease_until": true,
}

// mask masks personal data kept in the log.
func mask(field string, v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	switch field {
	case "phone":
		return pii.MaskPhone(s)
	case "id_number":
		return pii.MaskIDNumber(s)
	}
	return v
}

func maskAll(fields map[string]any) {
	for f, x := range fields {
		fields[f] = mask(f, x)
	}
}

// Remask masks the personal fields of the audit entries a query returns
// with today's masks. Entries are never rewritten, and those written before
// the ID-number mask hid the birth-date digits and the last four
// (110105********0123) would otherwise give the number away; masking is
// idempotent, so current entries come back unchanged.
func Remask() ent.Interceptor { return remask }

var remask = ent.InterceptFunc(func(next ent.Querier) ent.Querier {
	return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
		v, err := next.Query(ctx, q)
		if err != nil {
			return v, err
		}
		if logs, ok := v.([]*gen.AuditLog); ok {
			for _, l := range logs {
				maskAll(l.Before)
				maskAll(l.After)
			}
		}
		return v, nil
	})
})

type idsMutation interface {
	ent.Mutation
	IDs(context.Context) ([]int, error)
	ID() (int, bool)
	Client() *gen.Client
}

// Hook records every change of an entity in the audit log, in the same
// transaction: creates with the fields written, updates with the changed
// fields before and after, deletes with the deleted rows' fields as before.
// Personal fields are masked, derived and secret ones left out. Changes
// made as the system (commands, the demo, system imports — which write one
// IMPORT entry) and internal bookkeeping (sign-in counters, session stamps,
// which write their own entries) are not recorded row by row. While ctx
// carries a Batch, the entries go to the batch instead of the database.
func Hook() ent.Hook { return changes }

func changes(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		v := auth.FromContext(ctx)
		am, ok := m.(idsMutation)
		_, bookkeeping := privacy.DecisionFromContext(ctx)
		if !ok || v.System() || bookkeeping {
			return next.Mutate(ctx, m)
		}
		if m.Op().Is(ent.OpDelete | ent.OpDeleteOne) {
			return deletes(ctx, am, next)
		}
		// Internal reads below see what they must whatever the viewer may.
		ictx := internal(ctx)
		var ids []int
		before := map[string]any{}
		switch {
		case m.Op().Is(ent.OpUpdateOne):
			id, _ := am.ID()
			ids = []int{id}
			for _, f := range m.Fields() {
				if unaudited[f] {
					continue
				}
				old, err := m.OldField(ictx, f)
				if err != nil {
					return nil, err
				}
				before[f] = old
			}
			for _, f := range m.ClearedFields() {
				if old, err := m.OldField(ictx, f); err == nil && !unaudited[f] {
					before[f] = old
				}
			}
		case m.Op().Is(ent.OpUpdate):
			var err error
			if ids, err = am.IDs(ictx); err != nil {
				return nil, err
			}
		}
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		action := auditlog.ActionUPDATE
		if m.Op().Is(ent.OpCreate) {
			action = auditlog.ActionCREATE
			if id, ok := am.ID(); ok {
				ids = []int{id}
			}
		}
		after := map[string]any{}
		for _, f := range m.Fields() {
			if !unaudited[f] {
				after[f], _ = m.Field(f)
			}
		}
		for _, f := range m.ClearedFields() {
			if !unaudited[f] {
				after[f] = nil
			}
		}
		// An update that changes nothing is not news. Values are compared
		// before masking: a new ID number of the same region masks to the
		// same text, and its change is recorded all the same.
		for f, nv := range after {
			if ov, ok := before[f]; ok && sameValue(ov, nv) {
				delete(after, f)
				delete(before, f)
			}
		}
		maskAll(before)
		maskAll(after)
		if action == auditlog.ActionUPDATE && len(after) == 0 {
			return value, nil
		}
		r := hookRow(ctx, Entry{Action: action, EntityType: m.Type(), ObjectIDs: ids, Before: before, After: after})
		r.lookup = len(ids) == 1
		if err := emit(ctx, am.Client(), r); err != nil {
			return nil, err
		}
		return value, nil
	})
}

// deletes records a delete: one entry per deleted row, with the row's
// fields as they were (masked like an update's) and its region, both read
// before the rows go.
func deletes(ctx context.Context, m idsMutation, next ent.Mutator) (ent.Value, error) {
	ictx := internal(ctx)
	ids, err := m.IDs(ictx)
	if err != nil {
		return nil, err
	}
	var old map[int]map[string]any
	var regions map[int]string
	if len(ids) > 0 {
		if old, err = snapshot(ictx, m.Client(), m.Type(), ids); err != nil {
			return nil, fmt.Errorf("reading the rows to delete for the audit log: %w", err)
		}
		if regions, err = regionsOf(ictx, m.Client(), m.Type(), ids); err != nil {
			return nil, fmt.Errorf("reading the rows to delete for the audit log: %w", err)
		}
	}
	value, err := next.Mutate(ctx, m)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, id := range ids {
		if _, ok := old[id]; !ok {
			continue // not there to delete
		}
		rows = append(rows, hookRow(ctx, Entry{Action: auditlog.ActionDELETE, EntityType: m.Type(),
			ObjectIDs: []int{id}, RegionCode: regions[id], Before: old[id]}))
	}
	if err := emit(ctx, m.Client(), rows...); err != nil {
		return nil, err
	}
	return value, nil
}

func hookRow(ctx context.Context, e Entry) row {
	r := resolve(ctx, e)
	r.fromHook = true
	return r
}

// emit writes the hook's rows, or adds them to the batch of ctx.
func emit(ctx context.Context, c *gen.Client, rows ...row) error {
	if len(rows) == 0 {
		return nil
	}
	if b := batchFrom(ctx); b != nil {
		b.add(rows...)
		return nil
	}
	return write(ctx, c, rows)
}

// sameValue compares an old and a new field value, dereferencing pointers
// (optional fields are read as pointers from the old row).
func sameValue(a, b any) bool {
	deref := func(x any) any {
		rv := reflect.ValueOf(x)
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return nil
			}
			return rv.Elem().Interface()
		}
		return x
	}
	a, b = deref(a), deref(b)
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return reflect.DeepEqual(a, b)
}

// regionSQL finds the region code of the objects of each audited type: the
// code column and the FROM clause, whose object table is x.
var regionSQL = map[string]struct{ code, from string }{
	"Region":             {"x.code", "regions x"},
	"Person":             {"r.code", "persons x JOIN regions r ON r.id = x.home_village_id"},
	"Institution":        {"r.code", "institutions x JOIN regions r ON r.id = x.region_id"},
	"Post":               {"r.code", "posts x JOIN regions r ON r.id = x.region_id"},
	"Mentorship":         {"r.code", "mentorships x JOIN regions r ON r.id = x.region_id"},
	"AdviserAppointment": {"r.code", "adviser_appointments x JOIN regions r ON r.id = x.village_id"},
	"Contribution":       {"r.code", "contributions x JOIN regions r ON r.id = x.village_id"},
	"Assessment":         {"r.code", "assessments x JOIN regions r ON r.id = x.region_id"},
	"DutyItem":           {"r.code", "duty_items x JOIN regions r ON r.id = x.region_id"},
	"ExpertAssignment":   {"r.code", "expert_assignments x JOIN regions r ON r.id = x.region_id"},
	"Demand":             {"r.code", "demands x JOIN regions r ON r.id = x.region_id"},
	"ContactLog": {"r.code", `contact_logs x JOIN adviser_appointments a ON a.id = x.appointment_id
		JOIN regions r ON r.id = a.village_id`},
	"ServiceRecord": {"r.code", `service_records x JOIN expert_assignments a ON a.id = x.assignment_id
		JOIN regions r ON r.id = a.region_id`},
	"Reward":            {"r.code", "rewards x JOIN regions r ON r.id = x.region_id"},
	"StarRating":        {"r.code", "star_ratings x JOIN regions r ON r.id = x.village_id"},
	"OfficeAudit":       {"r.code", "office_audits x JOIN regions r ON r.id = x.region_id"},
	"Term":              {"r.code", "terms x JOIN regions r ON r.id = x.region_id"},
	"TrainingClass":     {"r.code", "training_classes x JOIN regions r ON r.id = x.region_id"},
	"TrainingEnrolment": {"r.code", "training_enrolments x JOIN regions r ON r.id = x.region_id"},
	// A period of a person's attribute is where the person lives.
	"PersonAttribute": {"r.code", `person_attributes x JOIN persons p ON p.id = x.person_id
		JOIN regions r ON r.id = p.home_village_id`},
	"Candidacy":          {"r.code", "candidacies x JOIN regions r ON r.id = x.region_id"},
	"CandidacyStep":      {"r.code", "candidacy_steps x JOIN candidacies c ON c.id = x.candidacy_id JOIN regions r ON r.id = c.region_id"},
	"ResidentTeam":       {"r.code", "resident_teams x JOIN regions r ON r.id = x.village_id"},
	"ResidentArea":       {"r.code", "resident_areas x JOIN regions r ON r.id = x.region_id"},
	"ResidentAssessment": {"r.code", "resident_assessments x JOIN regions r ON r.id = x.region_id"},
	"ExpertAgreement":    {"r.code", "expert_agreements x JOIN regions r ON r.id = x.region_id"},
	"SubsidyPayment":     {"r.code", "subsidy_payments x JOIN regions r ON r.id = x.region_id"},
	"DoctorFarm":         {"r.code", "doctor_farms x JOIN regions r ON r.id = x.village_id"},
	"User":               {"x.region_code", "users x"},
	"ImportJob":          {"x.region_code", "import_jobs x"},
	// A national term or word has the region code "" (no region).
	"VocabularyTerm": {"x.region_code", "vocabulary_terms x"},
	"VocabularyWord": {"x.region_code", "vocabulary_words x"},
}

// RegionsOf reads the region codes of objects of a type (the region each
// audit entry is scoped by, and the change feed's), by one query per
// bulkSize objects; objects without a region, and types without one, are
// left out. ctx must let the reads through privacy.
func RegionsOf(ctx context.Context, c *gen.Client, typ string, ids []int) (map[int]string, error) {
	return regionsOf(ctx, c, typ, ids)
}

func regionsOf(ctx context.Context, c *gen.Client, typ string, ids []int) (map[int]string, error) {
	q, ok := regionSQL[typ]
	out := map[int]string{}
	if !ok || len(ids) == 0 {
		return out, nil
	}
	for chunk := range slices.Chunk(ids, bulkSize) {
		marks, args := make([]string, len(chunk)), make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		query := "SELECT x.id, " + q.code + " FROM " + q.from + " WHERE x.id IN (" + strings.Join(marks, ", ") + ")"
		if err := func() error {
			rows, err := c.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int
				var code sql.NullString
				if err := rows.Scan(&id, &code); err != nil {
					return err
				}
				out[id] = code.String
			}
			return rows.Err()
		}(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lookupRegions sets the region of the rows that take their object's,
// reading them by one query per type (and bulkSize objects).
func lookupRegions(ctx context.Context, c *gen.Client, rows []row) error {
	ids := map[string][]int{}
	for _, r := range rows {
		if r.lookup && len(r.ObjectIDs) == 1 {
			ids[r.EntityType] = append(ids[r.EntityType], r.ObjectIDs[0])
		}
	}
	for typ, list := range ids {
		codes, err := regionsOf(ctx, c, typ, list)
		if err != nil {
			return err
		}
		for i := range rows {
			r := &rows[i]
			if r.lookup && len(r.ObjectIDs) == 1 && r.EntityType == typ {
				if code := codes[r.ObjectIDs[0]]; code != "" {
					r.RegionCode = code
				}
				r.lookup = false
			}
		}
	}
	return nil
}
