package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// Roadshows (路演) are events with a date and a place: supervisors invite
// needs to present and record the institutions attending (an approved
// institution may also sign itself up). Its outcome counts the matches
// between the invited needs and the attending institutions by the steps
// they reached, and the money received.
//
// Needs stay confidential at a roadshow too: staff read every invited
// need; an enterprise its own; an attending institution those it may read
// (fit and audience, or a match). Everyone involved reads the counts.

// Roadshow is one event.
type Roadshow struct {
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	On           string         `json:"on"`
	Place        string         `json:"place"`
	Synthetic    bool           `json:"synthetic"`
	Needs        []RoadshowNeed `json:"needs"`
	Institutions []RoadshowInst `json:"institutions"`
	Outcome      Outcome        `json:"outcome"`
}

// RoadshowNeed is an invited need as the reader may see it.
type RoadshowNeed struct {
	ID             int64  `json:"id"`
	Title          string `json:"title"`
	EnterpriseName string `json:"enterprise_name"`
	AmountFen      int64  `json:"amount_fen"`
}

// RoadshowInst is an attending institution.
type RoadshowInst struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Outcome counts a roadshow's results.
type Outcome struct {
	Needs        int            `json:"needs"`
	Institutions int            `json:"institutions"`
	Reached      map[string]int `json:"reached"` // matches that reached each step
	Closed       int            `json:"closed"`
	FundedFen    int64          `json:"funded_fen"`
}

// RoadshowInput is what staff write.
type RoadshowInput struct {
	Title string `json:"title"`
	On    string `json:"on"`
	Place string `json:"place"`
}

// CreateRoadshow records a roadshow. Errors: Forbidden, Invalid.
func (s *Service) CreateRoadshow(ctx context.Context, v Viewer, in RoadshowInput) (Roadshow, error) {
	if err := mustRun(v); err != nil {
		return Roadshow{}, err
	}
	in.Title, in.On, in.Place = strings.TrimSpace(in.Title), strings.TrimSpace(in.On), strings.TrimSpace(in.Place)
	var p problems
	p.text("title", in.Title, true, 100, "路演名称", "title")
	p.text("place", in.Place, true, 200, "路演地点", "place")
	if !validDate(in.On) {
		p.add("on", in.On, "路演日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
	}
	if err := p.err("路演活动填写有误", "the roadshow has errors"); err != nil {
		return Roadshow{}, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO finance_roadshows (title, on_date, place, synthetic, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, in.Title, in.On, in.Place, s.Synthetic, nullID(v.UserID), s.nowMS()).Scan(&id); err != nil {
			return fmt.Errorf("finance: create roadshow: %w", err)
		}
		return s.record(ctx, tx, "finance.roadshow.create", "finance_roadshow", id, nil, map[string]any{"title": in.Title, "on": in.On, "place": in.Place})
	})
	if err != nil {
		return Roadshow{}, err
	}
	return s.Roadshow(ctx, v, id)
}

func (s *Service) roadshowExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var x int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM finance_roadshows WHERE id = $1", id).Scan(&x)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.New(errs.NotFound, "路演活动不存在", "roadshow not found")
	}
	return err
}

