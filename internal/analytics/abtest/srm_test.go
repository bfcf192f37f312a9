package abtest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSRM(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		observed []int64
		planned  []float64
		chi2, p  float64
		mismatch bool
	}{
		// scipy.stats.chisquare docstring: chisquare([16, 18, 16, 14, 12, 12])
		// -> (2.0, 0.84914503608460956).
		{name: "scipy equal split", observed: []int64{16, 18, 16, 14, 12, 12},
			chi2: 2.0, p: 0.84914503608460956},
		// chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8])
		// -> (3.5, 0.62338762774958223); weights need not sum to the total.
		{name: "scipy given split", observed: []int64{16, 18, 16, 14, 12, 12},
			planned: []float64{2, 2, 2, 2, 2, 1}, chi2: 3.5, p: 0.62338762774958223},
		// 50/50 split, 10,000 vs 10,400: χ² = 2·200²/10,200; with 1 df the
		// p-value is erfc(√(χ²/2)), a different route than the gamma function.
		{name: "small imbalance", observed: []int64{10_000, 10_400}, planned: []float64{50, 50},
			chi2: 80_000.0 / 10_200, p: math.Erfc(math.Sqrt(40_000.0 / 10_200))},
		{name: "mismatch", observed: []int64{10_000, 10_600}, planned: []float64{0.5, 0.5},
			chi2: 180_000.0 / 10_300, p: math.Erfc(math.Sqrt(90_000.0 / 10_300)), mismatch: true},
		// A 90/10 holdout that matches its plan.
		{name: "holdout as planned", observed: []int64{9_000, 1_000}, planned: []float64{90, 10}, chi2: 0, p: 1},
		{name: "no traffic yet", observed: []int64{0, 0}, planned: []float64{1, 1}, chi2: 0, p: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := SRM(tc.observed, tc.planned)
			require.NoError(t, err)
			require.InDelta(t, tc.chi2, got.ChiSquare, 1e-12)
			require.InDelta(t, tc.p, got.P, 1e-12)
			require.Equal(t, tc.mismatch, got.Mismatch)
			require.Equal(t, len(tc.observed)-1, got.DF)
			var share float64
			for _, w := range got.Planned {
				share += w
			}
			require.InDelta(t, 1, share, 1e-15)
		})
	}
}

func TestSRMErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		observed []int64
		planned  []float64
		err      error
	}{
		{"one arm", []int64{5}, nil, ErrArms},
		{"length mismatch", []int64{5, 5}, []float64{1, 1, 1}, ErrArms},
		{"zero weight", []int64{5, 5}, []float64{1, 0}, ErrArms},
		{"NaN weight", []int64{5, 5}, []float64{1, math.NaN()}, ErrArms},
		{"infinite weight", []int64{5, 5}, []float64{1, math.Inf(1)}, ErrArms},
		{"negative count", []int64{5, -1}, nil, ErrInvalidCounts},
		{"overflow", []int64{math.MaxInt64, 1}, nil, ErrInvalidCounts},
		{"weight too small", []int64{5, 5}, []float64{1, 5e-324}, ErrArms},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := SRM(tc.observed, tc.planned)
			require.ErrorIs(t, err, tc.err)
		})
	}
}
