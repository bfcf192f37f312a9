package clv

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

// FitReport describes a maximum-likelihood fit.
type FitReport struct {
	LogLik     float64 `json:"log_likelihood"`       // at the optimum, summed over customers
	Iterations int     `json:"iterations"`           // BFGS major iterations
	FuncEvals  int     `json:"function_evaluations"` // likelihood evaluations
	Converged  bool    `json:"converged"`            // the gradient vanished (see GradNorm)
	GradNorm   float64 `json:"grad_norm"`            // max |∂LL/∂log θ| at the optimum
	Status     string  `json:"status"`               // gonum/optimize termination status
	Customers  int     `json:"customers"`            // customers in the likelihood
	Cells      int     `json:"distinct_cells"`       // distinct sufficient statistics the likelihood was summed over
}

// objective returns the mean log-likelihood at the log-parameters theta and,
// when grad is not nil, stores its gradient with respect to theta there.
type objective func(theta, grad []float64) float64

const (
	// gradTol is the convergence threshold on the mean log-likelihood's
	// analytic gradient (max norm, log-parameters). The summed gradient is
	// reported.
	gradTol = 1e-9
	// numericGradTol is the threshold for central-difference gradients, whose
	// noise is about 1e-10.
	numericGradTol = 1e-8
	// convergedTol accepts a fit that stopped for another reason (line search
	// stalled at the floor of floating point) when its gradient is this small.
	convergedTol = 1e-6
	// boundary is the |log θ| beyond which a parameter is taken to have run
	// off to 0 or infinity: e^±18 ≈ 6.6e7 or 1.5e-8.
	boundary = 18
)

// maximize maximizes obj over the log-parameters with BFGS from start until
// the gradient's max norm is below tol. n is the number of customers the mean
// log-likelihood is averaged over.
func maximize(obj objective, start []float64, n int, names []string, tol float64) ([]float64, FitReport, error) {
	var (
		lastX    []float64
		lastF    float64
		lastGrad = make([]float64, len(start))
	)
	eval := func(x []float64) {
		if lastX != nil && slices.Equal(x, lastX) {
			return
		}
		lastF = -obj(x, lastGrad)
		floats.Scale(-1, lastGrad)
		lastX = append(lastX[:0], x...)
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 { eval(x); return lastF },
		Grad: func(g, x []float64) { eval(x); copy(g, lastGrad) },
	}
	settings := &optimize.Settings{
		GradientThreshold: tol,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 25},
		MajorIterations:   2000,
	}
	res, err := optimize.Minimize(prob, start, settings, &optimize.BFGS{GradStopThreshold: tol})
	if res == nil {
		return nil, FitReport{}, fmt.Errorf("optimize: %w", err)
	}
	theta := slices.Clone(res.X)
	grad := make([]float64, len(theta))
	ll := obj(theta, grad)
	gnorm := floats.Norm(grad, math.Inf(1))
	rep := FitReport{
		LogLik:     ll * float64(n),
		Iterations: res.MajorIterations,
		FuncEvals:  res.FuncEvaluations,
		Converged:  gnorm <= convergedTol && !math.IsNaN(ll),
		GradNorm:   gnorm * float64(n),
		Status:     res.Status.String(),
		Customers:  n,
	}
	if err != nil {
		rep.Status = fmt.Sprintf("%s (%v)", rep.Status, err)
		if rep.Converged {
			rep.Status += " at a vanishing gradient"
		}
	}
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return nil, rep, fmt.Errorf("log-likelihood is %v at the optimum", ll)
	}
	for i, v := range theta {
		if math.Abs(v) > boundary {
			return nil, rep, fmt.Errorf("%w: parameter %s ran off to %.3g", ErrNotIdentifiable, names[i], math.Exp(v))
		}
	}
	return theta, rep, nil
}

// logAddExp returns log(e^a + e^b) without overflow.
func logAddExp(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// lgamma is log Γ(x) for x > 0.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// expAll returns e^θ element-wise.
func expAll(theta []float64) []float64 {
	out := make([]float64, len(theta))
	for i, v := range theta {
		out[i] = math.Exp(v)
	}
	return out
}
