package segment

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Index routes profile changes to the live segments they can affect. It is
// built once per set of segment definitions (rebuild it when a segment is
// created, edited or deleted), is immutable and safe for concurrent use.
//
// Routing keys come from each segment's own condition tree:
//   - performed, first_performed, last_performed, aggregate and every
//     sequence step (negated or not): the event name;
//   - channel: any event;
//   - trait: the trait path (a changed path p affects a node path q when
//     p == q, or one is a dotted prefix of the other);
//   - everyone and random_bucket: nothing (they are decided at profile
//     creation, see All);
//   - in_segment: the keys of the referenced segments, through the
//     dependency closure (a segment is affected when a segment it
//     references, directly or transitively, is).
//
// not and count = 0 need no extra keys: a negated condition changes value
// only when its operand does, i.e. on the same events or traits, or with
// time (timers). The one moment a condition can be true with no matching
// input is profile creation, when every segment is evaluated.
type Index struct {
	ids        []string // live segments in dependency order (rank → id)
	rank       map[string]int32
	defs       []*Definition // by rank
	versions   []int         // by rank
	byEvent    map[string][]int32
	anyEvent   []int32
	byTrait    map[string][]traitKey      // keyed by the first path component
	dependents [][]int32                  // by rank: segments referencing it directly (higher ranks)
	dirsByName map[string][]eventDirs     // event name → by rank: how an added event can move it (monotone.go)
	dirsOther  []eventDirs                // by rank, for names no segment reads
	dirsValue  map[string][]bool          // event name → by rank: directions depend on the event's properties
	gates      [][]*Node                  // by rank: the clock-free trait tests the segment needs (gate.go)
	delays     map[string][]time.Duration // event name → by rank: how long after it an event can move it (delay.go); nil without any
	delayed    []int32                    // by rank: its place among the segments with a delay for some name, or -1
	nDelayed   int
	excluded   map[string]error
}

type traitKey struct {
	path string
	seg  int32
}

// segKeys are the routing keys of one segment's own tree.
type segKeys struct {
	events   []string
	traits   []string
	anyEvent bool
	refs     []string
	reserved Kind // message or subscription: not evaluable yet
}

