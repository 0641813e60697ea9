package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/xlsx"
)

// A batch imported from a spreadsheet (场景机会清单 as the zone collects it
// in Excel): one row per call, read through the project's one .xlsx reader
// and checked by the same rules as a need typed in a form, all or nothing.
// Every bad cell is reported by its row and its column (letter and Chinese
// header); if any is bad nothing is written. The imported calls go into a
// batch being prepared as approved (审核通过): the rows were reviewed
// before they were listed. Publishing stays a separate step.

// sheetColumn is one column of the batch template.
type sheetColumn struct {
	key, header, note string
	required          bool
}

// batchColumns are the template's columns, in order.
var batchColumns = []sheetColumn{
	{"title", "场景名称", "不超过 100 字", true},
	{"category", "场景类别", "重大项目载体、产业数字化转型、城市建设与城市更新、城市管理和民生服务之一", true},
	{"chains", "产业链", "产业链名称或代码，多条用顿号“、”分隔，如：物联网、传感器", true},
	{"owner", "提出方", "单位名称或代码，或企业的统一社会信用代码", true},
	{"problem", "需解决的问题", "不超过 4000 字", true},
	{"capabilities", "所需能力", "不超过 4000 字", false},
	{"site", "场景地点", "不超过 500 字", false},
	{"data_open", "开放的数据与资源", "不超过 2000 字", false},
	{"budget_fen", "预算（元）", "以元为单位的数字，最多两位小数", true},
	{"price_cap", "报价不得超过预算", "是 或 否，空白为“是”", false},
	{"deadline", "揭榜截止日期", "YYYY-MM-DD，不早于今天", true},
	{"ends_on", "实施完成日期", "YYYY-MM-DD，晚于揭榜截止日期", true},
	{"contact_name", "联系人", "", true},
	{"contact_phone", "联系电话", "7–20 位数字，可含 +、- 和空格", true},
}

// BatchImport reports an import: the calls added, or every bad cell.
type BatchImport struct {
	Filename string  `json:"filename"`
	BatchID  int64   `json:"batch_id"`
	Rows     int     `json:"rows"`
	NeedIDs  []int64 `json:"need_ids"`
}

// maxImportBytes bounds an uploaded batch file and what it may unpack to.
const maxImportBytes = 8 << 20

// columnLabel names a column as a person finds it: its letter and header.
func columnLabel(i int) string {
	return xlsx.ColumnName(i+1) + " 列「" + batchColumns[i].header + "」"
}

func normHeader(s string) string {
	return strings.NewReplacer(" ", "", "　", "", "(", "（", ")", "）", "*", "").Replace(strings.TrimSpace(s))
}

// importRow is one parsed row.
type importRow struct {
	line  int
	in    NeedInput
	owner Need // owner kind, id and name
	refs  []ChainRef
}

// ImportBatch reads a spreadsheet of calls into batch batchID, which must
// be in preparation. Supervisors only. Errors: Forbidden, NotFound,
// Conflict (the batch is published), TooLarge, Invalid naming each bad
// row and column (nothing written).
func (s *Service) ImportBatch(ctx context.Context, v Viewer, batchID int64, filename string, data []byte) (BatchImport, error) {
	res := BatchImport{Filename: filename, BatchID: batchID, NeedIDs: []int64{}}
	if err := mustRun(v); err != nil {
		return res, err
	}
	b, err := s.Batch(ctx, v, batchID)
	if err != nil {
		return res, err
	}
	if b.State != BatchDraft {
		return res, errs.New(errs.Conflict, fmt.Sprintf("第 %d 批已发布，不能再导入", b.Seq), fmt.Sprintf("batch %d is already published", b.Seq))
	}
	if len(data) > maxImportBytes {
		e := errs.Field("file", fmt.Sprintf("文件超过 %d MB 的上限，未导入", maxImportBytes>>20), fmt.Sprintf("the file is over %d MB: nothing imported", maxImportBytes>>20))
		e.Code = errs.TooLarge
		return res, e
	}
	rows, err := s.readBatchSheet(ctx, data, maxBatch-b.Needs)
	if err != nil {
		return res, err
	}
	res.Rows = len(rows)
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			id, err := s.insertImported(ctx, tx, v, batchID, r)
			if err != nil {
				return err
			}
			res.NeedIDs = append(res.NeedIDs, id)
		}
		return s.record(ctx, tx, "scenario.batch.import", "scenario_batch", batchID, nil,
			map[string]any{"filename": filename, "rows": len(rows), "seq": b.Seq})
	})
	if err != nil {
		return BatchImport{Filename: filename, BatchID: batchID, NeedIDs: []int64{}}, err
	}
	return res, nil
}

