package audit

import (
	"context"
	"slices"

	"entgo.io/ent"

	gen "yanzhen/ent"
	"yanzhen/ent/adviserappointment"
	"yanzhen/ent/assessment"
	"yanzhen/ent/candidacy"
	"yanzhen/ent/candidacystep"
	"yanzhen/ent/contactlog"
	"yanzhen/ent/contribution"
	"yanzhen/ent/demand"
	"yanzhen/ent/doctorfarm"
	"yanzhen/ent/dutyitem"
	"yanzhen/ent/expertagreement"
	"yanzhen/ent/expertassignment"
	"yanzhen/ent/importjob"
	"yanzhen/ent/institution"
	"yanzhen/ent/mentorship"
	"yanzhen/ent/officeaudit"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/ent/post"
	"yanzhen/ent/residentarea"
	"yanzhen/ent/residentassessment"
	"yanzhen/ent/residentteam"
	"yanzhen/ent/reward"
	"yanzhen/ent/servicerecord"
	"yanzhen/ent/starrating"
	"yanzhen/ent/subsidypayment"
	"yanzhen/ent/term"
	"yanzhen/ent/trainingclass"
	"yanzhen/ent/trainingenrolment"
	"yanzhen/ent/user"
	"yanzhen/ent/vocabularyterm"
	"yanzhen/ent/vocabularyword"
)

// source reads rows of one audited type as mutations whose OldField gives
// the stored values (typed as an update's before, with no further query).
type source struct {
	columns []string
	load    func(ctx context.Context, c *gen.Client, ids []int) ([]ent.Mutation, error)
}

func sourceOf[E any](columns []string, all func(context.Context, *gen.Client, []int) ([]E, error),
	old func(*gen.Client, E) ent.Mutation) source {
	return source{columns: columns, load: func(ctx context.Context, c *gen.Client, ids []int) ([]ent.Mutation, error) {
		var out []ent.Mutation
		for chunk := range slices.Chunk(ids, bulkSize) {
			es, err := all(ctx, c, chunk)
			if err != nil {
				return nil, err
			}
			for _, e := range es {
				out = append(out, old(c, e))
			}
		}
		return out, nil
	}}
}

