package cli

import (
	"context"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The default soft memory limit (--memory-limit 896MiB) keeps the server
// under 1 GiB of RSS while what it holds live fits well below it. Some
// stores hold more: the dedupe index keeps every SDK message id of the
// dedupe window, and the analytics projection every event (a 20M-event
// store: ~1.1 GiB live). A limit below the live heap cannot be met; the
// runtime then collects back to back, up to half the CPU, for as long as
// the server runs (profile reads at 20M events: p99 41-53 ms instead of
// 3-4 ms; BENCHMARKS.md, "Profile reads at scale"). So the default limit
// follows the live heap upwards, with room for a collection cycle's
// garbage, and back down to itself; a limit the operator set
// (--memory-limit, GOMEMLIMIT) stays as set.

// liveHeadroom is the share of the live heap the limit leaves above it
// for garbage between collections.
const liveHeadroom = 0.5

// limitFor is the soft limit for a live heap: the base, or the live heap
// and its headroom when that is more.
func limitFor(base int64, live uint64) int64 {
	return max(base, int64(float64(live)*(1+liveHeadroom)))
}

// memLimiter adjusts the default soft limit to the live heap.
type memLimiter struct {
	base    int64
	current int64
	live    func() uint64           // the live heap after the last collection
	set     func(limit int64) int64 // debug.SetMemoryLimit
	logger  *slog.Logger
}

func newMemLimiter(base int64, logger *slog.Logger) *memLimiter {
	return &memLimiter{base: base, current: base, live: liveHeap, set: debug.SetMemoryLimit, logger: logger}
}

// step sets the limit for the current live heap when it moved by more than
// an eighth, so small changes neither churn nor log.
func (m *memLimiter) step() {
	live := m.live()
	want := limitFor(m.base, live)
	if d := want - m.current; d < m.current/8 && -d < m.current/8 {
		return
	}
	m.set(want)
	m.logger.Info("soft memory limit follows the live heap (set --memory-limit or GOMEMLIMIT to pin it)",
		slog.Int64("live_mib", int64(live>>20)), slog.Int64("limit_mib", want>>20), slog.Int64("was_mib", m.current>>20))
	m.current = want
}

// run steps every interval until ctx ends.
func (m *memLimiter) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.step()
		}
	}
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
