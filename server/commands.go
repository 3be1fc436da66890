package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/demo"
	"yanzhen/divisions"
	"yanzhen/roster"
)

// importCommand runs `yanzhen import regions DIR` and `yanzhen import roster PATH [--dry-run]`.
func importCommand(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: yanzhen import regions DIR | yanzhen import roster PATH [--dry-run]")
	}
	kind, args := args[0], args[1:]
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL")
	dryRun := fs.Bool("dry-run", false, "validate and report without writing (roster)")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: yanzhen import %s PATH", kind)
	}
	path := fs.Arg(0)
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch kind {
	case "regions":
		res, err := divisions.Import(ctx, db, os.DirFS(path), divisions.Options{Progress: os.Stderr})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, res)
		return nil
	case "roster":
		return importRoster(ctx, db, path, *dryRun, stdout)
	}
	return fmt.Errorf("unknown import %q (regions, roster)", kind)
}

// reorderFlags lets flags follow the positional argument (`import roster FILE --dry-run`),
// which the standard flag package would otherwise treat as arguments.
func reorderFlags(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if !hasValue(a) && i+1 < len(args) && takesValue(a) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

func hasValue(flag string) bool {
	for _, c := range flag {
		if c == '=' {
			return true
		}
	}
	return false
}

// takesValue: the flags of our commands that take a value.
func takesValue(flag string) bool {
	switch trimDashes(flag) {
	case "database", "region", "o", "people", "addr":
		return true
	}
	return false
}

func trimDashes(s string) string {
	for len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	return s
}

func importRoster(ctx context.Context, db *database.DB, path string, dryRun bool, stdout io.Writer) error {
	wb, err := roster.Open(path)
	if err != nil {
		return err
	}
	rep, err := roster.Import(ctx, db, wb, roster.ImportOptions{DryRun: dryRun})
	if rep != nil {
		fmt.Fprintln(stdout, rep)
	}
	if err != nil {
		return fmt.Errorf("nothing was written: %w", err)
	}
	return nil
}

// exportCommand runs `yanzhen export roster --region CODE -o FILE.xlsx|DIR`.
func exportCommand(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "roster" {
		return fmt.Errorf("usage: yanzhen export roster --region CODE -o FILE.xlsx|DIR")
	}
	fs := flag.NewFlagSet("export roster", flag.ContinueOnError)
	fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL")
	code := fs.String("region", "", "region code whose subtree is exported")
	out := fs.String("o", "", "an .xlsx file or a directory for CSV files")
	mask := fs.Bool("mask", false, "mask phone and ID numbers")
	if err := fs.Parse(reorderFlags(args[1:])); err != nil {
		return err
	}
	if *code == "" || *out == "" {
		return fmt.Errorf("usage: yanzhen export roster --region CODE -o FILE.xlsx|DIR")
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := roster.Export(ctx, db.Client, *code, roster.ExportOptions{MaskPersonalData: *mask}, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported the roster of %s to %s\n", *code, *out)
	return nil
}

// demoCommand runs `yanzhen demo [--as-of DATE]` (the seed areas' demo
// population, with their regions) and `yanzhen demo --people N` (a synthetic
// population over every imported village, for load tests).
func demoCommand(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL")
	people := fs.Int("people", 0, "generate this many synthetic people over all imported villages instead")
	within := fs.String("within", "", "with --people: only the villages under this region code")
	seed := fs.Uint64("seed", 1, "with --people: which synthetic population (one per seed)")
	asOf := fs.String("as-of", "", "the day the demo describes, YYYY-MM-DD (default: today)")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return err
	}
	day := time.Now().UTC()
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return fmt.Errorf("--as-of: %q is not a date YYYY-MM-DD", *asOf)
		}
		day = d
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if *people > 0 {
		sum, err := demo.Generate(ctx, db, *people, demo.GenerateOptions{Seed: *seed, Within: *within, AsOf: day, Progress: os.Stderr})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, sum)
		return nil
	}
	return seedDemo(ctx, cfg, db, day, stdout)
}

// seedDemo loads the shipped regions extract and the demo population.
func seedDemo(ctx context.Context, cfg Config, db *database.DB, day time.Time, out io.Writer) error {
	res, err := divisions.Import(ctx, db, divisions.Embedded(), divisions.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, res)
	sum, err := demo.Seed(ctx, db, demo.Options{AsOf: day})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, sum)
	if cfg.Production {
		// Known passwords have no place in production: its accounts are
		// made with `yanzhen user create`.
		fmt.Fprintln(out, "production (YANZHEN_ENV=production): no demo accounts were created / 生产环境不创建演示账号")
		return nil
	}
	return createDemoAccounts(ctx, db, out)
}

// firstStart fills an empty embedded database with the demo, so that a
// newcomer's first `go run ./server` shows a living system. A database
// named by DATABASE_URL is never touched, and in production nothing is
// seeded: a server without accounts says how to create the first admin.
func firstStart(ctx context.Context, cfg Config, db *database.DB, out io.Writer) error {
	if cfg.Production {
		n, err := db.Client.User.Query().Count(auth.System(ctx))
		if err == nil && n == 0 {
			fmt.Fprintln(out, "No accounts yet. Create the first admin (the password is read from standard input):\n"+
				"  yanzhen user create --username NAME --role ADMIN\n尚无账号：请先用上述命令创建第一个管理员。")
		}
		return err
	}
	if cfg.DatabaseURL != "" {
		return nil
	}
	n, err := db.Client.Region.Query().Count(auth.System(ctx))
	if err != nil || n > 0 {
		return err
	}
	fmt.Println("The embedded database is empty: loading the regions and the demo population (首次启动，载入演示数据)…")
	return seedDemo(auth.System(ctx), cfg, db, time.Now().UTC(), out)
}
