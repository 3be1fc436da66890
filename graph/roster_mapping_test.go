package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent/person"
	jobs "yanzhen/importjob"
	"yanzhen/roster"
)

// uploadMapped sends importRoster with a column mapping.
func (a *api) uploadMapped(file []byte, dryRun bool, columns any) response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query": `mutation($f: Upload!, $d: Boolean, $c: [RosterColumnMappingInput!]) {
			importRoster(file: $f, dryRun: $d, columns: $c) { id status columns { sheet header column } } }`,
		"variables": map[string]any{"f": nil, "d": dryRun, "c": columns},
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

type mappedJob struct {
	ID, Status string
	Columns    []roster.ColumnMapping
	Report     *struct {
		OK             bool
		UnknownColumns []struct {
			Sheet, FormatSheet, Header string
			Ambiguous                  bool
			Suggestions                []string
		}
		MissingColumns []struct{ Sheet, FormatSheet, Column string }
		Counts         []struct {
			Sheet         string
			Created, Rows int
		}
	}
}

func (a *api) awaitMapped(id string) mappedJob {
	a.t.Helper()
	for until := time.Now().Add(60 * time.Second); time.Now().Before(until); time.Sleep(20 * time.Millisecond) {
		var out struct{ ImportJob mappedJob }
		a.ok(`query($id: ID!) { importJob(id: $id) { id status columns { sheet header column }
			report { ok unknownColumns { sheet formatSheet header ambiguous suggestions }
				missingColumns { sheet formatSheet column } counts { sheet rows created } } } }`,
			map[string]any{"id": id}, &out)
		if s := out.ImportJob.Status; s != "QUEUED" && s != "RUNNING" {
			return out.ImportJob
		}
	}
	a.t.Fatalf("job %s did not finish", id)
	return mappedJob{}
}

// A dry run lists the headers the format does not know with the columns
// they may be; the same file sent again with a mapping is read through it,
// and the job keeps and shows the mapping. A mapping naming a column or
// sheet the format lacks is refused before anything is queued, with the
// line and field at fault.
func TestImportRosterWithColumnMapping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		vA := s.villages[0].Code
		ctx, stop := context.WithCancel(context.Background())
		runner := jobs.Start(ctx, db.DB, jobs.Options{Poll: 20 * time.Millisecond})
		defer func() { stop(); runner.Wait() }()
		county := newAPIWithJobs(t, db, s.county, runner)

		sheet := &roster.Sheet{Name: "人员", Header: []string{"人员编号", "本人姓名", "本人手机", "所在村代码"},
			Rows: []roster.Row{{Line: 2, Cells: []string{"M1", "映射甲", "13800138000", vA}}}}
		var b bytes.Buffer
		if err := (&roster.Workbook{Sheets: []*roster.Sheet{sheet}}).WriteXLSX(&b); err != nil {
			t.Fatal(err)
		}
		file := b.Bytes()

		r := county.uploadMapped(file, true, nil)
		var up struct{ ImportRoster mappedJob }
		if json.Unmarshal(r.Data, &up); len(r.Errors) > 0 {
			t.Fatal(r.Raw)
		}
		job := county.awaitMapped(up.ImportRoster.ID)
		if job.Status != "REJECTED" || len(job.Columns) != 0 || len(job.Report.MissingColumns) != 1 || job.Report.MissingColumns[0].Column != "姓名" {
			t.Fatalf("without a mapping: %+v", job)
		}
		suggested := map[string][]string{}
		for _, u := range job.Report.UnknownColumns {
			if u.Sheet != "人员" || u.FormatSheet != "人员" {
				t.Fatalf("unknown column: %+v", u)
			}
			suggested[u.Header] = u.Suggestions
		}
		if len(suggested) != 2 || suggested["本人手机"][0] != "联系电话" || suggested["本人姓名"][0] != "姓名" ||
			slices.Contains(suggested["本人手机"], "人员编号") {
			t.Fatalf("suggestions: %+v", job.Report.UnknownColumns)
		}

		// Refused up front, with the argument's path.
		for _, c := range []struct {
			columns []map[string]string
			field   string
		}{
			{[]map[string]string{{"sheet": "人员", "header": "本人姓名", "column": "姓名"}, {"sheet": "人员", "header": "本人手机", "column": "手机"}}, "columns[1].column"},
			{[]map[string]string{{"sheet": "花名册", "header": "本人手机", "column": "联系电话"}}, "columns[0].sheet"},
			{[]map[string]string{{"sheet": "Sheet1", "column": "花名册"}}, "columns[0].column"},
		} {
			r := county.uploadMapped(file, true, c.columns)
			if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
				t.Fatalf("%v: %s", c.columns, r.Raw)
			}
		}

		mapping := []map[string]string{{"sheet": "人员", "header": "本人姓名", "column": "姓名"}, {"sheet": "people", "header": "本人手机", "column": "phone"}}
		r = county.uploadMapped(file, false, mapping)
		if json.Unmarshal(r.Data, &up); len(r.Errors) > 0 || len(up.ImportRoster.Columns) != 2 || up.ImportRoster.Columns[1].Column != "phone" {
			t.Fatal(r.Raw)
		}
		job = county.awaitMapped(up.ImportRoster.ID)
		if job.Status != "SUCCEEDED" || len(job.Report.UnknownColumns) != 0 || job.Report.Counts[0].Created != 1 {
			t.Fatalf("with the mapping: %+v", job)
		}
		p := db.Client.Person.Query().Where(person.Name("映射甲")).OnlyX(auth.System(context.Background()))
		if p.Phone != "13800138000" {
			t.Fatalf("the mapped phone was not imported: %q", p.Phone)
		}
	})
}

// The format is public, like the template: anonymous callers read it too.
func TestRosterFormatQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		var out struct {
			RosterFormat []struct {
				Name    string
				Aliases []string
				Columns []struct {
					Name, Alias, Note, Allowed string
					Required                   bool
					Synonyms                   []string
				}
			}
		}
		newAPIAs(t, db, nil).ok(`{ rosterFormat { name aliases columns { name alias required synonyms note allowed } } }`, nil, &out)
		if len(out.RosterFormat) != len(roster.Sheets) {
			t.Fatalf("%d sheets", len(out.RosterFormat))
		}
		for i, s := range out.RosterFormat {
			def := roster.Sheets[i]
			if s.Name != def.Name || len(s.Columns) != len(def.Columns) {
				t.Fatalf("sheet %d: %+v", i, s)
			}
			for j, c := range s.Columns {
				if d := def.Columns[j]; c.Name != d.Name || c.Alias != d.Alias || c.Required != d.Required || !slices.Equal(c.Synonyms, d.Synonyms) && len(d.Synonyms) > 0 || c.Allowed != d.Allowed() {
					t.Fatalf("%s.%s: %+v", s.Name, d.Name, c)
				}
			}
		}
	})
}