// NewIndex indexes defs (segment id → latest definition) with their
// versions (segment id → version number, reported in transitions). A
// segment that cannot be evaluated live is left out and reported by
// Excluded: it uses message or subscription (ErrNotAvailable), references
// an unknown segment (ErrUnknownSegment), is on a reference cycle
// (ErrCycle), or references an excluded segment. Nil definitions are
// ignored.
func NewIndex(defs map[string]*Definition, versions map[string]int) *Index {
	ix := &Index{
		rank:     map[string]int32{},
		byEvent:  map[string][]int32{},
		byTrait:  map[string][]traitKey{},
		excluded: map[string]error{},
	}
	keys := make(map[string]*segKeys, len(defs))
	sorted := make([]string, 0, len(defs))
	for id, d := range defs {
		if d == nil || d.Root == nil {
			continue
		}
		k := &segKeys{}
		k.collect(d.Root)
		slices.Sort(k.events)
		k.events = slices.Compact(k.events)
		keys[id] = k
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)

	// depth-first post-order over sorted ids: references come first
	const (
		unvisited = iota
		visiting
		done
	)
	state := make(map[string]int, len(sorted))
	var visit func(id string) error
	visit = func(id string) error {
		switch state[id] {
		case visiting:
			return fmt.Errorf("segment %s: %w", id, ErrCycle)
		case done:
			return ix.excluded[id]
		}
		k, ok := keys[id]
		if !ok {
			return fmt.Errorf("segment %s: %w", id, ErrUnknownSegment)
		}
		state[id] = visiting
		var err error
		if k.reserved != "" {
			err = fmt.Errorf("segment %s uses %s: %w", id, k.reserved, ErrNotAvailable)
		}
		for _, ref := range k.refs {
			if e := visit(ref); e != nil && err == nil {
				err = fmt.Errorf("segment %s references %s: %w", id, ref, e)
			}
		}
		state[id] = done
		if err != nil {
			ix.excluded[id] = err
			return err
		}
		ix.add(id, defs[id], versions[id], k)
		return nil
	}
	for _, id := range sorted {
		_ = visit(id) //nolint:errcheck // recorded in ix.excluded
	}
	ix.dependents = make([][]int32, len(ix.ids))
	for r, id := range ix.ids {
		for _, ref := range keys[id].refs {
			p := ix.rank[ref]
			if !slices.Contains(ix.dependents[p], int32(r)) {
				ix.dependents[p] = append(ix.dependents[p], int32(r))
			}
		}
	}
	dirsFor := func(name string) []eventDirs {
		out := make([]eventDirs, len(ix.ids))
		for r, d := range ix.defs {
			out[r] = dirsOf(d.Root, name)
		}
		return out
	}
	ix.dirsByName = make(map[string][]eventDirs, len(ix.byEvent))
	ix.dirsValue = map[string][]bool{}
	for name := range ix.byEvent {
		ix.dirsByName[name] = dirsFor(name)
		for r, d := range ix.defs {
			if valueDirs(d.Root, name) {
				if ix.dirsValue[name] == nil {
					ix.dirsValue[name] = make([]bool, len(ix.ids))
				}
				ix.dirsValue[name][r] = true
			}
		}
	}
	ix.dirsOther = dirsFor("\x00") // no event is named so
	for _, name := range append(slices.Collect(maps.Keys(ix.byEvent)), "\x00") {
		var out []time.Duration
		for r, d := range ix.defs {
			if l := delayOf(d.Root, name); l > 0 && l != noDelay {
				if out == nil {
					out = make([]time.Duration, len(ix.ids))
				}
				out[r] = l
			}
		}
		if out != nil {
			if ix.delays == nil {
				ix.delays = map[string][]time.Duration{}
			}
			ix.delays[name] = out
		}
	}
	ix.delayed = make([]int32, len(ix.ids))
	for r := range ix.delayed {
		ix.delayed[r] = -1
		for _, out := range ix.delays {
			if out[r] > 0 {
				ix.delayed[r] = int32(ix.nDelayed)
				ix.nDelayed++
				break
			}
		}
	}
	return ix
}

// add appends a live segment whose references are all already added.
func (ix *Index) add(id string, d *Definition, version int, k *segKeys) {
	r := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.rank[id] = r
	ix.defs = append(ix.defs, d)
	ix.versions = append(ix.versions, version)
	ix.gates = append(ix.gates, gateOf(d.Root))
	for _, name := range k.events {
		if l := ix.byEvent[name]; len(l) == 0 || l[len(l)-1] != r {
			ix.byEvent[name] = append(l, r)
		}
	}
	if k.anyEvent {
		ix.anyEvent = append(ix.anyEvent, r)
	}
	for _, p := range k.traits {
		h := pathHead(p)
		ix.byTrait[h] = append(ix.byTrait[h], traitKey{path: p, seg: r})
	}
}

func (k *segKeys) collect(n *Node) {
	switch n.Kind() {
	case KindAnd:
		for _, c := range n.And {
			k.collect(c)
		}
	case KindOr:
		for _, c := range n.Or {
			k.collect(c)
		}
	case KindNot:
		k.collect(n.Not)
	case KindTrait:
		k.traits = append(k.traits, n.Trait.Path)
	case KindPerformed:
		k.events = append(k.events, n.Performed.Event)
	case KindFirstPerformed:
		k.events = append(k.events, n.FirstPerformed.Event)
	case KindLastPerformed:
		k.events = append(k.events, n.LastPerformed.Event)
	case KindSequence:
		for _, s := range n.Sequence.Steps {
			k.events = append(k.events, s.Event)
		}
	case KindAggregate:
		k.events = append(k.events, n.Aggregate.Event)
	case KindChannel:
		k.anyEvent = true
	case KindInSegment:
		k.refs = append(k.refs, n.InSegment.IDs...)
	case KindMessage, KindSubscription:
		if k.reserved == "" {
			k.reserved = n.Kind()
		}
	}
}

func pathHead(p string) string {
	if i := strings.IndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return p
}

