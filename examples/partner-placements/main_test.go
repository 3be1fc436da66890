package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/institution"
	"yanzhen/ent/region"
)

const partnerPassword = "a long enough partner password"

// The example against the real server: the yanzhen binary, built from this
// module, serving a database with two institutions' experts. The partner's
// five placements take three pages of two; the other institution's never
// appear; a wrong password is refused with its code.
func TestPartnerPlacementsAgainstTheServer(t *testing.T) {
	bin := buildServer(t)
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		own, others := seed(t, db.Client)
		url := startServer(t, bin, db.URL) + "/graphql"

		t.Run("lists every placement once, page by page", func(t *testing.T) {
			t.Setenv("YANZHEN_PASSWORD", partnerPassword) // not on the command line
			var out bytes.Buffer
			if err := run(context.Background(), []string{"-url", url, "-user", "partner", "-page", "2"}, &out); err != nil {
				t.Fatal(err)
			}
			text := out.String()
			t.Logf("output:\n%s", text)
			for _, line := range own {
				if n := strings.Count(text, line+"\n"); n != 1 {
					t.Errorf("%q printed %d times, want once; output:\n%s", line, n, text)
				}
			}
			for _, name := range others {
				if strings.Contains(text, name) {
					t.Errorf("another institution's expert %s is listed:\n%s", name, text)
				}
			}
			lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
			if want := fmt.Sprintf("Total: %d placements", len(own)); lines[len(lines)-1] != want {
				t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
			}
			if want := len(own) + 2; len(lines) != want { // the heading, one line each, the total
				t.Errorf("%d lines, want %d:\n%s", len(lines), want, text)
			}
			if !strings.HasPrefix(text, "Placements of the experts of 长江大学:\n") {
				t.Errorf("heading missing:\n%s", text)
			}
		})

		t.Run("follows endCursor until hasNextPage is false", func(t *testing.T) {
			ctx := context.Background()
			login, err := Login(ctx, graphql.NewClient(url, http.DefaultClient), "partner", partnerPassword)
			if err != nil {
				t.Fatal(describe(err))
			}
			counter := &countingDoer{next: http.DefaultClient}
			client := graphql.NewClient(url, bearer{token: login.Login.Token, next: counter})
			list, err := placements(ctx, client, login.Login.User.Institution.Id, 2)
			if err != nil {
				t.Fatal(describe(err))
			}
			if len(list) != len(own) || counter.n != 3 {
				t.Errorf("%d placements in %d requests, want %d in 3", len(list), counter.n, len(own))
			}
			seen := map[string]bool{}
			for _, p := range list {
				if seen[p.Id] {
					t.Errorf("placement %s came twice", p.Id)
				}
				seen[p.Id] = true
			}
		})

		t.Run("a wrong password is refused with its code", func(t *testing.T) {
			t.Setenv("YANZHEN_PASSWORD", partnerPassword) // the flag wins
			var out bytes.Buffer
			err := run(context.Background(), []string{"-url", url, "-user", "partner", "-password", "not the password"}, &out)
			if err == nil || !strings.Contains(err.Error(), "UNAUTHENTICATED") {
				t.Fatalf("got %v, want an UNAUTHENTICATED error", err)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q before failing", out.String())
			}
		})

		// A server that runs trusted documents only: the operator registers
		// the example's documents (genqlient's operations.json, the exact
		// texts it sends) with the admin command, and the example runs
		// unchanged; a query of a stranger is refused with its code.
		t.Run("against a server that runs trusted documents only", func(t *testing.T) {
			add := exec.Command(bin, "documents", "add", "--database", db.URL, "--client", "partner-placements", "operations.json")
			add.Env = serverEnv()
			if out, err := add.CombinedOutput(); err != nil || !strings.Contains(string(out), "registered 2 documents") {
				t.Fatalf("documents add: %v\n%s", err, out)
			}
			only := startServer(t, bin, db.URL, "YANZHEN_TRUSTED_DOCUMENTS=only") + "/graphql"
			var out bytes.Buffer
			if err := run(context.Background(), []string{"-url", only, "-user", "partner", "-password", partnerPassword, "-page", "2"}, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(out.String(), fmt.Sprintf("Total: %d placements\n", len(own))) {
				t.Errorf("output:\n%s", out.String())
			}
			resp, err := http.Post(only, "application/json", strings.NewReader(`{"query": "{ institutions { totalCount } }"}`))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body bytes.Buffer
			body.ReadFrom(resp.Body)
			if !strings.Contains(body.String(), `"code":"DOCUMENT_NOT_TRUSTED"`) || strings.Contains(body.String(), "totalCount") {
				t.Errorf("a stranger's query: %s", body.String())
			}
		})

		t.Run("a page above the server's limit is refused with its code", func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"-url", url, "-user", "partner", "-password", partnerPassword, "-page", "101"}, &out)
			if err == nil || !strings.Contains(err.Error(), "BAD_USER_INPUT") {
				t.Fatalf("got %v, want a BAD_USER_INPUT error", err)
			}
			t.Log(err)
		})
	})
}

