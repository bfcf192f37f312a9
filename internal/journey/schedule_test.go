package journey

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNextRun(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		every string
		after time.Time
		want  time.Time
		ok    bool
	}{
		{"first run", "", time.Time{}, at, true},
		{"before the first run", "1d", at.Add(-time.Hour), at, true},
		{"one-off has run", "", at, time.Time{}, false},
		{"daily: next day", "1d", at, at.Add(24 * time.Hour), true},
		{"daily: skips missed runs", "1d", at.Add(50 * time.Hour), at.Add(72 * time.Hour), true},
		{"weekly", "1w", at.Add(time.Minute), at.Add(7 * 24 * time.Hour), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &ScheduleEntry{At: at.Format(time.RFC3339), Every: tc.every}
			got, ok := e.NextRun(tc.after)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
