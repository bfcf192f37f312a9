package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Recorder is where the processor reports events it could not attribute:
// a rejection an operator can see (GET /v1/rejections), and, for events of
// an erased person that slipped in before the tombstone, erasure from the log.
type Recorder interface {
	Append(ctx context.Context, b store.AppendBatch) ([]bool, error)
	Erase(ctx context.Context, seqs []int64, needles []string) (int, error)
}

// SetRecorder installs the recorder. Call before Run.
func (p *Processor) SetRecorder(r Recorder) {
	p.recorder = r
	p.sortInternalKeys()
}

var errSuppressed = errors.New("identifiers belong to an erased person")

// Rejection reasons recorded by the processor.
const (
	ReasonNoUsableIdentifier = "no_usable_identifier"
	ReasonErasedSubject      = "erased_subject"
	ReasonUndecodable        = "undecodable_payload"
	// ReasonReservedTrait: an identify set traits Cairn keeps itself
	// (lifecycle_stage, computed traits, cairn.*); the rest of the event was
	// applied and those traits were left as they are.
	ReasonReservedTrait = "reserved_trait"
)

// skip counts an event that cannot be attributed and queues its record.
func (p *Processor) skip(b *batch, pe *prepared, err error) {
	reason, detail := ReasonUndecodable, err.Error()
	switch {
	case errors.Is(err, errSuppressed):
		reason, detail = ReasonErasedSubject, "the event's identifiers belong to an erased person; it was removed"
		b.erase = append(b.erase, pe.ev.Seq)
	case len(pe.keys) == 0 && pe.payload != nil:
		reason = ReasonNoUsableIdentifier
		var why []string
		for _, bl := range p.cfg.Identity.ExplainBlocked(pe.ev, pe.payload, true) {
			why = append(why, bl.String())
		}
		detail = "no identifier could be used"
		if len(why) > 0 {
			detail += ": " + strings.Join(why, "; ")
		}
	}
	p.metrics.skipped.WithLabelValues(reason).Inc()
	p.logger.Debug("skip event", slog.String("event", describe(pe.ev)), slog.String("reason", reason))
	r := store.Rejection{SourceID: pe.ev.SourceID, MessageID: pe.ev.MessageID, Reason: reason,
		Detail: fmt.Sprintf("log seq %d: %s", pe.ev.Seq, detail), ReceivedAt: pe.ev.ReceivedAt}
	if reason != ReasonErasedSubject {
		r.Excerpt = string(pe.ev.Raw[:min(len(pe.ev.Raw), 1024)])
	}
	b.rejects = append(b.rejects, r)
}

// report writes the batch's rejections and erasures after its commit. It is
// at-least-once: a crash between the commit and here loses nothing that
// matters (the events stay skipped), and a replay may record a rejection twice.
func (p *Processor) report(ctx context.Context, b *batch) {
	if p.recorder == nil {
		return
	}
	if len(b.rejects) > 0 {
		if _, err := p.recorder.Append(ctx, store.AppendBatch{Rejections: b.rejects}); err != nil {
			p.logger.Error("record processor rejections", slog.Int("count", len(b.rejects)), slog.Any("error", err))
		}
	}
	if len(b.erase) > 0 {
		if _, err := p.recorder.Erase(ctx, b.erase, nil); err != nil {
			p.logger.Error("erase suppressed events", slog.Int("count", len(b.erase)), slog.Any("error", err))
		}
	}
}
