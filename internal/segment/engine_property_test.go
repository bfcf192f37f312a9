package segment

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mutation disables one part of the streaming engine in the simulation, to
// prove the property test notices (TestStreamingPropertyCatchesMutations).
type mutation int

const (
	mutNone         mutation = iota
	mutNoTimers              // ignore Result.Timers: no time-driven changes
	mutNoCreate              // a new profile evaluates only Affected, not All
	mutNoDependents          // Affected without the in_segment closure
	mutNoLateEvents          // the snapshot omits events older than the previous arrival
	mutNoCascade             // Fire re-evaluates only the timer's segment, not its dependents
)

// simStats counts what a run exercised, so the test can insist that the
// generator covers timers, late events and both directions.
type simStats struct {
	eventTransitions, timerTransitions, checks, members, lateEvents int
}

type simProfile struct {
	snap   Snapshot // what the engine reads
	events []Event  // every event received: what the oracle reads
	member map[string]bool
	timers map[string]time.Time
	last   time.Time // last processing instant
}

type simulation struct {
	idx *Index
	mut mutation
	// perProfile keeps one timer per profile (key "*") as the processor
	// does: the minimum of every reported instant and the previous timer,
	// fired with FireAll, whose result replaces it.
	perProfile bool
	profiles   map[string]*simProfile
	names      []string // created profiles, sorted
	stats      simStats
}

// runScenario generates segments and streams from seed, runs the streaming
// engine on a driven clock and compares its membership with Evaluate over
// the events received so far after every arrival and at random instants.
// It returns the first disagreement (or engine misbehaviour) as an error.
func runScenario(seed uint64, mut mutation) (simStats, error) {
	return runScenarioTimers(seed, mut, false)
}

func runScenarioTimers(seed uint64, mut mutation, perProfile bool) (simStats, error) {
	r := rand.New(rand.NewPCG(seed, 0x5e6))
	nseg := 3 + r.IntN(5)
	defs := make(map[string]*Definition, nseg)
	versions := map[string]int{}
	g := &defGen{r: r}
	for i := range nseg {
		id := fmt.Sprintf("s%d", i)
		src := g.node(0)
		d, err := ParseText(src)
		if err != nil {
			return simStats{}, fmt.Errorf("generated definition %q: %w", src, err)
		}
		defs[id], versions[id] = d, 1+r.IntN(3)
		g.refs = append(g.refs, id)
	}
	idx := NewIndex(defs, versions)
	if len(idx.Excluded()) > 0 {
		return simStats{}, fmt.Errorf("generated segments excluded: %v", idx.Excluded())
	}
	s := &simulation{idx: idx, mut: mut, perProfile: perProfile, profiles: map[string]*simProfile{}}
	stream := genStream(r, []string{"p1", "p2", "p3"}, 20+r.IntN(40))
	end := stream[len(stream)-1].arrival.Add(6 * day)
	checks := make([]time.Time, 30)
	for i := range checks {
		checks[i] = t0.Add(time.Duration(r.Int64N(int64(end.Sub(t0)))))
	}
	slices.SortFunc(checks, time.Time.Compare)
	for _, it := range stream {
		for len(checks) > 0 && checks[0].Before(it.arrival) {
			if err := s.checkAt(checks[0]); err != nil {
				return s.stats, err
			}
			checks = checks[1:]
		}
		if err := s.advance(it.arrival); err != nil {
			return s.stats, err
		}
		if err := s.arrive(it); err != nil {
			return s.stats, err
		}
		if err := s.check(it.arrival); err != nil {
			return s.stats, fmt.Errorf("after arrival of %s at %s: %w", it.profile, it.arrival.Format(time.RFC3339), err)
		}
	}
	for _, c := range append(checks, end) {
		if err := s.checkAt(c); err != nil {
			return s.stats, err
		}
	}
	return s.stats, nil
}

func (s *simulation) checkAt(t time.Time) error {
	if err := s.advance(t); err != nil {
		return err
	}
	if err := s.check(t); err != nil {
		return fmt.Errorf("check at %s: %w", t.Format(time.RFC3339), err)
	}
	return nil
}

// advance fires, in order of due time, every timer due at or before t.
func (s *simulation) advance(t time.Time) error {
	for {
		var (
			best    *simProfile
			bestSeg string
			due     time.Time
		)
		for _, name := range s.names {
			p := s.profiles[name]
			for _, id := range append(slices.Clone(s.idx.ids), "*") { // rank order breaks ties deterministically
				at, ok := p.timers[id]
				if ok && !at.After(t) && (best == nil || at.Before(due)) {
					best, bestSeg, due = p, id, at
				}
			}
		}
		if best == nil {
			return nil
		}
		delete(best.timers, bestSeg)
		var res Result
		var err error
		switch {
		case bestSeg == "*":
			res, err = FireAll(s.idx, best.snap, best.member, due, nil)
		case s.mut == mutNoCascade:
			res, err = run(s.idx, best.snap, best.member, []string{bestSeg}, due, nil, ReasonTimer, false, time.Time{})
		default:
			res, err = Fire(s.idx, best.snap, best.member, bestSeg, due, nil)
		}
		if err != nil {
			return err
		}
		if err := s.apply(best, res, due, true); err != nil {
			return fmt.Errorf("timer %s at %s: %w", bestSeg, due.Format(time.RFC3339Nano), err)
		}
	}
}

