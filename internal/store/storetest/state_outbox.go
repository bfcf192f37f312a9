package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

func outboxEvent(source, id string, n int) *event.Event {
	return &event.Event{SourceID: source, MessageID: id, Channel: "server", Type: event.Track, Name: "Segment Entered",
		Timestamp: at(n), ReceivedAt: at(n + 1), Raw: []byte(`{"type":"track","event":"Segment Entered","messageId":"` + id + `"}`)}
}

func runOutbox(t *testing.T, open Opener) {
	t.Run("Apply writes the outbox with the batch, in order, once per key", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		none, err := s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Empty(t, none)
		a, b, c := outboxEvent("cairn", "seg_b", 1), outboxEvent("cairn", "seg_a", 2), outboxEvent("other", "seg_b", 3)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Outbox: []*event.Event{a, b}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Outbox: []*event.Event{outboxEvent("cairn", "seg_a", 9), c}})
		got, err := s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{a, b, c}, got, "written order; a key already there keeps its first copy")
		first, err := s.OutboxEvents(ctx, 2)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{a, b}, first)
		_, err = s.OutboxEvents(ctx, 0)
		require.Error(t, err, "a limit must be positive")

		require.NoError(t, s.ClearOutbox(ctx, []*event.Event{a, c, outboxEvent("cairn", "seg_unknown", 4)}))
		got, err = s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{b}, got, "cleared by (source, message id); unknown keys ignored")
		require.NoError(t, s.ClearOutbox(ctx, nil))

		require.NoError(t, s.Reset(ctx))
		got, err = s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{b}, got, "Reset keeps events not yet in the log")
	})

	t.Run("Apply clears published events with the batch", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		a, b, c := outboxEvent("cairn", "seg_a", 1), outboxEvent("cairn", "seg_b", 2), outboxEvent("other", "seg_a", 3)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Outbox: []*event.Event{a, b, c}})
		d := outboxEvent("cairn", "seg_d", 4)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Outbox: []*event.Event{d},
			OutboxClear: []*event.Event{a, c, outboxEvent("cairn", "seg_unknown", 5)}})
		got, err := s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{b, d}, got, "cleared by (source, message id) in the batch; unknown keys ignored")

		bad := &store.ProcessBatch{Checkpoint: 3, OutboxClear: []*event.Event{b},
			Timers: []store.Timer{{Kind: "segment", ProfileID: "p1", Ref: "s1", FireAt: at(1), Payload: []byte("{not json")}}}
		require.Error(t, s.Apply(ctx, bad))
		got, err = s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{b, d}, got, "a failed Apply clears nothing")
	})

	t.Run("a failed Apply writes no outbox event", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		bad := &store.ProcessBatch{Checkpoint: 1, Outbox: []*event.Event{outboxEvent("cairn", "seg_x", 1)},
			Timers: []store.Timer{{Kind: "segment", ProfileID: "p1", Ref: "s1", FireAt: at(1), Payload: []byte("{not json")}}}
		require.Error(t, s.Apply(ctx, bad))
		got, err := s.OutboxEvents(ctx, 10)
		require.NoError(t, err)
		require.Empty(t, got)
	})
}
