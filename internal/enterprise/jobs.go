package enterprise

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Import job states.
const (
	JobQueued  = "queued"
	JobReading = "reading"
	JobWriting = "writing"
	JobDone    = "done"
	JobFailed  = "failed"
)

// A running job's server records a heartbeat every heartbeatEvery; a job
// whose heartbeat is older than staleAfter has lost its server (a crash, a
// restart, a lost connection: its open transaction rolled back) and the
// next ResumeJobs, run every minute by the scheduler, takes it over. On
// SQLite, where one server owns the file and the import's transaction
// holds its only writer connection, heartbeats are not written; a job is
// stale there staleAfter after its claim, and the server running it never
// takes over its own job.
const (
	heartbeatEvery = 5 * time.Second
	staleAfter     = 30 * time.Second
)

// ImportJob is a spreadsheet import kept in the database, so its progress
// and report survive a page reload and any app server can run it.
type ImportJob struct {
	ID          int64         `json:"id"`
	Status      string        `json:"status"`
	Filename    string        `json:"filename"`
	DryRun      bool          `json:"dry_run"`
	Source      Source        `json:"source"`
	TotalRows   int           `json:"total_rows"`   // data rows in the file
	DoneRows    int           `json:"done_rows"`    // data rows read and checked
	WrittenRows int           `json:"written_rows"` // data rows written into the import's transaction
	ErrorCount  int           `json:"error_count"`
	CreatedBy   int64         `json:"created_by"`
	CreatedAt   int64         `json:"created_at"`
	FinishedAt  int64         `json:"finished_at,omitempty"`
	Result      *ImportResult `json:"result,omitempty"`
	Failure     string        `json:"failure,omitempty"` // why a job failed as a whole (not a row error)
	// A takeover: the server that stopped (TakenOverFrom), its last
	// heartbeat (StalledAt), when another server (ClaimedBy) began the job
	// again (TakenOverAt), and how often that happened.
	ClaimedBy     string `json:"claimed_by,omitempty"`
	Takeovers     int    `json:"takeovers,omitempty"`
	TakenOverFrom string `json:"taken_over_from,omitempty"`
	TakenOverAt   int64  `json:"taken_over_at,omitempty"`
	StalledAt     int64  `json:"stalled_at,omitempty"`
}

// Running reports whether the job has not finished.
func (j ImportJob) Running() bool { return j.Status != JobDone && j.Status != JobFailed }

// Percent is how far the job has come, 0–100: rows read while reading,
// rows written once writing.
func (j ImportJob) Percent() int {
	if j.TotalRows <= 0 {
		if j.Running() {
			return 0
		}
		return 100
	}
	done := j.DoneRows
	if j.Status == JobWriting {
		done = j.WrittenRows
	}
	return min(100, done*100/j.TotalRows)
}

