package funnel

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/lifecycle"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// The saved drop-off segment agrees with the funnel's drop-off on every
// history: the segment evaluator and the funnel matcher are independent
// implementations of the same definition.
func TestDropoffDefinitionMatchesFunnel(t *testing.T) {
	t.Parallel()
	now := t0.Add(90 * 24 * time.Hour)
	spec := FunnelSpec{Steps: []Step{{Event: "View"}, {Event: "Add"}, {Event: "Buy"}}, Window: 24 * time.Hour, Now: now}
	histories := map[string][]segment.Event{
		"all three":          {tev("View", 0), tev("Add", 1), tev("Buy", 2)},
		"viewed only":        {tev("View", 0)},
		"added, no buy":      {tev("View", 0), tev("Add", 1)},
		"buy too late":       {tev("View", 0), tev("Add", 1), tev("Buy", 30)},
		"out of order":       {tev("Add", 0), tev("View", 1), tev("Buy", 2)},
		"second try buys":    {tev("View", 0), tev("Add", 1), tev("View", 100), tev("Add", 101), tev("Buy", 102)},
		"first try furthest": {tev("View", 0), tev("Add", 1), tev("View", 100)},
		"add too late":       {tev("View", 0), tev("Add", 25)},
		"nothing":            {tev("Other", 0)},
	}
	for _, k := range []int{2, 3} {
		def, err := spec.DropoffDefinition(k)
		require.NoError(t, err)
		f, err := NewFunnel(spec)
		require.NoError(t, err)
		for name, evs := range histories {
			f.Add(&History{ProfileID: name, Events: evs})
		}
		res, err := f.Result()
		require.NoError(t, err)
		sample := res.Steps[k-1].Dropped.Sample
		require.NotEmpty(t, sample)
		for name, evs := range histories {
			dropped := slices.Contains(sample, name)
			member, err := segment.Evaluate(def, segment.Snapshot{ProfileID: name, Events: evs}, now, nil)
			require.NoError(t, err)
			require.Equal(t, dropped, member, "step %d, %s: funnel dropped=%v, segment=%v (%s)", k, name, dropped, member, def.Text())
		}
	}
}

// tev is a track event hours after t0.
func tev(name string, hours int) segment.Event {
	return segment.Event{Type: "track", Name: name, Timestamp: t0.Add(time.Duration(hours) * time.Hour)}
}

func TestDropoffDefinitionRefused(t *testing.T) {
	t.Parallel()
	spec := FunnelSpec{Steps: []Step{{Event: "View"}, {Event: "Add"}}, Window: time.Hour}
	for _, k := range []int{0, 1, 3} {
		_, err := spec.DropoffDefinition(k)
		require.ErrorIs(t, err, ErrInvalid, "step %d", k)
	}
	spec.Order = Any
	_, err := spec.DropoffDefinition(2)
	require.ErrorIs(t, err, ErrInvalid)
	require.ErrorContains(t, err, "strict")
}

func TestBreakdownByStageAndSegment(t *testing.T) {
	t.Parallel()
	stage := func(to string, hours int) segment.Event {
		e := tev(EventStageChanged, hours)
		e.Properties = map[string]any{"to": to}
		return e
	}
	histories := map[string][]segment.Event{
		// entered as a prospect; became a customer after the funnel began
		"p1": {stage("awareness", 0), tev("View", 1), tev("Add", 2), stage("purchase", 3)},
		"p2": {stage("awareness", 0), stage("consideration", 1), tev("View", 2)},
		"p3": {tev("View", 0), tev("Add", 1)},
	}
	run := func(b Breakdown) map[string][]int {
		f, err := NewFunnel(FunnelSpec{Steps: []Step{{Event: "View"}, {Event: "Add"}}, Window: 24 * time.Hour, Breakdown: b})
		require.NoError(t, err)
		for _, id := range []string{"p1", "p2", "p3"} {
			f.Add(&History{ProfileID: id, Events: histories[id]})
		}
		res, err := f.Result()
		require.NoError(t, err)
		out := map[string][]int{}
		for _, r := range res.Breakdown {
			out[r.Value] = r.Counts
		}
		return out
	}
	require.Equal(t, map[string][]int{"awareness": {1, 1}, "consideration": {1, 0}, "(none)": {1, 1}}, run(Breakdown{By: ByStage}),
		"the stage when the funnel was entered, not the current one")
	require.Equal(t, map[string][]int{"member": {2, 1}, "not member": {1, 1}},
		run(Breakdown{By: BySegment, Segment: "s", Members: map[string]bool{"p1": true, "p2": true}}))

	need := (&FunnelSpec{Steps: []Step{{Event: "View"}}, Breakdown: Breakdown{By: ByStage}}).Need()
	require.Contains(t, need.Keep, EventStageChanged, "stage changes come from Cairn's own source")
	require.Contains(t, need.Decode, EventStageChanged)
}

// With a stage model the breakdown replays it over each history: the stage
// at entry is what the model gives over the events before the entry, so
// history loaded in bulk (no Stage Changed of its own) is broken down too.
func TestBreakdownByReplayedStage(t *testing.T) {
	t.Parallel()
	buyer, err := segment.ParseText(`performed "Buy"`)
	require.NoError(t, err)
	browser, err := segment.ParseText(`performed "View" within 2h`)
	require.NoError(t, err)
	model := &lifecycle.Model{Default: "new", Stages: []lifecycle.Stage{{Name: "customer", Def: buyer}, {Name: "browsing", Def: browser}}}
	histories := map[string][]segment.Event{
		"p1": {tev("View", 0), tev("Add", 1)},                 // entered new: nothing before the view
		"p2": {tev("View", 0), tev("View", 1), tev("Add", 2)}, // the second view is not the entry: the first is
		"p3": {tev("Buy", 0), tev("View", 5), tev("Add", 6)},  // a customer already
		"p4": {tev("View", 0), tev("View", 10)},               // enters at the first view, never adds
	}
	spec := FunnelSpec{Steps: []Step{{Event: "View"}, {Event: "Add"}}, Window: 24 * time.Hour, Breakdown: Breakdown{By: ByStage}, Stages: model}
	f, err := NewFunnel(spec)
	require.NoError(t, err)
	for _, id := range []string{"p1", "p2", "p3", "p4"} {
		f.Add(&History{ProfileID: id, Events: histories[id]})
	}
	res, err := f.Result()
	require.NoError(t, err)
	out := map[string][]int{}
	for _, r := range res.Breakdown {
		out[r.Value] = r.Counts
	}
	require.Equal(t, map[string][]int{"new": {3, 2}, "customer": {1, 1}}, out)

	need := spec.Need()
	require.Subset(t, need.Keep, []string{"Buy", "View"}, "the model's events are read")
	require.NotContains(t, need.Keep, EventStageChanged)
}
