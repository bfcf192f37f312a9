package segment

// Most conditions only ever grow more true as a profile's history grows:
// "viewed a product in the last 30 days", "ordered at least twice". A
// member of such a segment stays a member whatever event it performs
// next, so routing that event to the segment evaluates it for nothing —
// and a stream is mostly customers already in the segments their events
// name. The Index records, per segment, in which directions an added event
// can move its value, and Routing.IDsFor leaves out the segments an event
// cannot flip from the profile's current membership.

// eventDirs is how appending an event to a profile's history can move a
// condition's value at some instant: from false to true (rise), from true
// to false (fall). Appending an event changes no value at any instant in
// the other direction, whatever its time, name or properties: a condition
// with rise alone is true at every instant it was true before.
type eventDirs struct {
	rise, fall bool
}

var (
	dirsNone = eventDirs{}
	dirsRise = eventDirs{rise: true}
	dirsFall = eventDirs{fall: true}
	dirsBoth = eventDirs{rise: true, fall: true}
)

func (d eventDirs) or(o eventDirs) eventDirs { return eventDirs{d.rise || o.rise, d.fall || o.fall} }

// dirsOf is the directions of a condition tree. Counts of qualifying
// events (performed, aggregate count and distinct_count, channel, a
// sequence without negated steps) never decrease when an event is added:
// "at least" comparisons only rise, "at most" ones only fall. Anything
// that selects one event (first, last), sums values of either sign,
// forbids an event (a negated step) or reads other segments may go either
// way. Traits and random buckets do not read events.
func dirsOf(n *Node) eventDirs {
	switch n.Kind() {
	case KindAnd, KindOr:
		list := n.And
		if n.Kind() == KindOr {
			list = n.Or
		}
		d := dirsNone
		for _, c := range list {
			d = d.or(dirsOf(c))
		}
		return d
	case KindNot:
		d := dirsOf(n.Not)
		return eventDirs{rise: d.fall, fall: d.rise}
	case KindEveryone, KindTrait, KindRandomBucket:
		return dirsNone
	case KindPerformed:
		if n.Performed.Count == nil {
			return dirsRise // at least once
		}
		return countDirs(n.Performed.Count.Op)
	case KindAggregate:
		if a := n.Aggregate; a.Fn == AggCount || a.Fn == AggDistinctCount {
			return countDirs(a.Op)
		}
	case KindSequence:
		for _, s := range n.Sequence.Steps {
			if s.Negate {
				return dirsBoth
			}
		}
		return dirsRise
	case KindChannel:
		return dirsRise
	}
	return dirsBoth
}

// countDirs is the directions of comparing a count that only grows.
func countDirs(op Op) eventDirs {
	switch op {
	case OpGt, OpGte:
		return dirsRise
	case OpLt, OpLte:
		return dirsFall
	}
	return dirsBoth
}
