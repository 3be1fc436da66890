package schema

import (
	"context"
	"errors"

	gen "yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/privacy"
	"yanzhen/errcode"
	"yanzhen/graph/relay"
)

// oneFilePerIDNumber refuses to file a second person with an ID number
// already on file (一人一档): the 身份证号 names one person across counties
// and roles. The unique index on id_number_hash settles two writers racing;
// this check comes first so that the refusal can say who holds the number.
// It names them (name and global ID) only to a caller who may see them, so
// that the refusal tells no more than a query would; anyone else learns only
// that the number is taken, which the index would tell anyway.
func oneFilePerIDNumber(ctx context.Context, m *gen.PersonMutation, hash string) error {
	others := func() *gen.PersonQuery {
		q := m.Client().Person.Query().Where(person.IDNumberHash(hash))
		if id, ok := m.ID(); ok {
			q.Where(person.IDNEQ(id))
		}
		return q
	}
	taken, err := others().Exist(privacy.DecisionContext(ctx, privacy.Allow))
	if err != nil || !taken {
		return err
	}
	// The caller's own privacy decides whether the holder may be named.
	holder, err := others().Only(ctx)
	switch {
	case err == nil:
		e := errcode.ConflictWith("%s (%s) is already on file with this ID number; edit that file or merge the two (mergePeople) / 该身份证号已属于库中的%s（%s），请修改该人员档案或合并（mergePeople）",
			holder.Name, relay.EncodeID(holder.ID), holder.Name, relay.EncodeID(holder.ID))
		e.Field = "idNumber"
		return e
	case gen.IsNotFound(err) || errors.Is(err, privacy.Deny) || coded(err):
		e := errcode.ConflictWith("a person with this ID number is already on file, outside your area; ask for them to be brought in (introducePerson) instead of filing them again / 该身份证号已有人员档案（不在本辖区），请调入（introducePerson），勿重复建档")
		e.Field = "idNumber"
		return e
	}
	return err
}

// coded reports a refusal of the caller's query (anonymous, forbidden):
// the holder is then not theirs to name.
func coded(err error) bool { _, ok := errcode.As(err); return ok }
