package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD holds the parameters of the BG/NBD model (Fader, Hardie & Lee 2005):
// while alive a customer buys at rate λ ~ Gamma(R, Alpha) (shape, rate), and
// after each purchase drops out with probability p ~ Beta(A, B).
type BGNBD struct {
	R     float64 `json:"r"`
	Alpha float64 `json:"alpha"`
	A     float64 `json:"a"`
	B     float64 `json:"b"`
}

// FitBGNBD fits the BG/NBD model to calibration summaries by maximum
// likelihood: BFGS over the logarithms of (r, α, a, b) with the analytic
// gradient, on the log-likelihood summed over distinct (x, t_x, T) triples
// weighted by their counts (identical to the per-customer sum).
//
// It returns ErrNotIdentifiable when no customer made a repeat purchase (the
// likelihood then does not involve a or b) or when a parameter runs off to 0
// or infinity.
func FitBGNBD(cs []Customer) (BGNBD, FitReport, error) {
	if len(cs) == 0 {
		return BGNBD{}, FitReport{}, fmt.Errorf("fit bg/nbd: %w", ErrNoCustomers)
	}
	cells, repeaters, err := rfCells(cs)
	if err != nil {
		return BGNBD{}, FitReport{}, fmt.Errorf("fit bg/nbd: %w", err)
	}
	if repeaters == 0 {
		return BGNBD{}, FitReport{Customers: len(cs), Cells: len(cells)},
			fmt.Errorf("fit bg/nbd: %w: none of the %d customers made a repeat purchase, so the dropout parameters a and b do not appear in the likelihood", ErrNotIdentifiable, len(cs))
	}
	n := float64(len(cs))
	obj := func(theta, grad []float64) float64 {
		m := BGNBD{math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2]), math.Exp(theta[3])}
		ll := m.logLik(cells, grad)
		for i := range grad {
			grad[i] /= n
		}
		return ll / n
	}
	start := []float64{0, math.Log(startRate(cells)), 0, 0}
	theta, rep, err := maximize(obj, start, len(cs), []string{"r", "alpha", "a", "b"}, gradTol)
	rep.Cells = len(cells)
	if err != nil {
		return BGNBD{}, rep, fmt.Errorf("fit bg/nbd: %w", err)
	}
	p := expAll(theta)
	return BGNBD{p[0], p[1], p[2], p[3]}, rep, nil
}

// LogLik returns the BG/NBD log-likelihood of the customers' summaries.
func (m BGNBD) LogLik(cs []Customer) (float64, error) {
	cells, _, err := rfCells(cs)
	if err != nil {
		return 0, fmt.Errorf("bg/nbd log-likelihood: %w", err)
	}
	return m.logLik(cells, nil), nil
}

// logLik sums the log-likelihood over the cells and, when grad is not nil,
// stores its gradient with respect to (log r, log α, log a, log b).
//
// Per customer (Fader, Hardie & Lee 2005, eq. 6, in logs):
//
//	A1 = lnΓ(r+x) − lnΓ(r) + r ln α
//	A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
//	A3 = −(r+x) ln(α+T)
//	A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)   (x > 0; else A4 = −∞)
//	ln L = A1 + A2 + ln(e^A3 + e^A4)
//
// with the last sum taken by log-sum-exp, so no term overflows for large x.
func (m BGNBD) logLik(cells []rfCell, grad []float64) float64 {
	r, al, a, b := m.R, m.Alpha, m.A, m.B
	lnAl := math.Log(al)
	lgR, psiR := lgamma(r), mathext.Digamma(r)
	lgAB, psiAB := lgamma(a+b), mathext.Digamma(a+b)
	lgB, psiB := lgamma(b), mathext.Digamma(b)
	var ll, gr, gal, ga, gb float64
	var (
		curX                       = -1
		a12, dA1r, dA2a, dA2b, a4c float64
	)
	for _, c := range cells {
		if c.x != curX {
			curX = c.x
			x := float64(c.x)
			psiABX := mathext.Digamma(a + b + x)
			a12 = lgamma(r+x) - lgR + r*lnAl + lgAB + lgamma(b+x) - lgB - lgamma(a+b+x)
			dA1r = mathext.Digamma(r+x) - psiR + lnAl
			dA2a = psiAB - psiABX
			dA2b = psiAB + mathext.Digamma(b+x) - psiB - psiABX
			if c.x > 0 {
				a4c = math.Log(a) - math.Log(b+x-1)
			}
		}
		x := float64(c.x)
		lT := math.Log(al + c.T)
		a3 := -(r + x) * lT
		if c.x == 0 {
			ll += c.w * (a12 + a3)
			if grad != nil {
				gr += c.w * (dA1r - lT)
				gal += c.w * (r/al - (r+x)/(al+c.T))
				ga += c.w * dA2a
				gb += c.w * dA2b
			}
			continue
		}
		lTx := math.Log(al + c.tx)
		a4 := a4c - (r+x)*lTx
		mx := max(a3, a4)
		e3, e4 := math.Exp(a3-mx), math.Exp(a4-mx)
		s := e3 + e4
		ll += c.w * (a12 + mx + math.Log(s))
		if grad != nil {
			w3, w4 := e3/s, e4/s
			gr += c.w * (dA1r - w3*lT - w4*lTx)
			gal += c.w * (r/al - w3*(r+x)/(al+c.T) - w4*(r+x)/(al+c.tx))
			ga += c.w * (dA2a + w4/a)
			gb += c.w * (dA2b - w4/(b+x-1))
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2], grad[3] = gr*r, gal*al, ga*a, gb*b
	}
	return ll
}
