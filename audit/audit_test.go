package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"entgo.io/ent"

	"yanzhen/accounts"
	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	gen "yanzhen/ent"
	"yanzhen/ent/auditlog"
	"yanzhen/ent/hook"
	"yanzhen/ent/region"
	"yanzhen/pii"
)

const (
	phone    = "13800138000"
	idNumber = "11010519491231002X"
)

// setup makes a village (110105001201) and a national admin with
// personal-data access, and returns the village and the admin's context.
func setup(t *testing.T, c *gen.Client) (*gen.Region, context.Context) {
	t.Helper()
	sys := auth.System(context.Background())
	var parent *gen.Region
	for _, r := range []struct {
		code  string
		level region.Level
	}{{"11", region.LevelPROVINCE}, {"1101", region.LevelCITY}, {"110105", region.LevelCOUNTY},
		{"110105001", region.LevelTOWNSHIP}, {"110105001201", region.LevelVILLAGE}} {
		q := c.Region.Create().SetCode(r.code).SetName("区划" + r.code).SetLevel(r.level)
		if parent != nil {
			q.SetParent(parent)
		}
		if r.level == region.LevelVILLAGE {
			q.SetKind(region.KindVILLAGE)
		}
		parent = q.SaveX(sys)
	}
	u, _, err := accounts.CreateUser(sys, c, accounts.NewUser{Username: "admin", Password: "a long enough password",
		Role: auth.RoleAdmin, PersonalData: true})
	if err != nil {
		t.Fatal(err)
	}
	v := accounts.ViewerOf(u)
	v.RequestID = "req-1"
	return parent, auth.NewContext(context.Background(), v)
}

// entries are the log's entries of an action, on people and rosters.
func entries(t *testing.T, c *gen.Client, action auditlog.Action) []*gen.AuditLog {
	t.Helper()
	es, err := c.AuditLog.Query().Where(auditlog.ActionEQ(action), auditlog.EntityTypeIn("Person", "Roster")).
		Order(auditlog.ByID()).All(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// A delete keeps the deleted row in the log as "before": its fields, the
// personal ones masked as in an update, the derived and secret ones left
// out, with the region the row belonged to.
func TestDeleteKeepsTheRow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		village, ctx := setup(t, db.Client)
		p := db.Client.Person.Create().SetName("王小明").SetPhone(phone).SetIDNumber(idNumber).
			SetEthnicity("汉族").SetHomeVillageID(village.ID).SaveX(ctx)
		if err := db.Client.Person.DeleteOneID(p.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		del := entries(t, db.Client, auditlog.ActionDELETE)
		if len(del) != 1 {
			t.Fatalf("%d DELETE entries, want 1", len(del))
		}
		e := del[0]
		if e.EntityType != "Person" || len(e.ObjectIds) != 1 || e.ObjectIds[0] != p.ID || e.RegionCode != village.Code ||
			e.ActorName != "admin" || e.RequestID != "req-1" || e.After != nil {
			t.Fatalf("entry %+v", e)
		}
		want := map[string]any{
			"name": "王小明", "ethnicity": "汉族", "home_village_id": float64(village.ID),
			"phone": pii.MaskPhone(phone), "id_number": pii.MaskIDNumber(idNumber),
		}
		for f, v := range want {
			if e.Before[f] != v {
				t.Errorf("before[%s] = %#v, want %#v", f, e.Before[f], v)
			}
		}
		for _, f := range []string{"id_number_hash", "phone_suffix", "name_pinyin", "name_initials", "created_at", "updated_at", "id"} {
			if _, ok := e.Before[f]; ok {
				t.Errorf("before keeps %s: %v", f, e.Before[f])
			}
		}
		for f, v := range e.Before {
			if s, ok := v.(string); ok && (strings.Contains(s, phone) || strings.Contains(s, idNumber[:14])) {
				t.Errorf("before[%s] = %q gives personal data away", f, s)
			}
		}
		// An update is recorded with the same masks, for comparison.
		p2 := db.Client.Person.Create().SetName("李四").SetHomeVillageID(village.ID).SaveX(ctx)
		db.Client.Person.UpdateOne(p2).SetPhone(phone).ExecX(ctx)
		upd := entries(t, db.Client, auditlog.ActionUPDATE)
		if len(upd) != 1 || upd[0].After["phone"] != pii.MaskPhone(phone) {
			t.Fatalf("update entries %+v", upd)
		}
	})
}