// pathsRelated reports whether changing trait path changed can change the
// value read at path q: equal, or one is a dotted prefix of the other
// (an object replaced, or a leaf under an object read as a nested map).
func pathsRelated(changed, q string) bool {
	if len(changed) == len(q) {
		return changed == q
	}
	short, long := changed, q
	if len(short) > len(long) {
		short, long = long, short
	}
	return strings.HasPrefix(long, short) && long[len(short)] == '.'
}

// Affected returns the live segments to re-evaluate for a profile after ev
// was appended to it and the traits at changedTraits (dotted paths) were
// set or removed, in dependency order (a segment after the segments it
// references). Pass a zero Event when only traits changed. The result is
// minimal for the routing rules of Index: nil when nothing can change.
// For a new profile (or one that just absorbed another by a merge) use All.
func (ix *Index) Affected(ev Event, changedTraits []string) []string {
	r := ix.Route()
	r.Event(ev)
	r.Traits(changedTraits)
	return r.IDs()
}

// AffectedByName returns the live segments whose conditions name the event
// name (performed, first/last_performed, aggregate, sequence steps) and their
// dependents, in dependency order — Affected without the any-event routing.
// The processor uses it for its own events, which are not touchpoints.
func (ix *Index) AffectedByName(name string) []string {
	r := ix.Route()
	r.EventName(name)
	return r.IDs()
}

// Routing collects the segments affected by several events and trait
// changes of one profile (a batch holds many): the union of what Affected
// would return for each, without building and merging the lists.
type Routing struct {
	ix     *Index
	mark   []bool      // by rank; nil until something is hit
	forced []bool      // by rank: hit by a trait change; nil until one is
	dirs   []eventDirs // by rank: how the routed events can move it; nil until one is routed
	// Directions that depend on an event's properties are worked out only
	// when its name alone does not settle the segment (Settle): lazy holds,
	// by rank, what the name allows (an upper bound), valued the events.
	lazy    []eventDirs
	valued  []Event
	settled bool
	// For the segments with a delayed condition (delay.go), by their
	// place in Index.delayed: whether every routed event acts only after
	// a delay, and the earliest instant one can.
	onsets []onset
}

type onset struct {
	state   int8 // onsetNone, onsetLate, onsetNow (one acts at once)
	soonest time.Time
}

const (
	onsetNone int8 = iota
	onsetLate
	onsetNow
)

// noteOnset records that an event routed to rank can move it from at on
// (at zero: at once). Only segments with a delayed condition keep onsets.
func (r *Routing) noteOnset(rank int32, at time.Time) {
	i := r.ix.delayed[rank]
	if i < 0 {
		return
	}
	if r.onsets == nil {
		r.onsets = make([]onset, r.ix.nDelayed)
	}
	o := &r.onsets[i]
	switch {
	case at.IsZero():
		o.state = onsetNow
	case o.state == onsetNone || (o.state == onsetLate && at.Before(o.soonest)):
		o.state, o.soonest = onsetLate, at
	}
}

// lateFrom reports whether every event routed to rank acts only after a
// delay, and the earliest instant one can.
func (r *Routing) lateFrom(rank int) (time.Time, bool) {
	if r.onsets == nil || r.ix.delayed[rank] < 0 {
		return time.Time{}, false
	}
	o := r.onsets[r.ix.delayed[rank]]
	return o.soonest, o.state == onsetLate
}

// Route starts an empty Routing.
func (ix *Index) Route() *Routing { return &Routing{ix: ix} }

func (r *Routing) hit(rank int32) {
	if r.mark == nil {
		r.mark = make([]bool, len(r.ix.ids))
	}
	r.mark[rank] = true
}

