package graph

import (
	"context"
	"strings"
	"unicode/utf8"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/privacy"
	"yanzhen/errcode"
	"yanzhen/graph/model"
)

// revealContact returns a person's phone and ID number in clear to a viewer
// with personal-data access who may see the person (the privacy policy of
// Person decides: out of scope is NOT_FOUND), and records who asked, when
// and why in the audit log, in the operation's transaction.
func (r *Resolver) revealContact(ctx context.Context, id int, reason string) (*model.PersonContact, error) {
	v := auth.FromContext(ctx)
	if v.Anonymous() {
		return nil, auth.ErrUnauthenticated()
	}
	if !v.System() && !v.PersonalData {
		return nil, errcode.New(errcode.Forbidden, "your account has no personal-data access / 您的账号未获授权查看个人信息")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, errcode.BadInput("reason", "say why you need the contact details / 请填写查看事由")
	}
	if utf8.RuneCountInString(reason) > 500 {
		return nil, errcode.BadInput("reason", "the reason is at most 500 characters / 事由最多500字")
	}
	c := r.db(ctx)
	p, err := c.Person.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	region := ""
	if p.HomeVillageID != nil {
		if hv, err := c.Region.Get(privacy.DecisionContext(ctx, privacy.Allow), *p.HomeVillageID); err == nil {
			region = hv.Code
		}
	}
	if err := audit.Record(ctx, c, audit.Entry{
		Action: auditlog.ActionREVEAL, EntityType: "Person", ObjectIDs: []int{p.ID},
		RegionCode: region, Reason: reason,
	}); err != nil {
		return nil, err
	}
	out := &model.PersonContact{Person: p}
	if p.Phone != "" {
		out.Phone = &p.Phone
	}
	if p.IDNumber != "" {
		out.IDNumber = &p.IDNumber
	}
	return out, nil
}
