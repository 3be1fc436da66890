package roster

import (
	"context"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// Problems of form group under their own kind, each with its count, for a
// workbook that has only that fault (the kinds other tests do not reach).
func TestFormProblemsGroupByKind(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	addRegions(t, db.Client)
	ctx := auth.System(context.Background())
	h := headerOf(People)
	row := func(set map[string]string) []string {
		r := make([]string, len(h))
		for j, c := range h {
			r[j] = set[c]
		}
		return r
	}
	for _, tc := range []struct {
		name string
		wb   *Workbook
		opts ImportOptions
		want Kind
		n    int
	}{
		{"a name too long", &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row(map[string]string{colPersonNo: "P-1", colPersonName: strings.Repeat("长", 70)}))}}, ImportOptions{}, KindTooLong, 1},
		{"a number with a space", &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row(map[string]string{colPersonNo: "P 1", colPersonName: "甲"}))}}, ImportOptions{}, KindBadKey, 1},
		{"a region code of 5 digits", &Workbook{Sheets: []*Sheet{sheet("人员", h,
			row(map[string]string{colPersonNo: "P-1", colPersonName: "甲", colHomeVillage: "15022"}))}}, ImportOptions{}, KindBadRegionCode, 1},
		{"a required column missing", &Workbook{Sheets: []*Sheet{sheet("人员", []string{colPersonNo}, []string{"P-1"})}}, ImportOptions{}, KindHeader, 1},
		{"the same sheet twice", &Workbook{Sheets: []*Sheet{
			sheet("人员", h, row(map[string]string{colPersonNo: "P-1", colPersonName: "甲"})),
			sheet("people", h, row(map[string]string{colPersonNo: "P-2", colPersonName: "乙"}))}}, ImportOptions{}, KindSheet, 1},
		{"a mapping naming no column", &Workbook{Sheets: []*Sheet{sheet("人员", h, row(map[string]string{colPersonNo: "P-1", colPersonName: "甲"}))}},
			ImportOptions{Columns: []ColumnMapping{{Sheet: "人员", Header: "籍贯", Column: "没有这一列"}}}, KindColumnMapping, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.DryRun = true
			rep, _ := Import(ctx, db.DB, tc.wb, tc.opts)
			got := map[Kind]int{}
			for _, g := range rep.Groups() {
				got[g.Kind] = g.Count
			}
			if got[tc.want] != tc.n {
				t.Errorf("%s: %d problems, want %d (groups %v)\n%s", tc.want, got[tc.want], tc.n, got, rep)
			}
		})
	}
}
