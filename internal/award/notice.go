package award

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/receipt"
)

// Objection is a challenge filed by anyone during the public notice (异议).
type Objection struct {
	ID           int64 `json:"id"`
	ProgrammeID  int64 `json:"programme_id"`
	EnterpriseID int64 `json:"enterprise_id,omitempty"`
	// EnterpriseName is the objected enterprise's name, from the registry.
	EnterpriseName string     `json:"enterprise_name,omitempty"`
	Indicator      string     `json:"indicator,omitempty"` // the figure disputed, one the notice's formula reads
	Name           string     `json:"name"`
	Contact        string     `json:"contact,omitempty"`
	Reason         string     `json:"reason"`
	State          string     `json:"state"` // filed, upheld, dismissed
	Finding        string     `json:"finding,omitempty"`
	DecidedAt      int64      `json:"decided_at,omitempty"`
	CreatedAt      int64      `json:"created_at"`
	Files          int        `json:"files"`
	Evidence       []Evidence `json:"evidence,omitempty"`
	// Receipt (回执号) is given once, to the objector, when the objection
	// is filed; with it anyone may look up the decision (LookupReceipt).
	Receipt string `json:"receipt,omitempty"`
}

// NewObjection is what the public files.
type NewObjection struct {
	EnterpriseID int64  `json:"enterprise_id"`       // the winner objected to, 0 for the whole list
	Indicator    string `json:"indicator,omitempty"` // the figure disputed, from the notice's formula; "" for none in particular
	Name         string `json:"name"`
	Contact      string `json:"contact"`
	Reason       string `json:"reason"`
}

// ObjectionsPerHour is how many objections one address may file in an hour.
const ObjectionsPerHour = 20

// FileObjection records an objection while the notice is open. Errors:
// Invalid, NotFound, Conflict (no notice, or the period has ended),
// RateLimited (more than ObjectionsPerHour from one address).
func (s *Service) FileObjection(ctx context.Context, progID int64, n NewObjection, files []File) (Objection, error) {
	n.Name, n.Contact, n.Reason = strings.TrimSpace(n.Name), strings.TrimSpace(n.Contact), strings.TrimSpace(n.Reason)
	var ds []errs.Detail
	if n.Name == "" || len([]rune(n.Name)) > 100 {
		ds = append(ds, bad("name", "请填写姓名或单位名称", "name is required"))
	}
	if n.Contact == "" || len([]rune(n.Contact)) > 200 {
		ds = append(ds, bad("contact", "请填写联系方式", "contact is required"))
	}
	if len([]rune(n.Reason)) < 10 || len([]rune(n.Reason)) > 5000 {
		ds = append(ds, bad("reason", "异议理由须为 10–5000 字", "the reason must be 10–5000 characters"))
	}
	if len(ds) > 0 {
		return Objection{}, errs.List("异议内容有误", "the objection is not valid", ds)
	}
	ev, err := s.checkFiles(files)
	if err != nil {
		return Objection{}, err
	}
	n.Indicator = strings.TrimSpace(n.Indicator)
	secret, err := receipt.NewSecret()
	if err != nil {
		return Objection{}, err
	}
	contact, err := s.DB.Crypto.Seal(objContact.Field(), n.Contact)
	if err != nil {
		return Objection{}, fmt.Errorf("award: objection: %w", err)
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if ip := audit.ActorFrom(ctx).IP; ip != "" {
			recent, err := s.Audit.CountRecent(ctx, tx, "award.objection.file", ip, db.Now()-3_600_000)
			if err != nil {
				return err
			}
			if recent >= ObjectionsPerHour {
				return errs.New(errs.RateLimited, "同一来源一小时内提交的异议过多，请稍后再试", "too many objections from this address in an hour; try later")
			}
		}
		p, err := s.programmeTx(ctx, tx, progID)
		if err != nil {
			return err
		}
		now := s.nowMS()
		if p.State != StateNotice || now > p.NoticeUntil {
			return errs.New(errs.Conflict, "公示期已结束或未开始，不能再提出异议", "the notice period is closed; objections are no longer accepted")
		}
		if n.EnterpriseID != 0 && !s.PerEntry(p) {
			return errs.Field("enterprise_id", "本项目的异议针对整个名单，请在理由中写明所指的机构", "objections to this list are about the whole list; name the institution in the reason")
		}
		if n.EnterpriseID != 0 {
			r, err := s.latestRound(ctx, tx, progID)
			if err != nil {
				return err
			}
			found := false
			for _, e := range r.Result.Entries {
				found = found || e.EnterpriseID == n.EnterpriseID
			}
			if !found {
				return errs.Field("enterprise_id", "该企业不在公示名单中", "this enterprise is not on the notice")
			}
		}
		if n.Indicator != "" && !contains(p.Rules.figureCodes(), n.Indicator) {
			return errs.Field("indicator", "该指标不在本项目的评分公式中", "this figure is not one the programme's formula reads")
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO award_objections (programme_id, enterprise_id, indicator, name, contact, reason, receipt_hash, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, progID, nullID(n.EnterpriseID), n.Indicator, n.Name, contact, n.Reason, receipt.Hash(s.DB.Crypto, secret), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("award: objection: %w", err)
		}
		if err := s.storeFiles(ctx, tx, 0, id, files, ev); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.objection.file", ObjectType: "award_objection", ObjectID: idStr(id),
			After: map[string]any{"programme_id": progID, "enterprise_id": n.EnterpriseID, "indicator": n.Indicator, "name": n.Name, "reason": n.Reason, "files": ev}})
	})
	if err != nil {
		return Objection{}, err
	}
	o, err := s.Objection(ctx, id)
	o.Receipt = receipt.Of(id, secret)
	return o, err
}

