package insight

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/web"
)

// Downloads of the chain map and the breakdowns: the figures as .xlsx
// (numbers as numeric cells, money in 元 so a column sums, the year and
// the source on a second sheet) and the charts as SVG images. They read
// through the same service calls, and so the same access rules, as the
// pages.

func (h *handlers) exportRoutes() {
	h.Handle("GET /insight/chains.xlsx", "Export the chain map's figures of a year (?year=) as .xlsx", readers, h.exportChains)
	h.Handle("GET /insight/breakdown.xlsx", "Export a breakdown (?a=&b=&year=&measure=) as .xlsx", readers, h.exportBreakdown)
	h.Handle("GET /insight/map.svg", "Download the chain map of a year (?year=) as an SVG image", readers, h.exportMapSVG)
	h.Handle("GET /insight/breakdown.svg", "Download a breakdown's heat map (?a=&b=&year=&measure=) as an SVG image", readers, h.exportBreakdownSVG)
}

// book is a workbook being filled: one sheet of figures and one of notes.
type book struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	sheet string
	yuan  int
	bold  int
	pct   int
}

func newBook(sheet string) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, sheet: sheet}
	fail := func(err error) (*book, error) {
		f.Close()
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fail(err)
	}
	money, pct := "#,##0.00", "0.0%"
	var err error
	if b.yuan, err = f.NewStyle(&excelize.Style{CustomNumFmt: &money}); err != nil {
		return fail(err)
	}
	if b.pct, err = f.NewStyle(&excelize.Style{CustomNumFmt: &pct}); err != nil {
		return fail(err)
	}
	if b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return fail(err)
	}
	if b.sw, err = f.NewStreamWriter(sheet); err != nil {
		return fail(err)
	}
	return b, nil
}

// row writes cells at row n (1-based) of the figures' sheet.
func (b *book) row(n int, cells ...any) error {
	at, err := excelize.CoordinatesToCellName(1, n)
	if err != nil {
		return err
	}
	return b.sw.SetRow(at, cells)
}

func (b *book) money(fen int64) excelize.Cell {
	return excelize.Cell{StyleID: b.yuan, Value: float64(fen) / 100}
}

func (b *book) share(v *float64) any {
	if v == nil {
		return ""
	}
	return excelize.Cell{StyleID: b.pct, Value: *v}
}

func (b *book) head(n int, cols ...string) error {
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: b.bold, Value: c}
	}
	if err := b.sw.SetColWidth(1, len(cols), 16); err != nil {
		return err
	}
	return b.row(n, cells...)
}

// notes ends the figures' sheet and writes the second: what the figures
// are, for which year, from where.
func (b *book) notes(lines ...[2]string) error {
	if err := b.sw.Flush(); err != nil {
		return err
	}
	if _, err := b.f.NewSheet("说明"); err != nil {
		return err
	}
	for i, l := range lines {
		if err := b.f.SetSheetRow("说明", "A"+strconv.Itoa(i+1), &[]any{l[0], l[1]}); err != nil {
			return err
		}
	}
	return b.f.SetColWidth("说明", "A", "B", 40)
}

// send writes the workbook as a download named name.
func (b *book) send(w http.ResponseWriter, name string) error {
	defer b.f.Close()
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		return err
	}
	web.Spreadsheet(w, name)
	_, err := io.Copy(w, &buf)
	return err
}

