package schema

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/mixin"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/privacy"
	"yanzhen/pii"
)

func timeNow() time.Time { return time.Now() }

var digitsOrEmpty = regexp.MustCompile(`^[0-9]*$`)

// AuditMixin records every change of the entity in the audit log, in the
// same transaction: creates with the fields written, updates with the
// changed fields before and after, deletes with the IDs. Changes made as
// the system (commands, the demo, imports — which write one IMPORT entry
// instead) are not recorded row by row.
type AuditMixin struct{ mixin.Schema }

func (AuditMixin) Hooks() []ent.Hook { return []ent.Hook{auditChanges} }

// Fields never copied into the log: derived, internal or secret.
var unaudited = map[string]bool{
	"created_at": true, "updated_at": true, "name_pinyin": true, "name_initials": true,
	"phone_suffix": true, "id_number_hash": true, "password_hash": true, "seat": true,
	"failed_logins": true, "content": true, "report": true, "claim": true, "lease_until": true,
}

// maskAudited masks personal data kept in the log.
func maskAudited(field string, v any) any {
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

// remaskAudited masks the personal fields of the audit entries a query
// returns with today's masks. Entries are never rewritten, and those written
// before the ID-number mask hid the birth-date digits and the last four
// (110105********0123) would otherwise give the number away; masking is
// idempotent, so current entries come back unchanged.
var remaskAudited = ent.InterceptFunc(func(next ent.Querier) ent.Querier {
	return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
		v, err := next.Query(ctx, q)
		if err != nil {
			return v, err
		}
		if logs, ok := v.([]*gen.AuditLog); ok {
			for _, l := range logs {
				for _, fields := range []map[string]any{l.Before, l.After} {
					for f, x := range fields {
						fields[f] = maskAudited(f, x)
					}
				}
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

func auditChanges(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		v := auth.FromContext(ctx)
		am, ok := m.(idsMutation)
		// Bookkeeping done with an internal decision (sign-in counters,
		// session stamps) writes its own entries.
		_, bookkeeping := privacy.DecisionFromContext(ctx)
		if !ok || v.System() || bookkeeping {
			return next.Mutate(ctx, m)
		}
		// Internal reads below see what they must whatever the viewer may.
		internal := privacy.DecisionContext(ctx, privacy.Allow)
		var ids []int
		before := map[string]any{}
		region := ""
		switch {
		case m.Op().Is(ent.OpUpdateOne):
			id, _ := am.ID()
			ids = []int{id}
			for _, f := range m.Fields() {
				if unaudited[f] {
					continue
				}
				old, err := m.OldField(internal, f)
				if err != nil {
					return nil, err
				}
				before[f] = old
			}
			for _, f := range m.ClearedFields() {
				if old, err := m.OldField(internal, f); err == nil && !unaudited[f] {
					before[f] = old
				}
			}
		case m.Op().Is(ent.OpUpdate | ent.OpDelete | ent.OpDeleteOne):
			var err error
			if ids, err = am.IDs(internal); err != nil {
				return nil, err
			}
			if m.Op().Is(ent.OpDeleteOne|ent.OpDelete) && len(ids) == 1 {
				region = regionOfObject(internal, am.Client(), m.Type(), ids[0])
			}
		}
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		action := auditlog.ActionUPDATE
		switch {
		case m.Op().Is(ent.OpCreate):
			action = auditlog.ActionCREATE
			if id, ok := am.ID(); ok {
				ids = []int{id}
			}
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
			action = auditlog.ActionDELETE
		}
		after := map[string]any{}
		if action != auditlog.ActionDELETE {
			for _, f := range m.Fields() {
				if unaudited[f] {
					continue
				}
				after[f], _ = m.Field(f)
			}
			for _, f := range m.ClearedFields() {
				if !unaudited[f] {
					after[f] = nil
				}
			}
			// An update that changes nothing is not news. Values are
			// compared before masking: a new ID number of the same region
			// masks to the same text, and its change is recorded all the same.
			for f, nv := range after {
				if ov, ok := before[f]; ok && sameValue(ov, nv) {
					delete(after, f)
					delete(before, f)
				}
			}
			for _, fields := range []map[string]any{before, after} {
				for f, x := range fields {
					fields[f] = maskAudited(f, x)
				}
			}
			if action == auditlog.ActionUPDATE && len(after) == 0 {
				return value, nil
			}
			if len(ids) == 1 {
				region = regionOfObject(internal, am.Client(), m.Type(), ids[0])
			}
		}
		if region == "" && v != nil {
			region = v.Scope
		}
		e := am.Client().AuditLog.Create().
			SetActorName(v.Name()).
			SetAction(action).
			SetEntityType(m.Type()).
			SetObjectIds(ids).
			SetRegionCode(region).
			SetRequestID(requestID(v))
		if !v.Anonymous() {
			e.SetActorID(v.UserID)
		}
		if len(before) > 0 {
			e.SetBefore(before)
		}
		if len(after) > 0 {
			e.SetAfter(after)
		}
		if err := e.Exec(internal); err != nil {
			return nil, fmt.Errorf("writing the audit log: %w", err)
		}
		return value, nil
	})
}

func requestID(v *auth.Viewer) string {
	if v == nil {
		return ""
	}
	return v.RequestID
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

// regionSQL finds the region code of an object of each audited type.
var regionSQL = map[string]string{
	"Region":             `SELECT code FROM regions WHERE id = $1`,
	"Person":             `SELECT r.code FROM persons x JOIN regions r ON r.id = x.home_village_id WHERE x.id = $1`,
	"Institution":        `SELECT r.code FROM institutions x JOIN regions r ON r.id = x.region_id WHERE x.id = $1`,
	"Post":               `SELECT r.code FROM posts x JOIN regions r ON r.id = x.region_id WHERE x.id = $1`,
	"Mentorship":         `SELECT r.code FROM mentorships x JOIN regions r ON r.id = x.region_id WHERE x.id = $1`,
	"AdviserAppointment": `SELECT r.code FROM adviser_appointments x JOIN regions r ON r.id = x.village_id WHERE x.id = $1`,
	"Contribution":       `SELECT r.code FROM contributions x JOIN regions r ON r.id = x.village_id WHERE x.id = $1`,
	"ExpertAssignment":   `SELECT r.code FROM expert_assignments x JOIN regions r ON r.id = x.region_id WHERE x.id = $1`,
	"Demand":             `SELECT r.code FROM demands x JOIN regions r ON r.id = x.region_id WHERE x.id = $1`,
	"ContactLog": `SELECT r.code FROM contact_logs x JOIN adviser_appointments a ON a.id = x.appointment_id
		JOIN regions r ON r.id = a.village_id WHERE x.id = $1`,
	"ServiceRecord": `SELECT r.code FROM service_records x JOIN expert_assignments a ON a.id = x.assignment_id
		JOIN regions r ON r.id = a.region_id WHERE x.id = $1`,
	"User":      `SELECT region_code FROM users WHERE id = $1`,
	"ImportJob": `SELECT region_code FROM import_jobs WHERE id = $1`,
}

// regionOfObject returns the region code an object belongs to, "" when it
// has none (or cannot be read).
func regionOfObject(ctx context.Context, c *gen.Client, typ string, id int) string {
	q, ok := regionSQL[typ]
	if !ok {
		return ""
	}
	rows, err := c.QueryContext(ctx, q, id)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var code sql.NullString
	if rows.Next() {
		if err := rows.Scan(&code); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return ""
		}
	}
	return code.String
}