// Event adds the segments Affected routes ev to: those naming its event
// name and those reading any event. A zero Event adds nothing. The
// directions it notes for IDsFor read ev's properties where they matter
// (dirsOfEvent), and only if its name leaves the answer open (Settle);
// EventName, which has no event, assumes either way.
func (r *Routing) Event(ev Event) {
	if ev.Name == "" && ev.Type == "" && ev.Timestamp.IsZero() {
		return
	}
	dirs := r.dirsOf(ev.Name)
	byValue := r.ix.dirsValue[ev.Name]
	var delays []time.Duration // nil: every routed segment can move at once
	if r.ix.delays != nil {
		delays = r.ix.delaysOf(ev.Name)
	}
	valued := false
	add := func(k int32) {
		r.hit(k)
		if r.ix.delays != nil {
			var at time.Time // at once
			if delays != nil && delays[k] > 0 {
				at = ev.Timestamp.Add(delays[k])
			}
			r.noteOnset(k, at)
		}
		if byValue != nil && byValue[k] {
			if r.lazy == nil {
				r.lazy = make([]eventDirs, len(r.ix.ids))
			}
			r.lazy[k] = r.lazy[k].or(dirs[k])
			valued = true
			return
		}
		r.dirs[k] = r.dirs[k].or(dirs[k])
	}
	for _, k := range r.ix.byEvent[ev.Name] {
		add(k)
	}
	for _, k := range r.ix.anyEvent {
		add(k)
	}
	if valued {
		r.valued = append(r.valued, ev)
	}
}

// delaysOf returns the delays by rank for an event named name (delay.go),
// like dirsOf: names no segment reads share one entry. Nil when none of
// the segments it reaches has a delay for it.
func (ix *Index) delaysOf(name string) []time.Duration {
	if _, named := ix.byEvent[name]; !named {
		name = "\x00"
	}
	return ix.delays[name]
}

// EventName adds the segments whose conditions name the event name.
func (r *Routing) EventName(name string) {
	dirs := r.dirsOf(name)
	for _, k := range r.ix.byEvent[name] {
		r.hit(k)
		r.dirs[k] = r.dirs[k].or(dirs[k])
		if r.ix.delays != nil {
			r.noteOnset(k, time.Time{}) // no timestamp to count from
		}
	}
}

// dirsOf returns the directions by rank for an event named name, making
// r.dirs ready to take them.
func (r *Routing) dirsOf(name string) []eventDirs {
	if r.dirs == nil {
		r.dirs = make([]eventDirs, len(r.ix.ids))
	}
	if d, ok := r.ix.dirsByName[name]; ok {
		return d
	}
	return r.ix.dirsOther
}

// Traits adds the segments reading a trait at or under (or above) one of
// the dotted paths.
func (r *Routing) Traits(changed []string) {
	for _, p := range changed {
		for _, k := range r.ix.byTrait[pathHead(p)] {
			if pathsRelated(p, k.path) {
				r.hit(k.seg)
				if r.forced == nil {
					r.forced = make([]bool, len(r.ix.ids))
				}
				r.forced[k.seg] = true
			}
		}
	}
}

// Routed reports whether anything was routed: without, IDs and IDsFor are
// nil whatever the profile's memberships.
func (r *Routing) Routed() bool { return r.mark != nil }

// IDs returns the routed segments and their transitive dependents in
// dependency order; nil when nothing was routed.
func (r *Routing) IDs() []string {
	if r.mark == nil {
		return nil
	}
	return r.ix.closure(r.mark)
}

// IDsFor is IDs for a profile holding the memberships current, leaving
// out the segments that only events routed to and that those events cannot
// flip from there (a member of a segment they can only raise, a non-member
// of one they can only lower; monotone.go), with the dependents they would
// have pulled in. An added event moves such a condition, at every instant, only the
// way it already is, so nothing the profile's pending timer covers comes
// earlier: the timer (no later than the segment's next change as last
// evaluated) still fires in time, and a change it was already due for is
// made when it fires rather than now; and a segment the events can move
// only after pending, the profile's pending timer. That first step is
// Settle, which may have run already, on another goroutine. IDsFor also
// leaves out a non-member of a segment that only events routed to when
// the profile's traits fail the segment's gate (gate.go): false at every
// instant, before and after. traits returns the profile's traits as the
// evaluation will see them, or false when they cannot be read (then no
// gate is tested); it is called at most once, and only when a gate is to
// be tested. Call it (and Settle) once every event and trait change has
// been routed.
func (r *Routing) IDsFor(current map[string]bool, pending time.Time, traits func() (map[string]any, bool)) []string {
	if r.mark == nil {
		return nil
	}
	r.Settle(current, pending)
	var (
		tr     map[string]any
		trRead bool
		trOK   bool
	)
	kept := false
	for rank, m := range r.mark {
		if !m {
			continue
		}
		gate := r.ix.gates[rank]
		if len(gate) > 0 && traits != nil && (r.forced == nil || !r.forced[rank]) && r.dirs != nil &&
			!current[r.ix.ids[rank]] {
			if !trRead {
				tr, trOK = traits()
				trRead = true
			}
			if trOK && gateRefuses(gate, tr) {
				r.mark[rank] = false
				continue
			}
		}
		kept = true
	}
	if !kept {
		return nil
	}
	return r.ix.closure(r.mark)
}

