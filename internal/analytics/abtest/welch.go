package abtest

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Sample summarizes one arm of a continuous metric such as revenue per
// customer: the number of customers, the mean and the unbiased sample
// variance (denominator N−1).
type Sample struct {
	N    int64   `json:"n"`
	Mean float64 `json:"mean"`
	Var  float64 `json:"var"`
}

// SampleOf summarizes raw values with Welford's algorithm.
func SampleOf(xs []float64) Sample {
	var mean, m2 float64
	for i, x := range xs {
		d := x - mean
		mean += d / float64(i+1)
		m2 += d * (x - mean)
	}
	s := Sample{N: int64(len(xs)), Mean: mean}
	if len(xs) > 1 {
		s.Var = m2 / float64(len(xs)-1)
	}
	return s
}

// TTest is Welch's unequal-variance t-test of arm B against arm A.
type TTest struct {
	MeanA float64 `json:"mean_a"`
	MeanB float64 `json:"mean_b"`
	// T is (x̄_A − x̄_B)/SE, the sign of scipy ttest_ind(a, b) and R t.test(a, b).
	T float64 `json:"t"`
	// DF is the Welch–Satterthwaite degrees of freedom.
	DF float64 `json:"df"`
	// P is the two-sided p-value.
	P float64 `json:"p"`
	// Diff is x̄_B − x̄_A and DiffCI its (1−alpha) Welch interval.
	Diff   float64  `json:"diff"`
	DiffCI Interval `json:"diff_ci"`
	Alpha  float64  `json:"alpha"`
}

func (s Sample) validate(arm string) error {
	switch {
	case s.N < 2:
		return fmt.Errorf("arm %s: %w: need at least 2 observations, have %d", arm, ErrSample, s.N)
	case !finite(s.Mean, s.Var) || s.Var < 0:
		return fmt.Errorf("arm %s: %w: mean %v and variance %v must be finite, variance >= 0", arm, ErrSample, s.Mean, s.Var)
	}
	return nil
}

// Welch runs Welch's two-sided t-test for a difference in means. Two constant
// samples with equal means give T = 0 and P = 1; with different means the
// statistic is infinite and Welch returns ErrZeroVariance.
func Welch(a, b Sample, alpha float64) (TTest, error) {
	if err := validAlpha(alpha); err != nil {
		return TTest{}, err
	}
	if err := a.validate("A"); err != nil {
		return TTest{}, err
	}
	if err := b.validate("B"); err != nil {
		return TTest{}, err
	}
	na, nb := float64(a.N), float64(b.N)
	va, vb := a.Var/na, b.Var/nb
	res := TTest{MeanA: a.Mean, MeanB: b.Mean, Diff: b.Mean - a.Mean, Alpha: alpha}
	se := math.Sqrt(va + vb)
	if se == 0 {
		if a.Mean != b.Mean {
			return TTest{}, fmt.Errorf("%w: means %v and %v differ with no spread", ErrZeroVariance, a.Mean, b.Mean)
		}
		res.DF, res.P = na+nb-2, 1
		res.DiffCI = Interval{Low: res.Diff, High: res.Diff}
		return res, nil
	}
	res.T = (a.Mean - b.Mean) / se
	// Welch–Satterthwaite, written with the share r of the variance that
	// comes from A so that huge variances cannot overflow.
	r := va / (va + vb)
	res.DF = 1 / (r*r/(na-1) + (1-r)*(1-r)/(nb-1))
	// Two-sided Student-t tail: P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2).
	res.P = mathext.RegIncBeta(res.DF/2, 0.5, res.DF/(res.DF+res.T*res.T))
	tc := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: res.DF}.Quantile(1 - alpha/2)
	res.DiffCI = Interval{Low: res.Diff - tc*se, High: res.Diff + tc*se}
	if !finite(res.Diff, res.T, res.DF, res.P, res.DiffCI.Low, res.DiffCI.High) {
		return TTest{}, fmt.Errorf("%w: means or variances too large to compare", ErrSample)
	}
	return res, nil
}
