package clv_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

func TestFitGammaGammaReproducesCDNOW(t *testing.T) {
	t.Parallel()
	cs := cdnowCustomers(t)
	g, rep, err := clv.FitGammaGamma(cs)
	require.NoError(t, err)
	// Fader & Hardie (2013) print p = 6.25, q = 3.74, γ = 15.44; CLVTools'
	// tests give LL = −4055.9177.
	require.InDelta(t, 6.25, g.P, 5e-3)
	require.InDelta(t, 3.74, g.Q, 5e-3)
	require.InDelta(t, 15.44, g.Gamma, 5e-3)
	require.InDelta(t, -4055.9177, rep.LogLik, 5e-4)
	require.True(t, rep.Converged, "%+v", rep)
	require.Equal(t, 946, rep.Customers, "only the repeat customers")
	require.InDelta(t, rep.LogLik, g.LogLik(cs), 1e-9)

	// Published-precision parameters sit just below the optimum.
	require.Less(t, clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}.LogLik(cs), rep.LogLik)
}

func TestGammaGammaExpectedSpend(t *testing.T) {
	t.Parallel()
	g := clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	mean := 6.25 * 15.44 / 2.74
	tests := []struct {
		name    string
		x, zbar float64
		want    float64
	}{
		{"no repeats: population mean", 0, 99, mean},
		{"one purchase", 1, 20, 6.25 * (15.44 + 20) / (6.25 + 2.74)},
		{"many purchases approach zbar", 1000, 20, 6.25 * (15.44 + 20000) / (6250 + 2.74)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.InDelta(t, tc.want, g.ExpectedSpend(tc.x, tc.zbar), 1e-9)
		})
	}
	require.InDelta(t, mean, g.MeanSpend(), 1e-12)
	// It is a weighted mean of the population mean and zbar.
	w := 6.25 * 3 / (6.25*3 + 2.74)
	require.InDelta(t, w*50+(1-w)*mean, g.ExpectedSpend(3, 50), 1e-9)
	require.True(t, math.IsInf(clv.GammaGamma{P: 1, Q: 0.5, Gamma: 1}.MeanSpend(), 1), "q ≤ 1: no finite mean")
}

func TestFitGammaGammaRecoversSimulatedParameters(t *testing.T) {
	t.Parallel()
	truth := clv.GammaGamma{P: 4, Q: 5, Gamma: 60}
	cs := simulate(rand.New(rand.NewPCG(7, 8)), clv.BGNBD{R: 1, Alpha: 4, A: 0.5, B: 3}, truth, 30000, false)
	g, rep, err := clv.FitGammaGamma(cs)
	require.NoError(t, err)
	require.True(t, rep.Converged, "%+v", rep)
	relClose(t, truth.P, g.P, 0.1, "p")
	relClose(t, truth.Q, g.Q, 0.15, "q")
	relClose(t, truth.Gamma, g.Gamma, 0.2, "gamma")
	relClose(t, truth.MeanSpend(), g.MeanSpend(), 0.03, "mean spend")
}

func TestFitGammaGammaDegenerate(t *testing.T) {
	t.Parallel()
	same := make([]clv.Customer, 50)
	for i := range same {
		same[i] = clv.Customer{ID: strconv.Itoa(i), X: 2, TX: 5, T: 10, ZBar: 25}
	}
	tests := []struct {
		name string
		cs   []clv.Customer
		msg  string
	}{
		{"no customers", nil, "no customer has a repeat purchase"},
		{"nobody repeats", []clv.Customer{{ID: "1", T: 3}, {ID: "2", T: 4}}, "no customer has a repeat purchase"},
		{"only zero spend", []clv.Customer{{ID: "1", X: 2, TX: 1, T: 3}}, "no customer has a repeat purchase with a positive value"},
		{"two distinct pairs", []clv.Customer{{ID: "1", X: 1, TX: 1, T: 3, ZBar: 5}, {ID: "2", X: 1, TX: 1, T: 3, ZBar: 6}}, "cannot identify"},
		{"every spend identical", same, "cannot identify"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, _, err := clv.FitGammaGamma(tc.cs)
			require.ErrorIs(t, err, clv.ErrNotIdentifiable)
			require.ErrorContains(t, err, tc.msg)
			require.Equal(t, clv.GammaGamma{}, g)
		})
	}

	// No spread between customers beyond within-customer noise: the rate ν
	// is the same for all, q and γ run off to infinity together.
	rng := rand.New(rand.NewPCG(9, 10))
	var flat []clv.Customer
	for i := range 400 {
		x := 1 + rng.IntN(4)
		var sum float64
		for range x {
			sum += 20 + rng.Float64()*1e-9
		}
		flat = append(flat, clv.Customer{ID: strconv.Itoa(i), X: x, TX: 1, T: 5, ZBar: math.Round(sum/float64(x)*1e6) / 1e6})
	}
	_, _, err := clv.FitGammaGamma(flat)
	require.ErrorIs(t, err, clv.ErrNotIdentifiable)
}
