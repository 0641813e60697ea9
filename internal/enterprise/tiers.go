package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// TierKind is a recognised category (梯队/资质) an enterprise may hold.
type TierKind struct {
	Code, NameZH, NameEN string
}

// Tiers lists the kinds of tier, in the order of the zone's pipeline.
var Tiers = []TierKind{
	{"tsme", "科技型中小企业", "Tech-based SME"},
	{"hnte", "高新技术企业", "High-tech enterprise"},
	{"gazelle", "瞪羚企业", "Gazelle enterprise"},
	{"unicorn", "独角兽企业", "Unicorn"},
	{"srdi", "专精特新中小企业", "Specialised SME"},
	{"little_giant", "专精特新“小巨人”", "Little giant"},
	{"champion", "单项冠军", "Single-item champion"},
	{"listed", "上市企业", "Listed company"},
	{"rd_platform", "研发平台", "R&D platform"},
}

// TierName returns the Chinese and English name of a tier code.
func TierName(code string) (string, string) {
	for _, t := range Tiers {
		if t.Code == code {
			return t.NameZH, t.NameEN
		}
	}
	return code, code
}

func validTier(code string) bool {
	for _, t := range Tiers {
		if t.Code == code {
			return true
		}
	}
	return false
}

// Levels of a certificate.
var Levels = []string{"national", "provincial", "municipal"}

// LevelName returns a level in Chinese and English.
func LevelName(l string) (string, string) {
	switch l {
	case "national":
		return "国家级", "national"
	case "provincial":
		return "省级", "provincial"
	case "municipal":
		return "市级", "municipal"
	}
	return l, l
}

// Tier is one certificate an enterprise holds or held; a renewal is a new
// row, so the history stays.
type Tier struct {
	ID           int64  `json:"id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Tier         string `json:"tier"`
	Level        string `json:"level,omitempty"`
	CertNo       string `json:"cert_no,omitempty"`
	ValidFrom    string `json:"valid_from,omitempty"`
	ValidTo      string `json:"valid_to,omitempty"`   // "" for open-ended
	Board        string `json:"board,omitempty"`      // listed: 主板, 创业板, 科创板, 北交所…
	StockCode    string `json:"stock_code,omitempty"` // listed
	Note         string `json:"note,omitempty"`
	CreatedAt    int64  `json:"created_at"`
	// Filled on reading:
	Current  bool   `json:"current"`           // valid today
	Expiring bool   `json:"expiring"`          // current and ends within 90 days
	Name     string `json:"name_zh,omitempty"` // the enterprise's name, in expiring lists
}

// ExpiryWarningDays is how far ahead an ending certificate is flagged.
const ExpiryWarningDays = 90

func (t *Tier) classify(today, horizon string) {
	t.Current = (t.ValidFrom == "" || t.ValidFrom <= today) && (t.ValidTo == "" || t.ValidTo >= today)
	t.Expiring = t.Current && t.ValidTo != "" && t.ValidTo <= horizon
}

func horizonOf(today string) string {
	d, _ := time.Parse("2006-01-02", today)
	return d.AddDate(0, 0, ExpiryWarningDays).Format("2006-01-02")
}

// AddTier records a certificate. Errors: Forbidden, NotFound, Invalid.
func (s *Service) AddTier(ctx context.Context, v Viewer, id int64, t Tier) (Tier, error) {
	if !v.Writes() {
		return t, errNoWrite
	}
	if _, err := s.Get(ctx, v, id); err != nil {
		return t, err
	}
	var bad []errs.Detail
	add := func(f, val, zh, en string) {
		bad = append(bad, errs.Detail{Field: f, Value: val, Reason: zh, ReasonEN: en})
	}
	if !validTier(t.Tier) {
		add("tier", t.Tier, "资质类型无效", "unknown tier")
	}
	if t.Level != "" && t.Level != "national" && t.Level != "provincial" && t.Level != "municipal" {
		add("level", t.Level, "级别须为国家级、省级或市级", "level must be national, provincial or municipal")
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"valid_from", &t.ValidFrom}, {"valid_to", &t.ValidTo}} {
		if *f.p == "" {
			continue
		}
		d, err := ParseDate(*f.p)
		if err != nil {
			add(f.name, *f.p, err.zh, err.en)
			continue
		}
		*f.p = d
	}
	if t.ValidFrom != "" && t.ValidTo != "" && t.ValidTo < t.ValidFrom {
		add("valid_to", t.ValidTo, "有效期止早于起始日", "valid_to is before valid_from")
	}
	if t.Tier == "listed" && strings.TrimSpace(t.StockCode) == "" {
		add("stock_code", "", "上市企业须填写股票代码", "a listed company needs its stock code")
	}
	if len(bad) > 0 {
		return t, errs.List("资质信息有误", "the certificate has errors", bad)
	}
	t.EnterpriseID, t.CreatedAt = id, s.nowMS()
	t.CertNo, t.Board, t.StockCode, t.Note = strings.TrimSpace(t.CertNo), strings.TrimSpace(t.Board), strings.TrimSpace(t.StockCode), strings.TrimSpace(t.Note)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_tiers (enterprise_id, tier, level, cert_no, valid_from, valid_to, board, stock_code, note, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`, id, t.Tier, t.Level, t.CertNo, t.ValidFrom, t.ValidTo, t.Board, t.StockCode, t.Note, t.CreatedAt).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("enterprise: add tier: %w", err)
		}
		if err := s.feed(ctx, tx, []int64{id}, 0); err != nil {
			return err
		}
		return s.record(ctx, tx, id, "enterprise.tier.add", nil, t)
	})
	today := s.Today()
	t.classify(today, horizonOf(today))
	return t, err
}

