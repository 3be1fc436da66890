// Package vocab holds the vocabularies that several entities share
// (agricultural fields, person tags): the national defaults with their
// Chinese labels, and the lookup that merges them with the terms and words
// admins add (the vocabulary_terms and vocabulary_words tables, loaded by
// vocab/vocabdb), so the GraphQL values, the database values and the
// spreadsheet words stay in step.
package vocab

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// Term is one value of a vocabulary: the stable code stored in the database and
// sent through the API, with its Chinese and English labels.
type Term struct {
	Code    string
	Chinese string
	English string
}

// Kind names a vocabulary.
type Kind string

// The vocabularies admins extend.
const (
	KindPersonTag         Kind = "PERSON_TAG"
	KindAgriculturalField Kind = "AGRICULTURAL_FIELD"
)

// Kinds lists the vocabularies.
var Kinds = []Kind{KindPersonTag, KindAgriculturalField}

// Values lets ent store a kind as an enum column.
func (Kind) Values() []string { return []string{string(KindPersonTag), string(KindAgriculturalField)} }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k == KindPersonTag || k == KindAgriculturalField }

// MarshalGQL writes the enum value.
func (k Kind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL accepts only known kinds.
func (k *Kind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Kind(s).Valid() {
		return fmt.Errorf("%v is not a VocabularyKind (PERSON_TAG, AGRICULTURAL_FIELD)", v)
	}
	*k = Kind(s)
	return nil
}

// Chinese names the vocabulary as the roster's columns do.
func (k Kind) Chinese() string {
	if k == KindPersonTag {
		return "标签"
	}
	return "专业领域"
}

// Defaults are the national terms of a vocabulary, kept in code: every
// area reads them, no admin edits them, and their codes can never be taken.
func (k Kind) Defaults() []Term {
	if k == KindPersonTag {
		return PersonTags
	}
	return AgriculturalFields
}

// defaultWords are the other words counties write for the national terms
// (compared folded, see Fold).
var defaultWords = map[Kind]map[string][]string{
	KindPersonTag: {
		"RETURNEE":           {"返乡", "归雁", "返乡创业人员", "返乡能人"},
		"VETERAN":            {"退役军人", "退伍军人", "复员军人"},
		"COLLEGE_GRADUATE":   {"大学生村官", "高校毕业生"},
		"RICH_LEADER":        {"致富能手", "创业致富带头人"},
		"NEW_FARMER":         {"新型农民", "职业农民", "高素质农民"},
		"RETIRED_CADRE":      {"退休干部", "离休干部"},
		"MIGRANT_WORKER":     {"外出务工", "务工人员", "农民工"},
		"BUSINESS_OWNER":     {"个体户"},
		"COOPERATIVE_LEADER": {"合作社带头人", "合作社理事长"},
	},
	KindAgriculturalField: {
		"FIELD_CROPS":       {"粮食作物", "大田"},
		"FRUIT_TREES":       {"果业", "水果"},
		"MEDICINAL_HERBS":   {"中草药"},
		"LIVESTOCK_POULTRY": {"畜牧", "畜牧养殖", "养殖"},
		"AQUACULTURE":       {"水产"},
		"E_COMMERCE":        {"电商", "电子商务"},
		"FOOD_PROCESSING":   {"农产品深加工"},
	},
}

// DefaultWords are the synonyms of a national term.
func DefaultWords(k Kind, code string) []string { return defaultWords[k][code] }

// AgriculturalField is a field of agricultural expertise (专业领域). Demands,
// expert assignments and people's expertise all use the same vocabulary so
// that 需求清单 and 供给清单 can be matched word for word. Its value is a
// code of the vocabulary (AgriculturalFields or a term an admin added);
// which codes a writer may use is checked against the vocabulary that
// applies to them (ent/schema hooks), not here.
type AgriculturalField string

// AgriculturalFields lists the fields named in the 两单合一 programme documents.
var AgriculturalFields = []Term{
	{"FIELD_CROPS", "大田作物", "Field crops"},
	{"TUBERS", "薯类", "Potatoes and tubers"},
	{"LEGUMES", "豆类", "Beans and legumes"},
	{"MELONS", "瓜类", "Melons"},
	{"VEGETABLES", "蔬菜", "Vegetables"},
	{"FRUIT_TREES", "果树", "Fruit trees"},
	{"MEDICINAL_HERBS", "中药材", "Medicinal herbs"},
	{"EDIBLE_FUNGI", "食用菌", "Edible fungi"},
	{"LIVESTOCK_POULTRY", "家禽家畜", "Livestock and poultry"},
	{"AQUACULTURE", "水产养殖", "Aquaculture"},
	{"PROTECTED_AGRICULTURE", "设施农业", "Protected (greenhouse) agriculture"},
	{"LEISURE_AGRICULTURE", "休闲农业", "Leisure agriculture and rural tourism"},
	{"SMART_AGRICULTURE", "智慧农业", "Smart agriculture"},
	{"AGRICULTURAL_MACHINERY", "农业机械", "Agricultural machinery"},
	{"SOIL_FERTILIZER", "土壤肥料", "Soil and fertilizer"},
	{"PLANT_PROTECTION", "植物保护", "Plant protection"},
	{"FOOD_PROCESSING", "农产品加工", "Agricultural product processing"},
	{"E_COMMERCE", "农村电商", "Rural e-commerce"},
	{"OTHER", "其他", "Other"},
}

// MarshalGQL writes the code.
func (f AgriculturalField) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(f))) }

