package award_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"

	"gaoxin/internal/award"
)

// programmeForm is programmeBody() as a person types it into the form:
// amounts in 万元, indicators chosen by code from the lists, the term
// codes carried as the edit page carries them.
func programmeForm() url.Values {
	v := url.Values{
		"year": {"2023"}, "name_zh": {"2023 科技创新20强"}, "name_en": {"Top innovators 2023"}, "kind": {"ranking"}, "quota": {"2"},
		"notice_days": {"5"}, "unit": {"wan"}, "budget": {"200"}, "note": {""},
		"data_year": {"2022"}, "require_application": {"1"}, "tiers": {"hnte"}, "required": {"revenue"}, "no_flag": {"1"},
		"min_years": {""}, "tiers_valid_on": {""}, "trim_at": {""},
		"grading": {"1"}, "exempt": {"listed"}, "grade_a": {""}, "grade_b": {""}, "grade_c": {""}, "grade_d": {""},
		"money_kind": {"bands"}, "band_to": {"1", "2", ""}, "band_amount": {"100", "50", ""}, "amount": {""}, "per_point": {""}, "cap": {""},
		"crit_code": {"inno", "mgmt", ""}, "crit_name_zh": {"创新能力", "经营管理", ""}, "crit_name_en": {"Innovation", "Management", ""}, "crit_max": {"60", "40", ""},
		"action": {"save"},
	}
	terms := [][]string{
		// code, name_zh, name_en, source, indicator, denominator, transform, benchmark, cap, weight
		{"rd", "研发投入强度", "R&D intensity", "ratio", "rd_spend", "revenue", "benchmark", "0.05", "2", "30"},
		{"mu", "亩均税收", "Tax per mu", "ratio", "taxes", "land", "percentile", "", "", "25"},
		{"growth", "营业收入增长率", "Revenue growth", "growth", "revenue", "", "percentile", "", "", "20"},
		{"expert", "专家评审", "Expert panel", "expert", "", "", "benchmark", "100", "", "25"},
		{"", "", "", "figure", "", "", "minmax", "", "", ""}, // a blank row, as the page shows
	}
	for _, t := range terms {
		for i, name := range []string{"term_code", "term_name_zh", "term_name_en", "term_source", "term_indicator", "term_denominator",
			"term_transform", "term_benchmark", "term_cap", "term_weight"} {
			v.Add(name, t[i])
		}
	}
	return v
}

func createdID(t *testing.T, r interface{ Get(string) string }) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(r.Get("Location"), "/awards/programmes/%d", &id); err != nil {
		t.Fatalf("location %q", r.Get("Location"))
	}
	return id
}

// TestProgrammeFormEqualsJSON: the form and the JSON API make the same
// rules; amounts typed in 元 or in 万元 are the same fen.
func TestProgrammeFormEqualsJSON(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	r := sup.Form("/awards", programmeForm())
	want(t, r, http.StatusSeeOther, "create by form")
	fromForm, err := w.App.Award.Programme(context.Background(), createdID(t, r.Header))
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON award.Programme
	r = sup.Do("POST", "/api/v1/award/programmes", programmeBody())
	want(t, r, http.StatusCreated, "create by JSON")
	r.JSON(t, &fromJSON)
	if !reflect.DeepEqual(fromForm.Rules, fromJSON.Rules) {
		t.Fatalf("form rules\n%+v\nJSON rules\n%+v", fromForm.Rules, fromJSON.Rules)
	}
	if fromForm.BudgetFen != fromJSON.BudgetFen || fromForm.Quota != 2 || fromForm.NoticeDays != 5 || fromForm.NameEN != fromJSON.NameEN {
		t.Fatalf("form programme %+v, JSON %+v", fromForm, fromJSON)
	}
	yuan := programmeForm()
	yuan.Set("unit", "yuan")
	yuan.Set("budget", "2,000,000")
	yuan["band_amount"] = []string{"1000000.00", "500000", ""}
	r = sup.Form("/awards", yuan)
	want(t, r, http.StatusSeeOther, "create in 元")
	inYuan, _ := w.App.Award.Programme(context.Background(), createdID(t, r.Header))
	if !reflect.DeepEqual(inYuan.Rules, fromJSON.Rules) || inYuan.BudgetFen != fromJSON.BudgetFen {
		t.Fatalf("元 form: budget %d, rules %+v", inYuan.BudgetFen, inYuan.Rules.Money)
	}
	// The edit page shows what was saved, amounts in 万元, indicators by name.
	page := pageOf(t, sup.Get(fmt.Sprintf("/awards/programmes/%d/edit", fromForm.ID)))
	for _, s := range []string{`name="budget" id="budget" inputmode="decimal" value="200"`, `name="term_code" value="rd">`, `>研发投入（元）</option>`,
		`value="0.05"`, `<option value="wan" data-label="万元" selected>`, `id="weight-sum" for="terms" class="ok"`, `id="delete"`} {
		if !strings.Contains(page, s) {
			t.Errorf("edit page lacks %s", s)
		}
	}
}

