package clv_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

func TestFitParetoNBDReproducesCDNOW(t *testing.T) {
	t.Parallel()
	cs := cdnowCustomers(t)
	m, rep, err := clv.FitParetoNBD(cs)
	require.NoError(t, err)
	// lifetimes' tests check r, α, s, β to 3 decimals against Fader, Hardie &
	// Lee's (2005) note "Implementing the Pareto/NBD model in MATLAB", which
	// reports LL = −9594.98.
	require.InDelta(t, 0.553, m.R, 1e-3)
	require.InDelta(t, 10.578, m.Alpha, 2e-3)
	require.InDelta(t, 0.606, m.S, 1e-3)
	require.InDelta(t, 11.669, m.Beta, 2e-3)
	require.InDelta(t, -9594.98, rep.LogLik, 0.005)
	require.True(t, rep.Converged, "%+v", rep)

	bg, bgRep, err := clv.FitBGNBD(cs)
	require.NoError(t, err)
	require.Greater(t, bgRep.LogLik, rep.LogLik, "on CDNOW the BG/NBD fits slightly better (FHL 2005, table 1)")

	// The two models disagree on individual forecasts, but both put a typical
	// repeat customer between 1 and 2 purchases in the 39-week holdout.
	for _, e := range []float64{m.ExpectedPurchases(39, 2, 30.43, 38.86), bg.ExpectedPurchases(39, 2, 30.43, 38.86)} {
		require.True(t, e > 1 && e < 2, "%v", e)
	}
}

func TestParetoNBDPredictions(t *testing.T) {
	t.Parallel()
	// BTYD walkthrough, Pareto/NBD section: customer 1516 (x = 26, t.x = 30.86,
	// T.cal = 31) at its estimates is expected to buy 25.46 times in 52 weeks
	// and is alive with probability 0.9979.
	btydP := clv.ParetoNBD{R: 0.5533971, Alpha: 10.5801985, S: 0.6060625, Beta: 11.6562237}
	require.InDelta(t, 25.46, btydP.ExpectedPurchases(52, 26, 30.86, 31), 0.005)
	require.InDelta(t, 0.9979, btydP.PAlive(26, 30.86, 31), 5e-5)

	m := clv.ParetoNBD{R: 0.5533, Alpha: 10.578, S: 0.6061, Beta: 11.6693}
	// A new customer: E[X(t)] = rβ/(α(s−1)) [1 − (β/(β+t))^{s−1}].
	for _, h := range []float64{1, 39, 78} {
		want := m.R * m.Beta / (m.Alpha * (m.S - 1)) * (1 - math.Pow(m.Beta/(m.Beta+h), m.S-1))
		require.InDelta(t, want, m.PopulationPurchases(h), 1e-12)
	}
	// s = 1 is the logarithmic limit, continuous on both sides.
	at := clv.ParetoNBD{R: 1, Alpha: 5, S: 1, Beta: 8}
	lo, hi := at, at
	lo.S, hi.S = 1-1e-7, 1+1e-7
	e := at.ExpectedPurchases(20, 3, 10, 30)
	require.InDelta(t, e, lo.ExpectedPurchases(20, 3, 10, 30), 1e-6)
	require.InDelta(t, e, hi.ExpectedPurchases(20, 3, 10, 30), 1e-6)

	// Unlike the BG/NBD, a customer without repeats may have died.
	require.Less(t, m.PAlive(0, 0, 38), 1.0)
	require.Equal(t, 1.0, m.PAlive(5, 20, 20), "bought at the very end: alive")
	for x := 0.0; x < 100; x += 10 {
		for tx := 0.0; tx < 100; tx += 10 {
			for T := tx; T < 100; T += 10 {
				if x == 0 && tx > 0 {
					continue
				}
				p := m.PAlive(x, tx, T)
				require.True(t, p >= 0 && p <= 1, "PAlive(%v, %v, %v) = %v", x, tx, T, p)
			}
		}
	}
}

func TestFitParetoNBDDegenerate(t *testing.T) {
	t.Parallel()
	_, _, err := clv.FitParetoNBD(nil)
	require.ErrorIs(t, err, clv.ErrNoCustomers)
	m, _, err := clv.FitParetoNBD([]clv.Customer{{ID: "1", T: 10}, {ID: "2", T: 3}})
	require.ErrorIs(t, err, clv.ErrNotIdentifiable)
	require.Equal(t, clv.ParetoNBD{}, m)
}
