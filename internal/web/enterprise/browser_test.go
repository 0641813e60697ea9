package enterprise_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"

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

	b := webtest.NewBrowser(t, h)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/"))
	upload := func(path string) {
		b.Do(t,
			chromedp.Navigate(b.Base+"/enterprises/import"),
			chromedp.WaitVisible(chromedp.ID("import-form")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}),
			chromedp.Click(chromedp.ID("upload")),
			chromedp.WaitVisible(chromedp.CSS("#counts")),
		)
	}
	upload(badPath)
	report := b.Text(t, "table.details")
	for _, want := range []string{"统一社会信用代码", "营业收入", "从业人员不能为负数", "火星办事处"} {
		if !strings.Contains(report, want) {
			t.Errorf("row report lacks %q:\n%s", want, report)
		}
	}
	b.Screenshot(t, "enterprise-import-errors")
	upload(goodPath)
	if ok := b.Text(t, "#job-ok"); !strings.Contains(ok, "已全部写入") {
		t.Fatalf("fixed import: %q", ok)
	}
	b.Screenshot(t, "enterprise-import-ok")
	b.Do(t,
		chromedp.Navigate(b.Base+"/enterprises?name="+"导入"),
		chromedp.WaitVisible(chromedp.CSS("#enterprises a")),
		chromedp.Click(chromedp.CSS("#enterprises a")),
		chromedp.WaitVisible(chromedp.ID("profile")),
	)
	if name := b.Text(t, "#ent-name"); name != "郑州演示导入科技有限公司" {
		t.Fatalf("opened %q", name)
	}
	if figs := b.Text(t, "#figures"); !strings.Contains(figs, "1200.5") {
		t.Fatalf("figures: %s", figs)
	}
	b.Screenshot(t, "enterprise-detail")

	// The enterprise submits its own figures.
	e := webtest.NewBrowser(t, h)
	e.Login(t, "enterprise")
	e.Do(t, chromedp.Navigate(e.Base+"/lang?to=zh&back=/"))
	e.Do(t,
		chromedp.Navigate(e.Base+"/enterprises"),
		chromedp.WaitVisible(chromedp.ID("figure-form")),
		chromedp.SetValue(chromedp.CSS(`#figure-form input[name="year"]`), "2023"),
		chromedp.SendKeys(chromedp.CSS(`#figure-form input[name="v_revenue"]`), "８８８．８"),
		chromedp.SendKeys(chromedp.CSS(`#figure-form input[name="v_rd_staff"]`), "12"),
		chromedp.Click(chromedp.ID("submit-figures")),
		chromedp.WaitVisible(chromedp.ID("figure-sources")),
	)
	if src := e.Text(t, "#figure-sources"); !strings.Contains(src, "待确认") || !strings.Contains(src, "888.8") {
		t.Fatalf("submitted figures: %s", src)
	}
	e.Screenshot(t, "enterprise-self-report")

	// Staff confirm both.
	b.Do(t, chromedp.Navigate(b.Base+"/enterprises/pending"), chromedp.WaitVisible(chromedp.ID("pending")))
	b.Screenshot(t, "enterprise-pending")
	for i := 0; i < 2; i++ {
		b.Do(t, chromedp.Click(chromedp.CSS("#pending button.confirm")), chromedp.WaitVisible(chromedp.CSS("p.flash")),
			chromedp.Navigate(b.Base+"/enterprises/pending"), chromedp.WaitVisible(chromedp.ID("pending")))
	}
	if left := b.Text(t, "#pending"); !strings.Contains(left, "没有待确认的数据") {
		t.Fatalf("still pending: %s", left)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/enterprises/"+strconv.FormatInt(fx.A.ID, 10)), chromedp.WaitVisible(chromedp.ID("figure-chart")))
	if tbl := b.Text(t, "#figures table"); !strings.Contains(tbl, "888.8") {
		t.Fatalf("confirmed value not in the table: %s", tbl)
	}
	b.Screenshot(t, "enterprise-confirmed")
}
