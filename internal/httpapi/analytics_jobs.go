package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/progress"
)

// Analyses over every profile take seconds to minutes on large stores. Any
// analytics route runs as a background job when asked with the RFC 7240
// header "Prefer: respond-async": the answer is 202 with the job
// (Location: /v1/analytics/jobs/{id}); the job reports its progress, can be
// cancelled (DELETE), and keeps the route's answer until fetched from
// /v1/analytics/jobs/{id}/result. Without the header a route answers
// synchronously and stops when the client goes away. Jobs live in memory:
// a restart forgets them (run the analysis again).
const (
	maxRunningJobs = 2  // the scans are CPU-bound: one per core
	maxKeptJobs    = 64 // finished jobs kept for their results, oldest dropped first
)

// Job states.
const (
	jobRunning   = "running"
	jobSucceeded = "succeeded"
	jobFailed    = "failed"
	jobCancelled = "cancelled"
)

// analysisJobs holds the background analyses of one server.
type analysisJobs struct {
	mu    sync.Mutex
	byID  map[string]*analysisJob
	order []string // creation order
}

// analysisJob is one background analysis and, when finished, its answer.
type analysisJob struct {
	ID       string `json:"id"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Status   string `json:"status"`
	Created  time.Time
	Finished time.Time

	counter *progress.Counter
	cancel  context.CancelFunc
	code    int
	header  http.Header
	body    []byte
}

// jobView is a job as the API shows it.
type jobView struct {
	ID         string            `json:"id"`
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Status     string            `json:"status"`
	Progress   progress.Snapshot `json:"progress"`
	CreatedAt  time.Time         `json:"created_at"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
	// HTTPStatus is the status of the route's answer once finished.
	HTTPStatus int    `json:"http_status,omitempty"`
	ResultURL  string `json:"result_url,omitempty"`
}

func (j *analysisJob) view() jobView {
	v := jobView{ID: j.ID, Method: j.Method, Path: j.Path, Status: j.Status, Progress: j.counter.Snapshot(), CreatedAt: j.Created}
	if j.Status != jobRunning {
		f := j.Finished
		v.FinishedAt = &f
		v.HTTPStatus = j.code
		if j.Status == jobSucceeded || j.Status == jobFailed {
			v.ResultURL = "/v1/analytics/jobs/" + j.ID + "/result"
		}
		if j.Status == jobSucceeded {
			v.Progress.Fraction = 1
		}
	}
	return v
}

// wantsAsync reports an RFC 7240 respond-async preference.
func wantsAsync(r *http.Request) bool {
	_, ok := preference(r, "respond-async")
	return ok
}

// maxPreferWait bounds the wait preference.
const maxPreferWait = 10 * time.Second

// preferWait is the RFC 7240 wait preference (seconds): how long the client
// is ready to wait for the answer before taking a job instead; 0 when absent
// or unreadable, at most maxPreferWait.
func preferWait(r *http.Request) time.Duration {
	v, ok := preference(r, "wait")
	if !ok {
		return 0
	}
	n, err := strconv.ParseFloat(strings.Trim(v, `"`), 64)
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n*float64(time.Second)), maxPreferWait)
}

// preference finds a preference of the Prefer headers and its value.
func preference(r *http.Request, name string) (string, bool) {
	for _, h := range r.Header.Values("Prefer") {
		for pref := range strings.SplitSeq(h, ",") {
			token, _, _ := strings.Cut(strings.TrimSpace(pref), ";")
			k, v, _ := strings.Cut(token, "=")
			if strings.EqualFold(strings.TrimSpace(k), name) {
				return strings.TrimSpace(v), true
			}
		}
	}
	return "", false
}

// async runs h as a background job when the request prefers it.
func (s *Server) async(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !wantsAsync(r) {
			return h(w, r)
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			return badField("body", "read the request body: %v", err)
		}
		counter := &progress.Counter{}
		if n, err := s.d.State.CountProfiles(r.Context()); err == nil {
			counter.SetTotal(n)
		}
		// The job outlives the request: keep its values, not its cancellation.
		ctx, cancel := context.WithCancel(progress.With(context.WithoutCancel(r.Context()), counter))
		req := r.Clone(ctx)
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.Header.Del("Prefer")
		j := &analysisJob{ID: s.d.NewID("job"), Method: r.Method, Path: r.URL.RequestURI(), Status: jobRunning,
			Created: s.d.Clock.Now().UTC(), counter: counter, cancel: cancel}
		if err := s.jobs.start(j); err != nil {
			cancel()
			return err
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			rec := &recorder{header: http.Header{}}
			s.serve(rec, req, h)
			s.jobs.finish(j, rec, ctx.Err() != nil, s.d.Clock.Now().UTC())
			cancel()
		}()
		// With Prefer: wait=N, an analysis done within N seconds is answered
		// as if synchronous (RFC 7240 §4.3) and its job forgotten.
		if wait := preferWait(r); wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case <-done:
				if res, ok := s.jobs.take(j.ID); ok {
					for k, vs := range res.header {
						w.Header()[k] = vs
					}
					w.WriteHeader(res.code)
					_, err := w.Write(res.body)
					return err
				}
			case <-t.C:
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Location", "/v1/analytics/jobs/"+j.ID)
		w.Header().Set("Preference-Applied", "respond-async")
		s.jobs.mu.Lock()
		v := j.view()
		s.jobs.mu.Unlock()
		writeJSON(w, http.StatusAccepted, v)
		return nil
	}
}

