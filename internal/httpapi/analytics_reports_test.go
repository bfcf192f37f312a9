package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// newReportsHarness is the models harness serving registerReports, with
// the journey "welcome" saved.
func newReportsHarness(t *testing.T) *modelsHarness {
	t.Helper()
	h := newModelsHarness(t)
	mux := http.NewServeMux()
	New(Deps{State: h.st, Log: h.log, Clock: h.clk, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler)}).registerReports(mux)
	h.srv.Close()
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	require.NoError(t, h.st.CreateJourney(t.Context(), store.Journey{ID: "welcome", Name: "Welcome", Status: "draft",
		Draft: json.RawMessage(`{}`), CreatedAt: t0, UpdatedAt: t0}))
	return h
}

// internalEv is an event of Cairn's own source about a profile, as the
// journey engine, the dispatcher and the processor append them.
func (h *modelsHarness) internalEv(name, profileID string, at time.Time, props map[string]any) *event.Event {
	h.n++
	msg := "i-" + modelsItoa(h.n)
	p := map[string]any{"profile_id": profileID}
	for k, v := range props {
		p[k] = v
	}
	raw, _ := json.Marshal(map[string]any{"type": "track", "event": name, "messageId": msg, "properties": p})
	return &event.Event{SourceID: modelsInternalSrc, Channel: "server", MessageID: msg, Type: event.Track, Name: name,
		Timestamp: at, ReceivedAt: at, Raw: raw}
}

