package schema

// The vetting and filing of the people who enter or change a village post
// (资格联审, 备案; "凡进必审、凡调必审") and of the reserves entering a list
// (自荐 / 联荐 → 村审 → 镇批 → 县备案). A Candidacy is the case; each step
// taken on it is a CandidacyStep, written once and never changed, so the
// file shows who decided what, when, and why. The steps and who may take
// them are in workflow/ (docs/workflows.md).

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Candidacy is a person proposed for a post (or a reserve list) in a
// village, and where the case stands.
type Candidacy struct{ ent.Schema }

func (Candidacy) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Candidacy) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		// The village whose post it is.
		field.Int("region_id").Immutable(),
		field.Enum("purpose").
			Values(
				"ENTRY",      // 凡进必审: a new post
				"ADJUSTMENT", // 凡调必审: replacing or moving a filed cadre
				"RESERVE",    // 后备: entering one of the three reserve lists
			).
			Immutable().
			Annotations(entgql.OrderField("PURPOSE")),
		// The post proposed (RESERVE_CADRE for a reserve).
		field.Enum("role").
			Values(
				"PARTY_SECRETARY", "COMMITTEE_DIRECTOR", "SECRETARY_AND_DIRECTOR", "DEPUTY_SECRETARY",
				"COMMITTEE_MEMBER", "RESERVE_CADRE", "FIRST_SECRETARY", "WORK_TEAM_MEMBER",
				"VILLAGE_CEO", "VILLAGE_INSTRUCTOR", "SUPERVISORY_DIRECTOR", "SUPERVISORY_MEMBER",
				"COOPERATIVE_LEADER",
			).
			Immutable().
			Annotations(entgql.OrderField("ROLE")),
		// The reserve list a RESERVE candidacy is for.
		field.Enum("reserve_list").
			Values("SECRETARY_CANDIDATE", "COMMITTEE_CANDIDATE", "BACKBONE_MEMBER").
			Optional().Nillable(),
		// How a reserve was put forward: 自荐, 联荐 (by party members or
		// villagers together), or by the organization.
		field.Enum("nomination").
			Values("SELF", "JOINT", "ORGANIZATION").
			Optional().Nillable(),
		field.Enum("state").
			Values(
				"PROPOSED",          // 村级初审 passed: waits for the township
				"TOWNSHIP_REVIEWED", // 镇级复审 passed: waits for the county's 联审
				"JOINT_REVIEWED",    // 县级联审 passed: waits for the appointment
				"APPOINTED",         // appointed (a reserve: 镇批): waits for 备案
				"FILED",             // 县级备案: done
				"REFUSED",           // refused at refused_step, with the reason
				"WITHDRAWN",         // withdrawn before a decision
			).
			Default("PROPOSED").
			Annotations(entgql.OrderField("STATE")),
		asDate(field.Time("proposed_on")).Annotations(entgql.OrderField("PROPOSED_ON")),
		// The round it belongs to, in the county's words (2024年村两委调整 …).
		field.String("round").Optional().MaxLen(64),
		field.Int("term_id").Optional().Nillable(),
		// The post of a filed cadre an ADJUSTMENT replaces or changes.
		field.Int("replaces_post_id").Optional().Nillable().Immutable(),
		// The post the appointment created.
		field.Int("post_id").Optional().Nillable(),
		asDate(field.Time("appointed_on")).Optional().Nillable(),
		asDate(field.Time("filed_on")).Optional().Nillable().Annotations(entgql.OrderField("FILED_ON")),
		field.Enum("refused_step").
			Values("VILLAGE_REVIEW", "TOWNSHIP_REVIEW", "BODY_OPINION", "COUNTY_DECISION", "APPOINTMENT", "FILING").
			Optional().Nillable(),
		field.Text("refusal_reason").Optional(),
		field.Text("notes").Optional(),
	}
}

// An appointment not filed is an alert, kept in the region figures.
func (Candidacy) Hooks() []ent.Hook { return []ent.Hook{candidacyFigures} }

func (Candidacy) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("candidacies").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("candidacies").Field("region_id").Unique().Required().Immutable(),
		edge.From("term", Term.Type).Ref("candidacies").Field("term_id").Unique(),
		edge.From("replaces_post", Post.Type).Ref("replacing_candidacies").Field("replaces_post_id").Unique().Immutable(),
		edge.From("post", Post.Type).Ref("candidacies").Field("post_id").Unique(),
		edge.To("steps", CandidacyStep.Type).Annotations(entgql.RelayConnection()),
	}
}

func (Candidacy) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("region_id", "state"),
		index.Fields("person_id"),
		index.Fields("state"),
		index.Fields("proposed_on"),
		index.Fields("post_id"),
	}
}

func (Candidacy) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// CandidacyStep is one step taken on a candidacy: a review, one reviewing
// body's opinion in the county's 联审, the decision, the appointment, the
// filing, a withdrawal. Steps are written once; a correction is a new step.
type CandidacyStep struct{ ent.Schema }

func (CandidacyStep) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (CandidacyStep) Fields() []ent.Field {
	return []ent.Field{
		field.Int("candidacy_id").Immutable(),
		field.Enum("step").
			Values(
				"VILLAGE_REVIEW",  // 村级初审 (a reserve: 村审)
				"TOWNSHIP_REVIEW", // 镇级复审
				"BODY_OPINION",    // one reviewing body's opinion in the 县级联审
				"COUNTY_DECISION", // the county's conclusion of the 联审
				"APPOINTMENT",     // 任命 (a reserve: 镇批)
				"FILING",          // 县级备案
				"WITHDRAWAL",      // 撤回
			).
			Immutable().
			Annotations(entgql.OrderField("STEP")),
		// The reviewing body whose opinion a BODY_OPINION records.
		field.Enum("body").
			Values(
				"DISCIPLINE",      // 纪检监察
				"PUBLIC_SECURITY", // 公安
				"PETITION",        // 信访
				"COURT",           // 法院
				"PROCURATORATE",   // 检察院
				"JUSTICE",         // 司法
				"CIVIL_AFFAIRS",   // 民政
				"HEALTH",          // 卫生健康
				"MARKET",          // 市场监管
				"TAX",             // 税务
				"UNITED_FRONT",    // 统战
				"OTHER",
			).
			Optional().Nillable().Immutable(),
		field.Enum("decision").Values("APPROVED", "REFUSED").Immutable(),
		field.Text("opinion").Optional().Immutable(),
		asDate(field.Time("acted_on")).Immutable().Annotations(entgql.OrderField("ACTED_ON")),
		// Who took the step: the account's name and role at the time.
		field.String("actor").MaxLen(64).Immutable(),
		field.String("actor_role").MaxLen(16).Immutable(),
	}
}

func (CandidacyStep) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("candidacy", Candidacy.Type).Ref("steps").Field("candidacy_id").Unique().Required().Immutable(),
	}
}

func (CandidacyStep) Indexes() []ent.Index {
	return []ent.Index{index.Fields("candidacy_id", "step")}
}

func (CandidacyStep) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}
