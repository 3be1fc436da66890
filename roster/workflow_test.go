package roster

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/rules"
)

// The sheets of resident work and the support of experts (issue 14), as a
// county writes them: the words people write (县派, 年度, 平时), headers of
// their own (所属片区, 工作队名称, 收益分成比例 …), a 返聘 and an outcome
// chain whose steps come in any order.
func workflowBook() *Workbook {
	return &Workbook{Sheets: []*Sheet{
		people([]string{"RY1", "张慧婷", "女", "", "", womanID, "150221105220"}, []string{"RY2", "李文博", "男", "", "", manID, "150221105220"},
			[]string{"RY3", "王建国", "男", "", "", "", ""}),
		sheet("片区", []string{"地区代码", "片区名称", "临时党支部", "组长", "所辖村代码", "成立日期"},
			[]string{"150221105", "第一片区", "第一片区临时党支部", "RY1", "150221105220；150221100202", "2021-01-01"}),
		sheet("驻村工作队", []string{"村代码", "派驻日期", "工作队名称", "队长", "派出层级", "派出单位", "所属片区"},
			[]string{"150221105220", "2021.06", "第一村工作队", "RY2", "县派", "土默特右旗农牧局;包头市农牧局", "第一片区"}),
		sheet("任职", []string{"人员编号", "地区代码", "职务", "派驻层级", "开始日期", "结束日期", "工作队开始日期", "返聘原职务", "返聘原职务开始日期"},
			// The 返聘 comes before the post it takes back.
			[]string{"RY1", "150221105220", "村务监督委员会主任", "", "2021-01-01", "", "", "村支书", "2015-01-01"},
			[]string{"RY1", "150221105220", "党组织书记", "", "2015-01-01", "2020-12-31", "", "", ""},
			[]string{"RY2", "150221105220", "驻村第一书记", "县派", "2021-06-01", "", "2021-06-01", "", ""}),
		sheet("顾问聘任", []string{"编号", "人员编号", "村代码", "聘任类别", "聘任日期"},
			[]string{"PR1", "RY3", "150221105220", "发展顾问", "2023-06-01"}),
		sheet("科技特派员选派", []string{"编号", "人员编号", "服务地区代码", "开始日期"},
			[]string{"XP1", "RY3", "150221105", "2024-03-01"}),
		sheet("成效", []string{"编号", "来源编号", "村代码", "类型", "日期", "上一步编号"},
			[]string{"CX3", "XP1", "150221105220", "项目落地", "2024-10-01", "CX2"},
			[]string{"CX2", "XP1", "150221105220", "考察", "2024-04-01", "CX1"},
			[]string{"CX1", "PR1", "150221105220", "招商信息", "2024-03-01", ""}),
		sheet("驻村考核", []string{"人员编号", "村代码", "考核类型", "考核年度", "考核季度", "等次", "考核单位", "工作队开始日期"},
			[]string{"RY2", "150221105220", "平时", "2022", "3", "合格", "萨拉齐镇党委", "2021-06-01"},
			[]string{"RY2", "150221105220", "年度", "2022", "", "优秀", "", ""}),
		sheet("合作任务书", []string{"人员编号", "任务书名称", "开始日期", "签订地区代码", "选派编号", "甲乙双方", "收益分成比例", "签订日期"},
			[]string{"RY3", "设施农业合作任务书", "2024-03-01", "150221105", "XP1", "甲方：萨拉齐镇；乙方：王建国", "30.5", "2024-02-25"}),
		sheet("专家补贴", []string{"人员编号", "发放地区代码", "补贴年度", "补贴金额", "任务书名称", "任务书开始日期"},
			[]string{"RY3", "150221105", "2024", "20,000", "设施农业合作任务书", "2024年3月1日"}),
		sheet("博士农场", []string{"村代码", "农场名称", "人员编号", "成立日期", "年度资助(元)", "资助年限"},
			[]string{"150221105220", "番茄博士农场", "RY3", "2023-05-01", "100000", "3"}),
	}}
}

