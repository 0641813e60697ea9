package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/db"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
)

// demoDeal is one match of the demo funnel: an institution (by its demo
// account) on a need (by its place in demoNeeds), its steps' dates from
// interest on (the enterprise's answer second), and the amounts of the
// term sheet and of the money received.
type demoDeal struct {
	who     string
	need    int
	dates   []string
	term    int64 // 万元
	funded  int64 // 万元
	decline string
}

var demoDeals = []demoDeal{
	{who: "touzi", need: 0, dates: []string{"2023-06-01", "2023-06-03", "2023-06-20", "2023-07-15", "2023-08-30", "2023-10-12"}, term: 6000, funded: 5000},
	{who: "yinhang", need: 2, dates: []string{"2023-05-10", "2023-05-12", "2023-05-20", "2023-06-10", "2023-07-01", "2023-07-20"}, term: 2000, funded: 2000},
	{who: "yinhang", need: 3, dates: []string{"2023-08-01", "2023-08-03", "2023-08-15", "2023-09-01", "2023-09-15"}, term: 800},
	{who: "touzi", need: 1, dates: []string{"2023-09-01", "2023-09-04", "2023-09-20", "2023-10-10"}},
	{who: "tianshi", need: 4, dates: []string{"2023-10-08", "2023-10-10", "2023-10-25"}},
	{who: "danbao", need: 5, dates: []string{"2023-11-01", "2023-11-03"}},
	{who: "jijin", need: 6, dates: []string{"2023-11-10"}},
	{who: "jijin", need: 4, dates: []string{"2023-09-05", "2023-09-08"}, decline: "估值预期差异较大（演示）"},
}

// loadFinanceFunnel runs the demo deals, a roadshow and a private note.
func loadFinanceFunnel(ctx context.Context, s *app.App, staff finance.Viewer, investors map[string]finance.Viewer,
	inst map[string]finance.Institution, needs []finance.Need) error {
	at := func(who, date string) (context.Context, *finance.Service) {
		t, _ := time.ParseInLocation("2006-01-02", date, db.CST)
		return financeAt(ctx, s, who, t.Add(10*time.Hour))
	}
	owner := func(n finance.Need) finance.Viewer {
		if u, err := s.Org.UserByUsername(ctx, "qiye"); err == nil && u.EnterpriseID == n.EnterpriseID {
			return finance.ViewerOf(&u)
		}
		return finance.Viewer{Role: org.Enterprise, EnterpriseID: n.EnterpriseID, Name: n.EnterpriseName}
	}
	var first finance.Match
	for k, d := range demoDeals {
		n := needs[d.need]
		ictx, isvc := at(d.who, d.dates[0])
		m, err := isvc.ExpressInterest(ictx, investors[d.who], n.ID, "（演示）关注该项目，希望进一步沟通")
		if err != nil {
			return fmt.Errorf("demo: finance interest %s in %s: %w", d.who, n.Title, err)
		}
		if k == 0 {
			first = m
		}
		if len(d.dates) < 2 {
			continue
		}
		actx, asvc := at("qiye", d.dates[1])
		if _, err := asvc.Answer(actx, owner(n), m.ID, d.decline == "", d.decline); err != nil {
			return fmt.Errorf("demo: finance answer: %w", err)
		}
		for j, date := range d.dates[2:] {
			in := finance.StepInput{Step: finance.Steps[j+2].Code, On: date, Note: "（演示）"}
			switch in.Step {
			case finance.StepTerm:
				in.AmountFen = wanFen(d.term)
			case finance.StepFunded:
				in.AmountFen = wanFen(d.funded)
			}
			sctx, ssvc := at(d.who, date)
			if _, err := ssvc.Advance(sctx, investors[d.who], m.ID, in); err != nil {
				return fmt.Errorf("demo: finance %s of %s: %w", in.Step, n.Title, err)
			}
		}
	}
	nctx, nsvc := at("touzi", "2023-07-16")
	if _, err := nsvc.AddNote(nctx, investors["touzi"], first.ID, "（演示）尽调发现客户集中度偏高，投决会前需补充说明。"); err != nil {
		return fmt.Errorf("demo: finance note: %w", err)
	}
	rctx, rsvc := at("supervisor", "2023-09-01")
	r, err := rsvc.CreateRoadshow(rctx, staff, finance.RoadshowInput{Title: "2023 年第三期科技金融路演（演示）", On: "2023-09-20", Place: "科技金融广场路演厅（演示）"})
	if err != nil {
		return fmt.Errorf("demo: finance roadshow: %w", err)
	}
	if _, err := rsvc.Invite(rctx, staff, r.ID, []int64{needs[1].ID, needs[4].ID, needs[6].ID}); err != nil {
		return fmt.Errorf("demo: finance roadshow: %w", err)
	}
	if _, err := rsvc.Attend(rctx, staff, r.ID, []int64{inst["touzi"].ID, inst["tianshi"].ID, inst["jijin"].ID}); err != nil {
		return fmt.Errorf("demo: finance roadshow: %w", err)
	}
	return nil
}
