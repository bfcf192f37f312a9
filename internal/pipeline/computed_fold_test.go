package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// foldTraits are computed traits of every kind the processor folds, and a
// windowed one it cannot (recomputed from histories beside the others).
var foldTraits = []string{
	`{"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue"}`,
	`{"name":"order_count","kind":"count","event":"Order Completed"}`,
	`{"name":"last_purchase_at","kind":"last","event":"Order Completed","property":"timestamp"}`,
	`{"name":"first_seen_channel","kind":"first","event":"","property":"channel"}`,
	`{"name":"preferred_channel","kind":"most_frequent","event":"","property":"channel"}`,
	`{"name":"events","kind":"count","event":""}`,
	`{"name":"big_orders","kind":"sum","event":"Order Completed","property":"revenue","where":[{"property":"revenue","op":"gt","value":50}]}`,
	`{"name":"avg_order","kind":"avg","event":"Order Completed","property":"revenue"}`,
	`{"name":"categories","kind":"unique_list","event":"Product Viewed","property":"category"}`,
	`{"name":"category_count","kind":"distinct_count","event":"Product Viewed","property":"category"}`,
	`{"name":"orders_2d","kind":"count","event":"Order Completed","window":{"within":"2d"}}`,
}

// foldStream is a random stream of customer events arriving over a few
// days: mostly in time order, some late, a few dated ahead of their
// arrival, anonymous visitors identified later (merges).
func foldStream(seed uint64, n int) []*event.Event {
	r := rand.New(rand.NewPCG(seed, 7))
	channels := []string{"web", "store", "app", "call_center"}
	var out []*event.Event
	at := t0
	for i := range n {
		at = at.Add(time.Duration(r.IntN(90)) * time.Minute)
		ts := at
		switch r.IntN(10) {
		case 0:
			ts = at.Add(-time.Duration(r.IntN(48)) * time.Hour) // late
		case 1:
			ts = at.Add(time.Duration(1+r.IntN(5)) * time.Hour) // ahead of its arrival
		}
		u := r.IntN(6)
		user := fmt.Sprintf("u%d", u)
		anon := fmt.Sprintf("a%d-%d", u, r.IntN(2)) // each visitor is one user's: merges never conflict
		msg := fmt.Sprintf("m%d", i)
		body := map[string]any{"messageId": msg}
		e := &event.Event{SourceID: "src_web", Channel: channels[r.IntN(len(channels))], MessageID: msg,
			Timestamp: ts, ReceivedAt: at}
		switch k := r.IntN(10); {
		case k < 4:
			e.Type, e.Name = event.Track, "Order Completed"
			body["properties"] = map[string]any{"revenue": float64(r.IntN(12000)) / 100}
		case k < 7:
			e.Type, e.Name = event.Track, "Product Viewed"
			body["properties"] = map[string]any{"category": []string{"tents", "boots", "packs"}[r.IntN(3)]}
		case k < 9:
			e.Type, e.Name = event.Page, "Home"
		default:
			e.Type = event.Identify // links the anonymous visitor to the user: a merge
			e.UserID, e.AnonymousID = user, anon
		}
		if e.Type != event.Identify {
			if r.IntN(3) == 0 {
				e.AnonymousID = anon
			} else {
				e.UserID = user
			}
		}
		body["type"] = string(e.Type)
		body["event"] = e.Name
		body["userId"], body["anonymousId"] = e.UserID, e.AnonymousID
		e.Raw, _ = json.Marshal(body)
		out = append(out, e)
	}
	return out
}

// computedValues is the computed traits of the profiles of users, as stored.
func computedValues(t *testing.T, h *segHarness, users ...string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, u := range users {
		id := h.profileOf(t, u)
		rows, err := h.state.ProfileTraits(t.Context(), id)
		require.NoError(t, err)
		vals := map[string]string{}
		for _, r := range rows {
			if r.Computed {
				vals[r.Path] = string(r.Value)
			}
		}
		out[u] = vals
	}
	return out
}

// checkComputed compares every user's stored computed traits with
// ComputeValue over the profile's committed history at the clock's now,
// read by a fresh processor (no cache).
func checkComputed(t *testing.T, h *segHarness, users []string, step string) {
	t.Helper()
	ctx := t.Context()
	p := h.processor(t, 1)
	now := h.clk.Now()
	for _, u := range users {
		id, err := profile.Resolve(ctx, h.state, "user_id:"+u, nil)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		require.NoError(t, err)
		evs, err := p.committedEvents(ctx, []string{id}, nil)
		require.NoError(t, err)
		stored := computedValues(t, h, u)[u]
		for _, src := range foldTraits {
			d, err := segment.ParseComputed([]byte(src))
			require.NoError(t, err)
			v, ok, err := segment.ComputeValue(d, segment.Snapshot{ProfileID: id, Events: p.eventsFor(d, evs)}, now)
			require.NoError(t, err)
			want := ""
			if ok {
				raw, err := json.Marshal(v)
				require.NoError(t, err)
				want = string(raw)
			}
			require.Equal(t, want, stored[d.Name], "%s: trait %s of %s", step, d.Name, u)
		}
	}
}

