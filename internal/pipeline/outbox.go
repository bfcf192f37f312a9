package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// OutboxState is where the processor keeps its own events between the
// commit that decided them and their append to the log (store.OutboxStore).
type OutboxState interface {
	OutboxBatches(ctx context.Context, limit int) ([]store.OutboxBatch, error)
	ClearOutbox(ctx context.Context, ids []int64) error
	OutboxEpoch(ctx context.Context) (int64, error)
}

// outboxPage is how many left-over outbox batches drainOutbox appends at
// once (one per commit: a page is a few commits' events).
const outboxPage = 8

// outgoing is the processor's own events of one commit (Segment
// Entered/Exited, Stage Changed, journey events): written to the outbox
// in the commit's transaction (ProcessBatch.Outbox), then appended to the
// log and cleared (publish). A crash in between leaves them in the outbox,
// and drainOutbox appends them when the processor next runs; their message
// ids derive from what they report, so a copy that did reach the log is
// dropped by its dedupe. Before the outbox, a crash there lost them: a
// segment entry no journey ever saw.
type outgoing struct {
	events []*event.Event
	emits  []emission // the segment transitions among events, for the hook and metrics
	id     int64      // the outbox batch holding events, once committed
}

// emitted is what a segOut reports: its transitions and stage changes
// (none for a nil segOut).
func (o *segOut) emitted() ([]emission, []stageChange) {
	if o == nil {
		return nil, nil
	}
	return o.emits, o.stages
}

// emitted is what a jourOut reports: its journey events (none for nil).
func (o *jourOut) emitted() []journey.Emitted {
	if o == nil {
		return nil
	}
	return o.fx.Events
}

// outgoingOf encodes the events of a commit; nil when the processor emits
// nothing (no recorder or internal source, as in some tests).
func (p *Processor) outgoingOf(emits []emission, stages []stageChange, jour []journey.Emitted) *outgoing {
	if p.recorder == nil || p.internalSource == "" || len(emits)+len(stages)+len(jour) == 0 {
		return nil
	}
	recv := p.clk.Now()
	out := &outgoing{events: make([]*event.Event, 0, len(emits)+len(stages)+len(jour)), emits: emits}
	for _, em := range emits {
		t := em.t
		if p.replayed(t.At) {
			continue
		}
		name := EventSegmentExited
		if t.Entered {
			name = EventSegmentEntered
		}
		props := internalProps{ProfileID: em.profileID, SegmentID: t.SegmentID, Version: t.Version, Reason: t.Reason, At: t.At}
		out.add(p, name, segment.TransitionMessageID(t.SegmentID, t.Version, em.profileID, t.Entered, t.At), t.At, recv, props)
	}
	for _, c := range stages {
		if p.replayed(c.at) {
			continue
		}
		props := stageProps{ProfileID: c.profileID, From: c.from, To: c.to, ModelVersion: c.version, At: c.at}
		out.add(p, EventStageChanged, StageMessageID(c.profileID, c.from, c.to, c.at), c.at, recv, props)
	}
	for _, em := range jour {
		if p.replayed(em.At) {
			continue
		}
		out.add(p, em.Name, em.MessageID, em.At, recv, em.Props)
	}
	return out
}

func (o *outgoing) add(p *Processor, name, messageID string, at, recv time.Time, props any) {
	raw, err := appendEnvelope(nil, name, messageID, at, recv, props)
	if err != nil {
		p.logger.Error("encode the processor's event", slog.String("event", name), slog.Any("error", err))
		return
	}
	o.events = append(o.events, &event.Event{SourceID: p.internalSource, Channel: "server", MessageID: messageID,
		Type: event.Track, Name: name, Timestamp: at, ReceivedAt: recv, Raw: raw})
}

// commitWith writes pb with out's events in its outbox.
func (p *Processor) commitWith(ctx context.Context, pb *store.ProcessBatch, out *outgoing) error {
	if out != nil {
		pb.Outbox = out.events
	}
	if err := p.apply(ctx, pb); err != nil {
		return err
	}
	if out != nil {
		out.id = pb.OutboxID
	}
	return nil
}

// publish appends a committed outgoing to the log; the next apply clears
// it from the outbox in its own transaction (ProcessBatch.OutboxClear), or
// flushOutbox does when the processor has nothing else to write, so a
// publish costs no state transaction of its own. An append that fails
// leaves the events in the outbox for the next drainOutbox. With a log
// that keeps an outbox mark, the append records the batch in its
// transaction and skips the dedupe of its events (AppendBatch.Fresh:
// drainOutbox re-appends only batches past the mark; the dedupe records
// were a B-tree insert and a look-up per event, ~10 % of firing timers and
// emitting segment transitions); with another log, a crash before the
// clear costs a re-append that the log's dedupe drops.
func (p *Processor) publish(ctx context.Context, out *outgoing) {
	if out == nil || len(out.events) == 0 {
		return
	}
	if p.outboxLeft.Load() {
		// Earlier batches wait in the outbox (a crash, a failed append):
		// this one waits behind them, so that drainOutbox appends in batch
		// order and the log's mark (the last batch it committed) never
		// passes a batch still to append.
		return
	}
	ab := store.AppendBatch{Events: out.events}
	if mark, ok := p.outboxMark(ctx, out.id); ok {
		ab.Outbox, ab.Fresh = mark, true
	}
	if _, err := p.recorder.Append(ctx, ab); err != nil {
		p.logger.Error("append the processor's events; they stay in the outbox", slog.Int("count", len(out.events)), slog.Any("error", err))
		p.outboxLeft.Store(true)
		return
	}
	p.appended = append(p.appended, out.id) // cleared by the next apply, or flushOutbox
	if p.transitionHook != nil {
		ids := make([]string, len(out.emits))
		for i, em := range out.emits {
			ids[i] = em.t.SegmentID
		}
		p.announce(ids)
	}
	p.metrics.segmentTransitions.Add(float64(len(out.emits)))
}

