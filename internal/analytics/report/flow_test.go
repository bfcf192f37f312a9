package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

const day = 24

func stageChange(from, to string, hours int) segment.Event {
	return ev(EventStageChanged, hours, map[string]any{"from": from, "to": to})
}

func flowHistories() []*funnel.History {
	return []*funnel.History{
		hist("c1", stageChange("new", "active", 1*day), stageChange("active", "at_risk", 9*day)),
		hist("c2", stageChange("new", "active", 10*day)),
		hist("c3", ev("Order Completed", 1, nil)),
	}
}

func TestFlow(t *testing.T) {
	t.Parallel()
	w1, w2 := w0.AddDate(0, 0, 7), w0.AddDate(0, 0, 14)
	f, err := NewFlow(FlowSpec{Period: Week})
	require.NoError(t, err)
	for _, h := range flowHistories() {
		f.Add(h)
	}
	r, err := f.Result()
	require.NoError(t, err)

	require.Equal(t, []FlowPeriod{
		{Start: w0, End: w1, Changes: 1, Transitions: []Transition{{"new", "active", 1}}},
		{Start: w1, End: w2, Changes: 2, Transitions: []Transition{{"active", "at_risk", 1}, {"new", "active", 1}}},
	}, r.Periods)
	require.Equal(t, []SankeyLink{
		{Source: "0:new", Target: "1:active", Value: 1},     // c1 in week 0
		{Source: "1:active", Target: "2:at_risk", Value: 1}, // c1 in week 1
		{Source: "1:new", Target: "2:active", Value: 1},     // c2 appears in week 1
	}, r.Sankey.Links)
	var nodes []string
	for _, n := range r.Sankey.Nodes {
		nodes = append(nodes, n.ID)
		require.Equal(t, int64(1), n.Count, n.ID)
	}
	require.Equal(t, []string{"0:new", "1:active", "1:new", "2:active", "2:at_risk"}, nodes)
	require.Equal(t, w1, r.Sankey.Nodes[1].At)
}

func TestFlowRange(t *testing.T) {
	t.Parallel()
	w1, w2 := w0.AddDate(0, 0, 7), w0.AddDate(0, 0, 14)
	f, err := NewFlow(FlowSpec{Period: Week, Since: w1, Until: w2})
	require.NoError(t, err)
	for _, h := range flowHistories() {
		f.Add(h)
	}
	r, err := f.Result()
	require.NoError(t, err)
	require.Len(t, r.Periods, 1)
	require.Equal(t, int64(2), r.Periods[0].Changes)
	require.Equal(t, []SankeyLink{
		{Source: "0:active", Target: "1:at_risk", Value: 1}, // c1 entered the range as active
		{Source: "0:new", Target: "1:active", Value: 1},
	}, r.Sankey.Links)
	// a stayer: c1 after its last change, in week 2
	f, err = NewFlow(FlowSpec{Period: Week, Since: w2, Until: w2.AddDate(0, 0, 7)})
	require.NoError(t, err)
	for _, h := range flowHistories() {
		f.Add(h)
	}
	r, err = f.Result()
	require.NoError(t, err)
	require.Equal(t, int64(0), r.Periods[0].Changes)
	require.Equal(t, []SankeyLink{
		{Source: "0:active", Target: "1:active", Value: 1},
		{Source: "0:at_risk", Target: "1:at_risk", Value: 1},
	}, r.Sankey.Links)
}

func TestFlowInvalidAndEmpty(t *testing.T) {
	t.Parallel()
	_, err := NewFlow(FlowSpec{Period: "year"})
	require.ErrorIs(t, err, ErrInvalid)
	_, err = NewFlow(FlowSpec{Period: Day, Since: w0, Until: w0})
	require.ErrorIs(t, err, ErrInvalid)
	f, err := NewFlow(FlowSpec{Period: Day, Since: w0, Until: w0.AddDate(5, 0, 0)})
	require.NoError(t, err)
	_, err = f.Result()
	require.ErrorIs(t, err, ErrInvalid) // more than MaxPeriods days

	f, err = NewFlow(FlowSpec{Period: Month})
	require.NoError(t, err)
	r, err := f.Result()
	require.NoError(t, err)
	require.Empty(t, r.Periods)
	require.NotNil(t, r.Sankey.Links)
}

func TestPeriodFloor(t *testing.T) {
	t.Parallel()
	sun := time.Date(2026, 11, 8, 23, 0, 0, 0, time.UTC)
	require.Equal(t, w0, Week.Floor(sun))
	require.Equal(t, time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC), Day.Floor(sun))
	require.Equal(t, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Month.Floor(sun))
	require.Equal(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Month.Next(Month.Floor(sun)))
}
