package enterprise_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	webent "gaoxin/internal/web/enterprise"
	"gaoxin/internal/web/webtest"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// entFixture adds two office areas, two enterprises (A in sf, B in gz),
// links the harness's "enterprise" account to A and a second enterprise
// account "enterprise2" to B, and adds "shifo", a unit account of the sf
// office area. The harness's "unit" is 经济发展局, a zone-wide department.
type entFixture struct {
	h    *webtest.Harness
	A, B enterprise.Enterprise
}

func newEntFixture(t *testing.T) *entFixture {
	t.Helper()
	h := webtest.New(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, u := range []org.Unit{{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}, {Code: "gz", NameZH: "沟赵办事处", Kind: "办事处"}} {
		if _, err := h.App.Org.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, nu := range []org.NewUser{{Username: "enterprise2", Role: org.Enterprise}, {Username: "shifo", Role: org.UnitStaff, UnitCode: "sf"}} {
		nu.Password = webtest.Password
		if _, err := h.App.Org.CreateUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	sys := enterprise.System
	a, err := h.App.Enterprise.Create(ctx, sys, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示甲科技有限公司", Area: "sf", Chains: []string{"iot"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.App.Enterprise.Create(ctx, sys, enterprise.Input{CreditCode: "91330100716105852F", Name: "郑州演示乙科技有限公司", Area: "gz"})
	if err != nil {
		t.Fatal(err)
	}
	for user, id := range map[string]int64{"enterprise": a.ID, "enterprise2": b.ID} {
		if err := h.App.Enterprise.LinkAccount(ctx, sys, id, user); err != nil {
			t.Fatal(err)
		}
	}
	return &entFixture{h: h, A: a, B: b}
}

func TestEnterpriseAccess(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	a := "/api/v1/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	b := "/api/v1/enterprises/" + strconv.FormatInt(fx.B.ID, 10)
	ok, forbidden, notFound := http.StatusOK, http.StatusForbidden, http.StatusNotFound
	users := []string{"admin", "leader", "supervisor", "unit", "shifo", "enterprise", "reviewer"}
	cases := []struct {
		method, path string
		body         any
		want         map[string]int // missing roles: 403
	}{
		{"GET", "/api/v1/enterprises", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": ok, "enterprise": ok}},
		{"GET", a, nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": ok, "enterprise": ok}},
		{"GET", b, nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": notFound, "enterprise": notFound}},
		{"GET", b + "/figures", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": notFound, "enterprise": notFound}},
		{"GET", b + "/history", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": notFound, "enterprise": notFound}},
		{"POST", b + "/figures", []enterprise.FigureInput{{Indicator: "employees", Year: 2023, Value: 5}}, map[string]int{"admin": ok, "supervisor": ok, "enterprise": notFound}},
		{"POST", a + "/figures/review", webent.ReviewRequest{Indicator: "employees", Year: 2023, Confirm: true}, map[string]int{"admin": notFound, "supervisor": notFound}},
		{"PUT", b, enterprise.Input{CreditCode: fx.B.CreditCode, Name: fx.B.Name, Address: "x"}, map[string]int{"admin": ok, "supervisor": ok, "enterprise": notFound}},
		{"POST", "/api/v1/enterprises", enterprise.Input{CreditCode: "9144030071526726XG", Name: "新"}, map[string]int{"admin": http.StatusCreated, "supervisor": http.StatusConflict + 0*1}},
		{"GET", "/api/v1/enterprise-figures/pending", nil, map[string]int{"admin": ok, "supervisor": ok}},
		{"GET", "/api/v1/enterprise-tiers/expiring", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": ok, "enterprise": ok}},
		{"GET", "/api/v1/enterprise-imports", nil, map[string]int{"admin": ok, "supervisor": ok}},
		{"GET", "/api/v1/enterprise-template.xlsx", nil, map[string]int{"admin": ok, "supervisor": ok}},
		{"GET", "/api/v1/enterprises/export.xlsx", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": ok, "enterprise": ok}},
		{"GET", "/enterprises/export.csv", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": ok, "enterprise": ok}},
		{"GET", "/enterprises", nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": ok, "enterprise": http.StatusSeeOther}},
		{"GET", "/enterprises/" + strconv.FormatInt(fx.B.ID, 10), nil, map[string]int{"admin": ok, "leader": ok, "supervisor": ok, "unit": ok, "shifo": notFound, "enterprise": notFound}},
		{"GET", "/enterprises/import", nil, map[string]int{"admin": ok, "supervisor": ok}},
		{"GET", "/enterprises/pending", nil, map[string]int{"admin": ok, "supervisor": ok}},
	}
	clients := map[string]*webtest.Client{}
	for _, u := range users {
		clients[u] = h.As(u)
	}
	for _, c := range cases {
		if r := h.Anon().Do(c.method, c.path, c.body); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther {
			t.Errorf("anonymous %s %s = %d", c.method, c.path, r.Code)
		}
		for _, u := range users {
			want, listed := c.want[u]
			if !listed {
				want = forbidden
			}
			if c.method == "POST" && c.path == "/api/v1/enterprises" && u == "supervisor" {
				want = http.StatusBadRequest // admin created it first: the code is taken
			}
			if r := clients[u].Do(c.method, c.path, c.body); r.Code != want {
				t.Errorf("%s %s %s = %d, want %d: %.200s", u, c.method, c.path, r.Code, want, r.Body)
			}
		}
	}
}

func TestEnterpriseSeesOnlyItsOwnFigures(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	ea, eb := h.As("enterprise"), h.As("enterprise2")
	pathA := "/api/v1/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	r := ea.Do("POST", pathA+"/figures", []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 987654321}})
	if r.Code != http.StatusOK {
		t.Fatalf("submit: %d %s", r.Code, r.Body)
	}
	// B cannot see A's unpublished figure anywhere: detail, figures, list, export.
	for _, p := range []string{pathA, pathA + "/figures", pathA + "/history"} {
		if r := eb.Get(p); r.Code != http.StatusNotFound || bytes.Contains(r.Body, []byte("987654321")) {
			t.Errorf("enterprise2 GET %s = %d %s", p, r.Code, r.Body)
		}
	}
	var list enterprise.Page
	eb.Get("/api/v1/enterprises?limit=1000").JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != fx.B.ID {
		t.Errorf("enterprise2 lists %+v", list.Items)
	}
	if r := eb.Get("/api/v1/enterprises/export.xlsx?indicator=revenue&year=2023"); bytes.Contains(r.Body, []byte("郑州演示甲")) {
		t.Error("export leaked A")
	}
	var figs []enterprise.Figure
	// Staff confirm; then the value is effective.
	if r := h.As("supervisor").Do("POST", pathA+"/figures/review", webent.ReviewRequest{Indicator: "revenue", Year: 2023, Confirm: true}); r.Code != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.Code, r.Body)
	}
	ea.Get(pathA+"/figures").JSON(t, &figs)
	if len(figs) != 1 || !figs[0].Effective || figs[0].Status != "confirmed" {
		t.Fatalf("after confirm: %+v", figs)
	}
	// An enterprise edits its address but not its name.
	r = ea.Do("PUT", pathA, enterprise.Input{CreditCode: fx.A.CreditCode, Name: "改名企图", Address: "新地址 1 号"})
	var got enterprise.Enterprise
	r.JSON(t, &got)
	if r.Code != http.StatusOK || got.Name != fx.A.Name || got.Address != "新地址 1 号" {
		t.Fatalf("self edit: %d %+v", r.Code, got)
	}
}

func TestUnitReadsOnlyItsArea(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	c := h.As("shifo")
	var list enterprise.Page
	c.Get("/api/v1/enterprises").JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != fx.A.ID {
		t.Fatalf("unit list %+v", list.Items)
	}
	if r := c.Get("/api/v1/enterprises/" + strconv.FormatInt(fx.B.ID, 10)); r.Code != http.StatusNotFound {
		t.Fatalf("other area: %d", r.Code)
	}
	if r := c.Do("POST", "/api/v1/enterprises/"+strconv.FormatInt(fx.A.ID, 10)+"/figures", []enterprise.FigureInput{{Indicator: "employees", Year: 2023, Value: 5}}); r.Code != http.StatusForbidden {
		t.Fatalf("unit writes figures: %d", r.Code)
	}
}

// 经济发展局 (a zone-wide department) reads every enterprise, in the list
// and in detail, through the API and the pages; an office area reads its
// own; an enterprise account still only itself. Moving a unit to the area
// scope in admin takes the zone away at its next request.
func TestZoneWideDepartmentReadsEveryEnterprise(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	ids := func(c *webtest.Client) []int64 {
		t.Helper()
		var list enterprise.Page
		c.Get("/api/v1/enterprises").JSON(t, &list)
		var out []int64
		for _, e := range list.Items {
			out = append(out, e.ID)
		}
		return out
	}
	jfj := h.As("unit")
	if got := ids(jfj); len(got) != 2 {
		t.Fatalf("经济发展局 lists %v, want both enterprises", got)
	}
	for _, e := range []enterprise.Enterprise{fx.A, fx.B} {
		id := strconv.FormatInt(e.ID, 10)
		if r := jfj.Get("/enterprises/" + id); r.Code != http.StatusOK || !bytes.Contains(r.Body, []byte(e.Name)) {
			t.Errorf("经济发展局 page of %s: %d", e.Name, r.Code)
		}
		if r := jfj.Get("/api/v1/enterprises/" + id); r.Code != http.StatusOK {
			t.Errorf("经济发展局 API detail of %s: %d", e.Name, r.Code)
		}
	}
	if r := jfj.Get("/enterprises"); !bytes.Contains(r.Body, []byte(fx.A.Name)) || !bytes.Contains(r.Body, []byte(fx.B.Name)) {
		t.Errorf("经济发展局 list page lacks an enterprise")
	}
	if got := ids(h.As("shifo")); len(got) != 1 || got[0] != fx.A.ID {
		t.Errorf("石佛办事处 lists %v, want only A", got)
	}
	// The exports follow the same reach.
	if r := jfj.Get("/enterprises/export.csv"); !bytes.HasPrefix(r.Body, []byte("\uFEFF")) || !bytes.Contains(r.Body, []byte(fx.A.CreditCode)) || !bytes.Contains(r.Body, []byte(fx.B.CreditCode)) ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("经济发展局 CSV export: %s %.200s", r.Header.Get("Content-Type"), r.Body)
	}
	if r := h.As("shifo").Get("/enterprises/export.csv"); !bytes.Contains(r.Body, []byte(fx.A.CreditCode)) || bytes.Contains(r.Body, []byte(fx.B.CreditCode)) {
		t.Errorf("石佛办事处 CSV export holds another area's enterprise")
	}
	if got := ids(h.As("enterprise")); len(got) != 1 || got[0] != fx.A.ID {
		t.Errorf("enterprise lists %v, want only itself", got)
	}
	if r := h.As("enterprise").Get("/api/v1/enterprises/" + strconv.FormatInt(fx.B.ID, 10)); r.Code != http.StatusNotFound {
		t.Errorf("enterprise reads another: %d", r.Code)
	}
	// The admin narrows 经济发展局 to an area: it then reads nothing (it has
	// no area of its own).
	unit, err := h.App.Org.UnitByCode(context.Background(), "jfj")
	if err != nil {
		t.Fatal(err)
	}
	if r := h.As("admin").Form("/admin/units/"+strconv.FormatInt(unit.ID, 10)+"/scope", url.Values{"registry_scope": {"area"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("set scope: %d %s", r.Code, r.Body)
	}
	if got := ids(jfj); len(got) != 0 {
		t.Errorf("经济发展局 as an area unit lists %v", got)
	}
	if r := jfj.Get("/api/v1/enterprises/" + strconv.FormatInt(fx.B.ID, 10)); r.Code != http.StatusNotFound {
		t.Errorf("经济发展局 as an area unit reads B: %d", r.Code)
	}
}

func multipartFile(t *testing.T, name string, data []byte, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func sheetBytes(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var b bytes.Buffer
	f.Write(&b)
	return b.Bytes()
}

func TestImportThroughPageAndAPI(t *testing.T) {
	fx := newEntFixture(t)
	c := fx.h.As("supervisor")
	bad := sheetBytes(t, [][]any{{"统一社会信用代码", "企业名称", "从业人员（人）", "年度"}, {"9144030071526726XH", "坏公司", "-1", "2023"}})
	body, ct := multipartFile(t, "bad.xlsx", bad, map[string]string{"source": "stats"})
	req := httptest.NewRequest("POST", "/enterprises/import", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	r := c.Send(req)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	job := r.Header.Get("Location")
	page := c.Get(job)
	if !bytes.Contains(page.Body, []byte("job-errors")) || !bytes.Contains(page.Body, []byte("从业人员不能为负数")) {
		t.Fatalf("job page: %s", page.Body)
	}
	if rep := c.Get(job + "/report.xlsx"); rep.Code != http.StatusOK || !bytes.HasPrefix(rep.Body, []byte("PK")) {
		t.Fatalf("report: %d", rep.Code)
	}
	// A file with one good and one bad row is refused whole: the page says
	// 未导入 in the red error box and counts nothing as new.
	mixed := sheetBytes(t, [][]any{{"统一社会信用代码", "企业名称", "从业人员（人）", "年度"},
		{"9144030071526726XG", "好公司", "12", "2023"}, {"9144030071526726XH", "坏公司", "-1", "2023"}})
	body, ct = multipartFile(t, "mixed.xlsx", mixed, map[string]string{"source": "stats"})
	req = httptest.NewRequest("POST", "/enterprises/import", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	page = c.Get(c.Send(req).Header.Get("Location"))
	if !bytes.Contains(page.Body, []byte(`<p class="error refused" id="job-refused"><strong>未导入</strong>`)) {
		t.Errorf("refused import page does not say 未导入 in the error box: %s", page.Body)
	}
	for _, s := range []string{"n-created", "新增企业", "将新增"} {
		if bytes.Contains(page.Body, []byte(s)) {
			t.Errorf("refused import page shows %q as if rows were written", s)
		}
	}
	if imp := c.Get("/enterprises/import"); !bytes.Contains(imp.Body, []byte("未导入")) {
		t.Errorf("the recent imports list does not mark the refused import")
	}
	// The API takes the raw body and answers 422 with every bad row.
	req = httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=bad.xlsx", bytes.NewReader(bad))
	r = c.Send(req)
	var j enterprise.ImportJob
	r.JSON(t, &j)
	if r.Code != http.StatusUnprocessableEntity || j.Result == nil || len(j.Result.Errors) != 2 {
		t.Fatalf("api import: %d %s", r.Code, r.Body)
	}
	good := sheetBytes(t, [][]any{{"统一社会信用代码", "企业名称", "从业人员（人）", "年度"}, {"9144030071526726XG", "好公司", "12", "2023"}})
	r = c.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=good.xlsx&dry_run=1", bytes.NewReader(good)))
	r.JSON(t, &j)
	if r.Code != http.StatusOK || j.Result.Created != 1 || j.Result.Written {
		t.Fatalf("dry run: %d %s", r.Code, r.Body)
	}
	r = c.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=good.xlsx", bytes.NewReader(good)))
	r.JSON(t, &j)
	if r.Code != http.StatusOK || !j.Result.Written {
		t.Fatalf("import: %d %s", r.Code, r.Body)
	}
	var list enterprise.Page
	c.Get("/api/v1/enterprises?name="+url.QueryEscape("好公司")).JSON(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("imported enterprise not listed: %+v", list)
	}
	// Not a spreadsheet, and too large.
	r = c.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=x.xlsx", strings.NewReader("plain text")))
	if r.Code != http.StatusUnprocessableEntity || !bytes.Contains(r.Body, []byte("xlsx")) {
		t.Fatalf("not xlsx: %d %s", r.Code, r.Body)
	}
	fx.h.App.Enterprise.MaxImportBytes = 100
	r = c.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=big.xlsx", bytes.NewReader(good)))
	if r.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("too large: %d %s", r.Code, r.Body)
	}
}

func TestEnterprisePagesRender(t *testing.T) {
	fx := newEntFixture(t)
	c := fx.h.As("supervisor")
	id := strconv.FormatInt(fx.A.ID, 10)
	if r := c.Form("/enterprises/"+id+"/figures", url.Values{"year": {"2022"}, "source": {"stats"}, "v_revenue": {"1,234.5"}, "v_employees": {"88"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("figures form: %d %s", r.Code, r.Body)
	}
	if r := c.Form("/enterprises/"+id+"/tiers", url.Values{"tier": {"hnte"}, "level": {"national"}, "cert_no": {"GR2022"}, "valid_from": {"2022-01-01"}, "valid_to": {"2099-01-01"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("tier form: %d %s", r.Code, r.Body)
	}
	for _, p := range []string{"/enterprises", "/enterprises?chain=dominant&tier=hnte", "/enterprises/" + id, "/enterprises/new", "/enterprises/" + id + "/edit", "/enterprises/import", "/enterprises/pending"} {
		r := c.Get(p)
		if r.Code != http.StatusOK {
			t.Errorf("GET %s = %d: %.300s", p, r.Code, r.Body)
		}
	}
	d := c.Get("/enterprises/" + id)
	for _, want := range []string{"1234.5", "<svg", "高新技术企业", "录入数据", "添加资质"} {
		if !bytes.Contains(d.Body, []byte(want)) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	// Bad form input comes back with the field named.
	r := c.Form("/enterprises", url.Values{"credit_code": {"123"}, "name": {""}})
	if r.Code != http.StatusBadRequest || !bytes.Contains(r.Body, []byte("18 位")) {
		t.Fatalf("bad create: %d %s", r.Code, r.Body)
	}
	if r := c.Get("/enterprises?indicator=revenue&min=abc"); r.Code != http.StatusBadRequest {
		t.Fatalf("bad filter: %d", r.Code)
	}
}
