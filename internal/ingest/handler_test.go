package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
)

const (
	trackEv    = `{"type":"track","event":"Signed Up","userId":"u-1","messageId":"m-1"}`
	trackBatch = `{"batch":[` + trackEv + `]}`
)

// scenario is one request against a fresh env and what must come back.
type scenario struct {
	name       string
	method     string // POST when empty
	path       string
	header     map[string]string
	body       string
	rawBody    []byte // sent instead of body when set
	gzip       bool   // gzip body and send Content-Encoding: gzip
	cfg        Config
	status     int
	contains   []string          // substrings of the response body
	respHeader map[string]string // exact response header values ("" = absent)
	stored     int               // events in the log afterwards
	rejected   []string          // rejection reasons in the log afterwards
	check      func(t *testing.T, e *env, rec *httptest.ResponseRecorder)
}

func (s scenario) run(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{cfg: s.cfg})
	body := []byte(s.body)
	if s.rawBody != nil {
		body = s.rawBody
	}
	if s.gzip {
		body = gzipped(t, body)
	}
	method := s.method
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, s.path, bytes.NewReader(body))
	if s.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	for k, v := range s.header {
		req.Header.Set(k, v)
	}
	rec := e.do(req)
	require.Equal(t, s.status, rec.Code, "body: %s", rec.Body)
	require.False(t, rec.Code >= 300 && rec.Code < 400, "never redirect")
	require.NotEqual(t, http.StatusUnavailableForLegalReasons, rec.Code, "never 451")
	for _, c := range s.contains {
		require.Contains(t, rec.Body.String(), c)
	}
	for k, v := range s.respHeader {
		require.Equal(t, v, rec.Header().Get(k), "header %s", k)
	}
	if rec.Code >= 400 && rec.Code != http.StatusMethodNotAllowed { // 405 comes from http.ServeMux
		var env struct {
			Success bool `json:"success"`
			Error   struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env), "error envelope: %s", rec.Body)
		require.False(t, env.Success)
		require.NotEmpty(t, env.Error.Code)
		require.NotEmpty(t, env.Error.Message)
		require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	}
	events, rejections := e.log.snapshot()
	require.Len(t, events, s.stored)
	var reasons []string
	for _, r := range rejections {
		reasons = append(reasons, r.Reason)
	}
	require.Equal(t, s.rejected, reasons)
	if s.check != nil {
		s.check(t, e, rec)
	}
}

func TestCollectRoutes(t *testing.T) {
	t.Parallel()
	var scenarios []scenario
	for _, p := range batchPaths {
		scenarios = append(scenarios, scenario{
			name: "batch " + p, path: p, header: map[string]string{"Authorization": basic("WEB_WK")},
			body: trackBatch, status: 200, contains: []string{`{"success":true}`}, stored: 1,
		})
	}
	bodies := map[event.Type]string{
		event.Identify: `{"userId":"u-1","traits":{"email":"pia@nto.example"}}`,
		event.Track:    `{"userId":"u-1","event":"Order Completed"}`,
		event.Page:     `{"anonymousId":"a-1","name":"Home"}`,
		event.Screen:   `{"anonymousId":"a-1","name":"Cart"}`,
		event.Group:    `{"userId":"u-1","groupId":"acme"}`,
		event.Alias:    `{"userId":"u-1","previousId":"a-1"}`,
	}
	for _, sp := range singlePaths {
		for _, p := range []string{sp.long, sp.short} {
			want := sp.t
			scenarios = append(scenarios, scenario{
				name: "single " + p, path: p, header: map[string]string{"Authorization": basic("WEB_WK")},
				body: bodies[sp.t], status: 200, stored: 1,
				check: func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
					events, _ := e.log.snapshot()
					require.Equal(t, want, events[0].Type, "type from the path")
				},
			})
		}
	}
	scenarios = append(scenarios,
		scenario{name: "browser telemetry", path: "/v1/m", body: `{"series":[]}`, status: 200},
		scenario{name: "GET on a collection path is not a redirect", method: http.MethodGet, path: "/v1/batch", status: 405},
	)
	for _, s := range scenarios {
		t.Run(s.name, s.run)
	}
}

