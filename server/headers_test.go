package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"yanzhen/database/dbtest"
)

// csp parses a Content-Security-Policy into its directives' sources.
func csp(header string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(header, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

// TestContentSecurityPolicy (issue 15): the web app may show data: images
// (Element Plus's SVG icons) and nothing else is widened: scripts come from
// the app's origin only (no inline script, no eval, no data:), nothing may
// frame it; on the SPA, the API and the downloads alike.
func TestContentSecurityPolicy(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	h := NewRouter(testConfig(), db.DB)
	for _, target := range []string{"/", "/people/1", "/graphql?query={__typename}", "/roster-template.xlsx", "/healthz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		header := rec.Header().Get("Content-Security-Policy")
		p := csp(header)
		if got := strings.Join(p["img-src"], " "); got != "'self' data:" {
			t.Errorf("%s: img-src %q, want 'self' data: (%s)", target, got, header)
		}
		// Scripts follow script-src, or default-src without it: 'self'
		// alone, so no inline script.
		scripts, ok := p["script-src"]
		if !ok {
			scripts = p["default-src"]
		}
		if got := strings.Join(scripts, " "); got != "'self'" {
			t.Errorf("%s: scripts from %q, want 'self' alone (%s)", target, got, header)
		}
		if got := strings.Join(p["default-src"], " "); got != "'self'" {
			t.Errorf("%s: default-src %q, want 'self'", target, got)
		}
		for _, widened := range []string{"'unsafe-inline'", "'unsafe-eval'", "*", "https:"} {
			for name, sources := range p {
				if name != "img-src" && strings.Contains(" "+strings.Join(sources, " ")+" ", " "+widened+" ") {
					t.Errorf("%s: %s allows %s: %s", target, name, widened, header)
				}
			}
		}
		for name, sources := range p {
			if name != "img-src" && strings.Contains(strings.Join(sources, " "), "data:") {
				t.Errorf("%s: %s allows data: — only img-src may (%s)", target, name, header)
			}
		}
		if got := strings.Join(p["frame-ancestors"], " "); got != "'none'" {
			t.Errorf("%s: frame-ancestors %q", target, got)
		}
	}
}
