// Package roster reads and writes the organization departments' rosters: an
// .xlsx workbook with one sheet per kind of record, or a directory of CSV
// files (one per sheet). Import validates a whole workbook against the rules
// of the talent graph before writing anything, and writes it in one
// transaction; Export writes a region's subtree in the same format, so a
// roster can go out and come back unchanged.
package roster

import (
	"strings"

	"yanzhen/vocab"
)

// A word is one allowed spreadsheet word and the enum code it stands for.
type word struct{ Chinese, Code string }

// words is a closed vocabulary of one column; a column whose words are an
// extendable vocabulary (标签, 专业领域) has vocabWords instead, read with
// the vocabulary that applies to the importer.
type words []word

// code finds the code of a spreadsheet word: the word itself, one of the
// other ways counties write it (wordSynonyms) or the code (so
// English-speaking users can write PARTY_SECRETARY), compared folded
// (vocab.Fold: full-width forms, spaces). read is the column's word when the
// cell said it otherwise ("男性" → "男"), "" when it said it so.
func (ws words) code(s string) (code, read string, ok bool) {
	k := vocab.Fold(s)
	for _, w := range ws {
		if vocab.Fold(w.Chinese) == k {
			if w.Chinese == s {
				return w.Code, "", true
			}
			return w.Code, w.Chinese, true
		}
		if strings.EqualFold(w.Code, k) {
			return w.Code, "", true
		}
	}
	for _, w := range ws {
		for _, a := range wordSynonyms[w.Code] {
			if vocab.Fold(a) == k {
				return w.Code, w.Chinese, true
			}
		}
	}
	return "", "", false
}

// chinese is the spreadsheet word of a code (the code itself when unknown).
func (ws words) chinese(code string) string {
	for _, w := range ws {
		if w.Code == code {
			return w.Chinese
		}
	}
	return code
}

func (ws words) list() string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Chinese
	}
	return strings.Join(out, "/")
}

func fromTerms(terms []vocab.Term) words {
	out := make(words, len(terms))
	for i, t := range terms {
		out[i] = word{t.Chinese, t.Code}
	}
	return out
}

