package policy

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter paces sends to one provider (a token bucket, golang.org/x/time/rate)
// on times the caller passes in, so it runs on an injected clock and is
// deterministic in tests. It is safe for concurrent use.
type Limiter struct {
	mu   sync.Mutex
	last time.Time // latest time seen; earlier times are read as this one
	lim  *rate.Limiter
}

// NewLimiter allows perSecond messages per second on average, with bursts of
// up to burst. perSecond <= 0 (or NaN, or +Inf) means no limit, as "0 = off"
// in configuration; burst below 1 is 1.
func NewLimiter(perSecond float64, burst int) *Limiter {
	limit := rate.Limit(perSecond)
	if !(perSecond > 0) || math.IsInf(perSecond, 1) {
		limit = rate.Inf
	}
	return &Limiter{lim: rate.NewLimiter(limit, max(burst, 1))}
}

// Reserve takes the next slot and returns when its message may go: now when
// a token is available, otherwise the instant the bucket refills enough.
// The slot is taken either way, so a caller that reserves must send at the
// returned time (schedule it, don't re-reserve). A now earlier than one
// already seen (callers racing on the clock) counts as the latest one seen,
// so going back in time never refills the bucket.
func (l *Limiter) Reserve(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.last) {
		now = l.last
	} else {
		l.last = now
	}
	r := l.lim.ReserveN(now, 1)
	if !r.OK() {
		return time.Time{} // unreachable: burst >= 1 and no reservation horizon
	}
	return now.Add(r.DelayFrom(now))
}
