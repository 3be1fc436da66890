package graph_test

import (
	"context"
	"fmt"
	"testing"

	"entgo.io/ent/dialect"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// The statements of the measured workloads (docs/performance.md) can be
// served by indexes on PostgreSQL: a scoped account's people come from the
// person_places code index, a village page reads its posts, people and
// advisers by keys, and no code filter is a LIKE.
func TestWorkloadPlansUseIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		if db.Dialect != dialect.Postgres {
			t.Skip("EXPLAIN is read on PostgreSQL")
		}
		ctx := auth.System(context.Background())
		c := db.Client
		w := makeWorld(t, c)
		for i, v := range w.villages {
			for j := range 3 {
				p := c.Person.Create().SetName(fmt.Sprintf("村干部%d-%d", i, j)).SetHomeVillage(v).SaveX(ctx)
				c.Post.Create().SetPerson(p).SetRegion(v).SetRole("COMMITTEE_MEMBER").SetStartDate(date("2021-01-01")).SaveX(ctx)
			}
			adviser := c.Person.Create().SetName(fmt.Sprintf("顾问%d", i)).SaveX(ctx)
			ap := c.AdviserAppointment.Create().SetPerson(adviser).SetVillage(v).SetKind("DEVELOPMENT_ADVISER").SetStartDate(date("2023-01-01")).SaveX(ctx)
			c.ContactLog.Create().SetAppointment(ap).SetDate(date("2024-01-15")).SetMode("PHONE").SaveX(ctx)
		}
		township := newAPIAs(t, db, newUser(t, db, "township", auth.RoleTownship, w.township.Code, 0, false))
		t.Run("scoped people by name", func(t *testing.T) {
			db.Statements.Record()
			township.ok(`{ people(first: 50, orderBy: {field: NAME}) { totalCount edges { node { name posts(first: 5) { edges { node { role region { name } } } } } } } }`, nil, &struct{}{})
			explainNoSeqScan(t, db, "person_places", "posts", "regions")
		})
		t.Run("village page", func(t *testing.T) {
			db.Statements.Record()
			township.ok(`query($code: String!) { region(code: $code) { name
				posts(first: 20) { edges { node { role person { name } } } }
				adviserAppointments(first: 10) { edges { node { kind person { name contactLogs(first: 5) { edges { node { date } } } } } } } } }`,
				map[string]any{"code": w.villages[0].Code}, &struct{}{})
			explainNoSeqScan(t, db, "person_places", "posts", "regions", "adviser_appointments", "contact_logs")
		})
		t.Run("people under a county code", func(t *testing.T) {
			db.Statements.Record()
			newAPI(t, db).ok(`{ people(first: 50, orderBy: {field: NAME}, where: {hasHomeVillageWith: {codeHasPrefix: "150221"}}) { totalCount edges { node { name posts(first: 1) { edges { node { role } } } } } } }`, nil, &struct{}{})
			explainNoSeqScan(t, db, "regions", "posts")
		})
	})
}