// StartImport stores an uploaded file as a queued job and returns it; the
// caller runs it with RunJob (in the request for small files, in the
// background for large ones). Errors: Forbidden, TooLarge, Invalid.
func (s *Service) StartImport(ctx context.Context, v Viewer, data []byte, o ImportOptions) (ImportJob, error) {
	if !v.Writes() {
		return ImportJob{}, errNoWrite
	}
	if int64(len(data)) > s.maxBytes() {
		return ImportJob{}, errs.New(errs.TooLarge, fmt.Sprintf("文件超过大小上限 %d MB", s.maxBytes()>>20), fmt.Sprintf("the file is over the %d MB limit", s.maxBytes()>>20))
	}
	if len(data) == 0 {
		return ImportJob{}, errs.Field("file", "请选择要导入的文件", "choose a file to import")
	}
	if o.Source == "" {
		o.Source = FromStats
	}
	if !o.Source.Official() {
		return ImportJob{}, errs.Field("source", "数据来源须为 "+officialSources, "source must be stats, tax, power, ipr or staff")
	}
	j := ImportJob{Status: JobQueued, Filename: o.Filename, DryRun: o.DryRun, Source: o.Source, CreatedBy: v.UserID, CreatedAt: db.Now()}
	err := s.DB.W.QueryRowContext(ctx, `INSERT INTO enterprise_import_jobs (status, filename, dry_run, source, file, created_by, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, j.Status, j.Filename, j.DryRun, string(j.Source), data, nullID(v.UserID), j.CreatedAt).Scan(&j.ID)
	if err != nil {
		return j, fmt.Errorf("enterprise: start import: %w", err)
	}
	return j, nil
}

// BackgroundBytes: uploads larger than this run in the background.
const BackgroundBytes = 256 << 10

// RunJob claims job id (unless another server runs it) and runs it to the
// end, recording progress and the result. by names this server.
func (s *Service) RunJob(ctx context.Context, id int64, by string) error {
	now := db.Now()
	// Claim a queued job, or take over a stale one: then the server that
	// stopped, its last heartbeat and the time are kept for the job's page.
	res, err := s.DB.W.ExecContext(ctx, `UPDATE enterprise_import_jobs SET
		takeovers = takeovers + CASE WHEN status = $5 THEN 0 ELSE 1 END,
		taken_over_from = CASE WHEN status = $5 THEN taken_over_from ELSE claimed_by END,
		stalled_at = CASE WHEN status = $5 THEN stalled_at ELSE heartbeat_at END,
		taken_over_at = CASE WHEN status = $5 THEN taken_over_at ELSE $3 END,
		status = $1, claimed_by = $2, heartbeat_at = $3, done_rows = 0, written_rows = 0
		WHERE id = $4 AND (status = $5 OR (status IN ($6, $7) AND heartbeat_at < $8))`,
		JobReading, by, now, id, JobQueued, JobReading, JobWriting, now-staleAfter.Milliseconds())
	if err != nil {
		return fmt.Errorf("enterprise: claim job %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	var data []byte
	var j ImportJob
	var src string
	var createdBy sql.NullInt64
	if err := s.DB.W.QueryRowContext(ctx, `SELECT filename, dry_run, source, created_by, file FROM enterprise_import_jobs WHERE id = $1`, id).
		Scan(&j.Filename, &j.DryRun, &src, &createdBy, &data); err != nil {
		return fmt.Errorf("enterprise: load job %d: %w", id, err)
	}
	actor := audit.Actor{Name: "import-job"}
	if createdBy.Valid {
		if u, err := s.Org.UserByID(ctx, createdBy.Int64); err == nil {
			actor = audit.Actor{ID: u.ID, Name: u.Username}
		}
	}
	ctx = audit.WithActor(ctx, actor)
	// Progress is kept in this server's memory, where Job and Jobs read
	// it, and on PostgreSQL also in the job's row, with the heartbeat, for
	// other servers. On SQLite the import's open write transaction holds
	// the only writer connection, so the row is brought up to date when
	// the job ends.
	live := &liveJob{status: JobReading}
	s.live.Store(id, live)
	defer s.live.Delete(id)
	if s.DB.Dialect == db.Postgres {
		beat, stopBeat := context.WithCancel(ctx)
		defer stopBeat()
		go s.heartbeat(beat, id, live)
	}
	o := ImportOptions{Filename: j.Filename, DryRun: j.DryRun, Source: Source(src), JobID: id,
		Progress: func(p ImportProgress) { live.set("", p) },
		Writing: func() {
			live.set(JobWriting, ImportProgress{Total: -1, Read: -1, Written: -1})
			if s.DB.Dialect == db.Postgres {
				s.DB.W.ExecContext(ctx, `UPDATE enterprise_import_jobs SET status = $1, heartbeat_at = $2 WHERE id = $3`, JobWriting, db.Now(), id)
			}
		},
	}
	result, ierr := s.Import(ctx, System, data, o)
	status, failure := JobDone, ""
	if ierr != nil {
		e := errs.As(ierr)
		if e.Code == errs.Internal {
			slog.Error("enterprise import job failed", "job", id, "err", ierr)
		}
		status, failure = JobFailed, e.Msg+"\n"+e.MsgEN
		result.Errors = append(result.Errors, e.Details...)
	}
	rj, err := json.Marshal(struct {
		ImportResult
		Failure string `json:"failure,omitempty"`
	}{result, failure})
	if err != nil {
		return err
	}
	_, p := live.get()
	_, err = s.DB.W.ExecContext(ctx, `UPDATE enterprise_import_jobs SET status = $1, report_json = $2, error_count = $3, file = NULL,
		finished_at = $4, total_rows = $5, done_rows = $6, written_rows = $7 WHERE id = $8`,
		status, string(rj), len(result.Errors), db.Now(), max(p.Total, result.Rows), max(p.Read, result.Rows), p.Written, id)
	if err != nil {
		return fmt.Errorf("enterprise: finish job %d: %w", id, err)
	}
	return nil
}

// heartbeat records, every heartbeatEvery until ctx ends, that this server
// still runs job id, with its progress.
func (s *Service) heartbeat(ctx context.Context, id int64, live *liveJob) {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, p := live.get()
		if _, err := s.DB.W.ExecContext(ctx, `UPDATE enterprise_import_jobs SET heartbeat_at = $1, total_rows = $2, done_rows = $3, written_rows = $4
			WHERE id = $5 AND status IN ($6, $7)`, db.Now(), p.Total, p.Read, p.Written, id, JobReading, JobWriting); err != nil && ctx.Err() == nil {
			slog.Warn("enterprise import job heartbeat", "job", id, "err", err)
		}
	}
}

// ResumeJobs runs queued jobs and takes over stale ones (a server that died
// mid-import rolled its transaction back, so running again is safe). The
// scheduler calls it every minute.
func (s *Service) ResumeJobs(ctx context.Context, by string) error {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id FROM enterprise_import_jobs WHERE status IN ($1, $2, $3)
		AND heartbeat_at < $4 ORDER BY id LIMIT 20`, JobQueued, JobReading, JobWriting, db.Now()-staleAfter.Milliseconds())
	if err != nil {
		return fmt.Errorf("enterprise: resume jobs: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if _, running := s.live.Load(id); running {
			continue // this server runs it; a long write sends no heartbeat on SQLite
		}
		if err := s.RunJob(ctx, id, by); err != nil {
			return err
		}
	}
	return nil
}

