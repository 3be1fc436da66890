package schema

import (
	"regexp"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"yanzhen/vocab"
)

var digitsOnly = regexp.MustCompile(`^[0-9]+$`)

// sensitive hides a personal-data field from the GraphQL type, filters and
// ordering; it can still be written through mutations and is read only through
// the masked resolvers in graph/.
var sensitive = entgql.Skip(entgql.SkipType, entgql.SkipWhereInput, entgql.SkipOrderField)

// Person is one file (一人一档): everyone the graph relates, whatever role
// they hold — cadres, reserves, advisers, experts, first secretaries.
type Person struct{ ent.Schema }

func (Person) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (Person) Fields() []ent.Field {
	return []ent.Field{
		// 人员编号 from the department's own roster, used to match re-imports.
		// Not unique across the database: numbers are matched among the rows
		// the importer may see, so that a county's number never collides with
		// (and so reveals) another county's (the same holds for every
		// external_id except the institutions', a public directory).
		field.String("external_id").Optional().Nillable().MaxLen(64),
		field.String("name").NotEmpty().MaxLen(64).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("gender").Values("MALE", "FEMALE").Optional().Nillable(),
		asDate(field.Time("birth_date")).Optional().Nillable().
			Annotations(entgql.OrderField("BIRTH_DATE")),
		// How much of birth_date was written: cadre rosters record 出生年月,
		// the month only. A MONTH birth date is stored as the 1st of its
		// month (so ages count from the 1st: see insight's ageSQL); absent
		// means DAY, which every row written before this field was. Kept by
		// checkPerson with the birth date (rules.Profile.Complete).
		field.Enum("birth_date_precision").Values("DAY", "MONTH").Optional().Nillable(),
		field.String("ethnicity").Optional().MaxLen(32),
		field.Enum("education").
			Values("JUNIOR_HIGH", "HIGH_SCHOOL", "SECONDARY_VOCATIONAL", "JUNIOR_COLLEGE", "BACHELOR", "MASTER", "DOCTORATE").
			Optional().Nillable(),
		field.Enum("political_status").
			Values("CPC_MEMBER", "CPC_PROBATIONARY", "CYL_MEMBER", "MASSES", "DEMOCRATIC_PARTY").
			Optional().Nillable(),
		asDate(field.Time("party_join_date")).Optional().Nillable(),
		field.String("phone").Optional().Sensitive().MaxLen(20).Annotations(sensitive),
		// Encrypted at rest (AES-256-GCM under the client's data key, see
		// sealIDNumber and openIDNumbers); read back in clear by ent, shown
		// masked by the API. Its length is checked in clear, by sealIDNumber:
		// a validator here would see the sealed value.
		field.String("id_number").Optional().Sensitive().
			SchemaType(map[string]string{dialect.Postgres: "varchar(128)", dialect.SQLite: "varchar(128)"}).
			Annotations(sensitive),
		// The keyed hash of the ID number (pii.Keys.HashIDNumber), kept by
		// checkPerson, for de-duplication and import matching.
		field.String("id_number_hash").Optional().Nillable().MaxLen(64).Sensitive().Annotations(entgql.Skip()),
		field.JSON("tags", []vocab.PersonTag{}).Optional().
			Annotations(entgql.Type("[PersonTag!]"), entgql.Skip(entgql.SkipWhereInput)),
		field.JSON("expertise", []vocab.AgriculturalField{}).Optional().
			Annotations(entgql.Type("[AgriculturalField!]"), entgql.Skip(entgql.SkipWhereInput)),
		field.String("professional_title").Optional().MaxLen(64),
		field.Int("home_village_id").Optional().Nillable(),
		field.Int("institution_id").Optional().Nillable(),
		// Search keys, kept up to date from name and phone by personSearchKeys
		// (search_hooks.go): the usual reading's full pinyin (zhanghuiting)
		// and initials (zht), and the last four digits of the phone (answered
		// by equality from its B-tree index). Name search reads the keys of
		// every reading from person_search_keys instead (PersonSearchKey);
		// name_pinyin and name_initials are still written for one release so
		// that servers of the previous one, which search them, keep working
		// during a rolling upgrade, and are to be dropped in the next. Not
		// part of the API.
		field.String("name_pinyin").Optional().Nillable().MaxLen(256).Annotations(entgql.Skip()),
		field.String("name_initials").Optional().Nillable().MaxLen(64).Annotations(entgql.Skip()),
		field.String("phone_suffix").Optional().Nillable().MaxLen(4).Annotations(entgql.Skip()),
	}
}

