package insight

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"yanzhen/ent"
	"yanzhen/rules"
)

// RewardTotal is the 奖惩 and 星级评定 figures of one region subtree for a
// year.
type RewardTotal struct {
	// Region is the subtree; nil for the whole country (code "").
	Region *ent.Region
	Year   int
	// Rewards and Punishments count the records dated in the year;
	// PeopleRewarded counts each person with a reward once; AmountYuan sums
	// the cash awards of the rewards.
	Rewards, Punishments, PeopleRewarded int
	AmountYuan                           int64
	// StarRatings counts the villages rated 1 … 5 stars for the year, one
	// entry per stars value in that order (zeros included).
	StarRatings []StarCount
}

// StarCount is the number of villages rated with a number of stars.
type StarCount struct {
	Stars, Villages int
}

func newRewardTotal(r *ent.Region, year int) *RewardTotal {
	t := &RewardTotal{Region: r, Year: year}
	for s := 1; s <= 5; s++ {
		t.StarRatings = append(t.StarRatings, StarCount{Stars: s})
	}
	return t
}

// RewardTotals answers the 奖惩 and 星级评定 figures of the subtree of code
// for year (0: the current year in China): first the whole subtree, then
// each child region in code order (none for a village). A record of the
// region itself — a reward recorded at the county, asked about the county —
// counts in the first entry only. The viewer must cover the region
// (analyticsSubtree: admins, township and village users; partners get no
// analytics), so every row of the code range is one the viewer may see
// (scope.Rewards and scope.StarRatings follow the region).
func RewardTotals(ctx context.Context, c *ent.Client, code string, year int) ([]*RewardTotal, error) {
	r, err := analyticsSubtree(ctx, c, code)
	if err != nil {
		return nil, err
	}
	if year == 0 {
		year = time.Now().In(rules.China).Year()
	}
	children, err := childRegions(ctx, c, r)
	if err != nil {
		return nil, err
	}
	total := newRewardTotal(r, year)
	if err := recordTotals(ctx, c, code, len(code), year, map[string]*RewardTotal{code: total}); err != nil {
		return nil, err
	}
	out := []*RewardTotal{total}
	if len(children) == 0 {
		return out, nil
	}
	byCode := map[string]*RewardTotal{}
	for _, ch := range children {
		t := newRewardTotal(ch, year)
		byCode[ch.Code] = t
		out = append(out, t)
	}
	if err := recordTotals(ctx, c, code, len(children[0].Code), year, byCode); err != nil {
		return nil, err
	}
	return out, nil
}

// recordTotals fills the totals of the groups in into: the regions whose
// code starts with the group's code of length keyLen, within the subtree of
// code. Rows of groups not in into (records of a region above the
// children) are dropped.
//
// Parameters: $1, $2 the code range, $3 keyLen, $4 the year ($4, $5 its
// first day and the next year's for the reward dates).
func recordTotals(ctx context.Context, c *ent.Client, code string, keyLen, year int, into map[string]*RewardTotal) error {
	lo, hi := codeRange(code)
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	rewards := `SELECT SUBSTR(r.code, 1, $3),
		SUM(CASE WHEN w.kind = 'REWARD' THEN 1 ELSE 0 END),
		SUM(CASE WHEN w.kind = 'PUNISHMENT' THEN 1 ELSE 0 END),
		COUNT(DISTINCT CASE WHEN w.kind = 'REWARD' THEN w.person_id END),
		COALESCE(SUM(CASE WHEN w.kind = 'REWARD' THEN w.amount_yuan END), 0)
	FROM rewards w JOIN regions r ON r.id = w.region_id
	WHERE r.code >= $1 AND r.code < $2 AND w.date >= $4 AND w.date < $5
	GROUP BY SUBSTR(r.code, 1, $3)`
	err := queryRows(ctx, c, rewards, []any{lo, hi, keyLen, from, from.AddDate(1, 0, 0)}, func(rows *sql.Rows) error {
		var (
			g                string
			rew, pun, people int
			amount           int64
		)
		if err := rows.Scan(&g, &rew, &pun, &people, &amount); err != nil {
			return err
		}
		if t := into[g]; t != nil {
			t.Rewards, t.Punishments, t.PeopleRewarded, t.AmountYuan = rew, pun, people, amount
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reward totals: %w", err)
	}
	ratings := `SELECT SUBSTR(r.code, 1, $3), s.stars, COUNT(*)
	FROM star_ratings s JOIN regions r ON r.id = s.village_id
	WHERE r.code >= $1 AND r.code < $2 AND s.year = $4
	GROUP BY SUBSTR(r.code, 1, $3), s.stars`
	err = queryRows(ctx, c, ratings, []any{lo, hi, keyLen, year}, func(rows *sql.Rows) error {
		var (
			g            string
			stars, count int
		)
		if err := rows.Scan(&g, &stars, &count); err != nil {
			return err
		}
		if t := into[g]; t != nil && stars >= 1 && stars <= 5 {
			t.StarRatings[stars-1].Villages = count
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("star rating totals: %w", err)
	}
	return nil
}
