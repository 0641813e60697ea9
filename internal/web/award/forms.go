package award

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/award"
	"gaoxin/internal/errs"
)

// HTML form posts of the awards module. Each calls the same service method
// as the API and redirects back; a refusal renders the error page with the
// reason and the fields.

func backTo(w http.ResponseWriter, r *http.Request, path string) error {
	return web.SeeOther(w, r, path+"?ok=saved")
}

func progPath(id int64) string { return "/awards/programmes/" + strconv.FormatInt(id, 10) }

func formInt(r *http.Request, name string) int64 {
	v, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return v
}

// formYuan reads an amount in 元 with up to two decimals as fen.
func formYuan(r *http.Request, name string) (int64, error) {
	v, ok := award.ParseFixed(r.FormValue(name))
	if !ok || v%10_000 != 0 {
		return 0, errs.Field(name, "金额格式应为元，最多两位小数", "amount must be in yuan with at most two decimals")
	}
	return int64(v) / 10_000, nil
}

func (s *handlers) handleAdvance(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Award.Advance(r.Context(), id, r.FormValue("to")); err != nil {
		return err
	}
	return backTo(w, r, progPath(id))
}

func (s *handlers) handleRank(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Award.RankProgramme(r.Context(), id); err != nil {
		return err
	}
	return backTo(w, r, progPath(id))
}

// readUploads reads the evidence files of field name: each within the
// award's evidence limit, the whole body within the deployment's.
func (s *handlers) readUploads(w http.ResponseWriter, r *http.Request, name string) ([]award.File, error) {
	ups, err := web.ReadFiles(w, r, name, s.Award.MaxEvidence, s.Cfg.MaxUpload)
	out := make([]award.File, len(ups))
	for i, u := range ups {
		out[i] = award.File(u)
	}
	return out, err
}

func (s *handlers) handleApply(w http.ResponseWriter, r *http.Request) error {
	p, err := s.programme(r)
	if err != nil {
		return err
	}
	files, err := s.readUploads(w, r, "evidence")
	if err != nil {
		return err
	}
	ent, err := s.Award.EnterpriseOfViewer(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	if _, err := s.Award.Apply(r.Context(), p.ID, ent, r.FormValue("summary"), r.FormValue("contact"), files); err != nil {
		return err
	}
	return backTo(w, r, progPath(p.ID))
}

func (s *handlers) handleCheckForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Award.Check(r.Context(), id, r.FormValue("decision") == "accept", r.FormValue("reason")); err != nil {
		return err
	}
	return backTo(w, r, "/awards/applications/"+strconv.FormatInt(id, 10))
}

func (s *handlers) handleAssignForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Award.Assign(r.Context(), id, formInt(r, "reviewer_id")); err != nil {
		return err
	}
	return backTo(w, r, "/awards/applications/"+strconv.FormatInt(id, 10))
}

func (s *handlers) handleAffiliationsForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.Award.SetAffiliations(r.Context(), web.CurrentUser(r).ID, r.FormValue("affiliations")); err != nil {
		return err
	}
	return backTo(w, r, "/awards/reviews")
}

func (s *handlers) handleScoresForm(w http.ResponseWriter, r *http.Request) error {
	g, err := s.assignment(r)
	if err != nil {
		return err
	}
	prog, err := s.Award.Programme(r.Context(), g.ProgrammeID)
	if err != nil {
		return err
	}
	var scores []award.Score
	for _, c := range prog.Rules.Criteria {
		scores = append(scores, award.Score{Criterion: c.Code, Value: strings.TrimSpace(r.FormValue("score_" + c.Code)), Comment: r.FormValue("comment_" + c.Code)})
	}
	if _, err := s.Award.SubmitScores(r.Context(), g.ID, web.CurrentUser(r).ID, scores); err != nil {
		return err
	}
	return backTo(w, r, "/awards/assignments/"+strconv.FormatInt(g.ID, 10))
}

func (s *handlers) handleRecuseForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Award.Recuse(r.Context(), id, web.CurrentUser(r).ID, r.FormValue("reason")); err != nil {
		return err
	}
	return backTo(w, r, "/awards/reviews")
}

