package importjob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/lib/pq"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/ent"
	entjob "yanzhen/ent/importjob"
	"yanzhen/ent/predicate"
	"yanzhen/errcode"
	"yanzhen/roster"
)

// Options tune a Runner.
type Options struct {
	// Workers is how many jobs run at once (each holds a database
	// transaction while it writes, and a workbook in memory).
	Workers int
	// Timeout is the time limit of one job, from its start to its outcome.
	Timeout time.Duration
	// MaxAttempts is how many times a job may be started: a job left
	// RUNNING by a runner that died that often FAILS as INTERRUPTED.
	MaxAttempts int
	// Lease is how long a RUNNING job stays claimed without its runner
	// renewing the claim (it does every second, or every Lease/3 when
	// that is shorter); then it is taken to be orphaned.
	Lease time.Duration
	// Poll is how often an idle worker looks for queued jobs and orphans
	// (Wake makes it look at once).
	Poll time.Duration
}

// DefaultOptions is what `yanzhen serve` uses unless configured otherwise.
var DefaultOptions = Options{Workers: 1, Timeout: 15 * time.Minute, MaxAttempts: 3, Lease: 30 * time.Second, Poll: 2 * time.Second}

// Runner claims and runs import jobs. Start it once per server process;
// several processes on one database share the queue safely.
type Runner struct {
	db   *database.DB
	opts Options
	wake chan struct{}
	beat time.Duration

	mu   sync.Mutex
	live map[int]*running // the jobs this runner holds, by ID

	wg sync.WaitGroup
}

// running is a job this runner holds: its claim token and its progress,
// which is newer than the stored one (on SQLite the stored progress cannot
// be written while the import's transaction holds the database).
type running struct {
	token string
	mu    sync.Mutex
	p     Progress
}

func (r *running) set(p Progress) {
	r.mu.Lock()
	r.p = p
	r.mu.Unlock()
}

func (r *running) get() Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.p
}

// Start starts the workers. They stop when ctx is done, handing their jobs
// back to the queue; Wait waits for that.
func Start(ctx context.Context, db *database.DB, opts Options) *Runner {
	def := DefaultOptions
	if opts.Workers <= 0 {
		opts.Workers = def.Workers
	}
	if opts.Timeout <= 0 {
		opts.Timeout = def.Timeout
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = def.MaxAttempts
	}
	if opts.Lease <= 0 {
		opts.Lease = def.Lease
	}
	if opts.Poll <= 0 {
		opts.Poll = def.Poll
	}
	r := &Runner{
		db: db, opts: opts, wake: make(chan struct{}, opts.Workers),
		beat: min(time.Second, opts.Lease/3), live: map[int]*running{},
	}
	for range opts.Workers {
		r.wg.Add(1)
		go r.work(ctx)
	}
	return r
}

// Wait returns once every worker has stopped (after the context given to
// Start is done) and handed its job back.
func (r *Runner) Wait() { r.wg.Wait() }

// Wake makes an idle worker look for queued jobs now (after a submit).
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Progress returns the live progress of a job this runner is running.
func (r *Runner) Progress(id int) (Progress, bool) {
	r.mu.Lock()
	j := r.live[id]
	r.mu.Unlock()
	if j == nil {
		return Progress{}, false
	}
	return j.get(), true
}

func (r *Runner) hold(id int, j *running) {
	r.mu.Lock()
	r.live[id] = j
	r.mu.Unlock()
}

func (r *Runner) release(id int) {
	r.mu.Lock()
	delete(r.live, id)
	r.mu.Unlock()
}

func (r *Runner) tokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.live))
	for _, j := range r.live {
		out = append(out, j.token)
	}
	return out
}

func (r *Runner) work(ctx context.Context) {
	defer r.wg.Done()
	tick := time.NewTicker(r.opts.Poll)
	defer tick.Stop()
	sys := auth.System(ctx)
	for ctx.Err() == nil {
		if err := r.requeueOrphans(sys); err != nil && ctx.Err() == nil {
			slog.Warn("import jobs: looking for interrupted jobs", "error", err)
		}
		for ctx.Err() == nil {
			job, token, err := r.claim(sys)
			if err != nil {
				if ctx.Err() == nil {
					slog.Warn("import jobs: claiming a job", "error", err)
				}
				break
			}
			if job == nil {
				break
			}
			r.run(ctx, job, token)
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-tick.C:
		}
	}
}

