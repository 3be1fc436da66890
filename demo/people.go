package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"yanzhen/ent/person"
	"yanzhen/vocab"
)

// surnames are the most common Chinese surnames with their approximate share
// (per mille) of the population, after the 2020 census; the draw follows them
// so that 王, 李 and 张 dominate as they do in any real roster.
var surnames = weighted{
	{"王", 71}, {"李", 70}, {"张", 64}, {"刘", 54}, {"陈", 45}, {"杨", 31}, {"黄", 22}, {"赵", 20},
	{"吴", 19}, {"周", 19}, {"徐", 14}, {"孙", 13}, {"马", 12}, {"朱", 12}, {"胡", 11}, {"郭", 11},
	{"何", 10}, {"林", 10}, {"高", 10}, {"罗", 9}, {"郑", 9}, {"梁", 8}, {"谢", 7}, {"宋", 7},
	{"唐", 7}, {"许", 6}, {"韩", 6}, {"冯", 6}, {"邓", 6}, {"曹", 6}, {"彭", 5}, {"曾", 5},
	{"肖", 5}, {"田", 5}, {"董", 5}, {"袁", 5}, {"潘", 5}, {"于", 5}, {"蒋", 5}, {"蔡", 5},
	{"余", 5}, {"杜", 4}, {"叶", 4}, {"程", 4}, {"苏", 4}, {"魏", 4}, {"吕", 4}, {"丁", 4},
	{"任", 4}, {"沈", 4}, {"姚", 4}, {"卢", 4}, {"姜", 3}, {"崔", 3}, {"钟", 3}, {"谭", 3},
	{"陆", 3}, {"汪", 3}, {"范", 3}, {"金", 3}, {"石", 3}, {"廖", 3}, {"贾", 3}, {"夏", 3},
	{"韦", 3}, {"付", 3}, {"方", 3}, {"白", 3}, {"邹", 3}, {"孟", 3}, {"熊", 3}, {"秦", 3},
	{"邱", 3}, {"江", 3}, {"尹", 3}, {"薛", 3}, {"闫", 3}, {"段", 3}, {"雷", 2}, {"侯", 2},
	{"龙", 2}, {"史", 2}, {"陶", 2}, {"黎", 2}, {"贺", 2}, {"顾", 2}, {"毛", 2}, {"郝", 2},
	{"龚", 2}, {"邵", 2}, {"万", 2}, {"钱", 2}, {"严", 2}, {"武", 2}, {"戴", 2}, {"莫", 2},
	{"孔", 2}, {"向", 2}, {"汤", 2}, {"常", 2}, {"温", 2}, {"康", 2}, {"施", 1}, {"文", 1},
	{"牛", 1}, {"樊", 1}, {"葛", 1}, {"邢", 1}, {"安", 1}, {"齐", 1}, {"易", 1}, {"乔", 1},
	{"伍", 1}, {"庞", 1}, {"颜", 1}, {"倪", 1}, {"庄", 1}, {"聂", 1}, {"章", 1}, {"鲁", 1},
	{"岳", 1}, {"翟", 1}, {"殷", 1}, {"詹", 1}, {"申", 1}, {"耿", 1}, {"关", 1}, {"兰", 1},
	{"焦", 1}, {"俞", 1}, {"左", 1}, {"柳", 1}, {"甘", 1}, {"祝", 1}, {"包", 1}, {"宁", 1},
	{"尚", 1}, {"符", 1}, {"舒", 1}, {"阮", 1}, {"柯", 1}, {"纪", 1}, {"梅", 1}, {"童", 1},
}

// huiSurnames are the surnames most frequent among the Hui of Ningxia (吴忠).
var huiSurnames = weighted{
	{"马", 40}, {"杨", 10}, {"丁", 8}, {"金", 6}, {"李", 6}, {"白", 5}, {"王", 5}, {"海", 4},
	{"穆", 4}, {"田", 3}, {"虎", 3}, {"苏", 3}, {"纳", 3}, {"冶", 2}, {"哈", 2}, {"何", 2},
	{"洪", 2}, {"锁", 2}, {"张", 2}, {"刘", 2},
}

