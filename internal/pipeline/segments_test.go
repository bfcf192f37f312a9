package pipeline

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

const internalSrc = "src_cairn"

type segHarness struct {
	log   store.Log
	state store.State
	clk   *clock.Manual
}

func newSegHarness(t *testing.T) *segHarness {
	t.Helper()
	ctx := t.Context()
	lg, st, err := sqlite.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	for _, s := range []store.Source{{ID: "src_web", Name: "web", Channel: "web"}, {ID: internalSrc, Name: "cairn", Channel: "server"}} {
		s.Party = "first"
		require.NoError(t, st.CreateSource(ctx, s))
	}
	return &segHarness{log: lg, state: st, clk: clock.NewManual(t0)}
}

// processor starts a new processor over the harness's stores (a restart).
func (h *segHarness) processor(t *testing.T, batch int) *Processor {
	t.Helper()
	p, err := New(t.Context(), Config{BatchSize: batch, Identity: identity.DefaultConfig()}, h.log, h.state, h.clk, slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	p.SetRecorder(h.log)
	p.SetInternalSource(internalSrc)
	return p
}

func (h *segHarness) segment(t *testing.T, id, text string) {
	t.Helper()
	def, err := segment.ParseText(text)
	require.NoError(t, err)
	_, err = h.state.CreateSegment(t.Context(), store.Segment{ID: id, Name: id, Definition: def.JSON(), Text: def.Text(), CreatedAt: t0})
	require.NoError(t, err)
}

// computedTrait stores a computed trait definition (its JSON form).
func (h *segHarness) computedTrait(t *testing.T, src string) {
	t.Helper()
	def, err := segment.ParseComputed([]byte(src))
	require.NoError(t, err)
	_, err = h.state.PutComputedTrait(t.Context(), store.ComputedTrait{Name: def.Name, Definition: def.JSON(), UpdatedAt: t0})
	require.NoError(t, err)
}

func (h *segHarness) append(t *testing.T, evs ...*event.Event) {
	t.Helper()
	_, err := h.log.Append(t.Context(), store.AppendBatch{Events: evs})
	require.NoError(t, err)
}

func track(user, name, msg string, at time.Time) *event.Event {
	raw, _ := json.Marshal(map[string]any{"type": "track", "userId": user, "event": name, "messageId": msg})
	return &event.Event{SourceID: "src_web", Channel: "web", MessageID: msg, Type: event.Track, UserID: user,
		Name: name, Timestamp: at, ReceivedAt: at, Raw: raw}
}

func (h *segHarness) profileOf(t *testing.T, user string) string {
	t.Helper()
	id, err := profile.Resolve(t.Context(), h.state, "user_id:"+user, nil)
	require.NoError(t, err)
	return id
}

func (h *segHarness) segmentsOf(t *testing.T, profileID string) []string {
	t.Helper()
	rows, err := h.state.ProfileSegments(t.Context(), profileID)
	require.NoError(t, err)
	var out []string
	for _, r := range rows {
		out = append(out, r.SegmentID)
	}
	return out
}

// timeline lists the event names of a profile's timeline, oldest first.
func (h *segHarness) timeline(t *testing.T, profileID string) []string {
	t.Helper()
	rows, err := h.state.Timeline(t.Context(), store.TimelineQuery{ProfileIDs: []string{profileID}, Limit: 100})
	require.NoError(t, err)
	var out []string
	for i := len(rows) - 1; i >= 0; i-- {
		out = append(out, rows[i].Event)
	}
	return out
}

func TestSegmentsLiveAcrossRestart(t *testing.T) {
	t.Parallel()
	for _, batch := range []int{1, 1000} {
		t.Run(map[int]string{1: "batch=1", 1000: "batch=1000"}[batch], func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			h := newSegHarness(t)
			h.segment(t, "seg_recent", `performed "Order Completed" within 1h`)
			p := h.processor(t, batch)
			h.append(t, track("u-1", "Order Completed", "m-1", t0), track("u-2", "Product Viewed", "m-2", t0))
			require.NoError(t, p.CatchUp(ctx))

			u1, u2 := h.profileOf(t, "u-1"), h.profileOf(t, "u-2")
			require.Equal(t, []string{"seg_recent"}, h.segmentsOf(t, u1))
			require.Empty(t, h.segmentsOf(t, u2))
			require.Equal(t, []string{"Order Completed", EventSegmentEntered}, h.timeline(t, u1))
			next, ok, err := h.state.NextTimer(ctx)
			require.NoError(t, err)
			require.True(t, ok)
			require.Equal(t, t0.Add(time.Hour), next.UTC())
			v, err := profile.Load(ctx, h.state, u1)
			require.NoError(t, err)
			require.Equal(t, int64(1), v.EventCount, "a segment event is no touchpoint")
			require.Equal(t, []string{"src_web"}, v.Sources)

			// Restart: a new processor finds the timer in the store.
			h.clk.Advance(59 * time.Minute)
			p = h.processor(t, batch)
			require.NoError(t, p.CatchUp(ctx))
			require.Equal(t, []string{"seg_recent"}, h.segmentsOf(t, u1), "not due yet")
			h.clk.Advance(2 * time.Minute)
			p = h.processor(t, batch)
			require.NoError(t, p.CatchUp(ctx))
			require.Empty(t, h.segmentsOf(t, u1))
			require.Equal(t, []string{"Order Completed", EventSegmentEntered, EventSegmentExited}, h.timeline(t, u1))
			_, ok, err = h.state.NextTimer(ctx)
			require.NoError(t, err)
			require.False(t, ok, "the fired timer was acknowledged")

			exited, err := h.log.Read(ctx, 3, 10)
			require.NoError(t, err)
			require.Len(t, exited, 1)
			var body struct {
				Properties internalProps `json:"properties"`
			}
			require.NoError(t, json.Unmarshal(exited[0].Raw, &body))
			require.Equal(t, internalProps{ProfileID: u1, SegmentID: "seg_recent", Version: 1, Reason: segment.ReasonTimer,
				At: t0.Add(time.Hour)}, body.Properties)
			require.Equal(t, segment.TransitionMessageID("seg_recent", 1, u1, false, t0.Add(time.Hour)), exited[0].MessageID)

			// A rebuild replays the log: same outcome, and the re-emitted
			// transitions are deduplicated by their message ids.
			before, err := h.log.Stats(ctx)
			require.NoError(t, err)
			require.NoError(t, h.state.Reset(ctx))
			require.NoError(t, p.Reset(ctx))
			require.NoError(t, p.CatchUp(ctx))
			after, err := h.log.Stats(ctx)
			require.NoError(t, err)
			require.Equal(t, before.Head, after.Head)
			require.Empty(t, h.segmentsOf(t, h.profileOf(t, "u-1")))

			// A segment created after the events is backfilled.
			h.segment(t, "seg_viewers", `performed "Product Viewed"`)
			require.NoError(t, p.reloadSegments(ctx, "seg_viewers"))
			require.NoError(t, p.CatchUp(ctx))
			require.Equal(t, []string{"seg_viewers"}, h.segmentsOf(t, u2))
			require.Equal(t, []string{"Product Viewed", EventSegmentEntered}, h.timeline(t, u2))
			require.True(t, p.SegmentLive("seg_viewers"))
			require.False(t, p.SegmentLive("seg_nope"))
		})
	}
}