// The sheets import with the words counties write, land as the test's own
// queries read them (the team on the post and the assessment, the 返聘, the
// chain, the 片区's villages, the agreement of the subsidy), and a second
// import changes nothing.
func TestWorkflowSheetsImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		ctx := countyAdmin(t, db.Client)
		rep, err := Import(ctx, db.DB, workflowBook(), ImportOptions{})
		if err != nil {
			t.Fatalf("import: %v\n%s", err, rep)
		}
		got := queryLines(t, db, `
SELECT 'A ' || g.code || ' ' || a.name || ' ' || a.party_branch || ' ' || p.name FROM resident_areas a JOIN regions g ON g.id = a.region_id JOIN persons p ON p.id = a.leader_id
UNION ALL SELECT 'AV ' || a.name || ' ' || g.code FROM resident_area_villages v JOIN resident_areas a ON a.id = v.resident_area_id JOIN regions g ON g.id = v.region_id
UNION ALL SELECT 'T ' || g.code || ' ' || t.name || ' ' || t.dispatch_level || ' ' || p.name || ' ' || a.name FROM resident_teams t
	JOIN regions g ON g.id = t.village_id JOIN persons p ON p.id = t.leader_id JOIN resident_areas a ON a.id = t.area_id
UNION ALL SELECT 'P ' || p.name || ' ' || s.role || ' ' || COALESCE(t.name, '-') || ' ' || COALESCE(o.role, '-') FROM posts s
	JOIN persons p ON p.id = s.person_id LEFT JOIN resident_teams t ON t.id = s.team_id LEFT JOIN posts o ON o.id = s.rehired_from_id
UNION ALL SELECT 'C ' || c.external_id || ' ' || c.kind || ' ' || COALESCE(f.external_id, '-') FROM contributions c LEFT JOIN contributions f ON f.id = c.follows_id
UNION ALL SELECT 'R ' || p.name || ' ' || r.kind || ' ' || r.year || ' ' || COALESCE(CAST(r.period AS TEXT), '-') || ' ' || r.grade || ' ' || COALESCE(t.name, '-')
	FROM resident_assessments r JOIN persons p ON p.id = r.person_id LEFT JOIN resident_teams t ON t.id = r.team_id
UNION ALL SELECT 'E ' || p.name || ' ' || e.title || ' ' || g.code || ' ' || CAST(e.proceeds_share_percent AS TEXT) || ' ' || x.external_id FROM expert_agreements e
	JOIN persons p ON p.id = e.expert_id JOIN regions g ON g.id = e.region_id JOIN expert_assignments x ON x.id = e.assignment_id
UNION ALL SELECT 'S ' || p.name || ' ' || s.year || ' ' || s.amount_yuan || ' ' || e.title FROM subsidy_payments s JOIN persons p ON p.id = s.expert_id JOIN expert_agreements e ON e.id = s.agreement_id
UNION ALL SELECT 'F ' || f.name || ' ' || p.name || ' ' || f.yearly_funding_yuan || ' ' || f.years_funded FROM doctor_farms f JOIN persons p ON p.id = f.expert_id
ORDER BY 1`)
		want := []string{
			"A 150221105 第一片区 第一片区临时党支部 张慧婷",
			"AV 第一片区 150221100202", "AV 第一片区 150221105220",
			"C CX1 INVESTMENT_LEAD -", "C CX2 SITE_VISIT CX1", "C CX3 PROJECT_LANDED CX2",
			"E 王建国 设施农业合作任务书 150221105 30.5 XP1",
			"F 番茄博士农场 王建国 100000 3",
			"P 张慧婷 PARTY_SECRETARY - -", "P 张慧婷 SUPERVISORY_DIRECTOR - PARTY_SECRETARY", "P 李文博 FIRST_SECRETARY 第一村工作队 -",
			"R 李文博 ANNUAL 2022 - EXCELLENT -", "R 李文博 ROUTINE 2022 3 COMPETENT 第一村工作队",
			"S 王建国 2024 20000 设施农业合作任务书",
			"T 150221105220 第一村工作队 COUNTY 李文博 第一片区",
		}
		slices.Sort(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("written:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if again, err := Import(ctx, db.DB, workflowBook(), ImportOptions{}); err != nil || again.Changed() != 0 {
			t.Fatalf("re-import changed something (%v):\n%s", err, again)
		}
		// A changed cell updates the one record; the 片区's villages follow
		// the cell.
		wb := &Workbook{Sheets: []*Sheet{
			sheet("博士农场", []string{"村代码", "名称", "人员编号", "创办日期", "年度资助(元)"}, []string{"150221105220", "番茄博士农场", "RY3", "2023-05-01", "120000"}),
			sheet("片区", []string{"地区代码", "名称", "所辖村代码", "开始日期"}, []string{"150221105", "第一片区", "150221105220", "2021-01-01"}),
		}}
		rep, err = Import(ctx, db.DB, wb, ImportOptions{})
		if err != nil || rep.Changed() != 2 {
			t.Fatalf("changing a farm and a 片区: %v\n%s", err, rep)
		}
		got = queryLines(t, db, `SELECT 'F ' || yearly_funding_yuan || ' ' || years_funded FROM doctor_farms
UNION ALL SELECT 'AV ' || g.code FROM resident_area_villages v JOIN regions g ON g.id = v.region_id ORDER BY 1`)
		if strings.Join(got, ",") != "AV 150221105220,F 120000 3" {
			t.Fatalf("after the update: %v", got)
		}
	})
}

