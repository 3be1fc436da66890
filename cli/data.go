package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/divisions"
	"yanzhen/roster"
)

// Import runs `yanzhen import regions DIR` and `yanzhen import roster PATH
// [--dry-run] [--columns MAPPING.csv|.json]`.
func Import(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx) // a command acts as the system
	if len(args) == 0 {
		return fmt.Errorf("usage: yanzhen import regions DIR | yanzhen import roster PATH [--dry-run] [--columns MAPPING.csv|.json] [--source CODE] [--region CODE]")
	}
	kind, args := args[0], args[1:]
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
	dryRun := fs.Bool("dry-run", false, "validate and report without writing (roster)")
	source := fs.String("source", "", "where the roster's 人员编号 come from, e.g. the county's region code: kept as that source's keys of the people (roster)")
	flatRegion := fs.String("region", "", "the county or township a flat roster (花名册) is about, a region code: its villages are looked up by name under it (roster)")
	columns := fs.String("columns", "", "column mapping, CSV (sheet,header,column) or .json, for the headers the format does not know (roster)")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: yanzhen import %s PATH", kind)
	}
	path := fs.Arg(0)
	// The mapping is read before the database is opened: a mistyped file
	// fails at once.
	var mapping []roster.ColumnMapping
	if *columns != "" {
		if kind != "roster" {
			return fmt.Errorf("--columns is for `import roster`")
		}
		var err error
		if mapping, err = roster.ReadColumnMapping(*columns); err != nil {
			return err
		}
	}
	db, err := OpenDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	switch kind {
	case "regions":
		res, err := divisions.Import(ctx, db, os.DirFS(path), divisions.Options{Progress: env.Stderr})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, res)
		return nil
	case "roster":
		return importRoster(ctx, db, path, roster.ImportOptions{DryRun: *dryRun, Columns: mapping, Source: *source, Region: *flatRegion}, env.Stdout)
	}
	return fmt.Errorf("unknown import %q (regions, roster)", kind)
}

func importRoster(ctx context.Context, db *database.DB, path string, opts roster.ImportOptions, stdout io.Writer) error {
	wb, err := roster.Open(path)
	if err != nil {
		return err
	}
	rep, err := roster.Import(ctx, db, wb, opts)
	if rep != nil {
		fmt.Fprintln(stdout, rep)
	}
	if err != nil {
		return fmt.Errorf("nothing was written: %w", err)
	}
	return nil
}

// Export runs `yanzhen export roster --region CODE -o FILE.xlsx|DIR
// [--source CODE] [--mask]`.
func Export(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx) // a command acts as the system
	if len(args) == 0 || args[0] != "roster" {
		return fmt.Errorf("usage: yanzhen export roster --region CODE -o FILE.xlsx|DIR")
	}
	fs := flag.NewFlagSet("export roster", flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
	code := fs.String("region", "", "region code whose subtree is exported")
	out := fs.String("o", "", "an .xlsx file or a directory for CSV files")
	mask := fs.Bool("mask", false, "mask phone and ID numbers")
	source := fs.String("source", "", "write the 人员编号 this source (as given to `import roster --source`) knows the people by, so that its next roster still matches")
	if err := fs.Parse(reorderFlags(args[1:])); err != nil {
		return err
	}
	if *code == "" || *out == "" {
		return fmt.Errorf("usage: yanzhen export roster --region CODE -o FILE.xlsx|DIR")
	}
	db, err := OpenDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := roster.Export(ctx, db.Client, *code, roster.ExportOptions{MaskPersonalData: *mask, Source: *source}, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "exported the roster of %s to %s\n", *code, *out)
	return nil
}
