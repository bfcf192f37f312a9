package segment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDelayOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src, event string
		want       time.Duration
	}{
		{`sequence "A" then not "B" within 2d`, "A", 2 * day},
		{`sequence "A" then not "B" within 2d`, "B", 0},
		{`sequence "A" then not "B" within 2d`, "C", noDelay},
		{`sequence "A" then "B" within 2d`, "A", 0}, // a late A before a B completes it at once
		{`sequence "A" then "A" then not "B" within 2d`, "A", 0},
		{`sequence "A" then not "B"`, "A", 0},
		{`sequence "A" then "C" then not "B" within 2d`, "C", 0},
		{`performed "A" from 3d ago to 1d ago`, "A", day},
		{`performed "A" within 3d`, "A", 0},
		{`not performed "A" from 3d ago to 1d ago`, "A", day},
		{`aggregate sum n of "A" from 3d ago to 12h ago >= 5`, "A", 12 * time.Hour},
		{`performed "A" from 3d ago to 1d ago and sequence "A" then not "B" within 2d`, "A", day},
		{`performed "A" from 3d ago to 1d ago or last_performed "A"`, "A", 0},
		{`performed "A" from 3d ago to 1d ago and trait plan = "x"`, "A", day},
		{`trait plan = "x"`, "A", noDelay},
		{`channel channels ["web"] from 3d ago to 1d ago`, "Z", day},
		{`in_segment any ["x"]`, "A", 0},
	} {
		require.Equal(t, c.want, delayOf(mustText(t, c.src).Root, c.event), "%s, event %s", c.src, c.event)
	}
}

// TestSettleDelayed checks that an event acting only after a delay is left
// out when the profile's pending timer comes first, and kept otherwise.
func TestSettleDelayed(t *testing.T) {
	t.Parallel()
	idx := NewIndex(map[string]*Definition{
		"s": mustText(t, `sequence "A" then not "B" within 2d`),
		"p": mustText(t, `performed "A" within 7d`),
	}, map[string]int{"s": 1, "p": 1})
	for _, c := range []struct {
		name    string
		pending time.Time
		late    bool // the event is two days late
		name2   bool // routed by name only (no timestamp)
		want    []string
	}{
		{name: "timer before the span ends", pending: t0.Add(day)},
		{name: "timer at the span's end", pending: t0.Add(2 * day)},
		{name: "timer after the span ends", pending: t0.Add(3 * day), want: []string{"s"}},
		{name: "no timer", want: []string{"s"}},
		{name: "late event", pending: t0.Add(day), late: true, want: []string{"s"}},
		{name: "by name", pending: t0.Add(day), name2: true, want: []string{"s"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := idx.Route()
			at := t0
			if c.late {
				at = t0.Add(-2 * day)
			}
			if c.name2 {
				r.EventName("A")
			} else {
				r.Event(ev("A", at, nil))
			}
			// a member of p, which the event can only raise
			require.Equal(t, c.want, r.IDsFor(map[string]bool{"p": true}, c.pending, nil))
		})
	}
}
