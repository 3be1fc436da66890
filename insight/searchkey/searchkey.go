// Package searchkey computes the search keys of a person (full pinyin,
// initials, phone suffix). It is separate from package insight so that the
// ent schema hook that keeps the keys, the demo generator and the migration
// step that fills them can import it without depending on the queries.
package searchkey

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// Kind is what a key spells: the full toneless pinyin or its initials.
type Kind string

const (
	Pinyin   Kind = "PINYIN"
	Initials Kind = "INITIALS"
)

// Key is one search key of a person.
type Key struct {
	Kind Kind
	Text string
}

// MaxReadings is the most full-pinyin keys a name gets (and so the most
// initials keys): every reading of a long name of polyphonic characters
// would multiply without bound, and beyond a handful the extra keys find
// nobody anyone types.
const MaxReadings = 8

// MaxKeyLength is the length keys are cut to. Search queries are at most 64
// characters (insight.MaxQueryLength), so a key's first 64 letters decide
// every prefix match it can take part in; the rest would only grow the index.
const MaxKeyLength = 64

// nameReadings are the characters common in given names that are read
// more than one way there, with those readings, the usual one first: they
// are the "common readings" that make a name's extra keys (张长良 is found
// as zhangchangliang and zhangzhangliang). Every other character takes only
// its usual reading (go-pinyin's first): its heteronym list, from
// pinyin-data, also holds literary and archaic readings (信 shen, 无 mo, 提
// di, 王 yu) that would find people nobody meant, so it is not used as is.
var nameReadings = map[rune][]string{
	'长': {"chang", "zhang"}, '重': {"zhong", "chong"}, '朝': {"chao", "zhao"}, '行': {"xing", "hang"},
	'乐': {"le", "yue"}, '传': {"chuan", "zhuan"}, '曾': {"zeng", "ceng"}, '调': {"tiao", "diao"},
	'觉': {"jue", "jiao"}, '会': {"hui", "kuai"}, '强': {"qiang", "jiang"}, '降': {"jiang", "xiang"},
	'藏': {"zang", "cang"}, '单': {"dan", "shan"}, '解': {"jie", "xie"}, '率': {"shuai", "lv"},
	'弹': {"tan", "dan"}, '都': {"du", "dou"}, '茜': {"qian", "xi"}, '柏': {"bai", "bo"},
	'薄': {"bo", "bao"}, '宿': {"su", "xiu"}, '厦': {"xia", "sha"}, '伯': {"bo", "bai"},
	'朴': {"pu", "piao"}, '秘': {"mi", "bi"}, '省': {"sheng", "xing"}, '奇': {"qi", "ji"},
	'盛': {"sheng", "cheng"}, '参': {"can", "shen"}, '露': {"lu", "lou"}, '种': {"zhong", "chong"},
	'还': {"huan", "hai"}, '石': {"shi", "dan"}, '莎': {"sha", "suo"}, '贾': {"jia", "gu"},
	'莘': {"xin", "shen"}, '车': {"che", "ju"}, '尉': {"wei", "yu"}, '仇': {"chou", "qiu"},
	'区': {"qu", "ou"}, '查': {"cha", "zha"}, '盖': {"gai", "ge"}, '缪': {"miao", "mou"},
	'覃': {"tan", "qin"}, '召': {"zhao", "shao"}, '员': {"yuan", "yun"}, '翟': {"zhai", "di"},
	'大': {"da", "dai"}, '和': {"he", "huo"}, '差': {"cha", "chai"}, '济': {"ji"},
	'给': {"gei", "ji"}, '塞': {"sai", "se"}, '亲': {"qin", "qing"}, '似': {"si", "shi"},
	'若': {"ruo", "re"}, '玟': {"wen", "min"}, '角': {"jiao", "jue"}, '校': {"xiao", "jiao"},
	'正': {"zheng"}, '少': {"shao"}, '好': {"hao"}, '数': {"shu"}, '中': {"zhong"},
	'应': {"ying"}, '发': {"fa"},
}

