package abtest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Defaults of BayesOptions.
const (
	DefaultDraws = 200_000
	// MaxDraws bounds the Monte Carlo so one request cannot run for minutes.
	MaxDraws = 10_000_000
)

// BayesOptions configures BetaBinomial. The zero value means a uniform
// Beta(1, 1) prior, DefaultDraws and seed 0.
type BayesOptions struct {
	Prior BetaDist `json:"prior"`
	// Draws is the number of Monte Carlo draws for more than two arms.
	Draws int `json:"draws"`
	// Seed seeds the Monte Carlo (PCG); the same seed gives the same result.
	Seed uint64 `json:"seed"`
}

// Bayes is the Beta-Binomial analysis of two or more arms.
type Bayes struct {
	Prior      BetaDist   `json:"prior"`
	Posteriors []BetaDist `json:"posteriors"`
	// PBest[i] is the posterior probability that arm i has the highest rate.
	// With two arms PBest[1] is P(p_B > p_A).
	PBest []float64 `json:"p_best"`
	// ExpectedLoss[i] is E[max_j p_j − p_i]: the conversion rate given up, in
	// expectation, by choosing arm i.
	ExpectedLoss []float64 `json:"expected_loss"`
	// Method is MethodClosedForm or MethodIntegration for two arms and
	// MethodMonteCarlo for more.
	Method string `json:"method"`
	// Draws and Seed describe the Monte Carlo; zero otherwise.
	Draws int    `json:"draws,omitempty"`
	Seed  uint64 `json:"seed,omitempty"`
	// MCError is the largest Monte Carlo standard error among PBest and
	// LossMCError the largest among ExpectedLoss; zero for exact methods.
	MCError     float64 `json:"mc_error"`
	LossMCError float64 `json:"loss_mc_error"`
}

// BetaBinomial computes posteriors, the probability that each arm is best and
// the expected loss of choosing each arm. Two arms are exact; more arms use a
// seeded Monte Carlo. Arms without trials are allowed: their posterior is the
// prior.
func BetaBinomial(arms []Counts, opts BayesOptions) (Bayes, error) {
	if len(arms) < 2 {
		return Bayes{}, fmt.Errorf("%w: need at least 2 arms, have %d", ErrArms, len(arms))
	}
	if opts.Prior == (BetaDist{}) {
		opts.Prior = BetaDist{Alpha: 1, Beta: 1}
	}
	if err := opts.Prior.Validate(); err != nil {
		return Bayes{}, fmt.Errorf("prior: %w", err)
	}
	if opts.Draws == 0 {
		opts.Draws = DefaultDraws
	}
	if opts.Draws < 1 || opts.Draws > MaxDraws {
		return Bayes{}, fmt.Errorf("%w: draws must be between 1 and %d, got %d", ErrConfig, MaxDraws, opts.Draws)
	}
	res := Bayes{Prior: opts.Prior, Posteriors: make([]BetaDist, len(arms))}
	for i, c := range arms {
		if err := c.Validate(); err != nil {
			return Bayes{}, fmt.Errorf("arm %d: %w", i, err)
		}
		res.Posteriors[i] = opts.Prior.Posterior(c)
	}
	if len(arms) == 2 {
		twoArms(&res)
		return res, nil
	}
	monteCarlo(&res, opts.Draws, opts.Seed)
	return res, nil
}

// twoArms fills the exact two-arm answer. With m the posterior means and A⁺
// the posterior with α+1,
//
//	E[max(p_B − p_A, 0)] = m_B·P(B⁺ > A) − m_A·P(B > A⁺),
//
// because x·f(x; α, β) = m·f(x; α+1, β).
func twoArms(res *Bayes) {
	a, b := res.Posteriors[0], res.Posteriors[1]
	pb, method := probGreater(b, a)
	res.Method = method
	res.PBest = []float64{1 - pb, pb}
	up := func(d BetaDist) BetaDist { return BetaDist{Alpha: d.Alpha + 1, Beta: d.Beta} }
	pg := func(x, y BetaDist) float64 { p, _ := probGreater(x, y); return p }
	lossA := b.Mean()*pg(up(b), a) - a.Mean()*pg(b, up(a))
	lossB := a.Mean()*pg(up(a), b) - b.Mean()*pg(a, up(b))
	res.ExpectedLoss = []float64{math.Max(0, lossA), math.Max(0, lossB)}
}

// monteCarlo estimates PBest and ExpectedLoss from joint posterior draws.
func monteCarlo(res *Bayes, draws int, seed uint64) {
	k := len(res.Posteriors)
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	dists := make([]distuv.Beta, k)
	for i, p := range res.Posteriors {
		dists[i] = distuv.Beta{Alpha: p.Alpha, Beta: p.Beta, Src: src}
	}
	wins := make([]float64, k)
	lossSum, lossSq := make([]float64, k), make([]float64, k)
	x := make([]float64, k)
	for range draws {
		best := 0
		for i := range dists {
			x[i] = dists[i].Rand()
			if x[i] > x[best] {
				best = i
			}
		}
		wins[best]++
		for i := range x {
			l := x[best] - x[i]
			lossSum[i] += l
			lossSq[i] += l * l
		}
	}
	n := float64(draws)
	res.Method, res.Draws, res.Seed = MethodMonteCarlo, draws, seed
	res.PBest, res.ExpectedLoss = make([]float64, k), make([]float64, k)
	for i := range k {
		p := wins[i] / n
		res.PBest[i] = p
		res.MCError = math.Max(res.MCError, math.Sqrt(p*(1-p)/n))
		mean := lossSum[i] / n
		res.ExpectedLoss[i] = mean
		if draws > 1 {
			v := math.Max(0, (lossSq[i]-n*mean*mean)/(n-1))
			res.LossMCError = math.Max(res.LossMCError, math.Sqrt(v/n))
		}
	}
}
