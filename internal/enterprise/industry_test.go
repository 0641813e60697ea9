package enterprise_test

import (
	"strings"
	"testing"

	"gaoxin/internal/enterprise"
)

// The whole of GB/T 4754-2017 ships: 20 门类, 97 大类, 473 中类 and 1,381
// 小类 (with amendment No. 1), each below a parent that exists.
func TestIndustryClassificationIsComplete(t *testing.T) {
	f := newFixture(t)
	codes, err := f.svc.IndustryCodes(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	byCode := map[string]enterprise.IndustryCode{}
	for _, c := range codes {
		count[c.Level]++
		byCode[c.Code] = c
	}
	want := map[string]int{"section": 20, "division": 97, "group": 473, "class": 1381}
	for level, n := range want {
		if count[level] != n {
			t.Errorf("%s: %d codes, want %d", level, count[level], n)
		}
	}
	for _, c := range codes {
		if c.Level == "section" {
			continue
		}
		if _, ok := byCode[c.Parent]; !ok {
			t.Errorf("%s %s: parent %q missing", c.Code, c.NameZH, c.Parent)
		}
	}
	for code, name := range map[string]string{"3911": "计算机整机制造", "6513": "应用软件开发", "397": "电子器件制造", "7517": "三维（3D）打印技术推广服务", "39": "计算机、通信和其他电子设备制造业"} {
		if byCode[code].NameZH != name {
			t.Errorf("%s = %q, want %q", code, byCode[code].NameZH, name)
		}
	}
}

// A code is checked exactly: "3918" starts with the real 中类 391 and 大类 39
// but is no 小类, and "6510" has a real 中类 but no class 6510: an import
// refuses both, naming the row, the column and the reason in Chinese; a
// real 小类 imports and shows its own name.
func TestImportRefusesAPrefixThatIsNoClass(t *testing.T) {
	f := newFixture(t)
	rows := [][]any{
		{"统一社会信用代码", "企业名称", "行业代码"},
		{"914403001922038216", "郑州演示甲有限公司", "3918"},
		{"91330100716105852F", "郑州演示乙有限公司", "I6510"},
	}
	res, err := f.svc.Import(f.ctx, staff, xlsxOf(t, rows), enterprise.ImportOptions{Filename: "codes.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Written {
		t.Fatal("an import with unreal industry codes was written")
	}
	found := map[int]string{}
	for _, d := range res.Errors {
		if d.Field == "行业代码" {
			found[d.Row] = d.Reason
		}
	}
	if r := found[2]; !strings.Contains(r, "3918") || !strings.Contains(r, "不是") || !strings.Contains(r, "小类") || !strings.Contains(r, "计算机制造") {
		t.Errorf("row 2 reason %q; all errors %+v", r, res.Errors)
	}
	if r := found[3]; !strings.Contains(r, "6510") || !strings.Contains(r, "软件开发") {
		t.Errorf("row 3 reason %q", r)
	}
	rows[1][2], rows[2][2] = "3911", "I6513"
	res, err = f.svc.Import(f.ctx, staff, xlsxOf(t, rows), enterprise.ImportOptions{Filename: "codes.xlsx"})
	if err != nil || !res.Written {
		t.Fatalf("fixed file: %v %+v", err, res.Errors)
	}
	p, err := f.svc.List(f.ctx, staff, enterprise.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, e := range p.Items {
		names[e.IndustryCode] = e.IndustryName
	}
	if names["3911"] != "计算机整机制造" || names["6513"] != "应用软件开发" {
		t.Errorf("industry names %v", names)
	}
}
