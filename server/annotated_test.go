package main

import (
	"bytes"
	"context"
	"encoding/json"
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
		var up struct {
			Data struct{ ImportRoster struct{ ID string } }
		}
		if err := json.Unmarshal([]byte(body), &up); err != nil || up.Data.ImportRoster.ID == "" {
			t.Fatalf("upload: %s", body)
		}
		var url string
		for until := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(until) {
				t.Fatal("the job did not finish")
			}
			q, _ := json.Marshal(map[string]any{
				"query":     `query($id: ID!) { importJob(id: $id) { status annotatedURL } }`,
				"variables": map[string]any{"id": up.Data.ImportRoster.ID},
			})
			var job struct {
				Data struct {
					ImportJob struct {
						Status       string
						AnnotatedURL *string
					}
				}
			}
			b := readAll(post(t, admin.URL, "application/json", string(q)))
			json.Unmarshal([]byte(b), &job)
			if s := job.Data.ImportJob.Status; s != "QUEUED" && s != "RUNNING" {
				if s != "REJECTED" || job.Data.ImportJob.AnnotatedURL == nil {
					t.Fatalf("job: %s", b)
				}
				url = *job.Data.ImportJob.AnnotatedURL
				break
			}
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
	})
}
