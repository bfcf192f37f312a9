package httpapi

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Processor is what the API needs of the running processor.
type Processor interface {
	Checkpoint() int64
	Lag() (events int64, age time.Duration)
	Do(ctx context.Context, fn func(ctx context.Context) error) error
	ForgetSource(id string)
}

// Privacy erases and exports a person's data.
type Privacy interface {
	Erase(ctx context.Context, profileID string) (ErasureReport, error)
	Export(ctx context.Context, profileID string) (any, error)
}

// ErasureReport is returned by an erase.
type ErasureReport struct {
	ProfileIDs  []string `json:"profile_ids"`
	Identifiers int      `json:"identifiers"`
	Events      int      `json:"events"`
}

// Deps wires the API to the rest of the app.
type Deps struct {
	State       store.State
	Log         store.Log
	Processor   Processor
	Privacy     Privacy           // nil disables erase/export
	Imports     Imports           // nil disables POST /v1/imports
	Segments    Segments          // nil: segments are saved but not live
	Stages      Stages            // nil: stage models are saved but not computed
	Computed    Computed          // nil: computed traits are saved but not computed
	Journeys    Journeys          // nil: journeys are saved and validated but not published or run
	Messaging   Messaging         // nil: messaging configuration is saved unchecked; no previews or sends
	Engage      Engager           // records in-app engagement with its timeline event; nil: the engagement only
	Tasks       TaskOutcomes      // records agent task outcomes as touchpoints; nil: tasks cannot be completed
	Feedback    FeedbackRecorder  // records bounces and complaints; nil: POST /v1/feedback/email is unavailable
	Audiences   AudienceRefresher // exports ad audiences; nil: POST /v1/audiences/{id}/refresh is unavailable
	ModelTraits ModelTraitWriter  // writes model outputs as traits; nil: POST /v1/analytics/clv/apply is unavailable
	RFM         RFMRebinner       // recomputes RFM scores; nil: POST /v1/traits/rfm/rebin is unavailable
	Histories   HistoryScanner    // the analytics projection; nil: analyses read timelines from State
	Traffic     Traffic           // live ingest stream and per-minute counts; nil: the debugger is unavailable
	Clock       clock.Clock
	Manual      *clock.Manual // non-nil only with --clock manual
	AdminToken  string
	Normalize   profile.Normalizer
	Ready       func(ctx context.Context) error
	Logger      *slog.Logger
	Gatherer    prometheus.Gatherer
	NewID       func(prefix string) string
	NewKey      func() string
}

// Server holds the management API handlers.
type Server struct {
	d     Deps
	cfgMu sync.Mutex // serializes read-modify-write of config objects (create conflicts, secret merge)
	jobs  analysisJobs

	profiles profileCount // GET /v1/stats' profile count (stats.go)
}

// New returns the API server.
func New(d Deps) *Server { return &Server{d: d, jobs: analysisJobs{byID: map[string]*analysisJob{}}} }

// handler is a handler that returns an error for the adapter to render.
type handler func(w http.ResponseWriter, r *http.Request) error