// TestComputedFoldMatchesRecompute streams random events through a
// processor in small batches — restarting it now and then, which empties
// its caches — and checks that the computed traits it keeps by folding
// equal those of a processor that computes every profile from its whole
// history in one batch. With and without a live segment (whose Segment
// Entered events the any-event traits must not count).
func TestComputedFoldMatchesRecompute(t *testing.T) {
	t.Parallel()
	for _, seg := range []bool{false, true} {
		for seed := range uint64(6) {
			t.Run(fmt.Sprintf("segment=%v/seed=%d", seg, seed), func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				evs := foldStream(seed, 160)
				setup := func() *segHarness {
					h := newSegHarness(t)
					for _, src := range foldTraits {
						h.computedTrait(t, src)
					}
					if seg {
						h.segment(t, "buyers", `trait "order_count" gte 2`)
					}
					return h
				}
				streamed, whole := setup(), setup()
				r := rand.New(rand.NewPCG(seed, 11))
				p := streamed.processor(t, 1+r.IntN(6))
				folds := 0
				users := []string{"u0", "u1", "u2", "u3", "u4", "u5"}
				for i := 0; i < len(evs); {
					k := min(len(evs), i+1+r.IntN(12))
					streamed.clk.Set(evs[k-1].ReceivedAt)
					streamed.append(t, evs[i:k]...)
					require.NoError(t, p.CatchUp(ctx))
					checkComputed(t, streamed, users, fmt.Sprintf("after event %d", k))
					i = k
					if r.IntN(8) == 0 {
						folds += int(counterValue(t, p.metrics.computedFolds))
						p = streamed.processor(t, 1+r.IntN(6)) // a restart: empty caches
					}
				}
				folds += int(counterValue(t, p.metrics.computedFolds))
				require.Positive(t, folds, "no batch folded: the test would not check folding")

				end := evs[len(evs)-1].ReceivedAt.Add(7 * 24 * time.Hour) // every event visible, every window closed
				streamed.clk.Set(end)
				require.NoError(t, p.CatchUp(ctx))
				whole.clk.Set(end)
				whole.append(t, evs...)
				require.NoError(t, whole.processor(t, len(evs)+100).CatchUp(ctx))
				require.Equal(t, computedValues(t, whole, users...), computedValues(t, streamed, users...))
			})
		}
	}
}

// TestComputedFoldSkipsHistoryReads checks what folding is for: once a
// profile's accumulators are cached, its next events read no history.
func TestComputedFoldSkipsHistoryReads(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	for _, src := range foldTraits[:5] {
		h.computedTrait(t, src)
	}
	p := h.processor(t, 100)
	order := func(msg string, at time.Time, revenue float64) *event.Event {
		e := track("u1", "Order Completed", msg, at)
		e.Raw, _ = json.Marshal(map[string]any{"type": "track", "userId": "u1", "event": "Order Completed",
			"messageId": msg, "properties": map[string]any{"revenue": revenue}})
		return e
	}
	h.append(t, order("o1", t0, 10))
	require.NoError(t, p.CatchUp(ctx))
	misses := func() float64 { return counterValue(t, p.metrics.histories.WithLabelValues("miss")) }
	before := misses()
	for i := range 5 {
		at := t0.Add(time.Duration(i+1) * time.Hour)
		h.clk.Set(at)
		h.append(t, order(fmt.Sprintf("o%d", i+2), at, 5))
		require.NoError(t, p.CatchUp(ctx))
	}
	require.Equal(t, before, misses(), "a folded profile read its history")
	require.Equal(t, 5.0, counterValue(t, p.metrics.computedFolds))
	vals := computedValues(t, h, "u1")["u1"]
	require.Equal(t, "35", vals["lifetime_revenue"])
	require.Equal(t, "6", vals["order_count"])

	// A late event cannot be folded: the traits are recomputed from the history.
	h.append(t, order("late", t0.Add(-time.Hour), 100))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, 5.0, counterValue(t, p.metrics.computedFolds), "a late event was folded")
	require.Equal(t, "135", computedValues(t, h, "u1")["u1"]["lifetime_revenue"])
}

// counterValue reads a counter's value.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	return m.GetCounter().GetValue()
}
