package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Need states.
const (
	NeedOpen   = "open"   // 征集中: visible to its audience
	NeedClosed = "closed" // 已关闭: only its matches go on
)

// Need is an enterprise's financing need (融资需求).
type Need struct {
	ID             int64          `json:"id"`
	EnterpriseID   int64          `json:"enterprise_id"`
	EnterpriseName string         `json:"enterprise_name"`
	Title          string         `json:"title"`
	AmountFen      int64          `json:"amount_fen"`
	Instrument     string         `json:"instrument"`
	Stage          string         `json:"stage"`
	UseOfFunds     string         `json:"use_of_funds"`
	SharedFigures  []string       `json:"shared_figures"` // registry indicator codes the enterprise shares
	Figures        []SharedFigure `json:"figures"`        // their values, read from the registry
	Audience       string         `json:"audience"`
	Listed         []int64        `json:"listed,omitempty"` // excluded or chosen institutions: owner and staff only
	State          string         `json:"state"`
	Chains         []ChainRef     `json:"chains"`
	Files          []File         `json:"files"`
	Synthetic      bool           `json:"synthetic"`
	CreatedAt      int64          `json:"created_at"`
	UpdatedAt      int64          `json:"updated_at"`
}

// SharedFigure is one registry figure a need shares: the confirmed yearly
// value of the best source, as the registry keeps it (in 10^-Scale Unit;
// money in fen).
type SharedFigure struct {
	Indicator string `json:"indicator"`
	NameZH    string `json:"name_zh"`
	NameEN    string `json:"name_en"`
	Unit      string `json:"unit"`
	Scale     int    `json:"scale"`
	Year      int    `json:"year"`
	Value     int64  `json:"value"`
}

// NeedInput is what an enterprise writes.
type NeedInput struct {
	Title         string   `json:"title"`
	AmountFen     int64    `json:"amount_fen"`
	Instrument    string   `json:"instrument"`
	Stage         string   `json:"stage"`
	UseOfFunds    string   `json:"use_of_funds"`
	Chains        []string `json:"chains"`         // chain codes; none: the enterprise's chains in the registry
	SharedFigures []string `json:"shared_figures"` // registry indicator codes
	Audience      string   `json:"audience"`       // fit (default), chosen, hidden
	Listed        []int64  `json:"listed"`         // institutions excluded (fit) or chosen (chosen)
}

// checkNeed validates in for enterprise ent and resolves its chains.
func (s *Service) checkNeed(ctx context.Context, ent int64, in *NeedInput) ([]ChainRef, error) {
	var p problems
	in.Title, in.UseOfFunds = strings.TrimSpace(in.Title), strings.TrimSpace(in.UseOfFunds)
	p.text("title", in.Title, true, 100, "需求标题", "title")
	p.text("use_of_funds", in.UseOfFunds, true, 2000, "资金用途", "use of funds")
	p.amount("amount_fen", in.AmountFen, MaxNeedFen, true, "融资金额")
	if !known(Instruments, in.Instrument) {
		p.add("instrument", in.Instrument, "融资方式应为：股权融资、贷款、可转债、融资担保、知识产权质押贷款或融资租赁", "unknown instrument: "+in.Instrument)
	}
	if !known(Stages, in.Stage) {
		p.add("stage", in.Stage, "融资阶段无效："+in.Stage, "unknown stage: "+in.Stage)
	}
	if in.Audience == "" {
		in.Audience = AudienceFit
	}
	if !known(Audiences, in.Audience) {
		p.add("audience", in.Audience, "可见范围无效："+in.Audience, "unknown audience: "+in.Audience)
	}
	if in.Audience == AudienceChosen && len(in.Listed) == 0 {
		p.add("listed", "", "请选择可以查看该需求的机构", "choose the institutions that may see the need")
	}
	if len(in.SharedFigures) > 0 {
		inds, err := s.Registry.Indicators(ctx)
		if err != nil {
			return nil, err
		}
		var ok []Label
		for _, i := range inds {
			ok = append(ok, Label{Code: i.Code})
		}
		in.SharedFigures = p.codes("shared_figures", in.SharedFigures, ok, false, "共享指标", "shared figure")
	}
	chains := in.Chains
	if len(chains) == 0 {
		e, err := s.Registry.Get(ctx, enterprise.Viewer{Role: org.Enterprise, EnterpriseID: ent}, ent)
		if err != nil {
			return nil, err
		}
		for _, c := range e.Chains {
			chains = append(chains, c.Code)
		}
	}
	refs, bad, err := s.chainRefs(ctx, chains)
	if err != nil {
		return nil, err
	}
	for _, c := range bad {
		p.add("chains", c, "没有这条产业链："+c, "unknown industry chain: "+c)
	}
	if len(chains) == 0 {
		p.add("chains", "", "请至少选择一条产业链（企业库中未登记本企业的产业链）", "choose at least one chain (the registry places the enterprise on none)")
	}
	if err := p.err("融资需求填写有误", "the need has errors"); err != nil {
		return nil, err
	}
	return refs, nil
}