// Messages of the job states.
const (
	msgResumed = "resumed: the server stopped while the job ran; that attempt wrote nothing / " +
		"已恢复：服务器在导入过程中停止，该次导入未写入任何数据"
	msgInterrupted = "interrupted: the server stopped while the job ran, %d times; nothing was written. Upload the file again / " +
		"导入被中断：服务器在导入过程中停止了 %d 次，未写入任何数据，请重新上传"
	msgTimeout = "the import took longer than its time limit of %s; nothing was written. Split the file, or ask the operator to raise YANZHEN_IMPORT_TIMEOUT / " +
		"导入超过时限（%s），未写入任何数据；请拆分文件，或请管理员调高 YANZHEN_IMPORT_TIMEOUT"
	msgStatementTimeout = "a database statement took too long; nothing was written / 数据库语句超时，未写入任何数据"
	msgForbidden        = "the account that submitted the import is disabled or may no longer import; nothing was written / " +
		"提交导入的账号已停用或已无导入权限，未写入任何数据"
	msgBadFile  = "%s is not a readable .xlsx workbook or CSV file; nothing was written / 无法读取该文件，未写入任何数据"
	msgConflict = "the database refused a row while writing (a concurrent change?); nothing was written. Try again / " +
		"写入时数据库拒绝了某行（可能有并发修改），未写入任何数据，请重试"
	msgInternal = "the import failed in the database; nothing was written. Try again / 导入时数据库出错，未写入任何数据，请重试"
	msgPanic    = "the import failed on an unexpected error; nothing was written / 导入时发生意外错误，未写入任何数据"
)

// requeueOrphans hands back the jobs left RUNNING by a runner that stopped
// renewing its claim (a server that crashed or was killed; at start-up,
// those of the previous process): back to the queue, since their attempt
// wrote nothing, or FAILED as INTERRUPTED once started MaxAttempts times.
func (r *Runner) requeueOrphans(ctx context.Context) error {
	now := time.Now()
	where := func() []predicate.ImportJob {
		p := []predicate.ImportJob{
			entjob.StatusEQ(entjob.StatusRUNNING),
			entjob.Or(entjob.LeaseUntilIsNil(), entjob.LeaseUntilLT(now)),
		}
		if mine := r.tokens(); len(mine) > 0 {
			p = append(p, entjob.Or(entjob.ClaimIsNil(), entjob.ClaimNotIn(mine...)))
		}
		return p
	}
	c := r.db.Client
	failed, err := c.ImportJob.Update().
		Where(append(where(), entjob.AttemptsGTE(r.opts.MaxAttempts))...).
		SetStatus(entjob.StatusFAILED).
		SetFailureCode(entjob.FailureCodeINTERRUPTED).
		SetStatusMessage(fmt.Sprintf(msgInterrupted, r.opts.MaxAttempts, r.opts.MaxAttempts)).
		SetPhase(entjob.PhaseDONE).
		SetFinishedAt(now).
		ClearContent().ClearClaim().ClearLeaseUntil().
		Save(ctx)
	if err != nil {
		return err
	}
	requeued, err := c.ImportJob.Update().
		Where(append(where(), entjob.AttemptsLT(r.opts.MaxAttempts))...).
		SetStatus(entjob.StatusQUEUED).
		SetStatusMessage(msgResumed).
		SetPhase(entjob.PhaseQUEUED).
		SetRowsDone(0).
		ClearClaim().ClearLeaseUntil().
		Save(ctx)
	if err != nil {
		return err
	}
	if failed+requeued > 0 {
		slog.Warn("import jobs: found jobs interrupted by a stopped server", "requeued", requeued, "failed", failed)
	}
	return nil
}

