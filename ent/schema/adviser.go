package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AdviserAppointment appoints a person as honorary secretary, development
// adviser and the like (名誉书记, 发展顾问 …) of one village for a term.
type AdviserAppointment struct{ ent.Schema }

func (AdviserAppointment) Mixin() []ent.Mixin {
	return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}}
}

func (AdviserAppointment) Fields() []ent.Field {
	return []ent.Field{
		field.String("external_id").Optional().Nillable().MaxLen(64),
		field.Int("person_id").Immutable(),
		field.Int("village_id").Immutable(),
		field.Enum("kind").
			Values(
				"HONORARY_SECRETARY",    // 名誉书记
				"DEVELOPMENT_ADVISER",   // 发展顾问
				"HONORARY_VILLAGE_HEAD", // 名誉村长
				"FINANCIAL_DEPUTY_HEAD", // 金融副村长
			).
			Annotations(entgql.OrderField("KIND")),
		field.String("certificate_no").Optional().MaxLen(64),
	}
}

func (AdviserAppointment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("adviser_appointments").Field("person_id").Unique().Required().Immutable(),
		edge.From("village", Region.Type).Ref("adviser_appointments").Field("village_id").Unique().Required().Immutable(),
		edge.To("contact_logs", ContactLog.Type).Annotations(entgql.RelayConnection()),
		edge.To("contributions", Contribution.Type).Annotations(entgql.RelayConnection()),
	}
}

func (AdviserAppointment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("external_id"), index.Fields("person_id"), index.Fields("village_id", "kind"), index.Fields("kind")}
}

func (AdviserAppointment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (AdviserAppointment) Hooks() []ent.Hook {
	return []ent.Hook{checkAdviserAppointment, adviserPlaces, appointmentFigures}
}

// ContactLog records one contact with an adviser (the monthly-contact rule).
type ContactLog struct{ ent.Schema }

func (ContactLog) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (ContactLog) Fields() []ent.Field {
	return []ent.Field{
		field.Int("appointment_id").Immutable(),
		asDate(field.Time("date")).Annotations(entgql.OrderField("DATE")),
		field.Enum("mode").
			Values(
				"VISIT",            // 走访
				"PHONE",            // 电话
				"TALK",             // 恳谈
				"HOLIDAY_GREETING", // 节日问候
				"VIDEO",            // 视频
			),
		// Who made the contact (a cadre on file), when known.
		field.Int("contacted_by_id").Optional().Nillable(),
		field.Text("notes").Optional(),
	}
}

func (ContactLog) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("appointment", AdviserAppointment.Type).Ref("contact_logs").Field("appointment_id").Unique().Required().Immutable(),
		edge.From("contacted_by", Person.Type).Ref("contact_logs").Field("contacted_by_id").Unique(),
	}
}

func (ContactLog) Hooks() []ent.Hook { return []ent.Hook{checkContactLog, contactLogFigures} }

func (ContactLog) Indexes() []ent.Index {
	return []ent.Index{index.Fields("appointment_id", "date"), index.Fields("contacted_by_id"), index.Fields("date")}
}

func (ContactLog) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