const objCols = `o.id, o.programme_id, COALESCE(o.enterprise_id, 0), o.indicator, o.name, o.contact, o.reason, o.state, o.finding, o.decided_at, o.created_at,
	(SELECT COUNT(*) FROM award_evidence v WHERE v.objection_id=o.id) FROM award_objections o`

// scanObj reads an objection, opening its sealed contact with c.
func scanObj(c *crypt.Suite, sc interface{ Scan(...any) error }) (Objection, error) {
	var o Objection
	err := sc.Scan(&o.ID, &o.ProgrammeID, &o.EnterpriseID, &o.Indicator, &o.Name, &o.Contact, &o.Reason, &o.State, &o.Finding, &o.DecidedAt, &o.CreatedAt, &o.Files)
	if err == nil {
		if o.Contact, err = c.Open(objContact.Field(), o.Contact); err != nil {
			err = fmt.Errorf("award: objection %d: %w", o.ID, err)
		}
	}
	return o, err
}

// Objection returns one objection. Errors: NotFound.
func (s *Service) Objection(ctx context.Context, id int64) (Objection, error) {
	o, err := scanObj(s.DB.Crypto, s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+objCols+" WHERE o.id=$1", id))
	if err == sql.ErrNoRows {
		return o, errs.New(errs.NotFound, "异议不存在", "objection not found")
	}
	return o, err
}

// Objections lists a programme's objections, oldest first.
func (s *Service) Objections(ctx context.Context, progID int64) ([]Objection, error) {
	var out []Objection
	err := eachRow(ctx, s.DB.R, "SELECT "+objCols+" WHERE o.programme_id=$1 ORDER BY o.id LIMIT 1000", []any{progID}, func(r *sql.Rows) error {
		o, err := scanObj(s.DB.Crypto, r)
		out = append(out, o)
		return err
	})
	for i := range out {
		if err == nil && out[i].Files > 0 {
			out[i].Evidence, err = s.ObjectionFiles(ctx, out[i].ID)
		}
	}
	if err != nil {
		return nil, err
	}
	return out, withEnterprises(ctx, s, out, func(o *Objection) int64 { return o.EnterpriseID },
		func(o *Objection, e enterprise.Brief) { o.EnterpriseName = e.Name })
}

// Correction is what an upheld objection changes before re-ranking: a figure
// value used by this programme (Kind "figure"), or an exclusion ("exclude").
type Correction struct {
	Kind         string `json:"kind"`
	EnterpriseID int64  `json:"enterprise_id"`
	Indicator    string `json:"indicator,omitempty"`
	Year         int    `json:"year,omitempty"`
	Value        int64  `json:"value,omitempty"` // in the indicator's stored unit (fen for money)
}

