package rules

import (
	"context"
	"sync"
)

// The hooks look up the region a record sits in to check its level. A
// writer of many rows (the roster import) names the same few villages over
// and over, so it may let those lookups be remembered for its writes:
// regions are not changed by such a writer, and the memo lives only as long
// as its context.

type regionMemoKey struct{}

type regionMemo struct {
	mu      sync.Mutex
	regions map[int]Region
}

// WithRegionMemo returns a context in which KnownRegion and RememberRegion
// share one memo of regions by ID.
func WithRegionMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, regionMemoKey{}, &regionMemo{regions: map[int]Region{}})
}

// KnownRegion returns the region id remembered in ctx, if any.
func KnownRegion(ctx context.Context, id int) (Region, bool) {
	m, _ := ctx.Value(regionMemoKey{}).(*regionMemo)
	if m == nil {
		return Region{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.regions[id]
	return r, ok
}

// RememberRegion keeps r as region id in ctx's memo, when ctx has one.
func RememberRegion(ctx context.Context, id int, r Region) {
	if m, _ := ctx.Value(regionMemoKey{}).(*regionMemo); m != nil {
		m.mu.Lock()
		m.regions[id] = r
		m.mu.Unlock()
	}
}
