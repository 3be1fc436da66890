package insight

import (
	"context"
	"fmt"
	"strings"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/privacy"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/regioncode"
)

// Villages and communities (村 and 社区) are both village-level regions; a
// region of kind COMMUNITY is a community, one of kind VILLAGE or none a
// village. The village rules — at least MinReserves reserve cadres, an
// adviser, 一肩挑, a party secretary in post — are counted apart for the
// two (regionStatistics' villagesWithFewerThanTwo beside
// communitiesWithFewerThanTwo …), and a county may exempt its communities
// from them (Region.communities_exempt, SetCommunityRules): its
// communities then give no FEW_RESERVES or NO_SECRETARY alert and count in
// none of the communities' rule figures, only in communities and
// exemptCommunities.

// exemptCounty is the SQL test that the county of the village-level region
// t exempts its communities (the county's code is the first 6 digits: one
// probe of the unique code index).
func exemptCounty(t string) string {
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM regions xc WHERE xc.code = SUBSTR(%s.code, 1, 6) AND xc.communities_exempt)`, t)
}

// villageClass is the SQL class of the village-level region t for the
// statistics: 'V' a village, 'C' a community under the village rules, 'X'
// a community its county exempts.
func villageClass(t string) string {
	return fmt.Sprintf(`CASE WHEN %[1]s.kind = 'COMMUNITY' THEN CASE WHEN %[2]s THEN 'X' ELSE 'C' END ELSE 'V' END`, t, exemptCounty(t))
}

// underVillageRules is the SQL test that the village-level region t is
// held to the village rules: a village, or a community of a county that
// does not exempt its communities.
func underVillageRules(t string) string {
	return fmt.Sprintf(`(%[1]s.kind IS NULL OR %[1]s.kind <> 'COMMUNITY' OR NOT %[2]s)`, t, exemptCounty(t))
}

// regionKindSQL is the kind of the region t an alert is told apart by:
// 'VILLAGE' or 'COMMUNITY' for a village-level region, ” for any other
// (a township's mentorship, a county's class …).
func regionKindSQL(t string) string {
	return fmt.Sprintf(`CASE WHEN %[1]s.level = 'VILLAGE' THEN COALESCE(%[1]s.kind, 'VILLAGE') ELSE '' END`, t)
}

// SetCommunityRules sets whether the county with code exempts its
// communities from the village rules, for an admin whose scope covers the
// county: others are refused (UNAUTHENTICATED for nobody, FORBIDDEN for a
// user) before anything is read. A code that is not a county's is
// BAD_USER_INPUT on countyCode. The change is audited (UPDATE of the
// Region, before and after) and, through the region's figures hook, marks
// the kept figures of the county and of the regions above it. Setting the
// value the county already has changes nothing.
func SetCommunityRules(ctx context.Context, c *ent.Client, countyCode string, exempt bool) (*ent.Region, error) {
	if v := auth.FromContext(ctx); !v.System() && (!v.Is(auth.RoleAdmin) || !strings.HasPrefix(countyCode, v.Scope)) {
		return nil, auth.Deny(v)
	}
	if l, _ := regioncode.LevelOf(countyCode); !regioncode.Valid(countyCode) || l != region.LevelCOUNTY {
		return nil, errcode.BadInput("countyCode", "%q is not a county's code (6 digits) / %q 不是县级区划代码（6位）", countyCode, countyCode)
	}
	internal := privacy.DecisionContext(ctx, privacy.Allow)
	r, err := c.Region.Query().Where(region.Code(countyCode)).Only(internal)
	if ent.IsNotFound(err) {
		return nil, errcode.BadInput("countyCode", "no county has code %s / 没有代码为 %s 的县级区划", countyCode, countyCode)
	}
	if err != nil {
		return nil, err
	}
	if r.Level != region.LevelCOUNTY {
		return nil, errcode.BadInput("countyCode", "%s is not a county / %s 不是县级区划", countyCode, countyCode)
	}
	if r.CommunitiesExempt == exempt {
		return r, nil
	}
	before := r.CommunitiesExempt
	if r, err = c.Region.UpdateOne(r).SetCommunitiesExempt(exempt).Save(internal); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, c, audit.Entry{
		Action: auditlog.ActionUPDATE, EntityType: "Region", ObjectIDs: []int{r.ID}, RegionCode: r.Code,
		Before: map[string]any{"communities_exempt": before}, After: map[string]any{"communities_exempt": exempt},
	}); err != nil {
		return nil, err
	}
	return r, nil
}
