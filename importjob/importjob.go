// Package importjob imports roster uploads in the background. An upload
// becomes an ImportJob row (Submit) and the request answers at once; a
// Runner, started by `yanzhen serve`, claims queued jobs, imports each as
// the user who submitted it (reloaded: a user disabled or stripped of the
// import role meanwhile gets FAILED/FORBIDDEN) under the job's own time
// limit, keeps its progress, and stores the report and the final status.
//
// States (ent/schema/importjob.go): QUEUED → RUNNING → SUCCEEDED (written,
// or a clean dry run), REJECTED (the file has problems: nothing written,
// the report lists them) or FAILED (failure_code: TIMEOUT, FORBIDDEN,
// INTERRUPTED, BAD_FILE, CONFLICT or INTERNAL; nothing written).
//
// Nothing is half-written and nothing is lost:
//
//   - roster.Import writes in one transaction, and a written job's outcome
//     is recorded inside that same transaction (roster.ImportOptions.
//     BeforeCommit): the roster and "SUCCEEDED" commit together or not at
//     all.
//   - A runner claims a job with one conditional UPDATE (status QUEUED →
//     RUNNING with its own claim token; an affected-rows count of 1 means
//     it won), so two runners — in one process or in two servers on one
//     database — never run the same job. Every later write of the job is
//     conditional on that token.
//   - While it runs a job, the runner renews its lease every second. A
//     RUNNING job whose lease has run out was left by a runner that died
//     (a crash, a kill): it goes back to the queue with its file — its
//     attempt wrote nothing — and runs again, or FAILS as INTERRUPTED once
//     it has been started MaxAttempts times. A runner that is stopped
//     (SIGTERM) hands its job back to the queue itself.
//   - A job past its time limit FAILS with TIMEOUT: the context's error is
//     looked at before the error the import returned, so a deadline never
//     turns into FORBIDDEN or NOT_FOUND.
package importjob

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"yanzhen/auth"
	"yanzhen/ent"
	entjob "yanzhen/ent/importjob"
	"yanzhen/errcode"
	"yanzhen/roster"
)

// Progress is how far a job is: Done of Total rows in Phase.
type Progress struct {
	Phase       entjob.Phase
	Done, Total int
}

// zipMagic starts every .xlsx file and every .zip of CSV files.
var zipMagic = []byte("PK\x03\x04")

// Submit queues a roster for import by the viewer of ctx, who must be an
// admin or township user; their role is checked again when the job runs.
// The file is an .xlsx workbook, a .zip of CSV files or one .csv file (by
// its name: CSV has no signature); it is only told apart here, reading it
// is the job's first step (the resolver checks its bounds before).
// columns is the user's column mapping (roster.ColumnMapping), checked here
// against the format and kept with the job; nil for none.
func Submit(ctx context.Context, c *ent.Client, fileName string, content []byte, dryRun bool, columns []roster.ColumnMapping) (*ent.ImportJob, error) {
	v := auth.FromContext(ctx)
	if !v.Is(auth.RoleAdmin, auth.RoleTownship) {
		return nil, auth.Deny(v)
	}
	name := cleanName(fileName)
	if !bytes.HasPrefix(content, zipMagic) && !strings.EqualFold(path.Ext(name), ".csv") {
		return nil, errcode.BadInput("file", "%s is not an .xlsx workbook, a .csv file or a .zip of .csv files / 该文件不是 .xlsx 工作簿、.csv 文件或 .csv 文件的 .zip 压缩包", name)
	}
	if err := roster.CheckColumnMapping(columns); err != nil {
		// The argument's path, as a form shows the line at fault.
		return nil, &errcode.Error{Code: errcode.BadUserInput, Field: fmt.Sprintf("columns[%d].%s", err.Index, err.Field), Text: err.Text}
	}
	create := c.ImportJob.Create()
	if len(columns) > 0 {
		raw, err := json.Marshal(columns)
		if err != nil {
			return nil, err
		}
		create.SetColumns(raw)
	}
	return create.
		SetOwnerID(v.UserID).
		SetRegionCode(v.Scope).
		SetFileName(name).
		SetContent(content).
		SetDryRun(dryRun).
		Save(ctx)
}

// cleanName keeps the base name of an uploaded file, at most 100
// characters of valid UTF-8.
func cleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == "/" {
		return "roster.xlsx"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	return name
}

// MayReadAnnotated reports whether the viewer, who can read the job, may
// also download its annotated workbook. That is the upload itself, phone
// and ID numbers in clear (the report masks them): its submitter may, and
// anyone else who reads the job (an admin over the submitter's scope) only
// with personal-data access, as for an unmasked roster export.
func MayReadAnnotated(v *auth.Viewer, job *ent.ImportJob) bool {
	return v.System() || (!v.Anonymous() && (v.UserID == job.OwnerID || v.PersonalData))
}

// CountByStatus counts the jobs on file per status (QUEUED, RUNNING …), for
// the metrics: every job, whoever submitted it.
func CountByStatus(ctx context.Context, c *ent.Client) (map[string]int, error) {
	var rows []struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	}
	err := c.ImportJob.Query().GroupBy(entjob.FieldStatus).Aggregate(ent.Count()).Scan(auth.System(ctx), &rows)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Status] = r.Count
	}
	return out, nil
}