func (js *analysisJobs) start(j *analysisJob) error {
	js.mu.Lock()
	defer js.mu.Unlock()
	running := 0
	for _, o := range js.byID {
		if o.Status == jobRunning {
			running++
		}
	}
	if running >= maxRunningJobs {
		return apiErr(CodeUnavailable, "%d analyses are running already; wait for one (GET /v1/analytics/jobs) or cancel one (DELETE /v1/analytics/jobs/{id})", running)
	}
	for len(js.order) >= maxKeptJobs {
		i := slices.IndexFunc(js.order, func(id string) bool { return js.byID[id].Status != jobRunning })
		if i < 0 {
			break
		}
		delete(js.byID, js.order[i])
		js.order = slices.Delete(js.order, i, i+1)
	}
	js.byID[j.ID] = j
	js.order = append(js.order, j.ID)
	return nil
}

// take removes a finished, not cancelled job and returns it.
func (js *analysisJobs) take(id string) (*analysisJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	if !ok || j.Status == jobRunning || j.Status == jobCancelled {
		return nil, false
	}
	delete(js.byID, id)
	js.order = slices.DeleteFunc(js.order, func(o string) bool { return o == id })
	return j, true
}

func (js *analysisJobs) finish(j *analysisJob, rec *recorder, cancelled bool, at time.Time) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j.Finished, j.code, j.header, j.body = at, rec.status(), rec.header, rec.buf.Bytes()
	switch {
	case cancelled:
		j.Status = jobCancelled
	case j.code < 300:
		j.Status = jobSucceeded
	default:
		j.Status = jobFailed
	}
}

// recorder keeps a handler's answer in memory.
type recorder struct {
	header http.Header
	code   int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.buf.Write(b)
}
func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

var _ http.ResponseWriter = (*recorder)(nil)

// registerJobs adds the job routes.
func (s *Server) registerJobs(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/analytics/jobs", s.admin(s.listJobs))
	mux.HandleFunc("GET /v1/analytics/jobs/{id}", s.admin(s.getJob))
	mux.HandleFunc("GET /v1/analytics/jobs/{id}/result", s.admin(s.jobResult))
	mux.HandleFunc("DELETE /v1/analytics/jobs/{id}", s.admin(s.cancelJob))
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) error {
	s.jobs.mu.Lock()
	out := make([]jobView, 0, len(s.jobs.order))
	for _, id := range slices.Backward(s.jobs.order) { // newest first
		out = append(out, s.jobs.byID[id].view())
	}
	s.jobs.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
	return nil
}

// job returns the {id} job's view and, when finished, its answer.
func (s *Server) job(r *http.Request) (*analysisJob, jobView, error) {
	id := r.PathValue("id")
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	j, ok := s.jobs.byID[id]
	if !ok {
		return nil, jobView{}, apiErr(CodeNotFound, "no analysis job %q (jobs live in memory: a restart or %d newer jobs forget it)", id, maxKeptJobs)
	}
	return j, j.view(), nil
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) error {
	_, v, err := s.job(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// jobResult answers what the route answered: status, headers and body.
func (s *Server) jobResult(w http.ResponseWriter, r *http.Request) error {
	j, v, err := s.job(r)
	if err != nil {
		return err
	}
	switch v.Status {
	case jobRunning:
		return apiErr(CodeConflict, "job %s is still running (%.0f%% of %d profiles read); poll GET /v1/analytics/jobs/%s",
			j.ID, 100*v.Progress.Fraction, v.Progress.Total, j.ID)
	case jobCancelled:
		return apiErr(CodeConflict, "job %s was cancelled; run the analysis again", j.ID)
	}
	for k, vs := range j.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(j.code)
	_, err = w.Write(j.body)
	return err
}

// cancelJob stops a running job (it ends as cancelled) or forgets a
// finished one.
func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request) error {
	j, v, err := s.job(r)
	if err != nil {
		return err
	}
	if v.Status == jobRunning {
		j.cancel()
		s.auditf(r, "analytics.job.cancel", j.ID, "path=%s", j.Path)
	} else {
		s.jobs.mu.Lock()
		delete(s.jobs.byID, j.ID)
		s.jobs.order = slices.DeleteFunc(s.jobs.order, func(id string) bool { return id == j.ID })
		s.jobs.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
