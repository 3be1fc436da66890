// Package trusted holds the GraphQL documents the server knows by their
// SHA-256 hash — the web app's, extracted at build time into
// frontend/src/gql/persisted-documents.json and built into the binary, and
// those other clients (a mobile app build, a partner's system) registered
// with `yanzhen documents add` — and the gqlgen extension that serves a
// request by hash and, in Only mode, refuses any document not among them
// (docs/api.md, "Trusted documents"). In Any mode (the default) a hash the
// server does not know falls back to automatic persisted queries, and any
// text is accepted.
package trusted

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"yanzhen/auth"
	gen "yanzhen/ent"
	"yanzhen/ent/trusteddocument"
	"yanzhen/errcode"
	"yanzhen/metrics"
)

// Mode says which documents the server runs.
type Mode int

const (
	// Any document: known ones by hash, others as text (development, and
	// deployments whose integrators write their own queries).
	Any Mode = iota
	// Only the trusted documents, by hash or by their exact text.
	Only
)

// ParseMode reads YANZHEN_TRUSTED_DOCUMENTS: "" or "any", or "only".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "any":
		return Any, nil
	case "only":
		return Only, nil
	}
	return Any, fmt.Errorf("YANZHEN_TRUSTED_DOCUMENTS=%q: want any or only", s)
}

func (m Mode) String() string {
	if m == Only {
		return "only"
	}
	return "any"
}

// Codes of the requests this package refuses.
const (
	// NotFound: no document has the hash (the APQ code: a client that has
	// the text sends it along).
	NotFound = "PERSISTED_QUERY_NOT_FOUND"
	// NotTrusted: Only mode, and the document is not a trusted one.
	NotTrusted = "DOCUMENT_NOT_TRUSTED"
)

// Hash is the key of a document: lowercase hex SHA-256 of its text.
func Hash(document string) string {
	sum := sha256.Sum256([]byte(document))
	return hex.EncodeToString(sum[:])
}

// ParseManifest reads a manifest of graphql-codegen's persisted documents:
// a JSON object from hash to text. Every key must be the hash of its text.
func ParseManifest(b []byte) (map[string]string, error) {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("the manifest is not a JSON object of hash to document: %w", err)
	}
	for h, doc := range m {
		if Hash(doc) != strings.ToLower(h) {
			return nil, fmt.Errorf("manifest entry %.16s…: the key is not the SHA-256 of the document", h)
		}
	}
	return m, nil
}

// Store finds documents by hash: the built-in manifest first, then those
// registered in the database (remembered once found; a registration is
// never changed, and a removal is seen by processes started after it or
// within rememberFor).
type Store struct {
	builtin map[string]string
	client  *gen.Client

	mu         sync.Mutex
	registered map[string]remembered
}

type remembered struct {
	document string
	until    time.Time
}

// rememberFor bounds how long a registered document stays known after an
// admin removed it.
const rememberFor = 5 * time.Minute

// NewStore is a store of the built-in manifest (may be nil) and the
// documents registered in the database of c (nil: none).
func NewStore(builtin []byte, c *gen.Client) (*Store, error) {
	s := &Store{builtin: map[string]string{}, client: c, registered: map[string]remembered{}}
	if len(builtin) > 0 {
		m, err := ParseManifest(builtin)
		if err != nil {
			return nil, fmt.Errorf("the web app's documents: %w", err)
		}
		s.builtin = m
	}
	return s, nil
}

// Builtin counts the built-in documents.
func (s *Store) Builtin() int { return len(s.builtin) }

// Lookup returns the document of hash.
func (s *Store) Lookup(ctx context.Context, hash string) (string, bool, error) {
	if doc, ok := s.builtin[hash]; ok {
		return doc, true, nil
	}
	if s.client == nil || len(hash) != 64 {
		return "", false, nil
	}
	s.mu.Lock()
	r, ok := s.registered[hash]
	s.mu.Unlock()
	if ok && time.Now().Before(r.until) {
		return r.document, true, nil
	}
	d, err := s.client.TrustedDocument.Query().Where(trusteddocument.Hash(hash)).Only(auth.System(ctx))
	if gen.IsNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	s.mu.Lock()
	s.registered[hash] = remembered{d.Document, time.Now().Add(rememberFor)}
	s.mu.Unlock()
	return d.Document, true, nil
}

// Documents is the gqlgen extension: it puts a known document's text in a
// request that names it by hash (extensions.persistedQuery.sha256Hash, the
// APQ form), and in Only mode refuses every other document. APQ, when set,
// remembers the texts clients send with their hash in Any mode.
type Documents struct {
	Store *Store
	Mode  Mode
	APQ   graphql.Cache[string]
	// Metrics, when set, counts the lookups of hashes (hits and misses).
	Metrics *metrics.Metrics
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = Documents{}

func (Documents) ExtensionName() string                   { return "TrustedDocuments" }
func (Documents) Validate(graphql.ExecutableSchema) error { return nil }

// requestError refuses a request before it is parsed (no data).
func requestError(code, text string) *gqlerror.Error {
	return &gqlerror.Error{Message: text, Extensions: map[string]any{"code": code}}
}

func (d Documents) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	hash, err := persistedHash(raw.Extensions)
	if err != nil {
		return err
	}
	if hash == "" {
		if d.Mode == Only {
			doc, ok, err := d.Store.Lookup(ctx, Hash(raw.Query))
			if err != nil {
				return requestError(errcode.Internal, "the trusted documents could not be read / 无法读取受信文档")
			}
			if !ok || doc != raw.Query {
				return notTrusted()
			}
		}
		return nil
	}
	if raw.Query != "" && Hash(raw.Query) != hash {
		return requestError(errcode.BadUserInput, "the query is not the document its hash names / 查询文本与其哈希不符")
	}
	doc, ok, lerr := d.Store.Lookup(ctx, hash)
	if lerr != nil {
		return requestError(errcode.Internal, "the trusted documents could not be read / 无法读取受信文档")
	}
	d.Metrics.Lookup("trusted_documents", ok)
	switch {
	case ok:
		raw.Query = doc
	case d.Mode == Only && raw.Query != "":
		return notTrusted()
	case d.Mode == Only || d.APQ == nil:
		return requestError(NotFound, "PersistedQueryNotFound")
	case raw.Query == "":
		q, ok := d.APQ.Get(ctx, hash)
		if !ok {
			return requestError(NotFound, "PersistedQueryNotFound")
		}
		raw.Query = q
	default:
		d.APQ.Add(ctx, hash, raw.Query)
	}
	return nil
}

func notTrusted() *gqlerror.Error {
	return requestError(NotTrusted, "this server runs trusted documents only: send the hash of a registered document (docs/api.md) / 本服务只接受已登记的查询文档")
}

// persistedHash reads extensions.persistedQuery: "" when absent.
func persistedHash(ext map[string]any) (string, *gqlerror.Error) {
	if ext["persistedQuery"] == nil {
		return "", nil
	}
	pq, _ := ext["persistedQuery"].(map[string]any)
	hash, _ := pq["sha256Hash"].(string)
	if hash == "" {
		return "", requestError(errcode.BadUserInput, "extensions.persistedQuery needs version 1 and sha256Hash / persistedQuery 须含 version 1 与 sha256Hash")
	}
	if v := fmt.Sprint(pq["version"]); v != "1" {
		return "", requestError(errcode.BadUserInput, "extensions.persistedQuery: only version 1 is supported / 仅支持 version 1")
	}
	return strings.ToLower(hash), nil
}
