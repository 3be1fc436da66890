package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/demo"
	"yanzhen/divisions"
)

// Demo runs `yanzhen demo [--as-of DATE]` (the seed areas' demo
// population, with their regions) and `yanzhen demo --people N` (a synthetic
// population over every imported village, for load tests).
func Demo(ctx context.Context, env Env, args []string) error {
	ctx = auth.System(ctx) // a command acts as the system
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.StringVar(&env.DatabaseURL, "database", env.DatabaseURL, "database URL")
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
	if *people > 0 && env.StatementTimeout > 0 && env.StatementTimeout < bulkStatementTimeout {
		// The request limit (YANZHEN_STATEMENT_TIMEOUT, 20 s) is for a
		// server under load; a million people's places and indexes are
		// written by single statements that take minutes.
		env.StatementTimeout = bulkStatementTimeout
	}
	db, err := OpenDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if *people > 0 {
		sum, err := demo.Generate(ctx, db, *people, demo.GenerateOptions{Seed: *seed, Within: *within, AsOf: day, Progress: env.Stderr})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, sum)
		return nil
	}
	return SeedDemo(ctx, env, db, day)
}

// bulkStatementTimeout bounds each statement of `demo --people`.
const bulkStatementTimeout = time.Hour

// SeedDemo loads the shipped regions extract and the demo population.
func SeedDemo(ctx context.Context, env Env, db *database.DB, day time.Time) error {
	res, err := divisions.Import(ctx, db, divisions.Embedded(), divisions.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, res)
	sum, err := demo.Seed(ctx, db, demo.Options{AsOf: day})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, sum)
	if env.Production {
		// Known passwords have no place in production: its accounts are
		// made with `yanzhen user create`.
		fmt.Fprintln(env.Stdout, "production (YANZHEN_ENV=production): no demo accounts were created / 生产环境不创建演示账号")
		return nil
	}
	return createDemoAccounts(ctx, db, env.Stdout)
}

// FirstStart fills an empty embedded database with the demo, so that a
// newcomer's first `go run ./server` shows a living system. A database
// named by DATABASE_URL is never touched, and in production nothing is
// seeded: a server without accounts says how to create the first admin.
func FirstStart(ctx context.Context, env Env, db *database.DB) error {
	if env.Production {
		n, err := db.Client.User.Query().Count(auth.System(ctx))
		if err == nil && n == 0 {
			fmt.Fprintln(env.Stdout, "No accounts yet. Create the first admin (the password is read from standard input):\n"+
				"  yanzhen user create --username NAME --role ADMIN\n尚无账号：请先用上述命令创建第一个管理员。")
		}
		return err
	}
	if env.DatabaseURL != "" {
		return nil
	}
	n, err := db.Client.Region.Query().Count(auth.System(ctx))
	if err != nil || n > 0 {
		return err
	}
	fmt.Fprintln(env.Stdout, "The embedded database is empty: loading the regions and the demo population (首次启动，载入演示数据)…")
	return SeedDemo(auth.System(ctx), env, db, time.Now().UTC())
}