// Settle leaves out the segments that only events routed to and that
// those events cannot flip from the memberships current (IDsFor's first
// step, which calls it), or not before pending, the profile's pending
// timer (zero: none), when each of those events acts only after a delay
// (delay.go): the timer fires first and re-evaluates every segment on the
// whole history. It reads an event's properties only for a segment its
// name alone does not settle. It touches only r, so the routings of
// different profiles can settle on different goroutines; a second call
// does nothing.
func (r *Routing) Settle(current map[string]bool, pending time.Time) {
	if r.settled || r.mark == nil || r.dirs == nil {
		r.settled = true
		return
	}
	r.settled = true
	settles := func(in bool, d eventDirs) bool { return (in && !d.fall) || (!in && !d.rise) }
	for rank, m := range r.mark {
		if !m || (r.forced != nil && r.forced[rank]) {
			continue
		}
		in := current[r.ix.ids[rank]]
		d := r.dirs[rank]
		if r.lazy != nil && r.lazy[rank] != dirsNone {
			if !settles(in, d.or(r.lazy[rank])) {
				for i := range r.valued {
					ev := &r.valued[i]
					if bv := r.ix.dirsValue[ev.Name]; bv != nil && bv[rank] {
						d = d.or(dirsOfEvent(r.ix.defs[rank].Root, ev))
					}
				}
			} else {
				d = d.or(r.lazy[rank])
			}
		}
		if settles(in, d) {
			r.mark[rank] = false
			continue
		}
		if at, late := r.lateFrom(rank); late && !pending.IsZero() && !at.Before(pending) {
			r.mark[rank] = false
		}
	}
}

// closure marks the transitive dependents of the marked segments and
// returns all marked ids in rank (dependency) order. Dependents always have
// a higher rank, so one ascending pass is enough.
func (ix *Index) closure(mark []bool) []string {
	count := 0
	for r := range mark {
		if !mark[r] {
			continue
		}
		count++
		for _, d := range ix.dependents[r] {
			mark[d] = true
		}
	}
	out := make([]string, 0, count)
	for r, m := range mark {
		if m {
			out = append(out, ix.ids[r])
		}
	}
	return out
}

// All returns every live segment in dependency order: what to evaluate
// when a profile is created, merged, or a backfill runs.
func (ix *Index) All() []string { return slices.Clone(ix.ids) }

// Len is the number of live segments.
func (ix *Index) Len() int { return len(ix.ids) }

// Lookup returns a live segment's definition; it is a SegmentLookup.
func (ix *Index) Lookup(id string) (*Definition, bool) {
	r, ok := ix.rank[id]
	if !ok {
		return nil, false
	}
	return ix.defs[r], true
}

// Version returns the version of a live segment, or 0 when it is not live.
func (ix *Index) Version(id string) int {
	r, ok := ix.rank[id]
	if !ok {
		return 0
	}
	return ix.versions[r]
}

// Excluded returns the segments left out of the index and why (a copy).
func (ix *Index) Excluded() map[string]error {
	return maps.Clone(ix.excluded)
}

// WithDependents returns id and the live segments that depend on it,
// directly or not, in dependency order: what Fire re-evaluates.
func (ix *Index) WithDependents(id string) []string { return ix.dependentsOf(id) }

// dependentsOf returns id and its transitive dependents in dependency order.
func (ix *Index) dependentsOf(id string) []string {
	r, ok := ix.rank[id]
	if !ok {
		return nil
	}
	mark := make([]bool, len(ix.ids))
	mark[r] = true
	return ix.closure(mark)
}