// claim takes the oldest queued job: one conditional UPDATE per candidate,
// which only one runner can win (affected rows 1). It returns nil when no
// job is queued.
func (r *Runner) claim(ctx context.Context) (*ent.ImportJob, string, error) {
	c := r.db.Client
	ids, err := c.ImportJob.Query().Where(entjob.StatusEQ(entjob.StatusQUEUED)).
		Order(ent.Asc(entjob.FieldID)).Limit(10).IDs(ctx)
	if err != nil {
		return nil, "", err
	}
	for _, id := range ids {
		token := newToken()
		now := time.Now()
		n, err := c.ImportJob.Update().
			Where(entjob.ID(id), entjob.StatusEQ(entjob.StatusQUEUED)).
			SetStatus(entjob.StatusRUNNING).
			SetClaim(token).
			SetLeaseUntil(now.Add(r.opts.Lease)).
			SetStartedAt(now).
			AddAttempts(1).
			SetPhase(entjob.PhaseREADING).
			SetRowsDone(0).SetRowsTotal(0).
			Save(ctx)
		if err != nil {
			return nil, "", err
		}
		if n == 1 {
			job, err := c.ImportJob.Get(ctx, id)
			return job, token, err
		}
	}
	return nil, "", nil
}

func newToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// errLostClaim cancels a job whose claim another runner has taken over (its
// lease ran out while this runner could not renew it).
var errLostClaim = errors.New("the job's claim was lost to another runner")

// outcome is how a run ended.
type outcome struct {
	status  entjob.Status
	code    entjob.FailureCode
	message string
	report  *roster.Report
	rows    int
	// annotated is the upload with its problems marked (REJECTED .xlsx).
	annotated []byte
	// recorded: the outcome was stored in the import's transaction.
	recorded bool
	// handBack: the runner is stopping; the job goes back to the queue.
	handBack bool
	// lost: another runner holds the job now; leave it alone.
	lost bool
}

// run runs one claimed job to its outcome and stores it.
func (r *Runner) run(ctx context.Context, job *ent.ImportJob, token string) {
	start := time.Now()
	j := &running{token: token, p: Progress{Phase: entjob.PhaseREADING}}
	r.hold(job.ID, j)
	defer r.release(job.ID)

	claimed, lose := context.WithCancelCause(ctx)
	defer lose(nil)
	jobCtx, cancel := context.WithTimeout(claimed, r.opts.Timeout)
	beating := make(chan struct{})
	go func() {
		defer close(beating)
		r.heartbeat(jobCtx, job.ID, j, lose)
	}()
	out := r.execute(ctx, jobCtx, job, j)
	cancel()
	<-beating

	// The job's own context is done; the outcome is stored under a fresh
	// one (still bounded), even while the runner stops.
	store, done := context.WithTimeout(auth.System(context.WithoutCancel(ctx)), 10*time.Second)
	defer done()
	var err error
	switch {
	case out.lost:
		slog.Warn("import job: another runner took it over", "job", job.ID)
		return
	case out.handBack:
		err = r.handBack(store, job.ID, token)
	case !out.recorded:
		err = record(store, r.db.Client, job.ID, token, out)
	}
	if err != nil {
		slog.Error("import job: storing its outcome", "job", job.ID, "error", err)
		return
	}
	slog.Info("import job", "job", job.ID, "status", out.status, "failure", out.code,
		"handed_back", out.handBack, "attempt", job.Attempts, "duration_ms", time.Since(start).Milliseconds())
}

