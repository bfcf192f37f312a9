package abtest

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// integrate is ∫₀¹ f by 64-point Gauss–Legendre on panels cut at quantiles of
// the given Beta distributions: an independent check of the closed forms.
func integrate(f func(x float64) float64, dists ...BetaDist) float64 {
	cuts := []float64{0, 1}
	for _, d := range dists {
		bd := distuv.Beta{Alpha: d.Alpha, Beta: d.Beta}
		for _, q := range quantileLevels {
			if c := bd.Quantile(q); c > 0 && c < 1 {
				cuts = append(cuts, c)
			}
		}
	}
	// Sort and subdivide every panel in four for extra resolution.
	sortFloats(cuts)
	var sum float64
	nodes, weights := gaussLegendre[0], gaussLegendre[1]
	for i := 1; i < len(cuts); i++ {
		for j := range 4 {
			lo := cuts[i-1] + float64(j)*(cuts[i]-cuts[i-1])/4
			hi := cuts[i-1] + float64(j+1)*(cuts[i]-cuts[i-1])/4
			half, mid := (hi-lo)/2, (hi+lo)/2
			for k, u := range nodes {
				sum += half * weights[k] * f(mid+half*u)
			}
		}
	}
	return sum
}

func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

func pdf(d BetaDist) func(float64) float64 {
	return func(x float64) float64 { return math.Exp(distuv.Beta{Alpha: d.Alpha, Beta: d.Beta}.LogProb(x)) }
}

func cdf(d BetaDist) func(float64) float64 {
	return func(x float64) float64 { return mathext.RegIncBeta(d.Alpha, d.Beta, x) }
}

var betaPairs = []struct {
	name string
	a, b BetaDist
}{
	{"reference", BetaDist{1, 2}, BetaDist{3, 4}},
	{"equal", BetaDist{5, 5}, BetaDist{5, 5}},
	{"uniform", BetaDist{1, 1}, BetaDist{1, 1}},
	{"small counts", BetaDist{6, 95}, BetaDist{13, 88}},
	{"typical test", BetaDist{1 + 480, 1 + 9520}, BetaDist{1 + 560, 1 + 9440}},
	{"B clearly worse", BetaDist{1 + 900, 1 + 9100}, BetaDist{1 + 700, 1 + 9300}},
	{"large counts", BetaDist{1 + 52_000, 1 + 948_000}, BetaDist{1 + 52_400, 1 + 947_600}},
	{"high rates", BetaDist{1 + 9_700, 1 + 300}, BetaDist{1 + 9_650, 1 + 350}},
	{"lopsided sizes", BetaDist{1 + 3, 1 + 97}, BetaDist{1 + 4_000, 1 + 96_000}},
	{"half-integer prior", BetaDist{0.5 + 30, 0.5 + 970}, BetaDist{0.5 + 42, 0.5 + 958}},
}

// TestProbBBeatsAIntegration checks the closed form against
// ∫ f_B(x)·F_A(x) dx computed by quadrature.
func TestProbBBeatsAIntegration(t *testing.T) {
	t.Parallel()
	for _, tc := range betaPairs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ProbBBeatsA(tc.a, tc.b)
			require.NoError(t, err)
			fb, fa := pdf(tc.b), cdf(tc.a)
			want := integrate(func(x float64) float64 { return fb(x) * fa(x) }, tc.a, tc.b)
			require.InDelta(t, want, got, 1e-10)
			// The package's own integration path agrees too.
			require.InDelta(t, want, probGreaterIntegral(tc.b, tc.a), 1e-10)
			// Swapping the arms gives the complement.
			swapped, err := ProbBBeatsA(tc.b, tc.a)
			require.NoError(t, err)
			require.InDelta(t, 1, got+swapped, 1e-11)
		})
	}
}

// TestMillerForms checks that the four equivalent closed forms agree.
func TestMillerForms(t *testing.T) {
	t.Parallel()
	for _, tc := range betaPairs {
		if tc.a.Alpha != math.Trunc(tc.a.Alpha) {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x, y := tc.b, tc.a
			forms := []float64{
				millerSum(x, y),
				1 - millerSum(y, x),
				millerSum(y.flip(), x.flip()),
				1 - millerSum(x.flip(), y.flip()),
			}
			for i, f := range forms[1:] {
				require.InDelta(t, forms[0], f, 1e-10, "form %d", i+1)
			}
		})
	}
}