func (s *simulation) arrive(it streamItem) error {
	p, ok := s.profiles[it.profile]
	created := !ok
	if created {
		p = &simProfile{member: map[string]bool{}, timers: map[string]time.Time{}}
		p.snap = Snapshot{ProfileID: it.profile, Traits: map[string]any{}}
		s.profiles[it.profile] = p
		s.names = append(s.names, it.profile)
		slices.Sort(s.names)
	}
	var changed []string
	for k, v := range it.traits {
		if v == nil {
			delete(p.snap.Traits, k)
		} else {
			p.snap.Traits[k] = v
		}
		changed = append(changed, k)
	}
	slices.Sort(changed)
	var e Event
	if it.event != nil {
		e = *it.event
		p.events = append(p.events, e)
		if e.Timestamp.Before(p.last) {
			s.stats.lateEvents++
		}
		if s.mut != mutNoLateEvents || !e.Timestamp.Before(p.last) {
			p.snap.Events = append(p.snap.Events, e)
		}
	}
	// The processor's routing: with one timer per profile it leaves out
	// the segments the event cannot flip from the memberships held.
	r := s.idx.Route()
	r.Event(e)
	r.Traits(changed)
	affected := r.IDs()
	if s.perProfile {
		affected = r.IDsFor(p.member, p.timers["*"], func() (map[string]any, bool) { return p.snap.Traits, true })
	}
	switch {
	case created && s.mut != mutNoCreate:
		affected = s.idx.All()
	case s.mut == mutNoDependents:
		affected = directAffected(s.idx, e, changed)
	}
	var res Result
	var err error
	if s.perProfile {
		res, err = UpdateProfile(s.idx, p.snap, p.member, affected, it.arrival, p.timers["*"], nil)
		if err == nil {
			err = sameEarliest(res, s.idx, p, affected, it.arrival)
		}
	} else {
		res, err = Update(s.idx, p.snap, p.member, affected, it.arrival, nil)
	}
	if err != nil {
		return err
	}
	return s.apply(p, res, it.arrival, false)
}

// apply checks the engine's answer for internal consistency and applies it.
func (s *simulation) apply(p *simProfile, res Result, now time.Time, timer bool) error {
	if now.Before(p.last) {
		return fmt.Errorf("processing went back in time: %s after %s", now, p.last)
	}
	p.last = now
	for _, tr := range res.Transitions {
		if tr.Entered == p.member[tr.SegmentID] {
			return fmt.Errorf("transition %+v does not change membership", tr)
		}
		if !tr.At.Equal(now) || tr.Version != s.idx.Version(tr.SegmentID) {
			return fmt.Errorf("transition %+v: want at %s, version %d", tr, now, s.idx.Version(tr.SegmentID))
		}
		p.member[tr.SegmentID] = tr.Entered
		if timer {
			s.stats.timerTransitions++
		} else {
			s.stats.eventTransitions++
		}
	}
	if s.mut == mutNoTimers {
		return nil
	}
	for _, at := range res.Timers {
		if !at.IsZero() && !at.After(now) {
			return fmt.Errorf("timer at %s is not after now %s", at, now)
		}
	}
	if s.perProfile {
		// After a FireAll the result covers every segment; after an Update
		// only the affected ones, so the previous timer stays a candidate.
		if !res.Next.IsZero() && !res.Next.After(now) {
			return fmt.Errorf("next timer at %s is not after now %s", res.Next, now)
		}
		next, ok := res.Next, !res.Next.IsZero()
		if prev, had := p.timers["*"]; had && (!ok || prev.Before(next)) {
			next, ok = prev, true
		}
		if ok {
			p.timers["*"] = next
		}
		return nil
	}
	for id, at := range res.Timers {
		switch {
		case at.IsZero():
			delete(p.timers, id)
		case !at.After(now):
			return fmt.Errorf("timer of %s at %s is not after now %s", id, at, now)
		default:
			p.timers[id] = at
		}
	}
	return nil
}

// check compares every created profile's streaming membership with a
// from-scratch Evaluate over the events received so far.
func (s *simulation) check(t time.Time) error {
	for _, name := range s.names {
		p := s.profiles[name]
		for _, id := range s.idx.ids {
			def, _ := s.idx.Lookup(id)
			oracle := Snapshot{ProfileID: name, Traits: p.snap.Traits, Events: p.events}
			want, err := Evaluate(def, oracle, t, s.idx.Lookup)
			if err != nil {
				return err
			}
			s.stats.checks++
			if want {
				s.stats.members++
			}
			if got := p.member[id]; got != want {
				return fmt.Errorf("profile %s segment %s (%s): streaming %v, batch %v\n%s",
					name, id, def.Text(), got, want, describeSnapshot(oracle, s.idx))
			}
		}
	}
	return nil
}

