package abtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestMSPRTMixtureIntegral checks the closed-form Λ against its definition,
// Λ = ∫ φ(θ̂; θ, V)/φ(θ̂; θ₀, V) · φ(θ; θ₀, τ²) dθ, by quadrature.
func TestMSPRTMixtureIntegral(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		a, b Counts
		cfg  MSPRTConfig
	}{
		{"no effect", Counts{500, 5000}, Counts{500, 5000}, MSPRTConfig{}},
		{"small effect", Counts{500, 5000}, Counts{540, 5000}, MSPRTConfig{}},
		{"clear effect", Counts{500, 5000}, Counts{640, 5000}, MSPRTConfig{}},
		{"unequal arms, wide mixture", Counts{90, 1000}, Counts{300, 2500}, MSPRTConfig{MixingVariance: 4e-3}},
		{"shifted null", Counts{500, 5000}, Counts{640, 5000}, MSPRTConfig{Null: 0.02}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := MSPRT(tc.a, tc.b, tc.cfg)
			require.NoError(t, err)
			pa, pb := tc.a.Rate(), tc.b.Rate()
			v := pa*(1-pa)/float64(tc.a.Trials) + pb*(1-pb)/float64(tc.b.Trials)
			theta0, tau2 := got.Null, got.MixingVariance
			logNormal := func(x, mean, variance float64) float64 {
				return -0.5*math.Log(2*math.Pi*variance) - (x-mean)*(x-mean)/(2*variance)
			}
			// Trapezoid over θ₀ ± 12τ with 200,000 steps.
			const steps = 200_000
			lo, hi := theta0-12*math.Sqrt(tau2), theta0+12*math.Sqrt(tau2)
			h := (hi - lo) / steps
			var lambda float64
			for i := 0; i <= steps; i++ {
				theta := lo + float64(i)*h
				w := h
				if i == 0 || i == steps {
					w = h / 2
				}
				lambda += w * math.Exp(logNormal(got.Diff, theta, v)-logNormal(got.Diff, theta0, v)+logNormal(theta, theta0, tau2))
			}
			require.InEpsilon(t, lambda, math.Exp(got.LogLR), 1e-8)
			require.InDelta(t, math.Min(1, 1/lambda), got.P, 1e-8)
		})
	}
}

// TestMSPRTDuality checks that the confidence sequence is the set of nulls
// the test does not reject: at each end of the interval the p-value for
// that null is exactly alpha.
func TestMSPRTDuality(t *testing.T) {
	t.Parallel()
	a, b := Counts{500, 5000}, Counts{600, 5000}
	got, err := MSPRT(a, b, MSPRTConfig{Alpha: 0.05})
	require.NoError(t, err)
	require.True(t, got.Reject)
	require.False(t, got.CS.Contains(0))
	for _, end := range []float64{got.CS.Low, got.CS.High} {
		at, err := MSPRT(a, b, MSPRTConfig{Alpha: 0.05, Null: end})
		require.NoError(t, err)
		require.InDelta(t, 0.05, at.P, 1e-9)
	}
	inside, err := MSPRT(a, b, MSPRTConfig{Alpha: 0.05, Null: got.Diff})
	require.NoError(t, err)
	require.False(t, inside.Reject)
	require.Equal(t, 1.0, inside.P)
}

func TestMSPRTEdges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		a, b Counts
		cfg  MSPRTConfig
		err  error
	}{
		{name: "no trials", a: Counts{}, b: Counts{}},
		{name: "one empty arm", a: Counts{}, b: Counts{3, 10}},
		{name: "zero variance", a: Counts{0, 100}, b: Counts{0, 100}},
		{name: "bad counts", a: Counts{3, 2}, b: Counts{1, 2}, err: ErrInvalidCounts},
		{name: "bad alpha", a: Counts{1, 2}, b: Counts{1, 2}, cfg: MSPRTConfig{Alpha: 1.5}, err: ErrAlpha},
		{name: "bad tau", a: Counts{1, 2}, b: Counts{1, 2}, cfg: MSPRTConfig{MixingVariance: -1}, err: ErrConfig},
		{name: "bad null", a: Counts{1, 2}, b: Counts{1, 2}, cfg: MSPRTConfig{Null: 1}, err: ErrConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := MSPRT(tc.a, tc.b, tc.cfg)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, 1.0, got.P)
			require.Zero(t, got.LogLR)
			require.Equal(t, Interval{Low: -1, High: 1}, got.CS)
			require.False(t, got.Reject)
		})
	}
}

