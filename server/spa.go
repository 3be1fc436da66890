package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// The SPA (frontend/, built by scripts/start.sh into frontend/dist and
// embedded by package frontend) is served at / by spaHandler.

// spaReserved are the server's own paths: an unknown path under them is a
// 404, never the SPA's index.html (a client asking /graphql/x or a missing
// export wants an error, not a web page).
// /metrics and /debug/ are the admin address's (YANZHEN_ADMIN_ADDR), never served here.
var spaReserved = []string{"/graphql", "/graphiql", "/healthz", "/readyz", "/export/", "/import-jobs/", "/roster-template.xlsx", "/metrics", "/debug/"}

// spaFile is one built file, kept in memory with its gzip form.
type spaFile struct {
	name    string
	body    []byte
	gzipped []byte // nil when compression does not pay
	etag    string
}

// spaHandler serves the built SPA from dist: files as they are — hashed
// assets under /assets/ cached for a year as immutable, index.html and
// config.js revalidated on every load — and index.html for any other path,
// so client-side routes (/villages/150221…) survive a reload. Without a
// build (dist holds no index.html) it answers / with a page saying how to
// build one.
func spaHandler(dist fs.FS) http.Handler {
	files := map[string]*spaFile{}
	fs.WalkDir(dist, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		// Dot files and folders (.keep, Vite's .vite/manifest.json) are build
		// bookkeeping, not part of the site.
		if p != "." && strings.HasPrefix(path.Base(p), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(dist, p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(body)
		f := &spaFile{name: p, body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		if compressible(p) && len(body) > 1024 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body)*9/10 {
				f.gzipped = buf.Bytes()
			}
		}
		files["/"+p] = f
		return nil
	})
	index := files["/index.html"]

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		for _, prefix := range spaReserved {
			if p == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(p, prefix) || strings.HasPrefix(p, prefix+"/") {
				http.NotFound(w, r)
				return
			}
		}
		if index == nil {
			if p != "/" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write([]byte(spaNotBuiltPage))
			return
		}
		f := files[p]
		switch {
		case f != nil && p != "/index.html":
			if strings.HasPrefix(p, "/assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
		case strings.HasPrefix(p, "/assets/") || path.Ext(p) != "" && p != "/index.html":
			// A missing script or image: index.html in its place would be
			// run or shown as the wrong type.
			http.NotFound(w, r)
			return
		default:
			f = index
			w.Header().Set("Cache-Control", "no-cache")
		}
		serveSPAFile(w, r, f)
	})
}

func serveSPAFile(w http.ResponseWriter, r *http.Request, f *spaFile) {
	h := w.Header()
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	body := f.body
	if f.gzipped != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = f.gzipped
			// The compressed body is another representation: its own tag.
			h.Set("ETag", strings.TrimSuffix(f.etag, `"`)+`-gz"`)
		}
	}
	if ct := spaContentType(f.name); ct != "" {
		h.Set("Content-Type", ct)
	}
	// ServeContent answers If-None-Match (304) and Range from the ETag set above.
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func compressible(name string) bool {
	switch path.Ext(name) {
	case ".html", ".js", ".css", ".svg", ".json", ".txt", ".map":
		return true
	}
	return false
}

// spaContentType names the types of the built files explicitly, so they do
// not depend on the host's MIME tables (ServeContent would otherwise sniff
// compressed bytes).
func spaContentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json", ".map":
		return "application/json"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

const spaNotBuiltPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>雁阵 Yanzhen</title>
<body>
<h1>雁阵 Yanzhen</h1><p>乡村振兴人才库 — the talent graph of rural revitalization.</p>
<p>The web app has not been built into this server. Run <code>./scripts/start.sh</code>
(it builds the SPA in <code>frontend/</code> and starts the server).<br>
网页端尚未构建：请运行 <code>./scripts/start.sh</code>。</p>
<ul><li><a href="/graphiql">GraphiQL</a> — explore the API</li><li><code>POST /graphql</code> — the GraphQL endpoint</li></ul></body></html>`
