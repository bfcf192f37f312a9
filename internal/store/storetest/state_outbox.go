package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

func outboxEvent(source, id string, n int) *event.Event {
	return &event.Event{SourceID: source, MessageID: id, Channel: "server", Type: event.Track, Name: "Segment Entered",
		Timestamp: at(n), ReceivedAt: at(n + 1), Raw: []byte(`{"type":"track","event":"Segment Entered","messageId":"` + id + `"}`)}
}

// applyOutbox applies a batch holding evs in its outbox and returns the
// batch's outbox id.
func applyOutbox(t *testing.T, s store.State, cp int64, evs []*event.Event, clear ...int64) int64 {
	t.Helper()
	pb := &store.ProcessBatch{Checkpoint: cp, Outbox: evs, OutboxClear: clear}
	mustApply(t, s, pb)
	if len(evs) > 0 {
		require.NotZero(t, pb.OutboxID, "Apply gives the outbox batch an id")
	} else {
		require.Zero(t, pb.OutboxID, "no outbox batch, no id")
	}
	return pb.OutboxID
}

func runOutbox(t *testing.T, open Opener) {
	t.Run("Apply writes a commit's events as one batch, in order", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		none, err := s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Empty(t, none)
		a, b, c := outboxEvent("cairn", "seg_b", 1), outboxEvent("cairn", "seg_a", 2), outboxEvent("other", "seg_b", 3)
		id1 := applyOutbox(t, s, 1, []*event.Event{a, b})
		applyOutbox(t, s, 2, nil)
		id2 := applyOutbox(t, s, 3, []*event.Event{c})
		require.Greater(t, id2, id1, "ids grow in the order written")
		got, err := s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []store.OutboxBatch{{ID: id1, Events: []*event.Event{a, b}}, {ID: id2, Events: []*event.Event{c}}}, got)
		first, err := s.OutboxBatches(ctx, 1)
		require.NoError(t, err)
		require.Equal(t, []store.OutboxBatch{{ID: id1, Events: []*event.Event{a, b}}}, first)
		_, err = s.OutboxBatches(ctx, 0)
		require.Error(t, err, "a limit must be positive")

		require.NoError(t, s.ClearOutbox(ctx, []int64{id1, id2 + 100}))
		got, err = s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []store.OutboxBatch{{ID: id2, Events: []*event.Event{c}}}, got, "cleared by id; unknown ids ignored")
		require.NoError(t, s.ClearOutbox(ctx, nil))

		require.NoError(t, s.Reset(ctx))
		got, err = s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []store.OutboxBatch{{ID: id2, Events: []*event.Event{c}}}, got, "Reset keeps events not yet in the log")
	})

	t.Run("Apply clears published batches with the batch", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		a, b, c := outboxEvent("cairn", "seg_a", 1), outboxEvent("cairn", "seg_b", 2), outboxEvent("other", "seg_a", 3)
		id1 := applyOutbox(t, s, 1, []*event.Event{a})
		id2 := applyOutbox(t, s, 2, []*event.Event{b})
		id3 := applyOutbox(t, s, 3, []*event.Event{c}, id1, id1+1000)
		got, err := s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []store.OutboxBatch{{ID: id2, Events: []*event.Event{b}}, {ID: id3, Events: []*event.Event{c}}}, got,
			"cleared in the batch; unknown ids ignored")

		bad := &store.ProcessBatch{Checkpoint: 4, OutboxClear: []int64{id2},
			Timers: []store.Timer{{Kind: "segment", ProfileID: "p1", Ref: "s1", FireAt: at(1), Payload: []byte("{not json")}}}
		require.Error(t, s.Apply(ctx, bad))
		got, err = s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Len(t, got, 2, "a failed Apply clears nothing")
	})

	t.Run("the epoch is drawn once, not zero, kept by Reset", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		e1, err := s.OutboxEpoch(ctx)
		require.NoError(t, err)
		require.NotZero(t, e1)
		require.NoError(t, s.Reset(ctx))
		e2, err := s.OutboxEpoch(ctx)
		require.NoError(t, err)
		require.Equal(t, e1, e2)
		_, other := open(t)
		e3, err := other.OutboxEpoch(ctx)
		require.NoError(t, err)
		require.NotEqual(t, e1, e3, "another store draws another epoch")
	})

	t.Run("the log records the outbox batch it appended", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		m, ok := l.(store.OutboxMarker)
		require.True(t, ok, "the log keeps an outbox mark")
		got, err := m.OutboxMark(ctx)
		require.NoError(t, err)
		require.Equal(t, store.OutboxMark{}, got, "none before the first")

		mark := store.OutboxMark{Epoch: 77, ID: 3}
		a, b := outboxEvent("cairn", "seg_a", 1), outboxEvent("cairn", "seg_b", 2)
		dup, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{a, b}, Outbox: mark, Fresh: true})
		require.NoError(t, err)
		require.Equal(t, []bool{false, false}, dup)
		got, err = m.OutboxMark(ctx)
		require.NoError(t, err)
		require.Equal(t, mark, got)
		read, err := l.Read(ctx, 0, 10)
		require.NoError(t, err)
		require.Len(t, read, 2, "fresh events are stored like any")
		require.Equal(t, "seg_b", read[1].MessageID)

		_, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{outboxEvent("web", "m1", 3)}})
		require.NoError(t, err)
		got, err = m.OutboxMark(ctx)
		require.NoError(t, err)
		require.Equal(t, mark, got, "an append without a batch keeps the mark")

		_, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{outboxEvent("cairn", "seg_c", 4)}, Outbox: store.OutboxMark{Epoch: 77, ID: 4}})
		require.NoError(t, err)
		got, err = m.OutboxMark(ctx)
		require.NoError(t, err)
		require.Equal(t, store.OutboxMark{Epoch: 77, ID: 4}, got)
	})

	t.Run("a failed Apply writes no outbox event", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		bad := &store.ProcessBatch{Checkpoint: 1, Outbox: []*event.Event{outboxEvent("cairn", "seg_x", 1)},
			Timers: []store.Timer{{Kind: "segment", ProfileID: "p1", Ref: "s1", FireAt: at(1), Payload: []byte("{not json")}}}
		require.Error(t, s.Apply(ctx, bad))
		got, err := s.OutboxBatches(ctx, 10)
		require.NoError(t, err)
		require.Empty(t, got)
	})
}

// LegacyOutboxEvents are events as a crash could leave them in the
// one-row-per-event outbox of migration 0011, for the backends' tests of
// migration 0012 (which moves them into one batch): bodies with escapes,
// non-ASCII text and a trailing newline, which must come back byte for byte.
func LegacyOutboxEvents() []*event.Event {
	at := time.Date(2026, 11, 26, 9, 0, 0, 123456000, time.UTC)
	return []*event.Event{
		{SourceID: "src_cairn", MessageID: "seg_b", Channel: "server", Type: event.Track, Name: "Segment Entered",
			Timestamp: at, ReceivedAt: at.Add(time.Second), Raw: []byte(`{"event":"Segment Entered","note":"caf\u00e9 \"q\""}`)},
		{SourceID: "src_cairn", MessageID: "seg_a", Channel: "server", Type: event.Track, Name: "Journey Entered",
			Timestamp: at.Add(time.Minute), ReceivedAt: at.Add(2 * time.Minute), Raw: []byte("{\"event\":\"Journey Entered\"}\n")},
	}
}
