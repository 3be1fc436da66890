package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Region is an administrative division (行政区划) identified by its statistical
// code. The code is a prefix path (省2/市4/县6/乡9/村12 digits), so a subtree is
// a range scan on the unique code index.
type Region struct{ ent.Schema }

func (Region) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}} }

func (Region) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").MaxLen(12).NotEmpty().Unique().Immutable().
			Match(digitsOnly).
			Annotations(entgql.OrderField("CODE")),
		field.String("name").NotEmpty().MaxLen(100).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("level").
			Values("PROVINCE", "CITY", "COUNTY", "TOWNSHIP", "VILLAGE").
			Annotations(entgql.OrderField("LEVEL")),
		// 村 or 社区, for villages only.
		field.Enum("kind").Values("VILLAGE", "COMMUNITY").Optional().Nillable(),
		field.Int("parent_id").Optional().Nillable(),
		// A county's choice to exclude its communities from the village
		// rules (后备干部 at least 2, an adviser, 一肩挑; the alerts
		// FEW_RESERVES and NO_SECRETARY): set by setCommunityRules
		// (insight/communityrules.go), on counties only. Its communities
		// still count in regionStatistics.communities.
		field.Bool("communities_exempt").Default(false).
			Comment("COUNTY only: its communities (社区) are exempt from the village rules — no FEW_RESERVES or NO_SECRETARY alert, none of the rule figures of communities in regionStatistics (they still count in communities, exemptCommunities and experts.communitiesCovered). Set by setCommunityRules.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (Region) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Region.Type).
			Annotations(entgql.RelayConnection()).
			From("parent").Field("parent_id").Unique(),
		edge.To("posts", Post.Type).Annotations(entgql.RelayConnection()),
		edge.To("assessments", Assessment.Type).Annotations(entgql.RelayConnection()),
		edge.To("duty_items", DutyItem.Type).Annotations(entgql.RelayConnection()),
		edge.To("adviser_appointments", AdviserAppointment.Type).Annotations(entgql.RelayConnection()),
		edge.To("expert_assignments", ExpertAssignment.Type).Annotations(entgql.RelayConnection()),
		edge.To("demands", Demand.Type).Annotations(entgql.RelayConnection()),
		edge.To("contributions", Contribution.Type).Annotations(entgql.RelayConnection()),
		edge.To("mentorships", Mentorship.Type).Annotations(entgql.RelayConnection()),
		edge.To("residents", Person.Type).Annotations(entgql.RelayConnection()),
		edge.To("institutions", Institution.Type).Annotations(entgql.RelayConnection()),
		edge.To("rewards", Reward.Type).Annotations(entgql.RelayConnection()),
		edge.To("star_ratings", StarRating.Type).Annotations(entgql.RelayConnection()),
		edge.To("office_audits", OfficeAudit.Type).Annotations(entgql.RelayConnection()),
		edge.To("terms", Term.Type).Annotations(entgql.RelayConnection()),
		edge.To("training_classes", TrainingClass.Type).Annotations(entgql.RelayConnection()),
		edge.To("training_enrolments", TrainingEnrolment.Type).Annotations(entgql.RelayConnection()),
		edge.To("candidacies", Candidacy.Type).Annotations(entgql.RelayConnection()),
		edge.To("resident_teams", ResidentTeam.Type).Annotations(entgql.RelayConnection()),
		edge.To("resident_areas", ResidentArea.Type).Annotations(entgql.RelayConnection()),
		edge.From("in_resident_areas", ResidentArea.Type).Ref("villages"),
		edge.To("resident_assessments", ResidentAssessment.Type).Annotations(entgql.RelayConnection()),
		edge.To("expert_agreements", ExpertAgreement.Type).Annotations(entgql.RelayConnection()),
		edge.To("subsidy_payments", SubsidyPayment.Type).Annotations(entgql.RelayConnection()),
		edge.To("doctor_farms", DoctorFarm.Type).Annotations(entgql.RelayConnection()),
	}
}

func (Region) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("parent_id"),
		index.Fields("level", "code"),
		index.Fields("name"),
	}
}

func (Region) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		// The root `regions` field is declared in graph/query.graphql: it adds
		// `within`, the indexed subtree filter.
	}
}

// A region's kind and level count in the figures above it, and so does a
// county's communities_exempt: changing it marks the county and the kept
// regions above it.
func (Region) Hooks() []ent.Hook { return []ent.Hook{regionFigures} }
