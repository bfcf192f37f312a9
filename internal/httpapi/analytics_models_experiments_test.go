package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

const promoDef = `{"id":"promo","name":"Promo","entry":{"api":{},"next":"exp"},"nodes":[
	{"id":"exp","experiment":{"control":{"percent":50,"next":"rs"},"variants":[{"id":"B","percent":50,"next":"rs"}],
		"metric":"Order Completed","window":"7d"}},
	{"id":"rs","random_split":{"paths":[{"percent":30,"next":"done"},{"id":"big","percent":70,"next":"done"}]}},
	{"id":"done","exit":{}}]}`

// seedExperiment publishes promo and stores ten instances entered 10 days
// before t0: e0-e3 took control and e4-e9 variant B at exp; e0-e2 took
// "path 0" and e3-e9 "big" at rs, and one more instance took a path the
// definition lacks. Order Completed: e0 at +1d (in the 7d window), e1 at
// +8d (outside), e2 a day before entering, e4-e6 at +2d; e7 only viewed.
func seedExperiment(t *testing.T, h *modelsHarness) {
	ctx := t.Context()
	require.NoError(t, h.st.CreateJourney(ctx, store.Journey{ID: "promo", Name: "Promo", Status: "draft", Draft: json.RawMessage(promoDef), CreatedAt: t0, UpdatedAt: t0}))
	_, err := h.st.PublishJourney(ctx, "promo", json.RawMessage(promoDef), t0)
	require.NoError(t, err)
	entered := t0.Add(-10 * 24 * time.Hour)
	day := func(n int) time.Time { return entered.Add(time.Duration(n) * 24 * time.Hour) }
	evs := []*event.Event{}
	for i := range 11 {
		evs = append(evs, h.ev(event.Track, "e"+modelsItoa(i), "Signed Up", day(-3), nil))
	}
	evs = append(evs,
		h.ev(event.Track, "e0", "Order Completed", day(1), nil),
		h.ev(event.Track, "e1", "Order Completed", day(8), nil),
		h.ev(event.Track, "e2", "Order Completed", day(-1), nil),
		h.ev(event.Track, "e4", "Order Completed", day(2), nil),
		h.ev(event.Track, "e5", "Order Completed", day(2), nil),
		h.ev(event.Track, "e6", "Order Completed", day(2), nil),
		h.ev(event.Track, "e7", "Product Viewed", day(2), nil))
	h.ingest(t, evs...)
	var rows []store.JourneyInstance
	for i := range 11 {
		arm, path := "control", "path 0"
		if i >= 4 {
			arm = "B"
		}
		if i >= 3 {
			path = "big"
		}
		if i == 10 {
			path = "path 9"
		}
		st, err := json.Marshal(map[string]any{"paths": map[string]string{"exp": arm, "rs": path}})
		require.NoError(t, err)
		rows = append(rows, store.JourneyInstance{ID: "ji_" + modelsItoa(i), JourneyID: "promo", Version: 1, ProfileID: h.profileOf(t, "e"+modelsItoa(i)),
			Node: "done", Status: store.InstanceActive, EnteredAt: entered, UpdatedAt: entered, State: st})
	}
	h.apply(t, &store.ProcessBatch{Instances: rows})
}

func TestModelExperiment(t *testing.T) {
	h := newModelsHarness(t)
	seedExperiment(t, h)
	get := func(t *testing.T, path string) experimentResponse {
		t.Helper()
		status, body := h.do(t, http.MethodGet, path, "")
		require.Equal(t, http.StatusOK, status, body)
		var res experimentResponse
		require.NoError(t, json.Unmarshal([]byte(body), &res))
		return res
	}
	counts := func(res experimentResponse) map[string]abtest.Counts {
		out := map[string]abtest.Counts{}
		for _, a := range res.Arms {
			out[a.ID] = a.Counts
		}
		return out
	}
	tests := []struct {
		name, path string
		want       map[string]abtest.Counts
	}{
		{"experiment metric and window", "/v1/analytics/experiments/promo/exp",
			map[string]abtest.Counts{"control": {Successes: 1, Trials: 4}, "B": {Successes: 3, Trials: 7}}},
		{"wider window", "/v1/analytics/experiments/promo/exp?window=30d",
			map[string]abtest.Counts{"control": {Successes: 2, Trials: 4}, "B": {Successes: 3, Trials: 7}}},
		{"other metric", "/v1/analytics/experiments/promo/exp?metric=Product+Viewed",
			map[string]abtest.Counts{"control": {Successes: 0, Trials: 4}, "B": {Successes: 1, Trials: 7}}},
		{"random split", "/v1/analytics/experiments/promo/rs?metric=Order+Completed",
			map[string]abtest.Counts{"path 0": {Successes: 2, Trials: 3}, "big": {Successes: 3, Trials: 7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := get(t, tc.path)
			require.Equal(t, tc.want, counts(res))
			a, b := res.Arms[0], res.Arms[1]
			require.Len(t, res.Comparisons, 1)
			require.Equal(t, a.ID, res.Comparisons[0].A)
			require.Equal(t, a.Counts, res.Comparisons[0].Report.A)
			require.Equal(t, b.Counts, res.Comparisons[0].Report.B)
			srm, err := abtest.SRM([]int64{a.Trials, b.Trials}, []float64{a.Planned, b.Planned})
			require.NoError(t, err)
			require.Equal(t, srm, res.SRM)
			require.NotNil(t, res.Bayes)
			require.Len(t, res.Bayes.PBest, 2)
		})
	}
	t.Run("control is arm A", func(t *testing.T) {
		res := get(t, "/v1/analytics/experiments/promo/exp")
		require.Equal(t, "control", res.Arms[0].ID)
		require.Equal(t, []float64{0.5, 0.5}, res.SRM.Planned)
		require.Nil(t, res.Unplanned, "the eleventh instance took B at exp")
	})
	t.Run("unplanned paths are reported", func(t *testing.T) {
		res := get(t, "/v1/analytics/experiments/promo/rs?metric=Order+Completed")
		require.Equal(t, map[string]int64{"path 9": 1}, res.Unplanned)
		require.Equal(t, []float64{0.3, 0.7}, res.SRM.Planned)
	})
	for _, tc := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"unknown journey", "/v1/analytics/experiments/nope/exp", http.StatusNotFound, "no journey"},
		{"unknown node", "/v1/analytics/experiments/promo/zzz", http.StatusNotFound, "no node"},
		{"not an experiment", "/v1/analytics/experiments/promo/done", http.StatusUnprocessableEntity, "not an experiment"},
		{"split without metric", "/v1/analytics/experiments/promo/rs", http.StatusBadRequest, "metric"},
		{"bad window", "/v1/analytics/experiments/promo/exp?window=later", http.StatusBadRequest, "window"},
		{"unknown version", "/v1/analytics/experiments/promo/exp?version=9", http.StatusNotFound, "no version 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.do(t, http.MethodGet, tc.path, "")
			require.Equal(t, tc.status, status, body)
			require.Contains(t, body, tc.want)
		})
	}
}
