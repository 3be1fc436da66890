package importjob

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/auditlog"
	entjob "yanzhen/ent/importjob"
	"yanzhen/ent/person"
	"yanzhen/ent/region"
	"yanzhen/errcode"
	"yanzhen/roster"
)

// fixture is a county (土默特右旗) with one village, another county, and
// an admin of each.
type fixture struct {
	db          *dbtest.DB
	admin       *auth.Viewer // of 150221
	otherAdmin  *auth.Viewer // of 150302
	village     string       // a village code in 150221
	otherCounty string
}

func newFixture(t *testing.T, db *dbtest.DB) fixture {
	t.Helper()
	ctx := auth.System(context.Background())
	c := db.Client
	ids := map[string]int{}
	for _, r := range []struct {
		code, name, parent string
		level              region.Level
	}{
		{"15", "内蒙古自治区", "", region.LevelPROVINCE},
		{"1502", "包头市", "15", region.LevelCITY},
		{"150221", "土默特右旗", "1502", region.LevelCOUNTY},
		{"150221100", "萨拉齐镇", "150221", region.LevelTOWNSHIP},
		{"150221100201", "三道河村", "150221100", region.LevelVILLAGE},
		{"1503", "乌海市", "15", region.LevelCITY},
		{"150302", "海勃湾区", "1503", region.LevelCOUNTY},
	} {
		b := c.Region.Create().SetCode(r.code).SetName(r.name).SetLevel(r.level)
		if r.parent != "" {
			b.SetParentID(ids[r.parent])
		}
		if r.level == region.LevelVILLAGE {
			b.SetKind(region.KindVILLAGE)
		}
		ids[r.code] = b.SaveX(ctx).ID
	}
	return fixture{
		db: db, village: "150221100201", otherCounty: "150302",
		admin:      newUser(t, db, "tumed", auth.RoleAdmin, "150221"),
		otherAdmin: newUser(t, db, "wuhai", auth.RoleAdmin, "150302"),
	}
}

func newUser(t *testing.T, db *dbtest.DB, name string, role auth.Role, code string) *auth.Viewer {
	t.Helper()
	u, _, err := accounts.CreateUser(auth.System(context.Background()), db.Client, accounts.NewUser{
		Username: name, Password: "a long enough password", Role: role, RegionCode: code,
	})
	if err != nil {
		t.Fatalf("creating user %s: %v", name, err)
	}
	return accounts.ViewerOf(u)
}

