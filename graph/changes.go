package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"yanzhen/auth"
	"yanzhen/changes"
	"yanzhen/errcode"
	"yanzhen/graph/load"
	"yanzhen/graph/model"
)

// Pages of the change feed: entries examined per request.
const (
	defaultChanges = 100
	maxChanges     = 500
)

func (r *Resolver) changes(ctx context.Context, since *string, first *int) (*model.ChangePage, error) {
	v := auth.FromContext(ctx)
	if v.Anonymous() {
		return nil, errcode.New(errcode.Unauthenticated, "sign in to read the change feed / 请先登录")
	}
	if !changes.Seen(v) {
		return nil, errcode.New(errcode.Forbidden, "this account has no change feed / 此账号无变更订阅")
	}
	n := defaultChanges
	if first != nil {
		n = *first
	}
	if n < 1 || n > maxChanges {
		return nil, errcode.BadInput("first", "first must be between 1 and %d / 每次读取 1 至 %d 条", maxChanges, maxChanges)
	}
	after := 0
	if since != nil {
		p, ok := parsePosition(*since)
		if !ok {
			return nil, errcode.BadInput("since", "since is not a cursor of the change feed / since 不是变更游标")
		}
		after = p
	}
	page, err := changes.Read(ctx, r.db(ctx), v, after, n)
	if err != nil {
		return nil, err
	}
	refs := load.New(r.db(ctx))
	out := &model.ChangePage{Cursor: position(page.Cursor), HasMore: page.HasMore, Changes: make([]*model.Change, 0, len(page.Items))}
	for _, it := range page.Items {
		c := &model.Change{Refs: refs, Position: position(it.Position), At: it.At, Kind: model.ChangeKind(it.Kind), Type: it.Type, ID: it.ID}
		if it.Kind == changes.Created || it.Kind == changes.Updated {
			c.NodeID = refs.Add("node", it.ID)
		}
		out.Changes = append(out.Changes, c)
	}
	return out, nil
}

func (r *Resolver) changesHead(ctx context.Context) (string, error) {
	v := auth.FromContext(ctx)
	if v.Anonymous() {
		return "", errcode.New(errcode.Unauthenticated, "sign in to read the change feed / 请先登录")
	}
	if !changes.Seen(v) {
		return "", errcode.New(errcode.Forbidden, "this account has no change feed / 此账号无变更订阅")
	}
	head, err := changes.Head(ctx, r.db(ctx))
	if err != nil {
		return "", err
	}
	return position(head), nil
}

// A feed position is opaque to clients: they only hand it back.
const positionPrefix = "feed:"

func position(id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(positionPrefix + strconv.Itoa(id)))
}

func parsePosition(s string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), positionPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), positionPrefix))
	return n, err == nil && n >= 0
}
