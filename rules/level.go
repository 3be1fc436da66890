package rules

import (
	"fmt"
	"strings"
)

// Level is a region's level in the division hierarchy, in the words of the
// region table (PROVINCE … VILLAGE).
type Level string

const (
	Province Level = "PROVINCE"
	City     Level = "CITY"
	County   Level = "COUNTY"
	Township Level = "TOWNSHIP"
	Village  Level = "VILLAGE"
)

var levelWords = map[Level]string{Province: "省", City: "市", County: "县", Township: "乡", Village: "村"}

// Format writes VILLAGE (%s) or 村 (%l).
func (l Level) Format(f fmt.State, verb rune) {
	if verb == 'l' {
		fmt.Fprint(f, levelWords[l])
		return
	}
	fmt.Fprint(f, string(l))
}

// Levels is a choice of levels.
type Levels []Level

// Format writes [COUNTY TOWNSHIP VILLAGE] (%s) or 县/乡/村 (%l).
func (ls Levels) Format(f fmt.State, verb rune) {
	words := make([]string, len(ls))
	for i, l := range ls {
		if verb == 'l' {
			words[i] = levelWords[l]
		} else {
			words[i] = string(l)
		}
	}
	if verb == 'l' {
		fmt.Fprint(f, strings.Join(words, "/"))
		return
	}
	fmt.Fprint(f, "["+strings.Join(words, " ")+"]")
}

// A Site is where a kind of record sits in the division hierarchy: the
// levels of region it may name.
type Site struct {
	English, Chinese string
	Levels           Levels
	// Directory: records of this site may be placed anywhere by anyone who
	// writes them (institutions are a directory a county adds its
	// partners to, wherever they are); others sit in the writer's area.
	Directory bool
}

func (s Site) Format(f fmt.State, verb rune) {
	if verb == 'l' {
		fmt.Fprint(f, s.Chinese)
		return
	}
	fmt.Fprint(f, s.English)
}

// The sites of the graph. Village work (posts, adviser appointments and
// what they achieve) happens in a village; experts serve and demands arise
// in a county, township or village.
var (
	HomeVillage  = Site{English: "a home village", Chinese: "所在村", Levels: Levels{Village}}
	Institution  = Site{English: "an institution", Chinese: "机构所在地", Levels: Levels{Province, City, County, Township, Village}, Directory: true}
	Appointment  = Site{English: "an adviser appointment", Chinese: "顾问聘任的村", Levels: Levels{Village}}
	Assignment   = Site{English: "an expert assignment", Chinese: "科技特派员服务地区", Levels: Levels{County, Township, Village}}
	Demand       = Site{English: "a demand", Chinese: "需求所在地区", Levels: Levels{County, Township, Village}}
	Contribution = Site{English: "a contribution", Chinese: "成效所在村", Levels: Levels{Village}}
	// 星级评定 rates a village's party organization; 届中/离任审计 audit a
	// village's secretary in office.
	StarRating  = Site{English: "a star rating", Chinese: "星级评定的村", Levels: Levels{Village}}
	OfficeAudit = Site{English: "an office audit", Chinese: "审计的村", Levels: Levels{Village}}
)

// AssessmentSite is where an annual assessment is held: the village or
// township whose organization assessed the cadre.
var AssessmentSite = Site{English: "an assessment", Chinese: "考核所在村（乡镇）", Levels: Levels{Township, Village}}

// PostSite is where a post of role sits: a village; a 乡村CEO may also
// serve a township. roleName is the role as the caller shows it.
func PostSite(role, roleName string) Site {
	s := Site{English: "a " + role + " post", Chinese: roleName, Levels: Levels{Village}}
	if role == villageCEO {
		s.Levels = Levels{Village, Township}
	}
	return s
}

// A Region is the region a record names.
type Region struct {
	Name, Code string
	Level      Level
}

// Check: the region is at one of the site's levels.
func (s Site) Check(r Region, field string) *Violation {
	for _, l := range s.Levels {
		if r.Level == l {
			return nil
		}
	}
	return &Violation{Code: WrongLevel, Field: field, Args: []any{s, s.Levels, r.Name, r.Code, r.Level}}
}