func TestCollectBadInput(t *testing.T) {
	t.Parallel()
	auth := map[string]string{"Authorization": basic("WEB_WK")}
	oneEvent := func(ev string) string { return `{"batch":[` + ev + `,` + trackEv + `]}` }
	scenarios := []scenario{
		{
			name: "malformed JSON", path: "/v1/batch", header: auth, body: `{"batch":[{"type":"track",]}`,
			status: 400, contains: []string{`"code":"invalid_body"`, "invalid character"},
		},
		{
			name: "not an object", path: "/v1/track", header: auth, body: `[1,2]`,
			status: 400, contains: []string{"must be a JSON object"},
		},
		{
			name: "batch path without batch", path: "/v1/batch", header: auth, body: trackEv,
			status: 400, contains: []string{`no \"batch\" array`},
		},
		{
			name: "empty body", path: "/v1/batch", header: auth, body: "",
			status: 400, contains: []string{"empty"},
		},
		{
			name: "truncated gzip", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK"), "Content-Encoding": "gzip"},
			rawBody: func() []byte { g := gzipped(t, []byte(trackBatch)); return g[:len(g)-6] }(),
			status:  400, contains: []string{`"code":"invalid_gzip"`, "unexpected EOF"},
		},
		{
			name: "not gzip at all", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK"), "Content-Encoding": "gzip"},
			body: trackBatch, status: 400, contains: []string{`"code":"invalid_gzip"`},
		},
		{
			name: "empty gzip body", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK"), "Content-Encoding": "gzip"},
			body: "", status: 400, contains: []string{`"code":"invalid_gzip"`},
		},
		{
			name: "gzip bomb", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK"), "Content-Encoding": "gzip"},
			rawBody: gzipBomb(t, 8<<20), status: 413, contains: []string{`"code":"body_too_large"`, "1048576 bytes"},
		},
		{
			name: "oversized body", path: "/v1/batch", header: auth,
			body:   `{"batch":[],"pad":"` + strings.Repeat("x", 1<<20) + `"}`,
			status: 413, contains: []string{`"code":"body_too_large"`},
		},
		{
			name: "body cap is configurable", path: "/v1/batch", header: auth, cfg: Config{MaxBodyBytes: 2 << 20},
			body:   `{"batch":[` + trackEv + `],"pad":"` + strings.Repeat("x", 1<<20) + `"}`,
			status: 200, stored: 1,
		},
		{
			name: "too many events", path: "/v1/batch", header: auth,
			body:   `{"batch":[` + strings.Repeat(`{},`, 10000) + `{}]}`,
			status: 413, contains: []string{`"code":"too_many_events"`, "at most 10000"},
		},
		{
			name: "unsupported encoding", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK"), "Content-Encoding": "br"},
			body: trackBatch, status: 415, contains: []string{`"code":"unsupported_encoding"`},
		},
		{
			name: "oversized event is dropped alone", path: "/v1/batch", header: auth,
			body:   oneEvent(`{"type":"track","event":"E","userId":"u","properties":{"blob":"` + strings.Repeat("x", 33<<10) + `"}}`),
			status: 200, contains: []string{`{"success":true}`}, stored: 1, rejected: []string{event.ReasonEventTooLarge},
		},
		{
			name: "userId as an object", path: "/v1/batch", header: auth, body: oneEvent(`{"type":"identify","userId":{"id":1}}`),
			status: 200, stored: 1, rejected: []string{event.ReasonInvalidJSONType},
		},
		{
			name: "timestamp in a bad format", path: "/v1/batch", header: auth,
			body:   oneEvent(`{"type":"track","event":"E","userId":"u","timestamp":"23/11/2026 08:35"}`),
			status: 200, stored: 1, rejected: []string{event.ReasonBadTimestamp},
		},
		{
			name: "missing identifiers", path: "/v1/batch", header: auth, body: oneEvent(`{"type":"track","event":"E"}`),
			status: 200, stored: 1, rejected: []string{event.ReasonMissingIdentifier},
		},
		{
			name: "every rejection in one batch", path: "/v1/batch", header: auth,
			body: `{"batch":["x",{"type":"track","userId":"u"},{"type":"group","userId":"u"},{"type":"alias","previousId":"p"},` +
				`{"type":"alias","userId":"u"},{"userId":"u"},{"type":"buy","userId":"u"}]}`,
			status: 200, contains: []string{`{"success":true}`},
			rejected: []string{
				event.ReasonInvalidJSONType, event.ReasonMissingEvent, event.ReasonMissingGroupID, event.ReasonMissingUserID,
				event.ReasonMissingPreviousID, event.ReasonMissingType, event.ReasonBadType,
			},
		},
		{
			name: "unknown write key", path: "/v1/batch", header: map[string]string{"Authorization": basic("NOPE")}, body: trackBatch,
			status: 401, contains: []string{`"code":"unknown_write_key"`},
		},
		{
			name: "revoked write key", path: "/v1/batch", header: map[string]string{"Authorization": basic("OLD_WK")}, body: trackBatch,
			status: 401, contains: []string{`"code":"revoked_write_key"`, "was revoked at 2026-11-23T07:35:40Z", `\"Backend\"`},
		},
		{
			name: "no write key anywhere", path: "/v1/batch", body: trackBatch,
			status: 401, contains: []string{`"code":"missing_write_key"`, "Authorization: Basic"},
		},
		{
			name: "Basic header that is not base64", path: "/v1/batch", header: map[string]string{"Authorization": "Basic %%%"}, body: trackBatch,
			status: 401, contains: []string{`"code":"invalid_authorization"`},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, s.run)
	}
}

