package award

import (
	"context"
	"net/http"

	"gaoxin/internal/web"

	"gaoxin/internal/award"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Object checks of the awards module: the route's role check comes first
// (route.go); these decide which programme, application or assignment the
// caller may see. Objects one may not know of answer 404.

// visibleProgramme loads a programme; drafts are visible to staff only.
func (s *handlers) visibleProgramme(r *http.Request) (award.Programme, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Programme{}, err
	}
	p, err := s.Award.Programme(r.Context(), id)
	if err != nil {
		return p, err
	}
	if p.State == award.StateDraft && !web.IsStaff(web.CurrentUser(r)) {
		return award.Programme{}, errs.New(errs.NotFound, "评优项目不存在", "programme not found")
	}
	return p, nil
}

// myEnterprise is the enterprise of the signed-in enterprise account.
func (s *handlers) myEnterprise(ctx context.Context, u *org.User) (int64, error) {
	if u == nil || u.Role != org.Enterprise {
		return 0, nil
	}
	return s.Award.EnterpriseOf(ctx, u.ID)
}

// visibleApplication loads an application for staff, its own enterprise, or
// a reviewer assigned to it (not one in conflict or recused).
func (s *handlers) visibleApplication(r *http.Request, id int64) (award.Application, error) {
	a, err := s.Award.Application(r.Context(), id)
	if err != nil {
		return a, err
	}
	u := web.CurrentUser(r)
	hidden := errs.New(errs.NotFound, "申报不存在", "application not found")
	switch {
	case web.IsStaff(u):
		return a, nil
	case u.Role == org.Enterprise:
		ent, err := s.myEnterprise(r.Context(), u)
		if err != nil {
			return a, err
		}
		if ent == 0 || ent != a.EnterpriseID {
			return award.Application{}, hidden
		}
		return a, nil
	case u.Role == org.Reviewer:
		ok, err := s.Award.AssignedTo(r.Context(), id, u.ID)
		if err != nil {
			return a, err
		}
		if !ok {
			return award.Application{}, hidden
		}
		return a, nil
	}
	return award.Application{}, hidden
}

// visibleAssignment loads an assignment for its reviewer or staff.
func (s *handlers) visibleAssignment(r *http.Request) (award.Assignment, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Assignment{}, err
	}
	g, err := s.Award.Assignment(r.Context(), id)
	if err != nil {
		return g, err
	}
	u := web.CurrentUser(r)
	if !web.IsStaff(u) && g.ReviewerID != u.ID {
		return award.Assignment{}, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	return g, nil
}

// visibleEvidence returns an evidence file the caller may read: staff, the
// application's enterprise or an assigned reviewer; objection evidence is
// for staff only.
func (s *handlers) visibleEvidence(r *http.Request) (award.Evidence, []byte, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Evidence{}, nil, err
	}
	e, data, appID, err := s.Award.EvidenceFile(r.Context(), id)
	if err != nil {
		return e, nil, err
	}
	if web.IsStaff(web.CurrentUser(r)) {
		return e, data, nil
	}
	if appID == 0 {
		return award.Evidence{}, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	if _, err := s.visibleApplication(r, appID); err != nil {
		return award.Evidence{}, nil, errs.New(errs.NotFound, "文件不存在", "file not found")
	}
	return e, data, nil
}

// publicNotice loads a programme that is or was on public notice.
func (s *handlers) publicNotice(r *http.Request) (award.Programme, award.Round, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Programme{}, award.Round{}, err
	}
	p, err := s.Award.Programme(r.Context(), id)
	if err != nil {
		return p, award.Round{}, err
	}
	if p.State != award.StateNotice && p.State != award.StateConfirmed && p.State != award.StateClosed || p.Historical {
		return award.Programme{}, award.Round{}, errs.New(errs.NotFound, "公示不存在", "notice not found")
	}
	rd, err := s.Award.LatestRound(r.Context(), id)
	return p, rd, err
}