// workbook is an .xlsx roster of n people living in village, numbered
// prefix-1 … prefix-n; bad gives row 3 an unknown gender.
func workbook(t *testing.T, n int, prefix, village string, bad bool) []byte {
	t.Helper()
	s := &roster.Sheet{Name: "人员", Header: []string{"人员编号", "姓名", "性别", "所在村代码"}}
	for i := range n {
		gender := "男"
		if bad && i == 1 {
			gender = "男女"
		}
		s.Rows = append(s.Rows, roster.Row{Line: i + 2, Cells: []string{fmt.Sprintf("%s-%d", prefix, i+1), fmt.Sprintf("测试%d", i+1), gender, village}})
	}
	var b bytes.Buffer
	if err := (&roster.Workbook{Sheets: []*roster.Sheet{s}}).WriteXLSX(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fast are options for tests: short polls and leases.
var fast = Options{Workers: 1, Timeout: time.Minute, MaxAttempts: 3, Lease: 2 * time.Second, Poll: 20 * time.Millisecond}

// startRunner starts a runner that stops with the test.
func startRunner(t *testing.T, db *dbtest.DB, opts Options) *Runner {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := Start(ctx, db.DB, opts)
	t.Cleanup(func() { cancel(); r.Wait() })
	return r
}

func submit(t *testing.T, db *dbtest.DB, v *auth.Viewer, content []byte, dryRun bool) *ent.ImportJob {
	t.Helper()
	job, err := Submit(auth.NewContext(context.Background(), v), db.Client, "名册.xlsx", content, dryRun, nil)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return job
}

var sys = auth.System(context.Background())

// await polls the job until it has finished.
func await(t *testing.T, db *dbtest.DB, id int) *ent.ImportJob {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		job, err := db.Client.ImportJob.Get(sys, id)
		if err != nil {
			t.Fatal(err)
		}
		switch job.Status {
		case entjob.StatusSUCCEEDED, entjob.StatusREJECTED, entjob.StatusFAILED:
			return job
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %d did not finish", id)
	return nil
}

func report(t *testing.T, job *ent.ImportJob) roster.Report {
	t.Helper()
	var rep roster.Report
	if err := json.Unmarshal(job.Report, &rep); err != nil {
		t.Fatalf("report of job %d: %v (%s)", job.ID, err, job.Report)
	}
	return rep
}

func people(t *testing.T, db *dbtest.DB) int {
	t.Helper()
	return db.Client.Person.Query().CountX(sys)
}

func TestJobRunsToItsOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)

		job := submit(t, db, f.admin, workbook(t, 450, "P", f.village, false), false)
		if job.Status != entjob.StatusQUEUED || len(job.Content) == 0 || job.OwnerID != f.admin.UserID || job.RegionCode != "150221" {
			t.Fatalf("submitted job: %+v", job)
		}
		var mu sync.Mutex
		var seen []roster.Progress
		testHookProgress = func(_ int, p roster.Progress) {
			mu.Lock()
			seen = append(seen, p)
			mu.Unlock()
		}
		t.Cleanup(func() { testHookProgress = nil })
		r := startRunner(t, db, fast)
		r.Wake()
		done := await(t, db, job.ID)
		if done.Status != entjob.StatusSUCCEEDED || len(done.Content) != 0 || done.Attempts != 1 || done.Phase != entjob.PhaseDONE ||
			done.RowsDone != 450 || done.RowsTotal != 450 || done.FinishedAt == nil || done.StartedAt == nil || done.Claim != "" {
			t.Fatalf("finished job: %+v", done)
		}
		rep := report(t, done)
		if !rep.OK() || !rep.Written || rep.Count("人员").Created != 450 {
			t.Fatalf("report: %+v", rep)
		}
		if n := people(t, db); n != 450 {
			t.Fatalf("%d people written", n)
		}
		mu.Lock()
		phases := map[roster.Phase]int{}
		for _, p := range seen {
			phases[p.Phase]++
		}
		last := seen[len(seen)-1]
		mu.Unlock()
		if phases[roster.Validating] < 3 || phases[roster.Writing] < 1 || last.Phase != roster.Writing || last.Done != 450 || last.Total != 450 {
			t.Fatalf("progress: %v, last %+v", phases, last)
		}
		// The import wrote its IMPORT entry; the submit its CREATE entry, without the file.
		imports := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionIMPORT)).AllX(sys)
		if len(imports) != 1 || imports[0].ActorName != "tumed" || imports[0].RequestID != fmt.Sprintf("import-job-%d", job.ID) {
			t.Fatalf("import audit entries: %+v", imports)
		}
		created := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionCREATE), auditlog.EntityType("ImportJob")).OnlyX(sys)
		if _, ok := created.After["content"]; ok || created.After["file_name"] != "名册.xlsx" || created.RegionCode != "150221" {
			t.Fatalf("create audit entry: %+v", created.After)
		}

		// A dry run validates and writes nothing.
		dry := await(t, db, submit(t, db, f.admin, workbook(t, 3, "D", f.village, false), true).ID)
		if rep := report(t, dry); dry.Status != entjob.StatusSUCCEEDED || rep.Written || !rep.DryRun || rep.Count("人员").Created != 3 {
			t.Fatalf("dry run: %s %+v", dry.Status, rep)
		}
		// A file with problems is REJECTED: nothing written, every problem listed.
		bad := await(t, db, submit(t, db, f.admin, workbook(t, 5, "B", f.village, true), false).ID)
		rep = report(t, bad)
		if bad.Status != entjob.StatusREJECTED || rep.Written || len(rep.Problems) != 1 || rep.Problems[0].Row != 3 || rep.Problems[0].Column != "性别" {
			t.Fatalf("bad file: %s %+v", bad.Status, rep)
		}
		// A zip that is no workbook FAILS as BAD_FILE.
		broken := await(t, db, submit(t, db, f.admin, []byte("PK\x03\x04 not really a workbook"), false).ID)
		if broken.Status != entjob.StatusFAILED || broken.FailureCode == nil || *broken.FailureCode != entjob.FailureCodeBAD_FILE ||
			!strings.Contains(broken.StatusMessage, "名册.xlsx") || len(broken.Content) != 0 {
			t.Fatalf("broken file: %+v", broken)
		}
		if n := people(t, db); n != 450 {
			t.Fatalf("%d people after the dry run and the bad files", n)
		}
	})
}