// wordSynonyms are the other ways counties write the words of the closed
// columns, by the code they mean (a code names the same thing in every
// column it appears in). Compared folded, like headers.
var wordSynonyms = map[string][]string{
	// 性别
	"MALE":   {"男性", "男士", "M", "male"},
	"FEMALE": {"女性", "女士", "F", "female"},
	// 学历: the levels of the national statistics; 研究生 alone is taken
	// as a master's (the level most rosters mean by it).
	"JUNIOR_HIGH":          {"初中学历", "初中及以下", "初级中学"},
	"HIGH_SCHOOL":          {"高中学历", "普通高中", "普高"},
	"SECONDARY_VOCATIONAL": {"中专学历", "中职", "职高", "职业高中", "技校", "中等专业学校", "中技"},
	"JUNIOR_COLLEGE":       {"大专学历", "专科", "大学专科", "高职", "高职高专"},
	"BACHELOR":             {"本科学历", "大学本科", "大学", "学士"},
	"MASTER":               {"研究生", "硕士", "研究生学历", "硕士研究生学历"},
	"DOCTORATE":            {"博士", "博士研究生学历"},
	// 政治面貌
	"CPC_MEMBER":       {"党员", "共产党员", "中国共产党党员"},
	"CPC_PROBATIONARY": {"预备党员", "中共预备", "中国共产党预备党员"},
	"CYL_MEMBER":       {"团员", "共青团", "共青团员学生"},
	// 无党派人士 has no value of its own here; it is neither of a party.
	"MASSES":           {"普通群众", "无党派人士", "无党派"},
	"DEMOCRATIC_PARTY": {"民主党派人士", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员", "台盟盟员"},
	// 职务
	"PARTY_SECRETARY":        {"村党组织书记", "党支部书记", "支部书记", "村支书", "村党支部书记", "党总支书记"},
	"COMMITTEE_DIRECTOR":     {"村委会主任", "村主任", "村委主任"},
	"SECRETARY_AND_DIRECTOR": {"一肩挑", "书记兼主任"},
	"COMMITTEE_MEMBER":       {"村两委委员", "村委委员", "支委委员"},
	"FIRST_SECRETARY":        {"第一书记"},
	"WORK_TEAM_MEMBER":       {"工作队员"},
	// 是/否 (任务书, 是否结业)
	"true":  {"已签订", "已签", "有", "Y", "√", "结业", "已结业"},
	"false": {"未签订", "未签", "无", "N", "×", "未结业"},
	// 离任方式
	"TERM_ENDED":  {"届满", "届满离任", "任期届满离任"},
	"ADJUSTED":    {"组织调整", "调整岗位"},
	"FORCED":      {"强制退出机制"},
	"DUE":         {"应退出"},
	"RESIGNED":    {"辞去职务", "主动辞职"},
	"TRANSFERRED": {"工作调动", "调离"},
	"DECEASED":    {"病故", "死亡", "因病去世"},
	// 考核等次: the words of the civil-service assessment too.
	"EXCELLENT":           {"优", "优秀等次"},
	"COMPETENT":           {"合格", "称职等次"},
	"BASICALLY_COMPETENT": {"基本合格"},
	"INCOMPETENT":         {"不合格"},
	// 履职清单
	"KEY":       {"重点任务", "重点工作"},
	"HARD":      {"难点任务", "难点工作"},
	"HIGHLIGHT": {"亮点任务", "亮点工作"},
	"CANCELLED": {"撤销", "已取消"},
	// 奖惩, and the levels of the body that decided it
	"REWARD":     {"奖", "表彰", "嘉奖"},
	"PUNISHMENT": {"惩", "处分", "惩戒", "处理"},
	"NATIONAL":   {"国家", "全国", "中央"},
	"PROVINCE":   {"省", "省部级", "自治区级"},
	"CITY":       {"市", "地市级", "盟市级"},
	"COUNTY":     {"县区级", "旗县级", "区县级", "县(区)级"},
	"TOWNSHIP":   {"乡镇级", "镇级", "苏木级"},
	// 星级
	"1": {"一星级", "1星", "★"},
	"2": {"二星级", "2星", "★★"},
	"3": {"三星级", "3星", "★★★"},
	"4": {"四星级", "4星", "★★★★"},
	"5": {"五星级", "5星", "★★★★★"},
	// 审计
	"MID_TERM":  {"届中", "任中审计", "届中经济责任审计"},
	"DEPARTURE": {"离任", "离任经济责任审计"},
	"SPECIAL":   {"专项"},
	"RECTIFIED": {"整改完成", "整改到位"},
	// 培训班次
	"SECRETARY_TRAINING": {"书记培训班", "村党组织书记培训班"},
	"YOUNG_EAGLE":        {"雏鹰", "雏雁计划"},
	"ON_SITE_STUDY":      {"蹲点"},
	"DEGREE_PROGRAM":     {"学历提升"},
	"MASTER_STUDIO":      {"名师工作室学习"},
	// 驻村考核
	"ROUTINE":     {"平时", "季度考核", "日常考核"},
	"ANNUAL":      {"年度", "年终考核"},
	"END_OF_TERM": {"期满", "任期考核", "届满考核", "期满考核鉴定"},
}

// The vocabularies. The codes are the ent enum values (ent/<entity>/<entity>.go).
var (
	institutionKinds = words{
		{"高校", "UNIVERSITY"}, {"科研院所", "RESEARCH_INSTITUTE"}, {"企业", "ENTERPRISE"},
		{"医院", "HOSPITAL"}, {"学校", "SCHOOL"}, {"机关", "GOVERNMENT"}, {"其他", "OTHER"},
	}
	genders    = words{{"男", "MALE"}, {"女", "FEMALE"}}
	educations = words{
		{"初中", "JUNIOR_HIGH"}, {"高中", "HIGH_SCHOOL"}, {"中专", "SECONDARY_VOCATIONAL"},
		{"大专", "JUNIOR_COLLEGE"}, {"本科", "BACHELOR"}, {"硕士研究生", "MASTER"}, {"博士研究生", "DOCTORATE"},
	}
	politicalStatuses = words{
		{"中共党员", "CPC_MEMBER"}, {"中共预备党员", "CPC_PROBATIONARY"}, {"共青团员", "CYL_MEMBER"},
		{"群众", "MASSES"}, {"民主党派", "DEMOCRATIC_PARTY"},
	}
	postRoles = words{
		{"党组织书记", "PARTY_SECRETARY"}, {"村委会主任", "COMMITTEE_DIRECTOR"},
		{"书记主任一肩挑", "SECRETARY_AND_DIRECTOR"}, {"副书记", "DEPUTY_SECRETARY"},
		{"两委委员", "COMMITTEE_MEMBER"}, {"后备干部", "RESERVE_CADRE"},
		{"驻村第一书记", "FIRST_SECRETARY"}, {"驻村工作队员", "WORK_TEAM_MEMBER"},
		{"乡村CEO", "VILLAGE_CEO"}, {"村指导员", "VILLAGE_INSTRUCTOR"},
		{"村务监督委员会主任", "SUPERVISORY_DIRECTOR"}, {"村务监督委员会委员", "SUPERVISORY_MEMBER"},
		{"村集体经济合作社负责人", "COOPERATIVE_LEADER"},
	}
	reserveLists = words{
		{"书记培养对象", "SECRETARY_CANDIDATE"}, {"两委培养对象", "COMMITTEE_CANDIDATE"}, {"骨干党员", "BACKBONE_MEMBER"},
	}
	dispatchLevels = words{{"省派", "PROVINCE"}, {"市派", "CITY"}, {"县派", "COUNTY"}, {"乡派", "TOWNSHIP"}}
	programs       = words{
		{"青蓝结对", "QINGLAN"}, {"导师帮带", "TUTOR"}, {"师带徒", "APPRENTICESHIP"},
		{"x+N", "X_PLUS_N"}, {"跟班学习", "SHADOWING"},
	}
	mentorshipStatuses = words{{"进行中", "ACTIVE"}, {"已结业", "COMPLETED"}, {"已解除", "DISSOLVED"}}
	appointmentKinds   = words{
		{"名誉书记", "HONORARY_SECRETARY"}, {"发展顾问", "DEVELOPMENT_ADVISER"},
		{"名誉村长", "HONORARY_VILLAGE_HEAD"}, {"金融副村长", "FINANCIAL_DEPUTY_HEAD"},
	}
	contactModes = words{
		{"走访", "VISIT"}, {"电话", "PHONE"}, {"恳谈", "TALK"}, {"节日问候", "HOLIDAY_GREETING"}, {"视频", "VIDEO"},
	}
	serviceKinds = words{
		{"实地调研", "SURVEY"}, {"技术指导", "GUIDANCE"}, {"培训", "TRAINING"}, {"博士农场", "DOCTOR_FARM"}, {"其他", "OTHER"},
	}
	demandStatuses    = words{{"待对接", "OPEN"}, {"已对接", "MATCHED"}, {"已完成", "DONE"}}
	contributionKinds = words{
		{"招商信息", "INVESTMENT_LEAD"}, {"考察", "SITE_VISIT"}, {"项目落地", "PROJECT_LANDED"}, {"资金到村", "FUNDS"},
	}
	yesNo = words{{"是", "true"}, {"否", "false"}}
	// How a post ended (posts.exit_kind).
	exitKinds = words{
		{"任期届满", "TERM_ENDED"}, {"调整", "ADJUSTED"}, {"强制退出", "FORCED"}, {"应当退出", "DUE"},
		{"自然退出", "NATURAL"}, {"辞职", "RESIGNED"}, {"调动", "TRANSFERRED"}, {"去世", "DECEASED"}, {"其他", "OTHER"},
	}
	grades = words{
		{"优秀", "EXCELLENT"}, {"称职", "COMPETENT"}, {"基本称职", "BASICALLY_COMPETENT"}, {"不称职", "INCOMPETENT"},
	}
	rankScopes   = words{{"乡镇", "TOWNSHIP"}, {"县", "COUNTY"}}
	dutyKinds    = words{{"重点", "KEY"}, {"难点", "HARD"}, {"亮点", "HIGHLIGHT"}}
	dutyStatuses = words{{"推进中", "OPEN"}, {"已完成", "DONE"}, {"已撤销", "CANCELLED"}}
	rewardKinds  = words{{"奖励", "REWARD"}, {"惩处", "PUNISHMENT"}}
	rewardLevels = words{
		{"国家级", "NATIONAL"}, {"省级", "PROVINCE"}, {"市级", "CITY"}, {"县级", "COUNTY"}, {"乡级", "TOWNSHIP"},
	}
	starWords = words{
		{"一星", "1"}, {"二星", "2"}, {"三星", "3"}, {"四星", "4"}, {"五星", "5"},
	}
	auditKinds    = words{{"届中审计", "MID_TERM"}, {"离任审计", "DEPARTURE"}, {"专项审计", "SPECIAL"}}
	auditStatuses = words{{"整改中", "OPEN"}, {"已整改", "RECTIFIED"}}
	classKinds    = words{
		{"村书记培训班", "SECRETARY_TRAINING"}, {"雏鹰计划", "YOUNG_EAGLE"}, {"蹲点学习", "ON_SITE_STUDY"},
		{"学历提升班", "DEGREE_PROGRAM"}, {"跟班学习", "SHADOWING"}, {"名师工作室", "MASTER_STUDIO"}, {"其他", "OTHER"},
	}
	// 驻村考核
	residentAssessmentKinds = words{{"平时考核", "ROUTINE"}, {"年度考核", "ANNUAL"}, {"期满考核", "END_OF_TERM"}}
	// Extendable vocabularies: the national terms list the allowed words
	// (template, docs); the import reads the vocabulary that applies to
	// the importer (vocabulary()).
	personTags = fromTerms(vocab.PersonTags)
	fields     = fromTerms(vocab.AgriculturalFields)
)

// Column is one column of a sheet.
type Column struct {
	Name  string // the Chinese header
	Alias string // the English header, also accepted
	// Synonyms are the other headers counties write for the column
	// (手机号码 for 联系电话, 出生年月 for 出生日期 …), compared as
	// headerKey compares. A synonym may be declared on two columns of a
	// sheet when the word is truly ambiguous (任职's 日期 may be the start or
	// the end): such a header is then reported naming both, never guessed.
	Synonyms []string
	Required bool
	// Words is the closed vocabulary of the column, if any.
	words words
	// List: several words separated by ; or ；.
	List bool
	// Personal: personal data, masked in reports (and in masked exports).
	Personal bool
	// Note says what the column holds, for the template and the docs.
	Note string
}

// Allowed lists the allowed words of the column, "" when it is free text.
func (c Column) Allowed() string { return c.words.list() }

// SheetKind names the kinds of sheets.
type SheetKind int

// The sheets, in the order they are written and validated: a sheet only
// refers to sheets before it.
const (
	Institutions SheetKind = iota
	People
	// 片区 and 驻村工作队 (issue 14) come before 任职: a resident cadre's
	// post names its team, a team its 片区.
	ResidentAreas
	ResidentTeams
	Posts
	Mentorships
	Appointments
	ContactLogs
	Demands
	Assignments
	ServiceRecords
	Contributions
	// The records of the work cycle (issue 13): they refer to the people
	// and villages above, and enrolments to the classes before them.
	Assessments
	DutyItems
	Rewards
	StarRatings
	OfficeAudits
	Terms
	TrainingClasses
	TrainingEnrolments
	// Resident cadres' assessments and the support of experts (issue 14):
	// they refer to the people, teams and assignments above, subsidies to
	// the agreements before them.
	ResidentAssessments
	ExpertAgreements
	SubsidyPayments
	DoctorFarms
)

// SheetDef describes one sheet of the format.
type SheetDef struct {
	Kind    SheetKind
	Name    string   // the Chinese sheet (or CSV file) name
	Aliases []string // English names, also accepted
	Columns []Column
	// Examples are the template's example rows; together they import.
	Examples [][]string
}

// Column names used by the code (the Chinese headers).
const (
	colInstNo       = "机构编号"
	colName         = "名称"
	colKind         = "类型"
	colRegionCode   = "所在地区代码"
	colPersonNo     = "人员编号"
	colPersonName   = "姓名"
	colGender       = "性别"
	colBirthDate    = "出生日期"
	colEthnicity    = "民族"
	colEducation    = "学历"
	colPolitical    = "政治面貌"
	colPhone        = "联系电话"
	colIDNumber     = "身份证号"
	colHomeVillage  = "所在村代码"
	colInstitution  = "所属机构编号"
	colTags         = "标签"
	colFields       = "专业领域"
	colTitle        = "职称"
	colRegion       = "地区代码"
	colRole         = "职务"
	colReserveList  = "后备类别"
	colDispatch     = "派驻层级"
	colStart        = "开始日期"
	colEnd          = "结束日期"
	colNo           = "编号"
	colMentor       = "导师编号"
	colMentee       = "学员编号"
	colProgram      = "帮带形式"
	colStatus       = "状态"
	colVillage      = "村代码"
	colApptKind     = "聘任类别"
	colApptStart    = "聘任日期"
	colApptEnd      = "届满日期"
	colCertificate  = "证书编号"
	colApptNo       = "聘任编号"
	colContactDate  = "联系日期"
	colMode         = "方式"
	colContactBy    = "联系人编号"
	colContent      = "内容"
	colServiceArea  = "服务地区代码"
	colAgreement    = "任务书"
	colSubsidy      = "年度补助(元)"
	colAssignmentNo = "选派编号"
	colDate         = "日期"
	colBeneficiary  = "受益人数"
	colDescription  = "描述"
	colSourceNo     = "来源编号"
	colAmount       = "金额(元)"
	colRemark       = "说明"
	colPartyJoin    = "入党时间"
	colSendingUnit  = "派出单位"
	colSendingInst  = "派出机构编号"
	colCluster      = "片区"
	colEndReason    = "离任原因"
	colGoals        = "帮带目标"
	colOutcome      = "帮带成效"
	colDemandNo     = "需求编号"
	colRaisedOn     = "提出日期"
	colClosedOn     = "解决日期"
	colExitKind     = "离任方式"
	// The work-cycle sheets.
	colYear        = "年度"
	colGrade       = "考核等次"
	colScore       = "述职评议得分"
	colRank        = "排名"
	colRankedAmong = "参评人数"
	colRankScope   = "排名范围"
	colPledge      = "任期承诺"
	colNotes       = "备注"
	colTask        = "任务"
	colDeadline    = "完成时限"
	colCompletedOn = "完成日期"
	colEvidence    = "佐证材料"
	colReviewedBy  = "审核人"
	colLevel       = "级别"
	colDocNo       = "文号"
	colStars       = "星级"
	colRatedBy     = "评定单位"
	colFindings    = "审计发现"
	colFollowUp    = "整改情况"
	colTermNo      = "届次"
	colElectedOn   = "换届日期"
	colClassName   = "班次名称"
	colClassStart  = "班次开始日期"
	colOrganizer   = "主办单位"
	colPlace       = "培训地点"
	colHours       = "学时"
	colCompleted   = "是否结业"
	colResult      = "培训结果"
	// Resident work and the support of experts (validate_workflow.go).
	colAreaLeader     = "组长编号"
	colPartyBranch    = "临时党支部"
	colAreaVillages   = "所辖村代码"
	colTeamLeader     = "队长编号"
	colArea           = "片区" // in 驻村工作队: a 片区 by name (in 任职, colCluster is free text)
	colTeamStart      = "工作队开始日期"
	colRehireRole     = "返聘原职务"
	colRehireStart    = "返聘原职务开始日期"
	colFollows        = "上一步编号"
	colPeriod         = "季度"
	colAssessedBy     = "考核单位"
	colAssessedOn     = "考核日期"
	colParties        = "合作各方"
	colAgreementBody  = "合作内容"
	colTargets        = "目标任务"
	colShare          = "收益分成(%)"
	colSignedOn       = "签订日期"
	colAgreementTitle = "任务书名称"
	colAgreementStart = "任务书开始日期"
	colPaidOn         = "发放日期"
	colFoundedOn      = "创办日期"
	colFunding        = "年度资助(元)"
	colYearsFunded    = "资助年限"
)

// villageSynonyms are the headers counties give the column of a village.
// The cells must still hold the 12-digit code: a village name is refused
// row by row (names repeat across townships, so none is guessed).
var villageSynonyms = []string{"所在村", "村名", "村", "所在村(社区)", "村代码", "所在村代码", "村级区划代码"}

// eitherEnd are the words that may mean the start or the end of a post:
// declared on both columns, so that such a header is reported as ambiguous
// instead of being taken for one of them.
var eitherEnd = []string{"日期", "时间"}

const (
	dateNote = "YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日、YYYYMMDD，只到月份的 YYYY.MM、YYYY-MM、YYYY/MM、YYYY年MM月、YYYYMM（1月写作 YYYY.01），或 Excel 日期"
	listNote = "多个以 ; 或 ； 分隔"
)

// Sheets is the roster format: every sheet with its columns, in order.
var Sheets = []SheetDef{
	{
		Kind: Institutions, Name: "机构", Aliases: []string{"institutions"},
		Columns: []Column{
			{Name: colInstNo, Alias: "institution_no", Synonyms: []string{"单位编号"}, Required: true, Note: "机构的唯一编号，供人员表引用"},
			{Name: colName, Alias: "name", Synonyms: []string{"机构名称", "单位名称"}, Required: true},
			{Name: colKind, Alias: "kind", Synonyms: []string{"机构类型", "单位类型", "单位性质"}, Required: true, words: institutionKinds},
			{Name: colRegionCode, Alias: "region_code", Synonyms: []string{"地区代码", "区划代码"}, Note: "统计用区划代码（任一级）"},
		},
		Examples: [][]string{{"JG001", "内蒙古农业大学", "高校", "15"}},
	},
	{
		Kind: People, Name: "人员", Aliases: []string{"people", "persons"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Synonyms: []string{"编号", "人员代码"}, Note: "人员的唯一编号；无身份证号时必填，其他表以此引用人员"},
			{Name: colPersonName, Alias: "name", Synonyms: []string{"名字", "人员姓名"}, Required: true},
			{Name: colGender, Alias: "gender", Synonyms: []string{"sex"}, words: genders},
			{Name: colBirthDate, Alias: "birth_date", Synonyms: []string{"出生年月", "出生年月日", "出生时间", "生日"}, Note: dateNote},
			{Name: colEthnicity, Alias: "ethnicity", Synonyms: []string{"民族成分"}, Note: "如 汉族、蒙古族"},
			{Name: colEducation, Alias: "education", Synonyms: []string{"文化程度", "全日制学历", "最高学历"}, words: educations},
			{Name: colPolitical, Alias: "political_status", Synonyms: []string{"政治身份"}, words: politicalStatuses},
			{Name: colPartyJoin, Alias: "party_join_date", Synonyms: []string{"入党日期", "入党年月", "入党时间(年月)"}, Note: "到日或只到月（按该月1日记），见 [日期](#dates)"},
			{Name: colPhone, Alias: "phone", Synonyms: []string{"手机号码", "手机号", "手机", "电话", "电话号码", "联系方式"}, Personal: true, Note: "手机 1xxxxxxxxxx 或 座机 0xxx-xxxxxxx"},
			{Name: colIDNumber, Alias: "id_number", Synonyms: []string{"身份证号码", "公民身份号码", "公民身份证号码", "身份证", "身份证件号码"}, Personal: true, Note: "18位，校验位按 GB 11643；与出生日期、性别一致"},
			{Name: colHomeVillage, Alias: "home_village_code", Synonyms: villageSynonyms, Note: "12位村级区划代码"},
			{Name: colInstitution, Alias: "institution_no", Synonyms: []string{"机构编号", "所属机构"}, Note: "机构表或库中已有的机构编号"},
			{Name: colTags, Alias: "tags", Synonyms: []string{"人员类别", "人才类别"}, words: personTags, List: true, Note: listNote},
			{Name: colFields, Alias: "fields", Synonyms: []string{"专业方向", "擅长领域"}, words: fields, List: true, Note: listNote},
			{Name: colTitle, Alias: "professional_title", Synonyms: []string{"专业技术职称", "技术职称", "专业技术职务"}, Note: "如 教授、高级农艺师"},
		},
		Examples: [][]string{
			{"RY001", "张慧婷", "女", "1988-05-12", "汉族", "本科", "中共党员", "2010-07-01", "13800138000",
				"150221198805120029", "150221104001", "", "返乡人员;致富带头人", "", ""},
			{"RY002", "李文博", "男", "1995-09-03", "蒙古族", "大专", "中共党员", "2016-07-01", "13900139000",
				"150221199509030031", "150221104001", "", "大学生", "", ""},
			{"RY003", "王建国", "男", "1970-03-15", "汉族", "博士研究生", "民主党派", "", "",
				"110108197003150017", "", "JG001", "", "设施农业;蔬菜", "教授"},
			{"RY004", "赵志刚", "男", "1985-11-20", "汉族", "硕士研究生", "中共党员", "2008-06-01", "",
				"150221198511200031", "", "", "", "", ""},
		},
	},
	{
		Kind: ResidentAreas, Name: "片区", Aliases: []string{"resident_areas", "areas"},
		Columns: []Column{
			{Name: colRegion, Alias: "region_code", Synonyms: []string{"设立地区代码", "区划代码"}, Required: true, Note: "设立片区的县或乡镇的区划代码"},
			{Name: colName, Alias: "name", Synonyms: []string{"片区名称"}, Required: true, Note: "同一地区、名称为同一片区；驻村工作队表以名称引用"},
			{Name: colPartyBranch, Alias: "party_branch", Synonyms: []string{"临时党支部名称", "片区临时党支部"}},
			{Name: colAreaLeader, Alias: "leader_no", Synonyms: []string{"组长", "片区组长", "临时党支部书记"}, Note: "组长（临时党支部书记）的人员编号"},
			{Name: colAreaVillages, Alias: "village_codes", Synonyms: []string{"村代码", "包含村代码", "所辖村", "片区村代码"}, List: true, Note: "12位村级区划代码，" + listNote},
			{Name: colStart, Alias: "start_date", Synonyms: []string{"成立日期", "设立日期"}, Required: true, Note: dateNote},
			{Name: colEnd, Alias: "end_date", Synonyms: []string{"撤销日期"}, Note: "不早于开始日期"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"150221104", "第一片区", "第一片区临时党支部", "RY001", "150221104001", "2021-01-01", "", ""}},
	},
	{
		Kind: ResidentTeams, Name: "驻村工作队", Aliases: []string{"resident_teams", "teams"},
		Columns: []Column{
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码"},
			{Name: colStart, Alias: "start_date", Synonyms: []string{"派驻日期", "进驻日期", "派驻时间"}, Required: true, Note: "同一村、开始日期为同一支工作队；任职、驻村考核表以此引用"},
			{Name: colName, Alias: "name", Synonyms: []string{"工作队名称", "队名"}},
			{Name: colTeamLeader, Alias: "leader_no", Synonyms: []string{"队长", "工作队队长"}, Note: "队长（通常为第一书记）的人员编号"},
			{Name: colDispatch, Alias: "dispatch_level", Synonyms: []string{"派出层级", "选派层级"}, Required: true, words: dispatchLevels},
			{Name: colSendingUnit, Alias: "sending_units", Synonyms: []string{"选派单位", "派驻单位", "派出单位名称"}, List: true, Note: "派出队员的单位（名称，照写）；" + listNote},
			{Name: colArea, Alias: "area", Synonyms: []string{"所属片区", "片区名称"}, Note: "片区表或库中、本村所在县或乡镇设立的片区的名称"},
			{Name: colEnd, Alias: "end_date", Synonyms: []string{"撤离日期", "期满日期"}, Note: "不早于开始日期"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"150221104001", "2021-06-01", "振华社区驻村工作队", "RY004", "县派", "土默特右旗农牧局;包头市农牧局", "第一片区", "", ""}},
	},
	{
		Kind: Posts, Name: "任职", Aliases: []string{"posts"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true},
			{Name: colRegion, Alias: "region_code", Synonyms: append([]string{"任职地区代码", "区划代码"}, villageSynonyms...), Required: true, Note: "村级代码；乡村CEO 可为乡镇代码"},
			{Name: colRole, Alias: "role", Synonyms: []string{"现任职务", "担任职务", "任职职务", "职位"}, Required: true, words: postRoles},
			{Name: colReserveList, Alias: "reserve_list", Synonyms: []string{"后备干部类别", "培养类别"}, words: reserveLists, Note: "后备干部必填，其他职务不填"},
			{Name: colDispatch, Alias: "dispatch_level", Synonyms: []string{"派出层级", "选派层级"}, words: dispatchLevels, Note: "仅驻村第一书记、驻村工作队员"},
			{Name: colSendingUnit, Alias: "sending_unit", Synonyms: []string{"选派单位", "派驻单位", "原工作单位"}, Note: "驻村干部的派出单位（名称，照写）"},
			{Name: colSendingInst, Alias: "sending_institution_no", Synonyms: []string{"派出单位编号"}, Note: "派出单位在机构表或库中的机构编号"},
			{Name: colCluster, Alias: "cluster", Synonyms: []string{"所属片区", "包联片区", "驻村片区"}, Note: "驻村工作队所在片区"},
			{Name: colStart, Alias: "start_date", Synonyms: append([]string{"任职时间", "任现职时间", "任职日期", "任职开始时间", "起始日期"}, eitherEnd...), Required: true, Note: dateNote},
			{Name: colEnd, Alias: "end_date", Synonyms: append([]string{"离任时间", "离任日期", "卸任时间", "任职结束时间", "终止日期"}, eitherEnd...), Note: "空表示现任；不早于开始日期"},
			{Name: colEndReason, Alias: "end_reason", Synonyms: []string{"卸任原因", "离任事由", "免职原因"}, Note: "有结束日期时填写"},
			{Name: colExitKind, Alias: "exit_kind", Synonyms: []string{"退出方式", "离任类型", "退出类型"}, words: exitKinds, Note: "有结束日期时填写"},
			{Name: colTeamStart, Alias: "team_starts_on", Synonyms: []string{"驻村工作队开始日期", "所属工作队开始日期"}, Note: "驻村干部所属工作队的开始日期：驻村工作队表或库中本村此日开始的工作队"},
			{Name: colRehireRole, Alias: "rehired_from_role", Synonyms: []string{"返聘前职务", "原任职务"}, words: postRoles, Note: "返聘（村务监督委员会、合作社职务）时，本人已结束的原任职的职务；与返聘原职务开始日期同填"},
			{Name: colRehireStart, Alias: "rehired_from_starts_on", Synonyms: []string{"返聘前职务开始日期", "原任职务开始日期"}, Note: "该原任职的开始日期（任职表或库中）"},
		},
		Examples: [][]string{
			{"RY001", "150221104001", "书记主任一肩挑", "", "", "", "", "", "2021-03-01", "", "", "", "", "", ""},
			{"RY002", "150221104001", "后备干部", "书记培养对象", "", "", "", "", "2022-01-01", "", "", "", "", "", ""},
			{"RY004", "150221104001", "驻村第一书记", "", "县派", "土默特右旗农牧局", "", "萨拉齐片区", "2021-06-01", "2023-05-31", "任期届满", "任期届满", "2021-06-01", "", ""},
		},
	},
	{
		Kind: Mentorships, Name: "结对帮带", Aliases: []string{"mentorships"},
		Columns: []Column{
			{Name: colNo, Alias: "mentorship_no", Synonyms: []string{"结对编号", "帮带编号"}, Required: true},
			{Name: colMentor, Alias: "mentor_no", Synonyms: []string{"帮带人编号", "师傅编号"}, Required: true, Note: "人员编号"},
			{Name: colMentee, Alias: "mentee_no", Synonyms: []string{"被帮带人编号", "徒弟编号"}, Required: true, Note: "人员编号；不能是导师本人，不能形成循环"},
			{Name: colProgram, Alias: "program", Synonyms: []string{"结对形式", "帮带方式"}, Required: true, words: programs},
			{Name: colStart, Alias: "start_date", Synonyms: []string{"结对时间", "结对日期", "起始日期"}, Required: true, Note: dateNote},
			{Name: colEnd, Alias: "end_date", Synonyms: []string{"结业日期", "解除日期"}},
			{Name: colStatus, Alias: "status", Synonyms: []string{"结对状态"}, words: mentorshipStatuses, Note: "空为进行中"},
			{Name: colRegion, Alias: "region_code", Synonyms: []string{"结对地区代码", "区划代码"}, Note: "结对所在地区的区划代码（任一级）"},
			{Name: colGoals, Alias: "goals", Synonyms: []string{"帮带任务", "培养目标", "结对目标"}},
			{Name: colOutcome, Alias: "outcome", Synonyms: []string{"帮带效果", "培养成效", "结对成效"}},
		},
		Examples: [][]string{{"JD001", "RY001", "RY002", "青蓝结对", "2023-01-01", "", "进行中", "150221104001", "一年内熟悉村务、能独立主持议事", ""}},
	},
	{
		Kind: Appointments, Name: "顾问聘任", Aliases: []string{"adviser_appointments", "appointments"},
		Columns: []Column{
			{Name: colNo, Alias: "appointment_no", Synonyms: []string{"聘任编号"}, Required: true},
			{Name: colPersonNo, Alias: "person_no", Required: true},
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码"},
			{Name: colApptKind, Alias: "kind", Synonyms: []string{"聘任类型", "聘任职务", "类别"}, Required: true, words: appointmentKinds},
			{Name: colApptStart, Alias: "start_date", Synonyms: []string{"聘任时间", "开始日期"}, Required: true, Note: dateNote},
			{Name: colApptEnd, Alias: "end_date", Synonyms: []string{"到期日期", "结束日期", "聘期届满"}},
			{Name: colCertificate, Alias: "certificate_no", Synonyms: []string{"聘书编号"}},
		},
		Examples: [][]string{{"PR001", "RY003", "150221104001", "发展顾问", "2023-06-01", "2026-05-31", "ZS2023-01"}},
	},
	{
		Kind: ContactLogs, Name: "联系记录", Aliases: []string{"contact_logs"},
		Columns: []Column{
			{Name: colApptNo, Alias: "appointment_no", Required: true},
			{Name: colContactDate, Alias: "date", Synonyms: []string{"联系时间", "日期"}, Required: true, Note: dateNote},
			{Name: colMode, Alias: "mode", Synonyms: []string{"联系方式"}, Required: true, words: contactModes},
			{Name: colContactBy, Alias: "contacted_by_no", Synonyms: []string{"联系人"}, Note: "联系的干部的人员编号"},
			{Name: colContent, Alias: "notes", Synonyms: []string{"联系内容"}},
		},
		Examples: [][]string{{"PR001", "2024-02-08", "节日问候", "RY001", "春节慰问"}},
	},
	{
		Kind: Demands, Name: "需求清单", Aliases: []string{"demands"},
		Columns: []Column{
			{Name: colNo, Alias: "demand_no", Synonyms: []string{"需求编号"}, Required: true},
			{Name: colRegion, Alias: "region_code", Synonyms: append([]string{"需求地区", "区划代码"}, villageSynonyms...), Required: true, Note: "县、乡镇或村代码"},
			{Name: colFields, Alias: "field", Synonyms: []string{"领域", "需求领域"}, Required: true, words: fields, Note: "一个专业领域"},
			{Name: colDescription, Alias: "description", Synonyms: []string{"需求内容", "需求描述"}, Required: true},
			{Name: colStatus, Alias: "status", Synonyms: []string{"对接状态"}, words: demandStatuses, Note: "空为待对接"},
			{Name: colRaisedOn, Alias: "raised_on", Synonyms: []string{"提出时间", "需求提出日期", "登记日期"}, Note: "空为导入当日（新需求）"},
			{Name: colClosedOn, Alias: "closed_on", Synonyms: []string{"解决时间", "完成日期", "办结日期"}, Note: "不早于提出日期"},
		},
		Examples: [][]string{{"XQ001", "150221104", "设施农业", "温室大棚种植技术指导", "已对接", "2024-02-20", ""}},
	},
	{
		Kind: Assignments, Name: "科技特派员选派", Aliases: []string{"expert_assignments", "assignments"},
		Columns: []Column{
			{Name: colNo, Alias: "assignment_no", Synonyms: []string{"选派编号"}, Required: true},
			{Name: colPersonNo, Alias: "person_no", Required: true},
			{Name: colServiceArea, Alias: "region_code", Synonyms: []string{"服务地区", "服务村", "服务乡镇"}, Required: true, Note: "县、乡镇或村代码"},
			{Name: colFields, Alias: "fields", Synonyms: []string{"专业方向"}, words: fields, List: true, Note: listNote},
			{Name: colStart, Alias: "start_date", Synonyms: []string{"选派时间", "选派日期"}, Required: true, Note: dateNote},
			{Name: colEnd, Alias: "end_date", Synonyms: []string{"结束时间"}},
			{Name: colAgreement, Alias: "agreement_signed", Synonyms: []string{"是否签订任务书"}, words: yesNo, Note: "是否签订任务书，空为否"},
			{Name: colSubsidy, Alias: "annual_subsidy_yuan", Synonyms: []string{"年度补助", "补助(元)"}, Note: "整数，元"},
			{Name: colDemandNo, Alias: "demand_no", Synonyms: []string{"对接需求编号", "对接需求"}, Note: "所对接需求的编号（需求清单表或库中）"},
		},
		Examples: [][]string{{"XP001", "RY003", "150221104", "设施农业;蔬菜", "2024-03-01", "", "是", "20000", "XQ001"}},
	},
	{
		Kind: ServiceRecords, Name: "服务记录", Aliases: []string{"service_records"},
		Columns: []Column{
			{Name: colAssignmentNo, Alias: "assignment_no", Required: true},
			{Name: colDate, Alias: "date", Synonyms: []string{"服务日期", "服务时间"}, Required: true, Note: dateNote},
			{Name: colKind, Alias: "kind", Synonyms: []string{"服务类型", "服务方式"}, Required: true, words: serviceKinds},
			{Name: colBeneficiary, Alias: "beneficiaries", Synonyms: []string{"受益群众", "服务人数"}, Note: "整数"},
			{Name: colContent, Alias: "notes", Synonyms: []string{"服务内容"}},
		},
		Examples: [][]string{{"XP001", "2024-04-15", "技术指导", "35", "大棚番茄病虫害防治"}},
	},
	{
		Kind: Contributions, Name: "成效", Aliases: []string{"contributions"},
		Columns: []Column{
			{Name: colNo, Alias: "contribution_no", Synonyms: []string{"成效编号"}, Required: true},
			{Name: colSourceNo, Alias: "source_no", Required: true, Note: "聘任编号或选派编号"},
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码"},
			{Name: colKind, Alias: "kind", Synonyms: []string{"成效类型"}, Required: true, words: contributionKinds},
			{Name: colAmount, Alias: "amount_yuan", Note: "整数，元"},
			{Name: colDate, Alias: "date", Synonyms: []string{"时间"}, Required: true, Note: dateNote},
			{Name: colRemark, Alias: "description", Synonyms: []string{"备注", "成效说明"}},
			{Name: colFollows, Alias: "follows_no", Synonyms: []string{"上一步成效编号", "上一环节编号", "前一步编号"}, Note: "成效链中上一步的成效编号（本表或库中）：招商信息→考察→项目落地→资金到村，同村，日期不早于上一步"},
		},
		Examples: [][]string{{"CX001", "PR001", "150221104001", "资金到村", "500000", "2024-05-20", "引进肉牛养殖项目", ""}},
	},
	{
		Kind: Assessments, Name: "年度考核", Aliases: []string{"assessments"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true},
			{Name: colRegion, Alias: "region_code", Synonyms: append([]string{"考核单位代码", "考核地区代码", "区划代码"}, villageSynonyms...), Required: true, Note: "组织考核的村或乡镇的区划代码"},
			{Name: colYear, Alias: "year", Synonyms: []string{"考核年度", "年份"}, Required: true, Note: "四位年份，不晚于今年；一人一年一条"},
			{Name: colGrade, Alias: "grade", Synonyms: []string{"等次", "考核结果", "年度考核等次", "考核等级"}, Required: true, words: grades},
			{Name: colScore, Alias: "review_score", Synonyms: []string{"评议得分", "述职评议分数", "得分"}, Note: "0–100，可带小数"},
			{Name: colRank, Alias: "rank", Synonyms: []string{"评议排名", "名次"}, Note: "与参评人数、排名范围同填；1 至参评人数"},
			{Name: colRankedAmong, Alias: "ranked_among", Synonyms: []string{"参评总数", "排名总数"}, Note: "整数"},
			{Name: colRankScope, Alias: "rank_scope", Synonyms: []string{"排名层级"}, words: rankScopes},
			{Name: colPledge, Alias: "pledge", Synonyms: []string{"承诺事项", "年度承诺"}},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"RY001", "150221104001", "2024", "优秀", "92.5", "1", "12", "乡镇", "村集体经济收入突破50万元", ""}},
	},
	{
		Kind: DutyItems, Name: "履职清单", Aliases: []string{"duty_items", "duties"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true},
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码"},
			{Name: colYear, Alias: "year", Synonyms: []string{"清单年度", "年份"}, Required: true, Note: "四位年份，不晚于今年"},
			{Name: colTask, Alias: "task", Synonyms: []string{"任务内容", "履职事项", "工作任务", "事项"}, Required: true, Note: "同一人、年度、任务为同一条"},
			{Name: colKind, Alias: "kind", Synonyms: []string{"类别", "任务类别", "事项类别"}, Required: true, words: dutyKinds},
			{Name: colDeadline, Alias: "deadline", Synonyms: []string{"截止日期", "完成期限", "时限"}, Note: dateNote},
			{Name: colStatus, Alias: "status", Synonyms: []string{"完成情况", "进展"}, words: dutyStatuses, Note: "空为推进中"},
			{Name: colCompletedOn, Alias: "completed_on", Synonyms: []string{"完成时间"}, Note: "仅已完成；空为导入当日"},
			{Name: colEvidence, Alias: "evidence", Synonyms: []string{"佐证", "佐证资料"}},
			{Name: colReviewedBy, Alias: "reviewed_by", Synonyms: []string{"审核单位", "审核"}},
		},
		Examples: [][]string{{"RY001", "150221104001", "2024", "建成村级光伏电站", "重点", "2024-10-31", "已完成", "2024-09-20", "验收报告", "萨拉齐镇党委"}},
	},
	{
		Kind: Rewards, Name: "奖惩", Aliases: []string{"rewards"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true},
			{Name: colRegion, Alias: "region_code", Synonyms: append([]string{"区划代码"}, villageSynonyms...), Required: true, Note: "记录所在地区（人员任职的村或乡镇）的区划代码"},
			{Name: colKind, Alias: "kind", Synonyms: []string{"类别", "奖惩类别", "奖惩类型"}, Required: true, words: rewardKinds},
			{Name: colName, Alias: "title", Synonyms: []string{"奖惩名称", "奖惩内容", "荣誉称号", "处分名称"}, Required: true, Note: "如 优秀党务工作者、通报批评"},
			{Name: colLevel, Alias: "level", Synonyms: []string{"奖惩级别", "表彰级别", "决定机关级别"}, Required: true, words: rewardLevels},
			{Name: colDate, Alias: "date", Synonyms: []string{"奖惩日期", "奖惩时间", "表彰时间"}, Required: true, Note: dateNote},
			{Name: colAmount, Alias: "amount_yuan", Synonyms: []string{"奖金", "奖金(元)"}, Note: "整数，元"},
			{Name: colDocNo, Alias: "document_no", Synonyms: []string{"文件号", "决定文号"}},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"RY001", "150221104001", "奖励", "优秀党务工作者", "县级", "2024-07-01", "2000", "土右党发〔2024〕12号", ""}},
	},
	{
		Kind: StarRatings, Name: "星级评定", Aliases: []string{"star_ratings"},
		Columns: []Column{
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码；一村一年一条"},
			{Name: colYear, Alias: "year", Synonyms: []string{"评定年度", "年份"}, Required: true, Note: "四位年份，不晚于今年"},
			{Name: colStars, Alias: "stars", Synonyms: []string{"评定星级", "星级等次"}, Required: true, words: starWords, Note: "或 1–5"},
			{Name: colName, Alias: "title", Synonyms: []string{"称号", "荣誉称号"}, Note: "如 示范村"},
			{Name: colRatedBy, Alias: "rated_by", Synonyms: []string{"评定机关"}},
			{Name: colDate, Alias: "date", Synonyms: []string{"评定日期", "评定时间"}, Note: dateNote},
		},
		Examples: [][]string{{"150221104001", "2024", "五星", "五星级党组织", "土默特右旗委组织部", "2025-01-15"}},
	},
	{
		Kind: OfficeAudits, Name: "审计", Aliases: []string{"office_audits", "audits"},
		Columns: []Column{
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码"},
			{Name: colPersonNo, Alias: "person_no", Synonyms: []string{"被审计人编号"}, Note: "被审计的书记的人员编号（如有）"},
			{Name: colKind, Alias: "kind", Synonyms: []string{"审计类型", "审计类别", "类别"}, Required: true, words: auditKinds},
			{Name: colDate, Alias: "date", Synonyms: []string{"审计日期", "审计时间"}, Required: true, Note: "同一村、类型、日期为同一条"},
			{Name: colFindings, Alias: "findings", Synonyms: []string{"发现问题", "审计意见", "审计结果"}, Required: true},
			{Name: colFollowUp, Alias: "follow_up", Synonyms: []string{"整改措施", "整改落实情况"}},
			{Name: colStatus, Alias: "status", Synonyms: []string{"整改状态"}, words: auditStatuses, Note: "空为整改中"},
		},
		Examples: [][]string{{"150221104001", "RY001", "届中审计", "2024-06-18", "村集体资产台账不完整", "已补建台账", "已整改"}},
	},
	{
		Kind: Terms, Name: "换届", Aliases: []string{"terms"},
		Columns: []Column{
			{Name: colRegion, Alias: "county_code", Synonyms: []string{"县代码", "县级区划代码", "区划代码"}, Required: true, Note: "县级区划代码；一县一日一次"},
			{Name: colTermNo, Alias: "number", Synonyms: []string{"第几届", "届别"}, Note: "正整数，如 12（第十二届）"},
			{Name: colName, Alias: "name", Synonyms: []string{"换届名称"}, Required: true, Note: "如 2021年村“两委”换届"},
			{Name: colElectedOn, Alias: "elected_on", Synonyms: []string{"换届完成日期", "选举日期", "换届时间"}, Required: true, Note: dateNote},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"150221", "12", "2021年村“两委”换届", "2021-03-31", ""}},
	},
	{
		Kind: TrainingClasses, Name: "培训班次", Aliases: []string{"training_classes", "classes"},
		Columns: []Column{
			{Name: colClassName, Alias: "name", Synonyms: []string{"班次", "培训班名称", "名称"}, Required: true, Note: "班次名称与开始日期一起标识班次，培训学员表以此引用"},
			{Name: colRegion, Alias: "region_code", Synonyms: []string{"组织地区代码", "主办地区代码", "区划代码"}, Required: true, Note: "组织培训的乡镇、县或以上的区划代码"},
			{Name: colKind, Alias: "kind", Synonyms: []string{"培训类型", "班次类型", "类别"}, Required: true, words: classKinds},
			{Name: colOrganizer, Alias: "organizer", Synonyms: []string{"承办单位", "组织单位"}},
			{Name: colPlace, Alias: "place", Synonyms: []string{"地点", "培训地址"}},
			{Name: colStart, Alias: "starts_on", Synonyms: []string{"开班日期", "培训开始日期"}, Required: true, Note: dateNote},
			{Name: colEnd, Alias: "ends_on", Synonyms: []string{"结业日期", "培训结束日期"}, Note: "不早于开始日期"},
			{Name: colHours, Alias: "hours", Synonyms: []string{"培训学时", "课时"}, Note: "0–2000，可带小数"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"2024年村党组织书记示范培训班", "150221", "村书记培训班", "土默特右旗委组织部", "旗委党校", "2024-04-08", "2024-04-12", "40", ""}},
	},
	{
		Kind: TrainingEnrolments, Name: "培训学员", Aliases: []string{"training_enrolments", "enrolments"},
		Columns: []Column{
			{Name: colClassName, Alias: "class_name", Synonyms: []string{"班次", "培训班名称"}, Required: true, Note: "培训班次表或库中的班次名称"},
			{Name: colClassStart, Alias: "class_starts_on", Synonyms: []string{"开班日期", "培训开始日期"}, Required: true, Note: "该班次的开始日期"},
			{Name: colPersonNo, Alias: "person_no", Required: true, Note: "一人一班次一条"},
			{Name: colRegion, Alias: "region_code", Synonyms: append([]string{"学员所在地区代码", "所在地区代码", "所在地区", "区划代码"}, villageSynonyms...), Required: true, Note: "学员任职的村、乡镇或县的区划代码"},
			{Name: colCompleted, Alias: "completed", Synonyms: []string{"结业", "是否完成"}, words: yesNo, Note: "空为否"},
			{Name: colHours, Alias: "hours", Synonyms: []string{"获得学时", "认定学时"}, Note: "0–2000；结业而不填按班次学时计"},
			{Name: colResult, Alias: "result", Synonyms: []string{"结业情况", "考核结果", "成绩"}, Note: "如 结业、优秀学员"},
		},
		Examples: [][]string{{"2024年村党组织书记示范培训班", "2024-04-08", "RY001", "150221104001", "是", "40", "优秀学员"}},
	},
	{
		Kind: ResidentAssessments, Name: "驻村考核", Aliases: []string{"resident_assessments"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true, Note: "驻村干部的人员编号"},
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "驻村干部所在村的12位区划代码"},
			{Name: colKind, Alias: "kind", Synonyms: []string{"考核类型", "考核类别", "类别"}, Required: true, words: residentAssessmentKinds},
			{Name: colYear, Alias: "year", Synonyms: []string{"考核年度", "年份"}, Required: true, Note: "四位年份，不晚于今年"},
			{Name: colPeriod, Alias: "period", Synonyms: []string{"考核季度", "期次"}, Note: "平时考核的季度，1–4；同一人、类型、年度、季度为同一条"},
			{Name: colGrade, Alias: "grade", Synonyms: []string{"等次", "考核结果", "考核等级"}, Required: true, words: grades},
			{Name: colAssessedBy, Alias: "assessed_by", Synonyms: []string{"考核机关", "考核组织单位"}},
			{Name: colAssessedOn, Alias: "assessed_on", Synonyms: []string{"考核时间"}, Note: dateNote},
			{Name: colTeamStart, Alias: "team_starts_on", Synonyms: []string{"驻村工作队开始日期", "所属工作队开始日期"}, Note: "所在工作队的开始日期：驻村工作队表或库中本村此日开始的工作队"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"RY004", "150221104001", "年度考核", "2022", "", "称职", "萨拉齐镇党委", "2022-12-20", "2021-06-01", ""}},
	},
	{
		Kind: ExpertAgreements, Name: "合作任务书", Aliases: []string{"expert_agreements", "agreements"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true, Note: "专家的人员编号"},
			{Name: colName, Alias: "title", Synonyms: []string{"任务书名称", "任务书标题"}, Required: true, Note: "同一专家、名称、开始日期为同一份任务书；专家补贴表以此引用"},
			{Name: colStart, Alias: "start_date", Synonyms: []string{"合作开始日期"}, Required: true, Note: dateNote},
			{Name: colRegion, Alias: "region_code", Synonyms: []string{"签订地区代码", "区划代码"}, Required: true, Note: "签订任务书的县、乡镇或村的区划代码"},
			{Name: colAssignmentNo, Alias: "assignment_no", Synonyms: []string{"科技特派员选派编号"}, Note: "对应的科技特派员选派（科技特派员选派表或库中）"},
			{Name: colParties, Alias: "parties", Synonyms: []string{"甲乙双方", "签约各方", "签订各方"}},
			{Name: colAgreementBody, Alias: "content", Synonyms: []string{"内容", "任务内容"}},
			{Name: colTargets, Alias: "targets", Synonyms: []string{"任务目标", "考核目标", "目标"}},
			{Name: colShare, Alias: "proceeds_share_percent", Synonyms: []string{"收益分成比例", "分成比例", "收益分成"}, Note: "专家的收益分成，0–100，可带小数"},
			{Name: colSignedOn, Alias: "signed_on", Synonyms: []string{"签约日期", "签订时间"}, Note: dateNote},
			{Name: colEnd, Alias: "end_date", Synonyms: []string{"合作结束日期"}, Note: "不早于开始日期"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"RY003", "设施农业合作任务书", "2024-03-01", "150221104", "XP001", "甲方：萨拉齐镇人民政府；乙方：王建国",
			"温室大棚种植技术指导", "新建示范棚10座", "30", "2024-02-25", "2025-02-28", ""}},
	},
	{
		Kind: SubsidyPayments, Name: "专家补贴", Aliases: []string{"subsidy_payments", "subsidies"},
		Columns: []Column{
			{Name: colPersonNo, Alias: "person_no", Required: true, Note: "专家的人员编号"},
			{Name: colRegion, Alias: "region_code", Synonyms: []string{"发放地区代码", "区划代码"}, Required: true, Note: "发放补贴的市、县、乡镇或村的区划代码；一人一地区一年一条"},
			{Name: colYear, Alias: "year", Synonyms: []string{"补贴年度", "年份"}, Required: true, Note: "四位年份，不晚于今年"},
			{Name: colAmount, Alias: "amount_yuan", Synonyms: []string{"补贴金额", "补贴(元)", "金额"}, Required: true, Note: "整数，元"},
			{Name: colPaidOn, Alias: "paid_on", Synonyms: []string{"发放时间", "支付日期"}, Note: dateNote},
			{Name: colAgreementTitle, Alias: "agreement_title", Synonyms: []string{"所依据任务书"}, Note: "所依据的合作任务书（同一专家，合作任务书表或库中）的名称；与任务书开始日期同填"},
			{Name: colAgreementStart, Alias: "agreement_starts_on", Synonyms: []string{"任务书开始时间"}, Note: "该任务书的开始日期"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"RY003", "150221104", "2024", "20000", "2024-12-20", "设施农业合作任务书", "2024-03-01", ""}},
	},
	{
		Kind: DoctorFarms, Name: "博士农场", Aliases: []string{"doctor_farms", "farms"},
		Columns: []Column{
			{Name: colVillage, Alias: "village_code", Synonyms: villageSynonyms, Required: true, Note: "12位村级区划代码；同一村、名称为同一个农场"},
			{Name: colName, Alias: "name", Synonyms: []string{"农场名称", "博士农场名称"}, Required: true},
			{Name: colPersonNo, Alias: "person_no", Synonyms: []string{"专家编号"}, Required: true, Note: "专家的人员编号"},
			{Name: colFoundedOn, Alias: "founded_on", Synonyms: []string{"成立日期", "建立日期", "创建日期"}, Required: true, Note: dateNote},
			{Name: colFunding, Alias: "yearly_funding_yuan", Synonyms: []string{"每年资助(元)", "年资助金额", "资助金额"}, Note: "整数，元；新农场空为 0"},
			{Name: colYearsFunded, Alias: "years_funded", Synonyms: []string{"资助年数"}, Note: "整数（年）；新农场空为 1"},
			{Name: colNotes, Alias: "notes", Synonyms: []string{"说明"}},
		},
		Examples: [][]string{{"150221104001", "番茄博士农场", "RY003", "2023-05-01", "100000", "3", ""}},
	},
}