// Decide records the finding on an objection. An upheld objection may carry
// corrections; they are stored and the programme is re-ranked as a new round
// in the same transaction, so the history shows what changed and why. When
// the new round differs from the one on notice (another digest), the notice
// restarts from now for its full length (restartNotice).
// Errors: Invalid, NotFound, Conflict (already decided, not on notice).
func (s *Service) Decide(ctx context.Context, id int64, upheld bool, finding string, corr []Correction) (Objection, error) {
	finding = strings.TrimSpace(finding)
	if finding == "" {
		return Objection{}, errs.Field("finding", "须写明核查结论", "a finding is required")
	}
	if !upheld && len(corr) > 0 {
		return Objection{}, errs.Field("corrections", "异议不成立时不能更正数据", "a dismissed objection cannot correct data")
	}
	known, err := s.Indicators(ctx)
	if err != nil {
		return Objection{}, err
	}
	var ds []errs.Detail
	for i, c := range corr {
		f := fmt.Sprintf("corrections[%d]", i)
		switch {
		case c.EnterpriseID <= 0:
			ds = append(ds, bad(f+".enterprise_id", "须指明企业", "an enterprise is required"))
		case c.Kind == "exclude":
		case c.Kind != "figure":
			ds = append(ds, bad(f+".kind", "更正类型应为 figure 或 exclude", "kind must be figure or exclude"))
		case !hasKey(known, c.Indicator):
			ds = append(ds, bad(f+".indicator", "指标不存在："+c.Indicator, "no such figure: "+c.Indicator))
		case c.Year < 2000 || c.Year > 2100:
			ds = append(ds, bad(f+".year", "年度无效", "year is not valid"))
		case !money.Credible(c.Value):
			// The bound of money (fen) holds every figure in its stored unit.
			d := bad(f+".value", "数值超出可信范围（绝对值不超过 10^14 个存储单位，金额即 1 万亿元）",
				"value is not credible (at most 10^14 stored units either way; for money, 1,000,000,000,000 yuan)")
			d.Value = strconv.FormatInt(c.Value, 10)
			ds = append(ds, d)
		}
	}
	if len(ds) > 0 {
		return Objection{}, detailsError("更正内容有误", "the corrections are not valid", ds)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var progID int64
		var state string
		if err := tx.QueryRowContext(ctx, "SELECT programme_id, state FROM award_objections WHERE id=$1"+s.DB.ForUpdate(), id).Scan(&progID, &state); err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "异议不存在", "objection not found")
		} else if err != nil {
			return err
		}
		if state != "filed" {
			return errs.New(errs.Conflict, "该异议已处理", "this objection is already decided")
		}
		p, err := s.programmeTx(ctx, tx, progID)
		if err != nil {
			return err
		}
		if p.State != StateNotice {
			return errs.New(errs.Conflict, "项目不在公示期", "the programme is not on notice")
		}
		if len(corr) > 0 && p.Rules.Subject != "" {
			// Its figures are its owner module's: corrected there, they
			// are what the re-ranking below reads.
			return errs.Field("corrections", "本项目的数据来自其他模块（如科技金融的到位记录），请在该模块更正后裁定，异议成立时将按更正后的数据重新排名",
				"this list's figures belong to another module (such as tech finance's funded deals); correct them there, and an upheld objection re-ranks from them")
		}
		to := "dismissed"
		if upheld {
			to = "upheld"
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_objections SET state=$1, finding=$2, decided_by=$3, decided_at=$4 WHERE id=$5",
			to, finding, nullID(audit.ActorFrom(ctx).ID), s.nowMS(), id); err != nil {
			return err
		}
		for _, c := range corr {
			if _, err := tx.ExecContext(ctx, `INSERT INTO award_corrections (programme_id, objection_id, enterprise_id, kind, indicator, year, value, note, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, progID, id, c.EnterpriseID, c.Kind, c.Indicator, c.Year, c.Value, finding, s.nowMS()); err != nil {
				if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "23503") {
					return errs.Field("corrections.enterprise_id", "企业不存在", "enterprise not found")
				}
				return err
			}
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.objection." + to, ObjectType: "award_objection", ObjectID: idStr(id),
			Before: map[string]string{"state": state}, After: map[string]any{"state": to, "finding": finding, "corrections": corr}}); err != nil {
			return err
		}
		if !upheld {
			return nil
		}
		prev, err := s.latestRound(ctx, tx, progID)
		if err != nil {
			return err
		}
		r, err := s.rankTx(ctx, tx, p, fmt.Sprintf("异议 #%d 成立后重新排名 / re-ranked after objection #%d was upheld", id, id))
		if err != nil || r.Digest == prev.Digest {
			return err
		}
		return s.restartNotice(ctx, tx, p, id, r)
	})
	if err != nil {
		return Objection{}, err
	}
	return s.Objection(ctx, id)
}

// restartNotice starts the public notice again from now for the
// programme's notice length, because objection obj was upheld and changed
// the published result to round r: the public gets a full period to read,
// and object to, what is now on notice. It is audited with the old and new
// period.
func (s *Service) restartNotice(ctx context.Context, tx *sql.Tx, p Programme, obj int64, r Round) error {
	from := s.nowMS()
	until := from + int64(p.NoticeDays)*int64(24*time.Hour/time.Millisecond)
	if _, err := tx.ExecContext(ctx, `UPDATE award_programmes SET notice_from=$1, notice_until=$2, notice_restarts=notice_restarts+1,
		notice_restart_objection=$3, updated_at=$1 WHERE id=$4`, from, until, obj, p.ID); err != nil {
		return fmt.Errorf("award: restart notice: %w", err)
	}
	return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.notice.restart", ObjectType: "award_programme", ObjectID: idStr(p.ID),
		Before: map[string]any{"notice_from": p.NoticeFrom, "notice_until": p.NoticeUntil, "notice_restarts": p.NoticeRestarts},
		After: map[string]any{"notice_from": from, "notice_until": until, "notice_restarts": p.NoticeRestarts + 1, "notice_days": p.NoticeDays,
			"objection_id": obj, "round": r.Round, "digest": r.Digest}})
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// ObjectionFiles lists the evidence filed with an objection.
func (s *Service) ObjectionFiles(ctx context.Context, id int64) ([]Evidence, error) {
	var out []Evidence
	err := eachRow(ctx, s.DB.R, "SELECT id, filename, content_type, size, sha256 FROM award_evidence WHERE objection_id=$1 ORDER BY id LIMIT 50",
		[]any{id}, func(r *sql.Rows) error {
			var e Evidence
			err := r.Scan(&e.ID, &e.Filename, &e.ContentType, &e.Size, &e.SHA256)
			out = append(out, e)
			return err
		})
	return out, err
}