// Job returns an import job: staff who write see every job, nobody else
// any. Errors: Forbidden, NotFound.
func (s *Service) Job(ctx context.Context, v Viewer, id int64) (ImportJob, error) {
	if !v.Writes() {
		return ImportJob{}, errNoWrite
	}
	var j ImportJob
	var src, report string
	var createdBy sql.NullInt64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, status, filename, dry_run, source, total_rows, done_rows, written_rows, error_count, created_by,
		created_at, finished_at, report_json, claimed_by, takeovers, taken_over_from, taken_over_at, stalled_at
		FROM enterprise_import_jobs WHERE id = $1`, id).
		Scan(&j.ID, &j.Status, &j.Filename, &j.DryRun, &src, &j.TotalRows, &j.DoneRows, &j.WrittenRows, &j.ErrorCount, &createdBy, &j.CreatedAt, &j.FinishedAt, &report,
			&j.ClaimedBy, &j.Takeovers, &j.TakenOverFrom, &j.TakenOverAt, &j.StalledAt)
	if err == sql.ErrNoRows {
		return j, errs.New(errs.NotFound, "导入任务不存在", "import job not found")
	}
	if err != nil {
		return j, fmt.Errorf("enterprise: job %d: %w", id, err)
	}
	j.Source, j.CreatedBy = Source(src), createdBy.Int64
	s.overlayLive(&j)
	if report != "" {
		var r struct {
			ImportResult
			Failure string `json:"failure"`
		}
		if err := json.Unmarshal([]byte(report), &r); err != nil {
			return j, fmt.Errorf("enterprise: job %d report: %w", id, err)
		}
		j.Result, j.Failure = &r.ImportResult, r.Failure
	}
	return j, nil
}

// Jobs lists recent import jobs, newest first. Errors: Forbidden.
func (s *Service) Jobs(ctx context.Context, v Viewer, limit int) ([]ImportJob, error) {
	if !v.Writes() {
		return nil, errNoWrite
	}
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, status, filename, dry_run, source, total_rows, done_rows, written_rows, error_count,
		COALESCE(created_by, 0), created_at, finished_at, takeovers FROM enterprise_import_jobs ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("enterprise: jobs: %w", err)
	}
	defer rows.Close()
	out := []ImportJob{}
	for rows.Next() {
		var j ImportJob
		var src string
		if err := rows.Scan(&j.ID, &j.Status, &j.Filename, &j.DryRun, &src, &j.TotalRows, &j.DoneRows, &j.WrittenRows, &j.ErrorCount, &j.CreatedBy, &j.CreatedAt, &j.FinishedAt, &j.Takeovers); err != nil {
			return nil, err
		}
		j.Source = Source(src)
		s.overlayLive(&j)
		out = append(out, j)
	}
	return out, rows.Err()
}

// liveJob is the progress of an import job running on this server.
type liveJob struct {
	mu     sync.Mutex
	status string
	p      ImportProgress
}

// set records progress; an empty status or a negative count keeps the
// value it had.
func (l *liveJob) set(status string, p ImportProgress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if status != "" {
		l.status = status
	}
	if p.Total >= 0 {
		l.p.Total = p.Total
	}
	if p.Read >= 0 {
		l.p.Read = p.Read
	}
	if p.Written >= 0 {
		l.p.Written = p.Written
	}
}

func (l *liveJob) get() (string, ImportProgress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status, l.p
}

// overlayLive gives a running job the progress this server holds for it.
func (s *Service) overlayLive(j *ImportJob) {
	v, ok := s.live.Load(j.ID)
	if !ok || !j.Running() {
		return
	}
	status, p := v.(*liveJob).get()
	j.Status, j.TotalRows, j.DoneRows, j.WrittenRows = status, p.Total, p.Read, p.Written
}
