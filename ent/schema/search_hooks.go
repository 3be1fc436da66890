package schema

import (
	"context"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/insight/searchkey"
)

// personSearchKeys keeps a person's search keys (name_pinyin, name_initials,
// phone_suffix) in step with the name and phone, for every writer that goes
// through ent; the one writer that does not (the synthetic population of
// demo/generate.go) computes them with the same searchkey functions.
var personSearchKeys = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PersonFunc(func(ctx context.Context, m *gen.PersonMutation) (gen.Value, error) {
		if name, ok := m.Name(); ok {
			full, initials := searchkey.PinyinKeys(name)
			m.SetNamePinyin(full)
			m.SetNameInitials(initials)
		}
		if phone, ok := m.Phone(); ok {
			if suffix := searchkey.PhoneSuffix(phone); suffix != "" {
				m.SetPhoneSuffix(suffix)
			} else {
				m.ClearPhoneSuffix()
			}
		}
		if m.PhoneCleared() {
			m.ClearPhoneSuffix()
		}
		return next.Mutate(ctx, m)
	})
}, gen.OpCreate|gen.OpUpdate|gen.OpUpdateOne)
