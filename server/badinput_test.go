package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/roster/rostertest"
)

// gqlReply is a GraphQL response as the tests read it.
type gqlReply struct {
	status int
	raw    string
	Data   map[string]json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func (r gqlReply) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// send makes one request to /graphql; body is sent without a length when
// chunked is set.
func send(t *testing.T, base, method, contentType, query, body string, chunked bool) gqlReply {
	t.Helper()
	var rd io.Reader = strings.NewReader(body)
	if chunked {
		rd = io.MultiReader(rd) // hides the length: sent chunked
	}
	req, err := http.NewRequest(method, base+"/graphql"+query, rd)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the server did not answer: %v", err)
	}
	r := gqlReply{status: resp.StatusCode, raw: readAll(resp)}
	if err := json.Unmarshal([]byte(r.raw), &r); err != nil {
		t.Fatalf("answer is not JSON (%d): %.300s", r.status, r.raw)
	}
	return r
}

// body encodes a GraphQL request as JSON.
func body(query string, variables map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	return string(b)
}

func globalID(typ string, n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.Itoa(n)))
}

// TestBadInput sends what clients should not, and checks that each gets a
// clear coded error quickly and that the server still answers afterwards.
func TestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		cfg := testConfig()
		cfg.MaxAliases, cfg.MaxFields = 30, 500
		cfg.MaxBodyBytes = 1 << 20
		srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(cfg, db.DB)))
		defer srv.Close()

		created := send(t, srv.URL, "POST", "application/json",
			"", body(`mutation { createPerson(input: {name: "张慧婷"}) { id } }`, nil), false)
		var person struct{ ID string }
		if err := json.Unmarshal(created.Data["createPerson"], &person); err != nil || person.ID == "" {
			t.Fatalf("creating a person: %s", created.raw)
		}
		raw, _ := base64.RawURLEncoding.DecodeString(person.ID)
		typ, num, _ := strings.Cut(string(raw), ":")
		personNum, _ := strconv.Atoi(num)
		if typ != "Person" {
			t.Fatalf("unexpected ID layout %q", raw)
		}

		alive := func(t *testing.T) {
			t.Helper()
			r := send(t, srv.URL, "POST", "application/json", "", body(`{ people { totalCount } }`, nil), false)
			if r.status != 200 || !strings.Contains(r.raw, `"totalCount":1`) {
				t.Fatalf("a normal query fails afterwards: %d %s", r.status, r.raw)
			}
		}

		var aliases, fields strings.Builder
		for i := range 40000 {
			fmt.Fprintf(&aliases, "a%d: __typename ", i)
		}
		for range 600 {
			fields.WriteString("__typename ")
		}
		// Each fragment spreads the next twice: 2^40 fields once expanded.
		var fragments strings.Builder
		fragments.WriteString("{ ...F0 } ")
		for i := range 40 {
			fmt.Fprintf(&fragments, "fragment F%d on Query { ...F%d ...F%d } ", i, i+1, i+1)
		}
		fragments.WriteString("fragment F40 on Query { __typename }")
		deep := strings.Repeat("{ people { edges { node ", 2500) + "{ id" + strings.Repeat(" } } }", 2500) + " }"
		deepList := "{ nodes(ids: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + ") { id } }"
		deepJSON := `{"query":"{ __typename }","variables":{"v":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`
		bad := "\xff\xfe\xc3\x28"
		// 100,000 directives on one field: each was an error of its own.
		directiveBomb := "{ __typename" + strings.Repeat(" @x", 100000) + " }"
		// 3 unknown directives on each of 100 fields: 300 errors.
		manyErrors := "{" + strings.Repeat(" __typename @x @y @z", 100) + " }"
		ids := make([]string, 1001)
		for i := range ids {
			ids[i] = globalID("Person", personNum)
		}
		names := make([]string, 40000)
		for i := range names {
			names[i] = "张"
		}

		cases := []struct {
			name                     string
			method, contentType, url string
			body                     string
			chunked                  bool
			status                   int
			code, says               string
			hides                    string // must not be in the answer
		}{
			{name: "malformed JSON", body: `{"query": "{ people { totalCount } }"`, status: 400, says: "not a GraphQL request"},
			{name: "empty body", body: ``, status: 400, says: "empty"},
			{name: "JSON that is not an object", body: `"{ people { totalCount } }"`, status: 400, says: "not a JSON object"},
			{name: "query that is not a string", body: `{"query": 5}`, status: 400, says: "query must not be"},
			{name: "data after the object", body: `{"query": "{ __typename }"} {}`, status: 400, says: "not a GraphQL request"},
			{name: "a batch", body: `[{"query": "{ __typename }"}, {"query": "{ __typename }"}]`, status: 400, says: "batched"},
			{name: "text/plain", contentType: "text/plain", body: body(`{ __typename }`, nil), status: 415},
			{name: "form", contentType: "application/x-www-form-urlencoded", body: "query=%7B__typename%7D", status: 415},
			{name: "no content type", contentType: "-", body: body(`{ __typename }`, nil), status: 415},
			{name: "application/graphql", contentType: "application/graphql", body: `{ __typename }`, status: 415},
			{name: "PUT", method: "PUT", body: body(`{ __typename }`, nil), status: 405},
			{name: "selections nested 10,000 deep", body: body(deep, nil), status: 200, code: "GRAPHQL_PARSE_FAILED", says: "nesting depth"},
			{name: "a list argument nested 10,000 deep", body: body(deepList, nil), status: 200, code: "GRAPHQL_PARSE_FAILED", says: "nesting depth"},
			{name: "variables nested 20,000 deep", body: deepJSON, status: 400, says: "not a GraphQL request"},
			{name: "alias bomb", body: body("{"+aliases.String()+"}", nil), status: 200, says: "more than 30 aliases"},
			{name: "600 fields", body: body("{"+fields.String()+"}", nil), status: 200, says: "more than 500 fields"},
			{name: "fragments spread 2^40 times", body: body(fragments.String(), nil), status: 200, says: "more than 500 fields"},
			{name: "first: 1000000", body: body(`{ people(first: 1000000) { totalCount } }`, nil), status: 200, says: "maximum page size"},
			{name: "first: -1", body: body(`{ people(first: -1) { totalCount } }`, nil), status: 200, says: "negative"},
			{name: "first in a variable", body: body(`query($n: Int) { regions(first: $n) { totalCount } }`, map[string]any{"n": 1000000}),
				status: 200, says: "maximum page size"},
			{name: "not an ID", body: body(`{ node(id: "zzz") { id } }`, nil), status: 200, says: "not a valid ID"},
			{name: "ID of one type forged as another", body: body(`query($id: ID!) { node(id: $id) { id } }`,
				map[string]any{"id": globalID("Region", personNum)}), status: 200, says: "not a valid ID"},
			{name: "ID of an unknown type", body: body(`query($id: ID!) { node(id: $id) { id } }`,
				map[string]any{"id": globalID("Secret", 1)}), status: 200, says: "not a valid ID"},
			{name: "ID with a huge number", body: body(`query($id: ID!) { node(id: $id) { id } }`,
				map[string]any{"id": globalID("Person", 0) + "99999999999999999999999"}), status: 200, says: "not a valid ID"},
			{name: "ID of no one", body: body(`query($id: ID!) { node(id: $id) { id } }`,
				map[string]any{"id": globalID("Person", personNum+1000)}), status: 200, code: "NOT_FOUND"},
			{name: "ID as a number", body: body(`mutation($id: ID!) { updatePerson(id: $id, input: {}) { id } }`, map[string]any{"id": 12}),
				status: 200},
			{name: "invalid UTF-8 in the query", body: `{"query":"{ people(where: {nameContains: \"` + bad + `\"}) { totalCount } }"}`,
				status: 400, says: "UTF-8"},
			{name: "invalid UTF-8 in a variable", body: `{"query":"query($s: String) { people(where: {nameContains: $s}) { totalCount } }","variables":{"s":"` + bad + `"}}`,
				status: 400, says: "UTF-8"},
			{name: "invalid UTF-8 in a GET parameter", method: "GET", url: "?query=" + url.QueryEscape("{ people { totalCount } }") + "&variables=" + url.QueryEscape(`{"s":"`+bad+`"}`),
				status: 400, says: "UTF-8"},
			{name: "NUL in a variable", body: body(`query($s: String) { people(where: {nameContains: $s}) { totalCount } }`, map[string]any{"s": "a\x00b"}),
				status: 200, says: "U+0000"},
			{name: "NUL in a literal", body: body(`{ people(where: {nameContains: "a\u0000b"}) { totalCount } }`, nil),
				status: 200, says: "U+0000"},
			{name: "GET variables that are not JSON", method: "GET", url: "?query=" + url.QueryEscape("{ __typename }") + "&variables=%7Bnope",
				status: 400, says: "variables must be a JSON object"},
			{name: "mutation over GET", method: "GET", url: "?query=" + url.QueryEscape(`mutation { createPerson(input: {name: "GET"}) { id } }`),
				status: 405, says: "POST"},
			{name: "100,000 directives on one field", body: body(directiveBomb, nil), status: 200, says: "directives"},
			{name: "300 errors", body: body(manyErrors, nil), status: 200, says: "more than 50 errors"},
			{name: "1,001 node IDs", body: body(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}),
				status: 200, says: "more than 1000 items"},
			{name: "nameIn with 40,000 names", body: body(`query($n: [String!]) { people(where: {nameIn: $n}) { totalCount } }`, map[string]any{"n": names}),
				status: 200, says: "more than 1000 items"},
			{name: "an empty filter inside not", body: body(`{ people(where: {not: {}}) { totalCount } }`, nil), status: 200, says: "empty filter"},
			{name: "hasPosts: Boolean (asks about rows out of sight)", body: body(`{ regions(where: {hasPosts: true}) { totalCount } }`, nil),
				status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
			{name: "oversized body", body: `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 1<<20) + `"}}`,
				status: 413, says: "larger than"},
			// Phones are searched by exactly their last 4 digits: more would
			// rebuild the masked middle digits one by one.
			{name: "phone search by 11 digits", body: body(`query($q: String!) { search(query: $q) { kind } }`, map[string]any{"q": "13800138000"}),
				status: 200, says: "last 4 digits", hides: "13800138000"},
			{name: "phone search by 5 digits", body: body(`{ search(query: "38000") { kind } }`, nil), status: 200, says: "last 4 digits"},
			{name: "phone search by 3 digits", body: body(`{ search(query: "000") { kind } }`, nil), status: 200, says: "last 4 digits"},
			// Passwords: not the username, not a common one, not a repetition;
			// the answer never quotes them.
			{name: "password equal to the username", body: body(`mutation($in: CreateUserInput!) { createUser(input: $in) { password } }`,
				map[string]any{"in": map[string]any{"username": "zhangweiwei", "role": "ADMIN", "password": "ZhangWeiWei"}}),
				status: 200, says: "username", hides: "ZhangWeiWei"},
			{name: "a common password", body: body(`mutation($in: CreateUserInput!) { createUser(input: $in) { password } }`,
				map[string]any{"in": map[string]any{"username": "lihua", "role": "ADMIN", "password": "Password2024!"}}),
				status: 200, says: "most common", hides: "Password2024"},
			{name: "a password of one character", body: body(`mutation($in: CreateUserInput!) { createUser(input: $in) { password } }`,
				map[string]any{"in": map[string]any{"username": "lihua", "role": "ADMIN", "password": "xxxxxxxxxxxxxxxx"}}),
				status: 200, says: "repeat", hides: "xxxxxxxxxxxxxxxx"},
			{name: "oversized body without a length", body: `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 1<<20) + `"}}`,
				chunked: true, status: 413, says: "larger than"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				method, ct := c.method, c.contentType
				if method == "" {
					method = "POST"
				}
				switch ct {
				case "":
					ct = "application/json"
				case "-":
					ct = ""
				}
				if method == "GET" {
					ct = ""
				}
				start := time.Now()
				r := send(t, srv.URL, method, ct, c.url, c.body, c.chunked)
				took := time.Since(start)
				t.Logf("%d %s in %v", r.status, r.code(), took.Round(time.Microsecond))
				want := c.code
				if want == "" {
					want = "BAD_USER_INPUT"
				}
				if r.code() != want {
					t.Errorf("extensions.code %q, want %q: %.400s", r.code(), want, r.raw)
				}
				if r.status != c.status {
					t.Errorf("status %d, want %d", r.status, c.status)
				}
				if c.says != "" && !strings.Contains(r.Errors[0].Message, c.says) {
					t.Errorf("message %q does not say %q", r.Errors[0].Message, c.says)
				}
				if c.hides != "" && strings.Contains(r.raw, c.hides) {
					t.Errorf("the answer quotes %q: %s", c.hides, r.raw)
				}
				if len(r.raw) > 4096 {
					t.Errorf("the answer is %d bytes: it should not quote the request", len(r.raw))
				}
				if took > 2*time.Second {
					t.Errorf("took %v", took)
				}
				alive(t)
			})
		}

		// A multipart upload whose form gqlgen cannot read.
		for _, form := range []string{"operations=%7Bnope", "map=%7B%7D"} {
			t.Run("multipart form "+form, func(t *testing.T) {
				name, value, _ := strings.Cut(form, "=")
				value, _ = url.QueryUnescape(value)
				var b strings.Builder
				mw := multipart.NewWriter(&b)
				mw.WriteField(name, value)
				mw.Close()
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(b.String()))
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("GraphQL-Require-Preflight", "1")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				r := gqlReply{status: resp.StatusCode, raw: readAll(resp)}
				if err := json.Unmarshal([]byte(r.raw), &r); err != nil || r.status != 422 || r.code() != "BAD_USER_INPUT" {
					t.Fatalf("%d %s", r.status, r.raw)
				}
				alive(t)
			})
		}

		// The hostile workbooks of issue 9, each a small upload: an admin's
		// is read within the roster's limits and refused naming the limit,
		// an anonymous one before its body is read.
		bombs := []struct {
			name string
			file []byte
			says string
		}{
			{"a cell in column XFD in each of 50,000 rows", rostertest.SparseFarColumn(t, 50_000), "sheet 人员 cell XFD2: column beyond the limit of 200 columns"},
			{"250,000 rows", rostertest.ManyRows(t, 250_000), "sheet 人员 row 200001: more than 200000 rows"},
			{"a shared string of 100 MiB", rostertest.HugeSharedString(t, 100), "shared string 1 holds more than 32767 characters"},
			{"a zip bomb of 3 GiB in xl/media/", rostertest.MediaZipBomb(t, 3<<10), `the part "xl/media/image1.png" unpacks to more than 256 MiB`},
		}
		for _, b := range bombs {
			for _, who := range []string{"admin", "anonymous"} {
				t.Run("upload of "+b.name+" as "+who, func(t *testing.T) {
					body, contentType := multipartUpload(t, b.file)
					req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
					req.Header.Set("Content-Type", contentType)
					req.Header.Set("GraphQL-Require-Preflight", "1")
					if who == "anonymous" {
						req.Header.Set("Authorization", "Bearer nobody") // not a session: anonymous
					}
					start := time.Now()
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					r := gqlReply{status: resp.StatusCode, raw: readAll(resp)}
					t.Logf("%d KB: %d in %v", len(b.file)>>10, r.status, time.Since(start).Round(time.Millisecond))
					if err := json.Unmarshal([]byte(r.raw), &r); err != nil {
						t.Fatalf("%d %.300s", r.status, r.raw)
					}
					switch {
					case who == "anonymous" && (r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED"):
						t.Errorf("anonymous upload: %d %.300s", r.status, r.raw)
					case who == "admin" && (r.status != http.StatusOK || r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, b.says)):
						t.Errorf("admin upload: %d %.300s, want BAD_USER_INPUT saying %q", r.status, r.raw, b.says)
					}
					alive(t)
				})
			}
		}

		// SQL metacharacters are data: they come back as no match, and the
		// tables are still there.
		for _, s := range []string{"'; DROP TABLE persons; --", `"; DROP TABLE persons; --`, `%`, `_`, `\`, `' OR '1'='1`, `张'`} {
			t.Run("SQL metacharacters "+strconv.Quote(s), func(t *testing.T) {
				r := send(t, srv.URL, "POST", "application/json", "", body(
					`query($s: String!) { people(where: {nameContains: $s}) { totalCount } }`, map[string]any{"s": s}), false)
				if r.status != 200 || r.raw != `{"data":{"people":{"totalCount":0}}}` {
					t.Fatalf("%d %s", r.status, r.raw)
				}
				r = send(t, srv.URL, "POST", "application/json", "", body(
					`query($s: String!) { search(query: $s) { kind } }`, map[string]any{"s": s}), false)
				// The search answers (张' is 张 to it), or refuses a query it cannot read.
				if r.status != 200 || !strings.HasPrefix(r.raw, `{"data":{"search":[`) && r.code() != "BAD_USER_INPUT" {
					t.Fatalf("search: %d %s", r.status, r.raw)
				}
				if n, err := db.Client.Person.Query().Count(auth.System(context.Background())); err != nil || n != 1 {
					t.Fatalf("people: %d, %v", n, err)
				}
				alive(t)
			})
		}
	})
}

