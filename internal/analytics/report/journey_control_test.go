package report

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// addInstances feeds n instances of j1 through the email node: sent (or
// held back as control group, or in the journey holdout), conv of them
// converting.
func addInstances(j *Journey, kind string, n, conv int) {
	for i := range n {
		inst := fmt.Sprintf("%s-%d", kind, i)
		extra := map[string]any{"send_key": inst}
		name := EventMessageSent
		switch kind {
		case "control":
			name, extra["reason"] = EventMessageSkipped, "control_group"
		case "holdout":
			name, extra["reason"], extra["holdout"] = EventMessageSkipped, "holdout", true
		}
		evs := []segment.Event{ev(EventEntered, 0, jp("j1", inst, "start", nil)), ev(name, 1, jp("j1", inst, "email", extra))}
		if i < conv {
			evs = append(evs, ev(EventGoalReached, 2, jp("j1", inst, "email", map[string]any{"preceding_send_key": inst})))
		}
		j.Add(hist("p-"+inst, evs...))
	}
}

func TestJourneyControls(t *testing.T) {
	t.Parallel()
	j := NewJourney("j1")
	addInstances(j, "sent", 100, 10)
	addInstances(j, "control", 100, 30)
	addInstances(j, "holdout", 50, 25)
	r := j.Result(nil)

	require.Len(t, r.Nodes, 1)
	l := r.Nodes[0].Control
	require.NotNil(t, l)
	require.Equal(t, abtest.Counts{Successes: 10, Trials: 100}, l.Sent)
	require.Equal(t, abtest.Counts{Successes: 30, Trials: 100}, l.Control)
	// pooled 0.2, SE0 = sqrt(0.2·0.8·0.02) = 0.05657, z = (0.3 − 0.1)/SE0 = 3.536
	require.InDelta(t, 3.536, l.Test.Z, 1e-3)
	require.True(t, l.Underperforming)
	require.Equal(t, int64(10), r.Nodes[0].Converted) // goals after held-back messages are not conversions of the node

	// treated 40/200 against holdout 25/50: pooled 0.26, SE0 = 0.06936, z = 4.325
	c := r.Conversion
	require.Equal(t, abtest.Counts{Successes: 40, Trials: 200}, c.Treated)
	require.Equal(t, abtest.Counts{Successes: 25, Trials: 50}, c.Holdout)
	require.InDelta(t, 4.325, c.Test.Z, 1e-3)
	require.True(t, c.Underperforming)
}

func TestSplitVsControl(t *testing.T) {
	t.Parallel()
	s := splitReport("exp", map[string]*abtest.Counts{
		"control": {Successes: 50, Trials: 100},
		"B":       {Successes: 20, Trials: 100},
		"C":       {Successes: 45, Trials: 100},
	})
	require.Equal(t, "control", s.Best)
	got := map[string]ArmReport{}
	for _, a := range s.Arms {
		got[a.Arm] = a
	}
	require.Nil(t, got["control"].VsControl)
	require.NotNil(t, got["B"].VsControl)
	require.InDelta(t, got["B"].VsBest.P, got["B"].VsControl.P, 1e-15)
	require.True(t, got["B"].Underperforming)
	require.False(t, got["C"].Underperforming)
}
