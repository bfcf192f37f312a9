package pipeline

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
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

// A burst of several pages fires every timer once, page by page with the
// next page's reads beside each commit, including a profile whose second
// timer (a per-segment timer of an older store, due a minute later) comes
// two pages after its first: the chunk read before the first page's
// commit is dropped there and read afresh.
func TestTimerBurstFiresPageByPage(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "s_views", `performed "Product Viewed" within 1h`)
	p := h.processor(t, 1000)
	n := 2*timerPage + timerPage/2
	h.append(t, burstTracks(n, "Product Viewed")...)
	require.NoError(t, p.CatchUp(ctx))
	twice := h.profileOf(t, "u00001")
	require.NoError(t, h.state.Apply(ctx, &store.ProcessBatch{Checkpoint: p.Checkpoint(),
		Timers: []store.Timer{{Kind: store.TimerKindSegment, ProfileID: twice, Ref: "s_views", FireAt: t0.Add(61 * time.Minute)}}}))
	size, err := h.state.CountSegmentMembers(ctx, "s_views")
	require.NoError(t, err)
	require.Equal(t, int64(n), size)

	h.clk.Set(t0.Add(2 * time.Hour))
	p = h.processor(t, 1000) // empty caches: every page is read
	require.NoError(t, p.CatchUp(ctx))
	size, err = h.state.CountSegmentMembers(ctx, "s_views")
	require.NoError(t, err)
	require.Zero(t, size)
	_, ok, err := h.state.NextTimer(ctx)
	require.NoError(t, err)
	require.False(t, ok, "every timer fired and was acknowledged")
	require.Equal(t, []string{"Product Viewed", EventSegmentEntered, EventSegmentExited}, h.timeline(t, twice))
	last := h.profileOf(t, fmt.Sprintf("u%05d", n-1))
	require.Equal(t, []string{"Product Viewed", EventSegmentEntered, EventSegmentExited}, h.timeline(t, last))
	exits, err := h.log.Read(ctx, int64(2*n), 2*n) // after the views and the entries
	require.NoError(t, err)
	require.Len(t, exits, n, "one exit per profile")
}

// burstTracks returns n events named name at t0, one for each user u00000,
// u00001, …
func burstTracks(n int, name string) []*event.Event {
	evs := make([]*event.Event, 0, n)
	for i := range n {
		evs = append(evs, track(fmt.Sprintf("u%05d", i), name, fmt.Sprintf("m%d", i), t0))
	}
	return evs
}
