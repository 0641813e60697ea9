package award

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/filecheck"
)

// Application is an enterprise's application to a programme (申报).
type Application struct {
	ID             int64      `json:"id"`
	ProgrammeID    int64      `json:"programme_id"`
	ProgrammeName  string     `json:"programme_name"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	CreditCode     string     `json:"credit_code"`
	State          string     `json:"state"` // submitted, accepted, returned
	Summary        string     `json:"summary"`
	Contact        string     `json:"contact"`
	ReturnReason   string     `json:"return_reason,omitempty"`
	Evidence       []Evidence `json:"evidence,omitempty"`
	CreatedAt      int64      `json:"created_at"`
	UpdatedAt      int64      `json:"updated_at"`
}

// Evidence is an uploaded file, kept in the database.
type Evidence struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// File is an upload before it is stored.
type File struct {
	Name string
	Data []byte
}

// allowedTypes maps a file extension to the content type its bytes must sniff as.
// evidenceTypes are the extensions evidence may have.
var evidenceTypes = []string{".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".docx", ".zip"}

// checkFiles refuses empty, oversized, too many or wrongly typed files
// (see filecheck.CheckAll), naming each refused file.
func (s *Service) checkFiles(files []File) ([]Evidence, error) {
	ups := make([]filecheck.Upload, len(files))
	for i, f := range files {
		ups[i] = filecheck.Upload(f)
	}
	kept, err := filecheck.CheckAll("evidence", ups, 10, s.MaxEvidence, evidenceTypes)
	if err != nil {
		if e := errs.As(err); len(e.Details) > 0 {
			e.Msg, e.MsgEN = "证明材料不符合要求", "evidence files are not acceptable"
		}
		return nil, err
	}
	out := make([]Evidence, len(kept))
	for i, k := range kept {
		out[i] = Evidence{Filename: k.Filename, ContentType: k.ContentType, Size: k.Size, SHA256: k.SHA256}
	}
	return out, nil
}

func (s *Service) storeFiles(ctx context.Context, tx *sql.Tx, appID, objID int64, files []File, ev []Evidence) error {
	for i, f := range files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO award_evidence (application_id, objection_id, filename, content_type, size, sha256, data, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, nullID(appID), nullID(objID), ev[i].Filename, ev[i].ContentType, ev[i].Size, ev[i].SHA256, f.Data, s.nowMS()); err != nil {
			return fmt.Errorf("award: store evidence: %w", err)
		}
	}
	return nil
}

// EnterpriseOf returns the enterprise an account belongs to (0 when none).
func (s *Service) EnterpriseOf(ctx context.Context, userID int64) (int64, error) {
	u, err := s.Org.UserByID(ctx, userID)
	if errs.CodeOf(err) == errs.NotFound {
		return 0, nil
	}
	return u.EnterpriseID, err
}

// Apply submits (or, after a return, resubmits) enterprise ent's application
// to a programme open for applications. Errors: Invalid (form, files),
// NotFound, Conflict (not open, already submitted or accepted).
func (s *Service) Apply(ctx context.Context, progID, ent int64, summary, contact string, files []File) (Application, error) {
	summary, contact = strings.TrimSpace(summary), strings.TrimSpace(contact)
	var ds []errs.Detail
	if len([]rune(summary)) < 10 || len([]rune(summary)) > 5000 {
		ds = append(ds, bad("summary", "申报说明须为 10–5000 字", "the summary must be 10–5000 characters"))
	}
	if contact == "" || len([]rune(contact)) > 200 {
		ds = append(ds, bad("contact", "请填写联系人及电话", "contact is required"))
	}
	if ent == 0 {
		return Application{}, errs.New(errs.Forbidden, "该账号未关联企业，不能申报", "this account is not linked to an enterprise")
	}
	if len(ds) > 0 {
		return Application{}, errs.List("申报信息有误", "the application is not valid", ds)
	}
	ev, err := s.checkFiles(files)
	if err != nil {
		return Application{}, err
	}
	sealed, err := s.DB.Crypto.Seal(appContact.Field(), contact)
	if err != nil {
		return Application{}, fmt.Errorf("award: apply: %w", err)
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.programmeTx(ctx, tx, progID)
		if err != nil {
			return err
		}
		if p.State != StateOpen {
			return errs.New(errs.Conflict, "项目不在申报期", "the programme is not open for applications")
		}
		if p.Rules.Subject != "" {
			return errs.New(errs.Conflict, "该项目评选的不是企业，不接受企业申报", "this programme does not rank enterprises; it takes no applications")
		}
		var state string
		err = tx.QueryRowContext(ctx, "SELECT id, state FROM award_applications WHERE programme_id=$1 AND enterprise_id=$2", progID, ent).Scan(&id, &state)
		now := s.nowMS()
		actor := audit.ActorFrom(ctx).ID
		switch {
		case err == sql.ErrNoRows:
			err = tx.QueryRowContext(ctx, `INSERT INTO award_applications (programme_id, enterprise_id, summary, contact, submitted_by, created_at, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`, progID, ent, summary, sealed, nullID(actor), now).Scan(&id)
		case err != nil:
		default:
			if err := applications.may(state, AppSubmitted); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE award_applications SET state=$1, summary=$2, contact=$3, return_reason='',
				submitted_by=$4, updated_at=$5 WHERE id=$6`, AppSubmitted, summary, sealed, nullID(actor), now, id)
		}
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "已提交过申报，不能重复提交", "an application is already submitted")
		}
		if err != nil {
			return fmt.Errorf("award: apply: %w", err)
		}
		if err := s.storeFiles(ctx, tx, id, 0, files, ev); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.apply", ObjectType: "award_application", ObjectID: idStr(id),
			After: map[string]any{"programme_id": progID, "enterprise_id": ent, "summary": summary, "files": ev}})
	})
	if err != nil {
		return Application{}, err
	}
	return s.Application(ctx, id)
}