func queryLines(t *testing.T, db *dbtest.DB, q string) []string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out) // by code point, whatever the database's collation
	return out
}

// workflowCount counts the rows of every table these sheets write.
func workflowCount(t *testing.T, db *dbtest.DB) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(context.Background(), `SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM posts)
		+ (SELECT COUNT(*) FROM resident_areas) + (SELECT COUNT(*) FROM resident_area_villages) + (SELECT COUNT(*) FROM resident_teams)
		+ (SELECT COUNT(*) FROM resident_assessments) + (SELECT COUNT(*) FROM expert_agreements) + (SELECT COUNT(*) FROM subsidy_payments)
		+ (SELECT COUNT(*) FROM doctor_farms) + (SELECT COUNT(*) FROM contributions)
		+ (SELECT COUNT(*) FROM contributions WHERE follows_id IS NOT NULL) + (SELECT COUNT(*) FROM posts WHERE team_id IS NOT NULL)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Every bad row is reported with its sheet, row, column and code — the
// hooks' rules (END_BEFORE_START, REHIRE_NOT_ALLOWED, OUTCOME_OUT_OF_ORDER,
// WRONG_LEVEL) among them — and nothing of the workbook is written.
func TestWorkflowSheetsRefuseBadRows(t *testing.T) {
	areaH := []string{"地区代码", "名称", "所辖村代码", "开始日期"}
	teamH := []string{"村代码", "开始日期", "派驻层级", "片区", "结束日期"}
	postH := []string{"人员编号", "地区代码", "职务", "开始日期", "工作队开始日期", "返聘原职务", "返聘原职务开始日期"}
	contribH := []string{"编号", "来源编号", "村代码", "类型", "日期", "上一步编号"}
	assessH := []string{"人员编号", "村代码", "类型", "年度", "季度", "考核等次"}
	agreeH := []string{"人员编号", "名称", "开始日期", "地区代码", "选派编号", "收益分成(%)"}
	subsidyH := []string{"人员编号", "地区代码", "年度", "金额(元)", "任务书名称", "任务书开始日期"}
	farmH := []string{"村代码", "名称", "人员编号", "创办日期"}
	cases := []struct {
		name  string
		sheet *Sheet
		want  string // sheet row column kind
	}{
		{"a 片区 grouping a township", sheet("片区", areaH, []string{"150221105", "一片", "150221105", "2021-01-01"}), "片区 2 所辖村代码 WRONG_LEVEL"},
		{"a 片区 set up by a village", sheet("片区", areaH, []string{"150221105220", "一片", "", "2021-01-01"}), "片区 2 地区代码 WRONG_LEVEL"},
		{"a 片区 twice", sheet("片区", areaH, []string{"150221105", "一片", "", "2021-01-01"}, []string{"150221105", "一片", "", "2022-01-01"}), "片区 3 名称 DUPLICATE_ROW"},
		{"a team ending before it starts", sheet("驻村工作队", teamH, []string{"150221105220", "2021-06-01", "县派", "", "2021-05-31"}), "驻村工作队 2 结束日期 END_BEFORE_START"},
		{"a team without its dispatch level", sheet("驻村工作队", teamH, []string{"150221105220", "2021-06-01", "", "", ""}), "驻村工作队 2 派驻层级 MISSING_VALUE"},
		{"a team of an unknown 片区", sheet("驻村工作队", teamH, []string{"150221105220", "2021-06-01", "县派", "不存在的片区", ""}), "驻村工作队 2 片区 UNKNOWN_REFERENCE"},
		{"a team twice", sheet("驻村工作队", teamH, []string{"150221105220", "2021-06-01", "县派", "", ""}, []string{"150221105220", "2021.06.01", "市派", "", ""}),
			"驻村工作队 3 开始日期 DUPLICATE_ROW"},
		{"a post of an unknown team", sheet("任职", postH, []string{"RY1", "150221105220", "驻村工作队员", "2024-01-01", "2024-01-01", "", ""}), "任职 2 工作队开始日期 UNKNOWN_REFERENCE"},
		{"a 返聘 into the 两委", sheet("任职", postH, []string{"RY1", "150221105220", "两委委员", "2024-01-01", "", "党组织书记", "2015-01-01"}), "任职 2 返聘原职务 REHIRE_NOT_ALLOWED"},
		{"a 返聘 of a current post", sheet("任职", postH, []string{"RY1", "150221105220", "村务监督委员会委员", "2024-01-01", "", "两委委员", "2021-01-01"}), "任职 2 返聘原职务 REHIRE_NOT_ALLOWED"},
		{"a 返聘 of no post", sheet("任职", postH, []string{"RY1", "150221105220", "村务监督委员会委员", "2024-01-01", "", "党组织书记", "2016-01-01"}), "任职 2 返聘原职务 UNKNOWN_REFERENCE"},
		{"a 返聘 without the start", sheet("任职", postH, []string{"RY1", "150221105220", "村务监督委员会委员", "2024-01-01", "", "党组织书记", ""}), "任职 2 返聘原职务开始日期 MISSING_VALUE"},
		{"a 返聘 added to a post on file", sheet("任职", postH, []string{"RY1", "150221105220", "村务监督委员会委员", "2022-01-01", "", "党组织书记", "2015-01-01"}),
			"任职 2 返聘原职务 CANNOT_CHANGE"},
		{"funds right after a lead", sheet("成效", contribH, []string{"CX9", "PR1", "150221105220", "资金到村", "2024-05-01", "CX1"}), "成效 2 上一步编号 OUTCOME_OUT_OF_ORDER"},
		{"a visit before its lead", sheet("成效", contribH, []string{"CX9", "PR1", "150221105220", "考察", "2024-02-01", "CX1"}), "成效 2 上一步编号 OUTCOME_OUT_OF_ORDER"},
		{"a step after no step", sheet("成效", contribH, []string{"CX9", "PR1", "150221105220", "考察", "2024-05-01", "CX404"}), "成效 2 上一步编号 UNKNOWN_REFERENCE"},
		{"a fifth quarter", sheet("驻村考核", assessH, []string{"RY1", "150221105220", "平时考核", "2024", "5", "称职"}), "驻村考核 2 季度 BAD_NUMBER"},
		{"a resident assessment twice", sheet("驻村考核", assessH, []string{"RY1", "150221105220", "年度", "2024", "", "称职"}, []string{"RY1", "150221105220", "年度考核", "2024", "", "优秀"}),
			"驻村考核 3 年度 DUPLICATE_ROW"},
		{"an unknown kind of assessment", sheet("驻村考核", assessH, []string{"RY1", "150221105220", "月度", "2024", "", "称职"}), "驻村考核 2 类型 UNKNOWN_WORD"},
		{"a share over 100", sheet("合作任务书", agreeH, []string{"RY3", "任务书", "2024-03-01", "150221105", "", "120"}), "合作任务书 2 收益分成(%) BAD_NUMBER"},
		{"an agreement of an unknown assignment", sheet("合作任务书", agreeH, []string{"RY3", "任务书", "2024-03-01", "150221105", "XP404", ""}), "合作任务书 2 选派编号 UNKNOWN_REFERENCE"},
		{"an agreement in a city", sheet("合作任务书", agreeH, []string{"RY3", "任务书", "2024-03-01", "1502", "", ""}), "合作任务书 2 地区代码 WRONG_LEVEL"},
		{"an agreement of another county", sheet("合作任务书", agreeH, []string{"RY3", "任务书", "2024-03-01", "421002", "", ""}), "合作任务书 2 地区代码 OUT_OF_SCOPE"},
		{"a subsidy under no agreement", sheet("专家补贴", subsidyH, []string{"RY3", "150221105", "2024", "20000", "没有的任务书", "2024-03-01"}), "专家补贴 2 任务书名称 UNKNOWN_REFERENCE"},
		{"a subsidy twice a year", sheet("专家补贴", subsidyH, []string{"RY3", "150221105", "2024", "20000", "", ""}, []string{"RY3", "150221105", "2024", "5000", "", ""}),
			"专家补贴 3 年度 DUPLICATE_ROW"},
		{"a farm at a malformed code", sheet("博士农场", farmH, []string{"15022", "农场", "RY3", "2023-05-01"}), "博士农场 2 村代码 BAD_REGION_CODE"},
		{"a team without its village", sheet("驻村工作队", teamH, []string{"", "2021-06-01", "县派", "", ""}), "驻村工作队 2 村代码 MISSING_VALUE"},
		{"a farm in a township", sheet("博士农场", farmH, []string{"150221105", "农场", "RY3", "2023-05-01"}), "博士农场 2 村代码 WRONG_LEVEL"},
		{"a farm without its founding", sheet("博士农场", farmH, []string{"150221105220", "农场", "RY3", ""}), "博士农场 2 创办日期 MISSING_VALUE"},
		{"a farm of another expert", sheet("博士农场", farmH, []string{"150221105220", "番茄农场", "RY1", "2023-05-01"}), "博士农场 2 人员编号 CANNOT_CHANGE"},
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		sys := auth.System(context.Background())
		c := db.Client
		code := func(s string) int { return c.Region.Query().Where(region.Code(s)).OnlyIDX(sys) }
		v1, town := code("150221105220"), code("150221105")
		// On file: 张慧婷's ended secretary's post and her current one; an
		// expert with an appointment, an assignment, a lead and a farm.
		zhang := c.Person.Create().SetExternalID("RY1").SetName("张慧婷").SetHomeVillageID(v1).SaveX(sys)
		wang := c.Person.Create().SetExternalID("RY3").SetName("王建国").SaveX(sys)
		c.Post.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetRole("PARTY_SECRETARY").
			SetStartDate(mustDate("2015-01-01")).SetEndDate(mustDate("2020-12-31")).SaveX(sys)
		c.Post.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetRole("COMMITTEE_MEMBER").SetStartDate(mustDate("2021-01-01")).SaveX(sys)
		// A supervisory post on file that takes nothing back.
		c.Post.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetRole("SUPERVISORY_MEMBER").SetStartDate(mustDate("2022-01-01")).SaveX(sys)
		pr := c.AdviserAppointment.Create().SetExternalID("PR1").SetPersonID(wang.ID).SetVillageID(v1).SetKind("DEVELOPMENT_ADVISER").
			SetStartDate(mustDate("2023-06-01")).SaveX(sys)
		c.ExpertAssignment.Create().SetExternalID("XP1").SetExpertID(wang.ID).SetRegionID(town).SetStartDate(mustDate("2024-03-01")).SaveX(sys)
		c.Contribution.Create().SetExternalID("CX1").SetAppointmentID(pr.ID).SetVillageID(v1).SetKind("INVESTMENT_LEAD").
			SetDate(mustDate("2024-03-01")).SaveX(sys)
		c.DoctorFarm.Create().SetExpertID(wang.ID).SetVillageID(v1).SetName("番茄农场").SetFoundedOn(mustDate("2023-05-01")).SaveX(sys)
		ctx := countyAdmin(t, c)
		before := workflowCount(t, db)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				// Beside the bad row, good rows of other sheets: none is written.
				wb := &Workbook{Sheets: []*Sheet{
					people([]string{"RY9", "李文博", "男", "", "", manID, "150221105220"}),
					sheet("片区", areaH, []string{"150221", "好片区", "150221105220", "2021-01-01"}),
					sheet("博士农场", farmH, []string{"150221100202", "好农场", "RY3", "2024-05-01"}),
				}}
				for i, s := range wb.Sheets {
					if s.Name == tc.sheet.Name {
						wb.Sheets = append(wb.Sheets[:i], wb.Sheets[i+1:]...)
						break
					}
				}
				wb.Sheets = append(wb.Sheets, tc.sheet)
				rep, err := Import(ctx, db.DB, wb, ImportOptions{})
				if err == nil {
					t.Fatalf("accepted:\n%s", rep)
				}
				got := map[string]bool{}
				for _, p := range rep.Problems {
					got[fmt.Sprintf("%s %d %s %s", p.Sheet, p.Row, p.Column, p.Kind)] = true
				}
				if !maps.Equal(got, map[string]bool{tc.want: true}) || len(rep.Problems) != 1 {
					t.Fatalf("problems %v, want %s once\n%s", got, tc.want, rep)
				}
				if n := workflowCount(t, db); n != before {
					t.Fatalf("%d rows after a refused import, %d before", n, before)
				}
			})
		}
	})
}

// A county admin imports into their county only: a 博士农场 or a
// 驻村工作队 in another county, or a 片区 grouping a village there, is a
// row problem (OUT_OF_SCOPE) and nothing of the workbook is written; a
// township account may not import what only admins keep.
func TestWorkflowImportStaysInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		ctx := countyAdmin(t, db.Client)
		wb := &Workbook{Sheets: []*Sheet{
			people([]string{"RY1", "张慧婷", "女", "", "", womanID, "150221105220"}),
			sheet("片区", []string{"地区代码", "名称", "所辖村代码", "开始日期"},
				[]string{"150221105", "第一片区", "150221105220", "2021-01-01"},
				[]string{"150221", "跨县片区", "150221105220;421002001201", "2021-01-01"}),
			sheet("驻村工作队", []string{"村代码", "开始日期", "派驻层级", "队长编号"},
				[]string{"150221105220", "2021-06-01", "县派", "RY1"},
				[]string{"421002001201", "2021-06-01", "县派", "RY1"}),
			sheet("博士农场", []string{"村代码", "名称", "人员编号", "创办日期"},
				[]string{"150221105220", "番茄博士农场", "RY1", "2023-05-01"},
				[]string{"421002001201", "沙市博士农场", "RY1", "2023-05-01"}),
		}}
		rep, err := Import(ctx, db.DB, wb, ImportOptions{})
		if err == nil {
			t.Fatalf("accepted:\n%s", rep)
		}
		want := map[string]bool{
			"片区 3 所辖村代码 OUT_OF_SCOPE": true, "驻村工作队 3 村代码 OUT_OF_SCOPE": true, "博士农场 3 村代码 OUT_OF_SCOPE": true,
		}
		got := map[string]bool{}
		for _, p := range rep.Problems {
			got[fmt.Sprintf("%s %d %s %s", p.Sheet, p.Row, p.Column, p.Kind)] = true
			if p.Value != "421002001201" {
				t.Errorf("the problem names %q", p.Value)
			}
		}
		if !maps.Equal(got, want) || rep.Written {
			t.Fatalf("problems %v, want %v\n%s", got, want, rep)
		}
		if n := workflowCount(t, db); n != 0 {
			t.Fatalf("%d rows written by a refused import", n)
		}

		// A township account keeps neither teams nor farms (the policies'
		// admins): refused by row, not by a failed write.
		u, _, err := accounts.CreateUser(auth.System(context.Background()), db.Client, accounts.NewUser{
			Username: "salaqi", Password: "a long enough password", Role: auth.RoleTownship, RegionCode: "150221105"})
		if err != nil {
			t.Fatal(err)
		}
		town := auth.NewContext(context.Background(), accounts.ViewerOf(u))
		rep, err = Import(town, db.DB, &Workbook{Sheets: []*Sheet{wb.Sheets[0],
			sheet("博士农场", []string{"村代码", "名称", "人员编号", "创办日期"}, []string{"150221105220", "番茄博士农场", "RY1", "2023-05-01"})}}, ImportOptions{})
		if err == nil || len(rep.Problems) != 1 || rep.Problems[0].Kind != KindOutOfScope || rep.Problems[0].Sheet != "博士农场" {
			t.Fatalf("a township's farm: %v\n%s", err, rep)
		}
		if n := workflowCount(t, db); n != 0 {
			t.Fatalf("%d rows written by a refused import", n)
		}
	})
}

// The guard against drift for the hooks' rules of these records: an ent
// write and the roster refuse alike.
func TestWorkflowBothWritersRefuseAlike(t *testing.T) {
	sys := auth.System(context.Background())
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		c := db.Client
		code := func(s string) int { return c.Region.Query().Where(region.Code(s)).OnlyIDX(sys) }
		v1 := code("150221105220")
		zhang := c.Person.Create().SetExternalID("RY1").SetName("张慧婷").SaveX(sys)
		wang := c.Person.Create().SetExternalID("RY3").SetName("王建国").SaveX(sys)
		current := c.Post.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetRole("COMMITTEE_MEMBER").SetStartDate(mustDate("2021-01-01")).SaveX(sys)
		pr := c.AdviserAppointment.Create().SetExternalID("PR1").SetPersonID(wang.ID).SetVillageID(v1).SetKind("DEVELOPMENT_ADVISER").
			SetStartDate(mustDate("2023-06-01")).SaveX(sys)
		lead := c.Contribution.Create().SetExternalID("CX1").SetAppointmentID(pr.ID).SetVillageID(v1).SetKind("INVESTMENT_LEAD").
			SetDate(mustDate("2024-03-01")).SaveX(sys)
		cases := []struct {
			rule   rules.Code
			write  func() error
			roster *Sheet
		}{
			{rules.RehireNotAllowed, func() error { // the post taken back is current
				_, err := c.Post.Create().SetPersonID(zhang.ID).SetRegionID(v1).SetRole("SUPERVISORY_MEMBER").
					SetStartDate(mustDate("2024-01-01")).SetRehiredFromID(current.ID).Save(sys)
				return err
			}, sheet("任职", []string{"人员编号", "地区代码", "职务", "开始日期", "返聘原职务", "返聘原职务开始日期"},
				[]string{"RY1", "150221105220", "村务监督委员会委员", "2024-01-01", "两委委员", "2021-01-01"})},
			{rules.OutcomeOutOfOrder, func() error {
				_, err := c.Contribution.Create().SetExternalID("CX2").SetAppointmentID(pr.ID).SetVillageID(v1).SetKind("FUNDS").
					SetDate(mustDate("2024-05-01")).SetFollowsID(lead.ID).Save(sys)
				return err
			}, sheet("成效", []string{"编号", "来源编号", "村代码", "类型", "日期", "上一步编号"},
				[]string{"CX2", "PR1", "150221105220", "资金到村", "2024-05-01", "CX1"})},
			{rules.EndBeforeStart, func() error {
				_, err := c.ResidentTeam.Create().SetVillageID(v1).SetDispatchLevel("COUNTY").
					SetStartDate(mustDate("2021-06-01")).SetEndDate(mustDate("2021-05-31")).Save(sys)
				return err
			}, sheet("驻村工作队", []string{"村代码", "开始日期", "派驻层级", "结束日期"}, []string{"150221105220", "2021-06-01", "县派", "2021-05-31"})},
			{rules.EndBeforeStart, func() error {
				_, err := c.ExpertAgreement.Create().SetExpertID(wang.ID).SetRegionID(v1).SetTitle("任务书").
					SetStartDate(mustDate("2024-03-01")).SetEndDate(mustDate("2024-02-01")).Save(sys)
				return err
			}, sheet("合作任务书", []string{"人员编号", "名称", "开始日期", "地区代码", "结束日期"}, []string{"RY3", "任务书", "2024-03-01", "150221105220", "2024-02-01"})},
		}
		for _, tc := range cases {
			err := tc.write()
			var v *rules.Violation
			if !errors.As(err, &v) || v.Code != tc.rule {
				t.Errorf("%s: the ent write answered %v", tc.rule, err)
			} else if _, ok := errcode.As(err); !ok {
				t.Errorf("%s: the API sees %v", tc.rule, err)
			}
			rep, err := Import(sys, db.DB, &Workbook{Sheets: []*Sheet{tc.roster}}, ImportOptions{})
			var rule []rules.Code
			for _, p := range rep.Problems {
				rule = append(rule, p.Rule)
			}
			if err == nil || len(rule) != 1 || rule[0] != tc.rule {
				t.Errorf("%s: the roster answered %v, %v", tc.rule, err, rep.Problems)
			}
		}
		if n := c.Post.Query().CountX(sys) + c.Contribution.Query().CountX(sys) + c.ResidentTeam.Query().CountX(sys) +
			c.ExpertAgreement.Query().CountX(sys); n != 2 {
			t.Fatalf("%d posts, contributions, teams and agreements, want the post and the lead on file: a bad case was written", n)
		}
	})
}

// A township's export carries the county's 片区 grouping its village (and
// the 片区's other villages): checked as the township re-imports it, the
// rows of these sheets all come back unchanged — a 片区 held above the
// township is not refused for being out of its scope.
func TestWorkflowTownshipExportComesBackUnchanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		addRegions(t, db.Client)
		fullGraph(t, db.Client)
		u, _, err := accounts.CreateUser(auth.System(context.Background()), db.Client, accounts.NewUser{
			Username: "salaqi", Password: "a long enough password", Role: auth.RoleTownship, RegionCode: "150221105"})
		if err != nil {
			t.Fatal(err)
		}
		v := accounts.ViewerOf(u)
		v.PersonalData = true
		ctx := auth.NewContext(context.Background(), v)
		wb, err := ExportWorkbook(ctx, db.Client, "150221105", ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var areas []string
		for _, r := range wb.Sheets[ResidentAreas].Rows {
			areas = append(areas, r.Cells[0]+" "+r.Cells[1]+" "+r.Cells[4])
		}
		if strings.Join(areas, ",") != "150221 萨拉齐片区 150221100202;150221105220,150221105 第二片区 " {
			t.Fatalf("片区 exported: %v", areas)
		}
		// (A person's home village outside the township is out of its
		// scope whatever these sheets do: left empty, it stays as it is.)
		home := slices.Index(wb.Sheets[People].Header, colHomeVillage)
		for _, r := range wb.Sheets[People].Rows {
			if !strings.HasPrefix(r.Cells[home], "150221105") {
				r.Cells[home] = ""
			}
		}
		rep, err := Import(ctx, db.DB, wb, ImportOptions{DryRun: true})
		if err != nil {
			t.Fatalf("checking the township's export: %v\n%s", err, rep)
		}
		for _, c := range rep.Counts {
			if k := sheetDef(c.Sheet).Kind; (k == ResidentAreas || k == ResidentTeams || k >= ResidentAssessments) && c.Unchanged != c.Rows {
				t.Errorf("the township's export would change %s:\n%s", c.Sheet, rep)
			}
		}
	})
}
