package graph

// The answers of the insight resolvers (insight.resolvers.go, which gqlgen
// rewrites and keeps only resolvers in): package insight's results turned
// into the GraphQL models, their references registered with one loader per
// answer (graph/load).

import (
	"fmt"
	"strconv"

	"entgo.io/contrib/entgql"

	"yanzhen/ent"
	"yanzhen/errcode"
	"yanzhen/graph/load"
	"yanzhen/graph/model"
	"yanzhen/insight"
)

// insightPage reads a `first` argument of a list that is not a connection:
// default def, at most maxPageSize.
func insightPage(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > maxPageSize {
		return 0, errcode.BadInput("first", "first must be between 0 and %d, got %d / 每次最多 %d 条", maxPageSize, *first, maxPageSize)
	}
	return *first, nil
}

// orDefault is *p, or def when the argument was not given.
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// alertCursor reads the `after` cursor of alerts: the node ID and
// "kind|code", the position in the listing order.
func alertCursor(after *entgql.Cursor[int]) (*insight.AlertCursor, error) {
	if after == nil {
		return nil, nil
	}
	pos, ok := after.Value.(string)
	var c insight.AlertCursor
	if _, err := fmt.Sscanf(pos, "%d|%s", &c.Kind, &c.Code); !ok || err != nil {
		return nil, errcode.BadInput("after", "the cursor is not an alerts cursor / 分页游标无效")
	}
	c.NodeID = after.ID
	return &c, nil
}

// hoursCursor reads the `after` cursor of trainingHours: the person's ID
// and their hours, the position in the fewest-first order.
func hoursCursor(after *entgql.Cursor[int]) (*insight.HoursCursor, error) {
	if after == nil {
		return nil, nil
	}
	pos, ok := after.Value.(string)
	if !ok {
		return nil, errcode.BadInput("after", "the cursor is not a training hours cursor / 分页游标无效")
	}
	c, err := insight.ParseHoursCursor(pos + "|" + strconv.Itoa(after.ID))
	if err != nil {
		return nil, err
	}
	return c, nil
}

func hoursAnswer(page *insight.HoursPage, after bool) *model.CadreTrainingHoursConnection {
	conn := &model.CadreTrainingHoursConnection{
		Edges:        make([]*model.CadreTrainingHoursEdge, len(page.Cadres)),
		PageInfo:     &entgql.PageInfo[int]{HasNextPage: page.HasNextPage, HasPreviousPage: after},
		TotalCount:   page.TotalCount,
		MinimumHours: page.MinimumHours,
	}
	for i, h := range page.Cadres {
		conn.Edges[i] = &model.CadreTrainingHoursEdge{
			Node:   h,
			Cursor: entgql.Cursor[int]{ID: h.Cursor.PersonID, Value: strconv.FormatFloat(h.Cursor.Hours, 'g', -1, 64)},
		}
	}
	conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = endCursors(conn.Edges, func(e *model.CadreTrainingHoursEdge) *entgql.Cursor[int] { return &e.Cursor })
	return conn
}

// endCursors are the first and last cursors of a keyset page (nil for an
// empty page).
func endCursors[E any](edges []E, cursor func(E) *entgql.Cursor[int]) (start, end *entgql.Cursor[int]) {
	if n := len(edges); n > 0 {
		return cursor(edges[0]), cursor(edges[n-1])
	}
	return nil, nil
}

func lineageAnswer(c *ent.Client, entries []insight.LineageEntry) []*model.LineageEntry {
	refs := load.New(c)
	out := make([]*model.LineageEntry, len(entries))
	for i, e := range entries {
		out[i] = &model.LineageEntry{
			Refs: refs, PersonID: refs.Add("person", e.PersonID), MentorshipID: refs.Add("mentorship", e.MentorshipID),
			Depth: e.Depth, Path: e.Path, ActiveMentees: e.ActiveMentees, TotalMentees: e.TotalMentees,
		}
	}
	return out
}

