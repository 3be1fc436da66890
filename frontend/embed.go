// Package frontend holds the SPA (a Vue 3 application, see README) and
// embeds its production build so the Go server can serve it at /.
package frontend

import (
	"embed"
	"io/fs"
)

// dist is the output of `npm run build`. Only dist/.keep is committed, so a
// fresh clone compiles before the SPA has been built; scripts/start.sh builds it.
//
//go:embed all:dist
var dist embed.FS

// TrustedDocuments is the manifest of the web app's GraphQL documents
// (graphql-codegen's persisted documents: hash → text), generated with the
// typed documents and committed, so the server knows them by hash even
// before the SPA is built (package trusted).
//
//go:embed src/gql/persisted-documents.json
var TrustedDocuments []byte

// Dist is the built SPA rooted at its index.html (empty but for .keep when
// the SPA has not been built).
var Dist fs.FS = mustSub(dist, "dist")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // dir is a literal that go:embed guarantees exists
	}
	return s
}
