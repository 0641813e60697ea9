package plan

import (
	"fmt"
	"net/http"
	"strconv"

	"gaoxin/internal/pdf"
	"gaoxin/internal/plan"
	"gaoxin/internal/web"
)

// handleBulletinPDF serves the month's zone-wide bulletin (通报) as an A4
// PDF with its Chinese text: the units ranked by score, with the figures
// the score is made of and the formula.
func (s *handlers) handleBulletinPDF(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletin(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", web.Attachment(fmt.Sprintf("%d年%d月督查通报.pdf", b.Year, b.Month)))
	_, err = w.Write(bulletinPDF(b))
	return err
}

// bulletinPDF lays a bulletin out on A4.
func bulletinPDF(b *plan.Bulletin) []byte {
	d := pdf.New(fmt.Sprintf("%d 年 %d 月工作计划督查通报", b.Year, b.Month))
	d.Heading(fmt.Sprintf("%d 年 %d 月工作计划督查通报", b.Year, b.Month), 1)
	st := b.Settings
	d.Para(fmt.Sprintf("统计截至 %s。各单位按得分排名：得分 = (%d × 完成率 + %d × 按期率 + %d × 报告及时率) ÷ %d − %d × 红牌数，取 0–100 分。",
		b.Date, st.ScoreDone, st.ScoreOnTime, st.ScoreReport, st.ScoreDone+st.ScoreOnTime+st.ScoreReport, st.ScoreRedCost))
	rows := make([][]string, 0, len(b.Units))
	for _, u := range b.Units {
		rows = append(rows, []string{strconv.Itoa(u.Rank), u.Unit.NameZH, strconv.Itoa(u.Tasks), strconv.Itoa(u.Done),
			plan.Pct(u.Completion), plan.Pct(u.OnTimeRate), plan.Pct(u.ReportRate), strconv.Itoa(u.Red), plan.Points(u.Score)})
	}
	d.Table([]float64{1.1, 4.5, 1.2, 1.2, 1.6, 1.6, 1.6, 1.2, 1.4},
		[]string{"排名", "单位", "牵头任务", "已完成", "完成率", "按期率", "报告及时率", "红牌", "得分"}, rows)
	return d.Bytes()
}
