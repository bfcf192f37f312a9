package abtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestTwoProportions(t *testing.T) {
	t.Parallel()
	// statsmodels proportions_ztest(count=[5, 12], nobs=[83, 99]); also in
	// the shared reference CSV.
	got, err := TwoProportions(Counts{5, 83}, Counts{12, 99}, 0.05)
	require.NoError(t, err)
	require.InDelta(t, -1.4078304151258787, got.Z, 1e-12)
	require.InDelta(t, 0.15918129181156992, got.P, 1e-12)
	require.InDelta(t, 12.0/99-5.0/83, got.Diff, 1e-15)

	// Swapping the arms mirrors the statistic and the interval.
	mirror, err := TwoProportions(Counts{12, 99}, Counts{5, 83}, 0.05)
	require.NoError(t, err)
	require.InDelta(t, -got.Z, mirror.Z, 1e-15)
	require.InDelta(t, got.P, mirror.P, 1e-15)
	require.InDelta(t, -got.DiffCI.High, mirror.DiffCI.Low, 1e-15)
	require.InDelta(t, -got.DiffCI.Low, mirror.DiffCI.High, 1e-15)

	// The interval is Diff ± 1.959964·SE (z₀.₉₇₅ = 1.959963984540054).
	se := math.Sqrt((5.0/83)*(78.0/83)/83 + (12.0/99)*(87.0/99)/99)
	require.InDelta(t, got.Diff-1.959963984540054*se, got.DiffCI.Low, 1e-12)
	require.InDelta(t, got.Diff+1.959963984540054*se, got.DiffCI.High, 1e-12)
	require.NotNil(t, got.Lift)
	require.InDelta(t, (12.0/99)/(5.0/83)-1, got.Lift.Estimate, 1e-12)
	require.Less(t, got.Lift.CI.Low, got.Lift.Estimate)
	require.Greater(t, got.Lift.CI.High, got.Lift.Estimate)
	// p = 0.159 > 0.05, so both intervals include "no effect".
	require.True(t, got.DiffCI.Contains(0))
	require.True(t, got.Lift.CI.Contains(0))
}

func TestTwoProportionsEdges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		a, b     Counts
		alpha    float64
		err      error
		z, p     float64
		liftNil  bool
		ciLow    float64
		ciHigh   float64
		checkCIs bool
	}{
		{name: "no conversions anywhere", a: Counts{0, 100}, b: Counts{0, 120}, alpha: 0.05, p: 1, liftNil: true, checkCIs: true},
		{name: "everyone converts", a: Counts{50, 50}, b: Counts{70, 70}, alpha: 0.05, p: 1, checkCIs: true},
		{name: "control has no conversions", a: Counts{0, 100}, b: Counts{5, 100}, alpha: 0.05, z: -2.2645540682891915, p: -1, liftNil: true},
		{name: "empty arm A", a: Counts{0, 0}, b: Counts{5, 100}, alpha: 0.05, err: ErrNoTrials},
		{name: "empty arm B", a: Counts{5, 100}, b: Counts{0, 0}, alpha: 0.05, err: ErrNoTrials},
		{name: "too many successes", a: Counts{101, 100}, b: Counts{5, 100}, alpha: 0.05, err: ErrInvalidCounts},
		{name: "negative trials", a: Counts{1, 100}, b: Counts{0, -5}, alpha: 0.05, err: ErrInvalidCounts},
		{name: "alpha zero", a: Counts{1, 100}, b: Counts{2, 100}, alpha: 0, err: ErrAlpha},
		{name: "alpha one", a: Counts{1, 100}, b: Counts{2, 100}, alpha: 1, err: ErrAlpha},
		{name: "alpha NaN", a: Counts{1, 100}, b: Counts{2, 100}, alpha: math.NaN(), err: ErrAlpha},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := TwoProportions(tc.a, tc.b, tc.alpha)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.InDelta(t, tc.z, got.Z, 1e-9)
			if tc.p < 0 {
				// Independent route to the p-value: z² is chi-square with 1
				// degree of freedom, P = Q(1/2, z²/2).
				tc.p = mathext.GammaIncRegComp(0.5, tc.z*tc.z/2)
			}
			require.InDelta(t, tc.p, got.P, 1e-12)
			require.Equal(t, tc.liftNil, got.Lift == nil)
			if tc.checkCIs {
				require.Equal(t, Interval{Low: got.Diff, High: got.Diff}, got.DiffCI)
			}
			require.True(t, finite(got.Z, got.P, got.Diff, got.DiffCI.Low, got.DiffCI.High))
		})
	}
}

// TestTwoProportionsCoverage checks by simulation that the (1−α) intervals
// for the difference and for the lift cover the true values about (1−α) of
// the time, and that the z-test rejects a true null about α of the time.
func TestTwoProportionsCoverage(t *testing.T) {
	t.Parallel()
	const reps, n = 4000, 2000
	src := rand.NewPCG(7, 11)
	for _, tc := range []struct{ pa, pb float64 }{{0.10, 0.10}, {0.05, 0.07}, {0.30, 0.25}} {
		binA := distuv.Binomial{N: n, P: tc.pa, Src: src}
		binB := distuv.Binomial{N: n, P: tc.pb, Src: src}
		var diffCover, liftCover, rejects int
		for range reps {
			a := Counts{Successes: int64(binA.Rand()), Trials: n}
			b := Counts{Successes: int64(binB.Rand()), Trials: n}
			z, err := TwoProportions(a, b, 0.05)
			require.NoError(t, err)
			if z.DiffCI.Contains(tc.pb - tc.pa) {
				diffCover++
			}
			if z.Lift != nil && z.Lift.CI.Contains(tc.pb/tc.pa-1) {
				liftCover++
			}
			if z.P <= 0.05 {
				rejects++
			}
		}
		// Binomial SE of a 95% coverage over 4000 runs is 0.0034.
		require.InDelta(t, 0.95, float64(diffCover)/reps, 0.015, "diff CI coverage at %v", tc)
		require.InDelta(t, 0.95, float64(liftCover)/reps, 0.015, "lift CI coverage at %v", tc)
		if tc.pa == tc.pb {
			require.InDelta(t, 0.05, float64(rejects)/reps, 0.012, "type I error")
		} else {
			require.Greater(t, float64(rejects)/reps, 0.3, "power at %v", tc)
		}
	}
}
