package enterprise

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEnterpriseImportAndFigures walks the registry as people do: a
// supervisor imports a file with errors, reads the row report, imports the
// fixed file and opens an enterprise; the enterprise submits its figures;
// the supervisor confirms them.
func TestBrowserEnterpriseImportAndFigures(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	dir := t.TempDir()
	header := []any{"2023 年企业统计报表", ""}
	cols := []any{"统一社会信用代码", "企业名称", "营业收入（万元）", "从业人员（人）", "年度", "所属办事处"}
	bad := sheetBytes(t, [][]any{header, cols,
		{"9144030071526726XG", "郑州演示导入科技有限公司", "1,200.5", "35", "2023", "石佛办事处"},
		{"9144030071526726XH", "代码错误的公司", "abc", "-2", "2023", "火星办事处"},
	})
	good := sheetBytes(t, [][]any{header, cols,
		{"9144030071526726XG", "郑州演示导入科技有限公司", "1,200.5", "35", "2023", "石佛办事处"},
	})
	badPath, goodPath := filepath.Join(dir, "bad.xlsx"), filepath.Join(dir, "good.xlsx")
	os.WriteFile(badPath, bad, 0o644)
	os.WriteFile(goodPath, good, 0o644)

	b := newBrowser(t, h)
	b.login(t, "supervisor")
	b.do(t, chromedp.Navigate(b.base+"/lang?to=zh&back=/"))
	upload := func(path string) {
		b.do(t,
			chromedp.Navigate(b.base+"/enterprises/import"),
			chromedp.WaitVisible(chromedp.ID("import-form")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}),
			chromedp.Click(chromedp.ID("upload")),
			chromedp.WaitVisible(chromedp.CSS("#counts")),
		)
	}
	upload(badPath)
	report := b.text(t, "table.details")
	for _, want := range []string{"统一社会信用代码", "营业收入", "从业人员不能为负数", "火星办事处"} {
		if !strings.Contains(report, want) {
			t.Errorf("row report lacks %q:\n%s", want, report)
		}
	}
	b.screenshot(t, "enterprise-import-errors")
	upload(goodPath)
	if ok := b.text(t, "#job-ok"); !strings.Contains(ok, "已全部写入") {
		t.Fatalf("fixed import: %q", ok)
	}
	b.screenshot(t, "enterprise-import-ok")
	b.do(t,
		chromedp.Navigate(b.base+"/enterprises?name="+"导入"),
		chromedp.WaitVisible(chromedp.CSS("#enterprises a")),
		chromedp.Click(chromedp.CSS("#enterprises a")),
		chromedp.WaitVisible(chromedp.ID("profile")),
	)
	if name := b.text(t, "#ent-name"); name != "郑州演示导入科技有限公司" {
		t.Fatalf("opened %q", name)
	}
	if figs := b.text(t, "#figures"); !strings.Contains(figs, "1200.5") {
		t.Fatalf("figures: %s", figs)
	}
	b.screenshot(t, "enterprise-detail")

	// The enterprise submits its own figures.
	e := newBrowser(t, h)
	e.login(t, "enterprise")
	e.do(t, chromedp.Navigate(e.base+"/lang?to=zh&back=/"))
	e.do(t,
		chromedp.Navigate(e.base+"/enterprises"),
		chromedp.WaitVisible(chromedp.ID("figure-form")),
		chromedp.SetValue(chromedp.CSS(`#figure-form input[name="year"]`), "2023"),
		chromedp.SendKeys(chromedp.CSS(`#figure-form input[name="v_revenue"]`), "８８８．８"),
		chromedp.SendKeys(chromedp.CSS(`#figure-form input[name="v_rd_staff"]`), "12"),
		chromedp.Click(chromedp.ID("submit-figures")),
		chromedp.WaitVisible(chromedp.ID("figure-sources")),
	)
	if src := e.text(t, "#figure-sources"); !strings.Contains(src, "待确认") || !strings.Contains(src, "888.8") {
		t.Fatalf("submitted figures: %s", src)
	}
	e.screenshot(t, "enterprise-self-report")

	// Staff confirm both.
	b.do(t, chromedp.Navigate(b.base+"/enterprises/pending"), chromedp.WaitVisible(chromedp.ID("pending")))
	b.screenshot(t, "enterprise-pending")
	for i := 0; i < 2; i++ {
		b.do(t, chromedp.Click(chromedp.CSS("#pending button.confirm")), chromedp.WaitVisible(chromedp.CSS("p.flash")),
			chromedp.Navigate(b.base+"/enterprises/pending"), chromedp.WaitVisible(chromedp.ID("pending")))
	}
	if left := b.text(t, "#pending"); !strings.Contains(left, "没有待确认的数据") {
		t.Fatalf("still pending: %s", left)
	}
	b.do(t, chromedp.Navigate(b.base+"/enterprises/"+strconv.FormatInt(fx.A.ID, 10)), chromedp.WaitVisible(chromedp.ID("figure-chart")))
	if tbl := b.text(t, "#figures table"); !strings.Contains(tbl, "888.8") {
		t.Fatalf("confirmed value not in the table: %s", tbl)
	}
	b.screenshot(t, "enterprise-confirmed")
}
