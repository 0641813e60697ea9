package insight_test

import (
	"bytes"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/insight"
	"gaoxin/internal/web"
)

func TestChainMapPagesAndAPI(t *testing.T) {
	w := newWorld(t)
	r := w.As("leader").Get("/insight")
	if r.Code != http.StatusOK {
		t.Fatalf("map: %d %s", r.Code, r.Body)
	}
	body := string(r.Body)
	for _, want := range []string{`<svg`, `id="node-nm_superhard"`, `href="/insight/chains/nm_superhard?year=2023"`, html.EscapeString(insight.SourceZH),
		`<tr id="row-nm_superhard">`, `甲超硬材料有限公司`, `+33.3%`} {
		if !strings.Contains(body, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	r = w.As("leader").Get("/insight/chains/nm_superhard?year=2023")
	if r.Code != http.StatusOK {
		t.Fatalf("node: %d %s", r.Code, r.Body)
	}
	body = string(r.Body)
	for _, want := range []string{`href="/enterprises?chain=nm_superhard"`, `href="/enterprises/` + id(w.e1) + `"`, `200.00 万元`, `新材料`} {
		if !strings.Contains(body, want) {
			t.Errorf("node page lacks %q", want)
		}
	}
	// Every year may be chosen, the one asked for too when it has no figures.
	if body := string(w.As("leader").Get("/insight?year=2019").Body); !strings.Contains(body, `<option value="2019" selected>`) || !strings.Contains(body, `<option value="2022">`) {
		t.Errorf("year choices: %s", body)
	}
	en := w.As("leader")
	en.Header = http.Header{"Cookie": {web.SessionCookie + "=" + en.Cookie + "; " + web.LangCookie + "=en"}}
	if body := string(en.Get("/insight/chains/nm_superhard").Body); !strings.Contains(body, "Superhard materials") || !strings.Contains(body, html.EscapeString(insight.SourceEN)) {
		t.Errorf("English node page: %s", body)
	}
	if r := w.As("leader").Get("/insight/chains/nowhere"); r.Code != http.StatusNotFound {
		t.Errorf("unknown node: %d", r.Code)
	}
	var m insight.ChainMap
	r = w.As("unit").Get("/api/v1/insight/chains?year=2023")
	r.JSON(t, &m)
	n, _ := m.Node("nm_superhard")
	if r.Code != http.StatusOK || n.Now != 2 || n.Revenue != 200_000_000 || n.PrevRevenue != 150_000_000 || len(n.Top) != 2 || n.Top[0].EnterpriseID != w.e1 {
		t.Fatalf("api: %d %+v", r.Code, n)
	}
	if r := w.As("leader").Get("/api/v1/insight/chains?year=1800"); r.Code != http.StatusBadRequest {
		t.Errorf("year 1800: %d", r.Code)
	}
}

func TestRefusedReaders(t *testing.T) {
	w := newWorld(t)
	for _, path := range []string{"/insight", "/api/v1/insight/chains", "/api/v1/insight/breakdown?a=chain", "/insight/chains.xlsx", "/insight/breakdown.svg"} {
		if r := w.Anon().Get(path); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther && r.Code != http.StatusFound {
			t.Errorf("anonymous %s: %d", path, r.Code)
		}
		if r := w.As("enterprise").Get(path); r.Code != http.StatusForbidden {
			t.Errorf("enterprise %s: %d", path, r.Code)
		}
	}
}

func TestAreaSeesItsOwnArea(t *testing.T) {
	w := newWorld(t)
	var m insight.ChainMap
	r := w.As("area").Get("/api/v1/insight/chains?year=2023")
	r.JSON(t, &m)
	n, _ := m.Node("nm_superhard")
	if r.Code != http.StatusOK || m.AreaID != w.sf || n.Now != 1 || n.Revenue != 150_000_000 || len(n.Top) != 1 {
		t.Fatalf("area's map: %d %+v", r.Code, n)
	}
	var b insight.Breakdown
	r = w.As("area").Get("/api/v1/insight/breakdown?a=chain&b=area&year=2023&measure=revenue")
	r.JSON(t, &b)
	if r.Code != http.StatusOK || len(b.Cols) != 1 || b.Cols[0].Key != id(w.sf) {
		t.Fatalf("area's chain × area: %d %s", r.Code, r.Body)
	}
	page := string(w.As("area").Get("/insight/breakdown?a=chain&b=area&year=2023").Body)
	if !strings.Contains(page, "石佛办事处") || strings.Contains(page, "沟赵办事处") {
		t.Fatalf("area's breakdown page shows other areas")
	}
	r = w.As("area").Get("/insight/chains.xlsx?year=2023")
	x, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("area's chains.xlsx: %d %v", r.Code, err)
	}
	rows, _ := x.GetRows("产业链图谱", excelize.Options{RawCellValue: true})
	notes, _ := x.GetRows("说明")
	x.Close()
	for _, row := range rows {
		if row[0] == "nm_superhard" && (row[3] != "1" || row[5] != "1500000") {
			t.Fatalf("area's superhard row %q", row)
		}
	}
	if last := notes[len(notes)-1]; last[1] != "石佛办事处" {
		t.Fatalf("area's notes %q", notes)
	}
	r = w.As("area").Get("/api/v1/insight/breakdown?a=chain&b=size&year=2023")
	if r.Code != http.StatusForbidden {
		t.Fatalf("area crossing two dimensions: %d %s", r.Code, r.Body)
	}
	if r := w.As("leader").Get("/api/v1/insight/breakdown?a=chain&b=nonsense"); r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), `"b"`) {
		t.Fatalf("bad dimension: %d %s", r.Code, r.Body)
	}
}

