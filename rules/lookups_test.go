package rules

import (
	"context"
	"testing"
)

func TestRegionMemo(t *testing.T) {
	r := Region{Name: "三道河村", Code: "150221100201", Level: "VILLAGE"}
	plain := context.Background()
	RememberRegion(plain, 7, r)
	if _, ok := KnownRegion(plain, 7); ok {
		t.Fatal("a context without a memo remembered a region")
	}
	ctx := WithRegionMemo(plain)
	if _, ok := KnownRegion(ctx, 7); ok {
		t.Fatal("a new memo knows a region")
	}
	RememberRegion(ctx, 7, r)
	if got, ok := KnownRegion(ctx, 7); !ok || got != r {
		t.Fatalf("remembered %+v, got %+v %v", r, got, ok)
	}
	if _, ok := KnownRegion(WithRegionMemo(plain), 7); ok {
		t.Fatal("two writers share a memo")
	}
}
