package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// downRecorder is a log the processor cannot append its own events to, as
// when the process dies between committing a batch and appending them.
type downRecorder struct{ Recorder }

func (downRecorder) Append(context.Context, store.AppendBatch) ([]bool, error) {
	return nil, errors.New("the process died here")
}

// outboxEvents is the events the outbox holds, batch after batch.
func (h *segHarness) outboxEvents(t *testing.T) []*event.Event {
	t.Helper()
	batches, err := h.state.OutboxBatches(t.Context(), 100)
	require.NoError(t, err)
	var out []*event.Event
	for _, b := range batches {
		out = append(out, b.Events...)
	}
	return out
}

// loggedEvents counts the log's events of each name.
func (h *segHarness) loggedEvents(t *testing.T) map[string]int {
	t.Helper()
	evs, err := h.log.Read(t.Context(), 0, 1000)
	require.NoError(t, err)
	out := map[string]int{}
	for _, e := range evs {
		out[e.Name]++
	}
	return out
}

// TestOutboxSurvivesACrashBeforeTheAppend: a segment entry committed with
// its batch but never appended to the log (the process died in between)
// is appended when the processor next runs, exactly once, reaches the
// profile's timeline, and a copy that did reach the log before the crash
// is not appended twice.
func TestOutboxSurvivesACrashBeforeTheAppend(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" within 1h`)

	crashed := h.processor(t, 100)
	crashed.SetRecorder(downRecorder{h.log})
	h.append(t, track("u1", "Product Viewed", "m1", t0))
	// The batch commits, the append fails, and the next step stops at the
	// outbox it cannot drain (Run would retry with a backoff).
	require.ErrorContains(t, crashed.CatchUp(ctx), "append 1 outbox events")
	u1 := h.profileOf(t, "u1")
	require.Equal(t, []string{"viewed"}, h.segmentsOf(t, u1), "the membership committed")
	require.Zero(t, h.loggedEvents(t)[EventSegmentEntered], "its event never reached the log")
	left := h.outboxEvents(t)
	require.Len(t, left, 1)
	require.Equal(t, EventSegmentEntered, left[0].Name)

	restarted := h.processor(t, 100)
	var told []string
	restarted.SetTransitionHook(func(id string) { told = append(told, id) })
	require.NoError(t, restarted.CatchUp(ctx))
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentEntered], "appended at the restart")
	require.Equal(t, []string{"viewed"}, told, "the hook hears of the late transition (audience exports)")
	require.Contains(t, h.timeline(t, u1), EventSegmentEntered)
	require.Empty(t, h.outboxEvents(t), "cleared once in the log")

	// A crash after the append but before the clear leaves a copy of an
	// event the log has: the next start appends it again and the log's
	// dedupe drops it.
	require.NoError(t, h.state.Apply(ctx, &store.ProcessBatch{Checkpoint: restarted.Checkpoint(), Outbox: left0(t, h)}))
	again := h.processor(t, 100)
	require.NoError(t, again.CatchUp(ctx))
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentEntered], "deduplicated, not appended twice")

	// The exit an hour later goes through the outbox and is cleared.
	h.clk.Set(t0.Add(time.Hour))
	require.NoError(t, again.CatchUp(ctx))
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentExited])
	require.Empty(t, h.outboxEvents(t))
}

// left0 is the Segment Entered event as the log holds it.
func left0(t *testing.T, h *segHarness) []*event.Event {
	t.Helper()
	evs, err := h.log.Read(t.Context(), 0, 1000)
	require.NoError(t, err)
	for _, e := range evs {
		if e.Name == EventSegmentEntered {
			return []*event.Event{e}
		}
	}
	t.Fatal("no Segment Entered in the log")
	return nil
}

// TestEnvelopeIsTheMapEncoding: the struct body encodes exactly as the map
// it replaced, so events written before and after compare equal.
func TestEnvelopeIsTheMapEncoding(t *testing.T) {
	t.Parallel()
	at := t0.Add(1500 * time.Millisecond)
	props := internalProps{ProfileID: "p_1", SegmentID: "s", Version: 2, Reason: "event", At: at}
	want, err := json.Marshal(map[string]any{
		"type": "track", "event": EventSegmentEntered, "messageId": "seg_1",
		"timestamp": at, "receivedAt": t0, "properties": props,
		"context": map[string]any{"library": map[string]any{"name": "cairn"}},
	})
	require.NoError(t, err)
	p := &Processor{internalSource: internalSrc}
	var o outgoing
	o.add(p, EventSegmentEntered, "seg_1", at, t0, props)
	require.Len(t, o.events, 1)
	require.Equal(t, string(want), string(o.events[0].Raw))
}

// TestPublishedEventsClearWithTheNextBatch: a published event stays in the
// outbox until the next batch's transaction deletes it (no transaction of
// its own per publish), and the processor clears the rest before it idles.
func TestPublishedEventsClearWithTheNextBatch(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" within 1h`)
	p := h.processor(t, 100)
	outbox := func() []string {
		t.Helper()
		var names []string
		for _, e := range h.outboxEvents(t) {
			names = append(names, e.Name)
		}
		return names
	}

	h.append(t, track("u1", "Product Viewed", "m1", t0))
	n, err := p.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentEntered], "published")
	require.Equal(t, []string{EventSegmentEntered}, outbox(), "not cleared yet")

	h.append(t, track("u2", "Product Viewed", "m2", t0))
	_, err = p.Step(ctx) // reads the Segment Entered of u1 and the view of u2
	require.NoError(t, err)
	require.Equal(t, 2, h.loggedEvents(t)[EventSegmentEntered])
	require.Equal(t, []string{EventSegmentEntered}, outbox(), "u1's cleared by this batch; u2's waits for the next")

	require.NoError(t, p.CatchUp(ctx))
	require.Empty(t, outbox(), "cleared before idling")
}
