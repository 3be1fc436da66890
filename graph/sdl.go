package graph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// SDL prints the complete public contract (schema.graphql): the schema as
// served, without gqlgen's code-generation directives (@goModel, @goField …),
// which mean nothing to clients.
func SDL() string {
	src := ExecutableSchema(&Resolver{}).Schema()
	out := *src
	out.Types = make(map[string]*ast.Definition, len(src.Types))
	for name, def := range src.Types {
		out.Types[name] = publicDefinition(def)
	}
	out.Directives = make(map[string]*ast.DirectiveDefinition, len(src.Directives))
	for name, d := range src.Directives {
		if !codegenDirective(name) {
			out.Directives[name] = d
		}
	}
	for _, root := range []**ast.Definition{&out.Query, &out.Mutation, &out.Subscription} {
		if *root != nil {
			*root = out.Types[(*root).Name]
		}
	}
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithComments()).FormatSchema(&out)
	return b.String()
}

func codegenDirective(name string) bool { return strings.HasPrefix(name, "go") }

func publicDirectives(list ast.DirectiveList) ast.DirectiveList {
	var out ast.DirectiveList
	for _, d := range list {
		if !codegenDirective(d.Name) {
			out = append(out, d)
		}
	}
	return out
}

func publicDefinition(def *ast.Definition) *ast.Definition {
	d := *def
	d.Directives = publicDirectives(def.Directives)
	d.Fields = make(ast.FieldList, len(def.Fields))
	for i, f := range def.Fields {
		fc := *f
		fc.Directives = publicDirectives(f.Directives)
		fc.Arguments = make(ast.ArgumentDefinitionList, len(f.Arguments))
		for j, a := range f.Arguments {
			ac := *a
			ac.Directives = publicDirectives(a.Directives)
			fc.Arguments[j] = &ac
		}
		d.Fields[i] = &fc
	}
	d.EnumValues = make(ast.EnumValueList, len(def.EnumValues))
	for i, v := range def.EnumValues {
		vc := *v
		vc.Directives = publicDirectives(v.Directives)
		d.EnumValues[i] = &vc
	}
	return &d
}