func (Person) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("home_village", Region.Type).Ref("residents").Field("home_village_id").Unique(),
		edge.From("institution", Institution.Type).Ref("experts").Field("institution_id").Unique(),
		edge.To("posts", Post.Type).Annotations(entgql.RelayConnection()),
		edge.To("assessments", Assessment.Type).Annotations(entgql.RelayConnection()),
		edge.To("duty_items", DutyItem.Type).Annotations(entgql.RelayConnection()),
		// Mentorships in which this person is the mentor: their mentees.
		edge.To("mentorships_as_mentor", Mentorship.Type).Annotations(entgql.RelayConnection()),
		// Mentorships in which this person is the mentee: their mentors.
		edge.To("mentorships_as_mentee", Mentorship.Type).Annotations(entgql.RelayConnection()),
		edge.To("adviser_appointments", AdviserAppointment.Type).Annotations(entgql.RelayConnection()),
		edge.To("expert_assignments", ExpertAssignment.Type).Annotations(entgql.RelayConnection()),
		edge.To("contact_logs", ContactLog.Type).Annotations(entgql.RelayConnection()),
		// 奖惩 and the audits of their terms (届中 / 离任审计).
		edge.To("rewards", Reward.Type).Annotations(entgql.RelayConnection()),
		edge.To("office_audits", OfficeAudit.Type).Annotations(entgql.RelayConnection()),
		edge.To("training_enrolments", TrainingEnrolment.Type).Annotations(entgql.RelayConnection()),
		edge.To("candidacies", Candidacy.Type).Annotations(entgql.RelayConnection()),
		edge.To("led_resident_teams", ResidentTeam.Type),
		edge.To("led_resident_areas", ResidentArea.Type),
		edge.To("resident_assessments", ResidentAssessment.Type).Annotations(entgql.RelayConnection()),
		edge.To("expert_agreements", ExpertAgreement.Type).Annotations(entgql.RelayConnection()),
		edge.To("subsidy_payments", SubsidyPayment.Type).Annotations(entgql.RelayConnection()),
		edge.To("doctor_farms", DoctorFarm.Type).Annotations(entgql.RelayConnection()),
		// The dated periods of education, political status, title and
		// tags (PersonAttribute), deleted with the person.
		edge.To("attribute_history", PersonAttribute.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		// The search keys (internal): deleted with the person by the
		// database, so that no writer has to remember them.
		edge.To("search_keys", PersonSearchKey.Type).
			Annotations(entgql.Skip(entgql.SkipAll), entsql.OnDelete(entsql.Cascade)),
		// Each source's 人员编号 of this person (PersonExternalKey): moved
		// by mergePeople, else deleted with the person.
		edge.To("external_keys", PersonExternalKey.Type).
			Annotations(entgql.Skip(entgql.SkipAll), entsql.OnDelete(entsql.Cascade)),
		// The regions through which the person is in a subtree
		// (PersonPlace), what scope.People reads; derived from the
		// links above, deleted with the person.
		edge.To("places", PersonPlace.Type).
			Annotations(entgql.Skip(entgql.SkipAll), entsql.OnDelete(entsql.Cascade)),
	}
}

func (Person) Indexes() []ent.Index {
	return []ent.Index{index.Fields("external_id"),
		index.Fields("name"),
		index.Fields("home_village_id"),
		index.Fields("institution_id"),
		index.Fields("birth_date"),
		index.Fields("gender"),
		index.Fields("education"),
		index.Fields("political_status"),
		// One person per ID number (一人一档), across counties and roles:
		// createPerson and the roster import check it first to say who the
		// person is; the index settles two writers racing. NULLs (no ID
		// number) do not collide on either engine.
		index.Fields("id_number_hash").Unique().StorageKey("person_id_number_hash_unique"),
		index.Fields("name_pinyin"),
		index.Fields("name_initials"),
		index.Fields("phone_suffix"),
	}
}

func (Person) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("people"),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// sealIDNumber comes last: the hooks before it see the ID number in clear.
func (Person) Hooks() []ent.Hook {
	return []ent.Hook{checkPerson, personAttributeCorrections, personSearchKeys, sealIDNumber, personPlaces, personFigures}
}

func (Person) Interceptors() []ent.Interceptor { return []ent.Interceptor{openIDNumbers} }
