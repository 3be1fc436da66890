package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/graph"
)

// Migrate runs `yanzhen migrate [-database URL] [--status]`: it applies the
// pending migrations and names each, or with --status lists what is applied
// and what is pending without changing anything.
func Migrate(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx) // a command acts as the system
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
	status := fs.Bool("status", false, "list the applied and pending migrations, apply nothing")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return err
	}
	if fs.NArg() == 1 && fs.Arg(0) == "status" {
		*status = true
	} else if fs.NArg() > 0 {
		return fmt.Errorf("usage: yanzhen migrate [-database URL] [--status]")
	}
	db, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if *status {
		return printStatus(ctx, db, env.Stdout)
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if st.PreviousRelease {
		fmt.Fprintf(env.Stdout, "%s was made by the release before versioned migrations: recorded at the baseline %s\n", db.Location, database.BaselineVersion)
	}
	applied, err := db.MigrateUp(ctx)
	for _, m := range applied {
		fmt.Fprintf(env.Stdout, "applied %s\n", m)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(env.Stdout, "schema of %s is up to date: nothing to apply\n", db.Location)
		return nil
	}
	fmt.Fprintf(env.Stdout, "schema of %s is up to date: applied %d migrations\n", db.Location, len(applied))
	return nil
}

func printStatus(ctx context.Context, db *database.DB, out io.Writer) error {
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s\n", db.Location)
	if st.PreviousRelease {
		fmt.Fprintf(out, "baseline %s: made by the release before versioned migrations; `yanzhen migrate` records it without running it\n", database.BaselineVersion)
	}
	for _, a := range st.Applied {
		fmt.Fprintf(out, "applied  %s %s (%s)\n", a.Version, a.Name, a.AppliedAt.UTC().Format("2006-01-02 15:04:05Z"))
	}
	for _, m := range st.Pending {
		fmt.Fprintf(out, "pending  %s\n", m)
	}
	if !st.Behind() {
		fmt.Fprintln(out, "up to date")
	}
	return nil
}

// Schema runs `yanzhen schema [-o FILE]`: the GraphQL SDL.
func Schema(env Env, args []string) error {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		_, err := io.WriteString(env.Stdout, graph.SDL())
		return err
	}
	return os.WriteFile(*out, []byte(graph.SDL()), 0o644)
}
