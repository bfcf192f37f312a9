package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// timelinePage is how many timeline rows one read returns while building a snapshot.
const timelinePage = 5000

// committedEvents returns the committed events of the given profile ids
// (a profile and the ids merged into it), skipping the sequence numbers in
// skip, converted for the evaluator.
func (p *Processor) committedEvents(ctx context.Context, ids []string, skip map[int64]bool) ([]segment.Event, error) {
	var seqs []int64
	q := store.TimelineQuery{ProfileIDs: ids, Limit: timelinePage}
	for {
		rows, err := p.state.Timeline(ctx, q)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("read timeline of profile %s: %w", ids[0], err)
		}
		for _, r := range rows {
			if !skip[r.Seq] {
				seqs = append(seqs, r.Seq)
			}
		}
		if len(rows) < timelinePage {
			break
		}
		last := rows[len(rows)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
	if len(seqs) == 0 {
		return nil, nil
	}
	evs, err := p.log.Get(ctx, seqs)
	if err != nil {
		return nil, fmt.Errorf("read %d events of profile %s: %w", len(seqs), ids[0], err)
	}
	return p.convertEvents(evs, nil)
}

// convertEvents appends evs converted for the evaluator to out, their
// bodies decoded only when a condition reads them (segment.LazyEventFrom:
// most events of a history are only counted or timed). The processor's own
// events (Segment Entered, Stage Changed...) keep their name but carry no
// channel or source: they are not customer touchpoints, so channel
// conditions never count them.
func (p *Processor) convertEvents(evs []*event.Event, out []segment.Event) ([]segment.Event, error) {
	for _, e := range evs {
		se := segment.LazyEventFrom(e)
		if p.isInternal(e) {
			se.Channel, se.Source = "", ""
		}
		out = append(out, se)
	}
	return out, nil
}

// profileIDs is a profile and every id merged into it (committed merges).
func (p *Processor) profileIDs(ctx context.Context, id string, extra ...string) ([]string, error) {
	ids := append([]string{id}, extra...)
	from, err := p.state.MergedFrom(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("list profiles merged into %s: %w", id, err)
	}
	return append(ids, from...), nil
}

// committedSnapshot is a profile as committed: traits and every event.
func (p *Processor) committedSnapshot(ctx context.Context, id string) (segment.Snapshot, error) {
	return p.neededSnapshot(ctx, id, nil)
}

// evaluatorTraits are a profile's committed traits converted for the evaluator.
func (p *Processor) evaluatorTraits(ctx context.Context, id string) (map[string]any, error) {
	t, err := p.committedTraits(ctx, id)
	if err != nil {
		return nil, err
	}
	traits, err := traitsOf(t)
	if err != nil {
		return nil, fmt.Errorf("traits of profile %s: %w", id, err)
	}
	return traits, nil
}

// traitsOf converts a trait map for the evaluator.
func traitsOf(t map[string]store.Trait) (map[string]any, error) {
	rows := make([]store.Trait, 0, len(t))
	for _, r := range t {
		rows = append(rows, r)
	}
	return segment.TraitsFrom(rows)
}
