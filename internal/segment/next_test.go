package segment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNextChange(t *testing.T) {
	t.Parallel()
	o := func(at time.Time, props map[string]any) Event { return ev("Order Completed", at, props) }
	cases := []struct {
		name   string
		def    string
		traits map[string]any
		events []Event
		want   time.Time // zero: no change
	}{
		{name: "window exit", def: `performed "Order Completed" within 30d`, events: []Event{o(ago(day), nil)}, want: ago(day).Add(30 * day)},
		{name: "latest event decides exit", def: `performed "Order Completed" within 30d`, events: []Event{o(ago(20*day), nil), o(ago(day), nil)}, want: ago(day).Add(30 * day)},
		{name: "count drops below 2", def: `performed "Order Completed" count >= 2 within 30d`, events: []Event{o(ago(20*day), nil), o(ago(day), nil), o(ago(25*day), nil)}, want: ago(20 * day).Add(30 * day)},
		{name: "did not perform re-entry", def: `performed "Order Completed" count = 0 within 7d`, events: []Event{o(ago(2*day), nil)}, want: ago(2 * day).Add(7 * day)},
		{name: "relative window entry", def: `performed "Order Completed" from 30d ago to 7d ago`, events: []Event{o(ago(day), nil)}, want: ago(day).Add(7 * day)},
		{name: "future dated event", def: `performed "Order Completed"`, events: []Event{o(t0.Add(time.Hour), nil)}, want: t0.Add(time.Hour)},
		{name: "absolute window no change", def: `performed "Order Completed" after "2026-01-01T00:00:00Z"`, events: []Event{o(ago(day), nil)}},
		{name: "lifetime no change", def: `performed "Order Completed"`, events: []Event{o(ago(day), nil)}},
		{name: "trait within_last", def: `trait d within_last 7d`, traits: map[string]any{"d": ago(day).Format(time.RFC3339)}, want: ago(day).Add(7 * day)},
		{name: "trait within_next entry", def: `trait d within_next 7d`, traits: map[string]any{"d": t0.Add(10 * day).Format(time.RFC3339)}, want: t0.Add(3 * day)},
		{name: "trait before_last", def: `trait d before_last 90d`, traits: map[string]any{"d": ago(80 * day).Format(time.RFC3339)}, want: t0.Add(10 * day)},
		{name: "trait after_next exit", def: `trait d after_next 1d`, traits: map[string]any{"d": t0.Add(3 * day).Format(time.RFC3339)}, want: t0.Add(2 * day)},
		{name: "birthday tomorrow", def: `trait b day_of_year`, traits: map[string]any{"b": "1990-06-16"}, want: time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC)},
		{name: "birthday today ends", def: `trait b day_of_year tz "America/New_York"`, traits: map[string]any{"b": "1990-06-15"}, want: time.Date(2026, 6, 16, 4, 0, 0, 0, time.UTC)},
		{name: "birthday next year", def: `trait b day_of_year`, traits: map[string]any{"b": "1990-01-02"}, want: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)},
		{name: "static trait", def: `trait plan = "pro"`, traits: map[string]any{"plan": "pro"}},
		{name: "trailing negation completes", def: `sequence "Email Opened" then not "Order Completed" within 7d`, events: []Event{ev("Email Opened", ago(2*day), nil)}, want: ago(2 * day).Add(7 * day)},
		{name: "last_performed recency", def: `last_performed "Order Completed" time before_last 90d`, events: []Event{o(ago(30*day), nil)}, want: t0.Add(60 * day)},
		{name: "aggregate sum falls", def: `aggregate sum revenue of "Order Completed" within 365d >= 500`, events: []Event{o(ago(300*day), map[string]any{"revenue": float64(400)}), o(ago(10*day), map[string]any{"revenue": float64(200)})}, want: ago(300 * day).Add(365 * day)},
		{name: "filter date op on property", def: `performed "Trial Started" where ends_at within_next 3d`, events: []Event{ev("Trial Started", ago(day), map[string]any{"ends_at": t0.Add(10 * day).Format(time.RFC3339)})}, want: t0.Add(7 * day)},
		{name: "channel window", def: `channel channels ["web"] within 2d`, events: []Event{ev("Page Viewed", ago(time.Hour), nil)}, want: ago(time.Hour).Add(2 * day)},
		{name: "and needs both", def: `performed "A" within 10d and not performed "B" within 3d`, events: []Event{ev("A", ago(day), nil), ev("B", ago(day), nil)}, want: ago(day).Add(3 * day)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustText(t, tc.def)
			snap := Snapshot{ProfileID: "p", Traits: tc.traits, Events: tc.events}
			at, ok, err := NextChange(d, snap, t0, nil)
			require.NoError(t, err)
			if tc.want.IsZero() {
				require.False(t, ok, "unexpected change at %s", at)
				return
			}
			require.True(t, ok)
			require.True(t, tc.want.Equal(at), "want %s, got %s", tc.want, at)
			now, err := Evaluate(d, snap, t0, nil)
			require.NoError(t, err)
			before, err := Evaluate(d, snap, at.Add(-time.Second), nil)
			require.NoError(t, err)
			after, err := Evaluate(d, snap, at, nil)
			require.NoError(t, err)
			require.Equal(t, now, before, "unchanged until just before the instant")
			require.NotEqual(t, before, after, "flips at the instant")
		})
	}
}
