package roster

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/region"
)

// The sheets of the work cycle, as a county writes them: the words people
// write (合格, 5, 五星级, 届中, 表彰, 省级 …), dates in the forms the other
// sheets accept.
func workCycleBook() *Workbook {
	return &Workbook{Sheets: []*Sheet{
		people([]string{"RY1", "张慧婷", "女", "", "", womanID, "150221105220"}, []string{"RY2", "李文博", "男", "", "", manID, "150221105220"}),
		sheet("任职", []string{"人员编号", "地区代码", "职务", "开始日期", "结束日期", "离任方式"},
			[]string{"RY1", "150221105220", "党组织书记", "2021-03-01", "", ""},
			[]string{"RY2", "150221105220", "两委委员", "2018.04", "2021年3月1日", "调动"}),
		sheet("年度考核", []string{"人员编号", "考核单位代码", "考核年度", "等次", "述职评议得分", "排名", "参评人数", "排名范围"},
			[]string{"RY1", "150221105220", "2024", "优秀", "92.5", "1", "12", "乡镇"},
			[]string{"RY2", "150221105", "2023", "合格", "", "", "", ""}),
		sheet("履职清单", []string{"人员编号", "村代码", "年度", "任务", "类别", "完成时限", "状态", "完成日期"},
			[]string{"RY1", "150221105220", "2024", "建成村级光伏电站", "重点任务", "2024年10月31日", "已完成", "2024/09/20"},
			[]string{"RY1", "150221105220", "2025", "化解土地纠纷", "难点", "", "", ""}),
		sheet("奖惩", []string{"人员编号", "地区代码", "类别", "名称", "级别", "日期", "奖金(元)"},
			[]string{"RY1", "150221105220", "表彰", "优秀党务工作者", "县级", "2024.07.01", "2000"},
			[]string{"RY2", "150221105", "惩处", "通报批评", "乡镇级", "20230301", ""}),
		sheet("星级评定", []string{"村代码", "年度", "星级", "称号"},
			[]string{"150221105220", "2024", "五星级", "五星级党组织"},
			[]string{"150221100202", "2023", "3", ""}),
		sheet("审计", []string{"村代码", "人员编号", "审计类型", "审计日期", "审计发现", "整改状态"},
			[]string{"150221105220", "RY2", "离任", "2021-01-20", "台账不完整", "已整改"}),
		sheet("换届", []string{"县代码", "届次", "名称", "换届日期"},
			[]string{"150221", "12", "2021年村“两委”换届", "2021-03-31"}),
		sheet("培训班次", []string{"班次名称", "组织地区代码", "类型", "开始日期", "结束日期", "学时"},
			[]string{"书记示范班", "150221", "书记培训班", "2024-04-08", "2024-04-12", "40"}),
		sheet("培训学员", []string{"班次名称", "班次开始日期", "人员编号", "所在地区代码", "是否结业", "学时", "培训结果"},
			[]string{"书记示范班", "2024.04.08", "RY1", "150221105220", "已结业", "37.5", "优秀学员"},
			[]string{"书记示范班", "2024-04-08", "RY2", "150221105220", "", "", ""}),
	}}
}

// countyAdmin is an admin of 土默特右旗 (150221).
func countyAdmin(t *testing.T, c *ent.Client) context.Context {
	t.Helper()
	u, _, err := accounts.CreateUser(auth.System(context.Background()), c, accounts.NewUser{
		Username: "tumed", Password: "a long enough password", Role: auth.RoleAdmin, RegionCode: "150221"})
	if err != nil {
		t.Fatal(err)
	}
	return auth.NewContext(context.Background(), accounts.ViewerOf(u))
}

