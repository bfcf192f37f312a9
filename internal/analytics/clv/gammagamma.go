package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// GammaGamma holds the parameters of the Gamma-Gamma spend model (Fader &
// Hardie 2013): a customer's transaction values are Gamma(P, ν) with rate
// ν ~ Gamma(Q, Gamma), independent of the purchase process.
type GammaGamma struct {
	P     float64 `json:"p"`
	Q     float64 `json:"q"`
	Gamma float64 `json:"gamma"`
}

// ggCell is one distinct (x, zbar) pair and how many customers share it.
type ggCell struct {
	x, m       float64
	lnM, lnX   float64 // cached logarithms
	w          float64
	firstOfRun bool // first cell of its x: per-x terms are recomputed here
}

// FitGammaGamma fits the Gamma-Gamma model by maximum likelihood (BFGS over
// log p, log q, log γ with the analytic gradient) to the customers with at
// least one repeat purchase and a positive mean spend; others are skipped and
// not counted in the report's Customers.
func FitGammaGamma(cs []Customer) (GammaGamma, FitReport, error) {
	type key struct{ x, m float64 }
	count := make(map[key]int)
	n := 0
	for _, c := range cs {
		if c.X <= 0 || !(c.ZBar > 0) || math.IsInf(c.ZBar, 0) {
			continue
		}
		count[key{float64(c.X), c.ZBar}]++
		n++
	}
	if n == 0 {
		return GammaGamma{}, FitReport{}, fmt.Errorf("fit gamma-gamma: %w: no customer has a repeat purchase with a positive value", ErrNotIdentifiable)
	}
	if len(count) < 3 {
		return GammaGamma{}, FitReport{Customers: n, Cells: len(count)},
			fmt.Errorf("fit gamma-gamma: %w: %d distinct (x, mean spend) pairs cannot identify 3 parameters", ErrNotIdentifiable, len(count))
	}
	cells := make([]ggCell, 0, len(count))
	for k, w := range count {
		cells = append(cells, ggCell{x: k.x, m: k.m, lnM: math.Log(k.m), lnX: math.Log(k.x), w: float64(w)})
	}
	// Sorted, so that sums (and so the fit) do not depend on map order.
	slices.SortFunc(cells, func(a, b ggCell) int { return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.m, b.m)) })
	var sum float64
	for i, c := range cells {
		cells[i].firstOfRun = i == 0 || c.x != cells[i-1].x
		sum += c.m * c.w
	}
	obj := func(theta, grad []float64) float64 {
		g := GammaGamma{math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2])}
		ll := g.logLik(cells, grad)
		for i := range grad {
			grad[i] /= float64(n)
		}
		return ll / float64(n)
	}
	// Start at p = 1, q = 2 with the population mean spend pγ/(q−1) equal to
	// the sample mean, which makes the start independent of the currency unit.
	start := []float64{0, math.Log(2), math.Log(sum / float64(n))}
	theta, rep, err := maximize(obj, start, n, []string{"p", "q", "gamma"}, gradTol)
	rep.Cells = len(cells)
	if err != nil {
		return GammaGamma{}, rep, fmt.Errorf("fit gamma-gamma: %w", err)
	}
	p := expAll(theta)
	return GammaGamma{p[0], p[1], p[2]}, rep, nil
}

// LogLik returns the Gamma-Gamma log-likelihood of the mean spends of the
// customers with a repeat purchase and a positive mean spend.
func (g GammaGamma) LogLik(cs []Customer) float64 {
	var ll float64
	for _, c := range cs {
		if c.X > 0 && c.ZBar > 0 {
			x := float64(c.X)
			cell := []ggCell{{x: x, m: c.ZBar, lnM: math.Log(c.ZBar), lnX: math.Log(x), w: 1, firstOfRun: true}}
			ll += g.logLik(cell, nil)
		}
	}
	return ll
}

// logLik sums the log density of the observed mean spends m given x,
//
//	ln f(m | p, q, γ, x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ
//	                       + (px−1) ln m + px ln x − (px+q) ln(γ+mx),
//
// and, when grad is not nil, stores its gradient in (log p, log q, log γ).
func (g GammaGamma) logLik(cells []ggCell, grad []float64) float64 {
	p, q, ga := g.P, g.Q, g.Gamma
	lgQ, psiQ, lnGa := lgamma(q), mathext.Digamma(q), math.Log(ga)
	var ll, gp, gq, gg float64
	var lgx, psiPXQ, psiPX float64
	for _, c := range cells {
		px := p * c.x
		if c.firstOfRun {
			psiPXQ, psiPX = mathext.Digamma(px+q), mathext.Digamma(px)
			lgx = lgamma(px+q) - lgamma(px) - lgQ + q*lnGa
		}
		lnD := math.Log(ga + c.m*c.x)
		ll += c.w * (lgx + (px-1)*c.lnM + px*c.lnX - (px+q)*lnD)
		if grad != nil {
			gp += c.w * c.x * (psiPXQ - psiPX + c.lnM + c.lnX - lnD)
			gq += c.w * (psiPXQ - psiQ + lnGa - lnD)
			gg += c.w * (q/ga - (px+q)/(ga+c.m*c.x))
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = gp*p, gq*q, gg*ga
	}
	return ll
}

// ExpectedSpend is the expected value of a customer's future transactions
// given x repeat purchases with mean value zbar (Fader & Hardie 2013, eq. 5):
//
//	E[M | p, q, γ, x, zbar] = p (γ + x zbar) / (p x + q − 1),
//
// a weighted mean of the population mean pγ/(q−1) and zbar. With x = 0 it is
// the population mean. It is +Inf when px + q ≤ 1 (for x = 0: q ≤ 1, the
// population mean is infinite).
func (g GammaGamma) ExpectedSpend(x, zbar float64) float64 {
	if x <= 0 {
		zbar = 0
	}
	d := g.P*x + g.Q - 1
	if d <= 0 {
		return math.Inf(1)
	}
	return g.P * (g.Gamma + x*zbar) / d
}

// MeanSpend is the population mean transaction value pγ/(q−1) (+Inf if q ≤ 1).
func (g GammaGamma) MeanSpend() float64 { return g.ExpectedSpend(0, 0) }
