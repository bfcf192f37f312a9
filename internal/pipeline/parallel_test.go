package pipeline

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
)

// A batch's profiles are evaluated on several goroutines when there are
// enough of them; what it decides must be exactly what one goroutine
// decides: memberships, computed traits and the timers of both.
func TestParallelEvaluationDecidesAsSequential(t *testing.T) {
	t.Parallel()
	const users = 600 // one batch, several workers' worth
	var evs []*event.Event
	for i := range users {
		u := fmt.Sprintf("u%03d", i)
		evs = append(evs, identifyEv(u, "i"+u, map[string]any{"plan": []string{"gold", "free", "pro"}[i%3]}, t0.Add(-48*time.Hour)))
		for j := range 1 + i%5 {
			name := []string{"Product Viewed", "Order Completed", "Cart Viewed"}[(i+j)%3]
			evs = append(evs, track(u, name, fmt.Sprintf("m%d-%d", i, j), t0.Add(-time.Duration(i%40+j)*time.Hour)))
		}
	}
	type outcome struct {
		segments map[string][]string
		traits   map[string]map[string]string
		timers   []store.Timer
		after    map[string][]string // memberships once the window timers fired
	}
	run := func(workers int) outcome {
		ctx := t.Context()
		h := newSegHarness(t)
		h.computedTrait(t, `{"name":"orders_30d","kind":"count","event":"Order Completed","window":{"within":"30d"}}`)
		for id, text := range map[string]string{
			"viewers":  `performed "Product Viewed" count >= 2 within 24h`,
			"buyers":   `performed "Order Completed" within 7d and trait plan in ["gold", "pro"]`,
			"ordering": `trait "orders_30d" gte 1`,
			"path":     `sequence "Product Viewed" then "Cart Viewed" within 2d`,
			"pricey":   `performed "Product Viewed" where price > 100 count >= 2 within 7d and trait plan != "free"`,
		} {
			h.segment(t, id, text)
		}
		p, err := New(ctx, Config{BatchSize: 10_000, Identity: identity.DefaultConfig(), EvalWorkers: workers},
			h.log, h.state, h.clk, slog.New(slog.DiscardHandler), nil)
		require.NoError(t, err)
		p.SetRecorder(h.log)
		p.SetInternalSource(internalSrc)
		h.append(t, evs...)
		require.NoError(t, p.CatchUp(ctx))
		// A second batch reaches existing profiles only: their events are
		// routed (properties decoded, trait gates read) across the workers.
		var more []*event.Event
		for i := range users {
			u := fmt.Sprintf("u%03d", i)
			for j := range 1 + i%3 {
				e := track(u, "Product Viewed", fmt.Sprintf("n%d-%d", i, j), t0.Add(-time.Duration(i%30+j)*time.Minute))
				e.Raw, _ = json.Marshal(map[string]any{"type": "track", "userId": u, "event": "Product Viewed",
					"messageId": e.MessageID, "properties": map[string]any{"price": float64(50 * (i % 4))}})
				more = append(more, e)
			}
		}
		h.append(t, more...)
		require.NoError(t, p.CatchUp(ctx))
		o := outcome{segments: map[string][]string{}, traits: map[string]map[string]string{}}
		members := 0
		userOf := map[string]string{}
		for i := range users {
			u := fmt.Sprintf("u%03d", i)
			id := h.profileOf(t, u)
			userOf[id] = u
			o.segments[u] = h.segmentsOf(t, id)
			members += len(o.segments[u])
			rows, err := h.state.ProfileTraits(ctx, id)
			require.NoError(t, err)
			o.traits[u] = map[string]string{}
			for _, r := range rows {
				o.traits[u][r.Path] = string(r.Value)
			}
		}
		require.Greater(t, members, users/2, "the segments are not trivially empty")
		timers, err := h.state.DueTimers(ctx, t0.Add(365*24*time.Hour), 10_000)
		require.NoError(t, err)
		for _, tm := range timers {
			o.timers = append(o.timers, store.Timer{Kind: tm.Kind, Ref: tm.Ref, FireAt: tm.FireAt, ProfileID: userOf[tm.ProfileID]})
		}
		// Eight days on, every window has closed: a page of
		// timers fires across the workers as well.
		h.clk.Advance(8 * 24 * time.Hour)
		require.NoError(t, p.CatchUp(ctx))
		o.after = map[string][]string{}
		left := 0
		for id, u := range userOf {
			o.after[u] = h.segmentsOf(t, id)
			left += len(o.segments[u]) - len(o.after[u])
		}
		require.Greater(t, left, users/5, "timers moved many profiles out")
		return o
	}
	seq, par := run(1), run(4)
	require.Equal(t, seq.segments, par.segments)
	require.Equal(t, seq.traits, par.traits)
	require.Greater(t, len(seq.timers), 2*parallelMin, "enough profiles with timers to fire on several workers")
	require.ElementsMatch(t, seq.timers, par.timers)
	require.Equal(t, seq.after, par.after)
}
