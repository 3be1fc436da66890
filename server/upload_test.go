package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/roster/rostertest"
)

// multipartUpload is the body of an importRoster request with the
// workbook, and its content type.
func multipartUpload(t testing.TB, workbook []byte) ([]byte, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload!) { importRoster(file: $f, dryRun: true) { id status } }`,
		"variables": map[string]any{"f": nil},
	})
	mw.WriteField("operations", string(ops))
	mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "名册.xlsx")
	fw.Write(workbook)
	mw.Close()
	return body.Bytes(), mw.FormDataContentType()
}

// trapBody is a request body that counts the reads of it.
type trapBody struct {
	r     io.Reader
	reads atomic.Int64
}

func (b *trapBody) Read(p []byte) (int, error) {
	b.reads.Add(1)
	return b.r.Read(p)
}

func (b *trapBody) Close() error { return nil }

// An upload is refused from its headers, before a byte of its body is
// read, unless an admin or a township user sends it: anonymous callers get
// 401 UNAUTHENTICATED, village and partner users 403 FORBIDDEN. The body
// here is the sparse-column workbook of issue 9 (50,000 cells in column
// XFD), which those who may upload see refused as BAD_USER_INPUT.
func TestUploadsNeedARoleBeforeTheBodyIsRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		for _, r := range []struct{ code, name, level string }{{"15", "内蒙古", "PROVINCE"}, {"1502", "包头", "CITY"},
			{"150221", "土右", "COUNTY"}, {"150221105", "萨拉齐镇", "TOWNSHIP"}, {"150221105220", "第一村", "VILLAGE"}} {
			db.Client.Region.Create().SetCode(r.code).SetName(r.name).SetLevel(regionLevel(r.level)).ExecX(ctx)
		}
		inst := db.Client.Institution.Create().SetName("长江大学").SetKind("UNIVERSITY").SaveX(ctx)
		tokens := map[string]string{
			"anonymous":        "",
			"an unknown token": "not-a-session",
			"VILLAGE":          tokenFor(t, db.DB, accounts.NewUser{Username: "village", Role: auth.RoleVillage, RegionCode: "150221105220"}),
			"PARTNER":          tokenFor(t, db.DB, accounts.NewUser{Username: "partner", Role: auth.RolePartner, Institution: inst.ID}),
			"TOWNSHIP":         tokenFor(t, db.DB, accounts.NewUser{Username: "township", Role: auth.RoleTownship, RegionCode: "150221105"}),
			"ADMIN":            tokenFor(t, db.DB, accounts.NewUser{Username: "county", Role: auth.RoleAdmin, RegionCode: "150221"}),
		}
		router := NewRouter(testConfig(), db.DB)
		body, contentType := multipartUpload(t, rostertest.SparseFarColumn(t, 50_000))

		cases := []struct {
			who, contentType string
			status           int
			code, says       string
		}{
			{"anonymous", contentType, http.StatusUnauthorized, "UNAUTHENTICATED", "sign in first"},
			{"an unknown token", contentType, http.StatusUnauthorized, "UNAUTHENTICATED", "sign in first"},
			{"anonymous", strings.Replace(contentType, "multipart/form-data", "Multipart/Form-Data", 1), http.StatusUnauthorized, "UNAUTHENTICATED", ""},
			{"VILLAGE", contentType, http.StatusForbidden, "FORBIDDEN", "your role does not allow this"},
			{"PARTNER", contentType, http.StatusForbidden, "FORBIDDEN", ""},
			{"TOWNSHIP", contentType, http.StatusOK, "BAD_USER_INPUT", "名册.xlsx: sheet 人员 cell XFD2: column beyond the limit of 200 columns / 超出 200 列上限"},
			{"ADMIN", contentType, http.StatusOK, "BAD_USER_INPUT", "column beyond the limit of 200 columns"},
		}
		for _, c := range cases {
			t.Run(c.who+" "+c.contentType[:19], func(t *testing.T) {
				trap := &trapBody{r: bytes.NewReader(body)}
				req := httptest.NewRequest(http.MethodPost, "/graphql", trap)
				req.ContentLength = int64(len(body))
				req.Header.Set("Content-Type", c.contentType)
				req.Header.Set("GraphQL-Require-Preflight", "1")
				if tok := tokens[c.who]; tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				rec := httptest.NewRecorder()
				router.ServeHTTP(rec, req)
				r := gqlReply{status: rec.Code, raw: rec.Body.String()}
				if err := json.Unmarshal([]byte(r.raw), &r); err != nil {
					t.Fatalf("%d %s", r.status, r.raw)
				}
				if r.status != c.status || r.code() != c.code || !strings.Contains(r.raw, c.says) {
					t.Fatalf("%d %s, want %d %s %q", r.status, r.raw, c.status, c.code, c.says)
				}
				reads := trap.reads.Load()
				if allowed := c.status == http.StatusOK; allowed != (reads > 0) {
					t.Fatalf("the body was read %d times", reads)
				}
				if c.status != http.StatusOK && rec.Header().Get("Connection") != "close" {
					t.Error("the connection is kept open with the body unread")
				}
			})
		}

		// Over the network, a client that waits for "100 Continue" never
		// has to send the body: the server answers from the headers.
		t.Run("over the network, the body is never asked for", func(t *testing.T) {
			srv := httptest.NewServer(router)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
			defer client.CloseIdleConnections()
			for _, who := range []string{"anonymous", "VILLAGE"} {
				trap := &trapBody{r: bytes.NewReader(body)}
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", trap)
				req.ContentLength = int64(len(body))
				req.Header.Set("Content-Type", contentType)
				req.Header.Set("GraphQL-Require-Preflight", "1")
				req.Header.Set("Expect", "100-continue")
				if tok := tokens[who]; tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw := readAll(resp)
				if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
					t.Fatalf("%s: %d %s", who, resp.StatusCode, raw)
				}
				if n := trap.reads.Load(); n != 0 {
					t.Fatalf("%s: the client sent the body (%d reads)", who, n)
				}
				if took := time.Since(start); took > 10*time.Second {
					t.Fatalf("%s: took %v", who, took)
				}
			}
		})
	})
}

// limitBody's limit belongs to each request: a multipart request (which
// may carry an upload of 8 MiB here) does not raise the limit of the JSON
// requests after it or beside it (64 KiB here). Run with -race.
func TestBodyLimitIsPerRequest(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	router := NewRouter(testConfig(), db.DB)
	upload, contentType := multipartUpload(t, []byte("not a workbook"))
	big := `{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", 100<<10) + `"}}`
	multipartRequest := func() *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(upload))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("GraphQL-Require-Preflight", "1")
		return req
	}
	jsonRequest := func(chunked bool) *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big))
		if chunked {
			req.ContentLength = -1 // the limit must hold while reading, too
		}
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	serve := func(req *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		return rec
	}

	serve(multipartRequest()) // refused, but through limitBody
	for _, chunked := range []bool{false, true} {
		if rec := serve(jsonRequest(chunked)); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "larger than 65536 bytes") {
			t.Fatalf("a JSON body of 100 KiB after a multipart request (chunked %v): %d %.200s", chunked, rec.Code, rec.Body)
		}
	}

	// At the same time.
	var wg sync.WaitGroup
	var wrong atomic.Int64
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				serve(multipartRequest())
				return
			}
			if rec := serve(jsonRequest(i%4 == 1)); rec.Code != http.StatusRequestEntityTooLarge {
				wrong.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := wrong.Load(); n != 0 {
		t.Fatalf("%d oversized JSON bodies accepted beside multipart requests", n)
	}
}