// Register adds every management route to mux. The route table lives here, in one place.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.public(s.healthz))
	mux.HandleFunc("GET /readyz", s.public(s.readyz))
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.d.Gatherer, promhttp.HandlerOpts{}))

	mux.HandleFunc("POST /v1/sources", s.admin(s.createSource))
	mux.HandleFunc("GET /v1/sources", s.admin(s.listSources))
	mux.HandleFunc("GET /v1/sources/{id}", s.admin(s.getSource))
	mux.HandleFunc("POST /v1/sources/{id}/keys", s.admin(s.addKey))
	mux.HandleFunc("DELETE /v1/sources/{id}/keys/{key}", s.admin(s.revokeKey))

	mux.HandleFunc("GET /v1/profiles", s.admin(s.listProfiles))
	mux.HandleFunc("GET /v1/profiles/{ref}", s.admin(s.getProfile))
	mux.HandleFunc("GET /v1/profiles/{ref}/events", s.admin(s.profileEvents))
	mux.HandleFunc("GET /v1/profiles/{ref}/merges", s.admin(s.profileMerges))
	mux.HandleFunc("GET /v1/profiles/{ref}/segments", s.admin(s.profileSegments))
	mux.HandleFunc("DELETE /v1/profiles/{ref}", s.admin(s.eraseProfile))
	mux.HandleFunc("GET /v1/profiles/{ref}/export", s.admin(s.exportProfile))

	mux.HandleFunc("POST /v1/segments", s.admin(s.createSegment))
	mux.HandleFunc("GET /v1/segments", s.admin(s.listSegments))
	mux.HandleFunc("POST /v1/segments/preview", s.admin(s.previewSegment))
	mux.HandleFunc("GET /v1/segments/{id}", s.admin(s.getSegment))
	mux.HandleFunc("PUT /v1/segments/{id}", s.admin(s.updateSegment))
	mux.HandleFunc("DELETE /v1/segments/{id}", s.admin(s.deleteSegment))
	mux.HandleFunc("GET /v1/segments/{id}/versions", s.admin(s.segmentVersions))
	mux.HandleFunc("GET /v1/segments/{id}/members", s.admin(s.segmentMembers))
	mux.HandleFunc("GET /v1/segments/{id}/members.csv", s.admin(s.segmentMembersCSV))
	mux.HandleFunc("GET /v1/segments/{id}/history", s.admin(s.segmentHistory))
	mux.HandleFunc("GET /v1/stages", s.admin(s.getStages))
	mux.HandleFunc("PUT /v1/stages", s.admin(s.putStages))
	mux.HandleFunc("GET /v1/stages/report", s.admin(s.stagesReport))
	mux.HandleFunc("GET /v1/traits/computed", s.admin(s.listComputed))
	mux.HandleFunc("POST /v1/traits/computed", s.admin(s.putComputed))
	mux.HandleFunc("DELETE /v1/traits/computed/{name}", s.admin(s.deleteComputed))

	mux.HandleFunc("GET /v1/profiles/{ref}/journeys", s.admin(s.profileJourneys))
	mux.HandleFunc("GET /v1/profiles/{ref}/messages", s.admin(s.profileMessages))

	mux.HandleFunc("POST /v1/journeys", s.admin(s.createJourney))
	mux.HandleFunc("GET /v1/journeys", s.admin(s.listJourneys))
	mux.HandleFunc("GET /v1/journeys/{id}", s.admin(s.getJourney))
	mux.HandleFunc("PUT /v1/journeys/{id}", s.admin(s.updateJourney))
	mux.HandleFunc("POST /v1/journeys/{id}/validate", s.admin(s.validateJourney))
	mux.HandleFunc("POST /v1/journeys/{id}/publish", s.admin(s.publishJourney))
	mux.HandleFunc("POST /v1/journeys/{id}/pause", s.admin(s.pauseJourney))
	mux.HandleFunc("POST /v1/journeys/{id}/resume", s.admin(s.resumeJourney))
	mux.HandleFunc("POST /v1/journeys/{id}/stop", s.admin(s.stopJourney))
	mux.HandleFunc("GET /v1/journeys/{id}/versions", s.admin(s.journeyVersions))
	mux.HandleFunc("GET /v1/journeys/{id}/versions/{n}", s.admin(s.journeyVersion))
	mux.HandleFunc("GET /v1/journeys/{id}/instances", s.admin(s.journeyInstances))
	mux.HandleFunc("GET /v1/journeys/{id}/stats", s.admin(s.journeyStats))
	mux.HandleFunc("POST /v1/journeys/{id}/entries", s.admin(s.enterJourney))

	mux.HandleFunc("POST /v1/templates", s.admin(s.createConfig(templateKind)))
	mux.HandleFunc("GET /v1/templates", s.admin(s.listConfig(templateKind)))
	mux.HandleFunc("GET /v1/templates/{id}", s.admin(s.getConfig(templateKind)))
	mux.HandleFunc("PUT /v1/templates/{id}", s.admin(s.putConfig(templateKind)))
	mux.HandleFunc("DELETE /v1/templates/{id}", s.admin(s.deleteConfig(templateKind)))
	mux.HandleFunc("POST /v1/channels", s.admin(s.createConfig(channelKind)))
	mux.HandleFunc("GET /v1/channels", s.admin(s.listConfig(channelKind)))
	mux.HandleFunc("GET /v1/channels/{id}", s.admin(s.getConfig(channelKind)))
	mux.HandleFunc("PUT /v1/channels/{id}", s.admin(s.putConfig(channelKind)))
	mux.HandleFunc("DELETE /v1/channels/{id}", s.admin(s.deleteConfig(channelKind)))
	mux.HandleFunc("POST /v1/subscription-groups", s.admin(s.createConfig(groupKind)))
	mux.HandleFunc("GET /v1/subscription-groups", s.admin(s.listConfig(groupKind)))
	mux.HandleFunc("GET /v1/subscription-groups/{id}", s.admin(s.getConfig(groupKind)))
	mux.HandleFunc("PUT /v1/subscription-groups/{id}", s.admin(s.putConfig(groupKind)))
	mux.HandleFunc("DELETE /v1/subscription-groups/{id}", s.admin(s.deleteConfig(groupKind)))
	mux.HandleFunc("POST /v1/audiences", s.admin(s.createConfig(audienceKind)))
	mux.HandleFunc("GET /v1/audiences", s.admin(s.listConfig(audienceKind)))
	mux.HandleFunc("GET /v1/audiences/{id}", s.admin(s.getConfig(audienceKind)))
	mux.HandleFunc("PUT /v1/audiences/{id}", s.admin(s.putConfig(audienceKind)))
	mux.HandleFunc("DELETE /v1/audiences/{id}", s.admin(s.deleteConfig(audienceKind)))
	mux.HandleFunc("POST /v1/audiences/{id}/refresh", s.admin(s.refreshAudience))
	mux.HandleFunc("POST /v1/frequency-rules", s.admin(s.createConfig(ruleKind)))
	mux.HandleFunc("GET /v1/frequency-rules", s.admin(s.listConfig(ruleKind)))
	mux.HandleFunc("GET /v1/frequency-rules/{id}", s.admin(s.getConfig(ruleKind)))
	mux.HandleFunc("PUT /v1/frequency-rules/{id}", s.admin(s.putConfig(ruleKind)))
	mux.HandleFunc("DELETE /v1/frequency-rules/{id}", s.admin(s.deleteConfig(ruleKind)))
	mux.HandleFunc("GET /v1/settings/messaging", s.admin(s.getMessagingSettings))
	mux.HandleFunc("PUT /v1/settings/messaging", s.admin(s.putMessagingSettings))
	mux.HandleFunc("POST /v1/templates/preview", s.admin(s.previewInline))
	mux.HandleFunc("POST /v1/templates/{id}/preview", s.admin(s.previewTemplate))
	mux.HandleFunc("POST /v1/messages", s.admin(s.sendMessage))
	mux.HandleFunc("GET /v1/suppressions", s.admin(s.listSuppressions))
	mux.HandleFunc("POST /v1/suppressions", s.admin(s.importSuppressions))

	mux.HandleFunc("GET /v1/inapp/{ref}", s.public(s.inbox))
	mux.HandleFunc("POST /v1/inapp/{ref}/messages/{key}/{action}", s.public(s.inboxAction))
	mux.HandleFunc("POST /v1/feedback/email", s.admin(s.emailFeedback))
	mux.HandleFunc("POST /v1/feedback/direct_mail", s.admin(s.directMailFeedback))
	mux.HandleFunc("GET /v1/agent/tasks", s.admin(s.listTasks))
	mux.HandleFunc("POST /v1/agent/tasks/{key}/claim", s.admin(s.claimTask))
	mux.HandleFunc("POST /v1/agent/tasks/{key}/complete", s.admin(s.completeTask))

	s.registerModels(mux)
	mux.HandleFunc("POST /v1/analytics/clv/apply", s.admin(s.async(s.applyCLV)))
	mux.HandleFunc("POST /v1/traits/rfm/rebin", s.admin(s.rebinRFM))
	s.registerFunnels(mux)
	s.registerReports(mux)
	s.registerJourneyMap(mux)
	s.registerJobs(mux)
	s.registerConsoleSession(mux)
	s.registerTraffic(mux)

	mux.HandleFunc("POST /v1/imports", s.admin(s.startImport))
	mux.HandleFunc("GET /v1/imports/{id}", s.admin(s.getImport))
	mux.HandleFunc("GET /v1/rejections", s.admin(s.rejections))
	mux.HandleFunc("GET /v1/stats", s.admin(s.stats))
	mux.HandleFunc("GET /v1/audit", s.admin(s.audit))
	mux.HandleFunc("GET /v1/admin/clock", s.admin(s.getClock))
	mux.HandleFunc("POST /v1/admin/clock", s.admin(s.setClock))
}