// Given-name characters; each name takes one or two of them.
var (
	maleChars = []string{
		"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
		"鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "建", "国", "峰",
		"亮", "成", "志", "东", "海", "文", "良", "保", "才", "政", "锋", "宏", "喜", "福", "春", "生",
		"荣", "德", "利", "兵", "永", "有", "云", "贵", "学", "祥", "忠", "占", "义", "江", "山", "胜",
		"彬", "晨", "博", "毅", "振", "庆", "新", "民", "长", "金", "玉", "树", "维",
	}
	femaleChars = []string{
		"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "丹", "萍", "红", "琳", "颖", "慧",
		"婷", "雪", "洁", "琴", "倩", "梅", "莉", "蓉", "兰", "凤", "英", "华", "玉", "秀", "月", "晶",
		"欣", "怡", "佳", "悦", "晓", "思", "雨", "婧", "璐", "瑶", "春", "桂", "珍", "荣", "淑", "彩",
	}
	// Mongolian given names, written as a whole (巴特尔, 其其格); many
	// Mongols in Inner Mongolia use them without a Han surname.
	mongolMale   = []string{"巴特尔", "额尔敦", "苏和", "宝音", "那仁", "阿拉坦", "乌力吉", "巴雅尔", "哈斯", "朝鲁", "满都拉", "毕力格", "孟和", "特木尔", "布和"}
	mongolFemale = []string{"乌云", "其其格", "萨仁", "斯琴", "娜仁", "托娅", "高娃", "图雅", "乌兰", "塔娜", "其木格", "萨日娜"}
	// Surnames Mongols of the Tumed banners took (云, 荣, 奇, 包, 白).
	mongolSurnames = weighted{{"云", 4}, {"荣", 2}, {"奇", 2}, {"包", 3}, {"白", 2}}
)

// weighted is a discrete distribution of strings.
type weighted []struct {
	v string
	w int
}

