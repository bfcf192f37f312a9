package segment

import (
	"slices"
	"time"
)

// EvaluateSorted is Evaluate for a snapshot whose events are already in
// time order (stable): analyses replaying a definition over a stored history
// at many instants skip the order check and copy Evaluate makes each call.
func EvaluateSorted(def *Definition, p Snapshot, now time.Time, seg SegmentLookup) (bool, error) {
	if def == nil || def.Root == nil {
		return Evaluate(def, p, now, seg)
	}
	ev := &evaluator{snap: p, events: p.Events, seg: seg}
	return ev.eval(def.Root, now)
}

// Horizon bounds how long definitions keep their value when no event
// arrives, for replays that evaluate at many instants: every instant where
// a value may flip is an event time, an event time plus or minus one of the
// definitions' durations, or one of their absolute times. It is cheaper
// than NextChange (no evaluation) and conservative (it may name an instant
// where nothing flips).
type Horizon struct {
	durs []time.Duration
	abs  []time.Time
	// Bounded is false when a definition depends on time in a way the
	// horizon cannot bound: relative-date or day_of_year tests of traits or
	// properties, day_of_year of an event time.
	Bounded bool
}

// HorizonOf collects the durations and absolute times of defs and of the
// segments they reference (through lookup).
func HorizonOf(defs []*Definition, lookup SegmentLookup) Horizon {
	h := Horizon{Bounded: true}
	window := func(w *Window) {
		if w == nil {
			return
		}
		h.durs = append(h.durs, time.Duration(w.Within), time.Duration(w.FromAgo), time.Duration(w.ToAgo))
		for _, t := range []*time.Time{w.After, w.Before} {
			if t != nil {
				h.abs = append(h.abs, *t)
			}
		}
	}
	// valueTest: a test of a trait, a property or an aggregate, whose value
	// does not move with time: relative date operators would.
	valueTest := func(t *Test) {
		switch t.Op {
		case OpWithinLast, OpWithinNext, OpBeforeLast, OpAfterNext, OpDayOfYear:
			h.Bounded = false
		}
	}
	filters := func(fs []Filter) {
		for i := range fs {
			valueTest(&fs[i].Test)
		}
	}
	eachNode(defs, lookup, func(n *Node) {
		switch n.Kind() {
		case KindTrait:
			valueTest(&n.Trait.Test)
		case KindPerformed:
			filters(n.Performed.Where)
			window(n.Performed.Window)
		case KindFirstPerformed, KindLastPerformed:
			c := n.FirstPerformed
			if c == nil {
				c = n.LastPerformed
			}
			filters(c.Where)
			filters(c.Has)
			if c.Time != nil {
				switch c.Time.Op {
				case OpDayOfYear:
					h.Bounded = false
				case OpBefore, OpAfter:
					if c.Time.Value != nil {
						h.abs = append(h.abs, c.Time.Value.Time)
					}
				default:
					if c.Time.Value != nil {
						h.durs = append(h.durs, time.Duration(c.Time.Value.Dur))
					}
				}
			}
		case KindSequence:
			for _, s := range n.Sequence.Steps {
				filters(s.Where)
			}
			h.durs = append(h.durs, time.Duration(n.Sequence.Within))
		case KindAggregate:
			filters(n.Aggregate.Where)
			window(n.Aggregate.Window)
			valueTest(&n.Aggregate.Test)
		case KindMessage:
			window(n.Message.Window)
		case KindChannel:
			window(n.Channel.Window)
		}
	})
	h.durs = slices.DeleteFunc(h.durs, func(d time.Duration) bool { return d == 0 })
	slices.Sort(h.durs)
	h.durs = slices.Compact(h.durs)
	return h
}

// Until returns the earliest instant after now at which the definitions
// may change value over events (in any order) with no event added; ok is
// false when the horizon is unbounded. With no candidate at all it returns
// the zero time and true: the value never changes.
func (h Horizon) Until(events []Event, now time.Time) (until time.Time, ok bool) {
	times := make([]int64, len(events))
	for i := range events {
		times[i] = events[i].Timestamp.UnixNano()
	}
	next, ok := h.NextAfter(times, now.UnixNano())
	if !ok || next == 0 {
		return time.Time{}, ok
	}
	return time.Unix(0, next).UTC(), true
}

// NextAfter is Until over event times in Unix nanoseconds, for replays
// that convert a history's times once: 0 when nothing can change.
func (h Horizon) NextAfter(times []int64, now int64) (next int64, ok bool) {
	if !h.Bounded {
		return 0, false
	}
	consider := func(t int64) {
		if t > now && (next == 0 || t < next) {
			next = t
		}
	}
	for _, t := range h.abs {
		consider(t.UnixNano())
	}
	for _, t := range times {
		consider(t)
		for _, d := range h.durs {
			consider(t + int64(d))
			consider(t - int64(d))
		}
	}
	return next, true
}
