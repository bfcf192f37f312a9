package abtest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// sleep is R's datasets::sleep, extra hours of sleep under two drugs.
var (
	sleepGroup1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleepGroup2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func TestWelchPublished(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		a, b     []float64
		t, p     float64
		tol      float64
		df       float64
		dfTol    float64
		ciLow    float64 // for mean(a) − mean(b), as published
		ciHigh   float64
		ciTol    float64
		checkCIs bool
	}{
		// scipy/stats/tests/test_stats.py::test_ttest_ind_with_uneq_var
		// ("check vs. R"), repeated in statsmodels/stats/tests/
		// test_weightstats.py::test_ttest_ind_with_uneq_var to 13 decimals.
		{name: "scipy a", a: []float64{1, 2, 3}, b: []float64{1.1, 2.9, 4.2},
			t: -0.68649512735572582, p: 0.53619490753126731, tol: 1e-13},
		{name: "scipy b", a: []float64{1, 2, 3, 4}, b: []float64{1.1, 2.9, 4.2},
			t: -0.2108663315950719, p: 0.84354139131608286, tol: 1e-13},
		// R: t.test(extra ~ group, data = sleep), the example of ?t.test:
		// t = -1.8608, df = 17.776, p-value = 0.07939,
		// 95 percent confidence interval: -3.3654832 0.2054832.
		{name: "R sleep", a: sleepGroup1, b: sleepGroup2,
			t: -1.8608, p: 0.07939, tol: 5e-5, df: 17.776, dfTol: 5e-4,
			ciLow: -3.3654832, ciHigh: 0.2054832, ciTol: 5e-8, checkCIs: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Welch(SampleOf(tc.a), SampleOf(tc.b), 0.05)
			require.NoError(t, err)
			require.InDelta(t, tc.t, got.T, tc.tol)
			require.InDelta(t, tc.p, got.P, tc.tol)
			if tc.dfTol > 0 {
				require.InDelta(t, tc.df, got.DF, tc.dfTol)
			}
			if tc.checkCIs {
				// Diff is B − A: the published interval for A − B, mirrored.
				require.InDelta(t, -tc.ciHigh, got.DiffCI.Low, tc.ciTol)
				require.InDelta(t, -tc.ciLow, got.DiffCI.High, tc.ciTol)
			}
		})
	}
}

func TestWelchEdges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		a, b  Sample
		alpha float64
		err   error
		t, p  float64
		df    float64
	}{
		{name: "one arm constant gives df n−1", a: SampleOf([]float64{5, 5, 5}), b: SampleOf([]float64{1, 2, 3}), alpha: 0.05,
			// t = (5 − 2)/√(1/3); df = 2.
			t: 3 / math.Sqrt(1.0/3), df: 2, p: -1},
		{name: "both constant and equal", a: SampleOf([]float64{0, 0, 0}), b: SampleOf([]float64{0, 0}), alpha: 0.05, p: 1, df: 3},
		{name: "both constant and different", a: SampleOf([]float64{1, 1}), b: SampleOf([]float64{2, 2}), alpha: 0.05, err: ErrZeroVariance},
		{name: "one observation", a: SampleOf([]float64{1}), b: SampleOf([]float64{1, 2}), alpha: 0.05, err: ErrSample},
		{name: "empty", a: SampleOf(nil), b: SampleOf(nil), alpha: 0.05, err: ErrSample},
		{name: "negative variance", a: Sample{N: 3, Mean: 1, Var: -1}, b: SampleOf([]float64{1, 2}), alpha: 0.05, err: ErrSample},
		{name: "NaN mean", a: Sample{N: 3, Mean: math.NaN(), Var: 1}, b: SampleOf([]float64{1, 2}), alpha: 0.05, err: ErrSample},
		{name: "overflowing difference", a: Sample{N: 2, Mean: -math.MaxFloat64, Var: 1}, b: Sample{N: 2, Mean: math.MaxFloat64, Var: 1}, alpha: 0.05, err: ErrSample},
		{name: "bad alpha", a: SampleOf([]float64{1, 2}), b: SampleOf([]float64{1, 2}), alpha: 2, err: ErrAlpha},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Welch(tc.a, tc.b, tc.alpha)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.InDelta(t, tc.t, got.T, 1e-12)
			require.InDelta(t, tc.df, got.DF, 1e-12)
			if tc.p < 0 {
				// Student t with 2 df has the closed form P(|T| > t) = 1 − t/√(t²+2).
				tc.p = 1 - math.Abs(tc.t)/math.Sqrt(tc.t*tc.t+2)
			}
			require.InDelta(t, tc.p, got.P, 1e-12)
			require.True(t, finite(got.T, got.P, got.DF, got.DiffCI.Low, got.DiffCI.High))
		})
	}
}

func TestSampleOf(t *testing.T) {
	t.Parallel()
	s := SampleOf(sleepGroup2)
	require.Equal(t, int64(10), s.N)
	require.InDelta(t, 2.33, s.Mean, 1e-14)
	// Sum of squared deviations 36.081 over n − 1 = 9.
	require.InDelta(t, 4.009, s.Var, 1e-12)
	// Welford is stable far from zero, where the textbook formula is not.
	shifted := make([]float64, len(sleepGroup2))
	for i, x := range sleepGroup2 {
		shifted[i] = x + 1e9
	}
	require.InDelta(t, 4.009, SampleOf(shifted).Var, 1e-5)
	require.Equal(t, Sample{N: 1, Mean: 3}, SampleOf([]float64{3}))
}