func TestCollectWriteKeyRules(t *testing.T) {
	t.Parallel()
	sourceIs := func(id string) func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
		return func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
			events, _ := e.log.snapshot()
			require.Equal(t, id, events[0].SourceID)
		}
	}
	legacy := "Basic " + strings.TrimRight(b64("WEB_WK"), "=")
	scenarios := []scenario{
		{name: "Basic with colon", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK")}, body: trackBatch, status: 200, stored: 1, check: sourceIs("src_web")},
		{name: "Basic without colon", path: "/v1/batch", header: map[string]string{"Authorization": "Basic " + b64("WEB_WK")}, body: trackBatch, status: 200, stored: 1, check: sourceIs("src_web")},
		{name: "Basic without colon or padding", path: "/v1/batch", header: map[string]string{"Authorization": legacy}, body: trackBatch, status: 200, stored: 1},
		{name: "lower-case scheme", path: "/v1/batch", header: map[string]string{"Authorization": "basic " + b64("SRV_WK:")}, body: trackBatch, status: 200, stored: 1, check: sourceIs("src_srv")},
		{
			name: "Basic wins over the body's key", path: "/v1/batch", header: map[string]string{"Authorization": basic("SRV_WK")},
			body: `{"writeKey":"WEB_WK","batch":[` + trackEv + `]}`, status: 200, stored: 1, check: sourceIs("src_srv"),
		},
		{
			name: "unknown Basic key is not rescued by the body", path: "/v1/batch", header: map[string]string{"Authorization": basic("NOPE")},
			body: `{"writeKey":"WEB_WK","batch":[` + trackEv + `]}`, status: 401,
		},
		{
			name: "Bearer uses the body's key", path: "/v1/batch", header: map[string]string{"Authorization": "Bearer eyJhbGciOi.x.y"},
			body: `{"writeKey":"SRV_WK","batch":[` + trackEv + `]}`, status: 200, stored: 1, check: sourceIs("src_srv"),
		},
		{name: "top-level writeKey", path: "/v1/batch", body: `{"batch":[` + trackEv + `],"writeKey":"WEB_WK"}`, status: 200, stored: 1, check: sourceIs("src_web")},
		{
			name: "batch[0].writeKey", path: "/v1/b", header: map[string]string{"Content-Type": "text/plain"},
			body: `{"batch":[{"type":"track","event":"E","anonymousId":"a","writeKey":"WEB_WK"}]}`, status: 200, stored: 1, check: sourceIs("src_web"),
		},
		{
			name: "single event writeKey (browser <= 1.83)", path: "/v1/t", header: map[string]string{"Content-Type": "text/plain"},
			body: `{"event":"E","anonymousId":"a","writeKey":"WEB_WK"}`, status: 200, stored: 1,
			check: func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
				events, _ := e.log.snapshot()
				require.NotContains(t, string(events[0].Raw), "WEB_WK", "the key is not stored with the event")
			},
		},
		{name: "revoked key in the body", path: "/v1/batch", body: `{"batch":[` + trackEv + `],"writeKey":"OLD_WK"}`, status: 401, contains: []string{"revoked"}},
		{name: "unknown key in the body", path: "/v1/batch", body: `{"batch":[` + trackEv + `],"writeKey":"NOPE"}`, status: 401, contains: []string{"unknown_write_key"}},
		{
			name: "empty Basic user falls back to the body", path: "/v1/batch", header: map[string]string{"Authorization": basic("")},
			body: `{"batch":[` + trackEv + `],"writeKey":"WEB_WK"}`, status: 200, stored: 1,
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, s.run)
	}
}