func TestProbBBeatsAExact(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		a, b BetaDist
		want float64
	}{
		{"reference case", BetaDist{1, 2}, BetaDist{3, 4}, 27.0 / 42},
		// X, Y iid: by symmetry 1/2.
		{"identical", BetaDist{7, 3}, BetaDist{7, 3}, 0.5},
		// P(X > Y) for X ~ Beta(2,1) (density 2x) and Y uniform: ∫ 2x·x dx = 2/3.
		{"Beta(2,1) vs uniform", BetaDist{1, 1}, BetaDist{2, 1}, 2.0 / 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ProbBBeatsA(tc.a, tc.b)
			require.NoError(t, err)
			require.InDelta(t, tc.want, got, 1e-14)
		})
	}
	_, err := ProbBBeatsA(BetaDist{0, 1}, BetaDist{1, 1})
	require.ErrorIs(t, err, ErrPrior)
	_, err = ProbBBeatsA(BetaDist{1, 1}, BetaDist{1, math.Inf(1)})
	require.ErrorIs(t, err, ErrPrior)
}

func TestBetaBinomialTwoArms(t *testing.T) {
	t.Parallel()
	arms := []Counts{{480, 10_000}, {560, 10_000}}
	got, err := BetaBinomial(arms, BayesOptions{})
	require.NoError(t, err)
	require.Equal(t, MethodClosedForm, got.Method)
	require.Equal(t, []BetaDist{{481, 9521}, {561, 9441}}, got.Posteriors)
	require.InDelta(t, 1, got.PBest[0]+got.PBest[1], 1e-15)
	require.Zero(t, got.MCError)

	// Expected loss against direct integration:
	// E[max(p_B − p_A, 0)] = ∫ f_B(x)·(x·F_A(x) − m_A·F_{A⁺}(x)) dx.
	a, b := got.Posteriors[0], got.Posteriors[1]
	lossOf := func(win, lose BetaDist) float64 {
		fw, fl := pdf(win), cdf(lose)
		flUp := cdf(BetaDist{lose.Alpha + 1, lose.Beta})
		return integrate(func(x float64) float64 {
			return fw(x) * (x*fl(x) - lose.Mean()*flUp(x))
		}, win, lose)
	}
	require.InDelta(t, lossOf(b, a), got.ExpectedLoss[0], 1e-10)
	require.InDelta(t, lossOf(a, b), got.ExpectedLoss[1], 1e-10)
	// E[max(B−A,0)] − E[max(A−B,0)] = m_B − m_A.
	require.InDelta(t, b.Mean()-a.Mean(), got.ExpectedLoss[0]-got.ExpectedLoss[1], 1e-12)

	// The Monte Carlo agrees within its reported error.
	mc := Bayes{Posteriors: got.Posteriors}
	monteCarlo(&mc, 200_000, 3)
	require.InDelta(t, got.PBest[1], mc.PBest[1], 5*mc.MCError)
	require.InDelta(t, got.ExpectedLoss[0], mc.ExpectedLoss[0], 5*mc.LossMCError+1e-12)
	require.InDelta(t, got.ExpectedLoss[1], mc.ExpectedLoss[1], 5*mc.LossMCError+1e-12)
}

func TestBetaBinomialEmptyArms(t *testing.T) {
	t.Parallel()
	got, err := BetaBinomial([]Counts{{}, {}}, BayesOptions{})
	require.NoError(t, err)
	require.Equal(t, []float64{0.5, 0.5}, got.PBest)
	// For independent uniforms E[max(X − Y, 0)] = 1/6.
	require.InDelta(t, 1.0/6, got.ExpectedLoss[0], 1e-14)
	require.InDelta(t, 1.0/6, got.ExpectedLoss[1], 1e-14)
	_, err = json.Marshal(got)
	require.NoError(t, err)
}