func TestSegmentsFollowMerges(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "seg_both", `performed "A" and performed "B"`)
	p := h.processor(t, 1000)
	anon := func(a, name, msg string) *event.Event {
		e := track("", name, msg, t0)
		e.UserID, e.AnonymousID = "", a
		e.Raw, _ = json.Marshal(map[string]any{"type": "track", "anonymousId": a, "event": name, "messageId": msg})
		return e
	}
	h.append(t, anon("a-1", "A", "m-1"), track("u-1", "B", "m-2", t0))
	require.NoError(t, p.CatchUp(ctx))
	u1 := h.profileOf(t, "u-1")
	require.Empty(t, h.segmentsOf(t, u1))
	// an identify linking both merges them: the survivor has A and B
	raw, _ := json.Marshal(map[string]any{"type": "identify", "anonymousId": "a-1", "userId": "u-1", "messageId": "m-3"})
	h.append(t, &event.Event{SourceID: "src_web", Channel: "web", MessageID: "m-3", Type: event.Identify, UserID: "u-1",
		AnonymousID: "a-1", Timestamp: t0.Add(time.Minute), ReceivedAt: t0.Add(time.Minute), Raw: raw})
	require.NoError(t, p.CatchUp(ctx))
	survivor := h.profileOf(t, "u-1")
	require.Equal(t, []string{"seg_both"}, h.segmentsOf(t, survivor))
	require.Contains(t, h.timeline(t, survivor), EventSegmentEntered)

	// A later batch reads the survivor's history from the store, the
	// merged-away profile's events included (the merge re-pointed them).
	h.segment(t, "seg_a_twice", `performed "A" count >= 2`)
	require.NoError(t, p.reloadSegments(ctx, "seg_a_twice"))
	require.NoError(t, p.CatchUp(ctx))
	p.cache.reset()
	h.append(t, track("u-1", "A", "m-4", t0.Add(2*time.Minute)))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, []string{"seg_a_twice", "seg_both"}, h.segmentsOf(t, survivor))
}