// directAffected is Affected without the in_segment closure (a mutation).
func directAffected(ix *Index, e Event, changed []string) []string {
	all := ix.Affected(e, changed)
	var out []string
	for _, id := range all {
		r := ix.rank[id]
		direct := slices.Contains(ix.byEvent[e.Name], r) || slices.Contains(ix.anyEvent, r)
		for _, p := range changed {
			for _, k := range ix.byTrait[pathHead(p)] {
				direct = direct || (k.seg == r && pathsRelated(p, k.path))
			}
		}
		if direct {
			out = append(out, id)
		}
	}
	return out
}

func describeSnapshot(p Snapshot, ix *Index) string {
	var b strings.Builder
	for _, id := range ix.ids {
		d, _ := ix.Lookup(id)
		fmt.Fprintf(&b, "  %s: %s\n", id, d.Text())
	}
	fmt.Fprintf(&b, "  traits %v\n", p.Traits)
	evs := slices.Clone(p.Events)
	slices.SortStableFunc(evs, func(a, b Event) int { return cmp.Compare(a.Timestamp.UnixNano(), b.Timestamp.UnixNano()) })
	for _, e := range evs {
		fmt.Fprintf(&b, "  %s %s %s %v %v\n", e.Timestamp.Format(time.RFC3339), e.Name, e.Channel, e.Properties, e.Context)
	}
	return b.String()
}

const propertySeeds = 300

// TestStreamingEqualsBatch is the property of issue 3 §2: for random event
// streams (late and future-dated events, trait updates) and random segment
// definitions (every evaluable node kind, in_segment without cycles),
// streaming membership at any time t equals Evaluate over the events
// received by t.
// It holds both with one timer per (profile, segment) and with the one
// timer per profile the processor keeps (FireAll).
func TestStreamingEqualsBatch(t *testing.T) {
	t.Parallel()
	for _, perProfile := range []bool{false, true} {
		t.Run(fmt.Sprintf("timer_per_profile=%t", perProfile), func(t *testing.T) {
			t.Parallel()
			streamingEqualsBatch(t, perProfile)
		})
	}
}

func streamingEqualsBatch(t *testing.T, perProfile bool) {
	var total simStats
	for seed := range uint64(propertySeeds) {
		st, err := runScenarioTimers(seed, mutNone, perProfile)
		require.NoError(t, err, "seed %d", seed)
		total.eventTransitions += st.eventTransitions
		total.timerTransitions += st.timerTransitions
		total.checks += st.checks
		total.members += st.members
		total.lateEvents += st.lateEvents
	}
	t.Logf("%+v", total)
	// the generator must exercise every path, or the property proves little
	require.Greater(t, total.timerTransitions, 200, "time-driven transitions")
	require.Greater(t, total.eventTransitions, 200, "event-driven transitions")
	require.Greater(t, total.lateEvents, 200, "late events")
	require.Greater(t, total.members, total.checks/10, "members")
	require.Less(t, total.members, total.checks*9/10, "members")
}

// TestStreamingPropertyCatchesMutations shows the property test can fail:
// each mutation of the engine's protocol is detected on some seed.
func TestStreamingPropertyCatchesMutations(t *testing.T) {
	t.Parallel()
	muts := map[string]mutation{
		"timers disabled":                mutNoTimers,
		"no full evaluation at creation": mutNoCreate,
		"no in_segment closure":          mutNoDependents,
		"late events dropped":            mutNoLateEvents,
	}
	for _, name := range slices.Sorted(maps.Keys(muts)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(propertySeeds) {
				if _, err := runScenario(seed, muts[name]); err != nil {
					t.Logf("caught on seed %d: %.200s", seed, err)
					return
				}
			}
			t.Fatalf("mutation %q was not detected in %d seeds", name, propertySeeds)
		})
	}
}

// sameEarliest checks that the bounded search of UpdateProfile found the
// instant an exact Update does, once the pending timer is folded in.
func sameEarliest(bounded Result, idx *Index, p *simProfile, affected []string, now time.Time) error {
	exact, err := Update(idx, p.snap, p.member, affected, now, nil)
	if err != nil {
		return err
	}
	fold := func(r Result) time.Time {
		at := r.Next
		if prev, ok := p.timers["*"]; ok && (at.IsZero() || prev.Before(at)) {
			at = prev
		}
		return at
	}
	if b, e := fold(bounded), fold(exact); !b.Equal(e) {
		return fmt.Errorf("bounded search gives the profile timer %s, the exact one %s", b, e)
	}
	return nil
}
