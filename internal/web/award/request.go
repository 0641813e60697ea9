package award

import (
	"net/http"

	"gaoxin/internal/award"
	"gaoxin/internal/web"
)

// Request parsing shared by the module's handlers. Who may see which object
// is decided by internal/award, which takes the caller as a Viewer.

// viewer is the caller as the awards service takes it.
func viewer(r *http.Request) award.Viewer { return award.ViewerOf(web.CurrentUser(r)) }

// programme loads the programme named by the path's {id} for the caller.
func (s *handlers) programme(r *http.Request) (award.Programme, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Programme{}, err
	}
	return s.Award.ProgrammeFor(r.Context(), viewer(r), id)
}

// assignment loads the assignment named by the path's {id} for the caller.
func (s *handlers) assignment(r *http.Request) (award.Assignment, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Assignment{}, err
	}
	return s.Award.AssignmentFor(r.Context(), viewer(r), id)
}

// notice loads the programme on public notice named by the path's {id}.
func (s *handlers) notice(r *http.Request) (award.Programme, award.Round, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return award.Programme{}, award.Round{}, err
	}
	return s.Award.NoticeOf(r.Context(), id)
}