// TestOneSegmentTimerPerProfile: a profile keeps one segment timer, at the
// earliest boundary of its segments, rewritten only when it moves earlier
// or fires; an early fire re-evaluates everything and sets the exact next
// boundary; a per-segment timer left by an older store still fires.
func TestOneSegmentTimerPerProfile(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "a", `performed "A" within 1h`)
	h.segment(t, "b", `performed "A" within 3h`)
	h.segment(t, "c", `performed "B" within 2h`)
	p := h.processor(t, 1000)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	step := func(d time.Duration, evs ...*event.Event) {
		t.Helper()
		h.clk.Set(at(d))
		if len(evs) > 0 {
			h.append(t, evs...)
		}
		require.NoError(t, p.CatchUp(ctx))
	}
	timers := func(u string) []store.Timer {
		t.Helper()
		got, err := h.state.ProfileTimers(ctx, store.TimerKindSegment, u)
		require.NoError(t, err)
		return got
	}
	requireTimer := func(u string, want time.Time) int64 {
		t.Helper()
		got := timers(u)
		require.Len(t, got, 1, "one segment timer per profile")
		require.Equal(t, profileTimerRef, got[0].Ref)
		require.Equal(t, want, got[0].FireAt.UTC())
		return got[0].ID
	}

	step(0, track("u-1", "A", "m-1", at(0)))
	u1 := h.profileOf(t, "u-1")
	require.Equal(t, []string{"a", "b"}, h.segmentsOf(t, u1))
	id := requireTimer(u1, at(time.Hour))

	step(30*time.Minute, track("u-1", "A", "m-2", at(30*time.Minute)))
	require.Equal(t, id, requireTimer(u1, at(time.Hour)), "an earlier pending timer is not rewritten")

	step(time.Hour)
	require.Equal(t, []string{"a", "b"}, h.segmentsOf(t, u1), "the early fire changes nothing")
	requireTimer(u1, at(90*time.Minute))

	step(90 * time.Minute)
	require.Equal(t, []string{"b"}, h.segmentsOf(t, u1))
	requireTimer(u1, at(210*time.Minute))

	step(100*time.Minute, track("u-1", "B", "m-3", at(100*time.Minute)))
	require.Equal(t, []string{"b", "c"}, h.segmentsOf(t, u1))
	requireTimer(u1, at(210*time.Minute))

	step(210 * time.Minute)
	require.Equal(t, []string{"c"}, h.segmentsOf(t, u1))
	requireTimer(u1, at(220*time.Minute))
	step(220 * time.Minute)
	require.Empty(t, h.segmentsOf(t, u1))
	require.Empty(t, timers(u1))

	// A store written before profile timers holds one timer per segment.
	step(4*time.Hour, track("u-1", "A", "m-4", at(4*time.Hour)))
	require.Equal(t, []string{"a", "b"}, h.segmentsOf(t, u1))
	require.NoError(t, h.state.Apply(ctx, &store.ProcessBatch{Checkpoint: p.Checkpoint(),
		TimerDeletes: []store.Timer{{Kind: store.TimerKindSegment, ProfileID: u1, Ref: profileTimerRef}},
		Timers: []store.Timer{{Kind: store.TimerKindSegment, ProfileID: u1, Ref: "a", FireAt: at(5 * time.Hour)},
			{Kind: store.TimerKindSegment, ProfileID: u1, Ref: "b", FireAt: at(7 * time.Hour)}}}))
	p = h.processor(t, 1000) // a restart, as after an upgrade
	step(5 * time.Hour)
	require.Equal(t, []string{"b"}, h.segmentsOf(t, u1))
	got := timers(u1)
	require.Len(t, got, 1, "a fired and left no boundary; b's own timer stays")
	require.Equal(t, "b", got[0].Ref)
	step(7 * time.Hour)
	require.Empty(t, h.segmentsOf(t, u1))
	require.Empty(t, timers(u1))
}