// sheetDef finds a sheet by its Chinese name or an alias, compared as
// headers are (headerKey).
func sheetDef(name string) *SheetDef {
	n := headerKey(name)
	for i := range Sheets {
		d := &Sheets[i]
		if headerKey(d.Name) == n {
			return d
		}
		for _, a := range d.Aliases {
			if headerKey(a) == n {
				return d
			}
		}
	}
	return nil
}

// column finds a column of the sheet by its Chinese name or alias (the
// code's own names; a spreadsheet's headers go through matches).
func (d *SheetDef) column(name string) *Column {
	n := headerKey(name)
	for i := range d.Columns {
		c := &d.Columns[i]
		if headerKey(c.Name) == n || headerKey(c.Alias) == n {
			return c
		}
	}
	return nil
}

// matches is every column of the sheet a header may name. A column's own
// name or alias wins outright; otherwise every column declaring the header
// as a synonym is returned, so that the caller can report an ambiguous
// header instead of picking one.
func (d *SheetDef) matches(header string) []*Column {
	h := headerKey(header)
	if h == "" {
		return nil
	}
	if c := d.column(header); c != nil {
		return []*Column{c}
	}
	var out []*Column
	for i := range d.Columns {
		c := &d.Columns[i]
		for _, s := range c.Synonyms {
			if headerKey(s) == h {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// vocabulary is the extendable vocabulary a column's words are, "" for a
// closed list.
func vocabulary(ws words) vocab.Kind {
	switch {
	case len(ws) > 0 && &ws[0] == &personTags[0]:
		return vocab.KindPersonTag
	case len(ws) > 0 && &ws[0] == &fields[0]:
		return vocab.KindAgriculturalField
	}
	return ""
}
