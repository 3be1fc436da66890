package graph

import (
	"context"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"yanzhen/errcode"
)

// ownTransaction lists the mutations that open their own transaction, so
// that the operation must not hold one: on SQLite a second writer would wait
// for the first forever.
var ownTransaction = map[string]bool{"importRoster": true, "login": true, "changePassword": true}

// transactions runs each mutation operation in one transaction (entgql's
// Transactioner), except operations made only of ownTransaction fields.
type transactions struct{ entgql.Transactioner }

func (t transactions) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return next(ctx)
	}
	own, other := 0, 0
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Mutation"}) {
		if ownTransaction[f.Name] {
			own++
		} else if f.Name != "__typename" {
			other++
		}
	}
	switch {
	case own == 0:
		return t.Transactioner.InterceptResponse(ctx, next)
	case other == 0 && own == 1:
		return next(ctx)
	}
	err := gqlerror.Errorf("importRoster, login and changePassword must each be the only field of their mutation / 导入、登录和修改密码须单独提交")
	err.Extensions = map[string]any{"code": errcode.BadUserInput}
	return &graphql.Response{Errors: gqlerror.List{err}}
}
