package graph_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/post"
	jobs "yanzhen/importjob"
)

// A flat 花名册 workbook uploads like the format's: its rows become people
// and posts; a township account finds villages by name only in its
// township, and its problems are on the flat sheet's cells.
func TestImportRosterTakesAFlatRoster(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		ctx, stop := context.WithCancel(context.Background())
		runner := jobs.Start(ctx, db.DB, jobs.Options{Poll: 20 * time.Millisecond})
		defer func() { stop(); runner.Wait() }()

		flat := func(village string) []byte {
			f := excelize.NewFile()
			f.SetSheetRow("Sheet1", "A1", &[]any{"萨拉齐镇村两委班子成员花名册"})
			f.MergeCell("Sheet1", "A1", "F1")
			f.SetSheetRow("Sheet1", "A2", &[]any{"序号", "姓 名", "出生年月", "现任职务", "任职时间", "所在村"})
			f.SetSheetRow("Sheet1", "A3", &[]any{1, "高一", "1975.03", "党支部书记、村委会主任", "2021.03", village})
			f.SetSheetRow("Sheet1", "A4", &[]any{2, "高二", "1990.11", "两委委员", "2021.03", village})
			var b bytes.Buffer
			f.Write(&b)
			return b.Bytes()
		}
		county := newAPIWithJobs(t, db, s.county, runner)
		job := county.submitAndWait("花名册.xlsx", flat(s.villages[2].Name))
		if job.Status != "SUCCEEDED" || job.Report == nil || len(job.Report.Counts) != 2 ||
			job.Report.Counts[0].Created != 2 || job.Report.Counts[1].Created != 2 {
			t.Fatalf("county's dry run: %+v %+v", job, job.Report)
		}
		if n := db.Client.Post.Query().Where(post.RoleEQ(post.RoleSECRETARY_AND_DIRECTOR)).CountX(auth.System(context.Background())); n != 0 {
			t.Fatalf("a dry run wrote %d posts", n)
		}

		// The township account (萨拉齐镇) does not find 双龙镇's village by
		// its name: the problem is on the 所在村 cell.
		town := newAPIWithJobs(t, db, s.townUser, runner)
		job = town.submitAndWait("花名册.xlsx", flat(s.villages[3].Name))
		if job.Status != "REJECTED" || job.Report == nil || job.AnnotatedURL == nil {
			t.Fatalf("township's upload: %+v", job)
		}
		for _, p := range job.Report.Problems {
			if p.Kind != "UNKNOWN_REGION" || p.Sheet != "Sheet1" || (p.Cell != "F3" && p.Cell != "F4") {
				t.Errorf("problem %+v", p)
			}
		}
		if len(job.Report.Problems) != 2 {
			t.Errorf("problems %+v", job.Report.Problems)
		}
	})
}
