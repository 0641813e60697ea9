package award

import (
	"fmt"
	"net/http"
	"strconv"

	"gaoxin/internal/award"
	"gaoxin/internal/pdf"
	"gaoxin/internal/web"
)

// handleNoticePDF serves a notice (公示) as an A4 PDF with its Chinese
// text, for filing and for sending on: who is listed, by what method, the
// period and how to object. Whoever may read the notice page may download
// it.
func (s *handlers) handleNoticePDF(w http.ResponseWriter, r *http.Request) error {
	v, err := s.noticeView(r)
	if err != nil {
		return err
	}
	words, err := s.Award.Words(r.Context())
	if err != nil {
		return err
	}
	b := noticePDF(v, words)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", web.Attachment(v.Programme.NameZH+" 公示.pdf"))
	_, err = w.Write(b)
	return err
}

// noticePDF lays the notice out on A4.
func noticePDF(v noticeView, words award.Words) []byte {
	p := v.Programme
	d := pdf.New(p.NameZH + " 公示")
	d.Heading(p.NameZH+" 拟入选名单公示", 1)
	switch {
	case p.State == award.StateNotice:
		d.Para(fmt.Sprintf("公示期：%s 至 %s。公示期内，任何单位和个人对名单有异议的，可通过平台的公示页面提交异议并附证明材料，凭回执号查询处理结果。", web.DateTime(p.NoticeFrom), web.DateTime(p.NoticeUntil)))
	default:
		zh, _ := award.StateLabel(p.State)
		d.Para("本名单公示期已结束，当前状态：" + zh + "。")
	}
	d.Para(fmt.Sprintf("第 %d 轮排名：参与排名 %d 家，未纳入排名 %d 家；已收到异议 %d 件。", v.Round, v.Ranked, v.Excluded, v.Objections))
	if conds := words.Eligibility(p.Rules); len(conds) > 0 {
		d.Heading("参评条件", 2)
		for _, c := range conds {
			d.Para("· " + c.ZH)
		}
	}
	if len(p.Rules.Terms) > 0 {
		d.Heading("评分方法", 2)
		rows := make([][]string, 0, len(p.Rules.Terms))
		for _, t := range p.Rules.Terms {
			data := words.Data(t, p.Rules.DataYear).ZH
			if t.Source == award.SourceExpert {
				data = fmt.Sprintf("专家评审均分（%d 人及以上评分时去掉一个最高分和一个最低分）", p.Rules.PanelTrimAt())
			}
			rows = append(rows, []string{t.NameZH, data, words.Transform(t).ZH, strconv.Itoa(t.Weight)})
		}
		d.Table([]float64{3, 5, 5, 1.2}, []string{"评分项", "数据", "折算方法", "权重"}, rows)
	}
	d.Heading("拟入选名单", 2)
	rows := make([][]string, 0, len(v.Winners))
	for _, e := range v.Winners {
		rows = append(rows, []string{strconv.Itoa(e.Rank), e.Name, e.CreditCode, e.Total.Short(), e.Grade})
	}
	item, _ := words.Item(p.Rules.Subject)
	who := item + "名称"
	d.Table([]float64{1.2, 6, 4.2, 2, 1.2}, []string{"名次", who, "统一社会信用代码", "总分", "分档"}, rows)
	d.Para("排名结果的 SHA-256 校验值：" + v.Digest)
	return d.Bytes()
}
