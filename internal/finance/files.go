package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gaoxin/internal/errs"
	"gaoxin/internal/filecheck"
)

// Upload is a file as the caller sent it.
type Upload struct {
	Name string
	Data []byte
}

// File is a need's stored pitch deck or attachment.
type File struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// deckTypes are the files a need takes: a pitch deck and its papers.
var deckTypes = []string{".pdf", ".pptx", ".docx", ".xlsx", ".png", ".jpg", ".jpeg"}

// checkFiles judges every upload with the project's upload check, naming
// each refused file.
func (s *Service) checkFiles(ups []Upload) ([]filecheck.Kept, error) {
	in := make([]filecheck.Upload, len(ups))
	for i, u := range ups {
		in[i] = filecheck.Upload(u)
	}
	return filecheck.CheckAll("files", in, 5, s.MaxFile, deckTypes)
}

func (s *Service) storeFiles(ctx context.Context, tx *sql.Tx, need int64, ups []Upload, kept []filecheck.Kept) error {
	for i, u := range ups {
		k := kept[i]
		if _, err := tx.ExecContext(ctx, `INSERT INTO finance_need_files (need_id, filename, content_type, size, sha256, data, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7)`, need, k.Filename, k.ContentType, k.Size, k.SHA256, u.Data, s.nowMS()); err != nil {
			return fmt.Errorf("finance: store file: %w", err)
		}
	}
	return nil
}

func (s *Service) files(ctx context.Context, need int64) ([]File, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT id, filename, content_type, size, sha256 FROM finance_need_files WHERE need_id = $1 ORDER BY id LIMIT 20", need)
	if err != nil {
		return nil, fmt.Errorf("finance: files of need %d: %w", need, err)
	}
	defer rows.Close()
	out := []File{}
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FileData returns a need's file and its bytes to whoever may read the
// need. Errors: NotFound.
func (s *Service) FileData(ctx context.Context, v Viewer, id int64) (File, []byte, error) {
	var f File
	var need int64
	var data []byte
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id, filename, content_type, size, sha256, need_id, data FROM finance_need_files WHERE id = $1", id).
		Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &need, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	if err != nil {
		return f, nil, fmt.Errorf("finance: file %d: %w", id, err)
	}
	n, err := s.need(ctx, s.DB.R, need)
	if err != nil {
		return File{}, nil, err
	}
	if err := s.canRead(ctx, v, &n); err != nil {
		return File{}, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	return f, data, nil
}
