package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"yanzhen/errcode"
)

// checkGraphQLRequest refuses, with a coded error, the requests gqlgen would
// answer badly: a body that is not one JSON object (gqlgen quotes the whole
// body back in its message, personal data included, and gives no code), a
// JSON array (a batch: the endpoint takes one operation per request), bytes
// that are not UTF-8 (encoding/json would silently turn them into U+FFFD and
// run the query on altered text), a content type or method it does not
// serve. What passes reaches gqlgen unchanged.
func checkGraphQLRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			if msg := checkGetParams(r.URL.RawQuery); msg != "" {
				writeError(w, http.StatusBadRequest, errcode.BadUserInput, msg)
				return
			}
			if getChangesData(r.URL.Query()) {
				// gqlgen would refuse it too, but without a code.
				w.Header().Set("Allow", "POST")
				writeError(w, http.StatusMethodNotAllowed, errcode.BadUserInput,
					"mutations must be sent by POST / 变更操作须使用 POST 提交")
				return
			}
		case http.MethodPost:
			media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			switch {
			case err == nil && media == "multipart/form-data":
				// Uploads: limitBody has required the preflight header.
				// gqlgen checks the form itself and writes its refusals
				// without a code; codeRefusals adds it.
				cw := &codeRefusals{ResponseWriter: w}
				next.ServeHTTP(cw, r)
				cw.finish()
				return
			case err == nil && media == "application/json":
				body, status, msg := readJSONBody(r)
				if msg != "" {
					writeError(w, status, errcode.BadUserInput, msg)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			default:
				writeError(w, http.StatusUnsupportedMediaType, errcode.BadUserInput,
					"POST /graphql takes Content-Type: application/json (multipart/form-data for uploads) / 请使用 application/json 提交")
				return
			}
		case http.MethodOptions:
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, errcode.BadUserInput,
				r.Method+" is not served on /graphql; use POST (or GET for queries) / 不支持的请求方法")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// graphQLRequest is the body gqlgen's JSON transport decodes.
type graphQLRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// readJSONBody reads a JSON POST body and checks that gqlgen can decode it.
// The messages say where the body is wrong but never quote it.
func readJSONBody(r *http.Request) (body []byte, status int, msg string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes / 请求体过大", tooLarge.Limit)
		}
		return nil, http.StatusBadRequest, "the request body could not be read / 无法读取请求体"
	}
	if !utf8.Valid(body) {
		return nil, http.StatusBadRequest, "the request body is not valid UTF-8 / 请求体不是有效的 UTF-8 编码"
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return nil, http.StatusBadRequest, "batched requests are not supported: send one operation per request / 不支持批量请求，每次请求只能包含一个操作"
	}
	var req graphQLRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	err = dec.Decode(&req)
	if err == nil && !json.Valid(body) {
		err = errors.New("data after the object")
	}
	if err != nil {
		return nil, http.StatusBadRequest, "the request body is not a GraphQL request, " + jsonProblem(err) +
			`; expected {"query": "…", "variables": {…}} / 请求体应为 JSON 对象 {"query": …}`
	}
	return body, 0, ""
}

// jsonProblem describes a decoding error by position and field only.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it is empty or cut short"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return "it is not a JSON object"
		}
		return fmt.Sprintf("%s must not be a JSON %s", typ.Field, typ.Value)
	}
	return "it has data after the JSON object"
}

// checkGetParams checks a GET request's parameters as readJSONBody checks a
// body: UTF-8 text, and JSON objects for variables and extensions.
func checkGetParams(rawQuery string) string {
	params, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "the URL query is malformed / URL 参数格式错误"
	}
	for name, values := range params {
		for _, v := range values {
			if !utf8.ValidString(v) {
				return "the URL parameter " + url.QueryEscape(name) + " is not valid UTF-8 / URL 参数不是有效的 UTF-8 编码"
			}
		}
	}
	for _, name := range []string{"variables", "extensions"} {
		if v := params.Get(name); v != "" {
			var obj map[string]any
			if err := json.Unmarshal([]byte(v), &obj); err != nil {
				return "the URL parameter " + name + " must be a JSON object, " + jsonProblem(err) + " / 参数须为 JSON 对象"
			}
		}
	}
	return ""
}

// getChangesData reports whether a GET request asks for an operation other
// than a query. A query that does not parse is left to gqlgen to report.
func getChangesData(params url.Values) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: params.Get("query")})
	if err != nil {
		return false
	}
	op := doc.Operations.ForName(params.Get("operationName"))
	return op != nil && op.Operation != ast.Query
}

// codeRefusals holds back a 4xx answer and gives each of its errors that
// lacks extensions.code the code BAD_USER_INPUT.
type codeRefusals struct {
	http.ResponseWriter
	status int
	held   bytes.Buffer
}

func (c *codeRefusals) WriteHeader(status int) {
	if status >= 400 && status < 500 {
		c.status = status
		return
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *codeRefusals) Write(b []byte) (int, error) {
	if c.status != 0 {
		return c.held.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *codeRefusals) finish() {
	if c.status == 0 {
		return
	}
	out := c.held.Bytes()
	var resp map[string]any
	if json.Unmarshal(out, &resp) == nil {
		errs, _ := resp["errors"].([]any)
		for _, e := range errs {
			if e, ok := e.(map[string]any); ok {
				ext, _ := e["extensions"].(map[string]any)
				if ext == nil {
					ext = map[string]any{}
					e["extensions"] = ext
				}
				if _, ok := ext["code"]; !ok {
					ext["code"] = errcode.BadUserInput
				}
			}
		}
		if b, err := json.Marshal(resp); err == nil {
			out = b
		}
	}
	c.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(out)
}
