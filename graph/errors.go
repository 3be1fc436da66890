package graph

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/lib/pq"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"modernc.org/sqlite"

	"yanzhen/database"
	"yanzhen/ent"
	"yanzhen/ent/privacy"
	"yanzhen/errcode"
	"yanzhen/i18n"
)

// Messages of errors that are nobody's input.
const (
	msgUnavailable = "the database is unavailable; try again shortly / 数据库暂时不可用，请稍后再试"
	msgTooLong     = "the request took too long / 请求超时"
	msgInternal    = "internal error / 系统内部错误"
)

// constraintMessages explains the named database constraints in words a
// user can act on.
var constraintMessages = map[string]string{
	"post_one_current_secretary": "the village already has a current party secretary; end that post first / 该村已有在任党组织书记，请先办理离任",
	// Two writers filing the same ID number at once (the hook's check
	// names the holder; this is the race it cannot see).
	"person_id_number_hash_unique": "a person with this ID number is already on file / 该身份证号已有人员档案，勿重复建档",
	"assessment_person_id_year":    "this person already has an assessment for that year; one per person and year / 该人员该年度已有考核记录",
	"personexternalkey_source_key": "this 人员编号 of the roster's source already belongs to another person / 该来源的人员编号已属于另一人",
	// Two writers rating a village for the same year at once (the hook's
	// check says which year; this is the race it cannot see).
	"star_rating_village_year": "the village already has a star rating for this year; change that one / 该村该年度已有星级评定，请修改原记录",
	// The same races for terms and enrolments.
	"term_county_elected_on":          "the county already has a term elected on this day / 该县该日已有一次换届",
	"training_enrolment_class_person": "this person is already enrolled in this class / 该人员已在此班次中",
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
		// Parse and validation errors already carry their code; the value
		// the caller sent is not repeated (it may be a phone or ID number).
		gqlErr.Message = withoutEcho(gqlErr.Message)
		gqlErr.Extensions["text"] = i18n.Split(gqlErr.Message)
		return gqlErr
	}
	e := classify(err)
	if e.Code == errcode.Internal && argumentError(ctx, gqlErr) {
		// An argument the executor could not read (a malformed ID, cursor
		// or date): the caller's input, not our fault.
		e = errcode.New(errcode.BadUserInput, "%s", gqlErr.Message)
	}
	if e.Code == errcode.Internal {
		slog.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "error", describe(err))
	}
	// One form for every error: the code, the field and the rule it
	// concerns, and the text in both languages (the message is both).
	gqlErr.Message = e.Message()
	gqlErr.Extensions["code"] = e.Code
	gqlErr.Extensions["text"] = e.Text
	if e.Field != "" {
		gqlErr.Extensions["field"] = e.Field
	}
	if e.Reason != "" {
		gqlErr.Extensions["reason"] = e.Reason
	}
	return gqlErr
}

// echoes are the validator's messages that quote the value they refuse,
// with what to say instead.
var echoes = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^Value .* does not exist in "(\w+)" enum\.$`), `the value is not one of enum "$1" / 取值不在枚举 $1 中`},
	{regexp.MustCompile(`(?s)^.* is not a valid (\w+)$`), `the value is not a valid $1 / 取值无效`},
	{regexp.MustCompile(`(?s)^(\w+ cannot represent [^:]*): .*$`), `$1 / 取值类型不符`},
	{regexp.MustCompile(`(?s)^Expected value of type "([^"]*)", found .*$`), `Expected value of type "$1" / 取值类型不符`},
}

func withoutEcho(msg string) string {
	for _, e := range echoes {
		if e.re.MatchString(msg) {
			return e.re.ReplaceAllString(msg, e.with)
		}
	}
	return msg
}

