package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// countingState counts the processor's one-profile reads.
type countingState struct {
	State
	profiles, traits atomic.Int64
}

func (c *countingState) GetProfile(ctx context.Context, id string) (store.Profile, error) {
	c.profiles.Add(1)
	return c.State.GetProfile(ctx, id)
}

func (c *countingState) ProfileTraits(ctx context.Context, id string) ([]store.Trait, error) {
	c.traits.Add(1)
	return c.State.ProfileTraits(ctx, id)
}

// TestBatchReadsKnownProfilesAhead: a batch over customers the processor
// has not cached (here: a restart) reads their profiles and traits a page
// at a time, not one query per customer, and decides as before.
func TestBatchReadsKnownProfilesAhead(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.computedTrait(t, `{"name":"views","kind":"count","event":"Product Viewed"}`)
	var first []*event.Event
	for i := range 50 {
		u := fmt.Sprintf("u%d", i)
		first = append(first, identifyEv(u, "id-"+u, map[string]any{"plan": "gold"}, t0), track(u, "Product Viewed", "v1-"+u, t0))
	}
	h.append(t, first...)
	require.NoError(t, h.processor(t, 1000).CatchUp(ctx))

	counting := &countingState{State: h.state}
	p, err := New(ctx, Config{BatchSize: 1000, Identity: identity.DefaultConfig()}, h.log, counting, h.clk, slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	var second []*event.Event
	for i := range 50 {
		u := fmt.Sprintf("u%d", i)
		second = append(second, track(u, "Product Viewed", "v2-"+u, t0.Add(time.Minute)),
			identifyEv(u, "id2-"+u, map[string]any{"plan": "silver"}, t0.Add(time.Minute)))
	}
	h.append(t, second...)
	require.NoError(t, p.CatchUp(ctx))
	require.Zero(t, counting.profiles.Load(), "profiles read one by one")
	require.Zero(t, counting.traits.Load(), "traits read one by one")

	for _, u := range []string{"u0", "u49"} {
		traits, err := h.state.ProfileTraits(ctx, h.profileOf(t, u))
		require.NoError(t, err)
		got := map[string]string{}
		for _, tr := range traits {
			got[tr.Path] = string(tr.Value)
		}
		require.Equal(t, `"silver"`, got["plan"], u)
		require.Equal(t, "2", got["views"], u)
	}
	pr, err := h.state.GetProfile(ctx, h.profileOf(t, "u7"))
	require.NoError(t, err)
	require.EqualValues(t, 4, pr.EventCount)
}

// applyRecorder notes the profiles each Apply writes.
type applyRecorder struct {
	State
	written [][]string
}

func (a *applyRecorder) Apply(ctx context.Context, pb *store.ProcessBatch) error {
	var ids []string
	for _, pr := range pb.Profiles {
		ids = append(ids, pr.ID)
	}
	a.written = append(a.written, ids)
	return a.State.Apply(ctx, pb)
}

// TestOnlyChangedProfilesAreWritten: a batch of the processor's own events
// (here the Segment Exited of a closing window) reads each customer's
// profile to attach the event but changes nothing in it, so it writes no
// profile row; a touchpoint still writes its customer's.
func TestOnlyChangedProfilesAreWritten(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" within 1h`)
	h.append(t, track("u1", "Product Viewed", "m1", t0), track("u2", "Product Viewed", "m2", t0))
	require.NoError(t, h.processor(t, 100).CatchUp(ctx))

	rec := &applyRecorder{State: h.state}
	p, err := New(ctx, Config{BatchSize: 100, Identity: identity.DefaultConfig()}, h.log, rec, h.clk, slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	p.SetRecorder(h.log)
	p.SetInternalSource(internalSrc)
	h.clk.Set(t0.Add(2 * time.Hour)) // both windows close
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, 2, h.loggedEvents(t)[EventSegmentExited])
	for _, ids := range rec.written {
		require.Empty(t, ids, "a profile rewritten unchanged")
	}
	require.Contains(t, h.timeline(t, h.profileOf(t, "u1")), EventSegmentExited, "the exit is on the timeline all the same")

	rec.written = nil
	h.append(t, track("u1", "Product Viewed", "m3", t0.Add(2*time.Hour)))
	require.NoError(t, p.CatchUp(ctx))
	var all []string
	for _, ids := range rec.written {
		all = append(all, ids...)
	}
	require.Contains(t, all, h.profileOf(t, "u1"), "a touchpoint changes its profile")
	require.NotContains(t, all, h.profileOf(t, "u2"))
	pr, err := h.state.GetProfile(ctx, h.profileOf(t, "u1"))
	require.NoError(t, err)
	require.Equal(t, int64(2), pr.EventCount)
}