// seed makes two institutions with experts placed in villages, and the
// partner account of the first. It returns the lines the example must print
// for the partner's placements, and the names of the other institution's
// experts.
func seed(t *testing.T, c *ent.Client) (own, others []string) {
	t.Helper()
	ctx := auth.System(context.Background())
	prov := c.Region.Create().SetCode("15").SetName("内蒙古自治区").SetLevel(region.LevelPROVINCE).SaveX(ctx)
	city := c.Region.Create().SetCode("1502").SetName("包头市").SetLevel(region.LevelCITY).SetParent(prov).SaveX(ctx)
	county := c.Region.Create().SetCode("150221").SetName("土默特右旗").SetLevel(region.LevelCOUNTY).SetParent(city).SaveX(ctx)
	town := c.Region.Create().SetCode("150221100").SetName("萨拉齐镇").SetLevel(region.LevelTOWNSHIP).SetParent(county).SaveX(ctx)
	village := func(code, name string) *ent.Region {
		return c.Region.Create().SetCode(code).SetName(name).SetLevel(region.LevelVILLAGE).SetKind(region.KindVILLAGE).SetParent(town).SaveX(ctx)
	}
	v1, v2 := village("150221100201", "三道河村"), village("150221100202", "大城西村")

	yangtze := c.Institution.Create().SetName("长江大学").SetKind(institution.KindUNIVERSITY).SaveX(ctx)
	other := c.Institution.Create().SetName("别的大学").SetKind(institution.KindUNIVERSITY).SaveX(ctx)
	if _, _, err := accounts.CreateUser(ctx, c, accounts.NewUser{Username: "partner", Password: partnerPassword,
		Role: auth.RolePartner, Institution: yangtze.ID}); err != nil {
		t.Fatal(err)
	}

	place := func(expert *ent.Person, r *ent.Region, start, end string) {
		q := c.ExpertAssignment.Create().SetExpert(expert).SetRegion(r).SetStartDate(date(start))
		if end != "" {
			q.SetEndDate(date(end))
		}
		q.ExecX(ctx)
	}
	li := c.Person.Create().SetName("李农艺").SetInstitution(yangtze).SaveX(ctx)
	wang := c.Person.Create().SetName("王畜牧").SetInstitution(yangtze).SaveX(ctx)
	zhao := c.Person.Create().SetName("赵植保").SetInstitution(yangtze).SaveX(ctx)
	for _, p := range []struct {
		expert     *ent.Person
		region     *ent.Region
		start, end string
	}{
		{li, v1, "2022-03-01", "2023-02-28"},
		{li, v2, "2023-03-01", ""},
		{wang, v1, "2023-03-01", ""}, // the same start date as li's second: the cursor must tell them apart
		{wang, town, "2021-05-01", "2021-12-31"},
		{zhao, v2, "2024-01-15", ""},
	} {
		place(p.expert, p.region, p.start, p.end)
		end := p.end
		if end == "" {
			end = "ongoing"
		}
		own = append(own, fmt.Sprintf("%s\t%s (%s)\t%s – %s", p.expert.Name, p.region.Name, p.region.Code, p.start, end))
	}

	for _, name := range []string{"钱园艺", "孙水利"} {
		e := c.Person.Create().SetName(name).SetInstitution(other).SaveX(ctx)
		place(e, v1, "2023-01-01", "")
		others = append(others, name)
	}
	return own, others
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// countingDoer counts the requests it passes on.
type countingDoer struct {
	n    int
	next graphql.Doer
}

func (c *countingDoer) Do(req *http.Request) (*http.Response, error) {
	c.n++
	return c.next.Do(req)
}

// buildServer builds the server command (yanzhen/server, what `yanzhen
// serve` runs) into a temporary directory: the example is tested against
// the binary integrators run, its whole HTTP stack included.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "yanzhen")
	build := exec.Command("go", "build", "-o", bin, "yanzhen/server")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the server: %v\n%s", err, out)
	}
	return bin
}

// startServer runs `yanzhen serve` on a free loopback port against the
// database at databaseURL (already migrated, with the test data key) and
// returns its base URL. The server is stopped, by SIGINT like a terminal's
// Ctrl-C, when the test ends; its log is shown if the test failed.
func startServer(t *testing.T, bin, databaseURL string, env ...string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-database", databaseURL)
	cmd.Env = append(serverEnv(), env...)
	var log syncBuffer
	cmd.Stderr = &log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		running := regexp.MustCompile(`is running at (http://\S+)`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			log.Write(append(sc.Bytes(), '\n'))
			if m := running.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-drained:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-drained
		}
		cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	select {
	case u := <-urls:
		// The server names its loopback address "localhost"; it listens on
		// IPv4 only.
		return strings.Replace(u, "//localhost:", "//127.0.0.1:", 1)
	case <-drained:
		t.Fatalf("the server exited before serving:\n%s", log.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not start within a minute:\n%s", log.String())
	}
	return ""
}

// serverEnv is the environment of the server and its commands.
func serverEnv() []string {
	return append(os.Environ(),
		"YANZHEN_ENV=", // not production: whatever the caller's shell says
		"YANZHEN_DATA_KEY="+base64.StdEncoding.EncodeToString(dbtest.TestDataKey),
		"YANZHEN_AUTO_MIGRATE=0",
		"YANZHEN_LOG_FORMAT=text",
	)
}

// syncBuffer is a bytes.Buffer the server's stdout and stderr copiers may
// write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
