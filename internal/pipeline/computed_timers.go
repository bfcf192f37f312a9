package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// scheduleComputed records when d's value for a profile next changes by
// itself (at, from segment.ComputedNextChange: an event leaving its
// window), or that it never does (ok false).
func (b *batch) scheduleComputed(id string, d *segment.ComputedDef, at time.Time, ok bool) {
	if !ok && d.Window == nil {
		if _, pending := b.compTimers[[2]string{id, d.Name}]; !pending {
			return // a lifetime trait with nothing ahead: no timer, none to delete
		}
	}
	if b.compTimers == nil {
		b.compTimers = map[[2]string]time.Time{}
	}
	b.compTimers[[2]string{id, d.Name}] = at // zero (not ok) deletes
}

// fillComputedTimers adds the computed-trait timers to pb.
func fillComputedTimers(m map[[2]string]time.Time, pb *store.ProcessBatch) {
	keys := slices.SortedFunc(maps.Keys(m), cmpPair)
	for _, k := range keys {
		t := store.Timer{Kind: store.TimerKindComputed, ProfileID: k[0], Ref: k[1], FireAt: m[k]}
		if t.FireAt.IsZero() {
			pb.TimerDeletes = append(pb.TimerDeletes, t)
		} else {
			pb.Timers = append(pb.Timers, t)
		}
	}
}

// fireComputedTimers recomputes the windowed computed traits whose value
// changed with time, re-evaluates the segments that read them and sets
// each trait's next timer, all into out (committed by commitSegments).
func (p *Processor) fireComputedTimers(ctx context.Context, due []store.Timer, out *segOut) error {
	cs := p.computed.Load()
	idx := p.segIndex()
	for _, t := range due {
		if t.Kind != store.TimerKindComputed {
			continue
		}
		out.acks = append(out.acks, store.Timer{ID: t.ID, Kind: t.Kind, ProfileID: t.ProfileID, Ref: t.Ref})
		d := cs.byName[t.Ref]
		if d == nil {
			continue // the definition was deleted
		}
		ps, err := p.timerProfile(ctx, t.ProfileID)
		if err != nil {
			return err
		}
		if ps == nil {
			continue // merged away or erased
		}
		// An event became visible, or one left a window: accumulators
		// (kept only with nothing ahead) are rebuilt from the history next.
		p.cache.accs.del(t.ProfileID)
		at := t.FireAt.UTC()
		snap := segment.Snapshot{ProfileID: t.ProfileID, Events: p.eventsFor(d, ps.snap.Events)}
		v, ok, err := segment.ComputeValue(d, snap, at)
		if err != nil {
			return fmt.Errorf("compute trait %s of profile %s: %w", d.Name, t.ProfileID, err)
		}
		changed := false
		if ok {
			tr, err := p.computedTrait(d.Name, v, at.Truncate(time.Microsecond))
			if err != nil {
				return err
			}
			cur, has := ps.snap.Traits[d.Name]
			if !has || !sameValue(cur, v) {
				out.traits = append(out.traits, store.ProfileTrait{ProfileID: t.ProfileID, Trait: tr})
				ps.snap.Traits[d.Name] = v
				changed = true
			}
		} else if _, has := ps.snap.Traits[d.Name]; has {
			out.traitDeletes = append(out.traitDeletes, store.ProfileTrait{ProfileID: t.ProfileID, Trait: store.Trait{Path: d.Name}})
			delete(ps.snap.Traits, d.Name)
			changed = true
		}
		if next, ok := segment.ComputedNextChange(d, snap, at); ok {
			if out.compTimers == nil {
				out.compTimers = map[[2]string]time.Time{}
			}
			out.compTimers[[2]string{t.ProfileID, d.Name}] = next
		}
		if !changed || len(idx.All()) == 0 {
			continue
		}
		affected := idx.Affected(segment.Event{}, []string{d.Name})
		if len(affected) == 0 {
			continue
		}
		res, err := segment.Update(idx, ps.snap, ps.current, affected, at, idx.Lookup)
		if err != nil {
			return fmt.Errorf("segments of profile %s after trait %s changed: %w", t.ProfileID, d.Name, err)
		}
		for _, tr := range res.Transitions {
			ps.current[tr.SegmentID] = tr.Entered
		}
		out.add(t.ProfileID, res)
	}
	return nil
}

// sameValue compares a decoded trait value with a computed one.
func sameValue(a, b any) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}