// checkListed checks that every listed institution is approved, inside tx.
func checkListed(ctx context.Context, tx *sql.Tx, ids []int64) ([]int64, error) {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		var state string
		err := tx.QueryRowContext(ctx, "SELECT state FROM finance_institutions WHERE id = $1", id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && state != InstApproved) {
			return nil, errs.Field("listed", "所选机构不存在或未入库："+strconv.FormatInt(id, 10), "no approved institution "+strconv.FormatInt(id, 10))
		}
		if err != nil {
			return nil, fmt.Errorf("finance: listed institution: %w", err)
		}
		out = append(out, id)
	}
	return out, nil
}

func writeAudience(ctx context.Context, tx *sql.Tx, need int64, ids []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM finance_need_audience WHERE need_id = $1", need); err != nil {
		return fmt.Errorf("finance: audience of need %d: %w", need, err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, "INSERT INTO finance_need_audience (need_id, institution_id) VALUES ($1,$2)", need, id); err != nil {
			return fmt.Errorf("finance: audience of need %d: %w", need, err)
		}
	}
	return nil
}

// refitNeed rewrites need's rows in finance_need_nodes (migration 0630)
// from the need and its chains, as they stand in tx: one row per chain
// node while it is open, none once closed.
func refitNeed(ctx context.Context, tx *sql.Tx, need int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM finance_need_nodes WHERE need_id = $1", need); err != nil {
		return fmt.Errorf("finance: nodes of need %d: %w", need, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO finance_need_nodes (node_id, instrument, stage, amount_fen, audience, need_id)
		SELECT c.node_id, n.instrument, n.stage, n.amount_fen, n.audience, n.id
		FROM finance_need_chains c JOIN finance_needs n ON n.id = c.need_id WHERE n.id = $1 AND n.state = 'open'`, need); err != nil {
		return fmt.Errorf("finance: nodes of need %d: %w", need, err)
	}
	return nil
}

// Post records a financing need of v's enterprise, with its pitch deck
// and other files through the upload check. Errors: Forbidden (not an
// enterprise account), Invalid naming each bad field or file.
func (s *Service) Post(ctx context.Context, v Viewer, in NeedInput, files []Upload) (Need, error) {
	if !v.enterprise() {
		return Need{}, errs.New(errs.Forbidden, "只有企业账号可以发布融资需求", "only an enterprise account can post a financing need")
	}
	refs, err := s.checkNeed(ctx, v.EnterpriseID, &in)
	if err != nil {
		return Need{}, err
	}
	kept, err := s.checkFiles(files)
	if err != nil {
		return Need{}, err
	}
	bs, err := s.Registry.Briefs(ctx, nil, []int64{v.EnterpriseID})
	if err != nil {
		return Need{}, err
	}
	var id int64
	now := s.nowMS()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		listed, err := checkListed(ctx, tx, in.Listed)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO finance_needs (enterprise_id, enterprise_name, title, amount_fen, instrument, stage,
			use_of_funds, shared_figures, audience, state, synthetic, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$13) RETURNING id`,
			v.EnterpriseID, bs[v.EnterpriseID].Name, in.Title, in.AmountFen, in.Instrument, in.Stage, in.UseOfFunds,
			strings.Join(in.SharedFigures, ","), in.Audience, NeedOpen, s.Synthetic, nullID(v.UserID), now).Scan(&id); err != nil {
			return fmt.Errorf("finance: post need: %w", err)
		}
		for _, c := range refs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO finance_need_chains (need_id, node_id) VALUES ($1,$2)", id, c.ID); err != nil {
				return fmt.Errorf("finance: chains of need %d: %w", id, err)
			}
		}
		if err := writeAudience(ctx, tx, id, listed); err != nil {
			return err
		}
		if err := refitNeed(ctx, tx, id); err != nil {
			return err
		}
		if err := s.storeFiles(ctx, tx, id, files, kept); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.need.post", "finance_need", id, nil, map[string]any{"title": in.Title,
			"amount_fen": in.AmountFen, "instrument": in.Instrument, "stage": in.Stage, "audience": in.Audience,
			"chains": chainCodes(refs)})
	})
	if err != nil {
		return Need{}, err
	}
	return s.Need(ctx, v, id)
}

func chainCodes(refs []ChainRef) string {
	var cs []string
	for _, c := range refs {
		cs = append(cs, c.Code)
	}
	return strings.Join(cs, "、")
}

