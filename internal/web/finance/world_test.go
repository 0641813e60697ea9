package finance_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/org"
	"gaoxin/internal/web/webtest"
)

// world is the harness with two registry enterprises (甲 on the sensor
// chain, linked to "enterprise"; 乙 on superhard materials, linked to
// "enterprise2") and three investor accounts with no institution yet.
type world struct {
	*webtest.Harness
	e1, e2 int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{Harness: webtest.New(t)}
	ins := func(code, name, chain string) int64 {
		var id int64
		if err := w.App.DB.W.QueryRowContext(context.Background(), `INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at)
			VALUES ($1,$2,TRUE,1,1) RETURNING id`, code, name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		w.exec("INSERT INTO enterprise_chains (enterprise_id, node_id) SELECT $1, id FROM chain_nodes WHERE code = $2", id, chain)
		return id
	}
	w.e1, w.e2 = ins("914403001922038216", "甲传感科技有限公司", "iot_sensor"), ins("91330100716105852F", "乙超硬材料有限公司", "nm_superhard")
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, nu := range []org.NewUser{
		{Username: "enterprise2", Role: org.Enterprise}, {Username: "vc1", Role: org.Investor, DisplayName: "中原科创"},
		{Username: "vc2", Role: org.Investor}, {Username: "vc3", Role: org.Investor},
	} {
		nu.Password = webtest.Password
		if _, err := w.App.Org.CreateUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	w.exec("UPDATE users SET enterprise_id=$1 WHERE username='enterprise'", w.e1)
	w.exec("UPDATE users SET enterprise_id=$1 WHERE username='enterprise2'", w.e2)
	w.App.Finance.Now = func() time.Time { return time.Date(2023, 6, 10, 9, 0, 0, 0, db.CST) }
	return w
}

func (w *world) exec(q string, args ...any) {
	w.T.Helper()
	if _, err := w.App.DB.W.ExecContext(context.Background(), q, args...); err != nil {
		w.T.Fatalf("%s: %v", q, err)
	}
}

// count runs a COUNT query.
func (w *world) count(q string, args ...any) int {
	w.T.Helper()
	var n int
	if err := w.App.DB.R.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		w.T.Fatalf("%s: %v", q, err)
	}
	return n
}

// institutionForm is a registration form: a VC on the IoT chain, A and B
// rounds, equity, 1,000 万 to 1 亿 a deal.
func institutionForm(name, code string) url.Values {
	return url.Values{"kind": {"vc_pe"}, "name": {name}, "credit_code": {code}, "aum": {"500000"}, "ticket_min": {"1000"},
		"ticket_max": {"10000"}, "settled_on": {"2023-03-01"}, "stages": {"a", "b"}, "instruments": {"equity"}, "chains": {"iot"},
		"contact_name": {"陈经理", ""}, "contact_title": {"投资总监", ""}, "contact_phone": {"0371-6000 0001", ""}, "contact_email": {"chen@example.com", ""}}
}

// needForm is a need of 3,000 万 equity at A round on the sensor chain.
func needForm() url.Values {
	return url.Values{"title": {"MEMS 传感器产线扩产"}, "amount": {"3000"}, "amount_unit": {"wan"}, "instrument": {"equity"}, "stage": {"a"},
		"use_of_funds": {"新建一条 8 英寸 MEMS 产线"}, "audience": {"fit"}}
}

// multipartForm posts fields (repeated keys allowed) and files as a
// same-origin browser form does.
func multipartForm(c *webtest.Client, path string, vals url.Values, files map[string][]byte) *webtest.Resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Send(req)
}

func want(t testing.TB, r *webtest.Resp, code int, what string) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("%s: want %d, got %d: %.500s", what, code, r.Code, r.Body)
	}
}

// idFrom is the id in a redirect to prefix + id.
func idFrom(t testing.TB, r *webtest.Resp, prefix string) string {
	t.Helper()
	loc := r.Header.Get("Location")
	rest, ok := strings.CutPrefix(loc, prefix)
	if !ok {
		t.Fatalf("redirected to %q, not under %s", loc, prefix)
	}
	id, _, _ := strings.Cut(rest, "?")
	return id
}

func has(t *testing.T, r *webtest.Resp, what string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(string(r.Body), w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func lacks(t *testing.T, r *webtest.Resp, what string, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(string(r.Body), w) {
			t.Errorf("%s shows %q", what, w)
		}
	}
}

// registered has vc register an institution through the form and staff
// approve it; it returns the institution's page path.
func (w *world) registered(vc string, form url.Values) string {
	w.T.Helper()
	r := w.As(vc).Form("/finance/institutions", form)
	if r.Code != http.StatusSeeOther {
		w.T.Fatalf("%s registers: %d %.400s", vc, r.Code, r.Body)
	}
	id := idFrom(w.T, r, "/finance/institutions/")
	if r := w.As("supervisor").Form("/finance/institutions/"+id+"/approve", nil); r.Code != http.StatusSeeOther {
		w.T.Fatalf("approve %s: %d %.400s", vc, r.Code, r.Body)
	}
	return "/finance/institutions/" + id
}

// regexpFind is the first match of pattern in a page.
func regexpFind(t testing.TB, r *webtest.Resp, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).Find(r.Body)
	if m == nil {
		t.Fatalf("no %s in %.400s", pattern, r.Body)
	}
	return string(m)
}

// ctx is a context with an actor, for direct service calls.
func (w *world) ctx() context.Context {
	return audit.WithActor(context.Background(), audit.Actor{Name: "test"})
}
