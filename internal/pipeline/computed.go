package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// ComputedState is what the computed trait engine reads.
type ComputedState interface {
	ListComputedTraits(ctx context.Context) ([]store.ComputedTrait, error)
}

// computedSet is the live computed trait definitions, by name order.
type computedSet struct {
	defs   []*segment.ComputedDef
	byName map[string]*segment.ComputedDef
}

// loadComputed reads the live definitions. One this version cannot parse
// is left out and logged.
func (p *Processor) loadComputed(ctx context.Context) (*computedSet, error) {
	list, err := p.state.ListComputedTraits(ctx)
	if err != nil {
		return nil, fmt.Errorf("list computed traits: %w", err)
	}
	cs := &computedSet{byName: make(map[string]*segment.ComputedDef, len(list))}
	for _, c := range list {
		d, err := segment.ParseComputed(c.Definition)
		if err != nil {
			p.logger.Error("stored computed trait not readable; it is not live", slog.String("trait", c.Name), slog.Any("error", err))
			continue
		}
		cs.defs = append(cs.defs, d)
		cs.byName[d.Name] = d
	}
	return cs, nil
}

// ComputedLive reports whether a computed trait is live.
func (p *Processor) ComputedLive(name string) bool {
	cs := p.computed.Load()
	return cs != nil && cs.byName[name] != nil
}

// ReloadComputed re-reads the definitions after changedName was saved or
// deleted and recomputes that trait for every profile (backfill, or
// removal when it is no longer live), on the processor goroutine.
func (p *Processor) ReloadComputed(ctx context.Context, changedName string) error {
	return p.Do(ctx, func(ctx context.Context) error {
		cs, err := p.loadComputed(ctx)
		if err != nil {
			return err
		}
		p.computed.Store(cs)
		if changedName == "" {
			return nil
		}
		return p.recomputeAll(ctx, changedName, cs.byName[changedName])
	})
}

// BackfillComputed computes trait name for every profile now. Only call
// it when Run is not running (start-up), or use ReloadComputed.
func (p *Processor) BackfillComputed(ctx context.Context, name string) error {
	cs := p.computed.Load()
	if cs == nil || cs.byName[name] == nil {
		return nil
	}
	err := p.recomputeAll(ctx, name, cs.byName[name])
	p.cache.reset()
	return err
}

// eventsFor is the events def reads: any-event definitions skip the
// processor's own events (Segment Entered, Stage Changed...).
func (p *Processor) eventsFor(def *segment.ComputedDef, evs []segment.Event) []segment.Event {
	if def.Event != "" || p.internalSource == "" {
		return evs
	}
	out := make([]segment.Event, 0, len(evs))
	for i := range evs {
		if p.reads(def, &evs[i]) {
			out = append(out, evs[i])
		}
	}
	return out
}

// reads reports whether def reads e (name aside): any-event definitions
// skip the processor's own events, which segmentEvent converts without a
// source (customer events always have one).
func (p *Processor) reads(def *segment.ComputedDef, e *segment.Event) bool {
	return def.Event != "" || p.internalSource == "" || (e.Source != "" && e.Source != p.internalSource)
}

// computedTrait is the trait row of a computed value.
func (p *Processor) computedTrait(path string, v any, at time.Time) (store.Trait, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return store.Trait{}, fmt.Errorf("encode computed trait %s: %w", path, err)
	}
	return store.Trait{Path: path, Value: raw, Time: at, SourceID: p.internalSource, Computed: true}, nil
}

// sameComputed reports whether cur is a computed trait holding the value of t.
func sameComputed(cur, t store.Trait) bool {
	if !cur.Computed {
		return false
	}
	if bytes.Equal(cur.Value, t.Value) {
		return true
	}
	var v any
	if json.Unmarshal(cur.Value, &v) != nil {
		return false
	}
	b, err := json.Marshal(v)
	return err == nil && bytes.Equal(b, t.Value)
}

// committedTraits is a profile's committed traits, as a copy.
func (p *Processor) committedTraits(ctx context.Context, id string) (map[string]store.Trait, error) {
	if t, ok := p.cache.traitsOf(id); ok {
		return maps.Clone(t), nil
	}
	rows, err := p.state.ProfileTraits(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load traits of profile %s: %w", id, err)
	}
	t := make(map[string]store.Trait, len(rows))
	for _, r := range rows {
		t[r.Path] = r
	}
	// Callers run between batches (timers, backfills, ops), where the
	// store's rows are the committed ones; every later write updates or
	// resets the cache.
	p.cache.traits.put(id, maps.Clone(t))
	return t, nil
}

// prefetchTraits reads the committed traits of the ids the cache lacks,
// a page per query, and caches them (an empty map for a profile with none),
// so committedTraits of a page of profiles costs no query each.
func (p *Processor) prefetchTraits(ctx context.Context, ids []string) error {
	got, err := p.readTraits(ctx, p.cache.traits.missing(ids))
	if err != nil {
		return err
	}
	for id, t := range got {
		p.cache.traits.put(id, t)
	}
	return nil
}