// SetAudience changes who sees an open need: its enterprise only.
// Institutions that already have a match on it keep reading it. Errors:
// NotFound, Forbidden, Invalid.
func (s *Service) SetAudience(ctx context.Context, v Viewer, id int64, audience string, listed []int64) (Need, error) {
	n, err := s.Need(ctx, v, id)
	if err != nil {
		return Need{}, err
	}
	if !v.enterprise() || n.EnterpriseID != v.EnterpriseID {
		return Need{}, errs.New(errs.Forbidden, "只有发布需求的企业可以设置可见范围", "only the need's enterprise may set who sees it")
	}
	if !known(Audiences, audience) {
		return Need{}, errs.Field("audience", "可见范围无效："+audience, "unknown audience: "+audience)
	}
	if audience == AudienceChosen && len(listed) == 0 {
		return Need{}, errs.Field("listed", "请选择可以查看该需求的机构", "choose the institutions that may see the need")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ids, err := checkListed(ctx, tx, listed)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE finance_needs SET audience = $1, updated_at = $2 WHERE id = $3", audience, s.nowMS(), id); err != nil {
			return fmt.Errorf("finance: audience of need %d: %w", id, err)
		}
		if err := writeAudience(ctx, tx, id, ids); err != nil {
			return err
		}
		if err := refitNeed(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.need.audience", "finance_need", id, map[string]any{"audience": n.Audience, "institutions": len(n.Listed)},
			map[string]any{"audience": audience, "institutions": len(ids)})
	})
	if err != nil {
		return Need{}, err
	}
	return s.Need(ctx, v, id)
}