// pageOf is the body of a 200 answer.
func pageOf(t *testing.T, r *webtest.Resp) string {
	t.Helper()
	want(t, r, http.StatusOK, "page")
	return string(r.Body)
}

// TestProgrammeFormShowsProblemsAndKeepsInput: a form that cannot be saved
// comes back (422) as typed, each problem named by its field in Chinese,
// and nothing is written.
func TestProgrammeFormShowsProblemsAndKeepsInput(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	count := func() int {
		var n int
		w.App.DB.R.QueryRow("SELECT (SELECT COUNT(*) FROM award_programmes) + (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'award.%')").Scan(&n)
		return n
	}
	before := count()
	cases := []struct {
		name   string
		edit   func(url.Values)
		field  string // the field named in words
		reason string
		kept   string // what was typed, shown again
	}{
		{"weights sum to 90", func(v url.Values) { v["term_weight"][1] = "15"; v["term_name_zh"][1] = "我改过的亩均税收" },
			"评分公式 · 权重合计", "各项权重之和为 90，应为 100", `value="我改过的亩均税收"`},
		{"a weight that is not a number", func(v url.Values) { v["term_weight"][2] = "二十" },
			"评分公式第 3 项 · 权重", "应填 1–100 的整数", `value="二十"`},
		{"a budget with letters", func(v url.Values) { v.Set("budget", "12abc") },
			"预算", "金额应为不小于 0 的数字（万元）", `value="12abc"`},
		{"three decimals in 元", func(v url.Values) { v.Set("unit", "yuan"); v.Set("budget", "1.001") },
			"预算", "最多两位小数", `value="1.001"`},
		{"no name", func(v url.Values) { v.Set("name_zh", ""); v.Set("note", "保留这条备注") },
			"名称（中文）", "缺少中文名称", `value="保留这条备注"`},
		{"bad grading bands", func(v url.Values) {
			v.Set("grade_a", "30")
			v.Set("grade_b", "30")
			v.Set("grade_c", "30")
			v.Set("grade_d", "30")
		},
			"分档比例（A/B/C/D）", "合计 100", `name="grade_d" type="number" min="0" max="100" class="short" value="30"`},
		{"a band amount with letters", func(v url.Values) { v["band_amount"][1] = "五十" },
			"奖励名次段第 2 段", "金额应为", `value="五十"`},
	}
	for _, c := range cases {
		v := programmeForm()
		c.edit(v)
		r := sup.Form("/awards", v)
		body := string(r.Body)
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", c.name, r.Code)
			continue
		}
		for _, s := range []string{"<strong>" + c.field + "</strong>", c.reason, c.kept, "未保存", `aria-invalid="true"`, `value="研发投入强度"`} {
			if !strings.Contains(body, s) {
				t.Errorf("%s: page lacks %s", c.name, s)
			}
		}
		if strings.Contains(body, "json:") || strings.Contains(body, "strconv") {
			t.Errorf("%s: a parser's message reached the page", c.name)
		}
	}
	if count() != before {
		t.Error("a refused form wrote")
	}
	// An edit that cannot be saved leaves the stored draft as it was.
	r := sup.Form("/awards", programmeForm())
	want(t, r, http.StatusSeeOther, "create")
	id := createdID(t, r.Header)
	v := programmeForm()
	v["term_weight"][0] = "40"
	want(t, sup.Form(fmt.Sprintf("/awards/programmes/%d/edit", id), v), http.StatusUnprocessableEntity, "edit with weights of 110")
	if p, _ := w.App.Award.Programme(context.Background(), id); p.Rules.Terms[0].Weight != 30 {
		t.Errorf("a refused edit changed the draft: %+v", p.Rules.Terms[0])
	}
	v["term_weight"][0], v["term_weight"][1] = "40", "15"
	want(t, sup.Form(fmt.Sprintf("/awards/programmes/%d/edit", id), v), http.StatusSeeOther, "edit with weights of 100")
}

// TestProgrammeFormNamesTermsByIndicator: a term left unnamed is named by
// its indicators in words and given a code.
func TestProgrammeFormNamesTermsByIndicator(t *testing.T) {
	w := newAwardWorld(t)
	v := programmeForm()
	for _, name := range []string{"term_code", "term_name_zh", "term_name_en"} {
		v[name] = []string{"", "", "", "", ""}
	}
	r := w.As("supervisor").Form("/awards", v)
	want(t, r, http.StatusSeeOther, "create")
	p, _ := w.App.Award.Programme(context.Background(), createdID(t, r.Header))
	var got []string
	for _, t := range p.Rules.Terms {
		got = append(got, t.Code+"="+t.NameZH)
	}
	if s := strings.Join(got, " "); s != "rd_spend_per_revenue=研发投入 ÷ 营业收入 taxes_per_land=利税/税收 ÷ 用地面积 revenue_growth=营业收入增长率 expert=专家评审" {
		t.Errorf("terms %s", s)
	}
}

