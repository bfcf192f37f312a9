package segment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the "now" of most evaluation tests.
var t0 = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func mustText(tb testing.TB, src string) *Definition {
	tb.Helper()
	d, err := ParseText(src)
	require.NoError(tb, err, src)
	return d
}

func ev(name string, at time.Time, props map[string]any) Event {
	return Event{Type: "track", Name: name, Timestamp: at, Properties: props, Channel: "web", Source: "src_web"}
}

func ago(d time.Duration) time.Time { return t0.Add(-d) }

const day = 24 * time.Hour

type evalCase struct {
	name   string
	def    string
	traits map[string]any
	events []Event
	now    time.Time // zero: t0
	want   bool
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustText(t, tc.def)
			now := tc.now
			if now.IsZero() {
				now = t0
			}
			got, err := Evaluate(d, Snapshot{ProfileID: "p1", Traits: tc.traits, Events: tc.events}, now, nil)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
