package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2"

	"yanzhen/auth"
	"yanzhen/ent"
	"yanzhen/ent/trusteddocument"
	"yanzhen/graph"
	"yanzhen/trusted"
)

// Documents runs `yanzhen documents add --client NAME FILE…`, `yanzhen
// documents list [--client NAME]` and `yanzhen documents remove --client
// NAME | --hash H`: the GraphQL documents of clients other than the web app
// that a server in trusted-documents-only mode runs (docs/api.md). A file is
// a manifest — graphql-codegen's persisted documents (a JSON object of hash
// to document), or a list of operations ({"operations": [{"query"|"body": …}]},
// as genqlient's operations file and Apollo's manifest) — or a .graphql file,
// one document. Every document is checked against the schema before any is
// registered; a file that fails registers nothing.
func Documents(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx)
	const usage = "usage: yanzhen documents add --client NAME FILE… | list [--client NAME] | remove --client NAME | remove --hash HASH"
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	fs := flag.NewFlagSet("documents "+args[0], flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
	client := fs.String("client", "", "the client and build the documents belong to (mobile-android-2.3)")
	hash := fs.String("hash", "", "remove: the document's hash")
	if err := fs.Parse(reorderFlags(args[1:])); err != nil {
		return err
	}
	switch args[0] {
	case "add":
		if strings.TrimSpace(*client) == "" || fs.NArg() == 0 {
			return fmt.Errorf("add needs --client and at least one file\n%s", usage)
		}
		docs, err := readDocuments(fs.Args())
		if err != nil {
			return err
		}
		db, err := OpenDatabase(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		added, known, err := registerDocuments(ctx, db.Client, strings.TrimSpace(*client), docs)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "registered %d documents for %s (%d already registered)\n", added, *client, known)
		return nil
	case "list":
		db, err := OpenDatabase(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		q := db.Client.TrustedDocument.Query().Order(trusteddocument.ByClient(), trusteddocument.ByAddedAt())
		if *client != "" {
			q.Where(trusteddocument.Client(*client))
		}
		list, err := q.All(ctx)
		if err != nil {
			return err
		}
		for _, d := range list {
			fmt.Fprintf(env.Stdout, "%s\t%s\t%s\t%s\n", d.Hash, d.Client, d.AddedAt.Format("2006-01-02 15:04"), d.Operations)
		}
		return nil
	case "remove":
		if (*client == "") == (*hash == "") {
			return fmt.Errorf("remove needs --client or --hash\n%s", usage)
		}
		db, err := OpenDatabase(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		del := db.Client.TrustedDocument.Delete()
		if *client != "" {
			del.Where(trusteddocument.Client(*client))
		} else {
			del.Where(trusteddocument.Hash(strings.ToLower(*hash)))
		}
		n, err := del.Exec(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "removed %d documents (servers forget them within minutes)\n", n)
		return nil
	}
	return fmt.Errorf("unknown documents command %q\n%s", args[0], usage)
}

// document is one document read from a file, with where it came from.
type document struct {
	text, from string
	operations []string
}

// readDocuments reads and checks every file: parsed and validated against
// the schema, and in a manifest, keyed by the document's own hash.
func readDocuments(paths []string) ([]document, error) {
	schema := graph.ExecutableSchema(&graph.Resolver{}).Schema()
	var out []document
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var texts []string
		var names []string
		switch strings.ToLower(filepath.Ext(path)) {
		case ".json":
			texts, names, err = manifestTexts(b)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		case ".graphql", ".gql":
			texts, names = []string{string(b)}, []string{path}
		default:
			return nil, fmt.Errorf("%s: want a .json manifest or a .graphql document", path)
		}
		for i, text := range texts {
			from := path + ": " + names[i]
			q, errs := gqlparser.LoadQueryWithRules(schema, text, nil)
			if len(errs) > 0 {
				return nil, fmt.Errorf("%s: %s", from, errs[0].Message)
			}
			d := document{text: text, from: from}
			for _, op := range q.Operations {
				name := op.Name
				if name == "" {
					name = string(op.Operation)
				}
				d.operations = append(d.operations, name)
			}
			if len(q.Operations) == 0 {
				return nil, fmt.Errorf("%s: the document has no operation", from)
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// manifestTexts reads the documents of a JSON manifest.
func manifestTexts(b []byte) (texts, names []string, err error) {
	var list struct {
		Operations []struct {
			Name          string `json:"name"`
			OperationName string `json:"operationName"`
			Query         string `json:"query"`
			Body          string `json:"body"`
		} `json:"operations"`
	}
	if json.Unmarshal(b, &list) == nil && list.Operations != nil {
		for i, op := range list.Operations {
			text := firstOf(op.Query, op.Body)
			if text == "" {
				return nil, nil, fmt.Errorf("operation %d has no query", i+1)
			}
			texts, names = append(texts, text), append(names, firstOf(op.OperationName, op.Name, fmt.Sprintf("operation %d", i+1)))
		}
		return texts, names, nil
	}
	m, err := trusted.ParseManifest(b)
	if err != nil {
		return nil, nil, err
	}
	for h, text := range m {
		texts, names = append(texts, text), append(names, h)
	}
	return texts, names, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// registerDocuments writes the documents new to the database, all or none.
func registerDocuments(ctx context.Context, c *ent.Client, client string, docs []document) (added, known int, err error) {
	tx, err := c.Tx(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	seen := map[string]bool{}
	for _, d := range docs {
		h := trusted.Hash(d.text)
		if seen[h] {
			continue
		}
		seen[h] = true
		exists, err := tx.TrustedDocument.Query().Where(trusteddocument.Hash(h)).Exist(ctx)
		if err != nil {
			return 0, 0, err
		}
		if exists {
			known++
			continue
		}
		ops := slices.Clone(d.operations)
		if err := tx.TrustedDocument.Create().SetHash(h).SetDocument(d.text).SetClient(client).
			SetOperations(strings.Join(ops, ",")).Exec(ctx); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", d.from, err)
		}
		added++
	}
	return added, known, tx.Commit()
}
