package roster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/region"
)

// checkDigit completes 17 digits to a valid ID number (GB 11643).
func withCheckDigit(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// TestImportSpeed imports 100,000 people with one post each from an .xlsx
// file and reports the time. It runs only when ROSTER_PERF=1 (and on
// PostgreSQL when TEST_DATABASE_URL is set):
//
//	ROSTER_PERF=1 TEST_DATABASE_URL=… go test ./roster -run ImportSpeed -v
func TestImportSpeed(t *testing.T) {
	if os.Getenv("ROSTER_PERF") == "" {
		t.Skip("set ROSTER_PERF=1 to measure the import of 100,000 people")
	}
	const n, villages = 100_000, 1_000
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		addRegions(t, db.Client)
		county := db.Client.Region.Query().Where(region.Code("150221")).OnlyX(ctx)
		town := db.Client.Region.Create().SetCode("150221199").SetName("测试镇").SetLevel(region.LevelTOWNSHIP).
			SetParentID(county.ID).SaveX(ctx)
		var bs []*ent.RegionCreate
		for v := range villages {
			bs = append(bs, db.Client.Region.Create().SetCode(fmt.Sprintf("150221199%03d", v)).
				SetName(fmt.Sprintf("第%d村", v)).SetLevel(region.LevelVILLAGE).SetParentID(town.ID))
		}
		for len(bs) > 0 {
			k := min(500, len(bs))
			db.Client.Region.CreateBulk(bs[:k]...).SaveX(ctx)
			bs = bs[k:]
		}
		var peopleRows, postRows [][]string
		roles := []string{"两委委员", "村委会主任", "副书记", "后备干部", "驻村工作队员", "村指导员"}
		for i := range n {
			village := fmt.Sprintf("150221199%03d", i%villages)
			birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%14000)
			id := withCheckDigit(fmt.Sprintf("150221%s%03d", birth.Format("20060102"), i/14000))
			gender := "男"
			if (id[16]-'0')%2 == 0 {
				gender = "女"
			}
			no := fmt.Sprintf("R%06d", i)
			peopleRows = append(peopleRows, []string{no, fmt.Sprintf("村民%d", i), gender, day(birth),
				fmt.Sprintf("138%08d", i), id, village})
			role, list := roles[i%len(roles)], ""
			if i < villages {
				role = "党组织书记"
			} else if role == "后备干部" {
				list = "书记培养对象"
			}
			postRows = append(postRows, []string{no, village, role, list, "2021-01-01", ""})
		}
		var buf bytes.Buffer
		if err := (&Workbook{Sheets: []*Sheet{people(peopleRows...), posts(postRows...)}}).WriteXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		wb, err := ReadXLSX(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		read := time.Since(start)
		rep, err := Import(ctx, db.DB, wb, ImportOptions{})
		if err != nil {
			t.Fatalf("%v\n%v", err, rep.Problems[:min(10, len(rep.Problems))])
		}
		total := time.Since(start)
		t.Logf("%s: read %d rows of .xlsx in %v, imported in %v, total %v", db.Dialect, 2*n, read, total-read, total)
		if c := rep.Count("任职"); c.Created != n {
			t.Fatalf("%+v", c)
		}
		start = time.Now()
		again, err := Import(ctx, db.DB, wb, ImportOptions{})
		if err != nil || again.Changed() != 0 {
			t.Fatalf("re-import: %v %s", err, again)
		}
		t.Logf("%s: re-import (no change) in %v", db.Dialect, time.Since(start))
		if db.Dialect == "postgres" && total > time.Minute {
			t.Errorf("100,000 people took %v, more than a minute", total)
		}
	})
}