// TestProgrammePreview: the preview ranks the registry with the typed rules
// and shows it with the form; nothing is saved.
func TestProgrammePreview(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	var before int
	w.App.DB.R.QueryRow("SELECT COUNT(*) FROM award_programmes").Scan(&before)
	v := programmeForm()
	v.Set("action", "preview")
	page := pageOf(t, sup.Form("/awards", v))
	for _, s := range []string{`id="preview"`, "演示甲公司", "演示乙公司", "演示丙公司", "专家评审项在评审前没有分数", `<strong id="preview-ranked">3</strong>`,
		`value="研发投入强度"`, "以下为预览，尚未保存"} {
		if !strings.Contains(page, s) {
			t.Errorf("preview page lacks %s", s)
		}
	}
	var after int
	w.App.DB.R.QueryRow("SELECT COUNT(*) FROM award_programmes").Scan(&after)
	if after != before {
		t.Error("preview saved a programme")
	}
	// The API previews the same JSON rules.
	var pv award.Preview
	r := sup.Do("POST", "/api/v1/award/programmes/preview", programmeBody())
	want(t, r, http.StatusOK, "API preview")
	r.JSON(t, &pv)
	if len(pv.Result.Entries) != 3 || pv.DataYear != 2022 {
		t.Errorf("API preview %+v", pv)
	}
	want(t, w.As("leader").Do("POST", "/api/v1/award/programmes/preview", programmeBody()), http.StatusForbidden, "leader previews")
}

// TestDeleteDraftProgramme: a supervisor deletes a draft, from its edit page
// or the API; a programme past draft, and every other role, are refused.
func TestDeleteDraftProgramme(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	open := w.runToNotice(t)
	r := sup.Form("/awards", programmeForm())
	want(t, r, http.StatusSeeOther, "create")
	draft := createdID(t, r.Header)
	for _, u := range []string{"admin", "leader", "unit", "enterprise", "reviewer"} {
		want(t, w.As(u).Form(fmt.Sprintf("/awards/programmes/%d/delete", draft), nil), http.StatusForbidden, u+" deletes by form")
		want(t, w.As(u).Do("DELETE", fmt.Sprintf("/api/v1/award/programmes/%d", draft), nil), http.StatusForbidden, u+" deletes by API")
	}
	if r := w.Anon().Form(fmt.Sprintf("/awards/programmes/%d/delete", draft), nil); r.Code != http.StatusSeeOther && r.Code != http.StatusUnauthorized {
		t.Errorf("anonymous delete: %d", r.Code)
	}
	r = sup.Form(fmt.Sprintf("/awards/programmes/%d/delete", open), nil)
	want(t, r, http.StatusConflict, "delete a programme on notice")
	if !strings.Contains(string(r.Body), "只有草稿可以删除") {
		t.Errorf("refusal: %s", r.Body)
	}
	want(t, sup.Do("DELETE", fmt.Sprintf("/api/v1/award/programmes/%d", open), nil), http.StatusConflict, "API delete on notice")
	r = sup.Form(fmt.Sprintf("/awards/programmes/%d/delete", draft), nil)
	want(t, r, http.StatusSeeOther, "delete the draft")
	if !strings.Contains(pageOf(t, sup.Get(r.Header.Get("Location"))), "草稿已删除") {
		t.Error("no notice that the draft was deleted")
	}
	want(t, sup.Get(fmt.Sprintf("/awards/programmes/%d", draft)), http.StatusNotFound, "deleted draft")
	var actions int
	w.App.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action='award.programme.delete' AND object_id=$1", fmt.Sprint(draft)).Scan(&actions)
	if actions != 1 {
		t.Errorf("%d audit rows for the deletion", actions)
	}
	r = sup.Do("POST", "/api/v1/award/programmes", programmeBody())
	var d award.Programme
	r.JSON(t, &d)
	want(t, sup.Do("DELETE", fmt.Sprintf("/api/v1/award/programmes/%d", d.ID), nil), http.StatusNoContent, "API delete of a draft")
	want(t, sup.Do("GET", fmt.Sprintf("/api/v1/award/programmes/%d", d.ID), nil), http.StatusNotFound, "API-deleted draft")
	if p, err := w.App.Award.Programme(context.Background(), open); err != nil || p.State != award.StateNotice {
		t.Errorf("the refused deletion touched the open programme: %v %v", p.State, err)
	}
}
