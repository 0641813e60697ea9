package enterprise

import (
	"context"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

func viewer(r *http.Request) enterprise.Viewer { return web.EnterpriseViewer(r) }

// filter reads list filters from the query. Figure bounds are given in
// the indicator's display unit (万元 for money).
func (s *handlers) filter(r *http.Request) (enterprise.Filter, error) {
	q := r.URL.Query()
	f := enterprise.Filter{Name: q.Get("name"), CreditCode: q.Get("credit_code"), Area: q.Get("area"), Chain: q.Get("chain"),
		Tier: q.Get("tier"), Status: enterprise.Status(q.Get("status")), Industry: q.Get("industry"), Indicator: q.Get("indicator"),
		Class: strings.ToUpper(strings.TrimSpace(q.Get("class")))}
	var bad []errs.Detail
	intParam := func(name string, dst *int64) {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				bad = append(bad, errs.Detail{Field: name, Value: v, Reason: "应为非负整数", ReasonEN: "must be a non-negative integer"})
			}
			*dst = n
		}
	}
	var after, limit, year, classYear int64
	intParam("after", &after)
	intParam("limit", &limit)
	intParam("year", &year)
	intParam("class_year", &classYear)
	f.After, f.Limit, f.Year, f.ClassYear = after, int(limit), int(year), int(classYear)
	if f.Indicator != "" && (q.Get("min") != "" || q.Get("max") != "") {
		inds, err := s.Enterprise.Indicators(r.Context())
		if err != nil {
			return f, err
		}
		var ind *enterprise.Indicator
		for i := range inds {
			if inds[i].Code == f.Indicator {
				ind = &inds[i]
			}
		}
		if ind == nil {
			bad = append(bad, errs.Detail{Field: "indicator", Value: f.Indicator, Reason: "未知指标", ReasonEN: "unknown indicator"})
		} else {
			for _, b := range []struct {
				name string
				dst  **int64
			}{{"min", &f.Min}, {"max", &f.Max}} {
				if v := q.Get(b.name); v != "" {
					n, err := enterprise.ParseDisplay(*ind, v)
					if err != nil {
						bad = append(bad, errs.Detail{Field: b.name, Value: v, Reason: "不是数字", ReasonEN: "not a number"})
						continue
					}
					*b.dst = &n
				}
			}
		}
		if f.Year == 0 {
			bad = append(bad, errs.Detail{Field: "year", Reason: "按指标筛选时须指定年度", ReasonEN: "a figure range needs a year"})
		}
	}
	if len(bad) > 0 {
		return f, errs.List("筛选条件有误", "invalid filter", bad)
	}
	return f, nil
}

func (s *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, err := s.filter(r)
	if err != nil {
		return err
	}
	p, err := s.Enterprise.List(r.Context(), viewer(r), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in enterprise.Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.Enterprise.Create(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, e)
	return nil
}

type detail struct {
	enterprise.Enterprise
	Tiers   []enterprise.Tier   `json:"tiers"`
	Figures []enterprise.Figure `json:"figures"`
}

func (s *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, tiers, figs, err := s.Enterprise.Detail(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	d := detail{Enterprise: e, Tiers: tiers, Figures: figs}
	if d.Figures == nil {
		d.Figures = []enterprise.Figure{}
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in enterprise.Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.Enterprise.Update(r.Context(), viewer(r), id, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, e)
	return nil
}

func (s *handlers) apiFigures(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	figs, err := s.Enterprise.Figures(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	if figs == nil {
		figs = []enterprise.Figure{}
	}
	web.WriteJSON(w, http.StatusOK, figs)
	return nil
}

func (s *handlers) apiSetFigures(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in []enterprise.FigureInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.Enterprise.SetFigures(r.Context(), viewer(r), id, in); err != nil {
		return err
	}
	return s.apiFigures(w, r)
}

type reviewRequest struct {
	Indicator string `json:"indicator"`
	Year      int    `json:"year"`
	Month     int    `json:"month,omitempty"`
	Confirm   bool   `json:"confirm"`
	Reason    string `json:"reason,omitempty"` // required to reject; the enterprise sees it
}

func (s *handlers) apiReview(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req reviewRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Enterprise.Review(r.Context(), viewer(r), id, req.Indicator, req.Year, req.Month, req.Confirm, req.Reason); err != nil {
		return err
	}
	return s.apiFigures(w, r)
}

func (s *handlers) apiTiers(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ts, err := s.Enterprise.TiersOf(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, ts)
	return nil
}

func (s *handlers) apiAddTier(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var t enterprise.Tier
	if err := web.DecodeJSON(r, &t); err != nil {
		return err
	}
	t, err = s.Enterprise.AddTier(r.Context(), viewer(r), id, t)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, t)
	return nil
}

func (s *handlers) apiHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	h, err := s.Enterprise.History(r.Context(), viewer(r), id, before, 100)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, h)
	return nil
}

type linkRequest struct {
	Username string `json:"username"`
}

func (s *handlers) apiLink(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req linkRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Enterprise.LinkAccount(r.Context(), viewer(r), id, req.Username); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, linkAnswer{EnterpriseID: id, Username: req.Username})
	return nil
}

