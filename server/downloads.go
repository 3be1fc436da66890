package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"yanzhen/audit"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	entjob "yanzhen/ent/importjob"
	"yanzhen/errcode"
	"yanzhen/importjob"
	"yanzhen/regioncode"
	"yanzhen/roster"
)

// writeError answers in the shape of a GraphQL error, so clients handle
// transport-level refusals like any other error.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// rosterTemplate serves the empty roster workbook with every sheet and column.
func rosterTemplate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="roster-template.xlsx"; filename*=UTF-8''%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx`)
	if err := roster.Template(w); err != nil {
		slog.ErrorContext(r.Context(), "writing the roster template", "error", err)
	}
}

// rosterDownload serves GET /export/roster.xlsx?region=CODE: the roster of a
// region's subtree, for a signed-in user (Authorization: Bearer) whose scope
// covers the region. Phone and ID numbers are masked unless the request adds
// personalData=full and the user has personal-data access; either way the
// export is recorded in the audit log. People are written under the 人员编号
// of source=CODE, by default the user's region code (the source their
// uploads file numbers under), so a county's next roster still matches.
func rosterDownload(db *database.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := r.URL.Query().Get("region")
		if !regioncode.Valid(code) {
			writeError(w, http.StatusBadRequest, errcode.BadUserInput, "region must be a region code (2, 4, 6, 9 or 12 digits) / 请提供有效的区划代码")
			return
		}
		mask := r.URL.Query().Get("personalData") != "full"
		source := r.URL.Query().Get("source")
		if source == "" {
			source = auth.FromContext(r.Context()).Scope
		}
		wb, err := roster.ExportWorkbook(r.Context(), db.Client, code, roster.ExportOptions{MaskPersonalData: mask, Source: source})
		if err != nil {
			var e *errcode.Error
			if errors.As(err, &e) {
				status := http.StatusBadRequest
				switch e.Code {
				case errcode.NotFound:
					status = http.StatusNotFound
				case errcode.Unauthenticated:
					status = http.StatusUnauthorized
				case errcode.Forbidden:
					status = http.StatusForbidden
				}
				writeError(w, status, e.Code, e.Message())
				return
			}
			slog.ErrorContext(r.Context(), "exporting a roster", "region", code, "error", err)
			writeError(w, http.StatusInternalServerError, errcode.Internal, "internal error / 系统内部错误")
			return
		}
		name := "roster-" + code + "-" + time.Now().Format("20060102") + ".xlsx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		if err := wb.WriteXLSX(w); err != nil {
			slog.ErrorContext(r.Context(), "writing a roster download", "error", err)
		}
	})
}

// annotatedDownload serves GET /import-jobs/{id}/annotated.xlsx: the
// workbook a REJECTED import job was uploaded as, with its faulty cells
// marked (roster.Annotate), for a signed-in user (Authorization: Bearer)
// who may read the job — the query goes through the job's privacy policy,
// as importJob(id:) does, so someone else's job is 404 like a missing one.
// It holds the upload unmasked: besides its submitter only a reader with
// personal-data access gets it (importjob.MayReadAnnotated); every
// download is audited like a roster export, and never cached.
func annotatedDownload(db *database.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := auth.FromContext(r.Context())
		if v.Anonymous() {
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "sign in first / 请先登录")
			return
		}
		notFound := func() {
			writeError(w, http.StatusNotFound, errcode.NotFound, "no annotated workbook for this import job / 该导入任务没有标注的工作簿")
		}
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil || id <= 0 {
			notFound()
			return
		}
		job, err := db.Client.ImportJob.Query().Where(entjob.ID(id)).
			Select(entjob.FieldOwnerID, entjob.FieldRegionCode, entjob.FieldFileName, entjob.FieldStatus, entjob.FieldAnnotated).Only(r.Context())
		switch {
		case ent.IsNotFound(err):
			notFound()
			return
		case err != nil:
			slog.ErrorContext(r.Context(), "reading an import job's annotated workbook", "job", id, "error", err)
			writeError(w, http.StatusInternalServerError, errcode.Internal, "internal error / 系统内部错误")
			return
		case len(job.Annotated) == 0:
			notFound()
			return
		case !importjob.MayReadAnnotated(v, job):
			writeError(w, http.StatusForbidden, errcode.Forbidden,
				"the annotated workbook holds phone and ID numbers in clear: only its submitter or a user with personal-data access may download it / 标注工作簿含完整个人信息，仅提交人或获授权用户可下载")
			return
		}
		if err := audit.Record(r.Context(), db.Client, audit.Entry{
			Action: auditlog.ActionEXPORT, EntityType: "ImportJob", ObjectIDs: []int{id}, RegionCode: job.RegionCode,
			After: map[string]any{"annotated": true, "masked": false},
		}); err != nil {
			slog.ErrorContext(r.Context(), "auditing an annotated workbook download", "job", id, "error", err)
			writeError(w, http.StatusInternalServerError, errcode.Internal, "internal error / 系统内部错误")
			return
		}
		base := strings.TrimSuffix(job.FileName, path.Ext(job.FileName))
		name := base + "-问题标注.xlsx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="import-`+strconv.Itoa(id)+`-annotated.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Length", strconv.Itoa(len(job.Annotated)))
		w.Write(job.Annotated)
	})
}
