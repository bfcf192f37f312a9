package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// evalComputed recomputes, after all events of the batch are applied and
// before segments are evaluated (so segments read the new values), the
// computed traits whose event a touched profile received — every trait
// for a merge winner — and writes changed values (or deletes undefined
// ones) into the batch, to commit with it. A profile whose triggered
// traits all have cached accumulators its events can be folded into
// (planComputed) costs no history read; the others are recomputed from
// their histories, which also rebuilds their accumulators.
func (p *Processor) evalComputed(ctx context.Context, g *graph) error {
	cs := p.computed.Load()
	b := g.b
	if b.comp == nil {
		p.planComputed(b)
	}
	var jobs []*compJob
	for _, id := range b.comp.order {
		t := b.comp.touched[id]
		if t.fold != nil {
			if err := p.foldComputed(ctx, g, cs, id, t); err != nil {
				return err
			}
			continue
		}
		evs, now, err := p.batchEvents(ctx, b, id, t.evs)
		if err != nil {
			return err
		}
		// Histories are kept in time order (cache.events); a check guards
		// against one that is not, so each ComputeValue and
		// ComputedNextChange does not clone and sort it.
		if !slices.IsSortedFunc(evs, byEventTime) {
			evs = slices.Clone(evs)
			slices.SortStableFunc(evs, byEventTime)
		}
		j := &compJob{id: id, evs: evs, now: now, at: t.at.UTC().Truncate(time.Microsecond), pos: t.defs, accs: p.accsFrom(cs, id)}
		for _, i := range t.defs {
			j.defs = append(j.defs, cs.defs[i])
		}
		// The history is at hand: start the accumulators of the other
		// definitions too, so the profile's next events fold.
		for i, d := range cs.defs {
			if j.accs.accs[i] == nil && !slices.Contains(t.defs, i) && d.Incremental() {
				j.more = append(j.more, i)
			}
		}
		jobs = append(jobs, j)
	}
	p.parallel(len(jobs), func(i int) { p.computeJob(jobs[i]) })
	for _, j := range jobs {
		traits, err := g.traits(ctx, j.id)
		if err != nil {
			return err
		}
		for k, d := range j.defs {
			r := j.out[k]
			if r.err != nil {
				return fmt.Errorf("compute trait %s of profile %s: %w", d.Name, j.id, r.err)
			}
			if err := p.setComputed(b, traits, j.id, d.Name, r.v, r.ok, j.at); err != nil {
				return err
			}
			b.scheduleComputed(j.id, d, r.next, r.nextOK)
			j.accs.accs[j.pos[k]] = r.acc
		}
		b.keepAccs(j.id, j.accs)
	}
	return nil
}

// compJob is one profile's computed traits in a batch: gathered on the
// processor goroutine, computed possibly on another core (ComputeValue
// and ComputedNextChange are pure), applied in profile order.
type compJob struct {
	id   string
	defs []*segment.ComputedDef
	pos  []int // of defs in the computedSet
	evs  []segment.Event
	now  time.Time
	at   time.Time // the value's time: the newest arrival among the batch's events
	out  []compResult
	accs *profileAccs // the profile's accumulators after the batch
	more []int        // positions of other Incremental definitions whose accumulators to start
}

type compResult struct {
	v      any
	ok     bool
	err    error
	next   time.Time
	nextOK bool
	acc    *segment.ComputedAcc // the value's accumulator, when it can be kept
}

// computeJob computes j's values and their next changes; an Incremental
// definition's value comes from the accumulator it is then kept in.
func (p *Processor) computeJob(j *compJob) {
	j.out = make([]compResult, len(j.defs))
	var external []segment.Event // eventsFor of any-event definitions, filtered once
	for k, d := range j.defs {
		read := j.evs
		if d.Event == "" {
			if external == nil {
				external = p.eventsFor(d, j.evs)
			}
			read = external
		}
		snap := segment.Snapshot{ProfileID: j.id, Events: read}
		r := &j.out[k]
		if acc, ok := segment.NewComputedAcc(d, snap, j.now); ok {
			r.v, r.ok = acc.Value(d)
			r.acc = acc // nothing ahead: no next change
			continue
		}
		if r.v, r.ok, r.err = segment.ComputeValue(d, snap, j.now); r.err != nil {
			return
		}
		r.next, r.nextOK = segment.ComputedNextChange(d, snap, j.now)
	}
	cs := j.accs.set
	for _, i := range j.more {
		d := cs.defs[i]
		if acc, ok := segment.NewComputedAcc(d, segment.Snapshot{ProfileID: j.id, Events: p.eventsFor(d, j.evs)}, j.now); ok {
			j.accs.accs[i] = acc
		}
	}
}

