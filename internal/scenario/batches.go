package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/errs"
)

// Batch is a numbered batch of the 场景机会清单 (第 N 批).
type Batch struct {
	ID          int64  `json:"id"`
	Seq         int    `json:"seq"`
	Title       string `json:"title"`
	State       string `json:"state"` // draft, published
	PublishedOn string `json:"published_on,omitempty"`
	Synthetic   bool   `json:"synthetic"`
	Needs       int    `json:"needs"`
	CreatedAt   int64  `json:"created_at"`
}

// Batch states.
const (
	BatchDraft     = "draft"
	BatchPublished = "published"
)

// BatchStateLabel is a batch state's Chinese and English name.
func BatchStateLabel(s string) (string, string) {
	if s == BatchPublished {
		return "已发布", "published"
	}
	return "编制中", "being prepared"
}

const batchCols = `SELECT b.id, b.seq, b.title, b.state, b.published_on, b.synthetic, b.created_at,
	(SELECT COUNT(*) FROM scenario_needs n WHERE n.batch_id = b.id) FROM scenario_batches b`

func scanBatch(sc interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	err := sc.Scan(&b.ID, &b.Seq, &b.Title, &b.State, &b.PublishedOn, &b.Synthetic, &b.CreatedAt, &b.Needs)
	return b, err
}