// recomputeAll computes trait name (def nil: removes it) for every
// surviving profile at the clock's now, re-evaluates the segments reading
// that trait, and commits a page per transaction keeping the checkpoint.
func (p *Processor) recomputeAll(ctx context.Context, name string, def *segment.ComputedDef) error {
	now := p.clk.Now().UTC().Truncate(time.Microsecond)
	idx := p.segIndex()
	affected := idx.Affected(segment.Event{}, []string{name})
	after := ""
	for {
		ids, err := p.state.ProfileIDs(ctx, after, backfillPage)
		if err != nil {
			return fmt.Errorf("list profiles after %q: %w", after, err)
		}
		if len(ids) == 0 {
			return nil
		}
		after = ids[len(ids)-1]
		// The page's traits and histories a query per page, not per profile.
		if err := p.prefetchTraits(ctx, ids); err != nil {
			return err
		}
		if def != nil || len(affected) > 0 {
			if err := p.prefetchHistories(ctx, ids); err != nil {
				return err
			}
		}
		pb := &store.ProcessBatch{Checkpoint: p.checkpoint.Load()}
		out := &segOut{}
		for _, id := range ids {
			if err := p.recomputeOne(ctx, id, name, def, now, affected, pb, out); err != nil {
				return err
			}
		}
		out.fill(pb)
		if err := p.stagesOutside(ctx, out, pb); err != nil {
			return err
		}
		if len(pb.Traits)+len(pb.TraitDeletes)+len(pb.SegmentJoins)+len(pb.SegmentLeaves)+len(pb.Timers)+len(pb.TimerDeletes) == 0 {
			continue
		}
		ob := p.outgoingOf(out.emits, out.stages, nil)
		if err := p.commitWith(ctx, pb, ob); err != nil {
			return fmt.Errorf("commit computed trait %s for %d profiles: %w", name, len(pb.Traits)+len(pb.TraitDeletes), err)
		}
		p.cache.reset()
		p.publish(ctx, ob)
	}
}

// recomputeOne computes trait name of one profile into pb and its segment
// transitions into out.
func (p *Processor) recomputeOne(ctx context.Context, id, name string, def *segment.ComputedDef, now time.Time, affected []string, pb *store.ProcessBatch, out *segOut) error {
	traits, err := p.committedTraits(ctx, id)
	if err != nil {
		return err
	}
	var evs []segment.Event
	if def != nil || len(affected) > 0 {
		if cached, ok := p.cache.events.get(id); ok { // prefetched for the page
			evs = slices.Clip(cached)
		} else if evs, err = p.committedEvents(ctx, profileIDs(id), nil); err != nil {
			return err
		}
	}
	cur, has := traits[name]
	if def == nil {
		// A removed trait: drop its pending recomputation timer too.
		pb.TimerDeletes = append(pb.TimerDeletes, store.Timer{Kind: store.TimerKindComputed, ProfileID: id, Ref: name})
	}
	if def != nil {
		snap := segment.Snapshot{ProfileID: id, Events: p.eventsFor(def, evs)}
		v, ok, err := segment.ComputeValue(def, snap, now)
		if err != nil {
			return fmt.Errorf("compute trait %s of profile %s: %w", name, id, err)
		}
		t := store.Timer{Kind: store.TimerKindComputed, ProfileID: id, Ref: name}
		if at, ok := segment.ComputedNextChange(def, snap, now); ok {
			t.FireAt = at
			pb.Timers = append(pb.Timers, t)
		} else if def.Window != nil {
			pb.TimerDeletes = append(pb.TimerDeletes, t) // an edit may have left one behind
		}
		if ok {
			t, err := p.computedTrait(name, v, now)
			if err != nil {
				return err
			}
			if has && sameComputed(cur, t) {
				return nil
			}
			traits[name] = t
			pb.Traits = append(pb.Traits, store.ProfileTrait{ProfileID: id, Trait: t})
			return p.resegment(ctx, id, traits, evs, affected, now, out)
		}
	}
	if !has || !cur.Computed {
		return nil
	}
	delete(traits, name)
	pb.TraitDeletes = append(pb.TraitDeletes, store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: name}})
	return p.resegment(ctx, id, traits, evs, affected, now, out)
}

// resegment re-evaluates the segments reading a changed computed trait.
func (p *Processor) resegment(ctx context.Context, id string, traits map[string]store.Trait, evs []segment.Event, affected []string, now time.Time, out *segOut) error {
	if len(affected) == 0 {
		return nil
	}
	snap := segment.Snapshot{ProfileID: id, Events: evs}
	var err error
	if snap.Traits, err = traitsOf(traits); err != nil {
		return fmt.Errorf("traits of profile %s: %w", id, err)
	}
	current, err := p.currentSegments(ctx, id)
	if err != nil {
		return err
	}
	idx := p.segIndex()
	res, err := segment.Update(idx, snap, current, affected, now, idx.Lookup)
	if err != nil {
		return fmt.Errorf("update segments of profile %s: %w", id, err)
	}
	for i := range res.Transitions {
		res.Transitions[i].Reason = ReasonBackfill
	}
	out.add(id, res)
	return nil
}
