package graph

import (
	"context"
	"strings"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/person"
	"yanzhen/ent/privacy"
	"yanzhen/errcode"
	"yanzhen/graph/model"
	"yanzhen/pii"
)

// introducePerson finds a person on file by full ID number and name, for a
// user who wants to link them (a post, an appointment …) but cannot see
// them: the linksVisible rule (ent/schema/privacy.go) accepts the person
// from this user for a day after the INTRODUCE entry written here. Nothing
// of the file is shown: the answer repeats what was typed, so knowing an ID
// number and a name gains nothing but the right to link.
func (r *Resolver) introducePerson(ctx context.Context, idNumber, name string) (*model.PersonIntroduction, error) {
	v := auth.FromContext(ctx)
	if !v.System() && !v.Is(auth.RoleAdmin, auth.RoleTownship) {
		return nil, auth.Deny(v)
	}
	// An answer confirms a full ID number: for someone the caller already
	// sees (birth date, gender and region readable), trying the few hundred
	// candidates would rebuild the masked number. So it is for those who may
	// read numbers in clear anyway.
	if !v.System() && !v.PersonalData {
		return nil, errcode.New(errcode.Forbidden, "introducing someone by ID number needs personal-data access / 按身份证号调入人员须有个人信息查看权限")
	}
	id, err := pii.ParseIDNumber(idNumber)
	if err != nil {
		return nil, errcode.BadInput("idNumber", "give the full 18-character ID number / 请输入完整的18位身份证号")
	}
	name = strings.TrimSpace(name)
	c := r.db(ctx)
	hash, err := c.Keys.HashIDNumber(string(id))
	if err != nil {
		return nil, err
	}
	internal := privacy.DecisionContext(ctx, privacy.Allow)
	p, err := c.Person.Query().Where(person.IDNumberHash(hash), person.Name(name)).Only(internal)
	if err != nil {
		if ent.IsNotFound(err) || ent.IsNotSingular(err) {
			return nil, errcode.Missing("idNumber", "no person on file has this ID number and name / 未找到该身份证号与姓名对应的人员")
		}
		return nil, err
	}
	if err := audit.Record(ctx, c, audit.Entry{
		Action: auditlog.ActionINTRODUCE, EntityType: "Person", ObjectIDs: []int{p.ID},
	}); err != nil {
		return nil, err
	}
	return &model.PersonIntroduction{PersonID: p.ID, Name: name, IDNumber: pii.MaskIDNumber(string(id))}, nil
}
