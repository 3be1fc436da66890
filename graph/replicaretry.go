package graph

import (
	"bytes"
	"io"
	"net/http"

	"yanzhen/database"
)

// retryOnPrimary answers a request again from the primary when a replica
// went away while answering it: either too late for the read to move by
// itself (rows already handed over), or so that the answer carries the
// database-unavailable error although a replica served it. Only queries
// read from replicas, and a query writes nothing, so the second run is
// safe; a mutation is never run twice. The first answer is held back until
// it is known to stand, which costs a buffered response, and only when
// replicas are configured.
func retryOnPrimary(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isMultipartRequest(r) || (r.Method != http.MethodPost && r.Method != http.MethodGet) {
			next.ServeHTTP(w, r)
			return
		}
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				// Too large or cut off: the handler reports it as before.
				r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
				next.ServeHTTP(w, r)
				return
			}
		}
		ctx, watch := database.WatchReplicas(r.Context())
		first := &heldResponse{header: http.Header{}}
		next.ServeHTTP(first, withBody(r.WithContext(ctx), body))
		if watch.Lost.Load() || watch.Used.Load() && bytes.Contains(first.body.Bytes(), []byte(msgUnavailableEN)) {
			next.ServeHTTP(w, withBody(r.WithContext(database.PrimaryOnly(r.Context())), body))
			return
		}
		first.writeTo(w)
	})
}

// msgUnavailableEN is the English half of msgUnavailable, as JSON writes it.
const msgUnavailableEN = "the database is unavailable"

func isMultipartRequest(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return len(ct) >= 10 && bytes.EqualFold([]byte(ct[:10]), []byte("multipart/"))
}

func withBody(r *http.Request, body []byte) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	return r2
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// heldResponse keeps an answer until it is known to stand.
type heldResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }
func (h *heldResponse) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *heldResponse) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}

func (h *heldResponse) writeTo(w http.ResponseWriter) {
	for k, v := range h.header {
		w.Header()[k] = v
	}
	if h.status == 0 {
		h.status = http.StatusOK
	}
	w.WriteHeader(h.status)
	w.Write(h.body.Bytes())
}
