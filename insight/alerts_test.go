package insight_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/insight"
)

func TestAlerts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := build(t, db)
		ctx := auth.System(context.Background())
		th := insight.DefaultAlertThresholds
		// The fixture has no training records: with a minimum, every 两委
		// cadre would be under it (TestTrainingBelowMinimumAlert).
		th.MinTrainingHours = 0
		type row struct {
			kind    insight.AlertKind
			node    int
			overdue int // -1: none
		}
		// On 2024-06-30 in 土右旗, in order of kind, region code, node:
		//   V2, V3, V4 have fewer than 2 reserves (V1 has G and H);
		//   V4 has no secretary;
		//   J (V1) was last contacted 2024-05-01: 60 days, 30 over; K started
		//   2024-06-15, within the month;
		//   ms1 ended 2023-12-31 and is still ACTIVE: 182 days;
		//   X1's last service record is 2024-02-01: 150 days, 60 over;
		//   D1 raised 2024-03-01: 121 days open, 61 over (D2, D4 are recent).
		want := []row{
			{insight.FewReserves, f.v2.ID, -1}, {insight.FewReserves, f.v3.ID, -1}, {insight.FewReserves, f.v4.ID, -1},
			{insight.NoSecretary, f.v4.ID, -1},
			{insight.AdviserNotContacted, f.apJ.ID, 30},
			{insight.MentorshipOverdue, f.ms1.ID, 182},
			{insight.ExpertInactive, f.asX1.ID, 60},
			{insight.DemandOpenTooLong, f.d1.ID, 61},
		}
		var got []row
		var after *insight.AlertCursor
		pages := 0
		for {
			p, err := insight.Alerts(ctx, db.Client, "150221", nil, asOf, th, 3, after)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if p.TotalCount != 8 {
				t.Errorf("total %d, want 8", p.TotalCount)
			}
			for _, a := range p.Alerts {
				o := -1
				if a.DaysOverdue != nil {
					o = *a.DaysOverdue
				}
				if a.Message.Zh == "" || a.Message.En == "" {
					t.Errorf("alert without a message: %+v", a)
				}
				got = append(got, row{a.Kind, a.NodeID, o})
				c := a.Cursor
				after = &c
			}
			if !p.HasNextPage {
				break
			}
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if pages != 3 || !reflect.DeepEqual(got, want) {
			t.Errorf("%d pages:\n got %v\nwant %v", pages, got, want)
		}
		// Kinds filter, another date and thresholds: on 2024-07-20 with a
		// 60-day contact rule, J (last contact 2024-05-01, 80 days) is 20
		// over, and K (no contact since 2024-06-15, 35 days) is not yet due.
		th2 := th
		th2.ContactDays = 60
		p, err := insight.Alerts(ctx, db.Client, "150221", []insight.AlertKind{insight.AdviserNotContacted}, date("2024-07-20"), th2, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != 1 || p.Alerts[0].NodeID != f.apJ.ID || *p.Alerts[0].DaysOverdue != 20 {
			t.Errorf("60-day rule: %+v", p.Alerts)
		}
		// A township with no villages has nothing to report.
		p, err = insight.Alerts(ctx, db.Client, "150222100", nil, asOf, th, 10, nil)
		if err != nil || p.TotalCount != 0 || len(p.Alerts) != 0 || p.HasNextPage {
			t.Errorf("empty township: %+v %v", p, err)
		}
		// 萨拉齐镇 only: V2 few reserves, J, X1's assignment, D1.
		p, err = insight.Alerts(ctx, db.Client, "150221100", nil, asOf, th, 100, nil)
		if err != nil || p.TotalCount != 4 || len(p.Alerts) != 4 {
			t.Errorf("萨拉齐镇: %v %v", p, err)
		}
		if _, err := insight.Alerts(ctx, db.Client, "150221", nil, asOf, th, 101, nil); err == nil {
			t.Error("first 101 accepted")
		}
		_ = fmt.Sprint()
	})
}
