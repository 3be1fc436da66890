package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/idempotencykey"
	"yanzhen/ent/privacy"
	"yanzhen/errcode"
)

// Idempotency keys (the Idempotency-Key header, as in the IETF draft of that
// name) make a mutation safe to send again. A phone on a village road, or
// any client whose connection broke after the server committed, cannot tell
// whether its write happened; sending the same request with the same key
// returns the first answer instead of writing twice. The answer is stored
// in the mutation's own transaction, so it exists exactly when the write
// does, across restarts and server processes.

// IdempotencyHeader is the request header that carries the key.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyWindow is how long an answer is kept for replay.
const idempotencyWindow = 24 * time.Hour

type idempotencyKeyCtx struct{}

// withIdempotencyKey reads the header into the request context.
func withIdempotencyKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if key := r.Header.Get(IdempotencyHeader); key != "" {
			r = r.WithContext(context.WithValue(r.Context(), idempotencyKeyCtx{}, key))
		}
		next.ServeHTTP(w, r)
	})
}

// idempotency replays or records the answer of a keyed mutation. It runs
// inside the operation's transaction (see NewHandler).
type idempotency struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = idempotency{}

func (idempotency) ExtensionName() string                          { return "Idempotency" }
func (idempotency) Validate(schema graphql.ExecutableSchema) error { return nil }

func (idempotency) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	key, _ := ctx.Value(idempotencyKeyCtx{}).(string)
	v := auth.FromContext(ctx)
	c := ent.FromContext(ctx)
	if key == "" || v.Anonymous() || v.System() || c == nil || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	if len(key) > 255 {
		return errorResponse(errcode.BadInput(IdempotencyHeader, "the Idempotency-Key is at most 255 characters / 幂等键最多255个字符"))
	}
	oc := graphql.GetOperationContext(ctx)
	keyHash, requestHash := digest(key), requestDigest(oc)
	internal := privacy.DecisionContext(ctx, privacy.Allow)
	prior, err := c.IdempotencyKey.Query().Where(
		idempotencykey.UserID(v.UserID), idempotencykey.KeyHash(keyHash),
		idempotencykey.CreatedAtGT(time.Now().Add(-idempotencyWindow)),
	).Only(internal)
	switch {
	case err == nil && prior.RequestHash != requestHash:
		return errorResponse(errcode.New(errcode.Conflict, "this Idempotency-Key was used for another request; use a new key / 该幂等键已用于另一请求，请换用新键"))
	case err == nil:
		var resp graphql.Response
		if err := json.Unmarshal(prior.Response, &resp); err != nil {
			return errorResponse(err)
		}
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["idempotentReplay"] = true
		return &resp
	case !ent.IsNotFound(err):
		return errorResponse(err)
	}
	resp := next(ctx)
	if resp == nil || len(resp.Errors) > 0 {
		return resp // rolled back: nothing to remember, the client may retry
	}
	stored, err := json.Marshal(resp)
	if err != nil {
		return errorResponse(err)
	}
	// An expired answer of the same key makes room for the new one (only an
	// expired one: a live one belongs to a request that ran meanwhile).
	if _, err := c.IdempotencyKey.Delete().Where(idempotencykey.UserID(v.UserID), idempotencykey.KeyHash(keyHash),
		idempotencykey.CreatedAtLTE(time.Now().Add(-idempotencyWindow))).Exec(internal); err != nil {
		return errorResponse(err)
	}
	err = c.IdempotencyKey.Create().SetUserID(v.UserID).SetKeyHash(keyHash).
		SetRequestHash(requestHash).SetResponse(stored).Exec(internal)
	if ent.IsConstraintError(err) {
		// The same key in a request running at the same moment: this one
		// rolls back, and a retry gets the other's answer.
		return errorResponse(errcode.New(errcode.Conflict, "a request with this Idempotency-Key is in progress; send it again shortly / 相同幂等键的请求正在处理，请稍后重试"))
	}
	if err != nil {
		return errorResponse(err)
	}
	return resp
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// requestDigest identifies a request by its operation and variables.
func requestDigest(oc *graphql.OperationContext) string {
	vars, _ := json.Marshal(oc.Variables) // map keys come out sorted
	return digest(oc.OperationName + "\x00" + oc.RawQuery + "\x00" + string(vars))
}

// errorResponse answers with one presented error; the transaction around
// it rolls back.
func errorResponse(err error) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{PresentError(context.Background(), err)}}
}

// ExpireIdempotencyKeys deletes the answers past their window; the server
// calls it now and then.
func ExpireIdempotencyKeys(ctx context.Context, c *ent.Client) (int, error) {
	return c.IdempotencyKey.Delete().Where(idempotencykey.CreatedAtLT(time.Now().Add(-idempotencyWindow))).
		Exec(privacy.DecisionContext(ctx, privacy.Allow))
}