func pipelineAnswer(c *ent.Client, p *insight.Pipeline) *model.ReservePipeline {
	refs := load.New(c)
	out := &model.ReservePipeline{
		Refs: refs, RegionID: refs.Add("region", p.RegionID),
		People: p.People, Reserves: p.Reserves, Mentees: p.Mentees, Mentored: p.Mentored,
		BecameSecretaries: p.BecameSecretaries, BecameCommitteeMembers: p.BecameCommittee,
		Mentors: make([]*model.PipelineMentor, len(p.Mentors)),
	}
	for i, m := range p.Mentors {
		out.Mentors[i] = &model.PipelineMentor{
			Refs: refs, MentorID: refs.Add("mentor", m.MentorID), Mentees: m.Mentees,
			BecameSecretaries: m.BecameSecretaries, BecameCommitteeMembers: m.BecameCommittee,
		}
	}
	return out
}

func candidatesAnswer(c *ent.Client, cands []insight.Candidate) []*model.MatchCandidate {
	refs := load.New(c)
	out := make([]*model.MatchCandidate, len(cands))
	for i, m := range cands {
		out[i] = &model.MatchCandidate{
			Refs: refs, ExpertID: refs.Add("expert", m.ExpertID), InstitutionID: refs.Add("institution", m.InstitutionID),
			Score: m.Score, Cooperation: m.Cooperation, FieldFit: m.FieldFit, Proximity: m.Proximity, Load: m.Load,
			ActiveAssignments: m.ActiveAssignments, Reasons: m.Reasons,
		}
	}
	return out
}

func gapsAnswer(c *ent.Client, g *insight.Gaps) *model.SupplyGaps {
	refs := load.New(c)
	out := &model.SupplyGaps{Refs: refs, DemandIDs: g.DemandIDs, UncoveredFields: []*model.FieldGap{}}
	for _, id := range g.DemandIDs {
		refs.Add("demandsWithoutCandidates", id)
	}
	for _, f := range g.UncoveredFields {
		out.UncoveredFields = append(out.UncoveredFields, &model.FieldGap{Field: f.Field, OpenDemands: f.OpenDemands})
	}
	return out
}

func alertsAnswer(c *ent.Client, page *insight.AlertPage, after bool) *model.AlertConnection {
	refs := load.New(c)
	conn := &model.AlertConnection{
		Edges:      make([]*model.AlertEdge, len(page.Alerts)),
		PageInfo:   &entgql.PageInfo[int]{HasNextPage: page.HasNextPage, HasPreviousPage: after},
		TotalCount: page.TotalCount,
	}
	for i, a := range page.Alerts {
		msg := a.Message
		conn.Edges[i] = &model.AlertEdge{
			Cursor: entgql.Cursor[int]{ID: a.NodeID, Value: fmt.Sprintf("%d|%s", a.Cursor.Kind, a.Cursor.Code)},
			Node: &model.Alert{
				Refs: refs, Kind: model.AlertKind(a.Kind), NodeID: refs.Add("node", a.NodeID), RegionID: refs.Add("region", a.RegionID),
				DaysOverdue: a.DaysOverdue, Message: &msg,
			},
		}
	}
	conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = endCursors(conn.Edges, func(e *model.AlertEdge) *entgql.Cursor[int] { return &e.Cursor })
	return conn
}

func searchAnswer(c *ent.Client, hits []insight.Hit) []*model.SearchHit {
	refs := load.New(c)
	out := make([]*model.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = &model.SearchHit{Refs: refs, Kind: model.SearchKind(h.Kind), MatchedBy: model.SearchMatch(h.MatchedBy), NodeID: refs.Add("node", h.ID)}
	}
	return out
}

func timelineAnswer(c *ent.Client, entries []insight.TimelineEntry) []*model.TimelineEntry {
	refs := load.New(c)
	out := make([]*model.TimelineEntry, len(entries))
	for i, e := range entries {
		out[i] = &model.TimelineEntry{
			Refs: refs, Kind: model.TimelineKind(e.Kind), NodeID: refs.Add("node", e.ID), RegionID: refs.Add("region", e.RegionID),
			CounterpartID: refs.Add("counterpart", e.CounterpartID),
			StartDate:     e.StartDate, EndDate: e.EndDate, Title: e.Title,
		}
	}
	return out
}
