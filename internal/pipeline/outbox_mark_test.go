package pipeline

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// flakyRecorder fails its first fails appends, then appends to the log; it
// keeps the log's outbox mark.
type flakyRecorder struct {
	log   store.Log
	fails int
}

func (f *flakyRecorder) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	if f.fails > 0 {
		f.fails--
		return nil, errors.New("the log refused the append")
	}
	return f.log.Append(ctx, b)
}

func (f *flakyRecorder) Erase(ctx context.Context, seqs []int64, needles []string) (int, error) {
	return f.log.Erase(ctx, seqs, needles)
}

func (f *flakyRecorder) OutboxMark(ctx context.Context) (store.OutboxMark, error) {
	return f.log.(store.OutboxMarker).OutboxMark(ctx)
}

// countMessage is how many events of the log carry message id id.
func countMessage(t *testing.T, h *segHarness, id string) int {
	t.Helper()
	evs, err := h.log.Read(t.Context(), 0, 1000)
	require.NoError(t, err)
	n := 0
	for _, e := range evs {
		if e.MessageID == id {
			n++
		}
	}
	return n
}

// probe is a copy of the logged Segment Entered under another message id:
// an event of the processor's own to leave in the outbox.
func probe(t *testing.T, h *segHarness, id string) *event.Event {
	t.Helper()
	e := *left0(t, h)[0]
	e.Raw = bytes.Replace(e.Raw, []byte(e.MessageID), []byte(id), 1)
	e.MessageID, e.Seq = id, 0
	return &e
}

// TestOutboxMarkSkipsAppendedBatches: the processor publishes its events
// without dedupe records, recording the outbox batch in the log's
// transaction; after a crash between the append and the clear the mark
// shows the batch is in the log, so the restart clears it without a second
// copy, while a batch the crash kept from the log is appended once.
func TestOutboxMarkSkipsAppendedBatches(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" within 1h`)
	p := h.processor(t, 100)
	h.append(t, track("u1", "Product Viewed", "m1", t0))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentEntered])
	epoch, err := h.state.OutboxEpoch(ctx)
	require.NoError(t, err)
	mark, err := h.log.(store.OutboxMarker).OutboxMark(ctx)
	require.NoError(t, err)
	require.Equal(t, epoch, mark.Epoch, "the publish recorded its batch")
	require.NotZero(t, mark.ID)

	// A crash after the append of batch "appended" but before its clear,
	// and before the publish of batch "kept".
	appended, kept := probe(t, h, "seg_appended"), probe(t, h, "seg_kept")
	pb := &store.ProcessBatch{Checkpoint: p.Checkpoint(), Outbox: []*event.Event{appended}}
	require.NoError(t, h.state.Apply(ctx, pb))
	_, err = h.log.Append(ctx, store.AppendBatch{Events: []*event.Event{appended}, Outbox: store.OutboxMark{Epoch: epoch, ID: pb.OutboxID}, Fresh: true})
	require.NoError(t, err)
	require.NoError(t, h.state.Apply(ctx, &store.ProcessBatch{Checkpoint: p.Checkpoint(), Outbox: []*event.Event{kept}}))

	restarted := h.processor(t, 100)
	require.NoError(t, restarted.CatchUp(ctx))
	require.Equal(t, 1, countMessage(t, h, "seg_appended"), "the mark showed it appended: not appended again")
	require.Equal(t, 1, countMessage(t, h, "seg_kept"), "appended at the restart, once")
	require.Empty(t, h.outboxEvents(t))

	// A mark of another epoch (a state store created since) tells nothing:
	// the left batch goes through the log's dedupe.
	_, err = h.log.Append(ctx, store.AppendBatch{Events: []*event.Event{probe(t, h, "seg_other")}, Outbox: store.OutboxMark{Epoch: epoch + 1, ID: 1 << 40}})
	require.NoError(t, err)
	require.NoError(t, h.state.Apply(ctx, &store.ProcessBatch{Checkpoint: restarted.Checkpoint(), Outbox: []*event.Event{probe(t, h, "seg_new")}}))
	require.NoError(t, h.processor(t, 100).CatchUp(ctx))
	require.Equal(t, 1, countMessage(t, h, "seg_new"), "appended although its id is below the other epoch's mark")
}

// TestOutboxKeepsBatchOrderAfterAFailedAppend: when an append fails, later
// batches wait behind it in the outbox, so the log's mark (the last batch
// it committed) never passes a batch still to append. An op committing
// between the failure and the drain (a computed trait's recompute, say)
// would otherwise have published its batch first, and the drain taken the
// failed one for appended.
func TestOutboxKeepsBatchOrderAfterAFailedAppend(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" within 1h`)
	p := h.processor(t, 100)
	p.SetRecorder(&flakyRecorder{log: h.log, fails: 1})
	require.NoError(t, p.drainOutbox(ctx)) // what the first step does: nothing left
	h.append(t, track("u1", "Product Viewed", "m1", t0))
	n, err := p.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Zero(t, h.loggedEvents(t)[EventSegmentEntered], "the append failed")

	// An op's commit and publish, before any drain.
	op := &outgoing{}
	op.add(p, "Probe", "seg_probe", t0, t0, internalProps{ProfileID: h.profileOf(t, "u1")})
	require.NoError(t, p.commitWith(ctx, &store.ProcessBatch{Checkpoint: p.Checkpoint()}, op))
	p.publish(ctx, op)
	require.Zero(t, countMessage(t, h, "seg_probe"), "it waits behind the failed batch")

	h.clk.Set(t0.Add(time.Hour + time.Second)) // and the exit
	require.NoError(t, p.CatchUp(ctx))
	require.Empty(t, h.outboxEvents(t))
	evs, err := h.log.Read(ctx, 0, 1000)
	require.NoError(t, err)
	var order []string
	for _, e := range evs {
		if e.SourceID == internalSrc {
			order = append(order, e.Name)
		}
	}
	require.Equal(t, []string{EventSegmentEntered, "Probe", EventSegmentExited}, order, "each once, in batch order")
}
