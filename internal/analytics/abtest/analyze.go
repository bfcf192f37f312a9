package abtest

import (
	"errors"
	"fmt"
)

// DefaultAlpha is the significance level Analyze uses when Input.Alpha is 0.
const DefaultAlpha = 0.05

// Input is one experiment's data for Analyze: arm A is the control or
// holdout, arm B the treatment.
type Input struct {
	A Counts `json:"a"`
	B Counts `json:"b"`
	// RevenueA and RevenueB, when both set, add Welch's t-test on revenue
	// per customer.
	RevenueA *Sample `json:"revenue_a,omitempty"`
	RevenueB *Sample `json:"revenue_b,omitempty"`
	// Planned is the planned traffic split A:B for the SRM check (any
	// positive weights); nil means 50/50.
	Planned []float64 `json:"planned,omitempty"`
	// Alpha is the significance level of every part; 0 means DefaultAlpha.
	Alpha      float64      `json:"alpha"`
	Bayes      BayesOptions `json:"bayes"`
	Sequential MSPRTConfig  `json:"sequential"`
}

// Report is the full analysis of one experiment. A part that cannot be
// computed from the data is nil and Notes says why, so an experiment without
// traffic still gives a well-formed report.
type Report struct {
	A     Counts  `json:"a"`
	B     Counts  `json:"b"`
	Alpha float64 `json:"alpha"`
	// SRM checks the assignment counts (Trials) against the planned split.
	SRM        SRMResult  `json:"srm"`
	ZTest      *ZTest     `json:"z_test"`
	Revenue    *TTest     `json:"revenue"`
	Bayes      Bayes      `json:"bayes"`
	Sequential Sequential `json:"sequential"`
	Notes      []string   `json:"notes"`
}

// Analyze runs every test on one experiment. It returns an error only for
// invalid input (negative counts, more successes than trials, alpha outside
// (0, 1), a malformed split or configuration); missing data becomes a note.
func Analyze(in Input) (Report, error) {
	if in.Alpha == 0 {
		in.Alpha = DefaultAlpha
	}
	if err := validAlpha(in.Alpha); err != nil {
		return Report{}, err
	}
	if err := in.A.Validate(); err != nil {
		return Report{}, fmt.Errorf("arm A: %w", err)
	}
	if err := in.B.Validate(); err != nil {
		return Report{}, fmt.Errorf("arm B: %w", err)
	}
	if in.Sequential.Alpha == 0 {
		in.Sequential.Alpha = in.Alpha
	}
	rep := Report{A: in.A, B: in.B, Alpha: in.Alpha, Notes: []string{}}
	var err error
	if rep.SRM, err = SRM([]int64{in.A.Trials, in.B.Trials}, in.Planned); err != nil {
		return Report{}, fmt.Errorf("sample-ratio check: %w", err)
	}
	if rep.SRM.Mismatch {
		rep.Notes = append(rep.Notes, fmt.Sprintf(
			"sample-ratio mismatch (p = %.3g < %g): assignment does not follow the planned split; do not trust the other results",
			rep.SRM.P, SRMThreshold))
	}
	switch z, err := TwoProportions(in.A, in.B, in.Alpha); {
	case errors.Is(err, ErrNoTrials):
		rep.Notes = append(rep.Notes, "z-test: not computed, an arm has no trials yet")
	case err != nil:
		return Report{}, fmt.Errorf("z-test: %w", err)
	default:
		rep.ZTest = &z
		if z.Lift == nil {
			rep.Notes = append(rep.Notes, "relative lift: not computed, an arm has no conversions")
		}
	}
	if err := revenue(&rep, in); err != nil {
		return Report{}, err
	}
	if rep.Bayes, err = BetaBinomial([]Counts{in.A, in.B}, in.Bayes); err != nil {
		return Report{}, fmt.Errorf("bayesian: %w", err)
	}
	if rep.Sequential, err = MSPRT(in.A, in.B, in.Sequential); err != nil {
		return Report{}, fmt.Errorf("sequential: %w", err)
	}
	if burnIn := rep.Sequential.MinTrials; in.A.Trials < burnIn || in.B.Trials < burnIn {
		rep.Notes = append(rep.Notes, fmt.Sprintf(
			"sequential: no evidence until each arm has %d trials (burn-in)", burnIn))
	}
	return rep, nil
}

// revenue adds Welch's t-test when both revenue samples are given.
func revenue(rep *Report, in Input) error {
	switch {
	case in.RevenueA == nil && in.RevenueB == nil:
		return nil
	case in.RevenueA == nil || in.RevenueB == nil:
		return fmt.Errorf("revenue: %w: give revenue for both arms or neither", ErrSample)
	}
	t, err := Welch(*in.RevenueA, *in.RevenueB, in.Alpha)
	switch {
	case errors.Is(err, ErrSample) && (in.RevenueA.N < 2 || in.RevenueB.N < 2):
		rep.Notes = append(rep.Notes, "revenue: not computed, each arm needs at least 2 customers")
	case errors.Is(err, ErrZeroVariance):
		rep.Notes = append(rep.Notes, "revenue: not computed, both arms are constant with different means")
	case err != nil:
		return fmt.Errorf("revenue: %w", err)
	default:
		rep.Revenue = &t
	}
	return nil
}
