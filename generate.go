// Package yanzhen is the root of the talent graph of rural revitalization.
// `go generate ./...` regenerates, in order: the ent client and
// graph/ent.graphql, the gqlgen executor and resolver stubs, and the complete
// public contract schema.graphql.
package yanzhen

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate
//go:generate go run ./server schema -o schema.graphql