// sources covers every schema with the audit hook (AuditMixin).
var sources = map[string]source{
	"User": sourceOf(user.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.User, error) {
		return c.User.Query().Where(user.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.User) ent.Mutation { return c.User.UpdateOne(e).Mutation() }),
	"Institution": sourceOf(institution.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Institution, error) {
		return c.Institution.Query().Where(institution.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Institution) ent.Mutation { return c.Institution.UpdateOne(e).Mutation() }),
	"ImportJob": sourceOf(importjob.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ImportJob, error) {
		return c.ImportJob.Query().Where(importjob.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ImportJob) ent.Mutation { return c.ImportJob.UpdateOne(e).Mutation() }),
	"Person": sourceOf(person.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Person, error) {
		return c.Person.Query().Where(person.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Person) ent.Mutation { return c.Person.UpdateOne(e).Mutation() }),
	"Post": sourceOf(post.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Post, error) {
		return c.Post.Query().Where(post.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Post) ent.Mutation { return c.Post.UpdateOne(e).Mutation() }),
	"Mentorship": sourceOf(mentorship.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Mentorship, error) {
		return c.Mentorship.Query().Where(mentorship.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Mentorship) ent.Mutation { return c.Mentorship.UpdateOne(e).Mutation() }),
	"AdviserAppointment": sourceOf(adviserappointment.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.AdviserAppointment, error) {
		return c.AdviserAppointment.Query().Where(adviserappointment.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.AdviserAppointment) ent.Mutation {
		return c.AdviserAppointment.UpdateOne(e).Mutation()
	}),
	"ContactLog": sourceOf(contactlog.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ContactLog, error) {
		return c.ContactLog.Query().Where(contactlog.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ContactLog) ent.Mutation { return c.ContactLog.UpdateOne(e).Mutation() }),
	"ExpertAssignment": sourceOf(expertassignment.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ExpertAssignment, error) {
		return c.ExpertAssignment.Query().Where(expertassignment.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ExpertAssignment) ent.Mutation {
		return c.ExpertAssignment.UpdateOne(e).Mutation()
	}),
	"ServiceRecord": sourceOf(servicerecord.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ServiceRecord, error) {
		return c.ServiceRecord.Query().Where(servicerecord.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ServiceRecord) ent.Mutation { return c.ServiceRecord.UpdateOne(e).Mutation() }),
	"Demand": sourceOf(demand.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Demand, error) {
		return c.Demand.Query().Where(demand.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Demand) ent.Mutation { return c.Demand.UpdateOne(e).Mutation() }),
	"Contribution": sourceOf(contribution.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Contribution, error) {
		return c.Contribution.Query().Where(contribution.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Contribution) ent.Mutation { return c.Contribution.UpdateOne(e).Mutation() }),
	"Assessment": sourceOf(assessment.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Assessment, error) {
		return c.Assessment.Query().Where(assessment.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Assessment) ent.Mutation { return c.Assessment.UpdateOne(e).Mutation() }),
	"DutyItem": sourceOf(dutyitem.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.DutyItem, error) {
		return c.DutyItem.Query().Where(dutyitem.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.DutyItem) ent.Mutation { return c.DutyItem.UpdateOne(e).Mutation() }),
	"Reward": sourceOf(reward.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Reward, error) {
		return c.Reward.Query().Where(reward.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Reward) ent.Mutation { return c.Reward.UpdateOne(e).Mutation() }),
	"StarRating": sourceOf(starrating.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.StarRating, error) {
		return c.StarRating.Query().Where(starrating.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.StarRating) ent.Mutation { return c.StarRating.UpdateOne(e).Mutation() }),
	"OfficeAudit": sourceOf(officeaudit.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.OfficeAudit, error) {
		return c.OfficeAudit.Query().Where(officeaudit.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.OfficeAudit) ent.Mutation { return c.OfficeAudit.UpdateOne(e).Mutation() }),
	"Term": sourceOf(term.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Term, error) {
		return c.Term.Query().Where(term.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Term) ent.Mutation { return c.Term.UpdateOne(e).Mutation() }),
	"TrainingClass": sourceOf(trainingclass.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.TrainingClass, error) {
		return c.TrainingClass.Query().Where(trainingclass.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.TrainingClass) ent.Mutation { return c.TrainingClass.UpdateOne(e).Mutation() }),
	"TrainingEnrolment": sourceOf(trainingenrolment.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.TrainingEnrolment, error) {
		return c.TrainingEnrolment.Query().Where(trainingenrolment.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.TrainingEnrolment) ent.Mutation {
		return c.TrainingEnrolment.UpdateOne(e).Mutation()
	}),
	"PersonAttribute": sourceOf(personattribute.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.PersonAttribute, error) {
		return c.PersonAttribute.Query().Where(personattribute.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.PersonAttribute) ent.Mutation {
		return c.PersonAttribute.UpdateOne(e).Mutation()
	}),
	"Candidacy": sourceOf(candidacy.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.Candidacy, error) {
		return c.Candidacy.Query().Where(candidacy.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.Candidacy) ent.Mutation { return c.Candidacy.UpdateOne(e).Mutation() }),
	"CandidacyStep": sourceOf(candidacystep.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.CandidacyStep, error) {
		return c.CandidacyStep.Query().Where(candidacystep.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.CandidacyStep) ent.Mutation { return c.CandidacyStep.UpdateOne(e).Mutation() }),
	"ResidentTeam": sourceOf(residentteam.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ResidentTeam, error) {
		return c.ResidentTeam.Query().Where(residentteam.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ResidentTeam) ent.Mutation { return c.ResidentTeam.UpdateOne(e).Mutation() }),
	"ResidentArea": sourceOf(residentarea.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ResidentArea, error) {
		return c.ResidentArea.Query().Where(residentarea.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ResidentArea) ent.Mutation { return c.ResidentArea.UpdateOne(e).Mutation() }),
	"ResidentAssessment": sourceOf(residentassessment.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ResidentAssessment, error) {
		return c.ResidentAssessment.Query().Where(residentassessment.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ResidentAssessment) ent.Mutation {
		return c.ResidentAssessment.UpdateOne(e).Mutation()
	}),
	"ExpertAgreement": sourceOf(expertagreement.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.ExpertAgreement, error) {
		return c.ExpertAgreement.Query().Where(expertagreement.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.ExpertAgreement) ent.Mutation {
		return c.ExpertAgreement.UpdateOne(e).Mutation()
	}),
	"SubsidyPayment": sourceOf(subsidypayment.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.SubsidyPayment, error) {
		return c.SubsidyPayment.Query().Where(subsidypayment.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.SubsidyPayment) ent.Mutation {
		return c.SubsidyPayment.UpdateOne(e).Mutation()
	}),
	"DoctorFarm": sourceOf(doctorfarm.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.DoctorFarm, error) {
		return c.DoctorFarm.Query().Where(doctorfarm.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.DoctorFarm) ent.Mutation { return c.DoctorFarm.UpdateOne(e).Mutation() }),
	"VocabularyTerm": sourceOf(vocabularyterm.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.VocabularyTerm, error) {
		return c.VocabularyTerm.Query().Where(vocabularyterm.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.VocabularyTerm) ent.Mutation {
		return c.VocabularyTerm.UpdateOne(e).Mutation()
	}),
	"VocabularyWord": sourceOf(vocabularyword.Columns, func(ctx context.Context, c *gen.Client, ids []int) ([]*gen.VocabularyWord, error) {
		return c.VocabularyWord.Query().Where(vocabularyword.IDIn(ids...)).All(ctx)
	}, func(c *gen.Client, e *gen.VocabularyWord) ent.Mutation {
		return c.VocabularyWord.UpdateOne(e).Mutation()
	}),
}

// snapshot reads the rows of objects of a type as field → value, the
// unaudited fields left out and personal ones masked. A type with the hook
// but no source is an error, so that no delete goes unrecorded.
func snapshot(ctx context.Context, c *gen.Client, typ string, ids []int) (map[int]map[string]any, error) {
	src, ok := sources[typ]
	if !ok {
		return nil, &unknownType{typ}
	}
	ms, err := src.load(ctx, c, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int]map[string]any, len(ms))
	for _, m := range ms {
		id, _ := m.(idsMutation).ID()
		fields := map[string]any{}
		for _, f := range src.columns {
			if unaudited[f] || f == "id" {
				continue
			}
			// Columns that are not fields (foreign keys of edges
			// without one) are not readable this way, nor needed.
			if v, err := m.OldField(ctx, f); err == nil {
				fields[f] = v
			}
		}
		maskAll(fields)
		out[id] = fields
	}
	return out, nil
}

type unknownType struct{ typ string }

func (e *unknownType) Error() string {
	return "audit: no source of " + e.typ + " rows (add it to audit.sources)"
}
