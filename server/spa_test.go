package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"yanzhen/frontend"
)

func builtSPA() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                {Data: []byte(`<!doctype html><html><head><script src="/config.js"></script></head><body><div id="app"></div>` + strings.Repeat("<!-- padding -->", 200) + `</body></html>`)},
		"config.js":                 {Data: []byte("window.__YANZHEN_API__ = ''\n")},
		"favicon.svg":               {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
		"assets/index-AbC123.js":    {Data: []byte(strings.Repeat("console.log('yanzhen');\n", 200))},
		"assets/index-AbC123.css":   {Data: []byte("body{margin:0}")},
		".keep":                     {Data: nil},
		"assets/RegionBrowser-x.js": {Data: []byte("export default 1")},
		".vite/manifest.json":       {Data: []byte("{}")},
	}
}

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSPAServesFilesWithTheirCaching(t *testing.T) {
	h := spaHandler(builtSPA())
	cases := []struct {
		path, contentType, cacheControl, bodyHas string
	}{
		{"/", "text/html; charset=utf-8", "no-cache", `<div id="app">`},
		{"/index.html", "text/html; charset=utf-8", "no-cache", `<div id="app">`},
		{"/config.js", "text/javascript; charset=utf-8", "no-cache", "__YANZHEN_API__"},
		{"/assets/index-AbC123.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log"},
		{"/assets/index-AbC123.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable", "margin:0"},
		{"/favicon.svg", "image/svg+xml", "no-cache", "<svg"},
	}
	for _, c := range cases {
		rec := get(t, h, c.path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", c.path, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != c.contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", c.path, got, c.contentType)
		}
		if got := rec.Header().Get("Cache-Control"); got != c.cacheControl {
			t.Errorf("GET %s: Cache-Control %q, want %q", c.path, got, c.cacheControl)
		}
		if !strings.Contains(rec.Body.String(), c.bodyHas) {
			t.Errorf("GET %s: body lacks %q", c.path, c.bodyHas)
		}
	}
}

func TestSPAFallsBackToIndexForClientRoutes(t *testing.T) {
	h := spaHandler(builtSPA())
	for _, p := range []string{"/villages/150221001001", "/people/UGVyc29u", "/dashboard?code=150221", "/regions/15/../42"} {
		rec := get(t, h, p)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<div id="app">`) {
			t.Errorf("GET %s: status %d, want index.html", p, rec.Code)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", p, got)
		}
	}
}

func TestSPALeavesServerPathsAndMissingFilesAlone(t *testing.T) {
	h := spaHandler(builtSPA())
	for _, p := range []string{
		"/graphql/extra", "/graphiql/x", "/healthz/x", "/readyz/", "/export/other.xlsx", "/export/",
		"/roster-template.xlsx/x", "/assets/index-Gone99.js", "/missing.png", "/.keep", "/.vite/manifest.json",
	} {
		rec := get(t, h, p)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, rec.Code)
		}
		if strings.Contains(rec.Body.String(), `<div id="app">`) {
			t.Errorf("GET %s: answered with index.html", p)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/villages/1", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /villages/1: status %d, want 405", rec.Code)
	}
}

func TestSPAGzipAndRevalidation(t *testing.T) {
	h := spaHandler(builtSPA())
	plain := get(t, h, "/assets/index-AbC123.js")
	rec := get(t, h, "/assets/index-AbC123.js", "Accept-Encoding", "br, gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", rec.Header().Get("Content-Encoding"))
	}
	if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q lacks Accept-Encoding", rec.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain.Body.Bytes()) {
		t.Errorf("gzip body does not decompress to the file")
	}
	if rec.Body.Len() >= plain.Body.Len() {
		t.Errorf("gzip body %d bytes, plain %d: not smaller", rec.Body.Len(), plain.Body.Len())
	}
	if get(t, h, "/assets/index-AbC123.js", "Accept-Encoding", "gzip;q=0").Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got gzip")
	}

	etag := plain.Header().Get("ETag")
	if etag == "" || etag == rec.Header().Get("ETag") {
		t.Fatalf("ETags plain %q gzip %q: want two different tags", etag, rec.Header().Get("ETag"))
	}
	if again := get(t, h, "/assets/index-AbC123.js", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", again.Code)
	}
	if other := get(t, h, "/config.js", "If-None-Match", etag); other.Code != http.StatusOK {
		t.Errorf("another file's ETag: status %d, want 200", other.Code)
	}
}

func TestSPANotBuilt(t *testing.T) {
	h := spaHandler(fstest.MapFS{".keep": {Data: nil}})
	rec := get(t, h, "/")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "scripts/start.sh") {
		t.Errorf("GET / without a build: status %d, body %q; want the page naming scripts/start.sh", rec.Code, rec.Body.String())
	}
	if rec := get(t, h, "/villages/1"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /villages/1 without a build: status %d, want 404", rec.Code)
	}
}

// The embedded build (or its placeholder) must be usable as it is compiled in.
func TestSPAEmbeddedBuild(t *testing.T) {
	h := spaHandler(frontend.Dist)
	rec := get(t, h, "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /: status %d", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `<div id="app">`) && !strings.Contains(body, "scripts/start.sh") {
		t.Errorf("GET / is neither the SPA nor the not-built page: %.200q", body)
	}
}
