package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/filecheck"
)

// Upload is a file as the caller sent it.
type Upload struct {
	Name string
	Data []byte
}

// File is a stored attachment of a need or evidence file of a bid.
type File struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

var fileTypes = []string{".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx", ".zip"}

// checkFiles judges every upload with the project's upload check, naming
// each refused file.
func (s *Service) checkFiles(ups []Upload) ([]File, error) {
	in := make([]filecheck.Upload, len(ups))
	for i, u := range ups {
		in[i] = filecheck.Upload(u)
	}
	kept, err := filecheck.CheckAll("files", in, 10, s.MaxFile, fileTypes)
	if err != nil {
		return nil, err
	}
	out := make([]File, len(kept))
	for i, k := range kept {
		out[i] = File{Filename: k.Filename, ContentType: k.ContentType, Size: k.Size, SHA256: k.SHA256}
	}
	return out, nil
}

func (s *Service) storeFiles(ctx context.Context, tx *sql.Tx, needID, bidID int64, ups []Upload, fs []File) error {
	for i, u := range ups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_files (need_id, bid_id, filename, content_type, size, sha256, data, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, needID, nullID(bidID), fs[i].Filename, fs[i].ContentType, fs[i].Size, fs[i].SHA256, u.Data, s.nowMS()); err != nil {
			return fmt.Errorf("scenario: store file: %w", err)
		}
	}
	return nil
}

// files lists the files of a need (bidID 0) or of one bid.
func (s *Service) files(ctx context.Context, q db.Querier, needID, bidID int64) ([]File, error) {
	query := "SELECT id, filename, content_type, size, sha256 FROM scenario_files WHERE need_id = $1 AND bid_id IS NULL AND acceptance_id IS NULL ORDER BY id"
	args := []any{needID}
	if bidID != 0 {
		query = "SELECT id, filename, content_type, size, sha256 FROM scenario_files WHERE need_id = $1 AND bid_id = $2 ORDER BY id"
		args = append(args, bidID)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("scenario: files: %w", err)
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FileData returns a file and its bytes if v may read what it belongs to:
// a need's attachment with the need, a bid's evidence with the bid.
// Errors: NotFound.
func (s *Service) FileData(ctx context.Context, v Viewer, id int64) (File, []byte, error) {
	var f File
	var needID, bidID, acceptanceID int64
	var data []byte
	err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT id, filename, content_type, size, sha256, need_id, COALESCE(bid_id, 0), COALESCE(acceptance_id, 0), data
		FROM scenario_files WHERE id = $1`, id).Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &needID, &bidID, &acceptanceID, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	if err != nil {
		return f, nil, fmt.Errorf("scenario: file %d: %w", id, err)
	}
	if acceptanceID != 0 { // an acceptance's files go with the delivery
		if _, err := s.Delivery(ctx, v, needID); err != nil {
			return File{}, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
		}
		return f, data, nil
	}
	if bidID != 0 {
		if _, err := s.Bid(ctx, v, bidID); err != nil && !s.reviews(ctx, v, bidID) {
			return File{}, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
		}
	} else if _, err := s.needFor(ctx, v, needID); err != nil {
		return File{}, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	return f, data, nil
}