// The work-cycle sheets import with the words counties write, land as the
// test's own queries read them, and a second import changes nothing.
func TestWorkCycleSheetsImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		ctx := countyAdmin(t, db.Client)
		rep, err := Import(ctx, db.DB, workCycleBook(), ImportOptions{})
		if err != nil {
			t.Fatalf("import: %v\n%s", err, rep)
		}
		var got []string
		rows, err := db.SQL.QueryContext(context.Background(), `
SELECT 'A ' || p.name || ' ' || a.year || ' ' || a.grade || ' ' || COALESCE(CAST(a.rank AS TEXT), '-') FROM assessments a JOIN persons p ON p.id = a.person_id
UNION ALL SELECT 'D ' || d.task || ' ' || d.kind || ' ' || d.status FROM duty_items d
UNION ALL SELECT 'R ' || r.title || ' ' || r.kind || ' ' || r.level || ' ' || COALESCE(CAST(r.amount_yuan AS TEXT), '-') FROM rewards r
UNION ALL SELECT 'S ' || g.code || ' ' || s.year || ' ' || s.stars FROM star_ratings s JOIN regions g ON g.id = s.village_id
UNION ALL SELECT 'O ' || o.kind || ' ' || o.status || ' ' || p.name FROM office_audits o JOIN persons p ON p.id = o.person_id
UNION ALL SELECT 'T ' || t.name || ' ' || t.number FROM terms t
UNION ALL SELECT 'C ' || c.name || ' ' || c.kind FROM training_classes c
UNION ALL SELECT 'E ' || p.name || ' ' || CASE WHEN e.completed THEN 'done' ELSE 'open' END FROM training_enrolments e JOIN persons p ON p.id = e.person_id
UNION ALL SELECT 'P ' || p.name || ' ' || COALESCE(s.exit_kind, '-') FROM posts s JOIN persons p ON p.id = s.person_id
ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		rows.Close()
		want := []string{
			"A 张慧婷 2024 EXCELLENT 1", "A 李文博 2023 COMPETENT -",
			"C 书记示范班 SECRETARY_TRAINING",
			"D 化解土地纠纷 HARD OPEN", "D 建成村级光伏电站 KEY DONE",
			"E 张慧婷 done", "E 李文博 open",
			"O DEPARTURE RECTIFIED 李文博",
			"P 张慧婷 -", "P 李文博 TRANSFERRED",
			"R 优秀党务工作者 REWARD COUNTY 2000", "R 通报批评 PUNISHMENT TOWNSHIP -",
			"S 150221100202 2023 3", "S 150221105220 2024 5",
			"T 2021年村“两委”换届 12",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("written:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if again, err := Import(ctx, db.DB, workCycleBook(), ImportOptions{}); err != nil || again.Changed() != 0 {
			t.Fatalf("re-import changed something (%v):\n%s", err, again)
		}
		// A changed grade updates the one record.
		wb := &Workbook{Sheets: []*Sheet{
			sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次"}, []string{"RY2", "150221105", "2023", "基本称职"}),
		}}
		rep, err = Import(ctx, db.DB, wb, ImportOptions{})
		if err != nil || rep.Changed() != 1 {
			t.Fatalf("changing a grade: %v\n%s", err, rep)
		}
		var grade string
		if err := db.SQL.QueryRowContext(context.Background(), `SELECT grade FROM assessments WHERE year = 2023`).Scan(&grade); err != nil || grade != "BASICALLY_COMPETENT" {
			t.Fatalf("grade %q (%v)", grade, err)
		}
	})
}

// Every bad row of a work-cycle sheet is reported with its sheet, row,
// column and code, and nothing of the workbook is written.
func TestWorkCycleSheetsRefuseBadRows(t *testing.T) {
	year := fmt.Sprint(time.Now().Year())
	cases := []struct {
		name  string
		sheet *Sheet
		want  string // sheet row column kind
	}{
		{"a wrong grade word", sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次"},
			[]string{"RY1", "150221105220", "2024", "良好"}), "年度考核 2 考核等次 UNKNOWN_WORD"},
		{"an assessment twice in the file", sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次"},
			[]string{"RY1", "150221105220", "2022", "优秀"}, []string{"RY1", "150221105", "2022", "称职"}), "年度考核 3 年度 SECOND_ASSESSMENT"},
		{"an assessment on file out of sight", sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次"},
			[]string{"RY1", "150221105220", "2020", "优秀"}), "年度考核 2 年度 SECOND_ASSESSMENT"},
		{"a rank beyond those ranked", sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次", "排名", "参评人数", "排名范围"},
			[]string{"RY1", "150221105220", "2024", "优秀", "13", "12", "县"}), "年度考核 2 排名 RANK_OUT_OF_RANGE"},
		{"a year to come", sheet("年度考核", []string{"人员编号", "地区代码", "年度", "考核等次"},
			[]string{"RY1", "150221105220", fmt.Sprint(time.Now().Year() + 1), "优秀"}), "年度考核 2 年度 YEAR_OUT_OF_RANGE"},
		{"a duty completed but not done", sheet("履职清单", []string{"人员编号", "村代码", "年度", "任务", "类别", "状态", "完成日期"},
			[]string{"RY1", "150221105220", year, "修路", "重点", "推进中", "2024-01-01"}), "履职清单 2 完成日期 COMPLETED_NOT_DONE"},
		{"a duty item kept in a township", sheet("履职清单", []string{"人员编号", "村代码", "年度", "任务", "类别"},
			[]string{"RY1", "150221105", year, "修路", "重点"}), "履职清单 2 村代码 WRONG_LEVEL"},
		{"an unknown level of reward", sheet("奖惩", []string{"人员编号", "地区代码", "类别", "名称", "级别", "日期"},
			[]string{"RY1", "150221105220", "奖励", "先进个人", "世界级", "2024-01-01"}), "奖惩 2 级别 UNKNOWN_WORD"},
		{"a star rating out of scope", sheet("星级评定", []string{"村代码", "年度", "星级"},
			[]string{"421002001201", "2024", "五星"}), "星级评定 2 村代码 OUT_OF_SCOPE"},
		{"six stars", sheet("星级评定", []string{"村代码", "年度", "星级"},
			[]string{"150221105220", "2024", "6"}), "星级评定 2 星级 UNKNOWN_WORD"},
		{"a village rated twice a year", sheet("星级评定", []string{"村代码", "年度", "星级"},
			[]string{"150221105220", "2024", "五星"}, []string{"150221105220", "2024", "四星"}), "星级评定 3 年度 DUPLICATE_ROW"},
		{"an audit to come", sheet("审计", []string{"村代码", "审计类型", "审计日期", "审计发现"},
			[]string{"150221105220", "届中审计", day(time.Now().AddDate(0, 2, 0)), "无"}), "审计 2 日期 DATE_IN_FUTURE"},
		{"a county elected twice a day", sheet("换届", []string{"县代码", "名称", "换届日期"},
			[]string{"150221", "换届", "2021-03-31"}, []string{"150221", "换届二", "2021.03.31"}), "换届 3 换届日期 SECOND_TERM"},
		{"a class without its start", sheet("培训班次", []string{"班次名称", "组织地区代码", "类型", "开始日期"},
			[]string{"示范班", "150221", "雏鹰计划", ""}), "培训班次 2 开始日期 MISSING_VALUE"},
		{"a class ending before it starts", sheet("培训班次", []string{"班次名称", "组织地区代码", "类型", "开始日期", "结束日期"},
			[]string{"示范班", "150221", "雏鹰计划", "2024-04-08", "2024-04-01"}), "培训班次 2 结束日期 ENDS_BEFORE_START"},
		{"a class with a wrong kind, and its trainee", &Sheet{Name: "培训班次"}, "培训班次 2 类型 UNKNOWN_WORD"},
		{"an enrolment in an unknown class", sheet("培训学员", []string{"班次名称", "班次开始日期", "人员编号", "所在地区代码"},
			[]string{"不存在的班", "2024-04-08", "RY1", "150221105220"}), "培训学员 2 班次名称 UNKNOWN_REFERENCE"},
		{"too many hours", sheet("培训学员", []string{"班次名称", "班次开始日期", "人员编号", "所在地区代码", "学时"},
			[]string{"书记班", "2023-05-01", "RY1", "150221105220", "3000"}), "培训学员 2 学时 HOURS_OUT_OF_RANGE"},
		{"a trainee enrolled twice", sheet("培训学员", []string{"班次名称", "班次开始日期", "人员编号", "所在地区代码"},
			[]string{"书记班", "2023-05-01", "RY1", "150221105220"}, []string{"书记班", "2023年5月1日", "RY1", "150221105"}), "培训学员 3 人员编号 SECOND_ENROLMENT"},
		{"how a current post ended", sheet("任职", []string{"人员编号", "地区代码", "职务", "开始日期", "离任方式"},
			[]string{"RY1", "150221105220", "两委委员", "2024-01-01", "辞职"}), "任职 2 离任方式 EXIT_KIND_WITHOUT_END"},
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		code := func(s string) int { return db.Client.Region.Query().Where(region.Code(s)).OnlyIDX(sys) }
		zhang := db.Client.Person.Create().SetExternalID("RY1").SetName("张慧婷").SetHomeVillageID(code("150221105220")).SaveX(sys)
		// An assessment of hers held where the county admin cannot see.
		db.Client.Assessment.Create().SetPersonID(zhang.ID).SetRegionID(code("421002001")).SetYear(2020).SetGrade("COMPETENT").SaveX(sys)
		// A class on file, organized by the county.
		db.Client.TrainingClass.Create().SetRegionID(code("150221")).SetName("书记班").SetKind("SECRETARY_TRAINING").
			SetStartsOn(mustDate("2023-05-01")).SaveX(sys)
		ctx := countyAdmin(t, db.Client)
		count := func() int {
			var n int
			if err := db.SQL.QueryRowContext(context.Background(), `SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM terms)
				+ (SELECT COUNT(*) FROM assessments) + (SELECT COUNT(*) FROM training_classes)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				// Beside the bad row, good rows of other sheets: none is written.
				wb := &Workbook{Sheets: []*Sheet{
					people([]string{"RY9", "李文博", "男", "", "", manID, "150221105220"}),
					sheet("换届", []string{"县代码", "名称", "换届日期"}, []string{"150221", "2018年换届", "2018-04-30"}),
					tc.sheet,
				}}
				if tc.sheet.Name == "换届" {
					wb.Sheets = append(wb.Sheets[:1], tc.sheet)
				}
				if len(tc.sheet.Rows) == 0 { // the class is bad, not its trainee's row
					wb.Sheets = append(wb.Sheets[:2],
						sheet("培训班次", []string{"班次名称", "地区代码", "类型", "开始日期"}, []string{"新班", "150221", "讲座", "2024-04-08"}),
						sheet("培训学员", []string{"班次名称", "班次开始日期", "人员编号", "所在地区代码"}, []string{"新班", "2024-04-08", "RY1", "150221105220"}))
				}
				rep, err := Import(ctx, db.DB, wb, ImportOptions{})
				if err == nil {
					t.Fatalf("accepted:\n%s", rep)
				}
				got := map[string]bool{}
				for _, p := range rep.Problems {
					got[fmt.Sprintf("%s %d %s %s", p.Sheet, p.Row, p.Column, p.Kind)] = true
				}
				if !maps.Equal(got, map[string]bool{tc.want: true}) {
					t.Fatalf("problems %v, want %s\n%s", got, tc.want, rep)
				}
				if n := count(); n != before {
					t.Fatalf("%d rows after a refused import, %d before", n, before)
				}
			})
		}
	})
}

