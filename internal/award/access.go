package award

import (
	"context"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Access rules of the awards module. The route admits a role; the service
// decides which programme, application, assignment or file that caller may
// know of. Objects one may not know of answer NotFound, so their existence
// does not leak; acts on a known object one may not do answer Forbidden.

// Viewer is who asks: the service checks every object it reads for a caller
// against it.
type Viewer struct {
	UserID int64
	Role   org.Role
}

// ViewerOf makes a Viewer of a signed-in user; nil (anonymous) gives the
// zero Viewer, which sees only public notices.
func ViewerOf(u *org.User) Viewer {
	if u == nil {
		return Viewer{}
	}
	return Viewer{UserID: u.ID, Role: u.Role}
}

// Staff reports whether v is one of the zone's own roles that read the whole
// module (admin, leader, supervisor).
func (v Viewer) Staff() bool {
	return v.Role == org.Admin || v.Role == org.Leader || v.Role == org.Supervisor
}

// Anonymous reports whether nobody is signed in.
func (v Viewer) Anonymous() bool { return v.UserID == 0 }

// ProgrammeFor returns a programme v may know of: drafts are visible to
// staff only. Errors: NotFound.
func (s *Service) ProgrammeFor(ctx context.Context, v Viewer, id int64) (Programme, error) {
	p, err := s.Programme(ctx, id)
	if err != nil {
		return p, err
	}
	if (p.State == StateDraft && !v.Staff()) || p.Kind == KindContract {
		return Programme{}, errs.New(errs.NotFound, "评优项目不存在", "programme not found")
	}
	return p, nil
}

// ProgrammesFor lists the programmes v may know of, filtered by f: no drafts
// for non-staff, and only programmes that are or were on notice for the
// anonymous.
func (s *Service) ProgrammesFor(ctx context.Context, v Viewer, f ProgrammeFilter) ([]Programme, error) {
	if !v.Staff() {
		f.NoDraft = true
	}
	if v.Anonymous() {
		f.States = publicStates()
	}
	return s.Programmes(ctx, f)
}

// NoticeOf returns a programme that is or was on public notice, with its
// latest round; anyone may read it. Errors: NotFound.
func (s *Service) NoticeOf(ctx context.Context, id int64) (Programme, Round, error) {
	p, err := s.Programme(ctx, id)
	if err != nil {
		return p, Round{}, err
	}
	if !p.HasNotice() {
		return Programme{}, Round{}, errs.New(errs.NotFound, "公示不存在", "notice not found")
	}
	rd, err := s.LatestRound(ctx, id)
	return p, rd, err
}

// EnterpriseOfViewer is the enterprise of an enterprise account, 0 for any
// other caller or an account linked to none.
func (s *Service) EnterpriseOfViewer(ctx context.Context, v Viewer) (int64, error) {
	if v.Role != org.Enterprise || v.Anonymous() {
		return 0, nil
	}
	return s.EnterpriseOf(ctx, v.UserID)
}

// MyEnterprise is EnterpriseOfViewer for acts that need an enterprise.
// Errors: Forbidden (the account is linked to none).
func (s *Service) MyEnterprise(ctx context.Context, v Viewer) (int64, error) {
	ent, err := s.EnterpriseOfViewer(ctx, v)
	if err == nil && ent == 0 {
		err = errs.New(errs.Forbidden, "该账号未关联企业", "this account is not linked to an enterprise")
	}
	return ent, err
}

// ApplicationFor returns an application v may see: staff, its own
// enterprise, or a reviewer assigned to it (not one in conflict or recused).
// Errors: NotFound.
func (s *Service) ApplicationFor(ctx context.Context, v Viewer, id int64) (Application, error) {
	a, err := s.Application(ctx, id)
	if err != nil {
		return a, err
	}
	ok, err := s.seesApplication(ctx, v, a)
	if err != nil {
		return Application{}, err
	}
	if !ok {
		return Application{}, errs.New(errs.NotFound, "申报不存在", "application not found")
	}
	return a, nil
}

func (s *Service) seesApplication(ctx context.Context, v Viewer, a Application) (bool, error) {
	switch {
	case v.Staff():
		return true, nil
	case v.Role == org.Enterprise:
		ent, err := s.EnterpriseOfViewer(ctx, v)
		return ent != 0 && ent == a.EnterpriseID, err
	case v.Role == org.Reviewer:
		return s.AssignedTo(ctx, a.ID, v.UserID)
	}
	return false, nil
}

// AssignmentFor returns an assignment for its reviewer or staff. Errors:
// NotFound.
func (s *Service) AssignmentFor(ctx context.Context, v Viewer, id int64) (Assignment, error) {
	g, err := s.Assignment(ctx, id)
	if err != nil {
		return g, err
	}
	if !v.Staff() && (v.Anonymous() || g.ReviewerID != v.UserID) {
		return Assignment{}, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	return g, nil
}

// EvidenceFor returns an evidence file v may read: staff, the application's
// enterprise or an assigned reviewer; objection evidence is for staff only.
// Errors: NotFound.
func (s *Service) EvidenceFor(ctx context.Context, v Viewer, id int64) (Evidence, []byte, error) {
	e, data, appID, err := s.EvidenceFile(ctx, id)
	if err != nil {
		return e, nil, err
	}
	if v.Staff() {
		return e, data, nil
	}
	hidden := errs.New(errs.NotFound, "文件不存在", "file not found")
	if appID == 0 {
		return Evidence{}, nil, hidden
	}
	if _, err := s.ApplicationFor(ctx, v, appID); err != nil {
		return Evidence{}, nil, hidden
	}
	return e, data, nil
}

// SetAffiliationsFor declares reviewer reviewerID's affiliations on behalf
// of v: a reviewer only their own, staff anyone's. Errors: Forbidden, and
// those of SetAffiliations.
func (s *Service) SetAffiliationsFor(ctx context.Context, v Viewer, reviewerID int64, text string) error {
	if err := v.mayDeclareFor(reviewerID); err != nil {
		return err
	}
	return s.SetAffiliations(ctx, reviewerID, text)
}

func (v Viewer) mayDeclareFor(reviewerID int64) error {
	if v.Staff() || v.Role == org.Reviewer && v.UserID == reviewerID {
		return nil
	}
	return errs.New(errs.Forbidden, "只能申报自己的关联关系", "you can only declare your own affiliations")
}

// publicStates lists the states in which a programme is public, in order.
func publicStates() []string {
	var out []string
	for _, st := range []string{StateDraft, StateOpen, StateReview, StateNotice, StateConfirmed, StateClosed} {
		if PublicState(st) {
			out = append(out, st)
		}
	}
	return out
}

// RoundFor is programme p's latest ranking as v may see it: the whole round
// is for staff; nil for others, or when p has none yet.
func (s *Service) RoundFor(ctx context.Context, v Viewer, p Programme) *Round {
	if !v.Staff() {
		return nil
	}
	rd, err := s.LatestRound(ctx, p.ID)
	if err != nil {
		return nil
	}
	return &rd
}

// StandingOf is the line of v's own enterprise in programme p's latest
// ranking, once the ranking is public: its entry, or why it was excluded.
// Both are nil for anyone but an enterprise account, before the notice,
// when p has no ranking, and when p ranks another module's records (whose
// ids are not enterprises').
func (s *Service) StandingOf(ctx context.Context, v Viewer, p Programme) (*Entry, *Exclusion, error) {
	ent, err := s.EnterpriseOfViewer(ctx, v)
	if err != nil || ent == 0 || !PublicState(p.State) || p.Rules.Subject != "" {
		return nil, nil, err
	}
	rd, err := s.LatestRound(ctx, p.ID)
	if err != nil {
		return nil, nil, nil
	}
	var entry *Entry
	var excluded *Exclusion
	for i, e := range rd.Result.Entries {
		if e.EnterpriseID == ent {
			entry = &rd.Result.Entries[i]
		}
	}
	for i, x := range rd.Result.Excluded {
		if x.EnterpriseID == ent {
			excluded = &rd.Result.Excluded[i]
		}
	}
	return entry, excluded, nil
}

// AssignmentsOf lists an application's assignments for staff, never nil;
// others get nil (a reviewer sees their own through AssignmentFor).
func (s *Service) AssignmentsOf(ctx context.Context, v Viewer, appID int64) ([]Assignment, error) {
	if !v.Staff() {
		return nil, nil
	}
	gs, err := s.Assignments(ctx, 0, appID)
	if gs == nil && err == nil {
		gs = []Assignment{}
	}
	return gs, err
}
