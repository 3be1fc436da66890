// Package vocab holds the controlled vocabularies that several entities share
// (agricultural fields, person tags) together with their Chinese labels, so the
// GraphQL enums, the database values and the spreadsheet words stay in step.
package vocab

import (
	"fmt"
	"io"
	"strconv"
)

// Term is one value of a vocabulary: the stable code stored in the database and
// used as the GraphQL enum value, with its Chinese and English labels.
type Term struct {
	Code    string
	Chinese string
	English string
}

// AgriculturalField is a field of agricultural expertise (专业领域). Demands,
// expert assignments and people's expertise all use the same list so that
// 需求清单 and 供给清单 can be matched word for word.
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

// Values lets ent store the field as an enum column.
func (AgriculturalField) Values() []string { return codes(AgriculturalFields) }

// MarshalGQL writes the enum value.
func (f AgriculturalField) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(f))) }

// UnmarshalGQL accepts only known codes.
func (f *AgriculturalField) UnmarshalGQL(v any) error {
	s, err := checkCode(v, AgriculturalFields, "AgriculturalField")
	*f = AgriculturalField(s)
	return err
}

// PersonTag marks a person as belonging to one of the talent groups the
// programmes track (返乡人员, 致富带头人 …). A person may carry several.
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

// Values lets ent validate the tag.
func (PersonTag) Values() []string { return codes(PersonTags) }

// MarshalGQL writes the enum value.
func (t PersonTag) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(t))) }

// UnmarshalGQL accepts only known codes.
func (t *PersonTag) UnmarshalGQL(v any) error {
	s, err := checkCode(v, PersonTags, "PersonTag")
	*t = PersonTag(s)
	return err
}

// Valid reports whether the tag is one of PersonTags.
func (t PersonTag) Valid() bool { return lookup(PersonTags, string(t)) != nil }

// Valid reports whether the field is one of AgriculturalFields.
func (f AgriculturalField) Valid() bool { return lookup(AgriculturalFields, string(f)) != nil }

func lookup(terms []Term, code string) *Term {
	for i := range terms {
		if terms[i].Code == code {
			return &terms[i]
		}
	}
	return nil
}

func codes(terms []Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Code
	}
	return out
}

func checkCode(v any, terms []Term, name string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", name)
	}
	if lookup(terms, s) == nil {
		return "", fmt.Errorf("%q is not a valid %s", s, name)
	}
	return s, nil
}
