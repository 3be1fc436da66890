package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/mixin"

	"yanzhen/audit"
)

// AuditMixin records every change of the entity in the audit log, in the
// same transaction (see package audit).
type AuditMixin struct{ mixin.Schema }

func (AuditMixin) Hooks() []ent.Hook { return []ent.Hook{audit.Hook()} }
