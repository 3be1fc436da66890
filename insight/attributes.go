package insight

import (
	"fmt"
	"time"

	"yanzhen/rules"
)

// Dated attributes (ent PersonAttribute). A person's columns hold today's
// education, political status, title and tags; person_attributes holds
// periods only for people whose attribute changed. A figure of a past day
// reads the period covering that day when the person has periods of the
// attribute, and the column otherwise. A figure of today reads the columns
// (the change mutations keep them equal to the period in force today), so
// today's figures, kept or live, cost nothing more.

// attributes renders the value of people's attributes in SQL, for the
// person row alias x on the day given by the SQL parameter day.
type attributes struct {
	x, day string
	// past: the day is before today, so the periods are read.
	past bool
}

// attributesOn is attributes for the person alias x on the day asOf, bound
// as the SQL parameter day.
func attributesOn(x, day string, asOf time.Time) attributes {
	return attributes{x: x, day: day, past: asOf.Before(rules.Today(time.Now()))}
}

// covering is the condition that period h covers the day.
func (a attributes) covering() string {
	return fmt.Sprintf("(h.valid_from IS NULL OR h.valid_from <= %[1]s) AND (h.valid_until IS NULL OR h.valid_until > %[1]s)", a.day)
}

// value is the SQL of a single-valued attribute (EDUCATION,
// POLITICAL_STATUS, PROFESSIONAL_TITLE) held in column.
func (a attributes) value(attribute, column string) string {
	col := a.x + "." + column
	if !a.past {
		return col
	}
	return fmt.Sprintf(`CASE WHEN EXISTS (SELECT 1 FROM person_attributes h WHERE h.person_id = %[1]s.id AND h.attribute = '%[2]s')
		THEN (SELECT NULLIF(h.value, '') FROM person_attributes h WHERE h.person_id = %[1]s.id AND h.attribute = '%[2]s' AND %[3]s
			ORDER BY h.valid_from DESC LIMIT 1)
		ELSE %[4]s END`, a.x, attribute, a.covering(), col)
}

// Education is the SQL of the education on the day.
func (a attributes) education() string { return a.value("EDUCATION", "education") }

// political is the SQL of the political status on the day.
func (a attributes) political() string { return a.value("POLITICAL_STATUS", "political_status") }

// hasTag is the SQL condition that the person carried tag on the day. The
// tag is a vocabulary code (letters, digits and underscores), never input.
func (a attributes) hasTag(tag string) string {
	now := fmt.Sprintf(`CAST(%s.tags AS TEXT) LIKE '%%"%s"%%'`, a.x, tag)
	if !a.past {
		return now
	}
	return fmt.Sprintf(`CASE WHEN EXISTS (SELECT 1 FROM person_attributes h WHERE h.person_id = %[1]s.id AND h.attribute = 'TAG' AND h.value = '%[2]s')
		THEN EXISTS (SELECT 1 FROM person_attributes h WHERE h.person_id = %[1]s.id AND h.attribute = 'TAG' AND h.value = '%[2]s' AND %[3]s)
		ELSE %[4]s END`, a.x, tag, a.covering(), now)
}

// collegeEducations are the educations counted as 大专及以上.
const collegeEducations = "'JUNIOR_COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE'"

// partyStatuses are the political statuses counted as party members.
const partyStatuses = "'CPC_MEMBER', 'CPC_PROBATIONARY'"