func (s *Server) public(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, h) }
}

func (s *Server) admin(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.authenticate(r); err != nil {
			s.render(w, r, err)
			return
		}
		s.serve(w, r, h)
	}
}

// authenticate accepts the admin token as a Bearer header, or a console
// session cookie (console_session.go) with, on requests that change
// anything, its CSRF token in X-CSRF-Token.
func (s *Server) authenticate(r *http.Request) error {
	if h := r.Header.Get("Authorization"); h != "" {
		if s.authorized(r) {
			return nil
		}
		return errNeedToken
	}
	csrf, _, ok := s.session(r)
	if !ok {
		return errNeedToken
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(csrf)) != 1 {
		return apiErr(CodeForbidden, "this console request lacks its %s header (the csrf value GET /v1/console/session returns); reload the console", csrfHeader)
	}
	return nil
}

var errNeedToken = apiErr(CodeUnauthorized,
	"this endpoint needs the admin token: send 'Authorization: Bearer <token>' (CAIRN_ADMIN_TOKEN, or admin.token in the data folder), or sign in to the console")

// Authorized reports whether r carries the admin token.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || s.d.AdminToken == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.d.AdminToken)) == 1
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, h handler) {
	if err := h(w, r); err != nil {
		s.render(w, r, err)
	}
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, err error) {
	ae := asAPIError(err)
	if ae.Code == CodeInternal {
		s.d.Logger.Error("api request", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	writeJSON(w, ae.Status(), map[string]any{"error": ae})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decode reads a JSON body of at most 1 MiB into v, rejecting unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apiErr(CodeBadRequest, "request body is not valid JSON for this endpoint: %v", err)
	}
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.d.Ready != nil {
		if err := s.d.Ready(r.Context()); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
			return nil
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}
