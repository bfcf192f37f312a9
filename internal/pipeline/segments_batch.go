package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// segTouch is one applied event and the profile it was attributed to.
type segTouch struct {
	ev        *event.Event
	profileID string // as attributed; map through batch.final
	created   bool   // the event created the profile
}

// evalSegments re-evaluates, after all events of the batch are applied,
// the segments each touched profile may have entered or left, and adds the
// joins, leaves and timers to the batch so they commit with its checkpoint.
func (p *Processor) evalSegments(ctx context.Context, g *graph) error {
	b := g.b
	idx := p.segIndex()
	all := idx.All()
	if len(all) == 0 || len(b.touches) == 0 {
		return nil
	}
	type touched struct {
		evs []*event.Event
		all bool
	}
	per := map[string]*touched{}
	get := func(id string) *touched {
		t := per[id]
		if t == nil {
			t = &touched{}
			per[id] = t
		}
		return t
	}
	for _, tc := range b.touches {
		t := get(b.final(tc.profileID))
		t.evs = append(t.evs, tc.ev)
		t.all = t.all || tc.created
	}
	for _, m := range b.merges {
		if !m.Refused {
			get(b.final(m.Winner)).all = true
		}
	}
	// Route every profile's events first: a profile whose events reach no
	// segment needs no state, and the states the others need are read a page
	// at a time (an expiry burst's read-back would otherwise read them one
	// profile at a time once they left the cache).
	type routedProfile struct {
		id string
		t  *touched
		r  *segment.Routing
		st *segState
	}
	var (
		routed []routedProfile
		need   []string
	)
	for _, id := range sortedKeys(per) {
		t := per[id]
		pr, ok := b.profiles[id]
		if !ok || pr.MergedInto != "" || len(t.evs) == 0 {
			continue
		}
		rp := routedProfile{id: id, t: t}
		if !t.all {
			rp.r = p.route(idx, b, id, t.evs)
			if !rp.r.Routed() {
				continue
			}
			need = append(need, id)
		}
		routed = append(routed, rp)
	}
	if err := p.prefetchSegStates(ctx, need); err != nil {
		return err
	}
	for i := range routed {
		if rp := &routed[i]; !rp.t.all {
			st, err := p.segStateOf(ctx, rp.id)
			if err != nil {
				return err
			}
			rp.st = st
		}
	}
	// Settling a routing against the memberships decodes the properties a
	// filter, a sum or an extreme reads when the event's name leaves the
	// answer open: per profile and independent, so on the workers.
	p.parallel(len(routed), func(i int) {
		if rp := &routed[i]; !rp.t.all {
			rp.r.Settle(rp.st.in, rp.st.timers[profileTimerRef])
		}
	})
	var jobs []*segJob
	for _, rp := range routed {
		affected := all
		tr := &snapTraits{g: g, id: rp.id}
		if !rp.t.all {
			affected = rp.r.IDsFor(rp.st.in, rp.st.timers[profileTimerRef], func() (map[string]any, bool) {
				m, err := tr.get(ctx)
				return m, err == nil
			})
		}
		if len(affected) == 0 {
			continue
		}
		job, err := p.segJobOf(ctx, tr, rp.t.evs, affected)
		if err != nil {
			return err
		}
		jobs = append(jobs, job)
	}
	p.parallel(len(jobs), func(i int) {
		j := jobs[i]
		j.res, j.err = segment.UpdateProfile(idx, j.snap, j.current, j.affected, j.now, j.pending, idx.Lookup)
	})
	out := &segOut{}
	for _, j := range jobs {
		if j.err != nil {
			return fmt.Errorf("update segments of profile %s: %w", j.id, j.err)
		}
		out.add(j.id, j.res)
	}
	b.seg = out
	return nil
}

// route collects the segments the profile's events and changed traits
// reach; IDsFor of the result, given the profile's memberships, is what to
// evaluate: the routed segments in dependency order, less those the events
// cannot flip from there.
func (p *Processor) route(idx *segment.Index, b *batch, id string, evs []*event.Event) *segment.Routing {
	r := idx.Route()
	for _, e := range evs {
		if p.isInternal(e) {
			// The processor's own events reach only segments that name them:
			// routing them to any-event (channel) segments re-evaluated every
			// such segment once per transition (BENCHMARKS.md, segments).
			r.EventName(e.Name)
		} else {
			r.Event(p.segEvent(b, e)) // its properties decoded only if a filter, a sum or an extreme reads them
		}
	}
	if len(b.dirty[id])+len(b.deleted[id]) > 0 {
		paths := make([]string, 0, len(b.dirty[id])+len(b.deleted[id]))
		for path := range b.dirty[id] {
			paths = append(paths, path)
		}
		for path := range b.deleted[id] {
			paths = append(paths, path)
		}
		r.Traits(paths)
	}
	return r
}

// segJob is one profile's segment evaluation in a batch: what it reads,
// gathered first on the processor goroutine (caches are not shared), then
// evaluated, possibly on another core (segment.UpdateProfile is pure).
type segJob struct {
	id       string
	snap     segment.Snapshot
	current  map[string]bool // read only
	affected []string
	now      time.Time
	pending  time.Time
	res      segment.Result
	err      error
}

// segJobOf gathers what evaluating the affected segments of one surviving
// profile reads: its working traits, its committed events plus this
// batch's, at the newest arrival time among its events in the batch (so a
// replay decides the same), and its memberships and pending timer.
func (p *Processor) segJobOf(ctx context.Context, tr *snapTraits, evs []*event.Event, affected []string) (*segJob, error) {
	id := tr.id
	j := &segJob{id: id, snap: segment.Snapshot{ProfileID: id}, affected: affected}
	var err error
	if j.snap.Traits, err = tr.get(ctx); err != nil {
		return nil, err
	}
	if j.snap.Events, j.now, err = p.batchEvents(ctx, tr.g.b, id, evs); err != nil {
		return nil, err
	}
	st, err := p.segStateOf(ctx, id)
	if err != nil {
		return nil, err
	}
	j.current, j.pending = st.in, st.timers[profileTimerRef]
	return j, nil
}

// snapTraits reads a profile's traits as its segment evaluation sees them,
// once: routing may test them first (a segment's trait gate), and the
// evaluation then reuses what it read.
type snapTraits struct {
	g    *graph
	id   string
	read bool
	m    map[string]any
	err  error
}

func (t *snapTraits) get(ctx context.Context) (map[string]any, error) {
	if t.read {
		return t.m, t.err
	}
	t.read = true
	rows, err := t.g.traits(ctx, t.id)
	if err != nil {
		t.err = err
		return nil, err
	}
	if t.m, err = traitsOf(rows); err != nil {
		t.err = fmt.Errorf("traits of profile %s: %w", t.id, err)
	}
	return t.m, t.err
}
