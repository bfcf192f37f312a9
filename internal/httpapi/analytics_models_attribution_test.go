package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// seedAttribution stores four customers:
//   - a: web page (-3d), email campaign "spring" track (-2d), converts 100 (-1d);
//   - b: cpc touch by utm_medium (-40d, outside 30d), web page (-5d), converts 50 (-4d);
//   - c: web page (-2d), never converts (a null path);
//   - d: converts 20 (-1d) without a touch (unattributed).
//
// Plus an event of the internal source on a, which is never a touch.
func seedAttribution(t *testing.T, h *modelsHarness) {
	d := func(n int) time.Time { return t0.Add(-time.Duration(n) * 24 * time.Hour) }
	h.ingest(t,
		h.ev(event.Page, "a", "Home", d(3), nil),
		h.ev(event.Track, "a", "Email Clicked", d(2), map[string]any{"context": map[string]any{"campaign": map[string]any{"medium": "email", "name": "spring"}}}),
		h.ev(event.Track, "a", "Order Completed", d(1), map[string]any{"properties": map[string]any{"revenue": 100}}),
		h.ev(event.Track, "b", "Ad Clicked", d(40), map[string]any{"properties": map[string]any{"utm_medium": "cpc", "utm_campaign": "old"}}),
		h.ev(event.Page, "b", "Pricing", d(5), nil),
		h.ev(event.Track, "b", "Order Completed", d(4), map[string]any{"properties": map[string]any{"revenue": "50"}}),
		h.ev(event.Page, "c", "Home", d(2), nil),
		h.ev(event.Identify, "c", "", d(2), map[string]any{"traits": map[string]any{"plan": "free"}}),
		h.ev(event.Track, "d", "Order Completed", d(1), map[string]any{"properties": map[string]any{"revenue": 20}}),
	)
	a := h.profileOf(t, "a")
	internal := h.ev(event.Track, "", "Segment Entered", d(2).Add(time.Hour), map[string]any{"properties": map[string]any{"profile_id": a}})
	internal.SourceID, internal.Channel = modelsInternalSrc, "server"
	h.ingest(t, internal)
	tl, err := h.st.Timeline(t.Context(), store.TimelineQuery{ProfileIDs: []string{a}, Event: "Segment Entered", Limit: 5})
	require.NoError(t, err)
	require.Len(t, tl, 1, "the internal event is on the timeline")
}

func credit(t *testing.T, res attributionResponse, model, channel string) attribution.ChannelCredit {
	t.Helper()
	for _, c := range res.Models[model] {
		if c.Channel == channel {
			return c
		}
	}
	t.Fatalf("model %s has no channel %s: %+v", model, channel, res.Models[model])
	return attribution.ChannelCredit{}
}

// TestModelAttribution runs attribution over the store scan and over the
// analytics projection: the same answers.
func TestModelAttribution(t *testing.T) {
	for _, via := range []string{"store", "projection"} {
		t.Run(via, func(t *testing.T) { testModelAttribution(t, via == "projection") })
	}
}

func testModelAttribution(t *testing.T, projected bool) {
	h := newModelsHarness(t)
	seedAttribution(t, h)
	if projected {
		mux := http.NewServeMux()
		New(Deps{State: h.st, Log: h.log, Clock: h.clk, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler),
			Histories: projection.New(h.st, h.log, slog.New(slog.DiscardHandler))}).registerModels(mux)
		h.srv.Close()
		h.srv = httptest.NewServer(mux)
		t.Cleanup(h.srv.Close)
	}
	post := func(t *testing.T, body string) attributionResponse {
		t.Helper()
		status, out := h.do(t, http.MethodPost, "/v1/analytics/attribution", body)
		require.Equal(t, http.StatusOK, status, out)
		var res attributionResponse
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		return res
	}

	t.Run("by channel, 30d lookback", func(t *testing.T) {
		res := post(t, `{"models":["first","last","linear","markov"]}`)
		require.Equal(t, attribution.Totals{Paths: 3, Conversions: 2, Value: 150, Nulls: 1}, res.Totals)
		require.Equal(t, attribution.Unattributed{Conversions: 1, Value: 20}, res.Unattributed)
		require.Equal(t, []string{"email", "web"}, res.Channels, "cpc is outside the lookback; the internal event is no touch")
		require.Equal(t, 5, res.Touches)
		want := map[string]map[string][2]float64{ // model → channel → conversions, value
			"first":  {"email": {0, 0}, "web": {2, 150}},
			"last":   {"email": {1, 100}, "web": {1, 50}},
			"linear": {"email": {0.5, 50}, "web": {1.5, 100}},
		}
		for model, chans := range want {
			for ch, cv := range chans {
				c := credit(t, res, model, ch)
				require.InDelta(t, cv[0], c.Conversions, 1e-9, "%s %s", model, ch)
				require.InDelta(t, cv[1], c.Value, 1e-9, "%s %s", model, ch)
			}
		}
		sum := 0.0
		for _, c := range res.Models["markov"] {
			sum += c.Conversions
		}
		require.InDelta(t, 2, sum, 1e-9, "markov distributes every conversion")
	})

	t.Run("by campaign, unlimited lookback", func(t *testing.T) {
		res := post(t, `{"by":"campaign","lookback":"0","models":["linear"]}`)
		require.Equal(t, []string{attribution.NoLabel, "old", "spring"}, res.Channels)
		require.InDelta(t, 0.5, credit(t, res, "linear", "spring").Conversions, 1e-9)
		require.InDelta(t, 0.5, credit(t, res, "linear", "old").Conversions, 1e-9, "b's path is [old, (none)]")
		require.InDelta(t, 25, credit(t, res, "linear", "old").Value, 1e-9)
	})

	for _, tc := range []struct{ name, body, want string }{
		{"unknown model", `{"models":["magic"]}`, "unknown attribution model"},
		{"bad dimension", `{"by":"region"}`, "by must be"},
		{"bad lookback", `{"lookback":"soon"}`, "lookback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.do(t, http.MethodPost, "/v1/analytics/attribution", tc.body)
			require.GreaterOrEqual(t, status, 400, body)
			require.Less(t, status, 500, body)
			require.Contains(t, body, tc.want)
		})
	}
}
