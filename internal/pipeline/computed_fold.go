package pipeline

import (
	"context"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// profileAccs is a profile's computed traits kept incrementally: an
// accumulator per definition of set, by position, nil where none is kept
// (the definition is not Incremental, or a qualifying event was still
// ahead of its time when it was computed). The processor caches it with
// the profile's other committed state; it is never modified once cached
// (a batch folds into clones).
type profileAccs struct {
	set  *computedSet
	accs []*segment.ComputedAcc
}

// compPlan is what the touched profiles of a batch ask of the computed
// traits, in profile order.
type compPlan struct {
	order   []string
	touched map[string]*compTouch
}

// compTouch is one profile's part of a compPlan.
type compTouch struct {
	evs  []*event.Event
	all  bool      // a merge winner: every definition, over the merged history
	at   time.Time // the newest arrival among evs: the evaluation instant
	defs []int     // positions in the computedSet of the definitions to update
	// fold, when set, is evs converted in event-time order, all of them
	// foldable into the cached accumulators of defs: no history is read.
	fold []segment.Event
}

// planComputed decides, before histories are prefetched, which computed
// traits each touched profile updates and whether its events can be
// folded into cached accumulators (no history read) or the traits must be
// recomputed from the profile's history.
func (p *Processor) planComputed(b *batch) {
	cs := p.computed.Load()
	plan := &compPlan{touched: map[string]*compTouch{}}
	b.comp = plan
	if cs == nil || len(cs.defs) == 0 || len(b.touches) == 0 {
		return
	}
	for _, tc := range b.touches {
		id := b.final(tc.profileID)
		t := plan.touched[id]
		if t == nil {
			t = &compTouch{}
			plan.touched[id] = t
		}
		t.evs = append(t.evs, tc.ev)
		t.at = later(t.at, tc.ev.ReceivedAt)
	}
	for _, m := range b.merges {
		if t := plan.touched[b.final(m.Winner)]; t != nil && !m.Refused {
			t.all = true
		}
	}
	for _, id := range sortedKeys(plan.touched) {
		t := plan.touched[id]
		pr, ok := b.profiles[id]
		if !ok || pr.MergedInto != "" {
			continue
		}
		for i, d := range cs.defs {
			if t.all || p.triggers(d, t.evs) {
				t.defs = append(t.defs, i)
			}
		}
		if len(t.defs) == 0 {
			continue
		}
		plan.order = append(plan.order, id)
		if !t.all && !b.created[id] {
			t.fold = p.foldable(b, cs, id, t)
		}
	}
}

// foldable returns t's events converted in event-time order when each of
// t's definitions has a cached accumulator into which every event it reads
// can be folded; nil otherwise.
func (p *Processor) foldable(b *batch, cs *computedSet, id string, t *compTouch) []segment.Event {
	pa, ok := p.cache.accs.get(id)
	if !ok || pa.set != cs {
		return nil
	}
	for _, i := range t.defs {
		if pa.accs[i] == nil {
			return nil
		}
	}
	evs := p.convertEvents(b, t.evs, nil)
	for _, i := range t.defs {
		d, acc := cs.defs[i], pa.accs[i]
		for k := range evs {
			e := &evs[k]
			if d.Matches(e.Name) && p.reads(d, e) && !acc.Foldable(e, t.at) {
				return nil
			}
		}
	}
	return evs
}

// foldComputed updates t's definitions by folding its events into clones
// of the cached accumulators.
func (p *Processor) foldComputed(ctx context.Context, g *graph, cs *computedSet, id string, t *compTouch) error {
	b := g.b
	traits, err := g.traits(ctx, id)
	if err != nil {
		return err
	}
	accs := p.accsFrom(cs, id)
	at := t.at.UTC().Truncate(time.Microsecond)
	for _, i := range t.defs {
		d := cs.defs[i]
		acc := accs.accs[i].Clone()
		for k := range t.fold {
			if e := &t.fold[k]; p.reads(d, e) {
				acc.Fold(d, e, t.at)
			}
		}
		v, ok := acc.Value(d)
		if err := p.setComputed(b, traits, id, d.Name, v, ok, at); err != nil {
			return err
		}
		b.scheduleComputed(id, d, time.Time{}, false) // a lifetime trait over past events: no next change
		accs.accs[i] = acc
	}
	b.keepAccs(id, accs)
	p.metrics.computedFolds.Inc()
	return nil
}

// accsFrom is a new accumulator set for profile id under cs: the cached
// accumulators of definitions the batch does not update carry over (they
// stay valid: none of the batch's events reaches them).
func (p *Processor) accsFrom(cs *computedSet, id string) *profileAccs {
	out := &profileAccs{set: cs, accs: make([]*segment.ComputedAcc, len(cs.defs))}
	if pa, ok := p.cache.accs.peek(id); ok && pa.set == cs {
		copy(out.accs, pa.accs)
	}
	return out
}

// keepAccs records a profile's accumulators, cached when the batch commits.
func (b *batch) keepAccs(id string, pa *profileAccs) {
	if b.accs == nil {
		b.accs = map[string]*profileAccs{}
	}
	b.accs[id] = pa
}
