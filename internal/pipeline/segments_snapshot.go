package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// timelinePage is how many timeline rows one read returns. A read of
// several profiles is sorted as a whole by the store, so one read should
// cover a usual page of profiles (a query per page, not per 5,000 rows).
const timelinePage = 200_000

// committedEvents returns the committed events of ids (a profile and those
// merged into it in the batch), except the seqs in skip, in event-time order
// (historyFrom), built
// from their timeline rows: name, type, time, channel and source are there,
// and each body is read from the log only if a condition reads its
// properties or context (segment.LazyEvent). Reading every body of every
// history that missed the cache was the largest cost of a demo load.
func (p *Processor) committedEvents(ctx context.Context, ids []string, skip map[int64]bool) ([]segment.Event, error) {
	rows, err := p.timelineRows(ctx, ids, skip)
	if err != nil {
		return nil, err
	}
	return p.historyFrom(rows), nil
}

// timelineRows reads every timeline row of ids but the seqs in skip.
func (p *Processor) timelineRows(ctx context.Context, ids []string, skip map[int64]bool) ([]store.TimelineEntry, error) {
	var rows []store.TimelineEntry
	q := store.TimelineQuery{ProfileIDs: ids, Limit: timelinePage}
	for {
		page, err := p.state.Timeline(ctx, q)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("read timeline of profile %s: %w", ids[0], err)
		}
		for _, r := range page {
			if !skip[r.Seq] {
				rows = append(rows, r)
			}
		}
		if len(page) < timelinePage {
			return rows, nil
		}
		last := page[len(page)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
}

// historyFrom turns timeline rows into a history in event-time order, log
// order among equal times (see cache.events).
func (p *Processor) historyFrom(rows []store.TimelineEntry) []segment.Event {
	slices.SortFunc(rows, func(a, b store.TimelineEntry) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	rows = slices.CompactFunc(rows, func(a, b store.TimelineEntry) bool { return a.Seq == b.Seq })
	if len(rows) == 0 {
		return nil
	}
	out := make([]segment.Event, 0, len(rows))
	for _, r := range rows {
		out = append(out, segment.LazyEvent(p.rowEvent(r), p.bodyOf(r.Seq)))
	}
	return out
}

// rowEvent is a timeline row as the segment engine sees it, without its
// body; the processor's own events carry no channel or source (see
// convertEvents).
func (p *Processor) rowEvent(r store.TimelineEntry) segment.Event {
	e := segment.Event{Type: r.Type, Name: r.Event, Timestamp: r.Timestamp, Channel: r.Channel, Source: r.SourceID}
	if p.internalSource != "" && r.SourceID == p.internalSource {
		e.Channel, e.Source = "", ""
	}
	return e
}

// prefetchPage is how many profiles a several-profile read (histories,
// segment states, traits, a backfill page's timelines) covers per query;
// the SQLite store binds one parameter per id in a timeline read, at most 500.
const prefetchPage = 500

// prefetchHistories caches, a query per prefetchPage profiles, the histories
// of the profiles in ids the cache does not hold: a page of due timers then
// costs a few timeline queries instead of one per profile. Only between
// batches, where the store's rows are the committed ones.
func (p *Processor) prefetchHistories(ctx context.Context, ids []string) error {
	got, err := p.readHistories(ctx, p.cache.events.missing(ids))
	if err != nil {
		return err
	}
	for id, evs := range got {
		p.cache.events.put(id, evs)
	}
	return nil
}

// prefetchBatchHistories reads, a query per prefetchPage profiles, the
// committed histories the cache lacks of the profiles a batch's customer
// events touched, before computed traits and segments read them one
// profile at a time (with many distinct customers per batch, a timeline
// query each was the largest read of a step). Profiles the batch created
// or merged into are left to batchEvents; so are, when no segment is live,
// profiles whose computed traits fold the batch's events into cached
// accumulators (planComputed): nothing reads their histories.
func (p *Processor) prefetchBatchHistories(ctx context.Context, b *batch) error {
	p.planComputed(b)
	segments := p.segIndex().Len() > 0
	if cs := p.computed.Load(); (cs == nil || len(cs.defs) == 0) && !segments {
		return nil // nothing reads histories
	}
	seen := map[string]bool{}
	var ids []string
	for _, tc := range b.touches {
		if _, internal := b.internal[tc.ev.Seq]; internal {
			continue
		}
		id := b.final(tc.profileID)
		if seen[id] || b.created[id] || len(b.losersOf(id)) > 0 {
			continue
		}
		seen[id] = true
		if t := b.comp.touched[id]; !segments && (t == nil || len(t.defs) == 0 || t.fold != nil) {
			continue
		}
		ids = append(ids, id)
	}
	return p.prefetchHistories(ctx, ids)
}

// bodyOf reads one logged event's body when a condition first needs it.
// It outlives the batch (cached histories keep it), so it does not take the
// batch's context. A body that cannot be read is logged and reads as empty.
func (p *Processor) bodyOf(seq int64) func() []byte {
	return func() []byte {
		evs, err := p.log.Get(context.Background(), []int64{seq})
		if err != nil || len(evs) == 0 {
			p.logger.Warn("read event body for evaluation", slog.Int64("seq", seq), slog.Any("error", err))
			return nil
		}
		return evs[0].Raw
	}
}

// convertEvents appends evs converted for the evaluator to out, their
// bodies decoded only when a condition reads them (segment.LazyEventFrom:
// most events of a history are only counted or timed). The processor's own
// events (Segment Entered, Stage Changed...) keep their name but carry no
// channel or source: they are not customer touchpoints, so channel
// conditions never count them.
//
// out is a history in event-time order and evs come after it in the log,
// in log order: each is inserted after every event of its time or earlier,
// so out stays in event-time order, log order among equal times. Events
// mostly arrive in time order; a late one moves back past the few it
// precedes.
func (p *Processor) convertEvents(b *batch, evs []*event.Event, out []segment.Event) []segment.Event {
	for _, e := range evs {
		se := p.segEvent(b, e)
		i := len(out)
		for i > 0 && out[i-1].Timestamp.After(se.Timestamp) {
			i--
		}
		out = slices.Insert(out, i, se)
	}
	return out
}

// segEvent is segmentEvent for an event of batch b, converted once per
// batch: the routing, the computed-trait fold and the histories then share
// one lazily decoded body instead of decoding it each.
func (p *Processor) segEvent(b *batch, e *event.Event) segment.Event {
	if se, ok := b.segEvs[e]; ok {
		return se
	}
	if b.segEvs == nil {
		b.segEvs = make(map[*event.Event]segment.Event, len(b.touches))
	}
	se := p.segmentEvent(e)
	b.segEvs[e] = se
	return se
}

// segmentEvent is e as the segment engine sees it (body decoded lazily).
func (p *Processor) segmentEvent(e *event.Event) segment.Event {
	se := segment.LazyEventFrom(e, p.bodyOf(e.Seq))
	if p.isInternal(e) {
		se.Channel, se.Source = "", ""
	}
	return se
}

// profileIDs is whose timeline rows make up a profile's history: the
// profile and the profiles merged into it in the batch being processed
// (extra). Committed merges need no look-up: a merge re-points the loser's
// timeline rows to the winner in its transaction (the store contract's
// "re-points identities, timeline and memberships").
func profileIDs(id string, extra ...string) []string {
	return append([]string{id}, extra...)
}

// committedSnapshot is a profile as committed, traits and every event,
// served from the processor's caches where they hold it; a history read
// from the store is cached. Only between batches (timers, ops), where the
// caches are what the store holds.
func (p *Processor) committedSnapshot(ctx context.Context, id string) (segment.Snapshot, error) {
	snap := segment.Snapshot{ProfileID: id}
	var err error
	if snap.Traits, err = p.evaluatorTraits(ctx, id); err != nil {
		return snap, err
	}
	if evs, ok := p.cache.events.get(id); ok {
		snap.Events = slices.Clip(evs)
		return snap, nil
	}
	snap.Events, err = p.committedEvents(ctx, profileIDs(id), nil)
	if err != nil {
		return snap, err
	}
	p.cache.events.put(id, snap.Events)
	return snap, nil
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
