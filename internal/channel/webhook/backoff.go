package webhook

import (
	"math/rand/v2"
	"time"
)

// Backoff bounds.
const (
	BackoffBase = time.Second
	BackoffMax  = time.Hour
)

// Backoff is the wait before retry number attempt (0 for the first retry):
// BackoffBase doubled per attempt, capped at BackoffMax. With rnd it is
// "equal jitter" — half the step plus a random part of the other half — so
// receivers recovering from an outage are not hit in lockstep; with a nil
// rnd it is the deterministic step.
func Backoff(attempt int, rnd *rand.Rand) time.Duration {
	d := BackoffMax
	if attempt < 0 {
		attempt = 0
	}
	if attempt < 32 {
		if step := BackoffBase << attempt; step < BackoffMax {
			d = step
		}
	}
	if rnd == nil {
		return d
	}
	half := d / 2
	return half + time.Duration(rnd.Int64N(int64(d-half)+1))
}