func TestSubmitChecksRoleAndFile(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	f := newFixture(t, db)
	village := newUser(t, db, "village", auth.RoleVillage, f.village)
	for _, c := range []struct {
		v    *auth.Viewer
		code string
	}{{village, errcode.Forbidden}, {&auth.Viewer{}, errcode.Unauthenticated}} {
		_, err := Submit(auth.NewContext(context.Background(), c.v), db.Client, "x.xlsx", workbook(t, 1, "X", f.village, false), false, nil)
		if e, ok := errcode.As(err); !ok || e.Code != c.code {
			t.Errorf("%s: %v, want %s", c.v.Name(), err, c.code)
		}
	}
	// A CSV file is told by its name (CSV has no signature); a text file
	// of another name is refused.
	_, err := Submit(auth.NewContext(context.Background(), f.admin), db.Client, "x.txt", []byte("a,b\n1,2\n"), false, nil)
	if e, ok := errcode.As(err); !ok || e.Code != errcode.BadUserInput || e.Field != "file" {
		t.Errorf("a text file: %v", err)
	}
	if _, err := Submit(auth.NewContext(context.Background(), f.admin), db.Client, "人员.csv", []byte("a,b\n1,2\n"), false, nil); err != nil {
		t.Errorf("a CSV file: %v", err)
	}
	// Only the runner (the system) changes a job; a user creates only
	// their own, queued.
	job := submit(t, db, f.admin, workbook(t, 1, "X", f.village, false), false)
	as := auth.NewContext(context.Background(), f.admin)
	for name, err := range map[string]error{
		"update":          db.Client.ImportJob.UpdateOneID(job.ID).SetStatus(entjob.StatusSUCCEEDED).Exec(as),
		"delete":          db.Client.ImportJob.DeleteOneID(job.ID).Exec(as),
		"running":         db.Client.ImportJob.Create().SetOwnerID(f.admin.UserID).SetRegionCode("150221").SetFileName("x").SetStatus(entjob.StatusRUNNING).Exec(as),
		"another's":       db.Client.ImportJob.Create().SetOwnerID(f.otherAdmin.UserID).SetRegionCode("150221").SetFileName("x").Exec(as),
		"another scope":   db.Client.ImportJob.Create().SetOwnerID(f.admin.UserID).SetRegionCode("150302").SetFileName("x").Exec(as),
		"with a report":   db.Client.ImportJob.Create().SetOwnerID(f.admin.UserID).SetRegionCode("150221").SetFileName("x").SetReport([]byte(`{}`)).Exec(as),
		"already started": db.Client.ImportJob.Create().SetOwnerID(f.admin.UserID).SetRegionCode("150221").SetFileName("x").SetAttempts(2).Exec(as),
	} {
		if e, ok := errcode.As(err); !ok || e.Code != errcode.Forbidden {
			t.Errorf("%s: %v, want FORBIDDEN", name, err)
		}
	}
}

