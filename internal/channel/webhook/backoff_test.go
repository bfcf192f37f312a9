package webhook

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBackoffDeterministic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{-3, time.Second},
		{0, time.Second},
		{1, 2 * time.Second},
		{5, 32 * time.Second},
		{11, 2048 * time.Second},
		{12, time.Hour},
		{40, time.Hour},
		{1 << 30, time.Hour},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, Backoff(tc.attempt, nil), "attempt %d", tc.attempt)
	}
}

func TestBackoffJitterStaysInHalfOpenBand(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 2))
	for attempt := range 20 {
		step := Backoff(attempt, nil)
		seen := map[time.Duration]bool{}
		for range 50 {
			d := Backoff(attempt, rnd)
			require.GreaterOrEqual(t, d, step/2)
			require.LessOrEqual(t, d, step)
			seen[d] = true
		}
		require.Greater(t, len(seen), 1, "attempt %d: jitter produced one value", attempt)
	}
}
