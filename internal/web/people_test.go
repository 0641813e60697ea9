package web

import "testing"

// The names the system records that are not accounts read as words, in
// the page's language; an unknown name is shown as recorded.
func TestPeopleNamesRecordedNames(t *testing.T) {
	zh := People{lang: "zh", names: map[string]string{"supervisor": "督查室 李", "gone": ""}}
	en := People{lang: "en"}
	for _, c := range []struct {
		p          People
		name, want string
	}{
		{zh, "supervisor", "督查室 李"},
		{zh, "gone", "gone"},
		{zh, "demo", "演示数据载入"},
		{en, "demo", "demo data loader"},
		{zh, "import-job", "导入任务"},
		{zh, "system", "系统"},
		{zh, "cli:ops", "命令行（ops）"},
		{en, "cli:ops", "command line (ops)"},
		{zh, "", ""},
	} {
		if got := c.p.Name(c.name); got != c.want {
			t.Errorf("%s (%s) = %q, want %q", c.name, c.p.lang, got, c.want)
		}
	}
}
