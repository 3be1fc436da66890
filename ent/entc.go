//go:build ignore

// entc.go drives code generation for the ent client and the GraphQL schema of
// the entities (graph/ent.graphql). Run through `go generate ./...` from the
// repository root.
package main

import (
	"log"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"

	"yanzhen/pii"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/ent.graphql"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(true),
		entgql.WithSchemaHook(scopedRelationFilters),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "yanzhen/ent",
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureIntercept,
			gen.FeatureExecQuery,
			gen.FeatureLock,
			gen.FeatureUpsert,
			gen.FeatureGlobalID,
		},
	}, entc.Extensions(ex),
		// To-one edges load in their parent's statement (ent/template/fold.tmpl).
		entc.TemplateDir("./ent/template"),
		// The data key travels with the client (ent.Keys), so hooks,
		// interceptors and resolvers reach it from the mutation, query or
		// client instead of from process-wide state.
		entc.Dependency(entc.DependencyName("Keys"), entc.DependencyType(&pii.Keys{})),
	)
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}

// scopedRelationFilters makes every relation filter of the where inputs obey
// privacy: each hasXWith field carries @scoped, whose implementation
// (graph/scoped.go) narrows the rows the filter looks through to those the
// viewer may load. The bare hasX: Boolean filters are dropped, since they
// would test for rows the viewer may not see; hasXWith: [{}] says the same
// within the viewer's scope.
func scopedRelationFilters(_ *gen.Graph, s *ast.Schema) error {
	s.Directives["scoped"] = &ast.DirectiveDefinition{
		Name:        "scoped",
		Description: "The rows this relation filter looks through are narrowed to those the viewer may see.",
		Locations:   []ast.DirectiveLocation{ast.LocationInputFieldDefinition},
	}
	for name, def := range s.Types {
		if def.Kind != ast.InputObject || !strings.HasSuffix(name, "WhereInput") {
			continue
		}
		fields := def.Fields[:0]
		for _, f := range def.Fields {
			if !strings.HasPrefix(f.Name, "has") {
				fields = append(fields, f)
				continue
			}
			if strings.HasSuffix(f.Name, "With") {
				f.Directives = append(f.Directives, &ast.Directive{Name: "scoped", Location: ast.LocationInputFieldDefinition})
				fields = append(fields, f)
			}
		}
		def.Fields = fields
	}
	return nil
}