// classify gives err its public form: a domain error keeps its own, the
// rest is translated here.
func classify(err error) *errcode.Error {
	if e, ok := errcode.As(err); ok {
		return e
	}
	// Privacy rules answer with coded errors (auth.Deny); a bare denial
	// from a generic rule is a refusal all the same.
	if errors.Is(err, privacy.Deny) {
		return errcode.New(errcode.Forbidden, "your role does not allow this here / 您的角色无权在此范围内执行该操作")
	}
	var nf *ent.NotFoundError
	if errors.As(err, &nf) {
		return errcode.New(errcode.NotFound, "%s / 未找到", strings.TrimPrefix(nf.Error(), "ent: "))
	}
	var ve *ent.ValidationError
	if errors.As(err, &ve) {
		return errcode.BadInput(ve.Name, "%s", strings.TrimPrefix(ve.Error(), "ent: "))
	}
	var ce *ent.ConstraintError
	if errors.As(err, &ce) {
		return constraint(err)
	}
	if databaseUnavailable(err) {
		return errcode.New(errcode.Internal, msgUnavailable)
	}
	var pqErr *pq.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &pqErr) && pqErr.Code == "57014" {
		// 57014: the statement_timeout cancelled the query.
		return errcode.New(errcode.Internal, msgTooLong)
	}
	if emptyFilter(err) {
		return errcode.BadInput("where", "an empty filter {} is not allowed inside not, and or or; leave it out / 过滤条件不能为空对象")
	}
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Raised by the executor itself while reading arguments.
		return errcode.New(errcode.BadUserInput, "%s", gqlErr.Message)
	}
	return errcode.New(errcode.Internal, msgInternal)
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

// constraint translates a constraint violation without showing SQL: a
// named rule in words a user can act on, else by kind.
func constraint(err error) *errcode.Error {
	c, _ := database.Violated(err)
	if m, ok := constraintMessages[c.Name]; ok {
		return errcode.New(errcode.Conflict, "%s", m)
	}
	switch c.Kind {
	case database.ForeignKey:
		return errcode.New(errcode.NotFound, "a referenced object does not exist / 引用的对象不存在")
	case database.Unique:
		return errcode.New(errcode.Conflict, "a record with the same unique value already exists / 已存在相同的记录")
	}
	return errcode.New(errcode.BadUserInput, "the change breaks a data rule / 数据不符合约束")
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

// databaseUnavailable reports whether err says the database cannot be
// reached or has dropped the connection, rather than refused a statement.
// database/sql opens a new connection for the next request, so the server
// recovers by itself once the database answers again.
func databaseUnavailable(err error) bool {
	var opErr *net.OpError
	var pqErr *pq.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.As(err, &opErr):
		return true
	case errors.As(err, &pqErr):
		// Class 08: connection exception; 57P01–57P03: the server is
		// shutting down or starting up; 53300: too many connections.
		switch pqErr.Code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
		return pqErr.Code.Class() == "08"
	}
	// database/sql does not export this one.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// databaseFailures gives a code to a mutation whose transaction could not
// begin or commit. entgql's Transactioner reports those as bare messages
// quoting the driver's error (addresses, no code), so recordTxFailures
// hands the error itself over through the context, and this extension,
// registered outside the Transactioner, presents it like any other.
type databaseFailures struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = databaseFailures{}

func (databaseFailures) ExtensionName() string                          { return "DatabaseFailures" }
func (databaseFailures) Validate(schema graphql.ExecutableSchema) error { return nil }

func (databaseFailures) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		// gqlgen reports a request it could not decode (a multipart form
		// without operations, say) through the interceptors, without an
		// operation context; those inside would panic asking for it.
		ctx = graphql.WithOperationContext(ctx, &graphql.OperationContext{})
	}
	f := &txFailure{}
	resp := next(context.WithValue(ctx, txFailureKey{}, f))
	if err := f.get(); err != nil && resp != nil {
		resp.Data = nil
		resp.Errors = gqlerror.List{PresentError(ctx, err)}
	}
	return resp
}

type txFailureKey struct{}

type txFailure struct {
	mu  sync.Mutex
	err error
}

func (f *txFailure) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func recordTxFailure(ctx context.Context, err error) {
	if f, ok := ctx.Value(txFailureKey{}).(*txFailure); ok {
		f.mu.Lock()
		f.err = err
		f.mu.Unlock()
	}
}

// recordTxFailures opens the mutation's transaction and records why it
// could not begin or commit (see databaseFailures).
type recordTxFailures struct{ client *ent.Client }

func (o recordTxFailures) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	txCtx, tx, err := o.client.OpenTx(ctx)
	if err != nil {
		recordTxFailure(ctx, err)
		return nil, nil, err
	}
	return txCtx, recordedTx{tx, ctx}, nil
}

type recordedTx struct {
	driver.Tx
	ctx context.Context
}

func (t recordedTx) Commit() error {
	err := t.Tx.Commit()
	if err != nil {
		recordTxFailure(t.ctx, err)
	}
	return err
}