func (s *handlers) handleDecideForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.Award.Objection(r.Context(), id)
	if err != nil {
		return err
	}
	upheld := r.FormValue("decision") == "uphold"
	var corr []award.Correction
	switch r.FormValue("correction") {
	case "exclude":
		corr = append(corr, award.Correction{Kind: "exclude", EnterpriseID: formInt(r, "enterprise_id")})
	case "figure":
		v, ok := award.ParseFixed(r.FormValue("value"))
		year, _ := strconv.Atoi(r.FormValue("year"))
		if !ok {
			return errs.Field("value", "更正值须为数字", "the corrected value must be a number")
		}
		scale, err := s.indicatorScale(r, r.FormValue("indicator"))
		if err != nil {
			return err
		}
		stored, ok := toStored(v, scale)
		if !ok {
			return errs.Field("value", "更正值的小数位过多", "the corrected value has too many decimals")
		}
		corr = append(corr, award.Correction{Kind: "figure", EnterpriseID: formInt(r, "enterprise_id"), Indicator: r.FormValue("indicator"), Year: year, Value: stored})
	}
	if _, err := s.Award.Decide(r.Context(), id, upheld, r.FormValue("finding"), corr); err != nil {
		return err
	}
	return backTo(w, r, progPath(o.ProgrammeID))
}

// indicatorScale is a registry figure's decimal scale.
func (s *handlers) indicatorScale(r *http.Request, code string) (int, error) {
	known, err := s.Award.Indicators(r.Context())
	if err != nil {
		return 0, err
	}
	sc, ok := known[code]
	if !ok {
		return 0, errs.Field("indicator", "指标不存在："+code, "no such figure: "+code)
	}
	return sc, nil
}

// toStored converts a value in natural units (元, 亩, 人) to the stored
// integer of the given scale, refusing extra decimals.
func toStored(v award.Fixed, scale int) (int64, bool) {
	div := int64(1)
	for i := scale; i < 6; i++ {
		div *= 10
	}
	if int64(v)%div != 0 {
		return 0, false
	}
	return int64(v) / div, true
}

func (s *handlers) handleGrantForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	amount, err := formYuan(r, "amount_yuan")
	if err != nil {
		return err
	}
	if _, err := s.Award.CreateGrant(r.Context(), id, formInt(r, "enterprise_id"), amount, r.FormValue("basis")); err != nil {
		return err
	}
	return backTo(w, r, progPath(id))
}

func (s *handlers) handlePayForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	amount, err := formYuan(r, "amount_yuan")
	if err != nil {
		return err
	}
	g, err := s.Award.Grant(r.Context(), id)
	if err != nil {
		return err
	}
	// The form carries its own idempotency key, so a double submit is a replay.
	if _, _, err := s.Award.RequestPayment(r.Context(), id, r.FormValue("key"), award.PaymentRequest{AmountFen: amount, Note: r.FormValue("note")}); err != nil {
		return err
	}
	return backTo(w, r, progPath(g.ProgrammeID))
}

func (s *handlers) paymentProgramme(r *http.Request, id int64) (int64, error) {
	p, err := s.Award.PaymentByID(r.Context(), id)
	if err != nil {
		return 0, err
	}
	g, err := s.Award.Grant(r.Context(), p.GrantID)
	return g.ProgrammeID, err
}

func (s *handlers) paymentForm(fn func(r *http.Request, id int64) error) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		prog, err := s.paymentProgramme(r, id)
		if err != nil {
			return err
		}
		if err := fn(r, id); err != nil {
			return err
		}
		return backTo(w, r, progPath(prog))
	}
}

func (s *handlers) handleApproveForm(w http.ResponseWriter, r *http.Request) error {
	return s.paymentForm(func(r *http.Request, id int64) error {
		_, err := s.Award.Approve(r.Context(), id)
		return err
	})(w, r)
}

func (s *handlers) handlePaidForm(w http.ResponseWriter, r *http.Request) error {
	return s.paymentForm(func(r *http.Request, id int64) error {
		_, err := s.Award.MarkPaid(r.Context(), id, r.FormValue("voucher_no"), r.FormValue("paid_on"))
		return err
	})(w, r)
}

func (s *handlers) handleWithdrawForm(w http.ResponseWriter, r *http.Request) error {
	return s.paymentForm(func(r *http.Request, id int64) error {
		_, err := s.Award.Withdraw(r.Context(), id, r.FormValue("reason"))
		return err
	})(w, r)
}

func (s *handlers) handleReverseForm(w http.ResponseWriter, r *http.Request) error {
	return s.paymentForm(func(r *http.Request, id int64) error {
		_, err := s.Award.Reverse(r.Context(), id, r.FormValue("reason"), r.FormValue("date"))
		return err
	})(w, r)
}

func (s *handlers) handleFlagForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Enterprise.BriefByCode(r.Context(), r.FormValue("credit_code"))
	if err != nil {
		return err
	}
	if _, err := s.Enterprise.AddFlag(r.Context(), web.EnterpriseViewer(r), e.ID, r.FormValue("kind"), r.FormValue("note")); err != nil {
		return err
	}
	return backTo(w, r, "/awards/flags")
}

func (s *handlers) handleFlagClearForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Enterprise.ClearFlag(r.Context(), web.EnterpriseViewer(r), id); err != nil {
		return err
	}
	return backTo(w, r, "/awards/flags")
}