// UnmarshalGQL accepts any well-formed code (the hooks check the vocabulary).
func (f *AgriculturalField) UnmarshalGQL(v any) error {
	s, err := checkCode(v, "AgriculturalField")
	*f = AgriculturalField(s)
	return err
}

// PersonTag marks a person as belonging to one of the talent groups the
// programmes track (返乡人员, 致富带头人 …, and a county's own: 乡贤 …). A
// person may carry several. Like AgriculturalField, a vocabulary code.
type PersonTag string

// PersonTags lists the talent groups named in the programme documents.
var PersonTags = []Term{
	{"RETURNEE", "返乡人员", "Returnee (归雁)"},
	{"VETERAN", "退役军人", "Military veteran"},
	{"COLLEGE_GRADUATE", "大学生", "College graduate"},
	{"RICH_LEADER", "致富带头人", "Leader in getting rich"},
	{"LOCAL_EXPERT", "土专家", "Local expert (土专家)"},
	{"RURAL_CRAFTSMAN", "乡村工匠", "Rural craftsman"},
	{"NEW_FARMER", "新型职业农民", "New professional farmer"},
	{"RETIRED_CADRE", "离退休干部", "Retired cadre"},
	{"SELECTED_GRADUATE", "选调生", "Selected graduate (选调生)"},
	{"MIGRANT_WORKER", "外出务工人员", "Migrant worker"},
	{"BUSINESS_OWNER", "个体工商户", "Business owner"},
	{"COOPERATIVE_LEADER", "合作社负责人", "Cooperative leader"},
}

// MarshalGQL writes the code.
func (t PersonTag) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(t))) }

// UnmarshalGQL accepts any well-formed code (the hooks check the vocabulary).
func (t *PersonTag) UnmarshalGQL(v any) error {
	s, err := checkCode(v, "PersonTag")
	*t = PersonTag(s)
	return err
}

// CodePattern is the form of every code: national ones and those admins add.
var CodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,47}$`)

// IsDefault reports whether code is a national term of the vocabulary.
func IsDefault(k Kind, code string) bool { return lookup(k.Defaults(), code) != nil }

func lookup(terms []Term, code string) *Term {
	for i := range terms {
		if terms[i].Code == code {
			return &terms[i]
		}
	}
	return nil
}

func checkCode(v any, name string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", name)
	}
	if !CodePattern.MatchString(s) {
		return "", fmt.Errorf("%q is not a %s code (capital letters, digits and _)", s, name)
	}
	return s, nil
}
