// Package attrhistory writes the dated attributes of a person (ent
// PersonAttribute): a change from a date on (学历提升, 入党, a new title, a
// tag gained or lost) and a correction of one period's value (a typo).
//
// A person's columns hold today's education, political status, title and
// tags; person_attributes holds periods only for the attributes that
// changed. A change splits the period covering its date (the first change
// writes the period of the old value, open at the start, and the new one);
// a change dated before a later change keeps the later one. A correction
// rewrites a period in place and marks it corrected. After either, the
// person's column is the value of the period in force today. Past figures
// (insight's attributesOn) read the periods, so a change leaves them as
// they were and a correction of an old period moves them.
//
// Everything runs as the viewer: the privacy policies of Person and
// PersonAttribute decide (admins who see the person).
package attrhistory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/person"
	"yanzhen/ent/personattribute"
	"yanzhen/errcode"
	"yanzhen/rules"
	"yanzhen/vocab"
	"yanzhen/vocab/vocabdb"
)

// Change is a change of an attribute from a date on.
type Change struct {
	PersonID  int
	Attribute personattribute.Attribute
	// Value is the new value ("" or nil: none); ignored for TAG.
	Value *string
	// Tag and Add: for TAG, the tag gained (Add true or nil) or lost.
	Tag *string
	Add *bool
	// From is the day the change took effect.
	From time.Time
	// PartyJoinDate is the 入党日期 of a change to party membership
	// (default From).
	PartyJoinDate *time.Time
	Note          *string
}

type ctxKey struct{}

// Writing marks a context in which this package writes the person's
// columns itself, so that the person hook does not take the write for a
// correction of today's value.
func Writing(ctx context.Context) context.Context { return context.WithValue(ctx, ctxKey{}, true) }

// IsWriting reports whether ctx is marked by Writing.
func IsWriting(ctx context.Context) bool { v, _ := ctx.Value(ctxKey{}).(bool); return v }

// mayWrite answers UNAUTHENTICATED or FORBIDDEN first for the roles that
// may never write a person's file (the policies decide the rest).
func mayWrite(ctx context.Context) error {
	v := auth.FromContext(ctx)
	if v.System() || v.Is(auth.RoleAdmin) {
		return nil
	}
	return auth.Deny(v)
}

// ChangeAttribute records a change and returns the person as it stands.
func ChangeAttribute(ctx context.Context, c *ent.Client, in Change) (*ent.Person, error) {
	if err := mayWrite(ctx); err != nil {
		return nil, err
	}
	if err := personattribute.AttributeValidator(in.Attribute); err != nil {
		return nil, errcode.BadInput("attribute", "unknown attribute / 未知的属性")
	}
	from := day(in.From)
	if err := refuse(rules.CheckRecordDate("from", from, time.Now())); err != nil {
		return nil, err
	}
	if err := checkNote(in.Note); err != nil {
		return nil, err
	}
	var out *ent.Person
	err := inTx(ctx, c, func(c *ent.Client) error {
		p, err := c.Person.Get(ctx, in.PersonID)
		if ent.IsNotFound(err) {
			return errcode.Missing("personID", "no such person / 未找到该人员")
		}
		if err != nil {
			return err
		}
		if in.Attribute == personattribute.AttributeTAG {
			err = changeTag(ctx, c, p, in, from)
		} else {
			err = changeValue(ctx, c, p, in, from)
		}
		if err != nil {
			return err
		}
		out, err = c.Person.Get(ctx, p.ID)
		return err
	})
	return out, err
}

