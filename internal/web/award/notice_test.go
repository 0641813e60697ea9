package award_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/db"
	webaward "gaoxin/internal/web/award"
	"gaoxin/internal/web/webtest"

	"gaoxin/internal/award"
)

// TestUpheldObjectionRestartsNoticeOnPages: staff uphold an objection on the
// programme page with a correction that changes the ranking, two days into
// the notice. The public notice (page and JSON) and the programme page show
// the new period, from that day for the full 5 days, and that it restarted
// because of that objection; the audit trail has the restart.
func TestUpheldObjectionRestartsNoticeOnPages(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup, anon := w.As("supervisor"), w.Anon()
	w.now = w.now.Add(2 * 24 * time.Hour)
	want(t, anon.Form(fmt.Sprintf("/notices/%d/objections", id), url.Values{"name": {"王五"}, "contact": {"wang@example.com"},
		"enterprise_id": {fmt.Sprint(w.e1)}, "reason": {"甲公司 2022 年研发投入数据有误，应为 1000 元。"}}), 200, "object")
	var objs struct{ Objections []award.Objection }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/objections", id)).JSON(t, &objs)
	obj := objs.Objections[0].ID
	want(t, sup.Form(fmt.Sprintf("/awards/objections/%d/decide", obj), url.Values{"decision": {"uphold"}, "finding": {"经核实，研发投入应为 1,000 元。"},
		"correction": {"figure"}, "enterprise_id": {fmt.Sprint(w.e1)}, "indicator": {"rd_spend"}, "year": {"2022"}, "value": {"1000"}}), 303, "uphold")
	from, until := w.now, w.now.Add(5*24*time.Hour)
	var v webaward.NoticeView
	anon.Get(fmt.Sprintf("/api/v1/award/notices/%d", id)).JSON(t, &v)
	if v.Programme.NoticeFrom != from.UnixMilli() || v.Programme.NoticeUntil != until.UnixMilli() || v.Programme.NoticeRestarts != 1 ||
		v.Programme.NoticeRestartObjection != obj || !v.NoticeOpen || v.Round != 2 {
		t.Fatalf("notice after the upheld objection: %+v", v.Programme)
	}
	period := from.In(db.CST).Format("2006-01-02 15:04") + " – " + until.In(db.CST).Format("2006-01-02 15:04")
	restart := fmt.Sprintf("异议 #%d 成立，排名结果变更，公示期重新计算", obj)
	restartEN := fmt.Sprintf("restarted after objection #%d was upheld and changed the result", obj)
	english := func(c *webtest.Client) *webtest.Client {
		c.Header = http.Header{"Accept-Language": {"en"}}
		return c
	}
	for _, c := range []struct {
		who  *webtest.Client
		path string
		text string
	}{
		{anon, fmt.Sprintf("/notices/%d", id), restart},
		{english(w.Anon()), fmt.Sprintf("/notices/%d", id), restartEN},
		{sup, fmt.Sprintf("/awards/programmes/%d", id), restart},
		{english(w.As("supervisor")), fmt.Sprintf("/awards/programmes/%d", id), restartEN},
	} {
		r := c.who.Get(c.path)
		want(t, r, 200, c.path)
		for _, s := range []string{period, c.text} {
			if !strings.Contains(string(r.Body), s) {
				t.Errorf("%s lacks %q", c.path, s)
			}
		}
	}
	if r := sup.Get(fmt.Sprintf("/awards/programmes/%d", id)); !strings.Contains(string(r.Body), "award.notice.restart") {
		t.Error("programme audit trail lacks award.notice.restart")
	}
	w.now = from.Add(4 * 24 * time.Hour)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 409, "confirm inside the new period")
}