func b64(s string) string { return strings.TrimSpace(basic(s)[len("Basic "):]) }

func TestCollectEncodingsAndContentTypes(t *testing.T) {
	t.Parallel()
	scenarios := []scenario{
		{
			name: "gzip labelled as a form (rudder-node)", path: "/v1/batch",
			header: map[string]string{"Authorization": basic("SRV_WK"), "Content-Type": "application/x-www-form-urlencoded"},
			body:   `{"batch":[{"type":"identify","userId":"u","channel":"server","originalTimestamp":"2026-11-23T08:35:24.303Z"}],"sentAt":"2026-11-23T08:35:24.307Z"}`,
			gzip:   true, status: 200, stored: 1,
		},
		{
			name: "x-gzip", path: "/v1/batch", header: map[string]string{"Authorization": basic("SRV_WK"), "Content-Encoding": "x-gzip"},
			rawBody: gzipped(t, []byte(trackBatch)), status: 200, stored: 1,
		},
		{
			name: "form-encoded-looking body is still JSON", path: "/v1/batch",
			header: map[string]string{"Authorization": basic("SRV_WK"), "Content-Type": "application/x-www-form-urlencoded"},
			body:   "userId=u&event=E", status: 400, contains: []string{"invalid_body"},
		},
		{
			name: "text/plain (browser)", path: "/v1/t", header: map[string]string{"Authorization": basic("WEB_WK"), "Content-Type": "text/plain"},
			body: `{"event":"E","anonymousId":"a"}`, status: 200, stored: 1,
		},
		{
			name: "success answer", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK")}, body: trackBatch,
			status: 200, stored: 1, respHeader: map[string]string{"Content-Type": "application/json"},
			check: func(t *testing.T, _ *env, rec *httptest.ResponseRecorder) {
				require.JSONEq(t, `{"success":true}`, rec.Body.String())
			},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, s.run)
	}
}

func TestCollectStoresNormalizedEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	// segment-go: context.library only at the top level; sentAt at the top level.
	body := `{"messageId":"batch-id","sentAt":"2026-11-23T09:35:40Z",
	  "batch":[{"type":"identify","messageId":"m-1","userId":"u-123","timestamp":"2026-11-23T09:35:39Z","traits":{"email":"pia@nto.example"}}],
	  "context":{"library":{"name":"analytics-go","version":"3.0.0"}}}`
	req := httptest.NewRequest(http.MethodPost, "/v1/batch", strings.NewReader(body))
	req.Header.Set("Authorization", basic("SRV_WK"))
	req.RemoteAddr = "198.51.100.23:40000"
	rec := e.do(req)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	events, _ := e.log.snapshot()
	require.Len(t, events, 1)
	ev := events[0]
	require.Equal(t, "src_srv", ev.SourceID)
	require.Equal(t, "server", ev.Channel)
	require.Equal(t, "m-1", ev.MessageID)
	require.Equal(t, t0, ev.ReceivedAt)
	// The client clock runs an hour fast; the event happened 1 s before it was sent.
	require.Equal(t, t0.Add(-1e9), ev.Timestamp)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(ev.Raw, &raw))
	ctx := raw["context"].(map[string]any)
	require.Equal(t, map[string]any{"name": "analytics-go", "version": "3.0.0"}, ctx["library"])
	require.Equal(t, "198.51.100.23", ctx["ip"])
	require.Equal(t, "2026-11-23T08:35:39Z", raw["timestamp"])
	require.Equal(t, "2026-11-23T09:35:39Z", raw["originalTimestamp"])
	require.Equal(t, "2026-11-23T09:35:40Z", raw["sentAt"])
	require.Equal(t, "2026-11-23T08:35:40Z", raw["receivedAt"])
}

func TestCollectClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		trust  bool
		remote string
		header map[string]string
		want   string
	}{
		{"connection", false, "203.0.113.9:5000", nil, "203.0.113.9"},
		{"forwarded header ignored by default", false, "10.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, "10.0.0.1"},
		{"forwarded header when trusted", true, "10.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9, 10.0.0.2"}, "203.0.113.9"},
		{"X-Real-IP when trusted", true, "10.0.0.1:5000", map[string]string{"X-Real-IP": "2001:db8::1"}, "2001:db8::1"},
		{"IPv4-mapped address", false, "[::ffff:203.0.113.9]:5000", nil, "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOptions{cfg: Config{TrustForwardedFor: tt.trust}})
			req := httptest.NewRequest(http.MethodPost, "/v1/t", strings.NewReader(`{"event":"E","anonymousId":"a"}`))
			req.Header.Set("Authorization", basic("WEB_WK"))
			req.RemoteAddr = tt.remote
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			require.Equal(t, 200, e.do(req).Code)
			events, _ := e.log.snapshot()
			p, err := events[0].DecodePayload()
			require.NoError(t, err)
			require.Equal(t, tt.want, p.Context.IP)
		})
	}
}

func TestCollectRecordsRejections(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	rec := e.post("/v1/batch", "WEB_WK", `{"batch":[`+trackEv+`,{"type":"track","messageId":"m-bad","userId":{"x":1},"event":"E"}]}`)
	require.Equal(t, 200, rec.Code)
	require.JSONEq(t, `{"success":true}`, rec.Body.String())
	events, rejections := e.log.snapshot()
	require.Len(t, events, 1)
	require.Len(t, rejections, 1)
	r := rejections[0]
	require.Equal(t, "src_web", r.SourceID)
	require.Equal(t, "m-bad", r.MessageID)
	require.Equal(t, event.ReasonInvalidJSONType, r.Reason)
	require.Equal(t, "batch[1].userId", r.Field)
	require.Contains(t, r.Detail, "must be a string or a number")
	require.Equal(t, `{"type":"track","messageId":"m-bad","userId":{"x":1},"event":"E"}`, r.Excerpt)
	require.Equal(t, t0, r.ReceivedAt)
	require.InDelta(t, 1, e.metric(t, "cairn_ingest_events_rejected_total", "reason", event.ReasonInvalidJSONType), 0)
}

func TestCollectErasedSubject(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{filter: userFilter{"erased-user": true}})
	rec := e.post("/v1/batch", "WEB_WK", `{"batch":[`+trackEv+`,{"type":"identify","messageId":"m-gone","userId":"erased-user","traits":{"email":"gone@nto.example"}}]}`)
	require.Equal(t, 200, rec.Code)
	events, rejections := e.log.snapshot()
	require.Len(t, events, 1)
	require.Equal(t, "u-1", events[0].UserID)
	require.Len(t, rejections, 1)
	r := rejections[0]
	require.Equal(t, ReasonErasedSubject, r.Reason)
	require.Empty(t, r.Excerpt, "no copy of an erased person's data")
	require.NotContains(t, r.Detail+r.Field, "erased-user")
	require.NotContains(t, r.Detail, "gone@nto.example")
	require.Equal(t, "m-gone", r.MessageID)
}

func TestCollectDeduplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{ccfg: CommitterConfig{DedupeWindow: 24 * time.Hour}})
	body := `{"batch":[` + trackEv + `,{"type":"track","event":"E","userId":"u","messageId":"m-2"}]}`
	for range 3 {
		require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", body).Code)
	}
	events, _ := e.log.snapshot()
	require.Len(t, events, 2, "retries are acknowledged but stored once")
	require.InDelta(t, 2, e.metric(t, "cairn_ingest_events_stored_total"), 0)
	require.InDelta(t, 4, e.metric(t, "cairn_ingest_events_duplicate_total"), 0)
	require.InDelta(t, 6, e.metric(t, "cairn_ingest_events_received_total"), 0)

	// Another source may reuse a messageId.
	require.Equal(t, 200, e.post("/v1/batch", "SRV_WK", body).Code)
	events, _ = e.log.snapshot()
	require.Len(t, events, 4)

	// Past the window the id is new again.
	e.clk.Advance(25 * time.Hour)
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", body).Code)
	events, _ = e.log.snapshot()
	require.Len(t, events, 6)
}