// appCols reads the award's own rows; the enterprise's name and code come
// from the registry (nameApps).
const appCols = `a.id, a.programme_id, p.name_zh, a.enterprise_id, a.state, a.summary, a.contact,
	a.return_reason, a.created_at, a.updated_at FROM award_applications a JOIN award_programmes p ON p.id = a.programme_id`

// appContact and objContact are the sealed columns of the contact an
// enterprise gives with its application and the one the public gives with
// an objection: stored sealed with SM4-GCM in the national cryptographic
// mode (internal/crypt), as typed otherwise.
var (
	appContact = crypt.Column{Table: "award_applications", Name: "contact"}
	objContact = crypt.Column{Table: "award_objections", Name: "contact"}
)

// Sealed lists the awards module's sealed columns, for a key rotation.
var Sealed = []crypt.Column{appContact, objContact}

// scanApp reads an application, opening its sealed contact with c.
func scanApp(c *crypt.Suite, sc interface{ Scan(...any) error }) (Application, error) {
	var a Application
	err := sc.Scan(&a.ID, &a.ProgrammeID, &a.ProgrammeName, &a.EnterpriseID, &a.State,
		&a.Summary, &a.Contact, &a.ReturnReason, &a.CreatedAt, &a.UpdatedAt)
	if err == nil {
		if a.Contact, err = c.Open(appContact.Field(), a.Contact); err != nil {
			err = fmt.Errorf("award: application %d: %w", a.ID, err)
		}
	}
	return a, err
}

func (s *Service) nameApps(ctx context.Context, as []Application) error {
	return withEnterprises(ctx, s, as, func(a *Application) int64 { return a.EnterpriseID },
		func(a *Application, e enterprise.Brief) { a.EnterpriseName, a.CreditCode = e.Name, e.CreditCode })
}

// Application returns one application with its evidence list. Errors: NotFound.
func (s *Service) Application(ctx context.Context, id int64) (Application, error) {
	a, err := scanApp(s.DB.Crypto, s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+appCols+" WHERE a.id=$1", id))
	if err == sql.ErrNoRows {
		return a, errs.New(errs.NotFound, "申报不存在", "application not found")
	}
	if err != nil {
		return a, err
	}
	one := []Application{a}
	if err := s.nameApps(ctx, one); err != nil {
		return a, err
	}
	a = one[0]
	err = eachRow(ctx, s.DB.R, "SELECT id, filename, content_type, size, sha256 FROM award_evidence WHERE application_id=$1 ORDER BY id LIMIT 50",
		[]any{id}, func(r *sql.Rows) error {
			var e Evidence
			err := r.Scan(&e.ID, &e.Filename, &e.ContentType, &e.Size, &e.SHA256)
			a.Evidence = append(a.Evidence, e)
			return err
		})
	return a, err
}

// Applications lists a programme's applications (progID ≠ 0) or an
// enterprise's (ent ≠ 0), newest first.
func (s *Service) Applications(ctx context.Context, progID, ent int64) ([]Application, error) {
	q, arg := "SELECT "+appCols+" WHERE a.programme_id=$1 ORDER BY a.id DESC LIMIT 1000", progID
	if ent != 0 {
		q, arg = "SELECT "+appCols+" WHERE a.enterprise_id=$1 ORDER BY a.id DESC LIMIT 1000", ent
	}
	var out []Application
	err := eachRow(ctx, s.DB.R, q, []any{arg}, func(r *sql.Rows) error {
		a, err := scanApp(s.DB.Crypto, r)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.nameApps(ctx, out)
}

// EvidenceFile returns an evidence file's bytes and what it belongs to.
// Errors: NotFound.
func (s *Service) EvidenceFile(ctx context.Context, id int64) (Evidence, []byte, int64, error) {
	var e Evidence
	var data []byte
	var app sql.NullInt64
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id, filename, content_type, size, sha256, data, application_id FROM award_evidence WHERE id=$1", id).
		Scan(&e.ID, &e.Filename, &e.ContentType, &e.Size, &e.SHA256, &data, &app)
	if err == sql.ErrNoRows {
		return e, nil, 0, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	return e, data, app.Int64, err
}

// Check records the formal check (形式审查) of a submitted application:
// accept, or return with a reason. Errors: Invalid (no reason), NotFound,
// Conflict (not submitted, programme not open or in review).
func (s *Service) Check(ctx context.Context, appID int64, accept bool, reason string) (Application, error) {
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return Application{}, errs.Field("reason", "退回须写明原因", "a return needs a reason")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var state, pstate string
		err := tx.QueryRowContext(ctx, `SELECT a.state, p.state FROM award_applications a JOIN award_programmes p ON p.id=a.programme_id
			WHERE a.id=$1`+s.DB.ForUpdate(), appID).Scan(&state, &pstate)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "申报不存在", "application not found")
		}
		if err != nil {
			return err
		}
		to := AppAccepted
		if !accept {
			to = AppReturned
		}
		if err := applications.may(state, to); err != nil {
			return err
		}
		if pstate != StateOpen && pstate != StateReview {
			return errs.New(errs.Conflict, "项目已进入公示或认定，不能再审查", "the programme is past review")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_applications SET state=$1, return_reason=$2, checked_by=$3, updated_at=$4 WHERE id=$5",
			to, reason, nullID(audit.ActorFrom(ctx).ID), s.nowMS(), appID); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.check", ObjectType: "award_application", ObjectID: idStr(appID),
			Before: map[string]string{"state": state}, After: map[string]string{"state": to, "reason": reason}})
	})
	if err != nil {
		return Application{}, err
	}
	return s.Application(ctx, appID)
}
