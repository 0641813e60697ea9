package panel

import (
	"strings"
	"testing"
)

func TestConflictOf(t *testing.T) {
	applicant := Party{EnterpriseID: 7, Names: []string{"郑州演示甲科技有限公司", "郑州旧名科技有限公司"}, CreditCode: "91410100MA000001XA"}
	partner := Party{EnterpriseID: 8, Names: []string{"河南演示乙电子有限公司"}, CreditCode: "91410100MA000002XB"}
	cases := []struct {
		name    string
		affil   string
		rev     Reviewer
		parties []Party
		want    string // a part of the reason; "" for no conflict
	}{
		{"nothing declared, unlinked account", "", Reviewer{ID: 1}, []Party{applicant}, ""},
		{"account of the applicant", "", Reviewer{ID: 1, EnterpriseID: 7}, []Party{applicant}, "专家账号属于该企业"},
		{"account of another enterprise", "", Reviewer{ID: 1, EnterpriseID: 9}, []Party{applicant}, ""},
		{"credit code, lower case", "91410100ma000001xa", Reviewer{ID: 1}, []Party{applicant}, "专家申报关联：91410100ma000001xa"},
		{"the full name", "郑州演示甲科技有限公司", Reviewer{ID: 1}, []Party{applicant}, "专家申报关联：郑州演示甲科技有限公司"},
		{"a former name", "郑州旧名科技有限公司", Reviewer{ID: 1}, []Party{applicant}, "declared affiliation: 郑州旧名科技有限公司"},
		{"four characters of the name", "演示甲科", Reviewer{ID: 1}, []Party{applicant}, "专家申报关联：演示甲科"},
		{"three characters are too few", "演示甲", Reviewer{ID: 1}, []Party{applicant}, ""},
		{"another enterprise's name", "郑州别家有限公司\n91410100MA000009XZ", Reviewer{ID: 1}, []Party{applicant}, ""},
		{"the second line matches", "某某研究院\n郑州演示甲科技有限公司", Reviewer{ID: 1}, []Party{applicant}, "郑州演示甲科技有限公司"},
		{"a partner of a joint bid, by name", "河南演示乙电子有限公司", Reviewer{ID: 1}, []Party{applicant, partner}, "河南演示乙电子有限公司"},
		{"a partner of a joint bid, by account", "", Reviewer{ID: 1, EnterpriseID: 8}, []Party{applicant, partner}, "专家账号属于该企业"},
		{"a party without a credit code", "", Reviewer{ID: 1}, []Party{{EnterpriseID: 3, Names: []string{"无代码企业"}}}, ""},
		{"no parties", "郑州演示甲科技有限公司", Reviewer{ID: 1, EnterpriseID: 7}, nil, ""},
	}
	for _, c := range cases {
		got := ConflictOf(SplitLines(c.affil), c.rev, c.parties)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: ConflictOf = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSplitLines(t *testing.T) {
	got := SplitLines("  甲公司 \r\n\n\t\n91410100MA000001XA\n")
	if strings.Join(got, "|") != "甲公司|91410100MA000001XA" {
		t.Errorf("SplitLines = %q", got)
	}
	if SplitLines("") != nil || SplitLines(" \n ") != nil {
		t.Error("blank text gives lines")
	}
}
