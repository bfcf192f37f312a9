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

// Histories serves committed event histories from memory (the analytics
// projection, kept apart from the store): a backfill reads events and the
// payload values it tests there instead of timeline rows and log bodies.
// False when it cannot answer now without waiting; the store is read then.
type Histories interface {
	SegmentEvents(ctx context.Context, ids []string, needs segment.Needs) (map[string][]segment.Event, bool, error)
}

// SetHistories makes backfills read histories from h; call before Run.
func (p *Processor) SetHistories(h Histories) { p.histories = h }

// backfillEvents reads the events needs names for ids: from the
// in-memory histories when they can answer, else from the store.
func (p *Processor) backfillEvents(ctx context.Context, ids []string, needs segment.Needs) (map[string][]segment.Event, error) {
	if p.histories != nil {
		evs, ok, err := p.histories.SegmentEvents(ctx, ids, needs)
		if err != nil {
			return nil, fmt.Errorf("read histories of %d profiles: %w", len(ids), err)
		}
		if ok {
			p.metrics.backfillReads.WithLabelValues("memory").Inc()
			for _, list := range evs { // as rowEvent: Cairn's own events carry no channel
				for i := range list {
					if p.internalSource != "" && list[i].Source == p.internalSource {
						list[i].Channel, list[i].Source = "", ""
					}
				}
			}
			return evs, nil
		}
	}
	p.metrics.backfillReads.WithLabelValues("store").Inc()
	return p.neededEventsOf(ctx, ids, needs)
}

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

// pageTraits reads the traits the conditions of needs read for a page of
// a walk in id order — ids holds every surviving profile from its first to
// its last id — in one range read, decoded, without filling the trait
// cache (a backfill over every profile would evict the live ones). Nil
// when no condition reads a trait.
func (p *Processor) pageTraits(ctx context.Context, ids []string, needs segment.Needs) (map[string]map[string]any, error) {
	if !needs.Traits || len(ids) == 0 {
		return nil, nil
	}
	rows, err := p.state.ProfileTraitsBetween(ctx, ids[0], ids[len(ids)-1], needs.TraitKeys())
	if err != nil {
		return nil, fmt.Errorf("read traits of profiles %s to %s: %w", ids[0], ids[len(ids)-1], err)
	}
	out := make(map[string]map[string]any, len(ids)) // a profile without traits reads as one with an empty map
	for _, r := range rows {
		v, err := segment.DecodeValue(r.Value)
		if err != nil {
			return nil, fmt.Errorf("decode trait %s of profile %s: %w", r.Path, r.ProfileID, err)
		}
		t := out[r.ProfileID] // ids hold every surviving profile of the range; merged ones keep no traits
		if t == nil {
			t = map[string]any{}
			out[r.ProfileID] = t
		}
		t[r.Path] = v
	}
	return out, nil
}

// neededEventsOf reads, for each profile of ids, the events needs names in
// log (seq) order like committedEvents, payloads only of needs.Payload: one
// timeline query per page of profiles and one log read of the payloads
// they need, instead of a query and a read per profile.
func (p *Processor) neededEventsOf(ctx context.Context, ids []string, needs segment.Needs) (map[string][]segment.Event, error) {
	out := make(map[string][]segment.Event, len(ids))
	if needs.AnyEvent && len(needs.Payload) > 0 { // every event, some with payloads: read them all
		for _, id := range ids {
			evs, err := p.committedEvents(ctx, profileIDs(id), nil)
			if err != nil {
				return nil, err
			}
			out[id] = evs
		}
		return out, nil
	}
	type seqEvent struct {
		seq int64
		ev  segment.Event
	}
	found := make(map[string][]seqEvent, len(ids))
	var decode []int64
	owner := map[int64]string{} // payload seq → its profile
	for page := range slices.Chunk(ids, prefetchPage) {
		q := store.TimelineQuery{ProfileIDs: page, Limit: timelinePage}
		if !needs.AnyEvent { // the store skips the rest
			q.Events = slices.Concat(needs.Events, needs.Payload)
		}
		for {
			rows, err := p.state.Timeline(ctx, q)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, fmt.Errorf("read timeline of profile %s: %w", q.ProfileIDs[0], err)
			}
			for _, r := range rows {
				switch {
				case slices.Contains(needs.Payload, r.Event):
					decode = append(decode, r.Seq)
					owner[r.Seq] = r.ProfileID
				case needs.AnyEvent || slices.Contains(needs.Events, r.Event):
					found[r.ProfileID] = append(found[r.ProfileID], seqEvent{seq: r.Seq, ev: p.rowEvent(r)})
				}
			}
			if len(rows) < timelinePage {
				break
			}
			last := rows[len(rows)-1]
			q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
		}
	}
	if len(decode) > 0 {
		evs, err := p.log.Get(ctx, decode)
		if err != nil {
			return nil, fmt.Errorf("read %d events of %d profiles: %w", len(decode), len(ids), err)
		}
		for _, e := range evs {
			id := owner[e.Seq]
			found[id] = append(found[id], seqEvent{seq: e.Seq, ev: p.segmentEvent(e)})
		}
	}
	for id, list := range found {
		slices.SortFunc(list, func(a, b seqEvent) int { return cmp.Compare(a.seq, b.seq) })
		res := make([]segment.Event, len(list))
		for i := range list {
			res[i] = list[i].ev
		}
		out[id] = res
	}
	return out, nil
}