func (ws weighted) pick(r *rand.Rand) string {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// ethnicMix is the share (per mille) of each ethnicity among a county's
// cadres; whatever is left is 汉族.
type ethnicMix []struct {
	name string
	w    int
}

func (m ethnicMix) pick(r *rand.Rand) string {
	n := r.IntN(1000)
	for _, x := range m {
		if n < x.w {
			return x.name
		}
		n -= x.w
	}
	return "汉族"
}

var (
	innerMongolia = ethnicMix{{"蒙古族", 60}, {"回族", 12}, {"满族", 10}}
	ningxia       = ethnicMix{{"回族", 450}, {"满族", 5}}
	hubei         = ethnicMix{{"土家族", 10}, {"回族", 5}}
	hebei         = ethnicMix{{"回族", 10}, {"满族", 10}}
)

// profile is one synthetic person before it is written.
type profile struct {
	ExternalID      string
	Name            string
	Gender          person.Gender
	Birth           time.Time
	Ethnicity       string
	Education       person.Education
	Political       person.PoliticalStatus
	PartyJoin       time.Time // zero when not a party member
	Phone           string
	IDNumber        string
	Tags            []vocab.PersonTag
	Expertise       []vocab.AgriculturalField
	Title           string
	HomeVillageID   int // 0: none
	institution     *institutionPlan
	ID              int // set once written
	rank            int // mentoring generation: mentors always have a lower rank than their mentees
	homeCountyCode6 string
}

// factory draws people: names, birth dates, ID numbers and phones, unique
// within one run, all from one seeded generator.
type factory struct {
	r      *rand.Rand
	asOf   time.Time
	prefix string
	seq    int
	*uniques
}

// uniques are the ID numbers and phones handed out so far, shared by the
// factories of one run.
type uniques struct {
	ids    map[string]bool
	phones map[string]bool
}

func newFactory(r *rand.Rand, asOf time.Time, prefix string, u *uniques) *factory {
	return &factory{r: r, asOf: asOf, prefix: prefix, uniques: u}
}

// newPerson draws a person of the given age (completed years at asOf) from a
// county, with the county's ethnic mix.
func (f *factory) newPerson(county string, age int, female bool, mix ethnicMix) *profile {
	f.seq++
	p := &profile{
		ExternalID:      fmt.Sprintf("%s%06d", f.prefix, f.seq),
		Gender:          person.GenderMALE,
		Ethnicity:       mix.pick(f.r),
		homeCountyCode6: county,
	}
	if female {
		p.Gender = person.GenderFEMALE
	}
	p.Birth = birthForAge(f.r, f.asOf, age)
	p.Name = f.name(female, p.Ethnicity, mix)
	p.IDNumber = f.idNumber(county, p.Birth, female)
	p.Phone = f.phone()
	return p
}

func (f *factory) name(female bool, ethnicity string, mix ethnicMix) string {
	r := f.r
	chars := maleChars
	if female {
		chars = femaleChars
	}
	switch {
	case ethnicity == "蒙古族" && r.IntN(2) == 0:
		if female {
			return mongolFemale[r.IntN(len(mongolFemale))]
		}
		return mongolMale[r.IntN(len(mongolMale))]
	case ethnicity == "蒙古族":
		return mongolSurnames.pick(r) + given(r, chars)
	case ethnicity == "回族" && len(mix) > 0 && mix[0].name == "回族":
		return huiSurnames.pick(r) + given(r, chars)
	}
	return surnames.pick(r) + given(r, chars)
}

func given(r *rand.Rand, chars []string) string {
	a := chars[r.IntN(len(chars))]
	if r.IntN(100) < 30 {
		return a
	}
	b := chars[r.IntN(len(chars))]
	for b == a {
		b = chars[r.IntN(len(chars))]
	}
	return a + b
}

// birthForAge returns a birth date at which a person is exactly age completed
// years old on asOf.
func birthForAge(r *rand.Rand, asOf time.Time, age int) time.Time {
	latest := asOf.AddDate(-age, 0, 0)     // turns age on asOf
	earliest := asOf.AddDate(-age-1, 0, 1) // turns age+1 the day after asOf
	days := int(latest.Sub(earliest).Hours()/24) + 1
	return earliest.AddDate(0, 0, r.IntN(days))
}

// ageAt is the age in completed years (周岁) on day.
func ageAt(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// idNumber builds an 18-digit 身份证号 (GB 11643): the home county, the birth
// date, a sequence whose last digit is odd for men and even for women, and
// the check character.
func (f *factory) idNumber(county string, birth time.Time, female bool) string {
	for {
		seq := f.r.IntN(500) * 2
		if !female {
			seq++
		}
		first := county + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
		id := first + string(checkChar(first))
		if !f.ids[id] {
			f.ids[id] = true
			return id
		}
	}
}

func checkChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// mobilePrefixes are the number blocks of the three mainland carriers.
var mobilePrefixes = []string{
	"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
	"156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187", "188",
	"189", "191", "199",
}

func (f *factory) phone() string {
	for {
		p := mobilePrefixes[f.r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", f.r.IntN(100_000_000))
		if !f.phones[p] {
			f.phones[p] = true
			return p
		}
	}
}

// Education levels, lowest first.
var (
	college    = []person.Education{person.EducationJUNIOR_COLLEGE, person.EducationBACHELOR, person.EducationMASTER}
	belowCollg = []person.Education{person.EducationJUNIOR_HIGH, person.EducationHIGH_SCHOOL, person.EducationSECONDARY_VOCATIONAL}
)

// collegeLevel draws 大专 (62%), 本科 (34%) or 研究生 (4%).
func collegeLevel(r *rand.Rand) person.Education {
	switch n := r.IntN(100); {
	case n < 62:
		return college[0]
	case n < 96:
		return college[1]
	default:
		return college[2]
	}
}

// schoolLevel draws 初中 (30%), 高中 (45%) or 中专 (25%).
func schoolLevel(r *rand.Rand) person.Education {
	switch n := r.IntN(100); {
	case n < 30:
		return belowCollg[0]
	case n < 75:
		return belowCollg[1]
	default:
		return belowCollg[2]
	}
}

func isCollege(e person.Education) bool {
	switch e {
	case person.EducationJUNIOR_COLLEGE, person.EducationBACHELOR, person.EducationMASTER, person.EducationDOCTORATE:
		return true
	}
	return false
}

// joinParty makes p a party member who joined between 20 and 35, at least a
// year before asOf.
func (f *factory) joinParty(p *profile) {
	p.Political = person.PoliticalStatusCPC_MEMBER
	at := p.Birth.AddDate(20+f.r.IntN(16), f.r.IntN(12), f.r.IntN(28))
	if limit := f.asOf.AddDate(-1, 0, 0); at.After(limit) {
		at = limit.AddDate(0, -f.r.IntN(12), -f.r.IntN(28))
	}
	if at.Before(p.Birth.AddDate(18, 0, 0)) {
		at = p.Birth.AddDate(18, 1, 0)
	}
	p.PartyJoin = at
}

// addTag adds t once.
func (p *profile) addTag(t vocab.PersonTag) {
	for _, x := range p.Tags {
		if x == t {
			return
		}
	}
	p.Tags = append(p.Tags, t)
}

// topK returns the indexes of the k items with the largest weighted random
// keys (Efraimidis–Spirakis sampling without replacement): a deterministic way
// to choose exactly k people with a preference.
func topK(r *rand.Rand, weights []float64, k int) []int {
	type kv struct {
		i   int
		key float64
	}
	keys := make([]kv, len(weights))
	for i, w := range weights {
		u := r.Float64()
		if u == 0 {
			u = 1e-12
		}
		keys[i] = kv{i, math.Pow(u, 1/w)}
	}
	sort.SliceStable(keys, func(a, b int) bool { return keys[a].key > keys[b].key })
	out := make([]int, k)
	for j := 0; j < k; j++ {
		out[j] = keys[j].i
	}
	sort.Ints(out)
	return out
}

// date is a UTC midnight.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// randomDay returns a day in [from, to].
func randomDay(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return from
	}
	return from.AddDate(0, 0, r.IntN(days+1))
}

// shortName drops an administrative suffix (县, 区, 市, 旗) for labels such as 片区 names.
func shortName(name string) string {
	for _, s := range []string{"回族自治县", "自治县", "县", "区", "市", "旗"} {
		if rest, ok := strings.CutSuffix(name, s); ok && len([]rune(rest)) >= 2 {
			return rest
		}
	}
	return name
}