// seedReports writes three instances of welcome: u1 (arm A, stage new) is
// sent k1, opens it and converts; u2 is in the holdout; u3 (arm B, stage
// active) is sent k3 and does not respond. u1 moves new→active in week 0
// and u3 new→active in week 1. One more instance waits at "wait".
func seedReports(t *testing.T, h *modelsHarness) {
	hr := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	h.ingest(t, h.ev(event.Track, "u1", "Signed Up", hr(0), nil), h.ev(event.Track, "u2", "Signed Up", hr(0), nil),
		h.ev(event.Track, "u3", "Signed Up", hr(0), nil))
	p1, p2, p3 := h.profileOf(t, "u1"), h.profileOf(t, "u2"), h.profileOf(t, "u3")
	jp := func(inst, node string, extra map[string]any) map[string]any {
		m := map[string]any{"journey_id": "welcome", "journey_version": 1, "instance_id": inst, "node_id": node}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	a, b := map[string]any{"exp": "A"}, map[string]any{"exp": "B"}
	send := func(key, stage string, paths map[string]any) map[string]any {
		return map[string]any{"send_key": key, "channel": "email", "template": "welcome_1", "lifecycle_stage": stage, "paths": paths}
	}
	h.ingest(t,
		h.internalEv("Journey Entered", p1, hr(1), jp("i1", "start", nil)),
		h.internalEv("Journey Step", p1, hr(2), jp("i1", "email", map[string]any{"paths": a})),
		h.internalEv("Message Sent", p1, hr(3), jp("i1", "email", send("k1", "new", a))),
		h.internalEv("Message Opened", p1, hr(4), jp("i1", "email", map[string]any{"send_key": "k1"})),
		h.internalEv("Goal Reached", p1, hr(5), jp("i1", "email", map[string]any{"preceding_send_key": "k1", "paths": a})),
		h.internalEv("Journey Exited", p1, hr(5), jp("i1", "email", map[string]any{"reason": "goal"})),

		h.internalEv("Journey Entered", p2, hr(1), jp("i2", "start", map[string]any{"holdout": true})),
		h.internalEv("Journey Step", p2, hr(2), jp("i2", "email", map[string]any{"holdout": true})),
		h.internalEv("Message Skipped", p2, hr(3), jp("i2", "email", map[string]any{"send_key": "k2", "holdout": true, "reason": "holdout"})),
		h.internalEv("Journey Exited", p2, hr(4), jp("i2", "end", map[string]any{"reason": "completed"})),

		h.internalEv("Journey Entered", p3, hr(1), jp("i3", "start", nil)),
		h.internalEv("Journey Step", p3, hr(2), jp("i3", "email", map[string]any{"paths": b})),
		h.internalEv("Message Sent", p3, hr(3), jp("i3", "email", send("k3", "active", b))),
		h.internalEv("Journey Exited", p3, hr(4), jp("i3", "end", map[string]any{"reason": "completed"})),

		h.internalEv("Stage Changed", p1, hr(24), map[string]any{"from": "new", "to": "active"}),
		h.internalEv("Stage Changed", p3, hr(8*24), map[string]any{"from": "new", "to": "active"}),
	)
	h.apply(t, &store.ProcessBatch{Instances: []store.JourneyInstance{{ID: "i9", JourneyID: "welcome", Version: 1, ProfileID: p3,
		Node: "wait", Status: store.InstanceActive, EnteredAt: t0, UpdatedAt: t0, State: json.RawMessage(`{}`)}}})
}

func getReport[T any](t *testing.T, h *modelsHarness, path string) T {
	t.Helper()
	status, body := h.do(t, http.MethodGet, path, "")
	require.Equal(t, http.StatusOK, status, body)
	var out T
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	return out
}

func TestReportsAPI(t *testing.T) {
	h := newReportsHarness(t)
	seedReports(t, h)

	t.Run("journey", func(t *testing.T) {
		r := getReport[report.JourneyReport](t, h, "/v1/analytics/journeys/welcome/report")
		require.Equal(t, int64(3), r.Instances)
		nodes := map[string]report.NodeCounts{}
		for _, n := range r.Nodes {
			nodes[n.Node] = n.NodeCounts
		}
		require.Equal(t, report.NodeCounts{Entered: 3, Sent: 2, Skipped: 1, Opened: 1, Converted: 1,
			Exited: map[string]int64{"goal": 1}}, nodes["email"])
		require.Equal(t, int64(1), nodes["wait"].Waiting)
		require.Equal(t, map[string]int64{"completed": 2}, nodes["end"].Exited)
		require.Equal(t, abtest.Counts{Successes: 1, Trials: 2}, r.Conversion.Treated)
		require.Equal(t, abtest.Counts{Successes: 0, Trials: 1}, r.Conversion.Holdout)
		require.NotNil(t, r.Conversion.Test)
		require.Len(t, r.Splits, 1)
		require.Equal(t, "A", r.Splits[0].Best)
		require.Equal(t, abtest.Counts{Successes: 0, Trials: 1}, r.Splits[0].Arms[1].Counts)
	})
	t.Run("stages", func(t *testing.T) {
		r := getReport[report.StageReport](t, h, "/v1/analytics/stages/report?metric=opened&sort=rate")
		require.Len(t, r.Rows, 2)
		require.Equal(t, []string{"new", "active"}, []string{r.Rows[0].Stage, r.Rows[1].Stage})
		require.Equal(t, int64(1), r.Rows[0].Responders)
		require.Equal(t, int64(0), r.Rows[1].Responders)
		require.Equal(t, "welcome_1", r.Rows[0].Template)
		require.Equal(t, "email", r.Rows[0].Channel)
		r = getReport[report.StageReport](t, h, "/v1/analytics/stages/report?since=2026-11-03T00:00:00Z")
		require.Empty(t, r.Rows) // both sends are earlier
	})
	t.Run("flow", func(t *testing.T) {
		r := getReport[report.FlowReport](t, h, "/v1/analytics/stages/flow?period=week")
		w0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		require.Len(t, r.Periods, 2)
		require.Equal(t, w0, r.Periods[0].Start)
		require.Equal(t, []report.Transition{{From: "new", To: "active", Count: 1}}, r.Periods[0].Transitions)
		require.Equal(t, []report.Transition{{From: "new", To: "active", Count: 1}}, r.Periods[1].Transitions)
		require.Equal(t, []report.SankeyLink{
			{Source: "0:new", Target: "1:active", Value: 1},
			{Source: "1:active", Target: "2:active", Value: 1},
			{Source: "1:new", Target: "2:active", Value: 1},
		}, r.Sankey.Links)
	})
	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			path   string
			status int
		}{
			{"/v1/analytics/journeys/nope/report", http.StatusNotFound},
			{"/v1/analytics/stages/report?metric=bought", http.StatusUnprocessableEntity},
			{"/v1/analytics/stages/report?since=yesterday", http.StatusBadRequest},
			{"/v1/analytics/stages/flow?period=year", http.StatusUnprocessableEntity},
			{"/v1/analytics/stages/flow?period=day&since=2020-01-01T00:00:00Z&until=2026-01-01T00:00:00Z", http.StatusUnprocessableEntity},
		} {
			status, body := h.do(t, http.MethodGet, c.path, "")
			require.Equal(t, c.status, status, "%s: %s", c.path, body)
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.srv.URL+"/v1/analytics/stages/flow", nil)
		require.NoError(t, err)
		resp, err := h.srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})
}

func TestReportsAPIEmpty(t *testing.T) {
	h := newReportsHarness(t)
	j := getReport[report.JourneyReport](t, h, "/v1/analytics/journeys/welcome/report")
	require.Zero(t, j.Instances)
	require.Empty(t, j.Nodes)
	require.Nil(t, j.Conversion.Test)
	s := getReport[report.StageReport](t, h, "/v1/analytics/stages/report")
	require.Equal(t, report.Converted, s.Metric)
	require.Empty(t, s.Rows)
	f := getReport[report.FlowReport](t, h, "/v1/analytics/stages/flow")
	require.Equal(t, report.Week, f.Period)
	require.Empty(t, f.Periods)
	status, body := h.do(t, http.MethodGet, "/v1/analytics/stages/flow", "")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `"links":[]`)
}
