package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/demo"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// TestDemoDirectMailLift runs the lift analysis the API serves
// (POST /v1/analytics/lift) on the NTO demo stream and recovers the causal
// lift the generator planted on direct mail (docs/demo.md, "A causal lift on
// direct mail"): +25% on the 30-day first-purchase probability of mailed
// customers against the 15% holdout. Histories are grouped by userId (every
// catalog record and order names its customer), which is what identity
// resolution gives these events.
func TestDemoDirectMailLift(t *testing.T) {
	t.Parallel()
	cfg := demo.Config{Customers: 10000, Seed: 11, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	_, err := demo.Generate(t.Context(), cfg, &buf)
	require.NoError(t, err)
	byUser := map[string]*funnel.History{}
	var order []string
	wanted := [][]byte{[]byte(`"Catalog Delivered"`), []byte(`"Catalog Held Out"`), []byte(`"Order Completed"`)}
	require.NoError(t, demo.Read(&buf, func(_ string, raw json.RawMessage) error {
		if !bytes.Contains(raw, wanted[0]) && !bytes.Contains(raw, wanted[1]) && !bytes.Contains(raw, wanted[2]) {
			return nil
		}
		var e struct {
			Event     string    `json:"event"`
			UserID    string    `json:"userId"`
			Timestamp time.Time `json:"timestamp"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		h := byUser[e.UserID]
		if h == nil {
			h = &funnel.History{ProfileID: e.UserID}
			byUser[e.UserID] = h
			order = append(order, e.UserID)
		}
		h.Events = append(h.Events, segment.Event{Type: "track", Name: e.Event, Timestamp: e.Timestamp})
		return nil
	}))
	truth := demo.Truths(cfg).DirectMail
	spec := LiftSpec{
		Exposure:        funnel.Step{Event: truth.Event},
		Holdout:         funnel.Step{Event: "Catalog Held Out"},
		Conversion:      funnel.Step{Event: "Order Completed"},
		Window:          time.Duration(truth.WindowDays) * 24 * time.Hour,
		FirstConversion: true,
		HoldoutShare:    truth.ControlShare,
		End:             cfg.End,
	}
	l, err := NewLift(spec)
	require.NoError(t, err)
	for _, id := range order {
		l.Add(byUser[id])
	}
	r, err := l.Result()
	require.NoError(t, err)
	require.NotNil(t, r.Test)
	require.NotNil(t, r.Test.Lift)
	lift := r.Test.Lift
	t.Logf("holdout %d/%d (%.4f), mailed %d/%d (%.4f): lift %.3f [%.3f, %.3f], P(mailed better) %.4f, SRM p %.3f",
		r.Holdout.Conversions, r.Holdout.Units, r.Holdout.Rate, r.Exposed.Conversions, r.Exposed.Units, r.Exposed.Rate,
		lift.Estimate, lift.CI.Low, lift.CI.High, r.Bayes.PBest[1], r.SRM.P)
	require.False(t, r.SRM.Mismatch, "the holdout is the planned 15%%")
	require.Greater(t, lift.CI.Low, 0.0, "mail shows a lift against the holdout")
	require.Less(t, lift.CI.Low, truth.RelativeLift, "the interval covers the planted lift")
	require.Greater(t, lift.CI.High, truth.RelativeLift, "the interval covers the planted lift")
	// The log-ratio standard error from the interval: the estimate within 3 of them.
	se := (math.Log1p(lift.CI.High) - math.Log1p(lift.CI.Low)) / (2 * 1.959964)
	require.InDelta(t, math.Log1p(truth.RelativeLift), math.Log1p(lift.Estimate), 3*se)
	require.Greater(t, r.Bayes.PBest[1], 0.99)
}
