package insight

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// What enterprises and the public may see of the industry brain: an
// enterprise its own position (its rank band on each chain it is on, its
// per-mu classes), nothing of others; the public only the views staff
// publish, which hold aggregates and no enterprise.

// Band is a rank band: the share of a chain's enterprises at or above
// one's place.
type Band struct {
	Chain   string `json:"chain"` // chain node code
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
	Of      int64  `json:"of"`      // enterprises on the node with revenue that year
	Percent int    `json:"percent"` // 10, 25, 50 or 100: in the top this share
}

// Position is one enterprise's own standing.
type Position struct {
	EnterpriseID int64              `json:"enterprise_id"`
	Year         int                `json:"year"`
	Bands        []Band             `json:"bands"`   // by revenue, on each chain it is assigned to
	Classes      []enterprise.Class `json:"classes"` // 亩均 classes, newest year first
}

// bandOf puts place (1 for the best) among n into the narrowest of the
// bands 10 %, 25 %, 50 % whose share the enterprises above it stay under,
// else 100 (the lower half): the leader is always in the top band.
func bandOf(place, n int64) int {
	for _, b := range []int64{10, 25, 50} {
		if (place-1)*100 < n*b {
			return int(b)
		}
	}
	return 100
}

// PositionOf is enterprise id's own position in year (revenue ranks from
// the rollups' leaders; classes from the registry). An enterprise account
// reads its own only; staff read any. Errors: Forbidden, NotFound.
func (s *Service) PositionOf(ctx context.Context, v Viewer, id int64, year int) (Position, error) {
	switch {
	case v.Staff():
	case v.Role == "enterprise" && v.EnterpriseID == id && id != 0:
	default:
		return Position{}, errs.New(errs.Forbidden, "只能查看本企业的位置", "an enterprise sees its own position only")
	}
	out := Position{EnterpriseID: id, Year: year, Bands: []Band{}}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return out, err
	}
	nodes := map[int64]enterprise.ChainNode{}
	for _, n := range tree {
		nodes[n.ID] = n
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT node_id, revenue FROM insight_leaders WHERE year = $1 AND enterprise_id = $2 ORDER BY node_id", year, id)
	if err != nil {
		return out, fmt.Errorf("insight: position: %w", err)
	}
	type mine struct{ node, revenue int64 }
	var on []mine
	for rows.Next() {
		var m mine
		if err := rows.Scan(&m.node, &m.revenue); err != nil {
			rows.Close()
			return out, fmt.Errorf("insight: position: %w", err)
		}
		on = append(on, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("insight: position: %w", err)
	}
	for _, m := range on {
		var above, n int64
		err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE revenue > $3), COUNT(*) FROM insight_leaders WHERE year = $1 AND node_id = $2`,
			year, m.node, m.revenue).Scan(&above, &n)
		if err != nil {
			return out, fmt.Errorf("insight: position: %w", err)
		}
		node := nodes[m.node]
		out.Bands = append(out.Bands, Band{Chain: node.Code, NameZH: node.NameZH, NameEN: node.NameEN, Of: n, Percent: bandOf(above+1, n)})
	}
	classes, err := s.Registry.ClassOf(ctx, nil, id, enterprise.ClassMu)
	if err != nil {
		return out, err
	}
	out.Classes = classes
	return out, nil
}

// Published views.
const ViewOverview = "overview" // the chains and tiers of the big screen, without warnings

// Published reports whether view is published.
func (s *Service) Published(ctx context.Context, view string) (bool, error) {
	var on bool
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT published FROM insight_published WHERE view = $1", view).Scan(&on)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("insight: published: %w", err)
	}
	return on, nil
}

// Publish publishes view to the public or takes it back. Leaders,
// supervisors and admins may. Errors: Forbidden, Invalid.
func (s *Service) Publish(ctx context.Context, v Viewer, view string, on bool) error {
	if !v.Staff() {
		return errs.New(errs.Forbidden, "无权发布产业大脑视图", "not allowed to publish industry brain views")
	}
	if view != ViewOverview {
		return errs.Field("view", "没有这一视图："+view, "no such view: "+view)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO insight_published (view, published, changed_by, changed_at) VALUES ($1,$2,$3,$4)
			ON CONFLICT (view) DO UPDATE SET published = excluded.published, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
			view, on, nullID(v.UserID), s.now().UnixMilli())
		if err != nil {
			return fmt.Errorf("insight: publish: %w", err)
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.publish", ObjectType: "insight_view", ObjectID: view,
			After: map[string]string{"published": strconv.FormatBool(on)}}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
}

// PublicOverview is the overview the public sees once it is published:
// the chains' enterprises and revenue and the tiers, with no warning and
// no enterprise. Errors: NotFound while unpublished.
func (s *Service) PublicOverview(ctx context.Context, year int) (Screen, error) {
	on, err := s.Published(ctx, ViewOverview)
	if err != nil {
		return Screen{}, err
	}
	if !on {
		return Screen{}, errs.New(errs.NotFound, "该视图未公开", "this view is not published")
	}
	sc, err := s.ScreenOf(ctx, Viewer{Role: "admin"}, year)
	if err != nil {
		return Screen{}, err
	}
	sc.Warnings, sc.OpenWarnings = nil, 0
	return sc, nil
}