// A job left RUNNING by a server that died (its lease ran out) runs again
// and completes; an attempt cut short wrote nothing.
func TestInterruptedJobResumes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		job := submit(t, db, f.admin, workbook(t, 40, "R", f.village, false), false)
		// What a dead process leaves: RUNNING, claimed, the lease run out.
		db.Client.ImportJob.UpdateOneID(job.ID).SetStatus(entjob.StatusRUNNING).SetClaim("dead-process").
			SetLeaseUntil(time.Now().Add(-time.Second)).SetAttempts(1).SetPhase(entjob.PhaseWRITING).ExecX(sys)
		startRunner(t, db, fast)
		done := await(t, db, job.ID)
		if done.Status != entjob.StatusSUCCEEDED || done.Attempts != 2 || !strings.Contains(done.StatusMessage, "resumed") {
			t.Fatalf("resumed job: %+v", done)
		}
		if n := people(t, db); n != 40 {
			t.Fatalf("%d people", n)
		}
	})
}

// A job whose runner is stopped while it writes is handed back: the
// transaction is rolled back, nothing is written, and the next runner
// runs it from the start.
func TestStoppedRunnerHandsTheJobBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		job := submit(t, db, f.admin, workbook(t, 1500, "S", f.village, false), false)
		ctx, stop := context.WithCancel(context.Background())
		var once sync.Once
		testHookProgress = func(_ int, p roster.Progress) {
			if p.Phase == roster.Writing && p.Done > 0 {
				once.Do(stop) // the server is told to stop halfway through writing
			}
		}
		t.Cleanup(func() { testHookProgress = nil })
		r := Start(ctx, db.DB, fast)
		r.Wait()
		testHookProgress = nil
		back := db.Client.ImportJob.GetX(sys, job.ID)
		if back.Status != entjob.StatusQUEUED || back.Attempts != 0 || len(back.Content) == 0 || back.Claim != "" {
			t.Fatalf("handed-back job: %+v", back)
		}
		if n := people(t, db); n != 0 {
			t.Fatalf("%d people half-written", n)
		}
		startRunner(t, db, fast)
		done := await(t, db, job.ID)
		if done.Status != entjob.StatusSUCCEEDED || done.Attempts != 1 {
			t.Fatalf("job: %+v", done)
		}
		if n := people(t, db); n != 1500 {
			t.Fatalf("%d people", n)
		}
	})
}

func TestJobInterruptedTooOftenFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		job := submit(t, db, f.admin, workbook(t, 2, "I", f.village, false), false)
		db.Client.ImportJob.UpdateOneID(job.ID).SetStatus(entjob.StatusRUNNING).SetClaim("dead-process").
			SetLeaseUntil(time.Now().Add(-time.Second)).SetAttempts(3).ExecX(sys)
		startRunner(t, db, fast)
		done := await(t, db, job.ID)
		if done.Status != entjob.StatusFAILED || done.FailureCode == nil || *done.FailureCode != entjob.FailureCodeINTERRUPTED ||
			!strings.Contains(done.StatusMessage, "interrupted") || !strings.Contains(done.StatusMessage, "中断") || len(done.Content) != 0 {
			t.Fatalf("job: %+v", done)
		}
		if n := people(t, db); n != 0 {
			t.Fatalf("%d people", n)
		}
		// A live runner's job (lease not run out) is left alone.
		other := submit(t, db, f.admin, workbook(t, 2, "J", f.village, false), false)
		db.Client.ImportJob.UpdateOneID(other.ID).SetStatus(entjob.StatusRUNNING).SetClaim("live-process").
			SetLeaseUntil(time.Now().Add(time.Hour)).SetAttempts(1).ExecX(sys)
		time.Sleep(200 * time.Millisecond)
		if j := db.Client.ImportJob.GetX(sys, other.ID); j.Status != entjob.StatusRUNNING || j.Claim != "live-process" {
			t.Fatalf("a live job was taken: %+v", j)
		}
	})
}