// TestBetaBinomialManyArms checks the Monte Carlo for three arms against
// P(arm i best) = ∫ f_i(x)·Π_{j≠i} F_j(x) dx and its reported standard error.
func TestBetaBinomialManyArms(t *testing.T) {
	t.Parallel()
	arms := []Counts{{100, 2000}, {118, 2000}, {109, 2000}}
	opts := BayesOptions{Draws: 100_000, Seed: 42}
	got, err := BetaBinomial(arms, opts)
	require.NoError(t, err)
	require.Equal(t, MethodMonteCarlo, got.Method)
	require.Equal(t, 100_000, got.Draws)
	require.Equal(t, uint64(42), got.Seed)
	require.Greater(t, got.MCError, 0.0)
	require.LessOrEqual(t, got.MCError, 0.5/math.Sqrt(100_000))

	sum := 0.0
	for i := range arms {
		fi := pdf(got.Posteriors[i])
		var others []func(float64) float64
		for j := range arms {
			if j != i {
				others = append(others, cdf(got.Posteriors[j]))
			}
		}
		exact := integrate(func(x float64) float64 {
			v := fi(x)
			for _, f := range others {
				v *= f(x)
			}
			return v
		}, got.Posteriors...)
		require.InDelta(t, exact, got.PBest[i], 4*got.MCError, "arm %d", i)
		sum += got.PBest[i]
	}
	require.InDelta(t, 1, sum, 1e-12)
	// The best arm has the smallest expected loss.
	require.Less(t, got.ExpectedLoss[1], got.ExpectedLoss[2])
	require.Less(t, got.ExpectedLoss[2], got.ExpectedLoss[0])

	// Reproducible with the seed, different without it.
	again, err := BetaBinomial(arms, opts)
	require.NoError(t, err)
	require.Equal(t, got, again)
	other, err := BetaBinomial(arms, BayesOptions{Draws: 100_000, Seed: 43})
	require.NoError(t, err)
	require.NotEqual(t, got.PBest, other.PBest)
}

func TestBetaBinomialNonIntegerPrior(t *testing.T) {
	t.Parallel()
	arms := []Counts{{30, 1000}, {42, 1000}}
	got, err := BetaBinomial(arms, BayesOptions{Prior: BetaDist{0.5, 0.5}})
	require.NoError(t, err)
	require.Equal(t, MethodIntegration, got.Method)
	mc := Bayes{Posteriors: got.Posteriors}
	monteCarlo(&mc, 200_000, 9)
	require.InDelta(t, mc.PBest[1], got.PBest[1], 5*mc.MCError)
	require.InDelta(t, mc.ExpectedLoss[0], got.ExpectedLoss[0], 5*mc.LossMCError)
}

func TestBetaBinomialErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		arms []Counts
		opts BayesOptions
		err  error
	}{
		{"one arm", []Counts{{1, 2}}, BayesOptions{}, ErrArms},
		{"bad counts", []Counts{{1, 2}, {3, 2}}, BayesOptions{}, ErrInvalidCounts},
		{"bad prior", []Counts{{1, 2}, {1, 2}}, BayesOptions{Prior: BetaDist{-1, 1}}, ErrPrior},
		{"too many draws", []Counts{{1, 2}, {1, 2}, {1, 2}}, BayesOptions{Draws: MaxDraws + 1}, ErrConfig},
		{"negative draws", []Counts{{1, 2}, {1, 2}, {1, 2}}, BayesOptions{Draws: -1}, ErrConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := BetaBinomial(tc.arms, tc.opts)
			require.ErrorIs(t, err, tc.err)
		})
	}
}

// TestProbBBeatsAHugeCounts covers counts past the closed-form limit, which
// are integrated, against the closed form forced on the same posteriors.
func TestProbBBeatsAHugeCounts(t *testing.T) {
	t.Parallel()
	a := BetaDist{1 + 1_500_000, 1 + 28_500_000}
	b := BetaDist{1 + 1_503_000, 1 + 28_497_000}
	got, method := probGreater(b, a)
	require.Equal(t, MethodIntegration, method)
	require.InDelta(t, 1-millerSum(a, b), got, 1e-9)
	require.Greater(t, got, 0.9)
}