func TestExports(t *testing.T) {
	w := newWorld(t)
	r := w.As("leader").Get("/insight/chains.xlsx?year=2023")
	if r.Code != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheet") {
		t.Fatalf("chains.xlsx: %d %s", r.Code, r.Header)
	}
	x, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("产业链图谱", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range rows {
		if row[0] == "nm_superhard" {
			found = true
			if row[3] != "2" || row[5] != "2000000" || row[9] != "1500000" || !strings.Contains(row[len(row)-1], "甲超硬材料有限公司") {
				t.Fatalf("superhard row %q", row)
			}
		}
	}
	if !found {
		t.Fatalf("no superhard row in %q", rows)
	}
	x.Close()

	r = w.As("leader").Get("/insight/breakdown.xlsx?a=chain&b=area&year=2023&measure=revenue")
	x, err = excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("breakdown.xlsx: %d %v", r.Code, err)
	}
	rows, _ = x.GetRows("交叉分析", excelize.Options{RawCellValue: true})
	x.Close()
	var sf, gz int
	for j, c := range rows[0] {
		if strings.HasPrefix(c, "石佛办事处") {
			sf = j
		}
		if strings.HasPrefix(c, "沟赵办事处") {
			gz = j
		}
	}
	ok := false
	for _, row := range rows {
		if strings.TrimSpace(strings.Trim(row[0], "　")) == "超硬材料" {
			ok = sf > 0 && gz > 0 && row[sf] == "1500000" && row[gz] == "500000"
		}
	}
	if !ok {
		t.Fatalf("breakdown.xlsx rows %q", rows)
	}

	r = w.As("leader").Get("/insight/map.svg?year=2023")
	if r.Code != http.StatusOK || r.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(r.Body, []byte(`id="node-nm_superhard"`)) {
		t.Fatalf("map.svg: %d %s", r.Code, r.Header)
	}
	r = w.As("leader").Get("/insight/breakdown.svg?a=chain&b=area&year=2023")
	if r.Code != http.StatusOK || !bytes.Contains(r.Body, []byte("石佛办事处")) {
		t.Fatalf("breakdown.svg: %d %s", r.Code, r.Body)
	}
}
