package abtest

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// ZTest is the pooled two-proportion z-test of arm B against arm A.
type ZTest struct {
	RateA float64 `json:"rate_a"`
	RateB float64 `json:"rate_b"`
	// Z is (p̂_A − p̂_B)/SE₀ with the pooled standard error SE₀; the sign
	// follows statsmodels proportions_ztest(count=[a, b]), so a negative Z
	// means B converts better. It is 0 when both arms are all-0 or all-1.
	Z float64 `json:"z"`
	// P is the two-sided p-value 2·(1 − Φ(|Z|)).
	P float64 `json:"p"`
	// Diff is p̂_B − p̂_A and DiffCI its unpooled Wald interval.
	Diff   float64  `json:"diff"`
	DiffCI Interval `json:"diff_ci"`
	// Lift is the relative lift of B over A with its delta-method interval
	// on the log rate ratio; nil when either arm has no conversions.
	Lift  *Lift   `json:"lift"`
	Alpha float64 `json:"alpha"`
}

// Lift is a relative lift p̂_B/p̂_A − 1 with a confidence interval.
type Lift struct {
	Estimate float64  `json:"estimate"`
	CI       Interval `json:"ci"`
}

// TwoProportions runs the pooled two-proportion z-test (two-sided) and builds
// (1−alpha) intervals for the difference and the relative lift.
func TwoProportions(a, b Counts, alpha float64) (ZTest, error) {
	if err := validAlpha(alpha); err != nil {
		return ZTest{}, err
	}
	for _, arm := range []struct {
		name string
		c    Counts
	}{{"A", a}, {"B", b}} {
		if err := arm.c.Validate(); err != nil {
			return ZTest{}, fmt.Errorf("arm %s: %w", arm.name, err)
		}
		if arm.c.Trials == 0 {
			return ZTest{}, fmt.Errorf("arm %s: %w: a rate needs at least one trial", arm.name, ErrNoTrials)
		}
	}
	na, nb := float64(a.Trials), float64(b.Trials)
	pa, pb := a.Rate(), b.Rate()
	res := ZTest{RateA: pa, RateB: pb, Diff: pb - pa, Alpha: alpha, P: 1}

	pooled := float64(a.Successes+b.Successes) / (na + nb)
	if se0 := math.Sqrt(pooled * (1 - pooled) * (1/na + 1/nb)); se0 > 0 {
		res.Z = (pa - pb) / se0
		res.P = twoSidedNormal(res.Z)
	}

	zc := criticalZ(alpha)
	se := math.Sqrt(pa*(1-pa)/na + pb*(1-pb)/nb)
	res.DiffCI = Interval{Low: res.Diff - zc*se, High: res.Diff + zc*se}

	if pa > 0 && pb > 0 {
		logRatio := math.Log(pb / pa)
		seLog := math.Sqrt((1-pa)/(na*pa) + (1-pb)/(nb*pb))
		res.Lift = &Lift{
			Estimate: pb/pa - 1,
			CI: Interval{
				Low:  math.Expm1(logRatio - zc*seLog),
				High: math.Expm1(logRatio + zc*seLog),
			},
		}
	}
	return res, nil
}

// twoSidedNormal is 2·(1 − Φ(|z|)) computed without cancellation.
func twoSidedNormal(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// criticalZ is the standard normal quantile z₁₋α/₂.
func criticalZ(alpha float64) float64 {
	return -mathext.NormalQuantile(alpha / 2)
}