func (s *handlers) apiBank(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.Enterprise.BankAccount(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (s *handlers) apiSetBank(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req enterprise.BankAccount
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	b, err := s.Enterprise.SetBankAccount(r.Context(), viewer(r), id, req)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (s *handlers) apiPending(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Enterprise.Pending(r.Context(), viewer(r), 500)
	if err != nil {
		return err
	}
	if p == nil {
		p = []enterprise.PendingFigure{}
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *handlers) apiExpiring(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Enterprise.Expiring(r.Context(), viewer(r), 500)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (s *handlers) apiChains(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Enterprise.ChainTree(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, t)
	return nil
}

type chainRequest struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en,omitempty"`
	Parent string `json:"parent,omitempty"`
	Sort   int    `json:"sort,omitempty"`
}

func (s *handlers) apiAddChain(w http.ResponseWriter, r *http.Request) error {
	var req chainRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	n, err := s.Enterprise.AddChainNode(r.Context(), viewer(r), enterprise.ChainNode{Code: req.Code, NameZH: req.NameZH, NameEN: req.NameEN, Sort: req.Sort}, req.Parent)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, n)
	return nil
}

func (s *handlers) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Enterprise.Indicators(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, l)
	return nil
}

func (s *handlers) apiSaveIndicator(w http.ResponseWriter, r *http.Request) error {
	var in enterprise.Indicator
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	in.Code = r.PathValue("code")
	out, err := s.Enterprise.SaveIndicator(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *handlers) apiIndustryCodes(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Enterprise.IndustryCodes(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, l)
	return nil
}

// readUpload reads an uploaded spreadsheet: the multipart field "file", or
// the raw body, refusing anything over the size limit.
func (s *handlers) readUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	limit := s.Enterprise.MaxImportBytes
	if limit <= 0 || limit > s.Cfg.MaxUpload {
		limit = s.Cfg.MaxUpload
	}
	tooLarge := errs.New(errs.TooLarge, "文件超过大小上限 "+strconv.FormatInt(limit>>20, 10)+" MB", "the file is over the "+strconv.FormatInt(limit>>20, 10)+" MB limit")
	if r.ContentLength > limit+64<<10 {
		return nil, "", tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		file, hdr, err := r.FormFile("file")
		if err != nil {
			if strings.Contains(err.Error(), "too large") {
				return nil, "", tooLarge
			}
			return nil, "", errs.Field("file", "请选择要导入的文件", "choose a file to import")
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, limit+1))
		if err != nil {
			return nil, "", err
		}
		if int64(len(data)) > limit {
			return nil, "", tooLarge
		}
		return data, hdr.Filename, nil
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, "", tooLarge
	}
	if int64(len(data)) > limit {
		return nil, "", tooLarge
	}
	return data, r.URL.Query().Get("filename"), nil
}

// startImport stores the upload as a job and runs it: in the request for
// small files, in the background for large ones.
// The options are read after the upload, so the form is parsed only
// under the size limit.
func (s *handlers) startImport(w http.ResponseWriter, r *http.Request, options func() (dryRun bool, source string)) (enterprise.ImportJob, error) {
	data, name, err := s.readUpload(w, r)
	if err != nil {
		return enterprise.ImportJob{}, err
	}
	dryRun, source := options()
	if name == "" {
		name = "upload.xlsx"
	}
	j, err := s.Enterprise.StartImport(r.Context(), viewer(r), data, enterprise.ImportOptions{Filename: name, DryRun: dryRun, Source: enterprise.Source(source)})
	if err != nil {
		return j, err
	}
	host, _ := os.Hostname()
	by := host + "/web"
	if len(data) <= enterprise.BackgroundBytes {
		if err := s.Enterprise.RunJob(r.Context(), j.ID, by); err != nil {
			return j, err
		}
	} else {
		go func(id int64) {
			if err := s.Enterprise.RunJob(detached(), id, by); err != nil {
				s.Log.Error("import job", "job", id, "err", err)
			}
		}(j.ID)
	}
	return s.Enterprise.Job(r.Context(), viewer(r), j.ID)
}

func (s *handlers) apiImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	j, err := s.startImport(w, r, func() (bool, string) {
		return q.Get("dry_run") == "1" || q.Get("dry_run") == "true", q.Get("source")
	})
	if err != nil {
		return err
	}
	code := http.StatusAccepted
	if !j.Running() {
		code = http.StatusOK
		if j.Result != nil && len(j.Result.Errors) > 0 || j.Status == enterprise.JobFailed {
			code = http.StatusUnprocessableEntity
		}
	}
	web.WriteJSON(w, code, j)
	return nil
}

func (s *handlers) apiJobs(w http.ResponseWriter, r *http.Request) error {
	js, err := s.Enterprise.Jobs(r.Context(), viewer(r), 50)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, js)
	return nil
}

func (s *handlers) apiJob(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	j, err := s.Enterprise.Job(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, j)
	return nil
}

// detached detaches a background job from the request, keeping
// nothing of it: the job records its own actor.
func detached() context.Context { return context.Background() }
