package abtest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Counts is one arm's binary outcome: Successes conversions among Trials
// customers.
type Counts struct {
	Successes int64 `json:"successes"`
	Trials    int64 `json:"trials"`
}

// String formats the counts as SUCCESSES/TRIALS, the form ParseCounts reads.
func (c Counts) String() string {
	return strconv.FormatInt(c.Successes, 10) + "/" + strconv.FormatInt(c.Trials, 10)
}

// Rate is Successes/Trials, or 0 for an arm without trials.
func (c Counts) Rate() float64 {
	if c.Trials == 0 {
		return 0
	}
	return float64(c.Successes) / float64(c.Trials)
}

// Validate reports negative counts and more successes than trials.
func (c Counts) Validate() error {
	switch {
	case c.Successes < 0 || c.Trials < 0:
		return fmt.Errorf("%w: %s has a negative count", ErrInvalidCounts, c)
	case c.Successes > c.Trials:
		return fmt.Errorf("%w: %s has more successes than trials", ErrInvalidCounts, c)
	}
	return nil
}

// ParseCounts reads "SUCCESSES/TRIALS" such as "120/2400". Surrounding spaces
// are ignored; both numbers must be non-negative decimal integers with
// successes <= trials.
func ParseCounts(s string) (Counts, error) {
	num, den, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Counts{}, fmt.Errorf("%w: %q is not SUCCESSES/TRIALS", ErrInvalidCounts, s)
	}
	succ, err := parseCount(num)
	if err != nil {
		return Counts{}, fmt.Errorf("%w: successes in %q: %w", ErrInvalidCounts, s, err)
	}
	trials, err := parseCount(den)
	if err != nil {
		return Counts{}, fmt.Errorf("%w: trials in %q: %w", ErrInvalidCounts, s, err)
	}
	c := Counts{Successes: succ, Trials: trials}
	return c, c.Validate()
}

// parseCount accepts only plain decimal digits (no sign, no exponent).
func parseCount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return strconv.ParseInt(s, 10, 64)
}

// Interval is a closed interval [Low, High].
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Contains reports whether x lies in the interval.
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

// validAlpha checks a significance level.
func validAlpha(alpha float64) error {
	if !(alpha > 0 && alpha < 1) {
		return fmt.Errorf("%w: got %v", ErrAlpha, alpha)
	}
	return nil
}

// finite reports whether every value is neither NaN nor infinite.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
