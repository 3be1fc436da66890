package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/graph"
	jobs "yanzhen/importjob"
	"yanzhen/roster"
)

// newAPIWithJobs serves requests as v with a roster import runner.
func newAPIWithJobs(t *testing.T, db *dbtest.DB, v *auth.Viewer, runner graph.ImportJobs) *api {
	cfg := graph.DefaultConfig
	cfg.ImportJobs = runner
	h := graph.NewHandler(db.DB, cfg)
	return &api{t: t, db: db, h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		viewer := &auth.Viewer{}
		if v != nil {
			copy := *v
			viewer = &copy
		}
		h.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), viewer)))
	})}
}

// upload sends importRoster as a GraphQL multipart request.
func (a *api) upload(file []byte, dryRun bool) response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload!, $d: Boolean) { importRoster(file: $f, dryRun: $d) { ` + jobFields + ` } }`,
		"variables": map[string]any{"f": nil, "d": dryRun},
	})
	mw.WriteField("operations", string(ops))
	mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "名册.xlsx")
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

const jobFields = `id status dryRun fileName failureCode statusMessage attempts owner { username }
	progress { phase rowsDone rowsTotal }
	report { ok written dryRun problems { sheet row column value } counts { sheet rows created } }`

type jobJSON struct {
	ID, Status, FileName, StatusMessage string
	DryRun                              bool
	FailureCode                         *string
	Attempts                            int
	Owner                               struct{ Username string }
	Progress                            struct {
		Phase               string
		RowsDone, RowsTotal int
	}
	Report *struct {
		OK, Written, DryRun bool
		Problems            []struct {
			Sheet, Column, Value string
			Row                  int
		}
		Counts []struct {
			Sheet         string
			Rows, Created int
		}
	}
}

// peopleWorkbook is an .xlsx roster of n people of a village.
func peopleWorkbook(t *testing.T, n int, prefix, village string) []byte {
	t.Helper()
	s := &roster.Sheet{Name: "人员", Header: []string{"人员编号", "姓名", "所在村代码"}}
	for i := range n {
		s.Rows = append(s.Rows, roster.Row{Line: i + 2, Cells: []string{fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("导入%d", i), village}})
	}
	var b bytes.Buffer
	if err := (&roster.Workbook{Sheets: []*roster.Sheet{s}}).WriteXLSX(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (a *api) job(id string) jobJSON {
	a.t.Helper()
	var out struct{ ImportJob jobJSON }
	a.ok(`query($id: ID!) { importJob(id: $id) { `+jobFields+` } }`, map[string]any{"id": id}, &out)
	return out.ImportJob
}

// poll asks for the job about every 20 ms until it has finished.
func (a *api) poll(id string) jobJSON {
	a.t.Helper()
	for until := time.Now().Add(60 * time.Second); time.Now().Before(until); time.Sleep(20 * time.Millisecond) {
		if j := a.job(id); j.Status != "QUEUED" && j.Status != "RUNNING" {
			return j
		}
	}
	a.t.Fatalf("job %s did not finish", id)
	return jobJSON{}
}

func TestImportRosterAnswersWithAJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA := s.villages[0]
		file := peopleWorkbook(t, 50, "G", vA.Code)

		// The role is checked before the upload is looked at.
		if r := newAPIAs(t, db, s.village).upload(file, false); r.code() != "FORBIDDEN" {
			t.Fatalf("village: %s", r.Raw)
		}
		if r := newAPIAs(t, db, s.partner).upload(file, false); r.code() != "FORBIDDEN" {
			t.Fatalf("partner: %s", r.Raw)
		}
		if r := newAPIAs(t, db, nil).upload(file, false); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous: %s", r.Raw)
		}
		if r := newAPIAs(t, db, s.county).upload([]byte("姓名,性别\n"), false); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("a CSV file: %s", r.Raw)
		}
		if n := db.Client.ImportJob.Query().CountX(auth.System(context.Background())); n != 0 {
			t.Fatalf("%d jobs created by refused uploads", n)
		}

		// Without a runner the job waits: the answer comes at once, QUEUED.
		start := time.Now()
		r := newAPIAs(t, db, s.county).upload(file, false)
		var out struct{ ImportRoster jobJSON }
		if err := json.Unmarshal(r.Data, &out); err != nil || len(r.Errors) > 0 {
			t.Fatalf("upload: %s", r.Raw)
		}
		queued := out.ImportRoster
		if took := time.Since(start); took > 2*time.Second || queued.Status != "QUEUED" || queued.Progress.Phase != "QUEUED" ||
			queued.Report != nil || queued.FileName != "名册.xlsx" || queued.Owner.Username != "tumed" {
			t.Fatalf("queued job after %v: %+v", took, queued)
		}

		// A runner picks it up; polling sees it through to its report.
		ctx, stop := context.WithCancel(context.Background())
		runner := jobs.Start(ctx, db.DB, jobs.Options{Poll: 20 * time.Millisecond})
		defer func() { stop(); runner.Wait() }()
		county := newAPIWithJobs(t, db, s.county, runner)
		done := county.poll(queued.ID)
		if done.Status != "SUCCEEDED" || done.Attempts != 1 || done.Progress.Phase != "DONE" || done.Progress.RowsDone != 50 ||
			done.Report == nil || !done.Report.OK || !done.Report.Written || done.Report.Counts[0].Created != 50 {
			t.Fatalf("finished job: %+v", done)
		}

		// A township user's dry run with a region outside its township: the
		// job finishes REJECTED, the report says where.
		town := newAPIWithJobs(t, db, s.townUser, runner)
		r = town.upload(peopleWorkbook(t, 2, "H", s.villages[3].Code), true)
		if err := json.Unmarshal(r.Data, &out); err != nil || len(r.Errors) > 0 {
			t.Fatalf("upload: %s", r.Raw)
		}
		townJob := town.poll(out.ImportRoster.ID)
		if townJob.Status != "REJECTED" || townJob.Report == nil || townJob.Report.OK || townJob.Report.Written ||
			len(townJob.Report.Problems) != 2 || townJob.Report.Problems[0].Column != "所在村代码" {
			t.Fatalf("township job: %+v", townJob)
		}

		// Who may read them: the owner, admins over the owner's scope.
		other := newUser(t, db, "wuhai", "ADMIN", "150302", 0, false)
		for name, v := range map[string]*auth.Viewer{"other county": other, "village": s.village, "township": s.townUser, "partner": s.partner} {
			a := newAPIAs(t, db, v)
			a.fails("NOT_FOUND", `query($id: ID!) { importJob(id: $id) { id } }`, map[string]any{"id": done.ID})
			a.fails("NOT_FOUND", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": done.ID})
			var list struct{ ImportJobs struct{ TotalCount int } }
			a.ok(`{ importJobs { totalCount } }`, nil, &list)
			want := 0
			if v == s.townUser {
				want = 1 // its own
			}
			if list.ImportJobs.TotalCount != want {
				t.Errorf("%s sees %d jobs", name, list.ImportJobs.TotalCount)
			}
		}
		anon := newAPIAs(t, db, nil)
		anon.fails("UNAUTHENTICATED", `query($id: ID!) { importJob(id: $id) { id } }`, map[string]any{"id": done.ID})
		anon.fails("UNAUTHENTICATED", `{ importJobs { totalCount } }`, nil)
		// Another type's ID is no job.
		county.fails("NOT_FOUND", `query($id: ID!) { importJob(id: $id) { id } }`, map[string]any{"id": gid(s.inA.ID)})
		for name, v := range map[string]*auth.Viewer{"county": s.county, "national": s.national} {
			var list struct {
				ImportJobs struct {
					TotalCount int
					Edges      []struct{ Node struct{ Status string } }
				}
			}
			newAPIAs(t, db, v).ok(`{ importJobs(orderBy: {field: CREATED_AT, direction: DESC}, where: {statusIn: [SUCCEEDED, REJECTED]}) {
				totalCount edges { node { status } } } }`, nil, &list)
			if list.ImportJobs.TotalCount != 2 || list.ImportJobs.Edges[0].Node.Status != "REJECTED" {
				t.Errorf("%s: %+v", name, list)
			}
		}
		// The job was created as its submitter, so the audit log says who.
		var logs struct {
			AuditLogs struct {
				Edges []struct {
					Node struct{ ActorName, EntityType string }
				}
			}
		}
		county.ok(`{ auditLogs(where: {action: CREATE, entityType: "ImportJob"}) { edges { node { actorName entityType } } } }`, nil, &logs)
		if len(logs.AuditLogs.Edges) != 2 {
			t.Fatalf("audit: %+v", logs)
		}
	})
}
