package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/region"
)

// watchedCache counts what the handler asks of its parsed-query cache.
type watchedCache struct {
	queryCache
	mu         sync.Mutex
	hits, adds int
	docs       map[string]*ast.QueryDocument
}

func (c *watchedCache) Get(ctx context.Context, q string) (*ast.QueryDocument, bool) {
	doc, ok := c.queryCache.Get(ctx, q)
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.hits++
	}
	return doc, ok
}

func (c *watchedCache) Add(ctx context.Context, q string, doc *ast.QueryDocument) {
	c.mu.Lock()
	c.adds++
	c.docs[q] = doc
	c.mu.Unlock()
	c.queryCache.Add(ctx, q, doc)
}

// A query is parsed and validated once; later requests with the same text
// use the cached document, and the default page size RequestLimits adds
// goes into each request's copy, never into the shared document.
func TestQueriesAreParsedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		for i := range 25 {
			db.Client.Region.Create().SetCode(fmt.Sprintf("%02d", 11+i)).SetName(fmt.Sprintf("省%d", i)).SetLevel(region.LevelPROVINCE).SaveX(ctx)
		}
		cache := &watchedCache{queryCache: newQueryCache(nil), docs: map[string]*ast.QueryDocument{}}
		cfg := DefaultConfig
		cfg.parsed = cache
		h := NewHandler(db.DB, cfg)
		query := `{ regions { edges { node { code } } } }`
		ask := func() int {
			body, _ := json.Marshal(map[string]any{"query": query})
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req.WithContext(auth.NewContext(req.Context(), &auth.Viewer{ClientIP: "192.0.2.1"})))
			var out struct {
				Data struct {
					Regions struct{ Edges []any }
				}
				Errors []any
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Errors) > 0 {
				t.Fatalf("%v: %s", err, rec.Body.String())
			}
			return len(out.Data.Regions.Edges)
		}
		for i := range 3 {
			if n := ask(); n != defaultPageSize {
				t.Fatalf("request %d: %d regions, want the default page of %d", i, n, defaultPageSize)
			}
		}
		if cache.adds != 1 || cache.hits < 2 {
			t.Errorf("3 requests: %d parses and %d cache hits, want 1 parse and 2 or more hits", cache.adds, cache.hits)
		}
		field := cache.docs[query].Operations[0].SelectionSet[0].(*ast.Field)
		if len(field.Arguments) != 0 {
			t.Errorf("the shared document was changed: regions has arguments %v", field.Arguments)
		}
	})
}
