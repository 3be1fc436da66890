package graph_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	entjob "yanzhen/ent/importjob"
	jobs "yanzhen/importjob"
)

// uploadNamed sends importRoster with a file of the given name.
func (a *api) uploadNamed(name string, file []byte, dryRun bool) response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload!, $d: Boolean) { importRoster(file: $f, dryRun: $d) { id status fileName } }`,
		"variables": map[string]any{"f": nil, "d": dryRun},
	})
	mw.WriteField("operations", string(ops))
	mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", name)
	fw.Write(file)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	resp.Raw = rec.Body.String()
	return resp
}

type reportJob struct {
	ID, Status   string
	AnnotatedURL *string
	Report       *struct {
		OK     bool
		Groups []struct {
			Kind   string
			Text   struct{ Zh, En string }
			Count  int
			Sheets []string
			Sample []struct {
				Sheet string
				Row   int
				Cell  string
			}
		}
		Problems []struct {
			Sheet, Column, Value, Kind, Read, Cell, Rule string
			Row                                          int
		}
		Counts []struct {
			Sheet         string
			Rows, Created int
		}
	}
}

// submitAndWait uploads a file and polls its job to the end.
func (a *api) submitAndWait(name string, file []byte) reportJob {
	a.t.Helper()
	r := a.uploadNamed(name, file, true)
	var up struct{ ImportRoster struct{ ID string } }
	if err := json.Unmarshal(r.Data, &up); err != nil || len(r.Errors) > 0 {
		a.t.Fatalf("upload %s: %s", name, r.Raw)
	}
	for until := time.Now().Add(60 * time.Second); time.Now().Before(until); time.Sleep(20 * time.Millisecond) {
		var out struct{ ImportJob reportJob }
		a.ok(`query($id: ID!) { importJob(id: $id) { id status annotatedURL report { ok
			groups { kind text { zh en } count sheets sample { sheet row cell } }
			problems { sheet row column value kind read cell rule }
			counts { sheet rows created } } } }`, map[string]any{"id": up.ImportRoster.ID}, &out)
		if s := out.ImportJob.Status; s != "QUEUED" && s != "RUNNING" {
			return out.ImportJob
		}
	}
	a.t.Fatalf("job of %s did not finish", name)
	return reportJob{}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	zw.Close()
	return b.Bytes()
}

// A CSV file and a zip of CSV files (one per sheet, named by sheet) are
// uploads like a workbook; they are bounded like one; a REJECTED workbook
// gets an annotated copy, a CSV upload does not (it has no cells to mark).
func TestImportRosterTakesCSVAndZipAndGroupsProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA := s.villages[0].Code
		ctx, stop := context.WithCancel(context.Background())
		runner := jobs.Start(ctx, db.DB, jobs.Options{Poll: 20 * time.Millisecond})
		defer func() { stop(); runner.Wait() }()
		county := newAPIWithJobs(t, db, s.county, runner)

		// One CSV file: the sheet is named after the file; GB18030 too.
		job := county.submitAndWait("人员.csv", []byte("人员编号,姓名,所在村代码\nK1,甲,"+vA+"\nK2,乙,"+vA+"\n"))
		if job.Status != "SUCCEEDED" || job.Report == nil || !job.Report.OK || job.Report.Counts[0].Created != 2 || job.AnnotatedURL != nil {
			t.Fatalf("CSV: %+v", job)
		}

		// A zip of CSV files, with problems in the posts: grouped by kind.
		file := zipOf(t, map[string]string{
			"名册/人员.csv": "人员编号,姓名,所在村代码\nK1,甲," + vA + "\nK2,乙," + vA + "\n",
			"名册/任职.csv": "人员编号,地区代码,职务,开始日期\n" +
				"K1," + vA + ",两委委员,2021年13月\n" + // row 2: bad date (D2)
				"K2," + vA + ",两委委员,2021/2/30\n" + // row 3: bad date (D3)
				"K9," + vA + ",村长,2021-01-01\n", // row 4: unknown person (A4), unknown word (C4)
			"名册/readme.txt": "not a sheet",
		})
		job = county.submitAndWait("名册.zip", file)
		if job.Status != "REJECTED" || job.Report == nil || job.AnnotatedURL != nil {
			t.Fatalf("zip: %+v", job)
		}
		g := job.Report.Groups
		if len(g) != 3 || g[0].Kind != "BAD_DATE" || g[0].Count != 2 || g[0].Text.Zh != "日期格式错误" ||
			len(g[0].Sample) != 2 || g[0].Sample[1].Row != 3 || g[0].Sample[1].Cell != "D3" || g[0].Sheets[0] != "任职" {
			t.Fatalf("groups: %+v", g)
		}
		kinds := map[string]string{}
		for _, p := range job.Report.Problems {
			kinds[p.Cell] = p.Kind
		}
		if kinds["D2"] != "BAD_DATE" || kinds["A4"] != "UNKNOWN_REFERENCE" || kinds["C4"] != "UNKNOWN_WORD" {
			t.Fatalf("problems: %+v", job.Report.Problems)
		}

		// Bounded like a workbook: too many columns, too many zip entries.
		wide := "姓名" + strings.Repeat(",x", 300) + "\n"
		if r := county.uploadNamed("人员.csv", []byte(wide), true); r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Raw, "200 columns") {
			t.Fatalf("wide CSV: %s", r.Raw)
		}
		many := map[string]string{}
		for i := range 1001 {
			many[fmt.Sprintf("%d.csv", i)] = "a\n"
		}
		if r := county.uploadNamed("名册.zip", zipOf(t, many), true); r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Raw, "1000 files") {
			t.Fatalf("zip of 1001 files: %s", r.Raw)
		}
		if r := county.uploadNamed("名册.txt", []byte("人员编号\n"), true); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("a text file: %s", r.Raw)
		}

		// A faulty workbook: REJECTED with an annotated copy to download.
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "人员")
		f.SetSheetRow("人员", "A1", &[]any{"人员编号", "姓名", "出生日期", "所在村代码"})
		f.SetSheetRow("人员", "A2", &[]any{"X1", "甲", "1971.07", vA})
		f.SetSheetRow("人员", "A3", &[]any{"X2", "乙", "七一年", vA})
		var xlsx bytes.Buffer
		f.Write(&xlsx)
		job = county.submitAndWait("名册.xlsx", xlsx.Bytes())
		if job.Status != "REJECTED" || job.AnnotatedURL == nil || job.Report.Problems[0].Cell != "C3" {
			t.Fatalf("xlsx: %+v", job)
		}
		stored := db.Client.ImportJob.Query().Where(entjob.AnnotatedSizeGT(0)).OnlyX(auth.System(context.Background()))
		if *job.AnnotatedURL != fmt.Sprintf("/import-jobs/%d/annotated.xlsx", stored.ID) || len(stored.Annotated) != stored.AnnotatedSize {
			t.Fatalf("annotated URL %s for job %d", *job.AnnotatedURL, stored.ID)
		}
		a, err := excelize.OpenReader(bytes.NewReader(stored.Annotated))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if cs, _ := a.GetComments("人员"); len(cs) != 1 || cs[0].Cell != "C3" {
			t.Fatalf("comments %+v", cs)
		}
	})
}