// outboxMark is the mark that publishing outbox batch id records, when the
// recorder keeps marks and the state store has an epoch.
func (p *Processor) outboxMark(ctx context.Context, id int64) (store.OutboxMark, bool) {
	if _, ok := p.recorder.(store.OutboxMarker); !ok || id == 0 {
		return store.OutboxMark{}, false
	}
	if p.outboxEpoch == 0 {
		e, err := p.state.OutboxEpoch(ctx)
		if err != nil || e == 0 {
			return store.OutboxMark{}, false // published with the dedupe, as without a mark
		}
		p.outboxEpoch = e
	}
	return store.OutboxMark{Epoch: p.outboxEpoch, ID: id}, true
}

// announce tells the transition hook, once each, of the segments whose
// members changed.
func (p *Processor) announce(segmentIDs []string) {
	if p.transitionHook == nil {
		return
	}
	seen := map[string]bool{}
	for _, id := range segmentIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			p.transitionHook(id)
		}
	}
}

// announceDrained tells the transition hook of the segments of the
// Segment Entered/Exited events a drain appended: their publish never did.
func (p *Processor) announceDrained(evs []*event.Event) {
	if p.transitionHook == nil {
		return
	}
	var ids []string
	for _, e := range evs {
		if e.Name != EventSegmentEntered && e.Name != EventSegmentExited {
			continue
		}
		var body struct {
			Properties struct {
				SegmentID string `json:"segment_id"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(e.Raw, &body); err == nil {
			ids = append(ids, body.Properties.SegmentID)
		}
	}
	p.announce(ids)
}

// drainOutbox appends what the outbox holds (left by a crash or a failed
// append) before the processor does anything else, page by page.
func (p *Processor) drainOutbox(ctx context.Context) error {
	if p.recorder == nil || !p.outboxLeft.Load() {
		return nil
	}
	p.flushOutbox(ctx)
	for {
		batches, err := p.state.OutboxBatches(ctx, outboxPage)
		if err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		for _, ob := range batches {
			appended, err := p.appendLeft(ctx, ob)
			if err != nil {
				return err
			}
			if err := p.state.ClearOutbox(ctx, []int64{ob.ID}); err != nil {
				return fmt.Errorf("clear %d outbox events: %w", len(ob.Events), err)
			}
			p.announceDrained(ob.Events)
			if appended {
				p.logger.Info("appended the processor's events left in the outbox", slog.Int("count", len(ob.Events)))
			}
		}
		if len(batches) < outboxPage {
			p.outboxLeft.Store(false)
			return nil
		}
	}
}

// appendLeft appends an outbox batch a crash or a failed append left,
// unless the log's mark shows that it committed the batch (appended false).
// The append goes through the log's dedupe, which drops a copy appended
// with a record (by a version without marks); it is rare, so it may.
func (p *Processor) appendLeft(ctx context.Context, ob store.OutboxBatch) (appended bool, err error) {
	ab := store.AppendBatch{Events: ob.Events}
	if m, ok := p.recorder.(store.OutboxMarker); ok {
		if mark, ok := p.outboxMark(ctx, ob.ID); ok {
			logged, err := m.OutboxMark(ctx)
			if err != nil {
				return false, fmt.Errorf("read the log's outbox mark: %w", err)
			}
			// A mark of another epoch (none yet, or one written for an
			// earlier state store) tells nothing about this batch.
			if logged.Epoch == mark.Epoch && ob.ID <= logged.ID {
				return false, nil // appended before the crash: only its clear was lost
			}
			ab.Outbox = mark
		}
	}
	if _, err := p.recorder.Append(ctx, ab); err != nil {
		return false, fmt.Errorf("append %d outbox events: %w", len(ob.Events), err)
	}
	return true, nil
}

// flushOutbox clears the published events that no apply has cleared yet,
// in a transaction of their own: before the processor idles or runs an
// op. A failure only leaves them for a deduplicated re-append.
func (p *Processor) flushOutbox(ctx context.Context) {
	if len(p.appended) == 0 {
		return
	}
	if err := p.state.ClearOutbox(ctx, p.appended); err != nil {
		p.logger.Warn("clear appended events from the outbox", slog.Int("batches", len(p.appended)), slog.Any("error", err))
	}
	p.appended = nil
}