// compoundSurnames are the two-character surnames with their readings
// (syllables separated by spaces). They are recognised before single
// surnames, since the first character alone often reads otherwise (尉迟
// yuchi, not weichi; 万俟 moqi, not wanqi; 长孙 zhangsun, not changsun).
var compoundSurnames = map[string][]string{
	"欧阳": {"ou yang"}, "司马": {"si ma"}, "诸葛": {"zhu ge"}, "上官": {"shang guan"},
	"尉迟": {"yu chi"}, "万俟": {"mo qi"}, "长孙": {"zhang sun"}, "东方": {"dong fang"},
	"皇甫": {"huang fu"}, "夏侯": {"xia hou"}, "公孙": {"gong sun"}, "慕容": {"mu rong"},
	"令狐": {"ling hu"}, "宇文": {"yu wen"}, "司徒": {"si tu"}, "司空": {"si kong"},
	"澹台": {"tan tai"}, "单于": {"chan yu"}, "轩辕": {"xuan yuan"}, "端木": {"duan mu"},
	"百里": {"bai li"}, "呼延": {"hu yan"}, "独孤": {"du gu"}, "南宫": {"nan gong"},
	"西门": {"xi men"}, "闻人": {"wen ren"}, "赫连": {"he lian"}, "申屠": {"shen tu"},
	"太史": {"tai shi"}, "钟离": {"zhong li"}, "仲孙": {"zhong sun"}, "濮阳": {"pu yang"},
	"淳于": {"chun yu"}, "公冶": {"gong ye"}, "拓跋": {"tuo ba"}, "第五": {"di wu"},
	"羊舌": {"yang she"}, "乐正": {"yue zheng"}, "谷梁": {"gu liang"}, "宰父": {"zai fu"},
	"亓官": {"qi guan"}, "司寇": {"si kou"}, "子车": {"zi ju"}, "巫马": {"wu ma"},
	"公西": {"gong xi"}, "壤驷": {"rang si"}, "公良": {"gong liang"}, "漆雕": {"qi diao"},
	"梁丘": {"liang qiu"}, "左丘": {"zuo qiu"}, "东郭": {"dong guo"}, "段干": {"duan gan"},
	"鲜于": {"xian yu"}, "闾丘": {"lv qiu"}, "公羊": {"gong yang"},
}

// surnameReadings are the single surnames whose surname reading is not
// simply go-pinyin's first reading, or that have one or two surname readings
// among many: the key takes only these (单 is shan as a surname, never dan;
// 曾 zeng, never ceng). A surname read two ways by families of the same
// name (尉 yu/wei, 盖 ge/gai, 覃 qin/tan, 乐 yue/le, 翟 zhai/di) has both.
// Any other first character takes the common readings like the rest.
var surnameReadings = map[rune][]string{
	'单': {"shan"}, '曾': {"zeng"}, '仇': {"qiu"}, '解': {"xie"}, '区': {"ou"},
	'查': {"zha"}, '朴': {"piao"}, '盖': {"ge", "gai"}, '乐': {"yue", "le"}, '缪': {"miao"},
	'覃': {"qin", "tan"}, '召': {"shao"}, '员': {"yun"}, '秘': {"bi"}, '种': {"chong"},
	'繁': {"po"}, '折': {"she"}, '翟': {"zhai", "di"}, '祭': {"zhai"}, '藏': {"zang"},
	'宿': {"su"}, '燕': {"yan"}, '纪': {"ji"}, '华': {"hua"}, '任': {"ren"},
	'沈': {"shen"}, '曲': {"qu"}, '尉': {"yu", "wei"}, '黑': {"he", "hei"}, '句': {"gou"},
	'阚': {"kan"}, '隗': {"wei", "kui"}, '洗': {"xian"}, '冼': {"xian"}, '过': {"guo"},
	'訾': {"zi"}, '能': {"nai"}, '车': {"che"}, '柏': {"bai"}, '薄': {"bo"},
	'都': {"du"}, '莘': {"shen"}, '逄': {"pang"}, '厍': {"she"}, '粘': {"nian"},
	'佴': {"nai"}, '角': {"jue"}, '朝': {"chao"}, '重': {"chong"}, '长': {"chang"},
	'万': {"wan"}, '贾': {"jia"}, '谌': {"chen"}, '郇': {"huan", "xun"}, '蕃': {"pi"},
	'隽': {"juan"}, '乜': {"nie"}, '贲': {"ben"}, '费': {"fei"}, '石': {"shi"},
	'卜': {"bu"}, '参': {"shen"}, '陆': {"lu"}, '於': {"yu"}, '相': {"xiang"},
	'褚': {"chu"}, '行': {"xing", "hang"}, '和': {"he"}, '应': {"ying"}, '期': {"qi"},
	'占': {"zhan"}, '阿': {"a"}, '家': {"jia"}, '哈': {"ha"}, '令': {"ling"},
	'尾': {"wei"}, '囯': {"guo"}, '奇': {"qi"}, '臧': {"zang"},
}

// syllable is one reading of a character or surname: its toneless pinyin
// and initials (ouyang → oy).
type syllable struct{ full, initials string }

// slot is one position of a name with the readings it may take, the usual
// one first.
type slot []syllable

func spelled(reading string) syllable {
	var s syllable
	for _, part := range strings.Fields(reading) {
		s.full += part
		s.initials += part[:1]
	}
	return s
}

