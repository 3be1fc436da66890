// Package keyrows writes a person's search keys (searchkey.Keys) as the rows
// of person_search_keys, for the person hook of ent/schema, one person or
// update at a time, or collected for a bulk writer (a roster import) and
// written by it in a few statements. It is apart from package searchkey,
// which computes keys and imports nothing of the project, because it needs
// the ent client.
package keyrows

import (
	"context"
	"sort"

	"yanzhen/ent"
	"yanzhen/ent/personsearchkey"
	"yanzhen/ent/privacy"
	"yanzhen/insight/searchkey"
)

// chunk bounds one statement: 1,000 rows of 3 values, or 1,000 IDs, stay far
// below SQLite's limit of bound values.
const chunk = 1000

// Write gives each of ids the keys; replace removes their old keys first
// (a rename). The table is internal, so the write is decided here rather
// than by the viewer's policy.
func Write(ctx context.Context, c *ent.Client, ids []int, keys []searchkey.Key, replace bool) error {
	if b := batchFrom(ctx); b != nil {
		b.add(ids, keys, replace)
		return nil
	}
	var del []int
	if replace {
		del = ids
	}
	rows := make(map[int][]searchkey.Key, len(ids))
	for _, id := range ids {
		rows[id] = keys
	}
	return write(ctx, c, del, rows)
}

func write(ctx context.Context, c *ent.Client, del []int, rows map[int][]searchkey.Key) error {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	for len(del) > 0 {
		n := min(len(del), chunk)
		if _, err := c.PersonSearchKey.Delete().Where(personsearchkey.PersonIDIn(del[:n]...)).Exec(ctx); err != nil {
			return err
		}
		del = del[n:]
	}
	// In person order, so that a bulk write is repeatable.
	ids := make([]int, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var creates []*ent.PersonSearchKeyCreate
	for _, id := range ids {
		for _, k := range rows[id] {
			creates = append(creates, c.PersonSearchKey.Create().SetPersonID(id).SetKind(personsearchkey.Kind(k.Kind)).SetKey(k.Text))
		}
	}
	for len(creates) > 0 {
		n := min(len(creates), chunk)
		if err := c.PersonSearchKey.CreateBulk(creates[:n]...).Exec(ctx); err != nil {
			return err
		}
		creates = creates[n:]
	}
	return nil
}

// Batch collects the keys Write would write while ctx carries it
// (WithBatch), for Flush to write in a few statements: a roster import
// creates people a thousand at a time, and a statement or two per person
// for their keys would undo that.
type Batch struct {
	replace map[int]bool
	keys    map[int][]searchkey.Key
}

type batchKey struct{}

// WithBatch returns ctx carrying a new, empty batch.
func WithBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{replace: map[int]bool{}, keys: map[int][]searchkey.Key{}}
	return context.WithValue(ctx, batchKey{}, b), b
}

func batchFrom(ctx context.Context) *Batch {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	return b
}

// add keeps the last keys of each person (renamed twice, the second name
// counts) and whether any of their writes replaces stored keys.
func (b *Batch) add(ids []int, keys []searchkey.Key, replace bool) {
	for _, id := range ids {
		b.keys[id] = keys
		if replace {
			b.replace[id] = true
		}
	}
}

// Flush writes the collected keys with c (the transaction of the bulk
// write, after its people) and empties the batch.
func (b *Batch) Flush(ctx context.Context, c *ent.Client) error {
	del := make([]int, 0, len(b.replace))
	for id := range b.replace {
		del = append(del, id)
	}
	sort.Ints(del)
	err := write(ctx, c, del, b.keys)
	b.replace, b.keys = map[int]bool{}, map[int][]searchkey.Key{}
	return err
}
