package policy

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimiterReserve(t *testing.T) {
	t.Parallel()
	t0 := ts(t, "2026-06-10T12:00:00Z")
	type step struct {
		at   time.Duration // offset of now from t0
		want time.Duration // offset of the returned time from t0
	}
	cases := []struct {
		name      string
		perSecond float64
		burst     int
		steps     []step
	}{
		{"burst then paced", 10, 3, []step{
			{0, 0}, {0, 0}, {0, 0}, // the burst
			{0, 100 * time.Millisecond}, {0, 200 * time.Millisecond}, // queued behind it
			{time.Second, time.Second}, // bucket refilled: now
		}},
		{"slow provider", 0.5, 1, []step{{0, 0}, {0, 2 * time.Second}, {time.Second, 4 * time.Second}}},
		{"steady below rate", 2, 1, []step{{0, 0}, {500 * time.Millisecond, 500 * time.Millisecond}, {time.Second, time.Second}}},
		{"zero means unlimited", 0, 0, []step{{0, 0}, {0, 0}, {0, 0}, {0, 0}}},
		{"negative means unlimited", -1, 1, []step{{0, 0}, {0, 0}}},
		{"NaN means unlimited", math.NaN(), 1, []step{{0, 0}, {0, 0}}},
		{"burst below one is one", 1, 0, []step{{0, 0}, {0, time.Second}}},
		{"going back in time does not refill", 1, 1, []step{
			{10 * time.Second, 10 * time.Second}, {0, 11 * time.Second}, {5 * time.Second, 12 * time.Second},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := NewLimiter(tc.perSecond, tc.burst)
			for i, s := range tc.steps {
				got := l.Reserve(t0.Add(s.at))
				requireInstant(t, t0.Add(s.want), got, "step", i)
			}
		})
	}
}

// TestLimiterConcurrent: reservations from many goroutines at one instant
// get distinct, evenly spaced slots.
func TestLimiterConcurrent(t *testing.T) {
	t.Parallel()
	t0 := ts(t, "2026-06-10T12:00:00Z")
	l := NewLimiter(100, 1)
	var mu sync.Mutex
	seen := map[time.Duration]bool{}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			d := l.Reserve(t0).Sub(t0)
			mu.Lock()
			seen[d] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	require.Len(t, seen, 50)
	for i := range 50 {
		require.True(t, seen[time.Duration(i)*10*time.Millisecond], "slot %d", i)
	}
}
