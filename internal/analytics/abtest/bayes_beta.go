package abtest

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// BetaDist is a Beta(Alpha, Beta) distribution: a prior or a posterior for a
// conversion rate.
type BetaDist struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

// Mean is Alpha/(Alpha+Beta).
func (d BetaDist) Mean() float64 { return d.Alpha / (d.Alpha + d.Beta) }

// Validate reports parameters that are not positive and finite.
func (d BetaDist) Validate() error {
	if !(d.Alpha > 0 && d.Beta > 0) || !finite(d.Alpha, d.Beta) {
		return fmt.Errorf("%w: Beta(%v, %v)", ErrPrior, d.Alpha, d.Beta)
	}
	return nil
}

// Posterior is the Beta posterior after observing c under prior d.
func (d BetaDist) Posterior(c Counts) BetaDist {
	return BetaDist{Alpha: d.Alpha + float64(c.Successes), Beta: d.Beta + float64(c.Trials-c.Successes)}
}

// flip is the distribution of 1 − X for X ~ d.
func (d BetaDist) flip() BetaDist { return BetaDist{Alpha: d.Beta, Beta: d.Alpha} }

// Methods of computing P(X > Y).
const (
	MethodClosedForm  = "closed-form"
	MethodIntegration = "integration"
	MethodMonteCarlo  = "monte-carlo"
)

// maxClosedFormTerms bounds the work of the closed form (about 10 ms per
// million terms). Beyond it the quadrature is both faster and more accurate:
// it stays near 1e-12 at any size, while rounding in a sum of millions of
// terms grows past 1e-10.
const maxClosedFormTerms = 300_000

// ProbBBeatsA is P(p_B > p_A) for independent p_A ~ a and p_B ~ b: Evan
// Miller's closed form when one of its four forms applies (integer
// parameters) within maxClosedFormTerms, otherwise numerical integration.
func ProbBBeatsA(a, b BetaDist) (float64, error) {
	if err := a.Validate(); err != nil {
		return 0, fmt.Errorf("arm A: %w", err)
	}
	if err := b.Validate(); err != nil {
		return 0, fmt.Errorf("arm B: %w", err)
	}
	p, _ := probGreater(b, a)
	return p, nil
}

// probGreater is P(X > Y). Of the four equivalent closed forms
// (P(X > Y) = 1 − P(Y > X) = P(1−Y > 1−X) = 1 − P(1−X > 1−Y)) it evaluates
// the cheapest one that applies, else it integrates.
func probGreater(x, y BetaDist) (float64, string) {
	forms := []struct {
		x, y       BetaDist
		complement bool
	}{
		{x, y, false},
		{y, x, true},
		{y.flip(), x.flip(), false},
		{x.flip(), y.flip(), true},
	}
	best, bestCost := -1, math.Inf(1)
	for i, f := range forms {
		if c := millerCost(f.x, f.y); c < bestCost {
			best, bestCost = i, c
		}
	}
	if bestCost > maxClosedFormTerms {
		return clamp01(probGreaterIntegral(x, y)), MethodIntegration
	}
	f := forms[best]
	p := millerSum(f.x, f.y)
	if f.complement {
		p = 1 - p
	}
	return clamp01(p), MethodClosedForm
}

// millerCost is the number of terms millerSum(x, y) evaluates: x.Alpha terms
// of the sum plus the shorter product of logFirstTerm; +Inf when x.Alpha is
// not an integer or neither product applies.
func millerCost(x, y BetaDist) float64 {
	if !isWhole(x.Alpha) {
		return math.Inf(1)
	}
	product := math.Inf(1)
	for _, n := range []float64{y.Alpha, x.Beta} {
		if isWhole(n) {
			product = math.Min(product, n)
		}
	}
	return x.Alpha + product
}

func isWhole(v float64) bool { return v == math.Trunc(v) }

// millerSum is Evan Miller's P(X > Y) for an integer x.Alpha:
//
//	Σ_{i=0}^{α_X−1} B(α_Y+i, β_Y+β_X) / ((β_X+i)·B(1+i, β_X)·B(α_Y, β_Y)).
//
// Term i+1 is term i times r_i = (α_Y+i)(β_X+i) / ((α_Y+β_Y+β_X+i)(i+1)).
// The terms are carried as m·2^k (the first term alone can underflow a
// float64 at a million trials), multiplied by r_i (three roundings a step,
// unlike a running sum of logarithms whose error grows with |log r_i|), and
// summed with Neumaier compensation. r_i falls below 1 at some i and stays
// below, after which the sum stops once the remaining terms cannot change it.
func millerSum(x, y BetaDist) float64 {
	const rescale = 512
	n := int64(x.Alpha)
	logT := logFirstTerm(x, y)
	k := int(math.Floor(logT / math.Ln2))
	m := math.Exp(logT - float64(k)*math.Ln2)
	var sum kahan
	for i := range n {
		t := math.Ldexp(m, k)
		sum.add(t)
		fi := float64(i)
		r := (y.Alpha + fi) / (fi + 1) * ((x.Beta + fi) / (y.Alpha + y.Beta + x.Beta + fi))
		m *= r
		if frac, exp := math.Frexp(m); exp < -rescale || exp > rescale {
			m, k = frac, k+exp
		}
		if r < 1 && t*float64(n-i) < 1e-17*sum.value() {
			break
		}
	}
	return sum.value()
}

