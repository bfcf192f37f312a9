package httpapi

import (
	"cmp"
	"encoding/json"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
	"github.com/cairn-cdp/cairn/internal/event"
)

// simulatePurchases draws n customers from a BG/NBD-like process over the 39
// weeks before t0: Poisson purchases at an exponential rate, dropping out
// after each purchase with a uniform probability, with Gamma-ish spend.
func simulatePurchases(n int, seed uint64) []clv.Transaction {
	rng := rand.New(rand.NewPCG(seed, 1))
	start := t0.Add(-39 * week)
	var txs []clv.Transaction
	for i := range n {
		user := "u-" + modelsItoa(i)
		lambda := rng.ExpFloat64() * 0.4 // purchases per week
		p := rng.Float64() * 0.5
		mean := 20 + rng.ExpFloat64()*30
		at := start.Add(time.Duration(rng.Float64() * 26 * float64(week)))
		for at.Before(t0) {
			txs = append(txs, clv.Transaction{Customer: user, Time: at, Value: math.Round(mean*(0.5+rng.Float64())*100) / 100})
			if rng.Float64() < p || lambda == 0 {
				break
			}
			at = at.Add(time.Duration(rng.ExpFloat64() / lambda * float64(week)))
		}
	}
	return txs
}

func relEqual(t *testing.T, want, got float64, name string) {
	t.Helper()
	require.InDelta(t, 0, (got-want)/want, 1e-6, "%s: want %g, got %g", name, want, got)
}

func TestModelCLVMatchesDirectFit(t *testing.T) {
	h := newModelsHarness(t)
	txs := simulatePurchases(300, 7)
	var evs []*event.Event
	for i, tx := range txs {
		props := map[string]any{"revenue": tx.Value}
		switch i {
		case 3:
			props = map[string]any{"revenue": " 0.5"} // a numeric string counts
			txs[i].Value = 0.5
		case 5:
			props = map[string]any{} // no revenue: valued 0, reported missing
			txs[i].Value = 0
		}
		evs = append(evs, h.ev(event.Track, tx.Customer, "Order Completed", tx.Time, map[string]any{"properties": props}),
			h.ev(event.Track, tx.Customer, "Product Viewed", tx.Time.Add(-time.Hour), map[string]any{"properties": map[string]any{"revenue": 999}}))
	}
	h.ingest(t, evs...)

	status, body := h.do(t, http.MethodPost, "/v1/analytics/clv", `{}`)
	require.Equal(t, http.StatusOK, status, body)
	var res clvResponse
	require.NoError(t, json.Unmarshal([]byte(body), &res))

	cs, err := clv.Summarize(txs, t0, week)
	require.NoError(t, err)
	m, fit, err := clv.FitBGNBD(cs)
	require.NoError(t, err)
	gg, _, err := clv.FitGammaGamma(cs)
	require.NoError(t, err)

	require.Equal(t, len(txs), res.Transactions)
	require.Equal(t, 1, res.MissingRevenue)
	require.True(t, res.BGNBDFit.Converged)
	relEqual(t, fit.LogLik, res.BGNBDFit.LogLik, "log-likelihood")
	relEqual(t, m.R, res.BGNBD.R, "r")
	relEqual(t, m.Alpha, res.BGNBD.Alpha, "alpha")
	relEqual(t, m.A, res.BGNBD.A, "a")
	relEqual(t, m.B, res.BGNBD.B, "b")
	require.NotNil(t, res.GammaGamma)
	relEqual(t, gg.P, res.GammaGamma.P, "p")
	relEqual(t, gg.Q, res.GammaGamma.Q, "q")
	relEqual(t, gg.Gamma, res.GammaGamma.Gamma, "gamma")

	repeaters, total := 0, 0.0
	best := map[string]float64{}
	delta := clv.DiscountRate(0.1, week)
	for _, c := range cs {
		if c.X > 0 {
			repeaters++
		}
		v := clv.CLV(m, gg, c, 52, delta)
		total += v.CLV
		best[c.ID] = v.CLV
	}
	require.Equal(t, len(cs), res.Population.Customers)
	require.Equal(t, repeaters, res.Population.Repeaters)
	relEqual(t, total, res.Population.TotalCLV, "total CLV")
	require.Len(t, res.Top, clvTop)
	require.True(t, slices.IsSortedFunc(res.Top, func(a, b clvCustomer) int { return cmp.Compare(b.CLV, a.CLV) }))
	top := slices.SortedFunc(maps.Keys(best), func(a, b string) int { return cmp.Compare(best[b], best[a]) })
	require.Equal(t, h.profileOf(t, top[0]), res.Top[0].ProfileID, "the most valuable customer")
	relEqual(t, best[top[0]], res.Top[0].CLV, "top CLV")
	require.Equal(t, "clv", res.Distribution.Of)
	require.Len(t, res.Distribution.Buckets, clvBuckets)
	inBuckets, alive := 0, 0
	for _, b := range res.Distribution.Buckets {
		inBuckets += b.Customers
	}
	for _, b := range res.Distribution.PAlive {
		alive += b.Customers
	}
	require.Equal(t, len(cs), inBuckets, "every customer in a CLV bucket")
	require.Equal(t, len(cs), alive, "every customer in a P(alive) tenth")

	t.Run("calibration end cuts the data", func(t *testing.T) {
		end := t0.Add(-13 * week)
		status, body := h.do(t, http.MethodPost, "/v1/analytics/clv", `{"calibration_end":"`+end.Format(time.RFC3339)+`","horizon_weeks":13}`)
		require.Equal(t, http.StatusOK, status, body)
		require.NoError(t, json.Unmarshal([]byte(body), &res))
		cs, err := clv.Summarize(txs, end, week)
		require.NoError(t, err)
		m, _, err := clv.FitBGNBD(cs)
		require.NoError(t, err)
		require.Equal(t, len(cs), res.Population.Customers)
		relEqual(t, m.R, res.BGNBD.R, "r")
		relEqual(t, m.B, res.BGNBD.B, "b")
	})
}

func TestModelCLVErrors(t *testing.T) {
	h := newModelsHarness(t)
	h.ingest(t,
		h.ev(event.Track, "a", "Order Completed", t0.Add(-10*24*time.Hour), nil),
		h.ev(event.Track, "b", "Order Completed", t0.Add(-20*24*time.Hour), nil),
		h.ev(event.Track, "c", "Order Completed", t0.Add(-5*24*time.Hour), nil))
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"nobody repeats", `{}`, http.StatusUnprocessableEntity, clv.ErrNotIdentifiable.Error()},
		{"no such event", `{"event":"Refunded"}`, http.StatusUnprocessableEntity, "Refunded"},
		{"bad horizon", `{"horizon_weeks":-1}`, http.StatusBadRequest, "horizon_weeks"},
		{"unknown field", `{"horizon":3}`, http.StatusBadRequest, "horizon"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.do(t, http.MethodPost, "/v1/analytics/clv", tc.body)
			require.Equal(t, tc.status, status, body)
			require.Contains(t, body, tc.want)
		})
	}
}
