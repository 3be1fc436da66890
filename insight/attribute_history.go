package insight

import (
	"context"
	"time"

	"yanzhen/ent"
	"yanzhen/ent/personattribute"
	"yanzhen/rules"
	"yanzhen/vocab"
)

// attributeEntries are the timeline entries of a person's dated attributes
// (ent PersonAttribute): ATTRIBUTE_CHANGED on the day a period begins (and,
// for a tag, on the day it was lost), ATTRIBUTE_CORRECTED on the day a
// period was corrected. The periods are read by an ent query, which the
// privacy policy narrows in its SQL (scope.PersonAttributes: the periods of
// people the viewer sees).
func attributeEntries(ctx context.Context, c *ent.Client, personID int) ([]TimelineEntry, error) {
	periods, err := c.PersonAttribute.Query().
		Where(personattribute.PersonID(personID)).
		Order(personattribute.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	// before finds the value in force the day before a change: the period
	// of the same attribute (and tag) that ends on that day.
	before := func(h *ent.PersonAttribute, d time.Time) *ent.PersonAttribute {
		for _, q := range periods {
			if q.ID != h.ID && q.Attribute == h.Attribute && q.ValidUntil != nil && day(*q.ValidUntil).Equal(d) &&
				(h.Attribute != personattribute.AttributeTAG || q.Value == h.Value) {
				return q
			}
		}
		return nil
	}
	var out []TimelineEntry
	for _, h := range periods {
		label := attributeLabels[h.Attribute]
		if h.ValidFrom != nil {
			d := day(*h.ValidFrom)
			title := label + "："
			if h.Attribute == personattribute.AttributeTAG {
				title += "+" + tagLabel(h.Value)
			} else {
				old := ""
				if q := before(h, d); q != nil {
					old = q.Value
				}
				title += valueLabel(h.Attribute, old) + " → " + valueLabel(h.Attribute, h.Value)
				if h.PartyJoinDate != nil {
					title += "（入党 " + rules.Day(*h.PartyJoinDate) + "）"
				}
			}
			out = append(out, TimelineEntry{Kind: AttributeChangedEntry, ID: h.ID, StartDate: d, Title: title})
		}
		if h.Attribute == personattribute.AttributeTAG && h.ValidUntil != nil {
			d := day(*h.ValidUntil)
			if q := nextTag(periods, h, d); q == nil {
				out = append(out, TimelineEntry{Kind: AttributeChangedEntry, ID: h.ID, StartDate: d, Title: label + "：−" + tagLabel(h.Value)})
			}
		}
		if h.CorrectedAt != nil {
			out = append(out, TimelineEntry{Kind: AttributeCorrectedEntry, ID: h.ID, StartDate: rules.Today(*h.CorrectedAt),
				Title: label + "（更正）：" + valueLabel(h.Attribute, h.Value)})
		}
	}
	return out, nil
}

// nextTag is the period of the same tag that begins on the day h ends
// (then the tag was not lost), nil when none.
func nextTag(periods []*ent.PersonAttribute, h *ent.PersonAttribute, d time.Time) *ent.PersonAttribute {
	for _, q := range periods {
		if q.ID != h.ID && q.Attribute == h.Attribute && q.Value == h.Value && q.ValidFrom != nil && day(*q.ValidFrom).Equal(d) {
			return q
		}
	}
	return nil
}

var attributeLabels = map[personattribute.Attribute]string{
	personattribute.AttributeEDUCATION:          "学历",
	personattribute.AttributePOLITICAL_STATUS:   "政治面貌",
	personattribute.AttributePROFESSIONAL_TITLE: "职称",
	personattribute.AttributeTAG:                "标签",
}

var valueLabels = map[string]string{
	"JUNIOR_HIGH": "初中", "HIGH_SCHOOL": "高中", "SECONDARY_VOCATIONAL": "中专", "JUNIOR_COLLEGE": "大专",
	"BACHELOR": "本科", "MASTER": "硕士研究生", "DOCTORATE": "博士研究生",
	"CPC_MEMBER": "中共党员", "CPC_PROBATIONARY": "中共预备党员", "CYL_MEMBER": "共青团员",
	"MASSES": "群众", "DEMOCRATIC_PARTY": "民主党派",
}

// valueLabel is a value in words: the enum value's Chinese, a title as
// written, 无 for none.
func valueLabel(a personattribute.Attribute, v string) string {
	switch {
	case v == "":
		return "无"
	case a == personattribute.AttributeTAG:
		return tagLabel(v)
	case a == personattribute.AttributePROFESSIONAL_TITLE:
		return v
	}
	if l, ok := valueLabels[v]; ok {
		return l
	}
	return v
}

var nationalTags = vocab.Defaults().Set(vocab.KindPersonTag)

// tagLabel is a tag's national label, or its code for a term an area added.
func tagLabel(code string) string { return nationalTags.Label(code) }