// execute imports the job's file as its submitter. runner is the runner's
// context (done: the server is stopping), ctx the job's (with its time
// limit and its claim).
func (r *Runner) execute(runner, ctx context.Context, job *ent.ImportJob, j *running) (out outcome) {
	fail := func(err error) outcome { return r.failure(runner, ctx, err) }
	// An upload must never take the server down: a panic while reading,
	// checking or writing a file fails its job (the transaction, if any,
	// rolls back) and the runner goes on with the next.
	defer func() {
		if p := recover(); p != nil {
			slog.Error("import job: panic", "job", job.ID, "panic", fmt.Sprintf("%T", p), "stack", string(debug.Stack()))
			out = outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeINTERNAL, message: msgPanic}
		}
	}()
	u, err := r.db.Client.User.Get(auth.System(ctx), job.OwnerID)
	if err != nil && !ent.IsNotFound(err) {
		return fail(err)
	}
	if u == nil || u.Disabled || !accounts.ViewerOf(u).Is(auth.RoleAdmin, auth.RoleTownship) {
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeFORBIDDEN, message: msgForbidden}
	}
	v := accounts.ViewerOf(u)
	v.RequestID = fmt.Sprintf("import-job-%d", job.ID)
	as := auth.NewContext(ctx, v)

	if len(job.Content) == 0 {
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeBAD_FILE, message: fmt.Sprintf(msgBadFile, job.FileName)}
	}
	// The job's name says CSV from the rest; DetectUpload tells a
	// workbook from a zip of CSV files by what the zip holds.
	kind, _ := roster.DefaultLimits.DetectUpload(job.FileName, job.Content)
	wb, err := roster.DefaultLimits.ReadUpload(job.FileName, job.Content)
	if ctx.Err() != nil {
		return fail(ctx.Err())
	}
	var limit *roster.LimitError
	if errors.As(err, &limit) {
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeBAD_FILE, message: job.FileName + ": " + limit.Message}
	}
	if err != nil {
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeBAD_FILE, message: fmt.Sprintf(msgBadFile, job.FileName)}
	}
	rows := 0
	for _, s := range wb.Sheets {
		rows += len(s.Rows)
	}
	j.set(Progress{Phase: entjob.PhaseVALIDATING, Total: rows})
	var columns []roster.ColumnMapping
	if len(job.Columns) > 0 {
		if err := json.Unmarshal(job.Columns, &columns); err != nil {
			return fail(fmt.Errorf("reading the column mapping of import job %d: %w", job.ID, err))
		}
	}
	recorded := false
	rep, err := roster.Import(as, r.db, wb, roster.ImportOptions{
		DryRun:  job.DryRun,
		Columns: columns,
		Progress: func(p roster.Progress) {
			phase := entjob.PhaseVALIDATING
			if p.Phase == roster.Writing {
				phase = entjob.PhaseWRITING
			}
			j.set(Progress{Phase: phase, Done: p.Done, Total: p.Total})
			if testHookProgress != nil {
				testHookProgress(job.ID, p)
			}
		},
		// The outcome is committed with the roster, or neither is.
		BeforeCommit: func(ctx context.Context, tx *ent.Client, rep *roster.Report) error {
			if err := record(auth.System(ctx), tx, job.ID, j.token, outcome{status: entjob.StatusSUCCEEDED, report: rep, rows: rows}); err != nil {
				return err
			}
			recorded = true
			return nil
		},
	})
	switch {
	case err == nil:
		return outcome{status: entjob.StatusSUCCEEDED, report: rep, rows: rows, recorded: recorded}
	case ctx.Err() != nil:
		// Whatever the import said, the deadline (or the stop) came first.
		return fail(err)
	case rep != nil && !rep.OK():
		out := outcome{status: entjob.StatusREJECTED, report: rep, rows: rows}
		if kind == roster.UploadXLSX {
			// The user's own workbook with the faulty cells marked, to fix
			// in Excel. Without it the report still says everything.
			if a, err := roster.Annotate(job.Content, rep); err != nil {
				slog.Warn("import job: annotating the workbook", "job", job.ID, "error", err)
			} else {
				out.annotated = a
			}
		}
		return out
	}
	return fail(err)
}

// testHookProgress, when set by a test, sees every progress report.
var testHookProgress func(job int, p roster.Progress)

// failure classifies why a job could not finish. The job's context is
// looked at first: past the deadline, any error — a refusal computed from
// a lookup that was cut short, say — is a TIMEOUT.
func (r *Runner) failure(runner, ctx context.Context, err error) outcome {
	switch {
	case errors.Is(context.Cause(ctx), errLostClaim) || errors.Is(err, errLostClaim):
		return outcome{lost: true}
	case runner.Err() != nil:
		return outcome{handBack: true}
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		t := r.opts.Timeout.String()
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeTIMEOUT, message: fmt.Sprintf(msgTimeout, t, t)}
	case statementTimeout(err):
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeTIMEOUT, message: msgStatementTimeout}
	}
	if e, ok := errcode.As(err); ok {
		switch e.Code {
		case errcode.Forbidden, errcode.Unauthenticated:
			return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeFORBIDDEN, message: msgForbidden}
		case errcode.Conflict, errcode.BadUserInput, errcode.NotFound:
			// A rule checked once more while writing, or a row gone: a
			// concurrent change.
			return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeCONFLICT, message: e.Text.En + "; nothing was written / " + e.Text.Zh + "，未写入任何数据"}
		}
	}
	if ent.IsConstraintError(err) || ent.IsNotFound(err) {
		return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeCONFLICT, message: msgConflict}
	}
	slog.Error("import job failed", "error", describe(err))
	return outcome{status: entjob.StatusFAILED, code: entjob.FailureCodeINTERNAL, message: msgInternal}
}

