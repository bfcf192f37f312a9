package e2e

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestDemoTruthsThroughTheServer loads the NTO demo data set (10,000
// customers, seed 11, ending 2026-11-01) with `cairn demo load` — the real
// pipeline resolves identities and builds the profiles — starts the server
// on it, and asks the running server through `cairn analytics … -json` for
// the direct-mail lift and the lifetime-value fit. Both recover what the
// generator planted (docs/demo.md, "Planted truths"): +25% on the 30-day
// first-purchase probability of mailed customers against the 15% holdout,
// and BG/NBD r 0.25, α 4, a 0.8, b 2.5 with Gamma-Gamma p 6, q 4, γ 60.
func TestDemoTruthsThroughTheServer(t *testing.T) {
	t.Parallel()
	requireBinary(t)
	dir := t.TempDir()
	load := runCLI(t, 10*time.Minute, "demo", "load", "--data", dir, "--customers", "10000", "--seed", "11", "--end", "2026-11-01")
	require.Equal(t, 0, load.code, "demo load: %s%s", load.stdout, load.stderr)
	s := startServer(t, dir)
	analytics := func(args ...string) []byte {
		t.Helper()
		res := runCLI(t, 3*time.Minute, append(append([]string{"analytics"}, args...), "--url", s.url, "-json")...)
		require.Equal(t, 0, res.code, "cairn analytics %v: %s", args, res.stderr)
		return []byte(res.stdout)
	}

	var lift struct {
		Holdout, Exposed struct {
			Units, Conversions int64
		}
		Test struct {
			Lift struct {
				Estimate float64 `json:"estimate"`
				CI       struct{ Low, High float64 }
			} `json:"lift"`
		} `json:"test"`
		SRM struct {
			Mismatch bool `json:"mismatch"`
		} `json:"srm"`
	}
	require.NoError(t, json.Unmarshal(analytics("lift", "--exposure", "Catalog Delivered", "--holdout", "Catalog Held Out",
		"--window", "30d", "--first-conversion", "--holdout-share", "0.15", "--end", "2026-11-01T00:00:00Z"), &lift))
	l := lift.Test.Lift
	t.Logf("direct mail: holdout %d/%d, mailed %d/%d, lift %.3f [%.3f, %.3f]", lift.Holdout.Conversions, lift.Holdout.Units,
		lift.Exposed.Conversions, lift.Exposed.Units, l.Estimate, l.CI.Low, l.CI.High)
	require.False(t, lift.SRM.Mismatch, "the holdout is the planned 15%")
	require.Greater(t, l.CI.Low, 0.0, "mail shows a lift against the holdout")
	require.Less(t, l.CI.Low, 0.25)
	require.Greater(t, l.CI.High, 0.25, "the interval covers the planted +25%")
	se := (math.Log1p(l.CI.High) - math.Log1p(l.CI.Low)) / (2 * 1.959964)
	require.InDelta(t, math.Log1p(0.25), math.Log1p(l.Estimate), 3*se)

	var fit struct {
		BGNBD struct{ R, Alpha, A, B float64 } `json:"bg_nbd"`
		Fit   struct {
			Converged bool `json:"converged"`
		} `json:"bg_nbd_fit"`
		GammaGamma struct{ P, Q, Gamma float64 } `json:"gamma_gamma"`
	}
	require.NoError(t, json.Unmarshal(analytics("clv", "--calibration-end", "2026-11-01"), &fit))
	m, g := fit.BGNBD, fit.GammaGamma
	t.Logf("BG/NBD r=%.3f α=%.3f a=%.3f b=%.3f; Gamma-Gamma p=%.2f q=%.2f γ=%.1f", m.R, m.Alpha, m.A, m.B, g.P, g.Q, g.Gamma)
	require.True(t, fit.Fit.Converged)
	// The tolerances of internal/analytics/clv's TestDemoPlantedTruths (a
	// ~10k-customer sample; means tighter than the parameters, which trade off).
	within := func(name string, got, want, rel float64) {
		t.Helper()
		require.InDelta(t, want, got, rel*want, "%s: got %.4f, planted %.4f (±%.0f%%)", name, got, want, rel*100)
	}
	within("mean purchase rate r/α", m.R/m.Alpha, 0.25/4.0, 0.10)
	within("mean dropout a/(a+b)", m.A/(m.A+m.B), 0.8/3.3, 0.15)
	within("r", m.R, 0.25, 0.30)
	within("α", m.Alpha, 4.0, 0.35)
	within("a", m.A, 0.8, 0.40)
	within("b", m.B, 2.5, 0.40)
	within("mean order value pγ/(q−1)", g.P*g.Gamma/(g.Q-1), 6.0*60/3, 0.05)
	within("p", g.P, 6.0, 0.20)
	within("q", g.Q, 4.0, 0.25)
	within("γ", g.Gamma, 60, 0.30)

	// The other analyses run on the same data through the CLI and the API.
	var funnel struct {
		Entered int `json:"entered"`
		Steps   []struct {
			Count   int `json:"count"`
			Dropped struct {
				Segment json.RawMessage `json:"segment"`
			} `json:"dropped"`
		} `json:"steps"`
		Breakdown []struct {
			Value string `json:"value"`
		} `json:"breakdown"`
	}
	require.NoError(t, json.Unmarshal(analytics("funnel", "--steps", "Product Viewed,Product Added,Checkout Started,Order Completed",
		"--window", "7d", "--breakdown", "stage"), &funnel))
	require.Greater(t, funnel.Entered, 5000)
	for k := 1; k < len(funnel.Steps); k++ {
		require.Less(t, funnel.Steps[k].Count, funnel.Steps[k-1].Count, "step %d", k+1)
		require.NotEmpty(t, funnel.Steps[k].Dropped.Segment)
	}
	stages := map[string]bool{}
	for _, b := range funnel.Breakdown {
		stages[b.Value] = true
	}
	require.True(t, stages["awareness"] && stages["consideration"] && len(stages) >= 4,
		"stages at entry are replayed from the bulk-loaded events, not all one stage: %v", stages)

	var attribution struct {
		Channels []string `json:"channels"`
	}
	raw := analytics("attribution", "--models", "first,last,linear,markov", "--lookback", "30d")
	require.NoError(t, json.Unmarshal(raw, &attribution), string(raw[:min(len(raw), 500)]))
	require.Contains(t, attribution.Channels, "direct_mail", "catalogs are touchpoints")

	var flow struct {
		Sankey struct {
			Links []json.RawMessage `json:"links"`
		} `json:"sankey"`
	}
	require.NoError(t, json.Unmarshal(analytics("stage-flow", "--period", "month"), &flow))
	require.NotEmpty(t, flow.Sankey.Links, "customers move between lifecycle stages")

	code, body := s.api("POST", "/v1/analytics/paths", map[string]any{"from": "Product Viewed", "depth": 4, "level": "channel"})
	require.Equal(t, 200, code, string(body))
}