// typed defuses a name that a spreadsheet would read as a formula.
func typed(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r\n", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (h *handlers) exportChains(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	m, err := h.Insight.ChainMap(r.Context(), insightViewer(r), year)
	if err != nil {
		return err
	}
	b, err := newBook("产业链图谱")
	if err != nil {
		return err
	}
	y, py := strconv.Itoa(year), strconv.Itoa(year-1)
	cols := []string{"节点代码 Code", "产业链 Chain", "层级 Depth", "当前企业数 Enterprises now", y + " 年填报企业数 Reporting",
		y + " 年营业收入（元）Revenue", y + " 年税收（元）Taxes", y + " 年研发投入（元）R&D", "研发强度 R&D intensity",
		py + " 年营业收入（元）Revenue", "营收增长 Growth"}
	for _, t := range insight.MapTiers {
		zh, en := enterprise.TierName(t)
		cols = append(cols, zh+" "+en)
	}
	cols = append(cols, "营收前三企业 Top enterprises")
	if err := b.head(1, cols...); err != nil {
		b.f.Close()
		return err
	}
	for i, n := range m.Nodes {
		tops := make([]string, len(n.Top))
		for k, l := range n.Top {
			tops[k] = l.Name
		}
		cells := []any{n.Node.Code, typed(n.Node.NameZH), n.Node.Depth, n.Now, n.Reporting, b.money(n.Revenue), b.money(n.Taxes), b.money(n.RDSpend),
			b.share(n.RDIntensity), b.money(n.PrevRevenue), b.share(n.Growth)}
		for _, t := range insight.MapTiers {
			cells = append(cells, n.Tiers[t])
		}
		cells = append(cells, typed(strings.Join(tops, "、")))
		if err := b.row(i+2, cells...); err != nil {
			b.f.Close()
			return err
		}
	}
	if err := b.notes(h.exportNotes(r, m.AreaID, [2]string{"年度 Year", y},
		[2]string{"当前 Now", "当前企业数为今天（" + m.NowLabel + "）存续的企业 / enterprises operating today"})...); err != nil {
		b.f.Close()
		return err
	}
	return b.send(w, "产业链图谱-"+y+".xlsx")
}

// exportNotes are the notes sheet's lines: those given, the source, and
// the area an office area's reader sees.
func (h *handlers) exportNotes(r *http.Request, area int64, lines ...[2]string) [][2]string {
	lines = append(lines, [2]string{"数据来源 Source", insight.SourceZH + " / " + insight.SourceEN})
	if area != 0 {
		if u, err := h.Org.UnitByID(r.Context(), area); err == nil {
			lines = append(lines, [2]string{"范围 Scope", u.NameZH})
		}
	}
	return lines
}

func (h *handlers) exportBreakdown(w http.ResponseWriter, r *http.Request) error {
	bd, err := h.breakdown(r)
	if err != nil {
		return err
	}
	b, err := newBook("交叉分析")
	if err != nil {
		return err
	}
	az, ae := insight.DimName(bd.A)
	cols := []string{az + " " + ae}
	for _, c := range bd.Cols {
		cols = append(cols, c.ZH+" "+c.EN)
	}
	if err := b.head(1, cols...); err != nil {
		b.f.Close()
		return err
	}
	for i, row := range bd.Rows {
		cells := []any{typed(strings.Repeat("　", row.Depth) + row.ZH)}
		for _, v := range bd.Values[i] {
			if bd.Money {
				cells = append(cells, b.money(v))
			} else {
				cells = append(cells, v)
			}
		}
		if err := b.row(i+2, cells...); err != nil {
			b.f.Close()
			return err
		}
	}
	year := "当前企业库 the registry now"
	if bd.Year != 0 {
		year = strconv.Itoa(bd.Year)
	}
	measure := bd.MeasureZH + " " + bd.MeasureEN
	if bd.Money {
		measure += "（元）"
	}
	if err := b.notes(h.exportNotes(r, bd.AreaID, [2]string{"年度 Year", year}, [2]string{"统计量 Measure", measure})...); err != nil {
		b.f.Close()
		return err
	}
	return b.send(w, "交叉分析.xlsx")
}

// svg writes an image download.
func svg(w http.ResponseWriter, name string, body string) error {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Disposition", web.Attachment(name))
	_, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+body)
	return err
}

func (h *handlers) exportMapSVG(w http.ResponseWriter, r *http.Request) error {
	v := insightViewer(r)
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	m, err := h.Insight.ChainMap(r.Context(), v, year)
	if err != nil {
		return err
	}
	p := page{Page: h.Page(r, "产业链图谱", "Chain map")}
	return svg(w, "产业链图谱-"+strconv.Itoa(year)+".svg", string(mapTree(p, m, m.Nodes, strconv.Itoa(year)).SVG()))
}

func (h *handlers) exportBreakdownSVG(w http.ResponseWriter, r *http.Request) error {
	bd, err := h.breakdown(r)
	if err != nil {
		return err
	}
	p := page{Page: h.Page(r, "交叉分析", "Breakdown")}
	return svg(w, "交叉分析.svg", string(heatOf(p, bd).SVG()))
}
