package graph_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// importRoster checks the role before it reads the file (the server
// refuses such uploads even earlier, from the headers): a village or
// partner user, or nobody, is refused whatever the file holds, and never
// learns whether it could be read.
func TestImportRosterChecksTheRoleBeforeTheFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		w := makeWorld(t, db.Client)
		village := newUser(t, db, "village", auth.RoleVillage, w.villages[0].Code, 0, false)
		township := newUser(t, db, "township", auth.RoleTownship, w.township.Code, 0, false)
		for _, c := range []struct {
			who  string
			v    *auth.Viewer
			code string
			says string
		}{
			{"anonymous", nil, "UNAUTHENTICATED", "sign in first"},
			{"village", village, "FORBIDDEN", "your role does not allow this"},
			{"township", township, "BAD_USER_INPUT", "名册.xlsx is not a readable .xlsx workbook"},
		} {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			ops, _ := json.Marshal(map[string]any{
				"query":     `mutation($f: Upload!) { importRoster(file: $f) { id status } }`,
				"variables": map[string]any{"f": nil},
			})
			mw.WriteField("operations", string(ops))
			mw.WriteField("map", `{"0": ["variables.f"]}`)
			fw, _ := mw.CreateFormFile("0", "名册.xlsx")
			fw.Write([]byte("not a workbook"))
			mw.Close()
			req := httptest.NewRequest(http.MethodPost, "/graphql", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			rec := httptest.NewRecorder()
			newAPIAs(t, db, c.v).h.ServeHTTP(rec, req)
			var resp response
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("%s: %d %s", c.who, rec.Code, rec.Body)
			}
			if resp.code() != c.code || !strings.Contains(resp.Errors[0].Message, c.says) {
				t.Errorf("%s: %s, want %s %q", c.who, rec.Body, c.code, c.says)
			}
		}
	})
}
