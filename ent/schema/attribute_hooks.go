package schema

import (
	"context"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/ent/personattribute"

	"yanzhen/attrhistory"
)

// personAttributeCorrections: a plain update of a person's education,
// political status, title or tags (updatePerson, a roster re-import) is a
// correction of today's value — the period in force today, when the person
// has periods of the attribute, takes the new value and is marked
// corrected (attrhistory.CorrectToday); a change from a date on is
// changePersonAttribute's. The writes of package attrhistory itself are
// marked and pass.
var personAttributeCorrections = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PersonFunc(func(ctx context.Context, m *gen.PersonMutation) (gen.Value, error) {
		id, ok := m.ID()
		if !ok || attrhistory.IsWriting(ctx) {
			return next.Mutate(ctx, m)
		}
		c := m.Client()
		if v, set := m.Education(); set || m.EducationCleared() {
			old, err := m.OldEducation(ctx)
			if err != nil {
				return nil, err
			}
			if now, was := string(v), str(old); now != was {
				if err := attrhistory.CorrectToday(ctx, c, id, personattribute.AttributeEDUCATION, now, nil, nil); err != nil {
					return nil, err
				}
			}
		}
		if v, set := m.PoliticalStatus(); set || m.PoliticalStatusCleared() {
			old, err := m.OldPoliticalStatus(ctx)
			if err != nil {
				return nil, err
			}
			if now, was := string(v), str(old); now != was {
				if err := attrhistory.CorrectToday(ctx, c, id, personattribute.AttributePOLITICAL_STATUS, now, nil, nil); err != nil {
					return nil, err
				}
			}
		}
		if v, set := m.ProfessionalTitle(); set || m.ProfessionalTitleCleared() {
			old, err := m.OldProfessionalTitle(ctx)
			if err != nil {
				return nil, err
			}
			if v != old {
				if err := attrhistory.CorrectToday(ctx, c, id, personattribute.AttributePROFESSIONAL_TITLE, v, nil, nil); err != nil {
					return nil, err
				}
			}
		}
		if v, set := m.Tags(); set || m.TagsCleared() {
			old, err := m.OldTags(ctx)
			if err != nil {
				return nil, err
			}
			if err := attrhistory.CorrectToday(ctx, c, id, personattribute.AttributeTAG, "", codes(old), codes(v)); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpUpdateOne)

// str is an enum pointer's value, "" for none.
func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
