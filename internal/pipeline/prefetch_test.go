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
