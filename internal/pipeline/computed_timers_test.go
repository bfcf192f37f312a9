package pipeline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A windowed computed trait changes when an event leaves its window, with
// no new event: its timer recomputes it and the segments reading it follow.
func TestWindowedComputedTraitExpires(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.computedTrait(t, `{"name":"orders_30d","kind":"count","event":"Order Completed","window":{"within":"30d"}}`)
	h.segment(t, "recent", `trait "orders_30d" gte 1`)
	p := h.processor(t, 100)
	h.append(t, track("u1", "Order Completed", "o1", t0), track("u1", "Order Completed", "o2", t0.Add(10*24*time.Hour)))
	require.NoError(t, p.CatchUp(ctx))
	id := h.profileOf(t, "u1")
	trait := func() string {
		rows, err := h.state.ProfileTraits(ctx, id)
		require.NoError(t, err)
		for _, r := range rows {
			if r.Path == "orders_30d" {
				return string(r.Value)
			}
		}
		return ""
	}
	require.Equal(t, "2", trait())
	require.Equal(t, []string{"recent"}, h.segmentsOf(t, id))

	h.clk.Set(t0.Add(30*24*time.Hour + time.Second)) // the first order leaves the window
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, "1", trait())
	require.Equal(t, []string{"recent"}, h.segmentsOf(t, id))

	h.clk.Set(t0.Add(40*24*time.Hour + time.Second)) // the second one too
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, "", trait(), "no order in the window: the trait is absent")
	require.Empty(t, h.segmentsOf(t, id), "the segment reading it was left")
	next, ok, err := h.state.NextTimer(ctx)
	require.NoError(t, err)
	require.False(t, ok, "nothing left to expire (got %v)", next)
}
