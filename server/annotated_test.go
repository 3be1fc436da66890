package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/divisions"
	"yanzhen/ent/auditlog"
	"yanzhen/importjob"
)

// A REJECTED upload's annotated workbook downloads for whoever may read the
// job, with the Authorization of the API; to anyone else it is 404, like
// a missing job, and to nobody 401.
func TestUploadAnnotatedWorkbookDownload(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		if _, err := divisions.Import(ctx, db.DB, divisions.Embedded(), divisions.Options{}); err != nil {
			t.Fatal(err)
		}
		jobsCtx, stopJobs := context.WithCancel(context.Background())
		jobs := importjob.Start(jobsCtx, db.DB, importjob.Options{Poll: 50 * time.Millisecond})
		defer func() { stopJobs(); jobs.Wait() }()
		cfg := testConfig()
		cfg.importJobs = jobs
		router := NewRouter(cfg, db.DB)
		admin := httptest.NewServer(asAdmin(t, db.DB, router))
		defer admin.Close()
		plain := httptest.NewServer(router)
		defer plain.Close()

		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "人员")
		f.SetSheetRow("人员", "A1", &[]any{"萨拉齐镇花名册"})
		f.SetSheetRow("人员", "A2", &[]any{"人员编号", "姓名", "性别", "所在村代码"})
		f.SetSheetRow("人员", "A3", &[]any{"X1", "甲", "男", "150221105220"})
		f.SetSheetRow("人员", "A4", &[]any{"X2", "乙", "公", "150221105220"}) // C4: not an allowed word
		var file bytes.Buffer
		f.Write(&file)

		_, body := uploadRoster(t, admin.URL, file.Bytes(), true, true)
		url := annotatedURLOf(t, admin.URL, "", jobID(t, body))
		if url == "" {
			t.Fatal("no annotated workbook")
		}

		get := func(base, token string) *http.Response {
			req, _ := http.NewRequest(http.MethodGet, base+url, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		resp := get(admin.URL, "")
		defer resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Fatalf("owner: %d %v", resp.StatusCode, resp.Header)
		}
		a, err := excelize.OpenReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if cs, _ := a.GetComments("人员"); len(cs) != 2 || cs[0].Cell != "A2" && cs[1].Cell != "A2" {
			// C4's problem and A2's warning (the header under a title row).
			t.Fatalf("comments %+v", cs)
		}
		if a.GetSheetName(0) != "问题汇总" {
			t.Fatalf("first sheet %q", a.GetSheetName(0))
		}

		if r := get(plain.URL, ""); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", r.StatusCode)
		}
		town := tokenFor(t, db.DB, accounts.NewUser{Username: "town", Role: auth.RoleTownship, RegionCode: "150221105"})
		if r := get(plain.URL, town); r.StatusCode != http.StatusNotFound {
			t.Errorf("another user: %d %s", r.StatusCode, readAll(r))
		}
		url = "/import-jobs/999999/annotated.xlsx"
		if r := get(admin.URL, ""); r.StatusCode != http.StatusNotFound {
			t.Errorf("missing job: %d", r.StatusCode)
		}

		// A township user's upload: the county's admin reads the job, but
		// the workbook (phone and ID numbers in clear) only with
		// personal-data access.
		_, body = uploadAs(t, plain.URL, town, file.Bytes())
		id := jobID(t, body)
		url = annotatedURLOf(t, plain.URL, town, id)
		if url == "" {
			t.Fatal("the submitter gets no annotated workbook")
		}
		if r := get(plain.URL, town); r.StatusCode != 200 {
			t.Errorf("submitter: %d", r.StatusCode)
		}
		county := tokenFor(t, db.DB, accounts.NewUser{Username: "county", Role: auth.RoleAdmin, RegionCode: "150221"})
		if u := annotatedURLOf(t, plain.URL, county, id); u != "" {
			t.Errorf("county admin without personal-data access is offered %s", u)
		}
		if r := get(plain.URL, county); r.StatusCode != http.StatusForbidden {
			t.Errorf("county admin without personal-data access: %d", r.StatusCode)
		}
		countyPD := tokenFor(t, db.DB, accounts.NewUser{Username: "county-pd", Role: auth.RoleAdmin, RegionCode: "150221", PersonalData: true})
		if r := get(plain.URL, countyPD); r.StatusCode != 200 {
			t.Errorf("county admin with personal-data access: %d", r.StatusCode)
		}
		if n := db.Client.AuditLog.Query().Where(auditlog.EntityType("ImportJob"), auditlog.ActionEQ(auditlog.ActionEXPORT)).CountX(ctx); n != 3 {
			t.Errorf("%d downloads audited, want 3", n)
		}
	})
}

// uploadAs sends a dry-run upload with the user's bearer token.
func uploadAs(t *testing.T, base, token string, workbook []byte) (int, string) {
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
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("GraphQL-Require-Preflight", "1")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
}

func jobID(t *testing.T, body string) string {
	t.Helper()
	var up struct {
		Data struct{ ImportRoster struct{ ID string } }
	}
	if err := json.Unmarshal([]byte(body), &up); err != nil || up.Data.ImportRoster.ID == "" {
		t.Fatalf("upload: %s", body)
	}
	return up.Data.ImportRoster.ID
}

// annotatedURLOf polls the job (as the user of token; "" for the server's
// own) until it has finished REJECTED, and returns its annotatedURL.
func annotatedURLOf(t *testing.T, base, token, id string) string {
	t.Helper()
	for until := time.Now().Add(60 * time.Second); time.Now().Before(until); time.Sleep(50 * time.Millisecond) {
		q, _ := json.Marshal(map[string]any{
			"query":     `query($id: ID!) { importJob(id: $id) { status annotatedURL } }`,
			"variables": map[string]any{"id": id},
		})
		var job struct {
			Data struct {
				ImportJob struct {
					Status       string
					AnnotatedURL *string
				}
			}
		}
		var headers []string
		if token != "" {
			headers = []string{"Authorization", "Bearer " + token}
		}
		b := readAll(post(t, base, "application/json", string(q), headers...))
		json.Unmarshal([]byte(b), &job)
		if s := job.Data.ImportJob.Status; s != "QUEUED" && s != "RUNNING" {
			if s != "REJECTED" {
				t.Fatalf("job: %s", b)
			}
			if job.Data.ImportJob.AnnotatedURL == nil {
				return ""
			}
			return *job.Data.ImportJob.AnnotatedURL
		}
	}
	t.Fatal("the job did not finish")
	return ""
}