// CloseNeed ends a need's visibility to new institutions: its enterprise
// or a supervisor. Its matches go on. Errors: NotFound, Forbidden,
// Conflict (already closed).
func (s *Service) CloseNeed(ctx context.Context, v Viewer, id int64) (Need, error) {
	n, err := s.Need(ctx, v, id)
	if err != nil {
		return Need{}, err
	}
	if !v.Runs() && !(v.enterprise() && n.EnterpriseID == v.EnterpriseID) {
		return Need{}, errs.New(errs.Forbidden, "只有发布需求的企业或工作人员可以关闭需求", "only the need's enterprise or staff may close it")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE finance_needs SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4", NeedClosed, s.nowMS(), id, NeedOpen)
		if err != nil {
			return fmt.Errorf("finance: close need %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "需求已关闭", "the need is already closed")
		}
		if err := refitNeed(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.need.close", "finance_need", id, map[string]string{"state": NeedOpen}, map[string]string{"state": NeedClosed})
	})
	if err != nil {
		return Need{}, err
	}
	return s.Need(ctx, v, id)
}

const needCols = `SELECT id, enterprise_id, enterprise_name, title, amount_fen, instrument, stage, use_of_funds, shared_figures,
	audience, state, synthetic, created_at, updated_at FROM finance_needs`

func scanNeed(sc interface{ Scan(...any) error }) (Need, error) {
	var n Need
	var shared string
	err := sc.Scan(&n.ID, &n.EnterpriseID, &n.EnterpriseName, &n.Title, &n.AmountFen, &n.Instrument, &n.Stage, &n.UseOfFunds, &shared,
		&n.Audience, &n.State, &n.Synthetic, &n.CreatedAt, &n.UpdatedAt)
	n.SharedFigures = []string{}
	if shared != "" {
		n.SharedFigures = strings.Split(shared, ",")
	}
	return n, err
}

// need reads one need with its chains, whoever asks. Errors: NotFound.
func (s *Service) need(ctx context.Context, q db.Querier, id int64) (Need, error) {
	n, err := scanNeed(q.QueryRowContext(ctx, needCols+" WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, errNoNeed
	}
	if err != nil {
		return n, fmt.Errorf("finance: need %d: %w", id, err)
	}
	return n, s.fillChains(ctx, q, []*Need{&n})
}

// fillChains adds each need's chains, in one query.
func (s *Service) fillChains(ctx context.Context, q db.Querier, ns []*Need) error {
	if len(ns) == 0 {
		return nil
	}
	by := make(map[int64]*Need, len(ns))
	ids := make([]int64, len(ns))
	for k, n := range ns {
		by[n.ID], ids[k] = n, n.ID
		n.Chains = []ChainRef{}
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return err
	}
	// c.node_id, qualified: PostgreSQL would take a bare node_id for the
	// output column of that name, the text, and put node 11 before 7.
	ps, err := pairs(ctx, q, "SELECT c.need_id, CAST(c.node_id AS TEXT) FROM finance_need_chains c WHERE c.need_id IN ("+idList(ids)+") ORDER BY c.need_id, c.node_id")
	if err != nil {
		return err
	}
	for _, p := range ps {
		nid, _ := strconv.ParseInt(p.v, 10, 64)
		by[p.id].Chains = append(by[p.id].Chains, nodes[nid])
	}
	return nil
}

// canRead decides whether v reads need n; staff and the enterprise also
// read its audience list.
func (s *Service) canRead(ctx context.Context, v Viewer, n *Need) error {
	switch {
	case v.UserID == 0 && !v.enterprise():
		return errNoNeed
	case v.Staff(), v.enterprise() && v.EnterpriseID == n.EnterpriseID:
		ps, err := pairs(ctx, s.DB.R, "SELECT institution_id, '' FROM finance_need_audience WHERE need_id = $1 ORDER BY institution_id", n.ID)
		if err != nil {
			return err
		}
		n.Listed = []int64{}
		for _, p := range ps {
			n.Listed = append(n.Listed, p.id)
		}
		return nil
	case v.investor():
		id, _, err := s.member(ctx, s.DB.R, v)
		if err != nil {
			return err
		}
		if id == 0 {
			return errNoNeed
		}
		inst, err := s.institution(ctx, s.DB.R, id)
		if err != nil {
			return err
		}
		ok, err := s.sees(ctx, s.DB.R, inst, *n)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errNoNeed
}

// Need reads one need as v may see it, with the figures it shares and its
// files. Errors: NotFound (also for every caller who may not see it).
func (s *Service) Need(ctx context.Context, v Viewer, id int64) (Need, error) {
	n, err := s.need(ctx, s.DB.R, id)
	if err != nil {
		return Need{}, err
	}
	if err := s.canRead(ctx, v, &n); err != nil {
		return Need{}, err
	}
	if n.Files, err = s.files(ctx, id); err != nil {
		return Need{}, err
	}
	n.Figures, err = s.sharedFigures(ctx, n)
	return n, err
}

// sharedFigures reads the figures a need shares from the registry: each
// indicator's latest confirmed yearly value among the three years before
// today's.
func (s *Service) sharedFigures(ctx context.Context, n Need) ([]SharedFigure, error) {
	out := []SharedFigure{}
	if len(n.SharedFigures) == 0 {
		return out, nil
	}
	y, _ := strconv.Atoi(s.Today()[:4])
	years := []int{y - 1, y - 2, y - 3}
	vals, err := s.Registry.EffectiveFigures(ctx, nil, years, n.SharedFigures, []int64{n.EnterpriseID})
	if err != nil {
		return nil, err
	}
	inds, err := s.Registry.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	for _, code := range n.SharedFigures {
		for _, ind := range inds {
			if ind.Code != code {
				continue
			}
			for _, yr := range years {
				if v, ok := vals[enterprise.FigureKey{EnterpriseID: n.EnterpriseID, Indicator: code, Year: yr}]; ok {
					out = append(out, SharedFigure{Indicator: code, NameZH: ind.NameZH, NameEN: ind.NameEN, Unit: ind.Unit, Scale: ind.Scale, Year: yr, Value: v})
					break
				}
			}
		}
	}
	return out, nil
}

// NeedFilter narrows a list of needs.
type NeedFilter struct {
	State string
	Limit int   // default 100, at most 500
	below int64 // exports page by id, newest first: only ids below this
}

// Needs lists needs newest first: an enterprise its own, staff every one.
// Institutions read the needs that fit them through MatchNeeds. Errors:
// Forbidden for anyone else, Invalid (a bad filter).
func (s *Service) Needs(ctx context.Context, v Viewer, f NeedFilter) ([]Need, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	var conds []string
	switch {
	case v.Staff():
	case v.enterprise():
		conds = append(conds, "enterprise_id = "+arg(v.EnterpriseID))
	default:
		return nil, errs.New(errs.Forbidden, "只有企业和工作人员可以列出融资需求", "only enterprises and staff list needs")
	}
	if f.State != "" {
		if f.State != NeedOpen && f.State != NeedClosed {
			return nil, errs.Field("state", "需求状态无效："+f.State, "unknown state: "+f.State)
		}
		conds = append(conds, "state = "+arg(f.State))
	}
	if f.below != 0 {
		conds = append(conds, "id < "+arg(f.below))
	}
	q := needCols
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q+" ORDER BY id DESC LIMIT "+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("finance: needs: %w", err)
	}
	out, err := scanAll(rows, scanNeed)
	if err != nil {
		return nil, err
	}
	ps := make([]*Need, len(out))
	for k := range out {
		ps[k] = &out[k]
	}
	return out, s.fillChains(ctx, s.DB.R, ps)
}
