package segment

import (
	"slices"
	"time"
)

// Most conditions only ever grow more true as a profile's history grows:
// "viewed a product in the last 30 days", "ordered at least twice". A
// member of such a segment stays a member whatever event it performs
// next, so routing that event to the segment evaluates it for nothing —
// and a stream is mostly customers already in the segments their events
// name. The Index records, per segment and event name, in which directions
// an added event can move its value, and Routing.IDsFor leaves out the
// segments the profile's events cannot flip from its current membership.

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

// dirsOf is the directions of a condition tree for an appended event
// named name, whatever its properties (dirs with no event).
func dirsOf(n *Node, name string) eventDirs { return dirs(n, name, nil) }

// dirsOfEvent is the directions of a condition tree for the appended
// event e, reading its properties where they matter.
func dirsOfEvent(n *Node, e *Event) eventDirs { return dirs(n, e.Name, e) }

// dirs is the directions of n for an appended event named name. Counts of
// qualifying events never decrease when an event is added: "at least"
// comparisons (performed, aggregate count and distinct_count, channel, a
// sequence the event can only extend) only rise, "at most" ones only
// fall. Anything that selects one event (first, last), sums values of
// either sign, or reads other segments may go either way, as may a
// sequence whose negated step the event can match. A node naming other
// events — and traits and random buckets — does not move.
//
// With the event itself (e not nil) two more things are known. A node
// whose filters (without a date operator) refuse it does not move: it is
// not counted, selected, summed or matched by a step. A sum gains its
// value, so a non-negative (or absent, or non-numeric) value only raises
// it and a negative one only lowers it; a maximum only grows and a minimum
// only shrinks once defined, so "max at least" and "min at most" only
// rise.
func dirs(n *Node, name string, e *Event) eventDirs {
	ignores := func(event string, where []Filter) bool {
		return event != name || (e != nil && refuses(where, e))
	}
	switch n.Kind() {
	case KindAnd, KindOr:
		d := dirsNone
		for _, c := range n.terms() {
			d = d.or(dirs(c, name, e))
		}
		return d
	case KindNot:
		return dirs(n.Not, name, e).flip()
	case KindEveryone, KindTrait, KindRandomBucket:
		return dirsNone
	case KindPerformed:
		switch {
		case ignores(n.Performed.Event, n.Performed.Where):
			return dirsNone
		case n.Performed.Count == nil:
			return dirsRise // at least once
		}
		return countDirs(n.Performed.Count.Op)
	case KindAggregate:
		a := n.Aggregate
		switch {
		case ignores(a.Event, a.Where):
			return dirsNone
		case a.Fn == AggCount || a.Fn == AggDistinctCount:
			return countDirs(a.Op)
		case e != nil:
			return valueDirsOf(a, e)
		}
	case KindFirstPerformed:
		c := n.FirstPerformed
		if ignores(c.Event, c.Where) {
			return dirsNone
		}
		return edgeDirs(c, true, e)
	case KindLastPerformed:
		c := n.LastPerformed
		if ignores(c.Event, c.Where) {
			return dirsNone
		}
		return edgeDirs(c, false, e)
	case KindSequence:
		d := dirsNone
		for _, s := range n.Sequence.Steps {
			switch {
			case ignores(s.Event, s.Where):
			case s.Negate:
				return dirsBoth
			default:
				d = dirsRise
			}
		}
		return d
	case KindChannel:
		return dirsRise
	}
	return dirsBoth
}

// edgeDirs is the directions of a first_performed (first) or
// last_performed condition for an appended event its filters let through.
// At any instant the event either leaves the selected event as it was or
// becomes it, and then only an earlier (first) or later (last) one. So the
// condition only rises when the selected event's own tests hold for the
// new one whatever else: no has filters (or, with the event known, clock-free
// ones it passes), and a time test that an earlier (first) or later (last)
// time satisfies whenever a time it replaces did. Before a qualifying
// event exists the condition is false, so a time test true only for
// older times (last) can still rise there: both.
func edgeDirs(c *EdgeCond, first bool, e *Event) eventDirs {
	if len(c.Has) > 0 && (e == nil || !clockFree(c.Has) || !filtersMatch(c.Has, e, time.Time{})) {
		return dirsBoth
	}
	if c.Time == nil {
		return dirsRise
	}
	switch c.Time.Op {
	case OpExists:
		return dirsRise
	case OpNotExists:
		return dirsNone // false with or without a selected event
	case OpAfter, OpWithinLast: // hold from some time on, up to the instant
		if !first {
			return dirsRise
		}
	case OpBefore, OpBeforeLast: // hold up to some time
		if first {
			return dirsRise
		}
	}
	return dirsBoth
}

func (d eventDirs) flip() eventDirs { return eventDirs{rise: d.fall, fall: d.rise} }

// valueDirsOf is the directions of a sum, a maximum or a minimum the
// qualifying event e adds its value to (any other aggregate: both).
func valueDirsOf(a *AggregateCond, e *Event) eventDirs {
	v, _ := e.prop(a.Property)
	f, num := toFloat(v)
	switch {
	case a.Fn == AggSum && (!num || f >= 0):
		return countDirs(a.Op)
	case a.Fn == AggSum:
		return countDirs(a.Op).flip()
	case a.Fn == AggMax && (a.Op == OpGt || a.Op == OpGte):
		return dirsRise
	case a.Fn == AggMin && (a.Op == OpLt || a.Op == OpLte):
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

// refuses reports whether filters without a date operator refuse e at
// every instant (a date operator's result depends on the instant).
func refuses(where []Filter, e *Event) bool {
	return len(where) > 0 && clockFree(where) && !filtersMatch(where, e, time.Time{})
}

// valueDirs reports whether n's directions for an event named name may
// depend on the event's properties (dirsOfEvent): a node reading that name
// through filters, or summing or taking an extreme of it.
func valueDirs(n *Node, name string) bool {
	anyOf := func(list []*Node) bool {
		return slices.ContainsFunc(list, func(c *Node) bool { return valueDirs(c, name) })
	}
	switch n.Kind() {
	case KindAnd:
		return anyOf(n.And)
	case KindOr:
		return anyOf(n.Or)
	case KindNot:
		return valueDirs(n.Not, name)
	case KindPerformed:
		return n.Performed.Event == name && len(n.Performed.Where) > 0
	case KindFirstPerformed:
		c := n.FirstPerformed
		return c.Event == name && len(c.Where)+len(c.Has) > 0
	case KindLastPerformed:
		c := n.LastPerformed
		return c.Event == name && len(c.Where)+len(c.Has) > 0
	case KindSequence:
		return slices.ContainsFunc(n.Sequence.Steps, func(s Step) bool { return s.Event == name && len(s.Where) > 0 })
	case KindAggregate:
		a := n.Aggregate
		return a.Event == name && (len(a.Where) > 0 || a.Fn == AggSum || a.Fn == AggMax || a.Fn == AggMin)
	}
	return false
}
