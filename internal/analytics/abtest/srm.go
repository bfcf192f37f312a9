package abtest

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// SRMThreshold is the p-value below which SRM flags a sample-ratio mismatch.
const SRMThreshold = 0.001

// SRMResult is a chi-square goodness-of-fit test of assignment counts
// against the planned split.
type SRMResult struct {
	Observed []int64   `json:"observed"`
	Expected []float64 `json:"expected"`
	// Planned is the planned split normalized to sum to 1.
	Planned   []float64 `json:"planned"`
	ChiSquare float64   `json:"chi_square"`
	DF        int       `json:"df"`
	P         float64   `json:"p"`
	// Mismatch is P < SRMThreshold.
	Mismatch bool `json:"mismatch"`
}

// SRM tests observed assignment counts against the planned split (weights in
// any unit, such as 50/50 or 0.9/0.1; nil means an equal split) with
// Pearson's chi-square test on len(observed)−1 degrees of freedom. With no
// assignments at all the result is χ² = 0, P = 1 and no mismatch.
func SRM(observed []int64, planned []float64) (SRMResult, error) {
	k := len(observed)
	if k < 2 {
		return SRMResult{}, fmt.Errorf("%w: need at least 2 arms, have %d", ErrArms, k)
	}
	if planned == nil {
		planned = make([]float64, k)
		for i := range planned {
			planned[i] = 1
		}
	}
	if len(planned) != k {
		return SRMResult{}, fmt.Errorf("%w: %d planned weights for %d arms", ErrArms, len(planned), k)
	}
	var total int64
	var weight float64
	for i := range k {
		if observed[i] < 0 {
			return SRMResult{}, fmt.Errorf("%w: arm %d has %d assignments", ErrInvalidCounts, i, observed[i])
		}
		if !(planned[i] > 0) || !finite(planned[i]) {
			return SRMResult{}, fmt.Errorf("%w: planned weight of arm %d must be positive, got %v", ErrArms, i, planned[i])
		}
		if observed[i] > math.MaxInt64-total {
			return SRMResult{}, fmt.Errorf("%w: assignment counts overflow", ErrInvalidCounts)
		}
		total += observed[i]
		weight += planned[i]
	}
	res := SRMResult{
		Observed: append([]int64(nil), observed...),
		Expected: make([]float64, k),
		Planned:  make([]float64, k),
		DF:       k - 1,
		P:        1,
	}
	for i := range k {
		res.Planned[i] = planned[i] / weight
		res.Expected[i] = float64(total) * res.Planned[i]
	}
	if total == 0 {
		return res, nil
	}
	for i := range k {
		d := float64(observed[i]) - res.Expected[i]
		res.ChiSquare += d * d / res.Expected[i]
	}
	if !finite(res.ChiSquare) {
		return SRMResult{}, fmt.Errorf("%w: a planned weight is too small for the observed counts", ErrArms)
	}
	// Chi-square survival: Q(df/2, χ²/2), the regularized upper incomplete gamma.
	res.P = mathext.GammaIncRegComp(float64(res.DF)/2, res.ChiSquare/2)
	res.Mismatch = res.P < SRMThreshold
	return res, nil
}
