package rules

import "testing"

func TestSites(t *testing.T) {
	village := Region{"三道河村", "150221105220", Village}
	township := Region{"萨拉齐镇", "150221105", Township}
	county := Region{"土默特右旗", "150221", County}
	city := Region{"包头市", "1502", City}
	cases := []struct {
		site Site
		ok   []Region
		bad  []Region
	}{
		{PostSite("PARTY_SECRETARY", "党组织书记"), []Region{village}, []Region{township, county}},
		{PostSite("VILLAGE_CEO", "乡村CEO"), []Region{village, township}, []Region{county}},
		{HomeVillage, []Region{village}, []Region{township}},
		{Appointment, []Region{village}, []Region{county}},
		{Contribution, []Region{village}, []Region{township}},
		{Assignment, []Region{village, township, county}, []Region{city}},
		{Demand, []Region{village, township, county}, []Region{city}},
		{Institution, []Region{village, township, county, city}, nil},
	}
	for _, c := range cases {
		for _, r := range c.ok {
			if v := c.site.Check(r, "regionID"); v != nil {
				t.Errorf("%s at %s: %s", c.site.English, r.Level, v)
			}
		}
		for _, r := range c.bad {
			if v := c.site.Check(r, "regionID"); v == nil || v.Code != WrongLevel || v.Field != "regionID" || v.Conflict() {
				t.Errorf("%s at %s: %+v", c.site.English, r.Level, v)
			}
		}
	}
}

func TestWrongLevelText(t *testing.T) {
	v := PostSite("PARTY_SECRETARY", "党组织书记").Check(Region{"萨拉齐镇", "150221105", Township}, "regionID")
	if en := v.Text().En; en != "a PARTY_SECRETARY post must be at [VILLAGE] level; 萨拉齐镇 (150221105) is a TOWNSHIP" {
		t.Error(en)
	}
	if zh := v.Text().Zh; zh != "党组织书记须为村级区划，萨拉齐镇是乡级" {
		t.Error(zh)
	}
	v = Assignment.Check(Region{"包头市", "1502", City}, "regionID")
	if en := v.Text().En; en != "an expert assignment must be at [COUNTY TOWNSHIP VILLAGE] level; 包头市 (1502) is a CITY" {
		t.Error(en)
	}
	if zh := v.Text().Zh; zh != "科技特派员服务地区须为县/乡/村级区划，包头市是市级" {
		t.Error(zh)
	}
	if s := v.Error(); s != v.Text().En+" / "+v.Text().Zh {
		t.Error(s)
	}
}
