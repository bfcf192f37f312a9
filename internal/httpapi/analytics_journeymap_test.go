package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/report"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// newJourneyMapHarness serves the journey map over the reports seed, with
// a stage model (new, then active) and welcome published.
func newJourneyMapHarness(t *testing.T) *modelsHarness {
	t.Helper()
	h := newReportsHarness(t)
	mux := http.NewServeMux()
	New(Deps{State: h.st, Log: h.log, Clock: h.clk, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler)}).registerJourneyMap(mux)
	h.srv.Close()
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

func TestJourneyMapAPI(t *testing.T) {
	h := newJourneyMapHarness(t)

	status, body := h.do(t, http.MethodGet, "/v1/analytics/journey-map", "")
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Contains(t, body, "PUT /v1/stages", "without a stage model the error says how to make one")

	seedReports(t, h)
	h.ingest(t, h.ev(event.Track, "u1", "Order Completed", t0.Add(24*time.Hour), nil),
		h.ev(event.Track, "u3", "Order Completed", t0.Add(8*24*time.Hour), nil),
		h.ev(event.Identify, "u2", "", t0, map[string]any{"traits": map[string]any{"name": "Uma Two", "email": "uma@nto.example"}}))
	_, err := h.st.CreateSegment(t.Context(), store.Segment{ID: "seg_active", Name: "Active", Version: 1,
		Definition: json.RawMessage(`{"performed":{"event":"Order Completed"}}`), Text: `performed "Order Completed"`, CreatedAt: t0})
	require.NoError(t, err)
	_, err = h.st.PutStageModel(t.Context(), store.StageModel{ID: store.StageModelDefault, Default: "new",
		Stages: []store.Stage{{Name: "active", SegmentID: "seg_active"}}, UpdatedAt: t0})
	require.NoError(t, err)
	def := `{"id":"welcome","name":"Welcome","entry":{"segment":{"id":"seg_active"},"next":"email"},
	  "nodes":[{"id":"email","message":{"channel":"email","template":"welcome_1"},"next":"wait"},
	    {"id":"wait","wait":{"branches":[{"event":{"name":"Order Completed"},"next":"done"}],"timeout":"3d","timeout_next":"done"}},
	    {"id":"done","exit":{}}],
	  "goals":[{"id":"g","event":{"name":"Signed Up"}}]}`
	_, err = h.st.PublishJourney(t.Context(), "welcome", json.RawMessage(def), t0)
	require.NoError(t, err)

	var m journeyMapResponse
	require.NoError(t, json.Unmarshal([]byte(mustGet(t, h, "/v1/analytics/journey-map")), &m))
	require.Equal(t, []string{"new", "active"}, []string{m.Stages[0].Name, m.Stages[1].Name})
	require.Equal(t, map[string]string{"active": "seg_active"}, m.Segments)
	rows := map[string]report.MapRow{}
	for _, r := range m.Rows {
		rows[r.Channel+"/"+r.Touchpoint] = r
	}
	require.Len(t, rows, 4, "Signed Up, Order Completed, and Cairn's sends and opens; no journey steps or goals: %v", rows)
	require.Equal(t, report.MapCell{Customers: 2, Events: 2, Advanced: 2, AdvanceRate: 1, CI: report.Wilson(2, 2)},
		rows["web/Order Completed"].Cells[0], "an order moves its customer on at once")
	signed := rows["web/Signed Up"].Cells[0]
	require.Equal(t, int64(3), signed.Customers)
	require.Equal(t, int64(2), signed.Advanced, "u1 and u3 became active within 30 days")
	require.Equal(t, int64(2), rows["email/Message Sent"].Cells[0].Customers)
	require.Equal(t, int64(1), rows["email/Message Opened"].Cells[0].Customers)
	require.Equal(t, []report.MapTransition{{From: "new", To: "active", Customers: 2, Forward: true}}, m.Transitions)
	require.Equal(t, []mapJourney{{ID: "welcome", Name: "Welcome", Status: store.JourneyLive, Stages: []string{"active"},
		Touchpoints: []string{"Order Completed", "Signed Up"}, Channels: []string{"email"}}}, m.Journeys)

	t.Run("window", func(t *testing.T) {
		var m journeyMapResponse
		require.NoError(t, json.Unmarshal([]byte(mustGet(t, h, "/v1/analytics/journey-map?window=2d")), &m))
		require.Equal(t, int64(1), m.Rows[0].Cells[0].Advanced, "only u1 moved within 2 days")
	})
	t.Run("customers", func(t *testing.T) {
		q := url.Values{"stage": {"new"}, "channel": {"web"}, "touchpoint": {"Signed Up"}, "limit": {"2"}}
		var p cellResponse
		require.NoError(t, json.Unmarshal([]byte(mustGet(t, h, "/v1/analytics/journey-map/customers?"+q.Encode())), &p))
		require.Equal(t, 3, p.Total)
		require.Len(t, p.Customers, 2)
		require.NotEmpty(t, p.Next)
		q.Set("after", p.Next)
		var rest cellResponse
		require.NoError(t, json.Unmarshal([]byte(mustGet(t, h, "/v1/analytics/journey-map/customers?"+q.Encode())), &rest))
		require.Len(t, rest.Customers, 1)
		q = url.Values{"stage": {"new"}, "advanced": {"false"}}
		require.NoError(t, json.Unmarshal([]byte(mustGet(t, h, "/v1/analytics/journey-map/customers?"+q.Encode())), &p))
		require.Equal(t, 1, p.Total, "u2 never moved")
		require.Equal(t, h.profileOf(t, "u2"), p.Customers[0].ProfileID)
		require.Equal(t, "Uma Two", p.Customers[0].Name, "customers come with the name people know them by")
		require.Equal(t, "uma@nto.example", p.Customers[0].Email)
	})
	t.Run("csv", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.srv.URL+"/v1/analytics/journey-map", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer tok")
		req.Header.Set("Accept", "text/csv")
		resp, err := h.srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, resp.Header.Get("Content-Type"), "text/csv")
	})
	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			path   string
			status int
		}{
			{"/v1/analytics/journey-map?window=soon", http.StatusBadRequest},
			{"/v1/analytics/journey-map?since=2026-11-05T00:00:00Z&until=2026-11-01T00:00:00Z", http.StatusUnprocessableEntity},
			{"/v1/analytics/journey-map?rows=0", http.StatusBadRequest},
			{"/v1/analytics/journey-map/customers", http.StatusUnprocessableEntity},
			{"/v1/analytics/journey-map/customers?stage=new&advanced=maybe", http.StatusBadRequest},
		} {
			status, body := h.do(t, http.MethodGet, c.path, "")
			require.Equal(t, c.status, status, "%s: %s", c.path, body)
		}
	})
}

func TestStageEntered(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		where string
		want  []string
	}{
		{`[{"property":"to","op":"equals","value":"lapsed"}]`, []string{"lapsed"}},
		{`[{"property":"to","op":"in","value":["lapsed","purchase"]},{"property":"from","op":"equals","value":"x"}]`, []string{"lapsed", "purchase"}},
		{`[{"property":"to","op":"not_equals","value":"lapsed"}]`, nil},
		{`not json`, nil},
	} {
		require.Equal(t, tc.want, stageEntered(json.RawMessage(tc.where)), tc.where)
	}
}

func mustGet(t *testing.T, h *modelsHarness, path string) string {
	t.Helper()
	status, body := h.do(t, http.MethodGet, path, "")
	require.Equal(t, http.StatusOK, status, body)
	return body
}
