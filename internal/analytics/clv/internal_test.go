package clv

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// checkGradient compares obj's gradient with central differences at theta.
func checkGradient(t *testing.T, obj objective, theta []float64) {
	t.Helper()
	grad := make([]float64, len(theta))
	obj(theta, grad)
	num := make([]float64, len(theta))
	centralDiff(func(th []float64) float64 { return obj(th, nil) }, theta, num)
	for i := range grad {
		require.InDelta(t, num[i], grad[i], 1e-6*(1+math.Abs(num[i])), "component %d at %v", i, theta)
	}
}

func randomCells(rng *rand.Rand, n int) []rfCell {
	cells := make([]rfCell, 0, n)
	for i := range n {
		T := 1 + 50*rng.Float64()
		c := rfCell{T: T, w: float64(1 + rng.IntN(5))}
		if i%3 != 0 {
			c.x = 1 + rng.IntN(30)
			c.tx = T * rng.Float64()
		}
		cells = append(cells, c)
	}
	// logLik expects cells grouped by x.
	for i := range cells {
		for j := i + 1; j < len(cells); j++ {
			if cells[j].x < cells[i].x {
				cells[i], cells[j] = cells[j], cells[i]
			}
		}
	}
	return cells
}

func TestBGNBDGradient(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	cells := randomCells(rng, 300)
	obj := func(theta, grad []float64) float64 {
		m := BGNBD{math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2]), math.Exp(theta[3])}
		ll := m.logLik(cells, grad)
		for i := range grad {
			grad[i] /= 300
		}
		return ll / 300
	}
	for range 20 {
		theta := []float64{rng.NormFloat64(), rng.NormFloat64() + 1, rng.NormFloat64(), rng.NormFloat64()}
		checkGradient(t, obj, theta)
	}
}

func TestGammaGammaGradient(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	var cells []ggCell
	for x := 1; x <= 20; x++ {
		for range 10 {
			m := 5 + 100*rng.Float64()
			cells = append(cells, ggCell{x: float64(x), m: m, lnM: math.Log(m), lnX: math.Log(float64(x)), w: float64(1 + rng.IntN(3))})
		}
		cells[len(cells)-10].firstOfRun = true
	}
	obj := func(theta, grad []float64) float64 {
		ll := GammaGamma{math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2])}.logLik(cells, grad)
		for i := range grad {
			grad[i] /= 200
		}
		return ll / 200
	}
	for range 20 {
		checkGradient(t, obj, []float64{rng.NormFloat64() + 1, rng.NormFloat64() + 1, rng.NormFloat64() + 2})
	}
}

// The hypergeometric closed form of E[Y(t) | x, t_x, T] agrees with direct
// integration over the posterior of the dropout probability, across
// parameters (including a near 1 and c − a − b near an integer) and customers.
func TestBGNBDExpectationMatchesQuadrature(t *testing.T) {
	t.Parallel()
	models := []BGNBD{
		{0.2425982, 4.4136842, 0.7929899, 2.4261667},
		{1, 1, 1.3, 1.1},
		{3, 20, 0.3, 5},
		{0.5, 2, 2.5, 0.9},
		{1.5, 7, 1.5, 3}, // c − a − b = a − r − x − 1 = −1 − x, an integer
		{0.7, 5, 1 + 3e-6, 2},
	}
	cust := [][3]float64{{0, 0, 0}, {0, 0, 30}, {1, 2, 30}, {2, 30.43, 38.86}, {7, 35, 39}, {25, 20, 39}, {60, 38, 39}}
	for _, m := range models {
		for _, c := range cust {
			for _, h := range []float64{0.5, 13, 52, 260} {
				want := m.expectedPurchasesQuad(h, c[0], c[1], c[2])
				got := m.ExpectedPurchases(h, c[0], c[1], c[2])
				require.InDelta(t, want, got, 1e-7*(1+want), "%+v x=%v t_x=%v T=%v t=%v", m, c[0], c[1], c[2], h)
			}
		}
	}
	// a + b + x − 1 ≤ 0 has no hypergeometric form; the quadrature answers.
	m := BGNBD{0.5, 3, 0.3, 0.4}
	got := m.ExpectedPurchases(10, 0, 0, 5)
	require.Greater(t, got, 0.0)
	require.False(t, math.IsInf(got, 0) || math.IsNaN(got))
}

// P(alive) is the posterior probability of the "still alive" branch of the
// individual likelihood, integrated over p numerically.
func TestBGNBDPAliveMatchesQuadrature(t *testing.T) {
	t.Parallel()
	for _, m := range []BGNBD{{0.2425982, 4.4136842, 0.7929899, 2.4261667}, {2, 10, 1.5, 3}} {
		for _, c := range [][3]float64{{1, 2, 30}, {2, 30.43, 38.86}, {7, 35, 39}, {25, 20, 39}} {
			x, tx, T := c[0], c[1], c[2]
			// Given p, λ-integrated branches: alive ∝ (1−p)^x (α+T)^−(r+x),
			// dead ∝ p (1−p)^(x−1) (α+t_x)^−(r+x); weight by Beta(a, b).
			alive := tanhSinh(func(p, pc float64) float64 {
				return math.Exp((m.A-1)*math.Log(p) + (m.B-1+x)*math.Log(pc) - (m.R+x)*math.Log(m.Alpha+T))
			})
			dead := tanhSinh(func(p, pc float64) float64 {
				return math.Exp(m.A*math.Log(p) + (m.B+x-2)*math.Log(pc) - (m.R+x)*math.Log(m.Alpha+tx))
			})
			require.InDelta(t, alive/(alive+dead), m.PAlive(x, tx, T), 1e-9, "%+v %v", m, c)
		}
	}
}

// paretoLikQuad is the Pareto/NBD likelihood with λ and μ integrated out
// analytically and the dropout time τ ∈ [t_x, T] numerically:
//
//	L = Γ(r+x)α^r/Γ(r) · [β^s/((α+T)^{r+x}(β+T)^s) + sβ^s ∫ (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ]
func paretoLikQuad(m ParetoNBD, x, tx, T float64) float64 {
	r, al, s, be := m.R, m.Alpha, m.S, m.Beta
	f := func(tau float64) float64 {
		return math.Exp(-(r+x)*math.Log(al+tau) - (s+1)*math.Log(be+tau) + s*math.Log(be))
	}
	var integral float64
	if T > tx {
		integral = integrateGeometric(func(u float64) float64 { return f(tx + u) }, T-tx)
	}
	lg := lgamma(r+x) - lgamma(r) + r*math.Log(al)
	return lg + math.Log(math.Exp(s*math.Log(be)-(r+x)*math.Log(al+T)-s*math.Log(be+T))+s*integral)
}

func TestParetoNBDLogLikMatchesQuadrature(t *testing.T) {
	t.Parallel()
	models := []ParetoNBD{
		{0.5533, 10.5776, 0.6062, 11.6687},
		{0.55, 12, 0.6, 3},  // α > β
		{1, 3, 1, 30},       // α < β, r + x an integer
		{2.2, 8, 1.7, 8},    // α = β
		{0.3, 40, 0.2, 0.5}, // hypergeometric argument near 1
	}
	for _, m := range models {
		for _, c := range [][3]float64{{0, 0, 20}, {1, 2, 30}, {2, 30.43, 38.86}, {7, 35, 39}, {25, 20, 39}, {3, 39, 39}} {
			want := paretoLikQuad(m, c[0], c[1], c[2])
			got := m.cellLogLik(c[0], c[1], c[2])
			require.InDelta(t, want, got, 1e-8*(1+math.Abs(want)), "%+v %v", m, c)
		}
	}
}