// Invite adds open needs to present at a roadshow (supervisors). Errors:
// Forbidden, NotFound, Invalid (a need not open).
func (s *Service) Invite(ctx context.Context, v Viewer, id int64, needs []int64) (Roadshow, error) {
	if err := mustRun(v); err != nil {
		return Roadshow{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.roadshowExists(ctx, tx, id); err != nil {
			return err
		}
		added := 0
		for _, nid := range needs {
			var state string
			err := tx.QueryRowContext(ctx, "SELECT state FROM finance_needs WHERE id = $1", nid).Scan(&state)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && state != NeedOpen) {
				return errs.Field("needs", "只能邀请征集中的融资需求："+strconv.FormatInt(nid, 10), "only open needs can be invited: "+strconv.FormatInt(nid, 10))
			}
			if err != nil {
				return fmt.Errorf("finance: invite: %w", err)
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO finance_roadshow_needs (roadshow_id, need_id) SELECT $1, $2
				WHERE NOT EXISTS (SELECT 1 FROM finance_roadshow_needs WHERE roadshow_id = $1 AND need_id = $2)`, id, nid)
			if err != nil {
				return fmt.Errorf("finance: invite: %w", err)
			}
			k, _ := res.RowsAffected()
			added += int(k)
		}
		return s.record(ctx, tx, "finance.roadshow.invite", "finance_roadshow", id, nil, map[string]any{"needs": added})
	})
	if err != nil {
		return Roadshow{}, err
	}
	return s.Roadshow(ctx, v, id)
}

// Attend records approved institutions attending: a supervisor any, an
// investor account its own (ids ignored). Errors: Forbidden, NotFound,
// Invalid (an institution not approved).
func (s *Service) Attend(ctx context.Context, v Viewer, id int64, insts []int64) (Roadshow, error) {
	if !v.Runs() {
		mine, state, err := s.member(ctx, s.DB.R, v)
		if err != nil {
			return Roadshow{}, err
		}
		if mine == 0 || state != InstApproved {
			return Roadshow{}, errs.New(errs.Forbidden, "只有审核通过的金融机构或工作人员可以报名路演", "only an approved institution or staff sign up for a roadshow")
		}
		insts = []int64{mine}
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.roadshowExists(ctx, tx, id); err != nil {
			return err
		}
		if _, err := checkListed(ctx, tx, insts); err != nil {
			return errs.Field("institutions", "只有审核通过的机构可以参加路演", "only approved institutions attend")
		}
		added := 0
		for _, iid := range insts {
			res, err := tx.ExecContext(ctx, `INSERT INTO finance_roadshow_institutions (roadshow_id, institution_id) SELECT $1, $2
				WHERE NOT EXISTS (SELECT 1 FROM finance_roadshow_institutions WHERE roadshow_id = $1 AND institution_id = $2)`, id, iid)
			if err != nil {
				return fmt.Errorf("finance: attend: %w", err)
			}
			k, _ := res.RowsAffected()
			added += int(k)
		}
		return s.record(ctx, tx, "finance.roadshow.attend", "finance_roadshow", id, nil, map[string]any{"institutions": added})
	})
	if err != nil {
		return Roadshow{}, err
	}
	return s.Roadshow(ctx, v, id)
}

// Roadshow reads a roadshow with the needs the reader may see, the
// attending institutions and the outcome: staff, an enterprise with a
// need invited, an attending institution. Errors: NotFound.
func (s *Service) Roadshow(ctx context.Context, v Viewer, id int64) (Roadshow, error) {
	notFound := errs.New(errs.NotFound, "路演活动不存在", "roadshow not found")
	var r Roadshow
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id, title, on_date, place, synthetic FROM finance_roadshows WHERE id = $1", id).
		Scan(&r.ID, &r.Title, &r.On, &r.Place, &r.Synthetic)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound
	}
	if err != nil {
		return r, fmt.Errorf("finance: roadshow %d: %w", id, err)
	}
	r.Needs, r.Institutions = []RoadshowNeed{}, []RoadshowInst{}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT i.id, i.name, i.kind FROM finance_roadshow_institutions x JOIN finance_institutions i ON i.id = x.institution_id
		WHERE x.roadshow_id = $1 ORDER BY i.id`, id)
	if err != nil {
		return r, fmt.Errorf("finance: roadshow %d: %w", id, err)
	}
	for rows.Next() {
		var i RoadshowInst
		if err := rows.Scan(&i.ID, &i.Name, &i.Kind); err != nil {
			rows.Close()
			return r, err
		}
		r.Institutions = append(r.Institutions, i)
	}
	rows.Close()
	mine, _, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return r, err
	}
	attends := false
	for _, i := range r.Institutions {
		attends = attends || (mine != 0 && i.ID == mine)
	}
	ps, err := pairs(ctx, s.DB.R, "SELECT need_id, '' FROM finance_roadshow_needs WHERE roadshow_id = $1 ORDER BY need_id", id)
	if err != nil {
		return r, err
	}
	involved := v.Staff() || attends
	for _, p := range ps {
		n, err := s.need(ctx, s.DB.R, p.id)
		if err != nil {
			return r, err
		}
		if v.enterprise() && n.EnterpriseID == v.EnterpriseID {
			involved = true
		}
		if s.canRead(ctx, v, &n) == nil {
			r.Needs = append(r.Needs, RoadshowNeed{ID: n.ID, Title: n.Title, EnterpriseName: n.EnterpriseName, AmountFen: n.AmountFen})
		}
	}
	if !involved {
		return Roadshow{}, notFound
	}
	r.Outcome, err = s.outcome(ctx, id)
	r.Outcome.Needs, r.Outcome.Institutions = len(ps), len(r.Institutions)
	return r, err
}

// outcome counts the matches between a roadshow's needs and its
// institutions by the steps they reached.
func (s *Service) outcome(ctx context.Context, id int64) (Outcome, error) {
	o := Outcome{Reached: map[string]int{}}
	const pairsOf = `FROM finance_matches m
		JOIN finance_roadshow_needs rn ON rn.need_id = m.need_id AND rn.roadshow_id = $1
		JOIN finance_roadshow_institutions ri ON ri.institution_id = m.institution_id AND ri.roadshow_id = $1`
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT st.step, COUNT(DISTINCT m.id) `+pairsOf+`
		JOIN finance_match_steps st ON st.match_id = m.id GROUP BY st.step`, id)
	if err != nil {
		return o, fmt.Errorf("finance: roadshow outcome %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var step string
		var n int
		if err := rows.Scan(&step, &n); err != nil {
			return o, err
		}
		if step == StepClosed {
			o.Closed = n
		} else {
			o.Reached[step] = n
		}
	}
	if err := rows.Err(); err != nil {
		return o, err
	}
	var sum money.SQLSum
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT COALESCE(SUM(m.funded_fen), 0) "+pairsOf+" WHERE m.step = 'funded'", id).Scan(&sum); err != nil {
		return o, fmt.Errorf("finance: roadshow outcome %d: %w", id, err)
	}
	o.FundedFen = int64(sum)
	return o, nil
}

// Roadshows lists roadshows by date, newest first: staff every one,
// others those they take part in (an invited need or attending).
func (s *Service) Roadshows(ctx context.Context, v Viewer, limit int) ([]Roadshow, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := "SELECT id, title, on_date, place, synthetic FROM finance_roadshows r"
	var args []any
	switch {
	case v.Staff():
	case v.enterprise():
		q += " WHERE EXISTS (SELECT 1 FROM finance_roadshow_needs x JOIN finance_needs n ON n.id = x.need_id WHERE x.roadshow_id = r.id AND n.enterprise_id = $1)"
		args = append(args, v.EnterpriseID)
	case v.investor():
		mine, _, err := s.member(ctx, s.DB.R, v)
		if err != nil {
			return nil, err
		}
		q += " WHERE EXISTS (SELECT 1 FROM finance_roadshow_institutions x WHERE x.roadshow_id = r.id AND x.institution_id = $1)"
		args = append(args, mine)
	default:
		return nil, errs.New(errs.Forbidden, "您无权查看路演活动", "you may not read roadshows")
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q+" ORDER BY on_date DESC, id DESC LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("finance: roadshows: %w", err)
	}
	defer rows.Close()
	out := []Roadshow{}
	for rows.Next() {
		var r Roadshow
		if err := rows.Scan(&r.ID, &r.Title, &r.On, &r.Place, &r.Synthetic); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
