package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/mixin"

	"yanzhen/audit"
	"yanzhen/changes"
)

// AuditMixin records every change of the entity in the audit log, in the
// same transaction (see package audit), and in the change feed at its
// commit (package changes, for the types it carries).
type AuditMixin struct{ mixin.Schema }

func (AuditMixin) Hooks() []ent.Hook { return []ent.Hook{audit.Hook(), changes.Hook()} }
