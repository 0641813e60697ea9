package plan

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
	"gaoxin/internal/filecheck"
	"gaoxin/internal/org"
)

// Attachment is evidence attached to a report. Its bytes live in the
// database (plan_attachments.data), so every app server can serve it and a
// database backup holds it.
type Attachment struct {
	ID          int64  `json:"id"`
	ReportID    int64  `json:"report_id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	CreatedAt   int64  `json:"created_at"`
}

// attachmentTypes are the extensions a report accepts.
var attachmentTypes = []string{".pdf", ".png", ".jpg", ".jpeg", ".gif", ".txt", ".zip", ".docx", ".xlsx", ".pptx"}

// AllowedExtensions lists the accepted file extensions, for forms and errors.
var AllowedExtensions = strings.Join(attachmentTypes, " ")

// CheckFile validates an upload (see filecheck.Check) and returns the
// content type to store. Errors: TooLarge, Invalid (field "file").
func CheckFile(name string, data []byte, maxBytes int64) (string, error) {
	ct, p := filecheck.Check(name, data, maxBytes, attachmentTypes)
	if p != nil {
		e := errs.Field("file", "文件 "+name+"："+p.ZH, "file "+name+": "+p.EN)
		if p.TooLarge {
			e.Code = errs.TooLarge
		}
		return "", e
	}
	return ct, nil
}

func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == '/' {
			return '_'
		}
		return r
	}, name)
	if len([]rune(name)) > 120 {
		name = string([]rune(name)[:120])
	}
	return name
}

// MaxAttachment is the current attachment size limit in bytes.
func (s *Service) MaxAttachment(ctx context.Context) (int64, error) {
	st, err := s.Settings(ctx)
	return int64(st.MaxAttachmentKB) * 1024, err
}

// AddAttachment stores a file on a draft or returned report. Errors:
// Forbidden (not unit staff), NotFound, Conflict (report not editable),
// TooLarge, Invalid (type).
func (s *Service) AddAttachment(ctx context.Context, v Viewer, reportID int64, name string, data []byte) (Attachment, error) {
	var a Attachment
	if v.Role != org.UnitStaff {
		return a, errs.New(errs.Forbidden, "只有责任单位可以上传附件", "only unit staff upload attachments")
	}
	r, err := s.Report(ctx, v, reportID)
	if err != nil {
		return a, err
	}
	if _, err := reportMove(actAttach, r.State); err != nil {
		return a, err
	}
	max, err := s.MaxAttachment(ctx)
	if err != nil {
		return a, err
	}
	name = cleanName(name)
	ct, err := CheckFile(name, data, max)
	if err != nil {
		return a, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		return s.insertFiles(ctx, tx, v, reportID, []checked{{name: name, ct: ct, data: data}})
	})
	if err != nil {
		return a, err
	}
	as, err := s.attachments(ctx, reportID)
	if err != nil || len(as) == 0 {
		return a, err
	}
	return as[len(as)-1], nil
}

// checked is an upload that passed CheckFile.
type checked struct {
	name, ct string
	data     []byte
}

// checkUploads validates every upload before anything is written.
func checkUploads(ups []Upload, max int64) ([]checked, error) {
	var out []checked
	for _, u := range ups {
		name := cleanName(u.Name)
		ct, err := CheckFile(name, u.Data, max)
		if err != nil {
			return nil, err
		}
		out = append(out, checked{name: name, ct: ct, data: u.Data})
	}
	return out, nil
}

// insertFiles stores checked uploads on a report inside tx, audited.
func (s *Service) insertFiles(ctx context.Context, tx *sql.Tx, v Viewer, reportID int64, files []checked) error {
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		a := Attachment{ReportID: reportID, Filename: f.name, ContentType: f.ct, Size: int64(len(f.data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.nowMS()}
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_attachments (report_id, filename, content_type, size, sha256, data, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, reportID, a.Filename, a.ContentType, a.Size, a.SHA256, f.data, v.UserID, a.CreatedAt).Scan(&a.ID); err != nil {
			return fmt.Errorf("plan: insert attachment: %w", err)
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.attachment.create", ObjectType: "plan_report",
			ObjectID: strconv.FormatInt(reportID, 10), After: a}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) attachments(ctx context.Context, reportID int64) ([]Attachment, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT id, report_id, filename, content_type, size, sha256, created_at FROM plan_attachments
		WHERE report_id = $1 ORDER BY id LIMIT 100`, reportID)
	if err != nil {
		return nil, fmt.Errorf("plan: attachments: %w", err)
	}
	defer rows.Close()
	out := []Attachment{}
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.ReportID, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentData returns an attachment and its bytes if v may see its
// report. Errors: Forbidden, NotFound.
func (s *Service) AttachmentData(ctx context.Context, v Viewer, id int64) (Attachment, []byte, error) {
	var a Attachment
	var data []byte
	err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT id, report_id, filename, content_type, size, sha256, created_at, data
		FROM plan_attachments WHERE id = $1`, id).Scan(&a.ID, &a.ReportID, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedAt, &data)
	if err == sql.ErrNoRows {
		return a, nil, errs.New(errs.NotFound, "附件不存在", "attachment not found")
	}
	if err != nil {
		return a, nil, fmt.Errorf("plan: attachment %d: %w", id, err)
	}
	if _, err := s.Report(ctx, v, a.ReportID); err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return Attachment{}, nil, errs.New(errs.NotFound, "附件不存在", "attachment not found")
		}
		return Attachment{}, nil, err
	}
	return a, data, nil
}