// logFirstTerm is log t₀ = log B(α_Y, β_Y+β_X) − log B(α_Y, β_Y). Through
// log-gamma values it would lose about 1e-16 × log Γ of the largest argument
// (1e-9 at a million trials), so it is the sum of logarithms of the
// telescoped product, over whichever of α_Y and β_X is a shorter integer
// (millerCost guarantees one is):
//
//	t₀ = Π_{j<α_Y} (β_Y+j)/(β_Y+β_X+j) = Π_{j<β_X} (β_Y+j)/(α_Y+β_Y+j).
func logFirstTerm(x, y BetaDist) float64 {
	// product is Σ_{j<n} log((num+j)/(den+j)), with den > num.
	product := func(n, num, den float64) float64 {
		var sum kahan
		for j := 0.0; j < n; j++ {
			sum.add(math.Log1p(-(den - num) / (den + j)))
		}
		return sum.value()
	}
	if isWhole(y.Alpha) && (!isWhole(x.Beta) || y.Alpha <= x.Beta) {
		return product(y.Alpha, y.Beta, y.Beta+x.Beta)
	}
	return product(x.Beta, y.Beta, y.Alpha+y.Beta)
}

// kahan is Neumaier's compensated sum.
type kahan struct{ sum, comp float64 }

func (k *kahan) add(x float64) {
	s := k.sum + x
	if math.Abs(k.sum) >= math.Abs(x) {
		k.comp += (k.sum - s) + x
	} else {
		k.comp += (x - s) + k.sum
	}
	k.sum = s
}

func (k *kahan) value() float64 { return k.sum + k.comp }

// gaussLegendre holds 64-point Gauss–Legendre nodes and weights on [−1, 1].
var gaussLegendre = func() (nodes [2][]float64) {
	x, w := make([]float64, 64), make([]float64, 64)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	return [2][]float64{x, w}
}()

// quantileLevels cut [0, 1] into panels for the integration.
var quantileLevels = []float64{
	1e-15, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4,
	0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-4, 1 - 1e-6,
	1 - 1e-9, 1 - 1e-12, 1 - 1e-15,
}

// probGreaterIntegral is P(X > Y) = ∫₀¹ f_X(t)·F_Y(t) dt by 64-point
// Gauss–Legendre quadrature on panels cut at quantiles of both distributions,
// so that every panel is narrow where either density changes quickly. F_Y is
// accumulated panel by panel (a nested quadrature inside the current panel)
// and both densities are normalized by their own quadrature, so neither
// log B(α, β) nor the incomplete beta function enters: both lose about
// 1e-16 × log Γ(α+β), which is 1e-6 at tens of millions of trials.
func probGreaterIntegral(x, y BetaDist) float64 {
	gx, gy := unnormalizedDensity(x), unnormalizedDensity(y)
	cuts := []float64{0, 1}
	for _, d := range []BetaDist{x, y} {
		bd := distuv.Beta{Alpha: d.Alpha, Beta: d.Beta}
		for _, q := range quantileLevels {
			if c := bd.Quantile(q); c > 0 && c < 1 {
				cuts = append(cuts, c)
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var p, massX, massY float64
	for i := 1; i < len(cuts); i++ {
		lo, hi := cuts[i-1], cuts[i]
		below := massY
		p += legendre(func(t float64) float64 { return gx(t) * (below + legendre(gy, lo, t)) }, lo, hi)
		massX += legendre(gx, lo, hi)
		massY += legendre(gy, lo, hi)
	}
	return p / (massX * massY)
}

// unnormalizedDensity is t^(α−1)·(1−t)^(β−1) scaled to 1 at the mean.
func unnormalizedDensity(d BetaDist) func(float64) float64 {
	logg := func(t float64) float64 { return (d.Alpha-1)*math.Log(t) + (d.Beta-1)*math.Log1p(-t) }
	c := logg(d.Mean())
	return func(t float64) float64 {
		if !(t > 0 && t < 1) {
			return 0 // a node rounded onto an endpoint: measure zero
		}
		return math.Exp(logg(t) - c)
	}
}

// legendre is ∫ f over [lo, hi] by 64-point Gauss–Legendre.
func legendre(f func(float64) float64, lo, hi float64) float64 {
	half, mid := (hi-lo)/2, (hi+lo)/2
	if !(half > 0) {
		return 0
	}
	nodes, weights := gaussLegendre[0], gaussLegendre[1]
	var sum float64
	for k, u := range nodes {
		sum += weights[k] * f(mid+half*u)
	}
	return half * sum
}

func clamp01(p float64) float64 { return math.Min(1, math.Max(0, p)) }
