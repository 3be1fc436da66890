package graph

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/lib/pq"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"yanzhen/ent"
	"yanzhen/errcode"
)

// constraintMessages explains the named database constraints in words a
// user can act on.
var constraintMessages = map[string]string{
	"post_one_current_secretary": "the village already has a current party secretary; end that post first / 该村已有在任党组织书记，请先办理离任",
}

// PresentError gives every error its extensions.code and a message safe to
// show: domain errors keep theirs, database errors are translated, and
// anything unexpected becomes INTERNAL with its details kept in the log.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions == nil {
		gqlErr.Extensions = map[string]any{}
	}
	if _, ok := gqlErr.Extensions["code"]; ok {
		return gqlErr // parse and validation errors already carry theirs
	}
	code, msg, field := classify(err)
	if code == errcode.Internal && argumentError(ctx, gqlErr) {
		// An argument the executor could not read (a malformed ID, cursor
		// or date): the caller's input, not our fault.
		code, msg = errcode.BadUserInput, gqlErr.Message
	}
	if code == errcode.Internal {
		slog.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "error", describe(err))
	}
	gqlErr.Message = msg
	gqlErr.Extensions["code"] = code
	if field != "" {
		gqlErr.Extensions["field"] = field
	}
	return gqlErr
}

func classify(err error) (code, msg, field string) {
	if e, ok := errcode.As(err); ok {
		return e.Code, e.Message, e.Field
	}
	var nf *ent.NotFoundError
	if errors.As(err, &nf) {
		return errcode.NotFound, strings.TrimPrefix(nf.Error(), "ent: ") + " / 未找到", ""
	}
	var ve *ent.ValidationError
	if errors.As(err, &ve) {
		return errcode.BadUserInput, strings.TrimPrefix(ve.Error(), "ent: "), ve.Name
	}
	var ce *ent.ConstraintError
	if errors.As(err, &ce) {
		return constraint(err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errcode.Internal, "the request took too long / 请求超时", ""
	}
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Raised by the executor itself while reading arguments.
		return errcode.BadUserInput, gqlErr.Message, ""
	}
	return errcode.Internal, "internal error / 系统内部错误", ""
}

// argumentError reports whether the error's path points into an argument of
// the field being resolved, which is where gqlgen reports input it could not
// unmarshal.
func argumentError(ctx context.Context, e *gqlerror.Error) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return false
	}
	n := len(fc.Path())
	if len(e.Path) <= n {
		return false
	}
	name, ok := e.Path[n].(ast.PathName)
	return ok && fc.Field.Definition.Arguments.ForName(string(name)) != nil
}

// constraint translates a constraint violation without showing SQL.
func constraint(err error) (code, msg, field string) {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		if m, ok := constraintMessages[pqErr.Constraint]; ok {
			return errcode.Conflict, m, ""
		}
		switch pqErr.Code {
		case "23503":
			return errcode.NotFound, "a referenced object does not exist / 引用的对象不存在", ""
		case "23505":
			return errcode.Conflict, "a record with the same unique value already exists / 已存在相同的记录", ""
		}
		return errcode.BadUserInput, "the change breaks a data rule / 数据不符合约束", ""
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		text := sqErr.Error()
		for name, m := range constraintMessages {
			if strings.Contains(text, name) {
				return errcode.Conflict, m, ""
			}
		}
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errcode.NotFound, "a referenced object does not exist / 引用的对象不存在", ""
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			if strings.Contains(text, "posts.region_id") {
				return errcode.Conflict, constraintMessages["post_one_current_secretary"], ""
			}
			return errcode.Conflict, "a record with the same unique value already exists / 已存在相同的记录", ""
		}
	}
	return errcode.BadUserInput, "the change breaks a data rule / 数据不符合约束", ""
}

// describe is what the log may say about an unexpected error: database
// errors by code and constraint only, since their detail can quote values.
func describe(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return "postgres error " + string(pqErr.Code) + " " + pqErr.Code.Name() + " " + pqErr.Constraint
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return "sqlite error " + sqlite.ErrorCodeString[sqErr.Code()]
	}
	return err.Error()
}
