package schema

import (
	"context"
	"fmt"

	gen "yanzhen/ent"
	"yanzhen/ent/hook"
	"yanzhen/insight/searchkey"
	"yanzhen/insight/searchkey/keyrows"
)

// personSearchKeys keeps a person's search keys in step with the name and
// phone, for every writer that goes through ent: the rows of
// person_search_keys (every reading's pinyin and initials, what name search
// reads), the usual reading in name_pinyin and name_initials (kept for the
// previous release, see Person), and phone_suffix. The key rows are written
// after the person, through the mutation's own client, so in its
// transaction when it has one (GraphQL mutations and imports do); a bulk
// writer that collects them (keyrows.WithBatch: the roster import) writes
// them itself, a few statements for all its people. The
// writers that do not go through ent (the synthetic population of
// demo/generate.go, the fill_person_search_keys migration step) compute the
// same searchkey.Keys.
var personSearchKeys = hook.On(func(next gen.Mutator) gen.Mutator {
	return hook.PersonFunc(func(ctx context.Context, m *gen.PersonMutation) (gen.Value, error) {
		name, renamed := m.Name()
		var keys []searchkey.Key
		if renamed {
			keys = searchkey.Keys(name)
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
		if !renamed {
			return next.Mutate(ctx, m)
		}
		// The people renamed, known before the update since an update of
		// many selects them by its predicates.
		var ids []int
		if !m.Op().Is(gen.OpCreate) {
			var err error
			if ids, err = m.IDs(ctx); err != nil {
				return nil, err
			}
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		if m.Op().Is(gen.OpCreate) {
			p, ok := v.(*gen.Person)
			if !ok {
				return nil, fmt.Errorf("search keys: unexpected create result %T", v)
			}
			ids = []int{p.ID}
		}
		if err := keyrows.Write(ctx, m.Client(), ids, keys, !m.Op().Is(gen.OpCreate)); err != nil {
			return nil, fmt.Errorf("writing search keys: %w", err)
		}
		return v, nil
	})
}, gen.OpCreate|gen.OpUpdate|gen.OpUpdateOne)