func (s *Service) insertImported(ctx context.Context, tx *sql.Tx, v Viewer, batchID int64, r importRow) (int64, error) {
	in, o := r.in, r.owner
	var id int64
	now := s.nowMS()
	phone, err := s.DB.Crypto.Seal(needPhone.Field(), in.ContactPhone)
	if err != nil {
		return 0, fmt.Errorf("scenario: import row %d: %w", r.line, err)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO scenario_needs (title, category, owner_kind, owner_unit_id, owner_enterprise_id, owner_name,
		problem, capabilities, site, data_open, budget_fen, price_cap, deadline, ends_on, contact_name, contact_phone, state, batch_id,
		submitted_by, created_at, updated_at, synthetic) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$20,$21) RETURNING id`,
		in.Title, in.Category, o.OwnerKind, nullID(o.OwnerUnitID), nullID(o.OwnerEnterpriseID), o.OwnerName,
		in.Problem, in.Capabilities, in.Site, in.DataOpen, in.BudgetFen, in.PriceCap, in.Deadline, in.EndsOn,
		in.ContactName, phone, StateApproved, batchID, nullID(v.UserID), now, s.Synthetic).Scan(&id); err != nil {
		return 0, fmt.Errorf("scenario: import row %d: %w", r.line, err)
	}
	if err := setChains(ctx, tx, id, r.refs); err != nil {
		return 0, err
	}
	for _, p := range []string{PhaseCollect, PhaseReview} {
		if err := s.phase(ctx, tx, id, p); err != nil {
			return 0, err
		}
	}
	return id, s.record(ctx, tx, "scenario.need.submit", "scenario_need", id, nil, auditNeed(in, StateApproved))
}

// readBatchSheet reads and checks every row; any bad cell fails the whole
// file with every bad cell listed.
func (s *Service) readBatchSheet(ctx context.Context, data []byte, room int) ([]importRow, error) {
	x, err := xlsx.Open(data, xlsx.Within(4*maxImportBytes))
	switch {
	case errors.Is(err, xlsx.ErrTooLarge):
		e := errs.Field("file", "工作簿解压后过大，未导入任何场景", "the workbook unpacks to too much: nothing imported")
		e.Code = errs.TooLarge
		return nil, e
	case err != nil:
		return nil, errs.Field("file", "文件不是有效的 .xlsx 工作簿", "the file is not a valid .xlsx workbook")
	}
	defer x.Close()
	var ds []errs.Detail
	bad := func(row int, field, value, zh, en string) {
		if len(ds) < 1000 {
			ds = append(ds, errs.Detail{Row: row, Field: field, Value: value, Reason: zh, ReasonEN: en})
		}
	}
	col := make([]int, len(batchColumns)) // column index in the file of each template column, -1 if absent
	header := false
	var rows []importRow
	owners, err := s.ownerFinder(ctx)
	if err != nil {
		return nil, err
	}
	for x.Next() {
		cells := x.Row()
		if !header {
			header = true
			at := map[string]int{}
			for i, c := range cells {
				at[normHeader(c)] = i
			}
			for i, c := range batchColumns {
				j, ok := at[normHeader(c.header)]
				if !ok {
					j = -1
					if c.required {
						bad(x.Num(), c.header, "", "缺少必填列「"+c.header+"」，请使用下载的模板", "the required column "+c.header+" is missing; use the template")
					}
				}
				col[i] = j
			}
			if len(ds) > 0 {
				return nil, errs.List("表头不符合模板，未导入任何场景", "the header does not match the template: nothing imported", ds)
			}
			continue
		}
		get := func(i int) string {
			if col[i] < 0 || col[i] >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[col[i]])
		}
		blank := true
		for i := range batchColumns {
			blank = blank && get(i) == ""
		}
		if blank {
			continue
		}
		if len(rows) >= room {
			bad(x.Num(), "", "", fmt.Sprintf("批次最多容纳 %d 个场景，表格超出", maxBatch), fmt.Sprintf("a batch holds at most %d calls", maxBatch))
			break
		}
		r := importRow{line: x.Num()}
		s.parseRow(ctx, &r, get, owners, bad)
		rows = append(rows, r)
	}
	if err := x.Err(); err != nil {
		if h, ok := errors.AsType[*xlsx.HiddenError](err); ok {
			zh, en := h.Messages()
			return nil, errs.List(zh, en, []errs.Detail{{Row: h.Row, Field: h.Column, Reason: zh, ReasonEN: en}})
		}
		return nil, errs.Field("file", fmt.Sprintf("第 %d 行无法读取，未导入任何场景", x.Num()), fmt.Sprintf("row %d cannot be read: nothing imported", x.Num()))
	}
	if !header || len(rows) == 0 && len(ds) == 0 {
		return nil, errs.Field("file", "表格中没有场景", "the sheet holds no call")
	}
	if len(ds) > 0 {
		return nil, errs.List(fmt.Sprintf("表格有 %d 处错误，未导入任何场景", len(ds)), fmt.Sprintf("%d errors in the sheet: nothing imported", len(ds)), ds)
	}
	return rows, nil
}

// parseRow reads one row into r, reporting each bad cell through bad.
func (s *Service) parseRow(ctx context.Context, r *importRow, get func(int) string, owners func(string) (Need, bool), bad func(int, string, string, string, string)) {
	idx := map[string]int{}
	for i, c := range batchColumns {
		idx[c.key] = i
	}
	at := func(key string) string { return get(idx[key]) }
	label := func(key string) string { return columnLabel(idx[key]) }
	in := NeedInput{Title: at("title"), Problem: at("problem"), Capabilities: at("capabilities"), Site: at("site"),
		DataOpen: at("data_open"), ContactName: at("contact_name"), ContactPhone: at("contact_phone"), PriceCap: true}
	in.Category = at("category")
	for _, c := range Categories {
		if in.Category == c.NameZH {
			in.Category = c.Code
		}
	}
	unreadable := map[string]bool{}
	in.Chains = strings.FieldsFunc(at("chains"), func(r rune) bool { return strings.ContainsRune("、，,;；/ \n", r) })
	switch v := at("price_cap"); v {
	case "", "是", "Y", "y", "yes", "Yes", "TRUE", "true", "1":
	case "否", "N", "n", "no", "No", "FALSE", "false", "0":
		in.PriceCap = false
	default:
		bad(r.line, label("price_cap"), v, "应填“是”或“否”", "must be 是 (yes) or 否 (no)")
	}
	if v := at("budget_fen"); v != "" {
		fen, ok := yuanToFen(v)
		if !ok {
			unreadable["budget_fen"] = true
			bad(r.line, label("budget_fen"), v, "预算应为以元为单位的数字，最多两位小数", "the budget must be a number of yuan with at most two decimals")
		} else {
			in.BudgetFen = fen
		}
	}
	for _, key := range []string{"deadline", "ends_on"} {
		if v := at(key); v != "" {
			d, e := enterprise.ParseDate(v)
			if e != nil {
				unreadable[key] = true
				bad(r.line, label(key), v, "日期应为 YYYY-MM-DD", "a date must be YYYY-MM-DD")
				continue
			}
			if key == "deadline" {
				in.Deadline = d
			} else {
				in.EndsOn = d
			}
		}
	}
	if v := at("owner"); v == "" {
		bad(r.line, label("owner"), "", "请填写提出方", "the owner is required")
	} else if o, ok := owners(v); !ok {
		bad(r.line, label("owner"), v, "没有这个单位，也没有该统一社会信用代码的企业", "no unit by that name or code, and no enterprise with that credit code")
	} else {
		r.owner = o
	}
	refs, err := s.check(ctx, &in)
	if err != nil {
		e := errs.As(err)
		if e.Code != errs.Invalid {
			bad(r.line, "", "", "无法检查该行", "the row could not be checked")
			return
		}
		for _, d := range e.Details {
			if _, ok := idx[d.Field]; !ok {
				bad(r.line, d.Field, d.Value, d.Reason, d.ReasonEN)
				continue
			}
			if unreadable[d.Field] {
				continue // already reported as unreadable
			}
			bad(r.line, label(d.Field), d.Value, d.Reason, d.ReasonEN)
		}
	}
	r.in, r.refs = in, refs
}

// yuanToFen reads an amount of 元 as a cell holds it: text with at most
// two decimals and separators, or a number stored with binary noise
// (1234.5600000001) within a millionth of a whole fen.
func yuanToFen(v string) (int64, bool) {
	if fen, ok := money.ParseAmount(v, false); ok {
		return fen, true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || f > float64(money.MaxFen)/100 {
		return 0, false
	}
	fen := math.Round(f * 100)
	if math.Abs(f*100-fen) > 1e-6*math.Max(1, math.Abs(fen)) {
		return 0, false
	}
	return int64(fen), true
}

// ownerFinder resolves an owner cell: a unit's Chinese name or code, or
// an enterprise's credit code.
func (s *Service) ownerFinder(ctx context.Context) (func(string) (Need, bool), error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return nil, err
	}
	return func(v string) (Need, bool) {
		for _, u := range units {
			if !u.Disabled && (u.NameZH == v || strings.EqualFold(u.Code, v)) {
				return Need{OwnerKind: OwnerUnit, OwnerUnitID: u.ID, OwnerName: u.NameZH}, true
			}
		}
		b, err := s.Registry.BriefByCode(ctx, v)
		if err != nil {
			return Need{}, false
		}
		return Need{OwnerKind: OwnerEnterprise, OwnerEnterpriseID: b.ID, OwnerName: b.Name}, true
	}, nil
}

// templateChains lists the chain names a person may type, for the
// template's notes.
func templateChains(tree []enterprise.ChainNode) string {
	names := make([]string, 0, len(tree))
	for _, n := range tree {
		names = append(names, n.NameZH+"（"+n.Code+"）")
	}
	return strings.Join(slices.Clip(names), "、")
}