// TestPersistedQueries: a client sends the hash of a query alone, learns
// that the server does not know it, sends query and hash once, and from
// then on the hash alone runs the query.
func TestPersistedQueries(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(testConfig(), db.DB)))
	defer srv.Close()
	query := `{ regions { totalCount } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	request := func(withQuery bool) gqlReply {
		m := map[string]any{"extensions": ext}
		if withQuery {
			m["query"] = query
		}
		b, _ := json.Marshal(m)
		return send(t, srv.URL, "POST", "application/json", "", string(b), false)
	}
	if r := request(false); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %s", r.raw)
	}
	if r := request(true); r.status != 200 || !strings.Contains(r.raw, `"totalCount":0`) {
		t.Fatalf("query with hash: %s", r.raw)
	}
	if r := request(false); r.status != 200 || !strings.Contains(r.raw, `"totalCount":0`) {
		t.Fatalf("hash alone after registration: %s", r.raw)
	}
	// Over GET, as Apollo clients send them.
	e, _ := json.Marshal(ext)
	resp, err := http.Get(srv.URL + "/graphql?extensions=" + url.QueryEscape(string(e)))
	if err != nil {
		t.Fatal(err)
	}
	if raw := readAll(resp); !strings.Contains(raw, `"totalCount":0`) {
		t.Fatalf("GET with the hash: %s", raw)
	}
	// A hash that does not match its query is refused with a code.
	b, _ := json.Marshal(map[string]any{"query": `{ people { totalCount } }`, "extensions": ext})
	if r := send(t, srv.URL, "POST", "application/json", "", string(b), false); r.code() != "BAD_USER_INPUT" ||
		strings.Contains(r.raw, "totalCount\":") {
		t.Fatalf("mismatched hash: %s", r.raw)
	}
	// Limits apply to persisted queries too.
	var aliases strings.Builder
	for i := range 31 {
		fmt.Fprintf(&aliases, "a%d: __typename ", i)
	}
	big := "{" + aliases.String() + "}"
	sum = sha256.Sum256([]byte(big))
	b, _ = json.Marshal(map[string]any{"query": big, "extensions": map[string]any{
		"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}})
	if r := send(t, srv.URL, "POST", "application/json", "", string(b), false); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("alias limit with APQ: %s", r.raw)
	}
}

// TestErrorsDoNotEchoInput: a value refused for its type is not repeated in
// the message (a phone or ID number typed into the wrong field would be
// written back, and into whatever logs the client keeps).
func TestErrorsDoNotEchoInput(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(testConfig(), db.DB)))
	defer srv.Close()
	const secret = "13800138000"
	for _, c := range []struct {
		q string
		v map[string]any
	}{
		{`{ people(where: {gender: A13800138000}) { totalCount } }`, nil},
		{`query($g: PersonGender) { people(where: {gender: $g}) { totalCount } }`, map[string]any{"g": secret}},
		{`{ people(first: "13800138000") { totalCount } }`, nil},
		{`query($n: Int) { people(first: $n) { totalCount } }`, map[string]any{"n": 13800138000}},
		{`{ node(id: "13800138000") { id } }`, nil},
		{`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": secret}},
		{`{ people(where: {birthDate: "13800138000"}) { totalCount } }`, nil},
		{`query($d: Date) { people(where: {birthDate: $d}) { totalCount } }`, map[string]any{"d": secret}},
		{`{ people(where: {name: 13800138000}) { totalCount } }`, nil},
		{`{ people(where: {nameIn: [13800138000]}) { totalCount } }`, nil},
		{`{ people(where: {birthDateIsNil: 13800138000}) { totalCount } }`, nil},
		{`{ people(where: {gender: {x: "13800138000"}}) { totalCount } }`, nil},
	} {
		r := send(t, srv.URL, "POST", "application/json", "", body(c.q, c.v), false)
		if len(r.Errors) == 0 || r.code() == "" {
			t.Errorf("%s: no coded error: %s", c.q, r.raw)
		}
		for _, e := range r.Errors {
			if strings.Contains(e.Message, secret) {
				t.Errorf("%s: the message repeats the value: %s", c.q, e.Message)
			}
		}
	}
}
