package database_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	"yanzhen/ent/post"
	"yanzhen/ent/region"
	"yanzhen/pii"
)

// The data key is the client's, not the process's: a client opened with
// another key cannot read what this one sealed, one without a key writes
// no ID number, and people reached through an edge or eager loading are
// opened like those queried directly.
func TestTheDataKeyTravelsWithTheClient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		const id = "11010519491231002X"
		c := db.Client
		village := c.Region.Create().SetCode("150221100200").SetName("一村").SetLevel(region.LevelVILLAGE).SaveX(ctx)
		p := c.Person.Create().SetName("张慧婷").SetGender("FEMALE").SetIDNumber(id).SaveX(ctx)
		if p.IDNumber != id {
			t.Fatalf("create returned %q", p.IDNumber)
		}
		c.Post.Create().SetPerson(p).SetRegion(village).SetRole(post.RolePARTY_SECRETARY).SetStartDate(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)).ExecX(ctx)
		if got := c.Person.UpdateOne(p).SetProfessionalTitle("农艺师").SaveX(ctx); got.IDNumber != id {
			t.Fatalf("an update that does not touch it returned %q", got.IDNumber)
		}
		if got := c.Post.Query().WithPerson().OnlyX(ctx).Edges.Person; got.IDNumber != id {
			t.Fatalf("eager loading read %q", got.IDNumber)
		}
		if got := c.Post.Query().QueryPerson().OnlyX(ctx); got.IDNumber != id {
			t.Fatalf("through the edge read %q", got.IDNumber)
		}

		other, err := pii.NewKeys([]byte("another-test-data-key-32-bytes!!"))
		if err != nil {
			t.Fatal(err)
		}
		for _, keys := range []*pii.Keys{other, nil} {
			db2, err := database.Open(ctx, db.URL, database.Options{Keys: keys})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db2.Client.Person.Query().Where(person.ID(p.ID)).Only(ctx); err == nil {
				t.Errorf("a client with keys %v read the ID number", keys != nil)
			}
			_, err = db2.Client.Person.Create().SetName("李四").SetGender("FEMALE").SetIDNumber(id).Save(ctx)
			if keys == nil && !errors.Is(err, pii.ErrNoDataKey) {
				t.Errorf("a client without keys wrote an ID number: %v", err)
			}
			db2.Close()
		}
		// The stored value is sealed, never the number.
		var stored string
		db.SQL.QueryRowContext(ctx, `SELECT id_number FROM persons WHERE id = $1`, p.ID).Scan(&stored)
		if !pii.Encrypted(stored) || strings.Contains(stored, id) {
			t.Fatalf("stored %q", stored)
		}
	})
}