// TiersOf returns every certificate of an enterprise, newest first.
// Errors: as Get.
func (s *Service) TiersOf(ctx context.Context, v Viewer, id int64) ([]Tier, error) {
	if _, err := s.Get(ctx, v, id); err != nil {
		return nil, err
	}
	return s.tiersOf(ctx, id)
}

func (s *Service) tiersOf(ctx context.Context, id int64) ([]Tier, error) {
	return s.queryTiersWith(ctx, db.Reader{D: s.DB}, `SELECT t.id, t.enterprise_id, t.tier, t.level, t.cert_no, t.valid_from, t.valid_to, t.board, t.stock_code, t.note, t.created_at, ''
		FROM enterprise_tiers t WHERE t.enterprise_id = $1 ORDER BY t.valid_from DESC, t.id DESC LIMIT 500`, id)
}

// expiring reads the current certificates that end within 90 days,
// soonest first, of the enterprises v may read. Errors: Forbidden.
func (s *Service) expiring(ctx context.Context, v Viewer, limit int) ([]Tier, error) {
	if !v.Reads() {
		return nil, errNoAccess
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	today := s.Today()
	q := `SELECT t.id, t.enterprise_id, t.tier, t.level, t.cert_no, t.valid_from, t.valid_to, t.board, t.stock_code, t.note, t.created_at, e.name
		FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id
		WHERE t.valid_to >= $1 AND t.valid_to <= $2`
	args := []any{today, horizonOf(today)}
	switch {
	case v.ReadsAll():
	case v.EnterpriseID != 0:
		q += " AND t.enterprise_id = $3"
		args = append(args, v.EnterpriseID)
	default:
		q += " AND e.area_unit_id = $3"
		args = append(args, v.UnitID)
	}
	q += " ORDER BY t.valid_to, t.id LIMIT " + strconv.Itoa(limit)
	return s.queryTiers(ctx, q, args...)
}

func (s *Service) queryTiers(ctx context.Context, q string, args ...any) ([]Tier, error) {
	return s.queryTiersWith(ctx, s.DB.R, q, args...)
}

// queryTiersWith is queryTiers through a chosen reader (db.Reader for
// constant query texts).
func (s *Service) queryTiersWith(ctx context.Context, r db.Querier, q string, args ...any) ([]Tier, error) {
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: tiers: %w", err)
	}
	defer rows.Close()
	today := s.Today()
	horizon := horizonOf(today)
	out := []Tier{}
	for rows.Next() {
		var t Tier
		if err := rows.Scan(&t.ID, &t.EnterpriseID, &t.Tier, &t.Level, &t.CertNo, &t.ValidFrom, &t.ValidTo, &t.Board, &t.StockCode, &t.Note, &t.CreatedAt, &t.Name); err != nil {
			return nil, err
		}
		t.classify(today, horizon)
		out = append(out, t)
	}
	return out, rows.Err()
}
