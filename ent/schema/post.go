package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Post is a person holding a role in a region over a date range (任职). A new
// term is a new Post; ending one sets its end date, so history is never lost.
type Post struct{ ent.Schema }

func (Post) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, PeriodMixin{}, AuditMixin{}} }

func (Post) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Immutable(),
		field.Int("region_id").Immutable(),
		field.Enum("role").
			Values(
				"PARTY_SECRETARY",        // 党组织书记
				"COMMITTEE_DIRECTOR",     // 村委会主任
				"SECRETARY_AND_DIRECTOR", // 书记主任一肩挑
				"DEPUTY_SECRETARY",       // 副书记
				"COMMITTEE_MEMBER",       // 两委委员
				"RESERVE_CADRE",          // 后备干部
				"FIRST_SECRETARY",        // 驻村第一书记
				"WORK_TEAM_MEMBER",       // 驻村工作队员
				"VILLAGE_CEO",            // 乡村CEO
				"VILLAGE_INSTRUCTOR",     // 村指导员
				"SUPERVISORY_DIRECTOR",   // 村务监督委员会主任
				"SUPERVISORY_MEMBER",     // 村务监督委员会委员
				"COOPERATIVE_LEADER",     // 村集体经济合作社负责人
			).
			Immutable().
			Annotations(entgql.OrderField("ROLE")),
		// 三个名单: which list a reserve cadre is on.
		field.Enum("reserve_list").
			Values("SECRETARY_CANDIDATE", "COMMITTEE_CANDIDATE", "BACKBONE_MEMBER").
			Optional().Nillable(),
		// For resident cadres: who sent them and from which level.
		field.Enum("dispatch_level").
			Values("PROVINCE", "CITY", "COUNTY", "TOWNSHIP").
			Optional().Nillable(),
		field.Int("sending_institution_id").Optional().Nillable(),
		field.String("sending_unit").Optional().MaxLen(128),
		// 片区: the cluster of villages a work team is grouped into.
		field.String("cluster").Optional().MaxLen(64),
		field.String("end_reason").Optional().MaxLen(256),
		// How the post ended, in the words of the rules on exits: the term
		// ran out, the cadre was adjusted (调整) as unfit, had to leave
		// (强制退出 / 应当退出), left by age or health (自然退出), resigned,
		// moved to other work, died.
		field.Enum("exit_kind").
			Values("TERM_ENDED", "ADJUSTED", "FORCED", "DUE", "NATURAL", "RESIGNED", "TRANSFERRED", "DECEASED", "OTHER").
			Optional().Nillable(),
		// The 驻村工作队 a resident cadre's post belongs to.
		field.Int("team_id").Optional().Nillable(),
		// A 返聘: the ended post whose holder this post takes back, in the
		// supervisory committee or the cooperative.
		field.Int("rehired_from_id").Optional().Nillable().Immutable(),
		// seat is SECRETARY for posts that hold the village's secretary seat
		// (党组织书记 and 一肩挑), set from the role. It exists so the database
		// can enforce one open secretary term per village with a partial unique
		// index whose predicate both engines store verbatim.
		field.Enum("seat").Values("SECRETARY").Optional().Nillable().Immutable().
			Annotations(entgql.Skip()),
	}
}

func (Post) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("posts").Field("person_id").Unique().Required().Immutable(),
		edge.From("region", Region.Type).Ref("posts").Field("region_id").Unique().Required().Immutable(),
		edge.From("sending_institution", Institution.Type).Ref("dispatched_posts").Field("sending_institution_id").Unique(),
		edge.From("team", ResidentTeam.Type).Ref("members").Field("team_id").Unique(),
		edge.To("rehires", Post.Type).From("rehired_from").Field("rehired_from_id").Unique().Immutable(),
		edge.To("candidacies", Candidacy.Type),
		edge.To("replacing_candidacies", Candidacy.Type),
	}
}

func (Post) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("person_id"),
		index.Fields("region_id", "role"),
		index.Fields("role"),
		index.Fields("reserve_list"),
		index.Fields("dispatch_level"),
		index.Fields("sending_institution_id"),
		index.Fields("team_id"),
		index.Fields("rehired_from_id"),
		// At most one current party secretary per village (一肩挑 counts as
		// secretary). The database enforces it, so concurrent writers cannot
		// both win.
		index.Fields("region_id", "seat").Unique().
			StorageKey("post_one_current_secretary").
			Annotations(entsql.IndexWhere("end_date IS NULL")),
	}
}

func (Post) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

func (Post) Hooks() []ent.Hook { return []ent.Hook{checkPost, postPlaces, postFigures} }
