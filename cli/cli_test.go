package cli

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/pii"
)

// testEnv is a development Env writing to out, with the tests' data key.
func testEnv(out io.Writer) Env {
	return Env{AutoMigrate: true, Keys: dbtest.TestKeys, Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard}
}

// `yanzhen migrate` on a database of the release before versioned
// migrations (its schema from database/testdata): it says it recognised
// it, applies what came after the baseline, seals the clear ID number,
// and the second run applies nothing.
func TestMigrateCommandUpgradesThePreviousRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	dump, err := os.ReadFile("../database/testdata/previous-release-sqlite.sql")
	if err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("sqlite", database.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(string(dump)); err != nil {
		t.Fatal(err)
	}
	const clearID = "11010519491231002X"
	if _, err := old.Exec(`INSERT INTO persons (created_at, updated_at, name, id_number) VALUES ('2025-01-02', '2025-01-02', '张慧婷', ?)`, clearID); err != nil {
		t.Fatal(err)
	}
	old.Close()

	var out bytes.Buffer
	env := testEnv(&out)
	env.DatabaseURL = "sqlite:" + path
	if err := Migrate(context.Background(), env, []string{"--status"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "release before versioned migrations") || !strings.Contains(s, "pending  20261130000001 encrypt_id_numbers") ||
		strings.Contains(s, "pending  20261130000000") {
		t.Fatalf("status of the previous release's database:\n%s", s)
	}
	out.Reset()
	if err := Migrate(context.Background(), env, nil); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "recorded at the baseline") || !strings.Contains(s, "applied 20261130000001 encrypt_id_numbers (go)") {
		t.Fatalf("first migrate:\n%s", s)
	}
	out.Reset()
	if err := Migrate(context.Background(), env, []string{"-database", env.DatabaseURL}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "nothing to apply") || strings.Contains(s, "applied 2") {
		t.Fatalf("second migrate:\n%s", s)
	}
	out.Reset()
	if err := Migrate(context.Background(), env, []string{"status"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "applied  20261130000000") || !strings.Contains(s, "up to date") || strings.Contains(s, "pending") {
		t.Fatalf("status after migrating:\n%s", s)
	}
	db, err := database.Open(context.Background(), env.DatabaseURL, database.Options{Keys: dbtest.TestKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored string
	db.SQL.QueryRow(`SELECT id_number FROM persons`).Scan(&stored)
	if !pii.Encrypted(stored) {
		t.Fatalf("the ID number is stored as %q after migrate", stored)
	}
	if p := db.Client.Person.Query().OnlyX(auth.System(context.Background())); p.IDNumber != clearID {
		t.Fatalf("ent reads the ID number as %q", p.IDNumber)
	}
}

// Without AutoMigrate, a command refuses a database that is behind and
// names the command that migrates it; the migrate command works on both
// engines, twice.
func TestCommandsRefuseADatabaseBehind(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, db *dbtest.DB) {
		var out bytes.Buffer
		env := testEnv(&out)
		env.AutoMigrate = false
		env.DatabaseURL = db.URL
		env.Stdin = strings.NewReader("a long enough password\n")
		err := User(context.Background(), env, []string{"create", "--username", "root", "--role", "ADMIN"})
		if err == nil || !strings.Contains(err.Error(), "yanzhen migrate") {
			t.Fatalf("user create on an empty database: %v", err)
		}
		for i := range 2 {
			out.Reset()
			if err := Migrate(context.Background(), env, nil); err != nil {
				t.Fatalf("migrate %d: %v", i+1, err)
			}
			if !strings.Contains(out.String(), "up to date") {
				t.Fatal(out.String())
			}
		}
		env.Stdin = strings.NewReader("a long enough password\n")
		if err := User(context.Background(), env, []string{"create", "--username", "root", "--role", "ADMIN"}); err != nil {
			t.Fatalf("user create after migrate: %v", err)
		}
	})
}

func TestReorderFlags(t *testing.T) {
	got := reorderFlags([]string{"roster", "file.xlsx", "--dry-run", "--database", "sqlite:x.db", "--within=15", "--", "-odd"})
	want := []string{"--dry-run", "--database", "sqlite:x.db", "--within=15", "roster", "file.xlsx", "-odd"}
	if !slices.Equal(got, want) {
		t.Fatalf("%q", got)
	}
}

// `yanzhen user create` reads the password from stdin; the account signs in.
func TestUserCreateCommand(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	var out bytes.Buffer
	env := testEnv(&out)
	env.Stdin = strings.NewReader("a long enough password\n")
	if err := User(context.Background(), env, []string{"create", "--database", db.URL, "--username", "root", "--role", "ADMIN"}); err != nil {
		t.Fatal(err)
	}
	if _, err := (accounts.Service{}).Login(context.Background(), db.Client, "root", "a long enough password", "cli-test"); err != nil {
		t.Fatalf("the created user cannot sign in: %v (%s)", err, out.String())
	}
	env.Stdin = strings.NewReader("")
	out.Reset()
	if err := User(context.Background(), env, []string{"create", "--database", db.URL, "--username", "second", "--role", "ADMIN", "--region", "15"}); err == nil {
		t.Fatal("an admin scope code that does not exist was accepted")
	}
	// The command refuses what the API refuses: a common password, or the
	// username itself.
	for _, c := range []struct{ username, password string }{{"third", "iloveyou2024"}, {"wangxiaoming", "WangXiaoMing"}} {
		env.Stdin = strings.NewReader(c.password + "\n")
		out.Reset()
		err := User(context.Background(), env, []string{"create", "--database", db.URL, "--username", c.username, "--role", "ADMIN"})
		if err == nil || strings.Contains(err.Error(), c.password) || strings.Contains(out.String(), c.password) {
			t.Fatalf("%s / %s: %v %s", c.username, c.password, err, out.String())
		}
	}
}

// TestProductionStartsEmpty: a production start on an empty database seeds
// nothing and has no account until one is created; asked explicitly for
// the demo, it still creates no demo accounts.
func TestProductionStartsEmpty(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	var out bytes.Buffer
	env := testEnv(&out)
	env.Production = true
	env.DatabaseURL = "" // the embedded default, where a development start loads the demo
	ctx := auth.System(context.Background())
	if err := FirstStart(ctx, env, db.DB); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.User.Query().CountX(ctx); n != 0 {
		t.Fatalf("%d accounts after a production start", n)
	}
	if n := db.Client.Region.Query().CountX(ctx); n != 0 {
		t.Fatalf("a production start seeded %d regions", n)
	}
	if !strings.Contains(out.String(), "yanzhen user create") {
		t.Fatalf("the start does not say how to create the first admin: %q", out.String())
	}
	out.Reset()
	if err := SeedDemo(ctx, env, db.DB, time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.User.Query().CountX(ctx); n != 0 {
		t.Fatalf("the demo created %d accounts in production", n)
	}
	// Not in production, the same command does create them.
	env.Production = false
	if err := SeedDemo(ctx, env, db.DB, time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.User.Query().CountX(ctx); n == 0 {
		t.Fatal("the demo created no accounts outside production")
	}
}

// The demo accounts exist for each role, with the documented scopes, and
// creating them twice changes nothing.
func TestDemoAccounts(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	ctx := auth.System(context.Background())
	c := db.Client
	mk := func(code, name string, level region.Level, parent *ent.Region) *ent.Region {
		q := c.Region.Create().SetCode(code).SetName(name).SetLevel(level)
		if parent != nil {
			q.SetParent(parent)
		}
		return q.SaveX(ctx)
	}
	county := mk("150221", "土默特右旗", region.LevelCOUNTY, mk("1502", "包头市", region.LevelCITY, mk("15", "内蒙古自治区", region.LevelPROVINCE, nil)))
	town := mk("150221100", "萨拉齐镇", region.LevelTOWNSHIP, county)
	mk("150221100200", "一村", region.LevelVILLAGE, town)
	v := mk("150221100201", "二村", region.LevelVILLAGE, town)
	p := c.Person.Create().SetName("书记").SaveX(ctx)
	c.Post.Create().SetPerson(p).SetRegion(v).SetRole("PARTY_SECRETARY").SetStartDate(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)).ExecX(ctx)
	c.Institution.Create().SetName(demoPartnerName).SetKind("UNIVERSITY").ExecX(ctx)
	var out bytes.Buffer
	for range 2 {
		if err := createDemoAccounts(context.Background(), db.DB, &out); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"admin": "", "tumed": "150221", "township": "150221100", "village": "150221100201", "partner": ""}
	users := c.User.Query().AllX(ctx)
	if len(users) != len(want) {
		t.Fatalf("%d demo users: %s", len(users), out.String())
	}
	for _, u := range users {
		if code, ok := want[u.Username]; !ok || u.RegionCode != code {
			t.Errorf("%s: scope %q", u.Username, u.RegionCode)
		}
	}
	for _, a := range demoAccounts {
		if _, err := (accounts.Service{}).Login(context.Background(), c, a.username, a.password, "demo-test"); err != nil {
			t.Errorf("demo account %s cannot sign in: %v", a.username, err)
		}
	}
}

// `yanzhen import roster PATH --columns MAPPING`: a county's sheet named
// Sheet1 under a title row, with a column of its own, imports once the
// mapping says what the sheet and the column are; without the mapping the
// sheet is reported and nothing is written.
func TestImportRosterWithColumnMapping(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	dir := t.TempDir()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"某县人才花名册"})
	f.MergeCell("Sheet1", "A1", "C1")
	f.SetSheetRow("Sheet1", "A2", &[]any{"姓 名", "身份证号码", "常用手机"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"张慧婷", "150221198805120029", "13800138000"})
	book := filepath.Join(dir, "county.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	mapping := filepath.Join(dir, "mapping.csv")
	if err := os.WriteFile(mapping, []byte("sheet,header,column\nSheet1,,人员\nSheet1,常用手机,联系电话\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := testEnv(&out)
	if err := Import(context.Background(), env, []string{"roster", book, "--database", db.URL}); err != nil {
		t.Fatal(err) // nothing to write is no error
	}
	if !strings.Contains(out.String(), "unknown sheet") {
		t.Fatalf("without the mapping:\n%s", out.String())
	}
	out.Reset()
	if err := Import(context.Background(), env, []string{"roster", book, "--database", db.URL, "--columns", mapping}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	p, err := db.Client.Person.Query().Only(auth.System(context.Background()))
	if err != nil || p.Name != "张慧婷" || p.Phone != "13800138000" {
		t.Fatalf("%v %+v\n%s", err, p, out.String())
	}
	if err := Import(context.Background(), env, []string{"roster", book, "--database", db.URL, "--columns", filepath.Join(dir, "missing.csv")}); err == nil {
		t.Fatal("a missing mapping file was accepted")
	}
}

// `yanzhen vocab add`, `map` and `list`: a county's term with a derived
// code, a word mapped to it, both listed.
func TestVocabCommand(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	var out bytes.Buffer
	env := testEnv(&out)
	run := func(args ...string) {
		t.Helper()
		if err := Vocab(context.Background(), env, append(args[:1:1], append([]string{"--database", db.URL}, args[1:]...)...)); err != nil {
			t.Fatalf("vocab %v: %v", args, err)
		}
	}
	run("add", "--kind", "AGRICULTURAL_FIELD", "--label", "茶叶", "--synonyms", "茶园", "--region", "150221")
	run("map", "--kind", "AGRICULTURAL_FIELD", "--word", "茶", "--code", "CHAYE", "--region", "150221")
	out.Reset()
	run("list", "--kind", "AGRICULTURAL_FIELD")
	if !strings.Contains(out.String(), "AGRICULTURAL_FIELD\tCHAYE\t茶叶\t150221\t茶园,茶\n") {
		t.Errorf("list:\n%s", out.String())
	}
	if err := Vocab(context.Background(), env, []string{"add", "--database", db.URL, "--kind", "NOPE", "--label", "x"}); err == nil {
		t.Error("an unknown kind was accepted")
	}
}