// TestCachedHistoriesMatchTheStore: after batches that evaluate some
// profiles and only attach the processor's own events to others, with late
// events and equal times among them, every cached history is what a fresh
// read of the profile's timeline gives, in event-time order.
func TestCachedHistoriesMatchTheStore(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" count >= 2 within 1h`)
	p := h.processor(t, 3)
	for i := range 24 {
		at := t0.Add(time.Duration(i) * time.Minute)
		h.clk.Set(at)
		e := track(fmt.Sprintf("u-%d", i%3), "Product Viewed", fmt.Sprintf("m-%d", i), at)
		switch i % 4 {
		case 1: // late: before events already processed
			e.Timestamp = at.Add(-20 * time.Minute)
		case 2: // the same time as an earlier event of the profile
			e.Timestamp = t0
		}
		h.append(t, e)
		require.NoError(t, p.CatchUp(ctx))
	}
	checked := 0
	for i := range 3 {
		id := h.profileOf(t, fmt.Sprintf("u-%d", i))
		cached, ok := p.cache.events.peek(id)
		if !ok {
			continue
		}
		fresh, err := p.committedEvents(ctx, []string{id}, nil)
		require.NoError(t, err)
		require.Equal(t, decodedEvents(fresh), decodedEvents(cached), "profile %s", id)
		require.True(t, slices.IsSortedFunc(cached, byEventTime), "profile %s: cached history in time order", id)
		require.Contains(t, h.timeline(t, id), EventSegmentEntered)
		checked++
	}
	require.Positive(t, checked)
}

// decodedEvents are evs with their lazily decoded bodies read, comparable
// whether or not a condition has decoded them yet.
func decodedEvents(evs []segment.Event) []segment.Event {
	out := make([]segment.Event, len(evs))
	for i := range evs {
		e := &evs[i]
		out[i] = segment.Event{Type: e.Type, Name: e.Name, Timestamp: e.Timestamp, Channel: e.Channel, Source: e.Source,
			Properties: e.Props(), Context: e.Ctx()}
	}
	return out
}

// TestHistoryMissReadsBodiesOnDemand: a history rebuilt from the store after
// the cache lost it evaluates property filters on its older events, whose
// bodies are read from the log only then.
func TestHistoryMissReadsBodiesOnDemand(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "big_spenders", `aggregate sum revenue of "Order Completed" within 30d >= 300`)
	p := h.processor(t, 1000)
	order := func(msg string, revenue float64, at time.Time) *event.Event {
		e := track("u-1", "Order Completed", msg, at)
		e.Raw, _ = json.Marshal(map[string]any{"type": "track", "userId": "u-1", "event": "Order Completed", "messageId": msg,
			"properties": map[string]any{"revenue": revenue}})
		return e
	}
	h.append(t, order("m-1", 150, t0), order("m-2", 100, t0.Add(time.Minute)))
	require.NoError(t, p.CatchUp(ctx))
	u1 := h.profileOf(t, "u-1")
	require.Empty(t, h.segmentsOf(t, u1), "250 so far")
	p.cache.reset()
	h.append(t, order("m-3", 60, t0.Add(2*time.Minute)))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, []string{"big_spenders"}, h.segmentsOf(t, u1), "150 + 100 read back from the log, + 60")
}

// TestPrefetchHistories: histories read for many profiles in one query are
// the ones read one profile at a time, and a profile with no events gets an
// empty history.
func TestPrefetchHistories(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	p := h.processor(t, 1000)
	for i := range 9 {
		h.append(t, track(fmt.Sprintf("u-%d", i%3), "Product Viewed", fmt.Sprintf("m-%d", i), t0.Add(time.Duration(i)*time.Minute)))
	}
	require.NoError(t, p.CatchUp(ctx))
	ids := []string{h.profileOf(t, "u-0"), h.profileOf(t, "u-1"), h.profileOf(t, "u-2"), "p_nobody"}
	p.cache.reset()
	require.NoError(t, p.prefetchHistories(ctx, append(ids, ids[0])))
	for _, id := range ids {
		cached, ok := p.cache.events.peek(id)
		require.True(t, ok, id)
		fresh, err := p.committedEvents(ctx, []string{id}, nil)
		require.NoError(t, err)
		require.Equal(t, decodedEvents(fresh), decodedEvents(cached), id)
		if id != "p_nobody" {
			require.Len(t, cached, 3, id)
		}
	}
}
