package delivery

import (
	"context"
	"time"

	"github.com/cairn-cdp/cairn/internal/policy"
)

// paced reports when a send may go under its channel's rate limit. A send
// that must wait holds the slot it reserved (so waiting sends keep their
// order and the rate is not double-counted) and is re-queued for then.
// Slots live in memory: after a restart the bucket starts full again.
func (d *Dispatcher) paced(ctx context.Context, channelID, key string, now time.Time) time.Time {
	rl, ok := d.senders.(RateLimits)
	if !ok {
		return now
	}
	perSecond, burst := rl.RateLimit(ctx, channelID)
	d.rateMu.Lock()
	defer d.rateMu.Unlock()
	if at, ok := d.reserved[key]; ok {
		if !at.After(now) {
			delete(d.reserved, key)
			return now
		}
		return at
	}
	if perSecond <= 0 {
		return now
	}
	lim := d.limiters[channelID]
	if lim == nil || lim.perSecond != perSecond || lim.burst != burst {
		lim = &rateLimiter{perSecond: perSecond, burst: burst, l: policy.NewLimiter(perSecond, burst)}
		d.limiters[channelID] = lim
	}
	at := lim.l.Reserve(now)
	if at.After(now) {
		d.reserved[key] = at
	}
	return at
}