// describe is what the log may say about an unexpected error: PostgreSQL
// errors by code and constraint only, since their detail can quote values.
func describe(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return "postgres error " + string(pqErr.Code) + " " + pqErr.Code.Name() + " " + pqErr.Constraint
	}
	return err.Error()
}

// statementTimeout reports whether PostgreSQL's statement_timeout cancelled
// a statement (57014).
func statementTimeout(err error) bool {
	var pqErr *pq.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &pqErr) && pqErr.Code == "57014"
}

// record stores a finished job's outcome, if this runner still holds it:
// the status, the report, the progress at its end; the file is dropped.
func record(ctx context.Context, c *ent.Client, id int, token string, out outcome) error {
	now := time.Now()
	u := c.ImportJob.Update().
		Where(entjob.ID(id), entjob.StatusEQ(entjob.StatusRUNNING), entjob.ClaimEQ(token)).
		SetStatus(out.status).
		SetPhase(entjob.PhaseDONE).
		SetFinishedAt(now).
		ClearContent().ClearClaim().ClearLeaseUntil()
	if out.report != nil {
		b, err := json.Marshal(out.report)
		if err != nil {
			return err
		}
		u.SetReport(b).SetRowsDone(out.rows).SetRowsTotal(out.rows)
	}
	if len(out.annotated) > 0 {
		u.SetAnnotated(out.annotated).SetAnnotatedSize(len(out.annotated))
	}
	if out.status == entjob.StatusFAILED {
		u.SetFailureCode(out.code).SetStatusMessage(out.message)
	}
	n, err := u.Save(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return errLostClaim
	}
	return nil
}

// handBack returns a job to the queue when its runner stops: its attempt
// wrote nothing and does not count.
func (r *Runner) handBack(ctx context.Context, id int, token string) error {
	_, err := r.db.Client.ImportJob.Update().
		Where(entjob.ID(id), entjob.StatusEQ(entjob.StatusRUNNING), entjob.ClaimEQ(token)).
		SetStatus(entjob.StatusQUEUED).
		SetPhase(entjob.PhaseQUEUED).
		SetRowsDone(0).
		SetStatusMessage(msgResumed).
		AddAttempts(-1).
		ClearClaim().ClearLeaseUntil().
		Save(ctx)
	return err
}

// heartbeat renews the job's lease and stores its progress every beat
// until ctx is done. When the job is no longer this runner's (another
// runner requeued it after the lease ran out), it cancels the job.
func (r *Runner) heartbeat(ctx context.Context, id int, j *running, lose context.CancelCauseFunc) {
	tick := time.NewTicker(r.beat)
	defer tick.Stop()
	var stored Progress
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		p := j.get()
		uctx, cancel := context.WithTimeout(auth.System(ctx), r.opts.Lease/2)
		q := r.db.Client.ImportJob.Update().
			Where(entjob.ID(id), entjob.StatusEQ(entjob.StatusRUNNING), entjob.ClaimEQ(j.token)).
			SetLeaseUntil(time.Now().Add(r.opts.Lease))
		if p != stored {
			q.SetPhase(p.Phase).SetRowsDone(p.Done).SetRowsTotal(p.Total)
		}
		n, err := q.Save(uctx)
		cancel()
		switch {
		case err != nil:
			// On SQLite the import's write transaction holds the database;
			// the lease is renewed after it.
			if ctx.Err() == nil {
				slog.Debug("import job: renewing the lease", "job", id, "error", err)
			}
		case n == 0:
			if ctx.Err() == nil {
				lose(errLostClaim)
			}
			return
		default:
			stored = p
		}
	}
}
