package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// A backfill reads every profile, so it reads only what the segments it
// computes test (segment.NeedsOf): their events from the timeline rows
// alone — name, type, time, channel and source are there — and from the log
// only those whose properties a filter or an aggregate reads; traits only
// when a condition reads them.

// backfillNeeds is what computing segment id and its dependents reads.
func backfillNeeds(idx *segment.Index, id string) segment.Needs {
	var defs []*segment.Definition
	for _, s := range idx.WithDependents(id) {
		if d, ok := idx.Lookup(s); ok {
			defs = append(defs, d)
		}
	}
	return segment.NeedsOf(defs, idx.Lookup)
}

// neededSnapshot is a profile as committed, with the events and traits
// needs names.
func (p *Processor) neededSnapshot(ctx context.Context, id string, needs segment.Needs) (segment.Snapshot, error) {
	snap := segment.Snapshot{ProfileID: id}
	var err error
	if needs.Traits {
		if snap.Traits, err = p.evaluatorTraits(ctx, id); err != nil {
			return snap, err
		}
	}
	snap.Events, err = p.neededEvents(ctx, profileIDs(id), needs)
	return snap, err
}

// neededEvents reads the events of ids that needs names, in log (seq) order
// like committedEvents; payloads only of needs.Payload.
func (p *Processor) neededEvents(ctx context.Context, ids []string, needs segment.Needs) ([]segment.Event, error) {
	if needs.AnyEvent && len(needs.Payload) > 0 {
		return p.committedEvents(ctx, ids, nil) // every event, some with payloads: read them all
	}
	type seqEvent struct {
		seq int64
		ev  segment.Event
	}
	var out []seqEvent
	var decode []int64
	q := store.TimelineQuery{ProfileIDs: ids, Limit: timelinePage}
	for {
		rows, err := p.state.Timeline(ctx, q)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("read timeline of profile %s: %w", ids[0], err)
		}
		for _, r := range rows {
			switch {
			case slices.Contains(needs.Payload, r.Event):
				decode = append(decode, r.Seq)
			case needs.AnyEvent || slices.Contains(needs.Events, r.Event):
				e := segment.Event{Type: r.Type, Name: r.Event, Timestamp: r.Timestamp, Channel: r.Channel, Source: r.SourceID}
				if p.internalSource != "" && r.SourceID == p.internalSource {
					e.Channel, e.Source = "", ""
				}
				out = append(out, seqEvent{seq: r.Seq, ev: e})
			}
		}
		if len(rows) < timelinePage {
			break
		}
		last := rows[len(rows)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
	if len(decode) > 0 {
		evs, err := p.log.Get(ctx, decode)
		if err != nil {
			return nil, fmt.Errorf("read %d events of profile %s: %w", len(decode), ids[0], err)
		}
		conv := p.convertEvents(evs, nil)
		for i, e := range evs {
			out = append(out, seqEvent{seq: e.Seq, ev: conv[i]})
		}
	}
	slices.SortFunc(out, func(a, b seqEvent) int { return cmp.Compare(a.seq, b.seq) })
	res := make([]segment.Event, len(out))
	for i := range out {
		res[i] = out[i].ev
	}
	return res, nil
}