// Batches lists the batches v may know of, newest first: staff see those
// being prepared too.
func (s *Service) Batches(ctx context.Context, v Viewer) ([]Batch, error) {
	q := batchCols + " WHERE b.state = 'published' ORDER BY b.seq DESC"
	if v.Staff() {
		q = batchCols + " ORDER BY b.seq DESC"
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("scenario: batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Batch reads one batch v may know of. Errors: NotFound.
func (s *Service) Batch(ctx context.Context, v Viewer, id int64) (Batch, error) {
	b, err := scanBatch(s.DB.Read(ctx).QueryRowContext(ctx, batchCols+" WHERE b.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && b.State != BatchPublished && !v.Staff()) {
		return Batch{}, errs.New(errs.NotFound, "批次不存在", "batch not found")
	}
	if err != nil {
		return b, fmt.Errorf("scenario: batch %d: %w", id, err)
	}
	return b, nil
}

// CreateBatch starts the next numbered batch. Errors: Forbidden, Invalid.
func (s *Service) CreateBatch(ctx context.Context, v Viewer, title string) (Batch, error) {
	if err := mustRun(v); err != nil {
		return Batch{}, err
	}
	title = strings.TrimSpace(title)
	if title == "" || utf8.RuneCountInString(title) > 100 {
		return Batch{}, errs.Field("title", "请填写批次名称（不超过 100 字）", "a batch title of at most 100 characters is required")
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.Lock(ctx, tx, "scenario_batch_seq"); err != nil {
			return err
		}
		var seq int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM scenario_batches").Scan(&seq); err != nil {
			return fmt.Errorf("scenario: next batch: %w", err)
		}
		now := s.nowMS()
		if err := tx.QueryRowContext(ctx, `INSERT INTO scenario_batches (seq, title, created_by, created_at, updated_at, synthetic) VALUES ($1,$2,$3,$4,$4,$5) RETURNING id`,
			seq, title, nullID(v.UserID), now, s.Synthetic).Scan(&id); err != nil {
			return fmt.Errorf("scenario: create batch: %w", err)
		}
		return s.record(ctx, tx, "scenario.batch.create", "scenario_batch", id, nil, map[string]any{"seq": seq, "title": title})
	})
	if err != nil {
		return Batch{}, err
	}
	return s.Batch(ctx, v, id)
}

// move changes need id from its state to state to, checking the machine,
// inside tx; it records the phase reached (if any) and the audit entry.
func (s *Service) move(ctx context.Context, tx *sql.Tx, n Need, to, phase, reason string, set string, args ...any) error {
	if err := may(n.State, to); err != nil {
		return err
	}
	q := "UPDATE scenario_needs SET state = $1, reason = $2, updated_at = $3"
	all := []any{to, reason, s.nowMS()}
	if set != "" {
		q += ", " + set
		all = append(all, args...)
	}
	q += fmt.Sprintf(" WHERE id = $%d AND state = $%d", len(all)+1, len(all)+2)
	all = append(all, n.ID, n.State)
	res, err := tx.ExecContext(ctx, q, all...)
	if err != nil {
		return fmt.Errorf("scenario: move need %d to %s: %w", n.ID, to, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return errs.New(errs.Conflict, "场景状态已被他人改变，请刷新后重试", "the call changed meanwhile; reload and try again")
	}
	if phase != "" {
		if err := s.phase(ctx, tx, n.ID, phase); err != nil {
			return err
		}
	}
	after := map[string]any{"state": to}
	if reason != "" {
		after["reason"] = reason
	}
	return s.record(ctx, tx, "scenario.need."+to, "scenario_need", n.ID, map[string]any{"state": n.State}, after)
}

// Approve accepts a need being collected into batch batchID, which must
// still be in preparation. Errors: Forbidden, NotFound, Conflict.
func (s *Service) Approve(ctx context.Context, v Viewer, id, batchID int64) (Need, error) {
	if err := mustRun(v); err != nil {
		return Need{}, err
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return n, err
	}
	b, err := s.Batch(ctx, v, batchID)
	if err != nil {
		return Need{}, errs.Field("batch_id", "请选择编制中的批次", "choose a batch being prepared")
	}
	if b.State != BatchDraft {
		return Need{}, errs.Field("batch_id", fmt.Sprintf("第 %d 批已发布，不能再编入", b.Seq), fmt.Sprintf("batch %d is already published", b.Seq))
	}
	if n.Deadline < s.Today() {
		return Need{}, errs.Field("deadline", "揭榜截止日期（"+n.Deadline+"）已过，请提交单位改期后再审核", "the deadline ("+n.Deadline+") has passed")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return s.move(ctx, tx, n, StateApproved, PhaseReview, "", "batch_id = $4", batchID)
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, id)
}

// Reject returns a need with a reason its owner sees. Errors: Forbidden,
// NotFound, Conflict, Invalid (no reason).
func (s *Service) Reject(ctx context.Context, v Viewer, id int64, reason string) (Need, error) {
	if err := mustRun(v); err != nil {
		return Need{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Need{}, errs.Field("reason", "请写明不予通过的理由", "a reason is required")
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return n, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return s.move(ctx, tx, n, StateRejected, PhaseRejected, reason, "batch_id = NULL")
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, id)
}

// PublishBatch publishes a batch in preparation: every need in it becomes
// a call open for bids. Errors: Forbidden, NotFound, Conflict (already
// published, empty), Invalid (a need whose deadline has passed, named).
func (s *Service) PublishBatch(ctx context.Context, v Viewer, id int64) (Batch, error) {
	if err := mustRun(v); err != nil {
		return Batch{}, err
	}
	b, err := s.Batch(ctx, v, id)
	if err != nil {
		return b, err
	}
	if b.State != BatchDraft {
		return b, errs.New(errs.Conflict, fmt.Sprintf("第 %d 批已发布", b.Seq), fmt.Sprintf("batch %d is already published", b.Seq))
	}
	needs, err := s.List(ctx, v, Filter{BatchID: id, Limit: maxBatch})
	if err != nil {
		return b, err
	}
	if len(needs.Needs) == 0 {
		return b, errs.New(errs.Conflict, "批次中还没有审核通过的需求", "the batch holds no approved need")
	}
	today := s.Today()
	var ds []errs.Detail
	for _, n := range needs.Needs {
		if n.Deadline < today {
			ds = append(ds, errs.Detail{Field: "deadline", Value: n.Title, Reason: "「" + n.Title + "」的揭榜截止日期 " + n.Deadline + " 已过",
				ReasonEN: n.Title + ": the deadline " + n.Deadline + " has passed"})
		}
	}
	if len(ds) > 0 {
		return b, errs.List("批次中有需求已过揭榜截止日期，未发布", "some needs are past their deadline; nothing was published", ds)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE scenario_batches SET state = $1, published_on = $2, updated_at = $3 WHERE id = $4 AND state = $5",
			BatchPublished, today, s.nowMS(), id, BatchDraft)
		if err != nil {
			return fmt.Errorf("scenario: publish batch %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "批次已被他人发布", "the batch was published meanwhile")
		}
		for _, n := range needs.Needs {
			if err := s.move(ctx, tx, n, StatePublished, PhasePublish, "", ""); err != nil {
				return err
			}
		}
		if err := s.announce(ctx, tx, needs.Needs); err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.batch.publish", "scenario_batch", id, map[string]any{"state": BatchDraft},
			map[string]any{"state": BatchPublished, "published_on": today, "needs": len(needs.Needs)})
	})
	if err != nil {
		return Batch{}, err
	}
	return s.Batch(ctx, v, id)
}

// maxBatch bounds the needs one batch may hold.
const maxBatch = 1000

// CloseBids ends the bidding of a call whose deadline has passed: it moves
// to evaluation. Errors: Forbidden, NotFound, Conflict.
func (s *Service) CloseBids(ctx context.Context, v Viewer, id int64) (Need, error) {
	if err := mustRun(v); err != nil {
		return Need{}, err
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return n, err
	}
	if n.State != StatePublished {
		return Need{}, errs.New(errs.Conflict, "只有揭榜中的场景可以截止揭榜", "only a call open for bids can close its bidding")
	}
	if n.Deadline >= s.Today() {
		return Need{}, errs.New(errs.Conflict, "揭榜截止日期（"+n.Deadline+"）之后才能截止揭榜", "bidding can close only after the deadline ("+n.Deadline+")")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return s.move(ctx, tx, n, StateEvaluating, PhaseBid, "", "")
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, id)
}

// Fail ends a call without a winner, with the reason published on its
// page. Errors: Forbidden, NotFound, Conflict, Invalid (no reason).
func (s *Service) Fail(ctx context.Context, v Viewer, id int64, reason string) (Need, error) {
	if err := mustRun(v); err != nil {
		return Need{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Need{}, errs.Field("reason", "请写明未成交的理由", "a reason is required")
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return n, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return s.move(ctx, tx, n, StateFailed, PhaseFailed, reason, "")
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, id)
}
