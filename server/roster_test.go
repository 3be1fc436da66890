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

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/divisions"
	"yanzhen/importjob"
	"yanzhen/roster"
)

// uploadRoster sends the workbook as a GraphQL multipart request; the
// answer is the import job.
func uploadRoster(t *testing.T, url string, workbook []byte, dryRun bool, preflight bool) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload!, $d: Boolean) { importRoster(file: $f, dryRun: $d) { id status } }`,
		"variables": map[string]any{"f": nil, "d": dryRun},
	})
	mw.WriteField("operations", string(ops))
	mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "名册.xlsx")
	fw.Write(workbook)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if preflight {
		req.Header.Set("GraphQL-Require-Preflight", "1")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
}

type importReport struct {
	OK, Written, DryRun bool
	Problems            []struct {
		Sheet, Column, Value, Reason string
		Row                          int
	}
	Counts []struct {
		Sheet                             string
		Rows, Created, Updated, Unchanged int
	}
}

// importAndPoll uploads the workbook, then polls the job (as the web app
// does) until it has finished, and returns its status and report.
func importAndPoll(t *testing.T, url string, workbook []byte, dryRun bool) (string, importReport) {
	t.Helper()
	_, body := uploadRoster(t, url, workbook, dryRun, true)
	var up struct {
		Data struct {
			ImportRoster struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal([]byte(body), &up); err != nil || up.Data.ImportRoster.Status != "QUEUED" {
		t.Fatalf("upload: %s", body)
	}
	for until := time.Now().Add(60 * time.Second); time.Now().Before(until); time.Sleep(50 * time.Millisecond) {
		q, _ := json.Marshal(map[string]any{
			"query": `query($id: ID!) { importJob(id: $id) { status report {
				ok written dryRun problems { sheet row column value reason } counts { sheet rows created updated unchanged } } } }`,
			"variables": map[string]any{"id": up.Data.ImportRoster.ID},
		})
		var job struct {
			Data struct {
				ImportJob struct {
					Status string
					Report *importReport
				}
			}
		}
		body := readAll(post(t, url, "application/json", string(q)))
		if err := json.Unmarshal([]byte(body), &job); err != nil {
			t.Fatalf("poll: %s", body)
		}
		if s := job.Data.ImportJob.Status; s != "QUEUED" && s != "RUNNING" {
			if job.Data.ImportJob.Report == nil {
				t.Fatalf("finished without a report: %s", body)
			}
			return s, *job.Data.ImportJob.Report
		}
	}
	t.Fatal("the import job did not finish")
	return "", importReport{}
}

func TestRosterUploadAndDownload(t *testing.T) {
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
		srv := httptest.NewServer(asAdmin(t, db.DB, NewRouter(cfg, db.DB)))
		defer srv.Close()
		var template bytes.Buffer
		if err := roster.Template(&template); err != nil {
			t.Fatal(err)
		}

		t.Run("a multipart request without the preflight header is refused", func(t *testing.T) {
			status, body := uploadRoster(t, srv.URL, template.Bytes(), true, false)
			if status != http.StatusBadRequest || !strings.Contains(body, "BAD_USER_INPUT") {
				t.Fatalf("%d %s", status, body)
			}
		})

		t.Run("a bad row is reported with sheet, row and column, and nothing is written", func(t *testing.T) {
			f, err := excelize.OpenReader(bytes.NewReader(template.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("人员")
			col := -1
			for i, h := range rows[0] {
				if h == "身份证号" {
					col = i
				}
			}
			cell, _ := excelize.CoordinatesToCellName(col+1, 2)
			f.SetCellValue("人员", cell, "150221198805120028") // wrong check digit
			var bad bytes.Buffer
			f.Write(&bad)
			status, r := importAndPoll(t, srv.URL, bad.Bytes(), false)
			if status != "REJECTED" || r.OK || r.Written || len(r.Problems) == 0 {
				t.Fatalf("bad roster accepted: %s %+v", status, r)
			}
			p := r.Problems[0]
			if p.Sheet != "人员" || p.Row != 2 || p.Column != "身份证号" || strings.Contains(p.Value, "19880512") {
				t.Fatalf("problem not located or not masked: %+v", p)
			}
			if n, _ := db.Client.Person.Query().Count(ctx); n != 0 {
				t.Fatalf("%d people written from an invalid roster", n)
			}
		})

		t.Run("dry run, then the real import", func(t *testing.T) {
			status, rep := importAndPoll(t, srv.URL, template.Bytes(), true)
			if status != "SUCCEEDED" || !rep.OK || rep.Written || !rep.DryRun {
				t.Fatalf("dry run: %s %+v", status, rep)
			}
			if n, _ := db.Client.Person.Query().Count(ctx); n != 0 {
				t.Fatal("the dry run wrote people")
			}
			status, rep = importAndPoll(t, srv.URL, template.Bytes(), false)
			if status != "SUCCEEDED" || !rep.OK || !rep.Written {
				t.Fatalf("import: %s %+v", status, rep)
			}
			if n, _ := db.Client.Person.Query().Count(ctx); n == 0 {
				t.Fatal("the import wrote no people")
			}
		})

		t.Run("the download is the roster with personal data masked", func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/export/roster.xlsx?region=150221")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			f, err := excelize.OpenReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("人员")
			if len(rows) < 2 {
				t.Fatalf("people sheet: %v", rows)
			}
			all := ""
			for _, r := range rows {
				all += strings.Join(r, "|") + "\n"
			}
			if strings.Contains(all, "13800138000") || strings.Contains(all, "150221198805120029") || !strings.Contains(all, "138****8000") {
				t.Fatalf("download not masked:\n%s", all)
			}
			resp2, _ := http.Get(srv.URL + "/export/roster.xlsx?region=abc")
			resp2.Body.Close()
			if resp2.StatusCode != http.StatusBadRequest {
				t.Fatalf("bad region code: %d", resp2.StatusCode)
			}
		})

		t.Run("the template downloads", func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/roster-template.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if _, err := excelize.OpenReader(resp.Body); err != nil || resp.StatusCode != 200 {
				t.Fatalf("%d %v", resp.StatusCode, err)
			}
		})
	})
}
