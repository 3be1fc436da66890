package changes

import (
	"context"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/feedentry"
	"yanzhen/ent/predicate"
	"yanzhen/regioncode"
)

// Kind is what a change means to the viewer.
type Kind string

const (
	Created Kind = "CREATED"
	Updated Kind = "UPDATED"
	// Deleted: the object was deleted (its tombstone).
	Deleted Kind = "DELETED"
	// Removed: the object was created or changed where the viewer looks,
	// and the viewer can no longer load it — deleted since, or moved out of
	// the viewer's scope. Either way the client drops its copy.
	Removed Kind = "REMOVED"
)

// Item is one change a viewer may learn of: the latest of the page for its
// object.
type Item struct {
	Position int
	At       time.Time
	Kind     Kind
	Type     string
	ID       int
}

// Page is what Read found after a cursor.
type Page struct {
	Items []Item
	// Cursor is the position to resume from: the last row examined, which
	// may be past the last item (rows the viewer may not learn of).
	Cursor  int
	HasMore bool
}

// Above are the types a viewer also sees from below: the terms, training
// classes and 片区 of the county or township above (scope.Terms …).
var above = []string{"Term", "TrainingClass", "ResidentArea"}

// Seen reports whether v may read the feed at all: the system, regional
// viewers and partners.
func Seen(v *auth.Viewer) bool {
	return v.System() || v.Regional() || v.Is(auth.RolePartner) && v.InstitutionID != 0
}

// Read returns the changes after position since that v may learn of, from
// at most first rows of the feed: changes recorded in v's subtree (and, for
// the types seen from below, at its ancestors), or of the experts of a
// partner's institution; all for the system and national admins. An
// object changed several times within the page is reported once, at its
// last feedentry. Whether a created or updated object is still there for v
// is decided by loading it through privacy with ctx (Removed if not).
func Read(ctx context.Context, c *gen.Client, v *auth.Viewer, since, first int) (Page, error) {
	page := Page{Cursor: since}
	if !Seen(v) {
		return page, nil
	}
	q := c.FeedEntry.Query().Where(feedentry.IDGT(since)).Order(feedentry.ByID()).Limit(first + 1)
	switch {
	case v.System() || v.Regional() && v.Scope == "" && v.Is(auth.RoleAdmin):
	case v.Regional():
		lo, hi := regioncode.Range(v.Scope)
		where := []predicate.FeedEntry{feedentry.And(feedentry.RegionCodeGTE(lo), feedentry.RegionCodeLT(hi))}
		if up := regioncode.Ancestors(v.Scope); len(up) > 0 {
			where = append(where, feedentry.And(feedentry.EntityTypeIn(above...), feedentry.RegionCodeIn(up...)))
		}
		q.Where(feedentry.Or(where...))
	default:
		q.Where(feedentry.InstitutionID(v.InstitutionID))
	}
	rows, err := q.All(internal(ctx))
	if err != nil {
		return page, err
	}
	if len(rows) > first {
		rows, page.HasMore = rows[:first], true
	}
	if len(rows) == 0 {
		return page, nil
	}
	page.Cursor = rows[len(rows)-1].ID
	type key struct {
		typ string
		id  int
	}
	last := map[key]int{}
	for i, r := range rows {
		last[key{r.EntityType, r.ObjectID}] = i
	}
	live := map[string][]int{}
	for i, r := range rows {
		if last[key{r.EntityType, r.ObjectID}] == i && r.Op != feedentry.OpDELETE {
			live[r.EntityType] = append(live[r.EntityType], r.ObjectID)
		}
	}
	visible := map[key]bool{}
	for typ, ids := range live {
		load, ok := loaders[typ]
		if !ok {
			continue
		}
		seen, err := load(ctx, c, ids)
		if err != nil {
			return page, err
		}
		for _, id := range seen {
			visible[key{typ, id}] = true
		}
	}
	for i, r := range rows {
		k := key{r.EntityType, r.ObjectID}
		if last[k] != i {
			continue
		}
		it := Item{Position: r.ID, At: r.At, Type: r.EntityType, ID: r.ObjectID}
		switch {
		case r.Op == feedentry.OpDELETE:
			it.Kind = Deleted
		case !visible[k]:
			it.Kind = Removed
		case r.Op == feedentry.OpCREATE:
			it.Kind = Created
		default:
			it.Kind = Updated
		}
		page.Items = append(page.Items, it)
	}
	return page, nil
}