// hanReadings returns the readings a character of a name is searched by:
// those of nameReadings, or its usual one.
func hanReadings(r rune, args pinyin.Args) slot {
	if rs, ok := nameReadings[r]; ok {
		return spelledAll(rs)
	}
	if p := pinyin.SinglePinyin(r, args); len(p) > 0 && p[0] != "" {
		return slot{spelled(p[0])}
	}
	return nil
}

func spelledAll(readings []string) slot {
	s := make(slot, len(readings))
	for i, r := range readings {
		s[i] = spelled(r)
	}
	return s
}

// transliterated reports a name written with a middle dot between its parts
// (阿依古丽·买买提): a transliteration, whose first character is no surname.
func transliterated(name string) bool {
	return strings.ContainsAny(name, "·•・‧")
}

// slots splits a name into the positions that make its keys: the surname
// (with its surname readings), then each Han character (its common readings)
// and each latin letter or digit (itself, lower-cased). Anything else is
// dropped.
func slots(name string) []slot {
	args := pinyin.NewArgs()
	args.Style = pinyin.Normal
	var out []slot
	rest := name
	if !transliterated(name) {
		if rs := []rune(name); len(rs) >= 2 {
			if readings, ok := compoundSurnames[string(rs[:2])]; ok {
				out, rest = append(out, spelledAll(readings)), string(rs[2:])
			}
		}
		if r, size := utf8.DecodeRuneInString(name); len(out) == 0 && size > 0 {
			// Only the first character can be the surname. A surname is
			// read one way (or two, by different families): its entry in
			// surnameReadings, else its usual reading, never a given
			// name's alternatives.
			if readings, ok := surnameReadings[r]; ok {
				out, rest = append(out, spelledAll(readings)), name[size:]
			} else if unicode.Is(unicode.Han, r) {
				if p := pinyin.SinglePinyin(r, args); len(p) > 0 && p[0] != "" {
					out, rest = append(out, slot{spelled(p[0])}), name[size:]
				}
			}
		}
	}
	for _, r := range rest {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			c := string(unicode.ToLower(r))
			out = append(out, slot{{c, c}})
		case unicode.Is(unicode.Han, r):
			if s := hanReadings(r, args); len(s) > 0 {
				out = append(out, s)
			}
		}
	}
	return out
}

// Keys returns the search keys of a name: the full toneless pinyin of each
// of its readings (张长良 → zhangchangliang, zhangzhangliang) and their
// initials (zcl, zzl), the usual reading first, at most MaxReadings of each,
// each cut to MaxKeyLength. The surname, compound ones first, takes its
// surname reading(s) (单 shan, 尉迟 yuchi); every other character its common
// readings (see nameReadings). When the readings of a long name would
// give more than MaxReadings keys, those that change the fewest characters
// from the usual reading are kept.
func Keys(name string) []Key {
	type combo struct {
		full, initials string
		cost           int // the sum of the reading indexes: 0 is the usual reading
	}
	combos := []combo{{}}
	for _, s := range slots(name) {
		next := make([]combo, 0, len(combos)*len(s))
		for _, c := range combos {
			for i, syl := range s {
				next = append(next, combo{c.full + syl.full, c.initials + syl.initials, c.cost + i})
			}
		}
		// Keeping the cheapest after each position keeps the cheapest
		// overall: extending a combination never lowers its cost.
		sort.SliceStable(next, func(i, j int) bool { return next[i].cost < next[j].cost })
		if len(next) > MaxReadings {
			next = next[:MaxReadings]
		}
		combos = next
	}
	var keys []Key
	seen := map[Key]bool{}
	add := func(k Key) {
		if len(k.Text) > MaxKeyLength {
			k.Text = k.Text[:MaxKeyLength]
		}
		if k.Text != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, c := range combos {
		add(Key{Pinyin, c.full})
	}
	for _, c := range combos {
		add(Key{Initials, c.initials})
	}
	return keys
}

// PinyinKeys returns the usual reading of a name: its first full-pinyin key
// and its first initials key ("" when the name has none).
func PinyinKeys(name string) (full, initials string) {
	for _, k := range Keys(name) {
		switch {
		case k.Kind == Pinyin && full == "":
			full = k.Text
		case k.Kind == Initials && initials == "":
			initials = k.Text
		}
	}
	return full, initials
}

// PhoneSuffix returns the last four digits of a phone number ("" when it has
// fewer than four), the key of the phone-number search.
func PhoneSuffix(phone string) string {
	var digits []byte
	for i := 0; i < len(phone); i++ {
		if phone[i] >= '0' && phone[i] <= '9' {
			digits = append(digits, phone[i])
		}
	}
	if len(digits) < 4 {
		return ""
	}
	return string(digits[len(digits)-4:])
}
