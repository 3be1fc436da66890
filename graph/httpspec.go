package graph

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
)

// The GraphQL-over-HTTP spec's SHOULDs for the two media types a client may
// accept, which gqlgen's transports do not quite follow:
//
//   - application/json: a well-formed request whose document does not parse
//     or validate, or whose variables do not coerce, is answered 200 with its
//     errors (gqlgen says 422), so clients that read only 200s see why;
//   - application/graphql-response+json: a request error (4xx) has no "data"
//     entry at all (gqlgen writes "data": null), which is how a client tells
//     "nothing ran" from "ran and failed".
//
// A body that is not JSON at all stays 400 under both.
type specTransport struct{ graphql.Transport }

func (t specTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	sw := &specWriter{ResponseWriter: w}
	t.Transport.Do(sw, r, exec)
	sw.finish()
}

type specWriter struct {
	http.ResponseWriter
	status int
	// held is the body of a request error under graphql-response+json,
	// written by finish without its data entry.
	held *bytes.Buffer
}

func (s *specWriter) WriteHeader(code int) {
	if s.status != 0 {
		return
	}
	s.status = code
	media, _, _ := mime.ParseMediaType(s.Header().Get("Content-Type"))
	switch {
	case media == "application/json" && code == http.StatusUnprocessableEntity:
		s.status = http.StatusOK
		s.ResponseWriter.WriteHeader(http.StatusOK)
	case media == "application/graphql-response+json" && code >= 400:
		s.held = new(bytes.Buffer)
	default:
		s.ResponseWriter.WriteHeader(code)
	}
}

func (s *specWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if s.held != nil {
		return s.held.Write(b)
	}
	return s.ResponseWriter.Write(b)
}

func (s *specWriter) finish() {
	if s.held == nil {
		return
	}
	body := s.held.Bytes()
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) == nil {
		delete(fields, "data")
		if b, err := json.Marshal(fields); err == nil {
			body = b
		}
	}
	s.ResponseWriter.WriteHeader(s.status)
	s.ResponseWriter.Write(body)
}