func TestKeyCacheTTL(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{cfg: Config{KeyCacheTTL: 5 * time.Second}})
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", trackBatch).Code)
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", trackBatch).Code)
	require.Equal(t, 1, e.keys.lookupCount(), "the second request is served from the cache")

	e.keys.revoke("WEB_WK", e.clk.Now())
	e.clk.Advance(4 * time.Second)
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", trackBatch).Code, "still cached")
	e.clk.Advance(time.Second)
	rec := e.post("/v1/batch", "WEB_WK", trackBatch)
	require.Equal(t, 401, rec.Code, "a revoked key stops working within the TTL")
	require.Contains(t, rec.Body.String(), "revoked_write_key")

	// Unknown keys are cached too, so junk keys do not hit the store each time.
	before := e.keys.lookupCount()
	for range 3 {
		require.Equal(t, 401, e.post("/v1/batch", "JUNK", trackBatch).Code)
	}
	require.Equal(t, before+1, e.keys.lookupCount())
}

func TestKeyStoreFailureIsTemporary(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.keys.failing = true
	rec := e.post("/v1/batch", "WEB_WK", trackBatch)
	require.Equal(t, 503, rec.Code)
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	require.Contains(t, rec.Body.String(), `"code":"unavailable"`)
	e.keys.mu.Lock()
	e.keys.failing = false
	e.keys.mu.Unlock()
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", trackBatch).Code, "errors are not cached")
}

func TestCollectAppendFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{cfg: Config{RetryAfter: 1500 * time.Millisecond}})
	e.log.setFail(errors.New("disk I/O error"))
	rec := e.post("/v1/batch", "WEB_WK", trackBatch)
	require.Equal(t, 503, rec.Code)
	require.Equal(t, "2", rec.Header().Get("Retry-After"), "rounded up to whole seconds")
	require.NotContains(t, rec.Body.String(), "disk I/O", "the raw error goes to the log only")
	e.log.setFail(nil)
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", trackBatch).Code)
}

func TestCollectAfterShutdown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.stop()
	rec := e.post("/v1/batch", "WEB_WK", trackBatch)
	require.Equal(t, 503, rec.Code)
	require.Contains(t, rec.Body.String(), "shutting down")
	require.NotEmpty(t, rec.Header().Get("Retry-After"))
}

func TestCollectMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	require.Equal(t, 200, e.post("/v1/batch", "WEB_WK", `{"batch":[`+trackEv+`,{"type":"track","userId":"u"}]}`).Code)
	require.Equal(t, 200, e.post("/v1/t", "WEB_WK", `{"event":"E","userId":"u"}`).Code)
	require.InDelta(t, 3, e.metric(t, "cairn_ingest_events_received_total"), 0)
	require.InDelta(t, 2, e.metric(t, "cairn_ingest_events_stored_total"), 0)
	require.InDelta(t, 1, e.metric(t, "cairn_ingest_events_rejected_total", "reason", event.ReasonMissingEvent), 0)
	require.InDelta(t, 1, e.metric(t, "cairn_ingest_request_duration_seconds", "route", "/v1/batch"), 0)
	require.InDelta(t, 1, e.metric(t, "cairn_ingest_request_duration_seconds", "route", "/v1/t"), 0)
	require.InDelta(t, 2, e.metric(t, "cairn_ingest_commit_batch_events"), 0)
	require.InDelta(t, 2, e.metric(t, "cairn_ingest_commit_duration_seconds"), 0)
	require.InDelta(t, 0, e.metric(t, "cairn_ingest_queue_events"), 0)
}

func TestNewHandlerRejectsBadConfig(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{noRun: true})
	_, err := NewHandler(Config{MaxBodyBytes: 1000}, e.c, e.keys, nil, e.clk, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	require.ErrorContains(t, err, "below the 512 KiB")
	_, err = NewHandler(Config{}, e.c, e.keys, nil, e.clk, slog.New(slog.DiscardHandler), e.reg)
	require.ErrorContains(t, err, "register ingest metrics", "the same registry twice")
}
