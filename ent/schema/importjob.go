package schema

import (
	"encoding/json"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ImportJob is one roster upload, imported in the background by the job
// runner (package importjob): the file is kept until the job has finished,
// so that a job interrupted by a restart runs again from the start (the
// import writes everything in one transaction, so an interrupted job has
// written nothing).
//
// States: QUEUED → RUNNING → SUCCEEDED (written, or a clean dry run), REJECTED
// (the file has problems: nothing written, the report lists them) or FAILED
// (the job could not finish: failure_code and failure_message say why).
type ImportJob struct{ ent.Schema }

func (ImportJob) Mixin() []ent.Mixin { return []ent.Mixin{TimestampsMixin{}, AuditMixin{}} }

func (ImportJob) Fields() []ent.Field {
	internal := entgql.Skip()
	return []ent.Field{
		field.Int("owner_id").Immutable(),
		// The submitter's scope when they submitted: admins of a subtree
		// read the jobs of its users.
		field.String("region_code").Optional().Immutable().MaxLen(12).Match(digitsOrEmpty),
		field.String("file_name").MaxLen(255).Immutable(),
		// The uploaded workbook, cleared when the job has finished.
		field.Bytes("content").Optional().Sensitive().Annotations(internal),
		// The upload's own workbook with its problems marked
		// (roster.Annotate), kept with a REJECTED job from an .xlsx upload
		// so that the user can download it, fix it and upload it again
		// (GET /import-jobs/{id}/annotated.xlsx; ImportJob.annotatedURL).
		// It holds what the user uploaded, so it is read under the job's
		// own privacy policy, like the report.
		field.Bytes("annotated").Optional().Sensitive().Annotations(internal),
		// The size of annotated (0: none), so that listing jobs says which
		// have one without reading them.
		field.Int("annotated_size").Default(0).Annotations(internal),
		field.Bool("dry_run").Default(false).Immutable(),
		// The submitter's column mapping (a JSON array of roster.ColumnMapping
		// {sheet, header, column}), applied when the job reads the workbook;
		// exposed as ImportJob.columns. Raw JSON: ent/schema cannot import
		// roster, which imports ent.
		field.JSON("columns", json.RawMessage{}).Optional().Immutable().Annotations(internal),
		field.Enum("status").Values("QUEUED", "RUNNING", "SUCCEEDED", "REJECTED", "FAILED").Default("QUEUED"),
		// Why a FAILED job failed: TIMEOUT (the job's time limit passed),
		// FORBIDDEN (the submitter was disabled or lost the import role
		// meanwhile), INTERRUPTED (the server stopped while it ran, too
		// often), BAD_FILE (not a readable workbook), CONFLICT (a concurrent
		// change broke a rule while writing), INTERNAL (the database failed).
		field.Enum("failure_code").Values("TIMEOUT", "FORBIDDEN", "INTERRUPTED", "BAD_FILE", "CONFLICT", "INTERNAL").
			Optional().Nillable(),
		// The status in words, in English and Chinese: why a job FAILED, or
		// that it was resumed after the server stopped while it ran.
		field.String("status_message").Optional(),
		// Progress, exposed as ImportJob.progress (graph/roster.graphql).
		field.Enum("phase").Values("QUEUED", "READING", "VALIDATING", "WRITING", "DONE").Default("QUEUED").
			Annotations(internal),
		field.Int("rows_done").Default(0).Annotations(internal),
		field.Int("rows_total").Default(0).Annotations(internal),
		// The roster.Report as JSON, exposed as ImportJob.report.
		field.JSON("report", json.RawMessage{}).Optional().Annotations(internal),
		field.Time("started_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Time("finished_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// How many times a runner has started the job.
		field.Int("attempts").Default(0),
		// The token of the runner holding a RUNNING job, and until when it
		// holds it unless it renews (see importjob.Runner).
		field.String("claim").Optional().Annotations(internal),
		field.Time("lease_until").Optional().Nillable().Annotations(internal),
	}
}

func (ImportJob) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("owner", User.Type).Ref("import_jobs").Field("owner_id").Unique().Required().Immutable(),
	}
}

func (ImportJob) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status"), index.Fields("owner_id"), index.Fields("region_code")}
}

func (ImportJob) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField(),
	}
}
