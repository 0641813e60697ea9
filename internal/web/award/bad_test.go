package award_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAwardBadInputOnPages: forms refuse bad input with the reason (and the
// field) on the page, and write nothing.
func TestAwardBadInputOnPages(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	count := func() int {
		var n int
		w.App.DB.R.QueryRow("SELECT (SELECT COUNT(*) FROM award_programmes) + (SELECT COUNT(*) FROM award_applications) + (SELECT COUNT(*) FROM award_evidence)").Scan(&n)
		return n
	}
	with := func(k, v string) url.Values {
		out := programmeForm()
		out.Set(k, v)
		return out
	}
	cases := []struct {
		name   string
		vals   url.Values
		code   int
		reason string
	}{
		{"a weight that is not a number", func() url.Values { v := programmeForm(); v["term_weight"][0] = "3o"; return v }(), 422, "评分公式第 1 项 · 权重"},
		{"budget with three decimals", func() url.Values { v := with("unit", "yuan"); v.Set("budget", "1.001"); return v }(), 422, "最多两位小数"},
		{"no name", with("name_zh", ""), 422, "缺少中文名称"},
		{"weights summing to 80", func() url.Values { v := programmeForm(); v["term_weight"][0] = "10"; return v }(), 422, "各项权重之和为 80，应为 100"},
	}
	for _, c := range cases {
		before := count()
		r := sup.Form("/awards", c.vals)
		if r.Code != c.code || !strings.Contains(string(r.Body), c.reason) {
			t.Errorf("%s: %d, body lacks %q", c.name, r.Code, c.reason)
		}
		if count() != before {
			t.Errorf("%s: wrote", c.name)
		}
	}
	// A draft may be saved with a benchmark still missing, but not opened;
	// the page names the field.
	noBench := programmeForm()
	noBench["term_benchmark"][0] = ""
	r := sup.Form("/awards", noBench)
	want(t, r, 303, "create draft")
	loc := r.Header.Get("Location")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/awards/programmes/"), "?ok=created")
	r = sup.Form("/awards/programmes/"+id+"/state", url.Values{"to": {"open"}})
	if r.Code != 400 || !strings.Contains(string(r.Body), "terms[0].benchmark") || !strings.Contains(string(r.Body), "基准值须大于 0") {
		t.Fatalf("opening without a benchmark: %d %s", r.Code, r.Body)
	}
	// The supervisor corrects the draft on its edit page; then it opens.
	want(t, sup.Get("/awards/programmes/"+id+"/edit"), 200, "edit page")
	want(t, sup.Form("/awards/programmes/"+id+"/edit", programmeForm()), 303, "save draft")
	want(t, sup.Form("/awards/programmes/"+id+"/state", url.Values{"to": {"open"}}), 303, "open after fixing")
	want(t, sup.Form("/awards/programmes/"+id+"/edit", programmeForm()), 409, "edit an open programme")
	// An evidence file whose content is not what its name says is refused.
	r = sup.Form("/awards", programmeForm())
	want(t, r, 303, "create good draft")
	good2 := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), "/awards/programmes/"), "?ok=created")
	want(t, sup.Form("/awards/programmes/"+good2+"/state", url.Values{"to": {"open"}}), 303, "open")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("summary", "申报说明，长度足够十个字以上。")
	mw.WriteField("contact", "张三")
	fw, _ := mw.CreateFormFile("evidence", "证明.pdf")
	fw.Write([]byte("this is not a pdf"))
	mw.Close()
	before := count()
	req := httptest.NewRequest("POST", fmt.Sprintf("/awards/programmes/%s/apply", good2), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res := w.As("enterprise").Send(req)
	if res.Code != 400 || !strings.Contains(string(res.Body), "证明.pdf") || count() != before {
		t.Fatalf("bad evidence: %d, wrote %v: %s", res.Code, count() != before, res.Body)
	}
}

// TestAwardPrizeBandsShortRefusedOnPage: a prize (paid to every qualified
// enterprise) whose rank bands stop at rank 3 cannot be opened; the page
// names the bands and the ranks that would get no amount. With an open last
// band (to_rank 0) it opens.
func TestAwardPrizeBandsShortRefusedOnPage(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	vals := programmeForm()
	vals.Set("name_zh", "经济贡献奖")
	vals.Set("kind", "prize")
	vals.Set("quota", "0")
	vals["band_to"] = []string{"1", "3", ""}
	r := sup.Form("/awards", vals)
	want(t, r, 303, "create draft")
	id := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), "/awards/programmes/"), "?ok=created")
	r = sup.Form("/awards/programmes/"+id+"/state", url.Values{"to": {"open"}})
	if body := string(r.Body); r.Code != 400 || !strings.Contains(body, "money.bands") || !strings.Contains(body, "第 4 名及以后") ||
		!strings.Contains(body, "winners ranked 4 and below") {
		t.Fatalf("opening a prize whose bands stop at rank 3: %d %s", r.Code, body)
	}
	vals["band_to"] = []string{"1", "0", ""}
	want(t, sup.Form("/awards/programmes/"+id+"/edit", vals), 303, "save with an open last band")
	want(t, sup.Form("/awards/programmes/"+id+"/state", url.Values{"to": {"open"}}), 303, "open")
}
