package award_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
)

// A past programme's published winners (its 2022 honour list) are in the
// programme's JSON, in the order its page shows them; a programme run in
// the platform has no honour list.
func TestProgrammeJSONCarriesItsHonourList(t *testing.T) {
	w := newAwardWorld(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "test"})
	winners := []string{"郑州乙科技有限公司", "郑州甲电子股份有限公司", "郑州丙软件有限公司"}
	past, err := w.App.Award.RecordHistory(ctx, 2022, "2022 年度创新企业", "Innovators 2022", award.KindPrize, "仅记录获奖名单。", winners)
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/award/programmes/" + strconv.FormatInt(past.ID, 10)
	for _, role := range []string{"supervisor", "leader", "enterprise"} {
		c := w.As(role)
		resp := c.Get(path)
		want(t, resp, http.StatusOK, role+" reads the past programme")
		var got struct {
			ID         int64 `json:"id"`
			Historical bool  `json:"historical"`
			Honours    []struct {
				Name string `json:"name"`
			} `json:"honours"`
		}
		resp.JSON(t, &got)
		var names []string
		for _, h := range got.Honours {
			names = append(names, h.Name)
		}
		if got.ID != past.ID || !got.Historical || !slices.Equal(names, winners) {
			t.Errorf("%s: programme %d historical=%v honours %q, want %q", role, got.ID, got.Historical, names, winners)
		}
		page := string(c.Get("/awards/programmes/" + strconv.FormatInt(past.ID, 10)).Body)
		for _, n := range winners {
			if !strings.Contains(page, n) {
				t.Errorf("%s: the page lacks %s, which the JSON lists", role, n)
			}
		}
	}

	sup := w.As("supervisor")
	created := sup.Do("POST", "/api/v1/award/programmes", programmeBody())
	want(t, created, http.StatusCreated, "create")
	var p award.Programme
	created.JSON(t, &p)
	var raw map[string]json.RawMessage
	sup.Get("/api/v1/award/programmes/"+strconv.FormatInt(p.ID, 10)).JSON(t, &raw)
	if _, ok := raw["honours"]; ok {
		t.Errorf("a programme run here lists honours: %s", raw["honours"])
	}
	if _, ok := raw["rules"]; !ok {
		t.Errorf("the programme's JSON lost its rules: %v", raw)
	}
}
