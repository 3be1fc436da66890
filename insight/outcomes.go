package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
)

// OutcomeFigures are the steps of the outcome chains (招商信息 → 考察 → 项目落地
// → 资金到村) of one group: the whole subtree, a village, an adviser or an
// expert. A step "converted" when a step of the next kind follows it.
type OutcomeFigures struct {
	// Region is the village (byVillage), Person the adviser or expert
	// (byAdviser, byExpert); both nil for the total.
	Region                                     *ent.Region
	Person                                     *ent.Person
	Leads, SiteVisits, Projects, Funds         int
	FundsYuan                                  int64
	LeadsVisited, VisitsLanded, ProjectsFunded int
}

// LeadToVisit is the share of leads followed by a site visit (nil without leads).
func (f *OutcomeFigures) LeadToVisit() *float64 { return share(f.LeadsVisited, f.Leads) }

// VisitToProject is the share of site visits followed by a project.
func (f *OutcomeFigures) VisitToProject() *float64 { return share(f.VisitsLanded, f.SiteVisits) }

// ProjectToFunds is the share of projects followed by funds.
func (f *OutcomeFigures) ProjectToFunds() *float64 { return share(f.ProjectsFunded, f.Projects) }

func (f *OutcomeFigures) add(kind string, n, followed int, yuan int64) {
	switch kind {
	case "INVESTMENT_LEAD":
		f.Leads += n
		f.LeadsVisited += followed
	case "SITE_VISIT":
		f.SiteVisits += n
		f.VisitsLanded += followed
	case "PROJECT_LANDED":
		f.Projects += n
		f.ProjectsFunded += followed
	case "FUNDS":
		f.Funds += n
		f.FundsYuan += yuan
	}
}

// OutcomeTotals are the outcome chains of a subtree, in total and by
// village, adviser and expert, each list ordered by funds, then leads.
type OutcomeTotals struct {
	Region                         *ent.Region
	Total                          *OutcomeFigures
	ByVillage, ByAdviser, ByExpert []*OutcomeFigures
}

// Outcomes answers the outcome chains of the contributions in the villages
// of the subtree of code. The viewer must cover the region
// (analyticsSubtree), so every contribution of the range is one they may
// see (scope.Contributions follows the village); the villages and people
// named are loaded through the ent policies.
func Outcomes(ctx context.Context, c *ent.Client, code string) (*OutcomeTotals, error) {
	r, err := analyticsSubtree(ctx, c, code)
	if err != nil {
		return nil, err
	}
	lo, hi := codeRange(code)
	q := `SELECT x.village_id, COALESCE(a.person_id, 0), COALESCE(e.expert_id, 0), x.kind, COUNT(*),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM contributions n WHERE n.follows_id = x.id) THEN 1 ELSE 0 END),
		COALESCE(SUM(x.amount_yuan), 0)
	FROM contributions x JOIN regions v ON v.id = x.village_id
	LEFT JOIN adviser_appointments a ON a.id = x.appointment_id
	LEFT JOIN expert_assignments e ON e.id = x.assignment_id
	WHERE v.code >= $1 AND v.code < $2
	GROUP BY x.village_id, a.person_id, e.expert_id, x.kind`
	out := &OutcomeTotals{Region: r, Total: &OutcomeFigures{}}
	villages, advisers, experts := map[int]*OutcomeFigures{}, map[int]*OutcomeFigures{}, map[int]*OutcomeFigures{}
	group := func(m map[int]*OutcomeFigures, id int) *OutcomeFigures {
		if m[id] == nil {
			m[id] = &OutcomeFigures{}
		}
		return m[id]
	}
	err = queryRows(ctx, c, q, []any{lo, hi}, func(rows *sql.Rows) error {
		var (
			village, adviser, expert, n, followed int
			kind                                  string
			yuan                                  int64
		)
		if err := rows.Scan(&village, &adviser, &expert, &kind, &n, &followed, &yuan); err != nil {
			return err
		}
		out.Total.add(kind, n, followed, yuan)
		group(villages, village).add(kind, n, followed, yuan)
		if adviser != 0 {
			group(advisers, adviser).add(kind, n, followed, yuan)
		}
		if expert != 0 {
			group(experts, expert).add(kind, n, followed, yuan)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outcome chains: %w", err)
	}
	if out.ByVillage, err = withRegions(ctx, c, villages); err != nil {
		return nil, err
	}
	if out.ByAdviser, err = withPeople(ctx, c, advisers); err != nil {
		return nil, err
	}
	if out.ByExpert, err = withPeople(ctx, c, experts); err != nil {
		return nil, err
	}
	return out, nil
}

func withRegions(ctx context.Context, c *ent.Client, m map[int]*OutcomeFigures) ([]*OutcomeFigures, error) {
	rs, err := c.Region.Query().Where(region.IDIn(keys(m)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		m[r.ID].Region = r
	}
	return ordered(m), nil
}

// withPeople names the people the viewer may see; the figures of one they
// may not (an adviser of another county, seen in the viewer's village)
// stay, unnamed.
func withPeople(ctx context.Context, c *ent.Client, m map[int]*OutcomeFigures) ([]*OutcomeFigures, error) {
	ps, err := c.Person.Query().Where(person.IDIn(keys(m)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		m[p.ID].Person = p
	}
	return ordered(m), nil
}

func keys(m map[int]*OutcomeFigures) []int {
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func ordered(m map[int]*OutcomeFigures) []*OutcomeFigures {
	out := make([]*OutcomeFigures, 0, len(m))
	for _, id := range keys(m) {
		out = append(out, m[id])
	}
	slices.SortStableFunc(out, func(a, b *OutcomeFigures) int {
		if a.FundsYuan != b.FundsYuan {
			if a.FundsYuan > b.FundsYuan {
				return -1
			}
			return 1
		}
		return b.Leads - a.Leads
	})
	return out
}
