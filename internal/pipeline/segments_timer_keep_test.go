package pipeline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

// An event that leaves a profile's next change where its timer already is
// does not rewrite the timer (foldProfileTimers; a replaced row gets a new
// id); one that brings the next change earlier does, and both changes
// happen on time.
func TestSegmentTimerKeptWhenUnchanged(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "buyers", `performed "Order Completed" within 1d`)
	h.segment(t, "browsers", `performed "Product Viewed" count >= 5 within 7d`)
	h.segment(t, "carts", `performed "Cart Viewed" within 1h`)
	p := h.processor(t, 100)
	timer := func(id string) store.Timer {
		t.Helper()
		ts, err := h.state.ProfileTimers(ctx, store.TimerKindSegment, id)
		require.NoError(t, err)
		require.Len(t, ts, 1)
		return ts[0]
	}

	h.append(t, track("ann", "Order Completed", "m1", t0.Add(-time.Hour)))
	require.NoError(t, p.CatchUp(ctx))
	id := h.profileOf(t, "ann")
	first := timer(id)
	require.Equal(t, t0.Add(23*time.Hour), first.FireAt.UTC())

	// routed to browsers, which it cannot flip before the timer
	h.append(t, track("ann", "Product Viewed", "m2", t0))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, first, timer(id), "timer rewritten")

	// carts closes in an hour: the timer moves earlier
	h.append(t, track("ann", "Cart Viewed", "m3", t0))
	require.NoError(t, p.CatchUp(ctx))
	moved := timer(id)
	require.NotEqual(t, first.ID, moved.ID)
	require.Equal(t, t0.Add(time.Hour), moved.FireAt.UTC())
	require.Equal(t, []string{"buyers", "carts"}, h.segmentsOf(t, id))

	h.clk.Set(t0.Add(time.Hour))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, []string{"buyers"}, h.segmentsOf(t, id))
	h.clk.Set(t0.Add(23 * time.Hour))
	require.NoError(t, p.CatchUp(ctx))
	require.Empty(t, h.segmentsOf(t, id))
}