func changeValue(ctx context.Context, c *ent.Client, p *ent.Person, in Change, from time.Time) error {
	value := ""
	if in.Value != nil {
		value = *in.Value
	}
	if err := checkValue(ctx, c, in.Attribute, value, "value"); err != nil {
		return err
	}
	var join *time.Time
	if party(in.Attribute, value) {
		j := from
		if in.PartyJoinDate != nil {
			j = day(*in.PartyJoinDate)
		}
		if err := refuse(rules.CheckRecordDate("partyJoinDate", j, time.Now())); err != nil {
			return err
		}
		join = &j
	} else if in.PartyJoinDate != nil {
		return errcode.BadInput("partyJoinDate", "a party join date goes with a change to party membership / 入党日期仅用于转为党员的变更")
	}
	periods, err := periodsOf(ctx, c, p.ID, in.Attribute, "")
	if err != nil {
		return err
	}
	if len(periods) == 0 {
		old := columnValue(p, in.Attribute)
		if old == value {
			return unchanged()
		}
		if err := c.PersonAttribute.Create().SetPersonID(p.ID).SetAttribute(in.Attribute).
			SetValue(old).SetValidUntil(from).SetNillablePartyJoinDate(oldJoin(p, in.Attribute, old)).
			Exec(ctx); err != nil {
			return err
		}
		if err := c.PersonAttribute.Create().SetPersonID(p.ID).SetAttribute(in.Attribute).
			SetValue(value).SetValidFrom(from).SetNillablePartyJoinDate(join).SetNillableNote(in.Note).
			Exec(ctx); err != nil {
			return err
		}
	} else {
		cur := covering(periods, from)
		if cur == nil {
			return errcode.BadInput("from", "no period of the attribute covers the date / 该日期不在任何时段内")
		}
		if cur.Value == value {
			return unchanged()
		}
		if cur.ValidFrom != nil && sameDay(*cur.ValidFrom, from) {
			// A second change on the same day: the period from that day
			// takes the new value.
			upd := c.PersonAttribute.UpdateOne(cur).SetValue(value).SetNillableNote(in.Note)
			if join != nil {
				upd.SetPartyJoinDate(*join)
			} else {
				upd.ClearPartyJoinDate()
			}
			if err := upd.Exec(ctx); err != nil {
				return err
			}
		} else {
			if err := c.PersonAttribute.UpdateOne(cur).SetValidUntil(from).Exec(ctx); err != nil {
				return err
			}
			if err := c.PersonAttribute.Create().SetPersonID(p.ID).SetAttribute(in.Attribute).
				SetValue(value).SetValidFrom(from).SetNillableValidUntil(cur.ValidUntil).
				SetNillablePartyJoinDate(join).SetNillableNote(in.Note).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return sync(ctx, c, p.ID, in.Attribute, nil, join)
}

func changeTag(ctx context.Context, c *ent.Client, p *ent.Person, in Change, from time.Time) error {
	if in.Tag == nil || *in.Tag == "" {
		return errcode.BadInput("tag", "the tag is missing / 未指定标签")
	}
	tag := *in.Tag
	if err := checkValue(ctx, c, personattribute.AttributeTAG, tag, "tag"); err != nil {
		return err
	}
	if in.PartyJoinDate != nil {
		return errcode.BadInput("partyJoinDate", "a party join date goes with a change to party membership / 入党日期仅用于转为党员的变更")
	}
	add := in.Add == nil || *in.Add
	periods, err := periodsOf(ctx, c, p.ID, personattribute.AttributeTAG, tag)
	if err != nil {
		return err
	}
	cur := covering(periods, from)
	switch {
	case len(periods) == 0 && add:
		// Not carried before the date (the column may already say it is).
		err = c.PersonAttribute.Create().SetPersonID(p.ID).SetAttribute(personattribute.AttributeTAG).
			SetValue(tag).SetValidFrom(from).SetNillableNote(in.Note).Exec(ctx)
	case len(periods) == 0:
		err = c.PersonAttribute.Create().SetPersonID(p.ID).SetAttribute(personattribute.AttributeTAG).
			SetValue(tag).SetValidUntil(from).SetNillableNote(in.Note).Exec(ctx)
	case add && cur != nil, !add && cur == nil:
		return unchanged()
	case add:
		// Carried from the date until the next period of the tag begins.
		var until *time.Time
		for _, q := range periods {
			if q.ValidFrom != nil && q.ValidFrom.After(from) && (until == nil || q.ValidFrom.Before(*until)) {
				until = q.ValidFrom
			}
		}
		err = c.PersonAttribute.Create().SetPersonID(p.ID).SetAttribute(personattribute.AttributeTAG).
			SetValue(tag).SetValidFrom(from).SetNillableValidUntil(until).SetNillableNote(in.Note).Exec(ctx)
	case cur.ValidFrom != nil && sameDay(*cur.ValidFrom, from):
		// Lost on the day it was gained: the period never was.
		if err = c.PersonAttribute.DeleteOne(cur).Exec(ctx); err == nil && len(periods) == 1 {
			// No period left: the column alone says the tag is not carried.
			return dropFromColumn(ctx, c, p.ID, tag)
		}
	default:
		err = c.PersonAttribute.UpdateOne(cur).SetValidUntil(from).SetNillableNote(in.Note).Exec(ctx)
	}
	if err != nil {
		return err
	}
	return sync(ctx, c, p.ID, personattribute.AttributeTAG, []string{tag}, nil)
}

// CorrectAttribute rewrites one period's value in place and marks it
// corrected; the person's column follows when the period covers today.
func CorrectAttribute(ctx context.Context, c *ent.Client, id int, value string, note *string) (*ent.PersonAttribute, error) {
	if err := mayWrite(ctx); err != nil {
		return nil, err
	}
	if err := checkNote(note); err != nil {
		return nil, err
	}
	var out *ent.PersonAttribute
	err := inTx(ctx, c, func(c *ent.Client) error {
		a, err := c.PersonAttribute.Get(ctx, id)
		if ent.IsNotFound(err) {
			return errcode.Missing("id", "no such period / 未找到该时段")
		}
		if err != nil {
			return err
		}
		if a.Attribute == personattribute.AttributeTAG && value == "" {
			return errcode.BadInput("value", "the tag is missing / 未指定标签")
		}
		if err := checkValue(ctx, c, a.Attribute, value, "value"); err != nil {
			return err
		}
		if value == a.Value {
			out = a
			return nil
		}
		upd := c.PersonAttribute.UpdateOne(a).SetValue(value).SetCorrectedAt(time.Now()).SetNillableNote(note)
		if a.Attribute == personattribute.AttributePOLITICAL_STATUS && !party(a.Attribute, value) {
			upd.ClearPartyJoinDate()
		}
		if err := upd.Exec(ctx); err != nil {
			return err
		}
		if err := sync(ctx, c, a.PersonID, a.Attribute, []string{a.Value, value}, nil); err != nil {
			return err
		}
		out, err = c.PersonAttribute.Get(ctx, id)
		return err
	})
	return out, err
}

// CorrectToday is what a plain update of the person's column means for the
// periods: a correction of today's value. The period in force today (when
// the person has periods of the attribute) takes the value and is marked
// corrected. For tags, old and new are the lists before and after: a tag
// dropped loses the period covering today (it never was), a tag added gets
// its last period reopened.
func CorrectToday(ctx context.Context, c *ent.Client, personID int, attribute personattribute.Attribute, value string, oldTags, newTags []string) error {
	today := rules.Today(time.Now())
	if attribute != personattribute.AttributeTAG {
		periods, err := periodsOf(ctx, c, personID, attribute, "")
		if err != nil || len(periods) == 0 {
			return err
		}
		cur := covering(periods, today)
		if cur == nil || cur.Value == value {
			return nil
		}
		upd := c.PersonAttribute.UpdateOne(cur).SetValue(value).SetCorrectedAt(time.Now())
		if attribute == personattribute.AttributePOLITICAL_STATUS && !party(attribute, value) {
			upd.ClearPartyJoinDate()
		}
		return upd.Exec(ctx)
	}
	for _, tag := range oldTags {
		if slices.Contains(newTags, tag) {
			continue
		}
		periods, err := periodsOf(ctx, c, personID, attribute, tag)
		if err != nil {
			return err
		}
		if cur := covering(periods, today); cur != nil {
			if err := c.PersonAttribute.DeleteOne(cur).Exec(ctx); err != nil {
				return err
			}
		}
	}
	for _, tag := range newTags {
		if slices.Contains(oldTags, tag) {
			continue
		}
		periods, err := periodsOf(ctx, c, personID, attribute, tag)
		if err != nil {
			return err
		}
		if len(periods) == 0 || covering(periods, today) != nil {
			continue
		}
		var last *ent.PersonAttribute
		for _, q := range periods {
			if q.ValidUntil != nil && (last == nil || q.ValidUntil.After(*last.ValidUntil)) {
				last = q
			}
		}
		if last != nil {
			if err := c.PersonAttribute.UpdateOne(last).ClearValidUntil().SetCorrectedAt(time.Now()).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// sync sets the person's column to the value in force today by the
// periods (for TAG: whether each of tags is carried). join is the party
// join date of a change to party membership, written on the person when
// theirs is empty.
func sync(ctx context.Context, c *ent.Client, personID int, attribute personattribute.Attribute, tags []string, join *time.Time) error {
	p, err := c.Person.Get(ctx, personID)
	if err != nil {
		return err
	}
	today := rules.Today(time.Now())
	upd := c.Person.UpdateOne(p)
	changed := false
	if attribute == personattribute.AttributeTAG {
		list := slices.Clone(p.Tags)
		for _, tag := range tags {
			periods, err := periodsOf(ctx, c, personID, attribute, tag)
			if err != nil {
				return err
			}
			if len(periods) == 0 {
				continue
			}
			carried := covering(periods, today) != nil
			at := slices.Index(list, vocab.PersonTag(tag))
			switch {
			case carried && at < 0:
				list = append(list, vocab.PersonTag(tag))
			case !carried && at >= 0:
				list = slices.Delete(list, at, at+1)
			}
		}
		if !slices.Equal(list, p.Tags) {
			upd.SetTags(list)
			changed = true
		}
	} else {
		periods, err := periodsOf(ctx, c, personID, attribute, "")
		if err != nil {
			return err
		}
		cur := covering(periods, today)
		if cur != nil && cur.Value != columnValue(p, attribute) {
			changed = true
			v := cur.Value
			switch attribute {
			case personattribute.AttributeEDUCATION:
				if v == "" {
					upd.ClearEducation()
				} else {
					upd.SetEducation(person.Education(v))
				}
			case personattribute.AttributePOLITICAL_STATUS:
				if v == "" {
					upd.ClearPoliticalStatus()
				} else {
					upd.SetPoliticalStatus(person.PoliticalStatus(v))
				}
			case personattribute.AttributePROFESSIONAL_TITLE:
				upd.SetProfessionalTitle(v)
			}
		}
	}
	if join != nil && p.PartyJoinDate == nil {
		upd.SetPartyJoinDate(*join)
		changed = true
	}
	if !changed {
		return nil
	}
	return upd.Exec(Writing(ctx))
}

// dropFromColumn removes a tag from the person's list.
func dropFromColumn(ctx context.Context, c *ent.Client, personID int, tag string) error {
	p, err := c.Person.Get(ctx, personID)
	if err != nil {
		return err
	}
	at := slices.Index(p.Tags, vocab.PersonTag(tag))
	if at < 0 {
		return nil
	}
	return c.Person.UpdateOne(p).SetTags(slices.Delete(slices.Clone(p.Tags), at, at+1)).Exec(Writing(ctx))
}

// periodsOf loads the person's periods of an attribute (of one tag for
// TAG), as the viewer.
func periodsOf(ctx context.Context, c *ent.Client, personID int, attribute personattribute.Attribute, tag string) ([]*ent.PersonAttribute, error) {
	q := c.PersonAttribute.Query().Where(personattribute.PersonID(personID), personattribute.AttributeEQ(attribute))
	if attribute == personattribute.AttributeTAG {
		q.Where(personattribute.Value(tag))
	}
	return q.Order(personattribute.ByID()).All(ctx)
}

// covering is the period covering the day (the latest starting one, should
// periods overlap), nil when none.
func covering(periods []*ent.PersonAttribute, d time.Time) *ent.PersonAttribute {
	var best *ent.PersonAttribute
	for _, q := range periods {
		if q.ValidFrom != nil && day(*q.ValidFrom).After(d) {
			continue
		}
		if q.ValidUntil != nil && !day(*q.ValidUntil).After(d) {
			continue
		}
		if best == nil || (q.ValidFrom != nil && (best.ValidFrom == nil || q.ValidFrom.After(*best.ValidFrom))) {
			best = q
		}
	}
	return best
}

// columnValue is the person's column of a single-valued attribute, "" for
// none.
func columnValue(p *ent.Person, attribute personattribute.Attribute) string {
	switch attribute {
	case personattribute.AttributeEDUCATION:
		if p.Education != nil {
			return string(*p.Education)
		}
	case personattribute.AttributePOLITICAL_STATUS:
		if p.PoliticalStatus != nil {
			return string(*p.PoliticalStatus)
		}
	case personattribute.AttributePROFESSIONAL_TITLE:
		return p.ProfessionalTitle
	}
	return ""
}

// oldJoin is the party join date of the period of the old value: the
// person's, when the old value is party membership.
func oldJoin(p *ent.Person, attribute personattribute.Attribute, old string) *time.Time {
	if party(attribute, old) {
		return p.PartyJoinDate
	}
	return nil
}

func party(attribute personattribute.Attribute, value string) bool {
	return attribute == personattribute.AttributePOLITICAL_STATUS &&
		(value == string(person.PoliticalStatusCPC_MEMBER) || value == string(person.PoliticalStatusCPC_PROBATIONARY))
}

// checkValue checks a value in the words of the person's field.
func checkValue(ctx context.Context, c *ent.Client, attribute personattribute.Attribute, value, field string) error {
	switch attribute {
	case personattribute.AttributeEDUCATION:
		if value != "" && person.EducationValidator(person.Education(value)) != nil {
			return errcode.BadInput(field, "%q is not an education (JUNIOR_HIGH … DOCTORATE) / 不是学历代码", value)
		}
	case personattribute.AttributePOLITICAL_STATUS:
		if value != "" && person.PoliticalStatusValidator(person.PoliticalStatus(value)) != nil {
			return errcode.BadInput(field, "%q is not a political status / 不是政治面貌代码", value)
		}
	case personattribute.AttributePROFESSIONAL_TITLE:
		if len(value) > 64 {
			return errcode.BadInput(field, "the title is longer than 64 bytes / 职称过长")
		}
	case personattribute.AttributeTAG:
		return vocabdb.Unknown(ctx, c, vocab.KindPersonTag, field, []string{value})
	}
	return nil
}

func checkNote(note *string) error {
	if note != nil && len(*note) > 256 {
		return errcode.BadInput("note", "the note is longer than 256 bytes / 备注过长")
	}
	return nil
}

func unchanged() error {
	return errcode.BadInput("value", "the value on that date is already this one / 该日期的值已是此值")
}

// refuse turns a broken rule into the API's error.
func refuse(v *rules.Violation) error {
	if v == nil {
		return nil
	}
	return &errcode.Error{Code: errcode.BadUserInput, Field: v.Field, Reason: string(v.Code), Text: v.Text()}
}

// inTx runs f in a transaction: the caller's when c is already a
// transaction's client (a GraphQL mutation), else one of its own.
func inTx(ctx context.Context, c *ent.Client, f func(*ent.Client) error) error {
	tx, err := c.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return f(c)
	}
	if err != nil {
		return err
	}
	if err := f(tx.Client()); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	return tx.Commit()
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func sameDay(a, b time.Time) bool { return day(a).Equal(day(b)) }
