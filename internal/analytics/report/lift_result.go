package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

// LiftArm is one arm of a lift analysis.
type LiftArm struct {
	// Customers is the number of customers with a record of the arm in the
	// range (the assignment the sample-ratio check reads).
	Customers int64 `json:"customers"`
	// Units are the records counted (exposure unit) or customers counted
	// (customer unit); Conversions those converting within the window.
	Units       int64    `json:"units"`
	Conversions int64    `json:"conversions"`
	Rate        float64  `json:"rate"`
	CI          Interval `json:"ci"`
}

// LiftResult compares the exposed arm (B) with the holdout (A).
type LiftResult struct {
	Unit    string    `json:"unit"`
	Horizon time.Time `json:"horizon"` // records after Horizon − window are left out
	Holdout LiftArm   `json:"holdout"`
	Exposed LiftArm   `json:"exposed"`
	// Excluded counts records left out: after the customer's first
	// conversion (first_conversion) and with a window still open at the
	// horizon.
	Excluded struct {
		AfterConversion int64 `json:"after_conversion"`
		OpenWindow      int64 `json:"open_window"`
	} `json:"excluded"`
	// Test is the pooled z-test of exposed (B) against holdout (A) with the
	// difference and the relative lift and their intervals; nil without
	// units in both arms.
	Test  *abtest.ZTest `json:"test"`
	Bayes *abtest.Bayes `json:"bayes"` // P(exposed beats holdout) is PBest[1]
	// SRM checks the customers per arm against the planned holdout share;
	// nil when no share was given.
	SRM   *abtest.SRMResult `json:"srm"`
	Notes []string          `json:"notes"`
}

// Result computes the comparison, or funnel.ErrUnknown naming events that
// no stored event has (unless nothing was seen at all).
func (l *Lift) Result() (LiftResult, error) {
	s := &l.spec
	if len(l.seen) > 0 {
		var missing []string
		for _, name := range []string{s.Exposure.Event, s.Holdout.Event, s.Conversion.Event} {
			if !l.seen[name] {
				missing = append(missing, fmt.Sprintf("%q", name))
			}
		}
		if len(missing) > 0 {
			return LiftResult{}, fmt.Errorf("%w: no stored event is named %s", funnel.ErrUnknown, strings.Join(missing, ", "))
		}
	}
	horizon := s.End
	if horizon.IsZero() {
		horizon = l.latest
		if !s.Now.IsZero() && s.Now.Before(horizon) {
			horizon = s.Now
		}
	}
	r := LiftResult{Unit: s.Unit, Horizon: horizon.UTC(), Notes: []string{}}
	r.Excluded.AfterConversion = l.afterConv
	last := horizon.UnixMilli() - s.Window.Milliseconds()
	var arms [2]abtest.Counts
	counted := [2]int32{-1, -1} // customer unit: per arm, the customer whose record was taken
	for _, rec := range l.records {
		if rec.at > last {
			r.Excluded.OpenWindow++
			continue
		}
		arm := 0
		if rec.exposed {
			arm = 1
		}
		if s.Unit == UnitCustomer {
			if rec.customer == counted[arm] {
				continue
			}
			counted[arm] = rec.customer
		}
		arms[arm].Trials++
		if rec.converted {
			arms[arm].Successes++
		}
	}
	for arm, dst := range []*LiftArm{&r.Holdout, &r.Exposed} {
		c := arms[arm]
		*dst = LiftArm{Customers: l.assigned[arm], Units: c.Trials, Conversions: c.Successes, Rate: c.Rate(), CI: Wilson(c.Successes, c.Trials)}
	}
	z, err := abtest.TwoProportions(arms[0], arms[1], Alpha)
	switch {
	case errors.Is(err, abtest.ErrNoTrials):
		r.Notes = append(r.Notes, "no comparison: an arm has no records whose window closed before the horizon")
		return r, nil
	case err != nil:
		return LiftResult{}, fmt.Errorf("lift z-test: %w", err)
	}
	r.Test = &z
	b, err := abtest.BetaBinomial(arms[:], abtest.BayesOptions{})
	if err != nil {
		return LiftResult{}, fmt.Errorf("lift posterior: %w", err)
	}
	r.Bayes = &b
	if s.HoldoutShare > 0 {
		srm, err := abtest.SRM(l.assigned[:], []float64{s.HoldoutShare, 1 - s.HoldoutShare})
		if err != nil {
			return LiftResult{}, fmt.Errorf("lift sample-ratio check: %w", err)
		}
		r.SRM = &srm
		if srm.Mismatch {
			r.Notes = append(r.Notes, fmt.Sprintf("sample-ratio mismatch (p = %.3g): the arms do not follow the planned holdout share %g; do not trust the lift", srm.P, s.HoldoutShare))
		}
	}
	if s.Unit == UnitExposure {
		r.Notes = append(r.Notes, "unit exposure: a customer can contribute several records, so the intervals, which treat records as independent, are somewhat too narrow; unit customer gives customer-level intervals")
	}
	return r, nil
}