// A delete of several rows keeps each of them; a delete of nothing
// records nothing.
func TestBulkDeleteKeepsEveryRow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		village, ctx := setup(t, db.Client)
		names := []string{"甲", "乙", "丙"}
		ids := map[int]string{}
		for _, n := range names {
			ids[db.Client.Person.Create().SetName(n).SetHomeVillageID(village.ID).SaveX(ctx).ID] = n
		}
		db.Statements.Reset()
		n, err := db.Client.Person.Delete().Exec(ctx)
		if err != nil || n != 3 {
			t.Fatalf("deleted %d: %v", n, err)
		}
		// The IDs, the rows, their regions, the delete and one INSERT of the
		// entries; for the kept figures (insight/figures) the IDs again,
		// the people's places and one UPDATE of the figures above them; for
		// the change feed (package changes) the IDs, the people's places,
		// the clock and one INSERT of the tombstones.
		if s := db.Statements.Count(); s > 12 {
			t.Errorf("a delete of 3 rows took %d statements", s)
		}
		del := entries(t, db.Client, auditlog.ActionDELETE)
		if len(del) != 3 {
			t.Fatalf("%d DELETE entries, want 3", len(del))
		}
		for _, e := range del {
			if len(e.ObjectIds) != 1 || e.Before["name"] != ids[e.ObjectIds[0]] || e.RegionCode != village.Code {
				t.Errorf("entry %+v", e)
			}
		}
		if _, err := db.Client.Person.Delete().Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(entries(t, db.Client, auditlog.ActionDELETE)); n != 3 {
			t.Fatalf("a delete of nothing wrote %d entries", n-3)
		}
	})
}

// failAuditWrites makes every write of an audit entry through c fail.
func failAuditWrites(c *gen.Client) error {
	boom := errors.New("the audit log is unavailable")
	c.AuditLog.Use(func(next ent.Mutator) ent.Mutator {
		return hook.AuditLogFunc(func(ctx context.Context, m *gen.AuditLogMutation) (ent.Value, error) {
			return nil, boom
		})
	})
	return boom
}

// A change whose entry cannot be written fails, and in a transaction
// nothing of it stays.
func TestAuditFailureFailsTheChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		village, ctx := setup(t, db.Client)
		p := db.Client.Person.Create().SetName("王五").SetHomeVillageID(village.ID).SaveX(ctx)
		boom := failAuditWrites(db.Client)
		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Person.DeleteOneID(p.ID).Exec(ctx); !errors.Is(err, boom) {
			t.Fatalf("delete: %v, want the audit failure", err)
		}
		tx.Rollback()
		if tx, err = db.Client.Tx(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Person.UpdateOneID(p.ID).SetName("王六").Exec(ctx); !errors.Is(err, boom) {
			t.Fatalf("update: %v, want the audit failure", err)
		}
		tx.Rollback()
		if err := audit.Record(ctx, db.Client, audit.Entry{Action: auditlog.ActionEXPORT}); !errors.Is(err, boom) {
			t.Fatalf("Record: %v, want the audit failure", err)
		}
		sys := auth.System(context.Background())
		if got := db.Client.Person.GetX(sys, p.ID); got.Name != "王五" {
			t.Fatalf("the person is now %q", got.Name)
		}
	})
}

// Record fills in the viewer; a Batch writes what the hook and Record give
// it in one statement, with each object's region, and nothing before
// Flush.
func TestBatch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		t.Parallel()
		village, ctx := setup(t, db.Client)
		bctx, b := audit.WithBatch(ctx)
		var creates []*gen.PersonCreate
		for _, n := range []string{"甲", "乙", "丙", "丁"} {
			creates = append(creates, db.Client.Person.Create().SetName(n).SetPhone(phone).SetHomeVillageID(village.ID))
		}
		db.Client.Person.CreateBulk(creates...).SaveX(bctx)
		b.Record(bctx, audit.Entry{Action: auditlog.ActionIMPORT, EntityType: "Roster", After: map[string]any{"people": 4}})
		if n := len(entries(t, db.Client, auditlog.ActionCREATE)); n != 0 || b.Len() != 5 {
			t.Fatalf("%d entries written before Flush, %d waiting", n, b.Len())
		}
		db.Statements.Reset()
		if err := b.Flush(bctx, db.Client); err != nil {
			t.Fatal(err)
		}
		// One query for the regions, one INSERT.
		if n := db.Statements.Count(); n != 2 {
			t.Errorf("Flush took %d statements, want 2", n)
		}
		created := entries(t, db.Client, auditlog.ActionCREATE)
		if len(created) != 4 || b.Len() != 0 {
			t.Fatalf("%d CREATE entries, %d waiting", len(created), b.Len())
		}
		for _, e := range created {
			if e.RegionCode != village.Code || e.After["phone"] != pii.MaskPhone(phone) || e.ActorName != "admin" || e.ActorID == nil {
				t.Errorf("entry %+v", e)
			}
		}
		imp := entries(t, db.Client, auditlog.ActionIMPORT)
		if len(imp) != 1 || imp[0].RegionCode != "" || imp[0].RequestID != "req-1" || imp[0].After["people"] != float64(4) {
			t.Fatalf("IMPORT entries %+v", imp)
		}
	})
}
