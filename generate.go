// Package yanzhen is the root of the talent graph of rural revitalization.
// `go generate ./...` regenerates, in order: the ent client and
// graph/ent.graphql, a versioned migration for each dialect when the ent
// schema changed (ent/migrate/migrations; PostgreSQL's needs a server at
// YANZHEN_DEV_DATABASE_URL or TEST_DATABASE_URL), the gqlgen executor and resolver stubs, the complete
// public contract schema.graphql, and the web app's typed GraphQL documents
// (frontend/src/gql, when the web app's dependencies are installed).
package yanzhen

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod ./ent/migrate/main.go
//go:generate go tool gqlgen generate
//go:generate go run ./server schema -o schema.graphql
//go:generate sh -c "if [ -d frontend/node_modules ]; then cd frontend && npm run --silent codegen >/dev/null; else echo 'go generate: skipping the web app GraphQL types (run npm ci in frontend/ first)'; fi"