// Head is the position of the newest change: a client that is about to
// load its copy takes it first, then syncs from it.
func Head(ctx context.Context, c *gen.Client) (int, error) {
	ids, err := c.FeedEntry.Query().Order(feedentry.ByID(entsql.OrderDesc())).Limit(1).IDs(internal(ctx))
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// loaders return which of ids of a type the viewer of ctx may load (the
// privacy policies decide, as for any query).
var loaders = map[string]func(ctx context.Context, c *gen.Client, ids []int) ([]int, error){
	"Person": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Person](ctx, c.Person.Query(), ids)
	},
	"Institution": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Institution](ctx, c.Institution.Query(), ids)
	},
	"Post": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Post](ctx, c.Post.Query(), ids)
	},
	"Mentorship": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Mentorship](ctx, c.Mentorship.Query(), ids)
	},
	"AdviserAppointment": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.AdviserAppointment](ctx, c.AdviserAppointment.Query(), ids)
	},
	"ContactLog": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ContactLog](ctx, c.ContactLog.Query(), ids)
	},
	"Contribution": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Contribution](ctx, c.Contribution.Query(), ids)
	},
	"Assessment": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Assessment](ctx, c.Assessment.Query(), ids)
	},
	"DutyItem": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.DutyItem](ctx, c.DutyItem.Query(), ids)
	},
	"ExpertAssignment": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ExpertAssignment](ctx, c.ExpertAssignment.Query(), ids)
	},
	"ServiceRecord": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ServiceRecord](ctx, c.ServiceRecord.Query(), ids)
	},
	"Demand": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Demand](ctx, c.Demand.Query(), ids)
	},
	"Reward": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Reward](ctx, c.Reward.Query(), ids)
	},
	"StarRating": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.StarRating](ctx, c.StarRating.Query(), ids)
	},
	"OfficeAudit": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.OfficeAudit](ctx, c.OfficeAudit.Query(), ids)
	},
	"Term": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Term](ctx, c.Term.Query(), ids)
	},
	"TrainingClass": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.TrainingClass](ctx, c.TrainingClass.Query(), ids)
	},
	"TrainingEnrolment": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.TrainingEnrolment](ctx, c.TrainingEnrolment.Query(), ids)
	},
	"PersonAttribute": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.PersonAttribute](ctx, c.PersonAttribute.Query(), ids)
	},
	"Candidacy": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.Candidacy](ctx, c.Candidacy.Query(), ids)
	},
	"CandidacyStep": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.CandidacyStep](ctx, c.CandidacyStep.Query(), ids)
	},
	"ResidentTeam": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ResidentTeam](ctx, c.ResidentTeam.Query(), ids)
	},
	"ResidentArea": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ResidentArea](ctx, c.ResidentArea.Query(), ids)
	},
	"ResidentAssessment": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ResidentAssessment](ctx, c.ResidentAssessment.Query(), ids)
	},
	"ExpertAgreement": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.ExpertAgreement](ctx, c.ExpertAgreement.Query(), ids)
	},
	"SubsidyPayment": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.SubsidyPayment](ctx, c.SubsidyPayment.Query(), ids)
	},
	"DoctorFarm": func(ctx context.Context, c *gen.Client, ids []int) ([]int, error) {
		return idsIn[predicate.DoctorFarm](ctx, c.DoctorFarm.Query(), ids)
	},
}

func idsIn[P ~func(*entsql.Selector), Q interface {
	Where(...P) Q
	Clone() Q
	IDs(context.Context) ([]int, error)
}](ctx context.Context, q Q, ids []int) ([]int, error) {
	var out []int
	for chunk := range slices.Chunk(ids, 1000) {
		got, err := q.Clone().Where(P(entsql.FieldIn("id", chunk...))).IDs(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
