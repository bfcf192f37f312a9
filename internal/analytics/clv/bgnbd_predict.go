package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// PAlive is the probability that a customer with x repeat purchases, the last
// at t_x, is still alive at T (Fader, Hardie & Lee, "Computing P(alive) using
// the BG/NBD model"):
//
//	P(alive) = 1 / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^{r+x}).
//
// Under the BG/NBD a customer can only drop out right after a purchase, so it
// is 1 when x = 0.
func (m BGNBD) PAlive(x, tx, T float64) float64 {
	if x <= 0 {
		return 1
	}
	y := math.Log(m.A) - math.Log(m.B+x-1) + (m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(y))
}

// ExpectedPurchases is the expected number of repeat purchases in the next t
// time units of a customer with summary (x, t_x, T) (Fader, Hardie & Lee 2005,
// eq. 10):
//
//	E[Y(t) | x, t_x, T] = P(alive) · (a+b+x−1)/(a−1)
//	                      · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].
//
// ₂F₁ is gonum's mathext.Hypergeo (Cephes). The removable singularity at
// a = 1 is bridged by interpolating linearly between a = 1 ± 1e-5. If the
// hypergeometric route gives no finite answer (a + b + x − 1 ≤ 0), the
// expectation is integrated numerically over the posterior of the dropout
// probability instead.
func (m BGNBD) ExpectedPurchases(t, x, tx, T float64) float64 {
	if t <= 0 {
		return 0
	}
	if math.Abs(m.A-1) < 1e-5 {
		lo, hi := m, m
		lo.A, hi.A = 1-1e-5, 1+1e-5
		flo, fhi := lo.expectedPurchases(t, x, tx, T), hi.expectedPurchases(t, x, tx, T)
		return flo + (m.A-lo.A)/(hi.A-lo.A)*(fhi-flo)
	}
	return m.expectedPurchases(t, x, tx, T)
}

func (m BGNBD) expectedPurchases(t, x, tx, T float64) float64 {
	r, al, a, b := m.R, m.Alpha, m.A, m.B
	c := a + b + x - 1
	if c > 0 {
		z := t / (al + T + t)
		hyp := mathext.Hypergeo(r+x, b+x, c, z)
		term := math.Exp((r+x)*(math.Log(al+T)-math.Log(al+T+t))) * hyp
		if v := m.PAlive(x, tx, T) * c / (a - 1) * (1 - term); v >= 0 && !math.IsInf(v, 0) {
			return v
		}
	}
	return m.expectedPurchasesQuad(t, x, tx, T)
}

// expectedPurchasesQuad computes ExpectedPurchases by integrating over the
// dropout probability p. Given p and alive at T, E[Y(t)] = (1 − E[e^{−λpt}])/p,
// and integrating λ out against its posterior Gamma(r+x, α+T) leaves
//
//	E[Y(t) | data] = P(alive) ∫₀¹ p^{a−2} (1−p)^{b+x−1} [1 − (1 + pt/(α+T))^{−(r+x)}] dp / B(a, b+x).
//
// It is the independent route the tests check the hypergeometric form against.
func (m BGNBD) expectedPurchasesQuad(t, x, tx, T float64) float64 {
	r, al, a, b := m.R, m.Alpha, m.A, m.B
	lnB := lgamma(a) + lgamma(b+x) - lgamma(a+b+x)
	k := t / (al + T)
	f := func(p, pc float64) float64 {
		bracket := -math.Expm1(-(r + x) * math.Log1p(p*k))
		return math.Exp((a-2)*math.Log(p)+(b+x-1)*math.Log(pc)-lnB) * bracket
	}
	return m.PAlive(x, tx, T) * tanhSinh(f)
}

// PopulationPurchases is the expected number of repeat purchases in (0, t] of
// a customer who made a first purchase at time 0 (Fader, Hardie & Lee 2005,
// eq. 7): (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
func (m BGNBD) PopulationPurchases(t float64) float64 {
	return m.ExpectedPurchases(t, 0, 0, 0)
}
