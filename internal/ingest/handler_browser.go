package ingest

import (
	"errors"
	"io"
	"net/http"
	"strings"
)

// requiredCORSHeaders are allowed on every preflight: analytics-next sends
// Authorization (from 1.84), Content-Type text/plain and X-Retry-Count.
var requiredCORSHeaders = []string{"Authorization", "Content-Type", "X-Retry-Count", "Content-Encoding"}

// maxEchoedHeaders bounds what a preflight echoes back.
const maxEchoedHeaders = 32

// cors sets the headers every response on these routes carries.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Origin", origin)
	hdr.Set("Access-Control-Expose-Headers", "Retry-After")
	hdr.Add("Vary", "Origin")
	if h.cfg.AllowCredentials {
		hdr.Set("Access-Control-Allow-Credentials", "true")
	}
}

// preflight answers OPTIONS /v1/... (wire contract §6).
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request) error {
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
	hdr.Set("Access-Control-Allow-Headers", allowHeaders(r.Header.Values("Access-Control-Request-Headers")))
	hdr.Set("Access-Control-Max-Age", h.corsMaxAge)
	hdr.Add("Vary", "Access-Control-Request-Headers")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// allowHeaders is the required list plus every well-formed requested header.
func allowHeaders(requested []string) string {
	out := append([]string(nil), requiredCORSHeaders...)
	for _, line := range requested {
		for name := range strings.SplitSeq(line, ",") {
			name = strings.TrimSpace(name)
			if name == "" || !isToken(name) || len(out) >= maxEchoedHeaders {
				continue
			}
			dup := false
			for _, have := range out {
				if strings.EqualFold(have, name) {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, name)
			}
		}
	}
	return strings.Join(out, ", ")
}

// isToken reports whether s is an RFC 9110 token (a valid header name).
func isToken(s string) bool {
	for i := range len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// settingsDoc is the minimal analytics-next settings document (§6).
type settingsDoc struct {
	Integrations struct {
		SegmentIO segmentIOSettings `json:"Segment.io"`
	} `json:"integrations"`
	Plan               struct{} `json:"plan"`
	EnabledMiddleware  struct{} `json:"enabledMiddleware"`
	MiddlewareSettings struct{} `json:"middlewareSettings"`
	Metrics            struct {
		SampleRate int `json:"sampleRate"`
	} `json:"metrics"`
	RemotePlugins             []string `json:"remotePlugins"`
	EdgeFunction              struct{} `json:"edgeFunction"`
	AnalyticsNextEnabled      bool     `json:"analyticsNextEnabled"`
	LegacyVideoPluginsEnabled bool     `json:"legacyVideoPluginsEnabled"`
}

type segmentIOSettings struct {
	APIKey                string   `json:"apiKey"`
	APIHost               string   `json:"apiHost"`
	Protocol              string   `json:"protocol"`
	UnbundledIntegrations []string `json:"unbundledIntegrations"`
	AddBundledMetadata    bool     `json:"addBundledMetadata"`
	MaybeBundledConfigIDs struct{} `json:"maybeBundledConfigIds"`
}

// settings serves GET /v1/projects/{writeKey}/settings: it points the
// browser SDK at this server (apiHost is the request's Host + "/v1").
func (h *Handler) settings(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("writeKey")
	if _, err := h.keys.source(r.Context(), key, h.clk.Now()); err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			// The browser fails to load on any non-2xx; 404 says "no such project".
			return errorf(http.StatusNotFound, ae.code, ae.message)
		}
		return err
	}
	var doc settingsDoc
	doc.Integrations.SegmentIO = segmentIOSettings{
		APIKey:                key,
		APIHost:               r.Host + "/v1",
		Protocol:              requestProtocol(r),
		UnbundledIntegrations: []string{},
		AddBundledMetadata:    true,
	}
	doc.RemotePlugins = []string{}
	doc.AnalyticsNextEnabled = true
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// requestProtocol is https when the request came over TLS or a proxy says so.
func requestProtocol(r *http.Request) string {
	if proto := r.Header.Get("X-Forwarded-Proto"); proto != "" {
		first, _, _ := strings.Cut(proto, ",")
		switch p := strings.ToLower(strings.TrimSpace(first)); p {
		case "http", "https":
			return p
		}
	}
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// telemetry accepts the browser's POST /v1/m metrics and drops them.
func (h *Handler) telemetry(w http.ResponseWriter, r *http.Request) error {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, h.cfg.MaxBodyBytes))
	writeSuccess(w)
	return nil
}
