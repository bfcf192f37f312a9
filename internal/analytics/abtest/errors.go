package abtest

import "errors"

var (
	// ErrInvalidCounts reports negative counts or more successes than trials.
	ErrInvalidCounts = errors.New("invalid counts")
	// ErrNoTrials reports an arm with zero trials where a rate is needed.
	ErrNoTrials = errors.New("arm has no trials")
	// ErrAlpha reports a significance level outside (0, 1).
	ErrAlpha = errors.New("alpha must be strictly between 0 and 1")
	// ErrSample reports a revenue sample too small or malformed for a t-test.
	ErrSample = errors.New("invalid sample")
	// ErrZeroVariance reports two constant samples with different means,
	// for which the t statistic is infinite.
	ErrZeroVariance = errors.New("both samples have zero variance")
	// ErrPrior reports Beta parameters that are not positive and finite.
	ErrPrior = errors.New("beta parameters must be positive and finite")
	// ErrArms reports too few arms or a planned split that does not match them.
	ErrArms = errors.New("invalid arms")
	// ErrConfig reports an invalid sequential-test configuration.
	ErrConfig = errors.New("invalid configuration")
)