func TestMonitor(t *testing.T) {
	t.Parallel()
	m, err := NewMonitor(MSPRTConfig{})
	require.NoError(t, err)
	first, err := m.Observe(Counts{}, Counts{})
	require.NoError(t, err)
	require.Equal(t, 1.0, first.P)
	require.Equal(t, 1, first.Looks)

	strong, err := m.Observe(Counts{500, 5000}, Counts{650, 5000})
	require.NoError(t, err)
	require.True(t, strong.Reject)
	// The evidence fades at a later look, but the always-valid p-value and
	// the interval keep what was learned.
	later, err := m.Observe(Counts{1000, 10000}, Counts{1010, 10000})
	require.NoError(t, err)
	single, err := MSPRT(Counts{1000, 10000}, Counts{1010, 10000}, MSPRTConfig{})
	require.NoError(t, err)
	require.Greater(t, single.P, strong.P)
	require.Equal(t, strong.P, later.P)
	require.True(t, later.Reject)
	require.Equal(t, 3, later.Looks)
	require.GreaterOrEqual(t, later.CS.Low, math.Max(strong.CS.Low, single.CS.Low))
	require.LessOrEqual(t, later.CS.High, math.Min(strong.CS.High, single.CS.High))

	_, err = m.Observe(Counts{900, 9000}, Counts{1010, 10000})
	require.ErrorIs(t, err, ErrInvalidCounts)
	_, err = NewMonitor(MSPRTConfig{MixingVariance: math.Inf(1)})
	require.ErrorIs(t, err, ErrConfig)
}

// peekingRun simulates experiments that are checked after every batch of
// customers. It returns the share of experiments where the monitor ever
// rejected, where a fixed-horizon z-test at level alpha ever rejected, and
// where the running confidence sequence ever excluded the true difference.
func peekingRun(t *testing.T, seed uint64, pa, pb float64, cfg MSPRTConfig, experiments, looks, batch int) (msprt, naive, miss float64) {
	t.Helper()
	src := rand.NewPCG(seed, seed+1)
	binA := distuv.Binomial{N: float64(batch), P: pa, Src: src}
	binB := distuv.Binomial{N: float64(batch), P: pb, Src: src}
	var rejected, naiveRejected, missed int
	for range experiments {
		m, err := NewMonitor(cfg)
		require.NoError(t, err)
		var a, b Counts
		var rej, nrej, mis bool
		for range looks {
			a.Successes += int64(binA.Rand())
			b.Successes += int64(binB.Rand())
			a.Trials += int64(batch)
			b.Trials += int64(batch)
			s, err := m.Observe(a, b)
			require.NoError(t, err)
			rej = rej || s.Reject
			mis = mis || !s.CS.Contains(pb-pa)
			if z, err := TwoProportions(a, b, cfg.Alpha); err == nil && z.P <= cfg.Alpha {
				nrej = true
			}
		}
		if rej {
			rejected++
		}
		if nrej {
			naiveRejected++
		}
		if mis {
			missed++
		}
	}
	n := float64(experiments)
	return float64(rejected) / n, float64(naiveRejected) / n, float64(missed) / n
}

// TestMSPRTPeekingUnderNull is the property the sequential test exists for:
// under the null, looking after every batch of customers keeps the
// false-positive rate at or below alpha, while the same peeks with a
// fixed-horizon z-test inflate it several times over.
func TestMSPRTPeekingUnderNull(t *testing.T) {
	t.Parallel()
	const alpha = 0.05
	cases := []struct {
		name         string
		p            float64
		tau2         float64
		batch, looks int
	}{
		{"10% base, default mixture", 0.10, 0, 100, 100},
		{"10% base, wide mixture", 0.10, 1e-2, 100, 100},
		{"3% base, narrow mixture", 0.03, 1e-5, 100, 100},
		{"3% base, default mixture", 0.03, 0, 100, 100},
		{"1% base, a look after every 10 customers", 0.01, 0, 10, 500},
		{"50% base, a look after every customer", 0.5, 1e-1, 1, 400},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := MSPRTConfig{Alpha: alpha, MixingVariance: tc.tau2}
			fpr, naive, miss := peekingRun(t, uint64(100+i), tc.p, tc.p, cfg, 1000, tc.looks, tc.batch)
			t.Logf("false positives: mSPRT %.3f, peeking z-test %.3f; CS misses %.3f", fpr, naive, miss)
			require.LessOrEqual(t, fpr, alpha)
			require.LessOrEqual(t, miss, alpha)
			require.Greater(t, naive, 2*alpha, "peeking at a fixed-horizon test should inflate false positives")
		})
	}
}

// TestMSPRTBurnIn shows why MinTrials exists: with the plug-in variance of a
// handful of customers, per-customer looks reject a true null too often.
func TestMSPRTBurnIn(t *testing.T) {
	t.Parallel()
	cfg := MSPRTConfig{Alpha: 0.05, MixingVariance: 1e-1, MinTrials: -1}
	fpr, _, _ := peekingRun(t, 3, 0.5, 0.5, cfg, 1000, 100, 1)
	t.Logf("false positives without burn-in: %.3f", fpr)
	require.Greater(t, fpr, 0.05)
}

// TestMSPRTCoverageWithEffect checks the confidence sequence when there is
// an effect, and that the test then finds it.
func TestMSPRTCoverageWithEffect(t *testing.T) {
	t.Parallel()
	cfg := MSPRTConfig{Alpha: 0.05, MixingVariance: 4e-4}
	power, _, miss := peekingRun(t, 7, 0.10, 0.12, cfg, 500, 100, 100)
	t.Logf("power %.3f, CS misses %.3f", power, miss)
	require.LessOrEqual(t, miss, 0.05)
	require.Greater(t, power, 0.8)
}
