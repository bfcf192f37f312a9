package report

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
)

func TestJourneyReport(t *testing.T) {
	t.Parallel()
	a := map[string]any{"paths": map[string]any{"exp": "A"}}
	b := map[string]any{"paths": map[string]any{"exp": "B"}}
	hold := map[string]any{"holdout": true}
	j := NewJourney("j1")
	j.Add(hist("p1",
		ev(EventEntered, 0, jp("j1", "i1", "start", nil)),
		ev(EventStep, 1, jp("j1", "i1", "email", a)),
		ev(EventMessageSent, 2, jp("j1", "i1", "email", map[string]any{"send_key": "k1", "paths": a["paths"]})),
		ev(EventMessageDelivered, 3, jp("j1", "i1", "email", map[string]any{"send_key": "k1"})),
		ev(EventMessageOpened, 4, jp("j1", "i1", "email", map[string]any{"send_key": "k1"})),
		ev(EventMessageOpened, 5, jp("j1", "i1", "email", map[string]any{"send_key": "k1"})),
		ev(EventMessageClicked, 6, jp("j1", "i1", "email", map[string]any{"send_key": "k1"})),
		ev(EventGoalReached, 7, jp("j1", "i1", "wait", map[string]any{"preceding_send_key": "k1", "paths": a["paths"]})),
		ev(EventExited, 7, jp("j1", "i1", "wait", map[string]any{"reason": "goal"})),
		ev(EventStep, 8, jp("j2", "x", "email", nil)), // another journey
	))
	j.Add(hist("p2",
		ev(EventEntered, 0, jp("j1", "i2", "start", hold)),
		ev(EventStep, 1, jp("j1", "i2", "email", hold)),
		ev(EventMessageSkipped, 2, jp("j1", "i2", "email", map[string]any{"send_key": "k2", "holdout": true, "reason": "holdout"})),
		ev(EventExited, 3, jp("j1", "i2", "end", map[string]any{"reason": "completed"})),
	))
	j.Add(hist("p3",
		ev(EventEntered, 0, jp("j1", "i3", "start", nil)),
		ev(EventStep, 1, jp("j1", "i3", "email", b)),
		ev(EventMessageSent, 2, jp("j1", "i3", "email", map[string]any{"send_key": "k3"})),
		ev(EventExited, 3, jp("j1", "i3", "end", map[string]any{"reason": "completed"})),
		// an instance whose Journey Entered is gone is not counted
		ev(EventStep, 4, jp("j1", "i4", "email", nil)),
	))
	r := j.Result(map[string]int64{"wait": 4})

	require.Equal(t, int64(3), r.Instances)
	require.Equal(t, map[string]int64{"goal": 1, "completed": 2}, r.Exited)
	nodes := map[string]NodeCounts{}
	for _, n := range r.Nodes {
		nodes[n.Node] = n.NodeCounts
	}
	require.Equal(t, NodeCounts{Entered: 4, Sent: 2, Skipped: 1, Delivered: 1, Opened: 1, Clicked: 1, Converted: 1,
		Exited: map[string]int64{}}, nodes["email"])
	require.Equal(t, NodeCounts{Waiting: 4, Exited: map[string]int64{"goal": 1}}, nodes["wait"])
	require.Equal(t, map[string]int64{"completed": 2}, nodes["end"].Exited)
	require.NotContains(t, nodes, "start") // Journey Entered is not a step

	c := r.Conversion
	require.Equal(t, abtest.Counts{Successes: 1, Trials: 2}, c.Treated)
	require.Equal(t, abtest.Counts{Successes: 0, Trials: 1}, c.Holdout)
	require.InDelta(t, 0.5, c.TreatedRate, 1e-12)
	require.NotNil(t, c.Test)
	require.Nil(t, c.Test.Lift) // no holdout conversion
	require.InDelta(t, 0.5, c.Test.Diff, 1e-12)

	require.Len(t, r.Splits, 1)
	s := r.Splits[0]
	require.Equal(t, "exp", s.Node)
	require.Equal(t, "A", s.Best)
	require.Len(t, s.Arms, 2) // the holdout instance takes no arm
	require.Equal(t, abtest.Counts{Successes: 1, Trials: 1}, s.Arms[0].Counts)
	require.Equal(t, abtest.Counts{Successes: 0, Trials: 1}, s.Arms[1].Counts)
	require.Nil(t, s.Arms[0].VsBest)
	require.NotNil(t, s.Arms[1].VsBest)
	require.False(t, s.Arms[1].Underperforming) // 1 vs 1 trial is no evidence
}

func TestSplitUnderperforming(t *testing.T) {
	t.Parallel()
	s := splitReport("exp", map[string]*abtest.Counts{
		"A": {Successes: 50, Trials: 100},
		"B": {Successes: 20, Trials: 100},
		"C": {Successes: 48, Trials: 100},
	})
	require.Equal(t, "A", s.Best)
	got := map[string]ArmReport{}
	for _, a := range s.Arms {
		got[a.Arm] = a
	}
	// B: pooled 0.35, SE0 = sqrt(0.35·0.65·0.02) = 0.06745, z = 4.448, p ≈ 8.7e-6.
	require.True(t, got["B"].Underperforming)
	require.InDelta(t, 4.448, got["B"].VsBest.Z, 1e-3)
	// C: pooled 0.49, SE0 = 0.07070, z = 0.283, p ≈ 0.777.
	require.False(t, got["C"].Underperforming)
	require.InDelta(t, 0.777, got["C"].VsBest.P, 1e-3)
	require.False(t, got["A"].Underperforming)
}

func TestJourneyEmpty(t *testing.T) {
	t.Parallel()
	r := NewJourney("j1").Result(nil)
	require.Zero(t, r.Instances)
	require.Empty(t, r.Nodes)
	require.NotNil(t, r.Nodes)
	require.Nil(t, r.Conversion.Test)
	require.Empty(t, r.Splits)
}

func TestWilson(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		k, n      int64
		low, high float64
	}{
		{5, 10, 0.2366, 0.7634},
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{0, 0, 0, 0},
	} {
		got := Wilson(c.k, c.n)
		require.InDelta(t, c.low, got.Low, 1e-4, "%d/%d", c.k, c.n)
		require.InDelta(t, c.high, got.High, 1e-4, "%d/%d", c.k, c.n)
	}
}

// With several arms compared at once, a lone p just under 0.05 is what
// chance produces; Holm's adjustment keeps it from being flagged.
func TestSplitMultipleComparisons(t *testing.T) {
	t.Parallel()
	s := splitReport("exp", map[string]*abtest.Counts{
		"A": {Successes: 50, Trials: 100},
		"B": {Successes: 36, Trials: 100},
		"C": {Successes: 49, Trials: 100},
		"D": {Successes: 48, Trials: 100},
	})
	got := map[string]ArmReport{}
	for _, a := range s.Arms {
		got[a.Arm] = a
	}
	b := got["B"]
	require.Less(t, b.VsBest.P, Alpha, "raw p below 0.05")
	require.NotNil(t, b.AdjustedP)
	require.InDelta(t, 3*b.VsBest.P, *b.AdjustedP, 1e-12, "smallest of three p-values: times 3")
	require.False(t, b.Underperforming)
	require.Nil(t, got["A"].AdjustedP, "the best arm has no comparison")
	require.GreaterOrEqual(t, *got["D"].AdjustedP, *b.AdjustedP)
}