// A county admin's export of the county carries the work-cycle records of
// the county only (a neighbour's star rating stays out), and comes back
// into the same database unchanged — the province's class its trainee
// attended included.
func TestWorkCycleExportScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		fullGraph(t, db.Client)
		sys := auth.System(context.Background())
		outside := db.Client.Region.Query().Where(region.Code("421002001201")).OnlyIDX(sys)
		db.Client.StarRating.Create().SetVillageID(outside).SetYear(2024).SetStars(2).SaveX(sys)
		ctx := countyAdmin(t, db.Client)
		v := auth.FromContext(ctx)
		v.PersonalData = true
		ctx = auth.NewContext(context.Background(), v)
		wb, err := ExportWorkbook(ctx, db.Client, "150221", ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var stars []string
		for _, r := range wb.Sheets[StarRatings].Rows {
			stars = append(stars, r.Cells[0])
		}
		if strings.Join(stars, ",") != "150221100202,150221105220" {
			t.Fatalf("star ratings exported: %v", stars)
		}
		if n := len(wb.Sheets[TrainingClasses].Rows); n != 2 {
			t.Fatalf("%d classes exported, want the county's and the province's", n)
		}
		// (The first import of the county's numbers records them as its
		// source's keys of the people: 人员 rows may update once.)
		rep, err := Import(ctx, db.DB, wb, ImportOptions{})
		if err != nil {
			t.Fatalf("re-importing the county's export: %v\n%s", err, rep)
		}
		for _, c := range rep.Counts {
			if k := sheetDef(c.Sheet).Kind; k >= Assessments && c.Unchanged != c.Rows {
				t.Errorf("re-importing the county's export changed %s:\n%s", c.Sheet, rep)
			}
		}
		if rep, err := Import(ctx, db.DB, wb, ImportOptions{}); err != nil || rep.Changed() != 0 {
			t.Fatalf("importing the county's export again: %v\n%s", err, rep)
		}
		// Anonymous may export nothing.
		if _, err := ExportWorkbook(context.Background(), db.Client, "150221", ExportOptions{MaskPersonalData: true}); err == nil {
			t.Fatal("anonymous exported the roster")
		}
	})
}
