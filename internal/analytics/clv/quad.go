package clv

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
)

// tanhSinh integrates f over (0, 1) by the double-exponential (tanh-sinh)
// rule, which copes with integrable singularities at the end points. f is
// called as f(x, 1−x) with both computed without cancellation near the ends.
func tanhSinh(f func(x, xc float64) float64) float64 {
	const (
		h    = 1.0 / 32
		tMax = 4.5
	)
	var sum float64
	for k := -int(tMax / h); k <= int(tMax/h); k++ {
		t := float64(k) * h
		u := math.Pi / 2 * math.Sinh(t)
		x := 1 / (1 + math.Exp(-2*u))
		xc := 1 / (1 + math.Exp(2*u))
		if x == 0 || xc == 0 {
			continue
		}
		ch := math.Cosh(u)
		w := math.Pi / 4 * math.Cosh(t) / (ch * ch)
		if v := f(x, xc); !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += w * v
		}
	}
	return sum * h
}

// legendre8 holds the 8-point Gauss-Legendre nodes and weights on [0, 1].
var legendre8 = sync.OnceValues(func() ([]float64, []float64) {
	x, w := make([]float64, 8), make([]float64, 8)
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	return x, w
})

// geometricPanels is the number of panels integrateGeometric splits [0, H]
// into: [H/2, H], [H/4, H/2], …, [0, H/2^(n−1)].
const geometricPanels = 14

// integrateGeometric integrates f over [0, h] with 8-point Gauss-Legendre on
// panels that halve towards 0. The expected-purchase curves are analytic in t
// with a singularity at a negative t of the order of the customer's time
// scale (−(α+T)); geometric panels keep every panel at least its own length
// away from it, so the rule stays accurate for long horizons and fresh customers.
func integrateGeometric(f func(float64) float64, h float64) float64 {
	xs, ws := legendre8()
	var sum float64
	hi := h
	for k := range geometricPanels {
		lo := hi / 2
		if k == geometricPanels-1 {
			lo = 0
		}
		for i, x := range xs {
			sum += ws[i] * (hi - lo) * f(lo+x*(hi-lo))
		}
		hi = lo
	}
	return sum
}