// A job past its time limit FAILS with TIMEOUT — never FORBIDDEN, though
// the privacy rules' scope lookups are what the deadline cuts short.
func TestDeadlineIsATimeout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		for _, phase := range []roster.Phase{roster.Validating, roster.Writing} {
			t.Run(string(phase), func(t *testing.T) {
				// Past the first rows of the phase (in WRITING: the first
				// 1,000 rows written), the job's time runs out.
				var once sync.Once
				testHookProgress = func(_ int, p roster.Progress) {
					if p.Phase == phase && p.Done > 0 {
						once.Do(func() { time.Sleep(500 * time.Millisecond) })
					}
				}
				t.Cleanup(func() { testHookProgress = nil })
				opts := fast
				opts.Timeout = 400 * time.Millisecond
				startRunner(t, db, opts)
				job := submit(t, db, f.admin, workbook(t, 1500, "T"+string(phase), f.village, false), false)
				done := await(t, db, job.ID)
				if done.Status != entjob.StatusFAILED || done.FailureCode == nil || *done.FailureCode != entjob.FailureCodeTIMEOUT ||
					!strings.Contains(done.StatusMessage, "time limit") || len(done.Content) != 0 {
					t.Fatalf("job: %+v (%s)", done, done.StatusMessage)
				}
				if n := people(t, db); n != 0 {
					t.Fatalf("%d people", n)
				}
			})
		}
	})
}

// The submitter is reloaded when the job runs: disabled, or without the
// import role, the job FAILS as FORBIDDEN.
func TestSubmitterLosingTheRoleFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		town := newUser(t, db, "town", auth.RoleTownship, "150221100")
		disabled := submit(t, db, f.admin, workbook(t, 2, "X", f.village, false), false)
		demoted := submit(t, db, town, workbook(t, 2, "Y", f.village, false), false)
		db.Client.User.UpdateOneID(f.admin.UserID).SetDisabled(true).ExecX(sys)
		db.Client.User.UpdateOneID(town.UserID).SetRole("VILLAGE").SetRegionCode(f.village).ExecX(sys)
		startRunner(t, db, fast)
		for _, id := range []int{disabled.ID, demoted.ID} {
			done := await(t, db, id)
			if done.Status != entjob.StatusFAILED || done.FailureCode == nil || *done.FailureCode != entjob.FailureCodeFORBIDDEN {
				t.Fatalf("job: %+v", done)
			}
		}
		if n := people(t, db); n != 0 {
			t.Fatalf("%d people", n)
		}
	})
}

// Two runners on one database, with two workers each, never run the same
// job: every job is started once and written once.
func TestTwoRunnersNeverRunOneJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		const jobs = 6
		var ids []int
		for i := range jobs {
			ids = append(ids, submit(t, db, f.admin, workbook(t, 20, fmt.Sprintf("J%d", i), f.village, false), false).ID)
		}
		opts := fast
		opts.Workers = 2
		a, b := startRunner(t, db, opts), startRunner(t, db, opts)
		a.Wake()
		b.Wake()
		for _, id := range ids {
			if done := await(t, db, id); done.Status != entjob.StatusSUCCEEDED || done.Attempts != 1 {
				t.Fatalf("job %d: %+v", id, done)
			}
		}
		if n := db.Client.AuditLog.Query().Where(auditlog.ActionEQ(auditlog.ActionIMPORT)).CountX(sys); n != jobs {
			t.Fatalf("%d imports written for %d jobs", n, jobs)
		}
		if n := people(t, db); n != jobs*20 {
			t.Fatalf("%d people", n)
		}
		if n := db.Client.Person.Query().Where(person.ExternalIDHasPrefix("J0-")).CountX(sys); n != 20 {
			t.Fatalf("job 0 wrote %d people", n)
		}
	})
}

// The claim is one conditional UPDATE: of many runners trying at once,
// exactly one wins.
func TestClaimHasOneWinner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		f := newFixture(t, db)
		job := submit(t, db, f.admin, workbook(t, 1, "C", f.village, false), false)
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins []string
		)
		for range 8 {
			r := &Runner{db: db.DB, opts: fast, live: map[int]*running{}}
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, token, err := r.claim(sys)
				if err != nil {
					t.Error(err)
					return
				}
				if got != nil {
					mu.Lock()
					wins = append(wins, token)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		j := db.Client.ImportJob.GetX(sys, job.ID)
		if len(wins) != 1 || j.Status != entjob.StatusRUNNING || j.Claim != wins[0] || j.Attempts != 1 {
			t.Fatalf("%d winners %v; job %+v", len(wins), wins, j)
		}
	})
}