// triggers reports whether one of evs can change def's value.
func (p *Processor) triggers(def *segment.ComputedDef, evs []*event.Event) bool {
	for _, e := range evs {
		if def.Matches(e.Name) && (def.Event != "" || p.internalSource == "" || e.SourceID != p.internalSource) {
			return true
		}
	}
	return false
}

// setComputed writes a computed value into the batch's working traits when
// it changed, or deletes the computed trait when the value is undefined.
func (p *Processor) setComputed(b *batch, traits map[string]store.Trait, id, path string, v any, ok bool, at time.Time) error {
	cur, has := traits[path]
	if !ok {
		if has && cur.Computed {
			delete(traits, path)
			delete(b.dirty[id], path)
			mark(b.deleted, id, path)
		}
		return nil
	}
	t, err := p.computedTrait(path, v, at)
	if err != nil {
		return err
	}
	if has && sameComputed(cur, t) {
		return nil
	}
	for _, c := range profile.Conflicts(path, traits) {
		delete(traits, c)
		delete(b.dirty[id], c)
		mark(b.deleted, id, c)
	}
	traits[path] = t
	mark(b.dirty, id, path)
	delete(b.deleted[id], path)
	return nil
}

// batchEvents is a profile's committed events (its own and those of the
// profiles merged into it, also inside this batch) plus evs, and the
// newest arrival among evs: the evaluation instant, so a replay decides
// the same. The result is kept for the batch's segment evaluation.
func (p *Processor) batchEvents(ctx context.Context, b *batch, id string, evs []*event.Event) ([]segment.Event, time.Time, error) {
	var now time.Time
	for _, e := range evs {
		if e.ReceivedAt.After(now) {
			now = e.ReceivedAt
		}
	}
	if got, ok := b.events[id]; ok {
		return got, now, nil
	}
	losers := b.losersOf(id)
	var (
		out []segment.Event
		err error
	)
	read := true // the committed history from the store
	if cached, ok := p.cache.events.get(id); ok && len(losers) == 0 {
		// The cached history is the profile's committed events in
		// event-time order, exactly what committedEvents would read.
		// A copy with room for the batch's events: the cached slice is
		// shared, and inserting into a clipped one doubled it.
		out, read = append(make([]segment.Event, 0, len(cached)+len(evs)), cached...), false
		p.metrics.histories.WithLabelValues("hit").Inc()
	} else if b.created[id] && len(losers) == 0 {
		read = false // created by this batch: nothing committed yet
	}
	if read {
		p.metrics.histories.WithLabelValues("miss").Inc()
		ids := profileIDs(id, losers...)
		skip := make(map[int64]bool, len(evs))
		for _, e := range evs {
			skip[e.Seq] = true
		}
		if out, err = p.committedEvents(ctx, ids, skip); err != nil {
			return nil, now, err
		}
	}
	out = p.convertEvents(b, evs, out)
	if b.events == nil {
		b.events = map[string][]segment.Event{}
	}
	b.events[id] = out
	return out, now, nil
}

// extendHistories adds to b.events, for each profile the batch touched
// without evaluating its history (events only the processor's own
// Segment Entered/Exited reach, routed to no segment), its cached history
// followed by the batch's events, so the cache keeps that history instead
// of dropping it and the profile's next event does not re-read its whole
// timeline. Profiles merged in the batch are left to be re-read.
func (p *Processor) extendHistories(b *batch) {
	var order []string
	add := map[string][]*event.Event{}
	for _, tc := range b.touches {
		id := b.final(tc.profileID)
		if _, built := b.events[id]; built {
			continue
		}
		if _, ok := add[id]; !ok {
			order = append(order, id)
		}
		add[id] = append(add[id], tc.ev)
	}
	if len(order) == 0 {
		return
	}
	for _, id := range order {
		if _, lost := b.mergedInto[id]; lost || len(b.losersOf(id)) > 0 {
			continue
		}
		if pr, ok := b.profiles[id]; ok && pr.MergedInto != "" {
			continue
		}
		cached, ok := p.cache.events.peek(id)
		if !ok {
			continue
		}
		out := p.convertEvents(b, add[id], slices.Clip(cached))
		if b.events == nil {
			b.events = map[string][]segment.Event{}
		}
		b.events[id] = out
	}
}

// unloadBodies drops the bodies the batch's events kept and no condition
// read, before their histories go to the cache: a condition that reads one
// later reads it from the log (segment.Event.Unload). A late event sits
// among older ones, so the whole history is walked; the others are
// unloaded already and cost a check each.
func unloadBodies(b *batch) {
	for _, h := range b.events {
		for i := range h {
			h[i].Unload()
		}
	}
}

func byEventTime(a, b segment.Event) int { return a.Timestamp.Compare(b.Timestamp) }
