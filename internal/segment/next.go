package segment

import (
	"errors"
	"slices"
	"time"
)

// anniversaryYears bounds how far ahead day_of_year boundaries are
// considered by NextChange (two leap cycles).
const anniversaryYears = 8

// NextChange returns the first instant after now at which membership of p
// in def flips with no new event: a window boundary, a relative-date
// boundary, a day_of_year midnight, or the timestamp of an already stored
// future-dated event. ok is false when membership never changes by itself
// (day_of_year boundaries are considered up to 8 years ahead).
//
// Membership is right-continuous: it holds its new value from the returned
// instant on, so Evaluate(at) != Evaluate(at - 1ns) when ok. The streaming
// engine schedules a timer for the returned instant.
//
// It collects every candidate instant from the definition and the events,
// then evaluates at each in order until the value differs.
func NextChange(def *Definition, p Snapshot, now time.Time, seg SegmentLookup) (at time.Time, ok bool, err error) {
	if def == nil || def.Root == nil {
		return time.Time{}, false, errors.New("next change of empty segment definition")
	}
	ev := newEvaluator(p, seg)
	cur, err := ev.eval(def.Root, now)
	if err != nil {
		return time.Time{}, false, err
	}
	return ev.nextChange(def, now, cur, time.Time{})
}

// nextChange is NextChange for an evaluator that already found def's value
// cur at now. A non-zero horizon bounds the search: when membership does
// not flip before it but may after, the answer is horizon itself (an
// instant no later than the next change, which a caller keeping only the
// earliest of several answers may use instead of it).
func (ev *evaluator) nextChange(def *Definition, now time.Time, cur bool, horizon time.Time) (time.Time, bool, error) {
	f, err := ev.flip(def.Root, now, cur, horizon)
	if err != nil || f.kind == flipNever {
		return time.Time{}, false, err
	}
	return f.at, true, nil
}

// flipKind is what a search for a node's next flip found.
type flipKind uint8

const (
	flipNever  flipKind = iota // the value holds for good
	flipAt                     // it flips at the instant
	flipBeyond                 // it holds until the horizon at least (the instant)
)

// flipped is a search's answer: at is the flip (flipAt) or the horizon
// (flipBeyond).
type flipped struct {
	at   time.Time
	kind flipKind
}

// earlier is the earlier of two answers for "the first instant one of
// several values flips": an exact flip before a horizon wins over it.
func (f flipped) earlier(g flipped) flipped {
	switch {
	case f.kind == flipNever:
		return g
	case g.kind == flipNever:
		return f
	case g.at.Before(f.at):
		return g
	}
	return f
}

// flip finds the first instant after now (and before horizon, when not
// zero) at which n's value, cur at now, differs. A conjunction that holds
// (a disjunction that does not) flips when its first child flips, so each
// child is searched over its own candidate instants and evaluated alone,
// each search bounded by the earliest flip found so far; a segment like
// "ordered twice in 30 days and plan gold and spent 300 in a year" then
// evaluates the count at the order anniversaries alone and never looks
// at the year-long ones. A conjunction that does not hold cannot hold
// before each of its false children has turned true: when one never does
// (before the horizon), neither does the conjunction; otherwise the whole
// node is searched from the latest of those instants on.
func (ev *evaluator) flip(n *Node, now time.Time, cur bool, horizon time.Time) (flipped, error) {
	switch n.Kind() {
	case KindNot:
		return ev.flip(n.Not, now, !cur, horizon)
	case KindAnd, KindOr:
		terms := n.terms()
		if cur == (n.Kind() == KindAnd) { // every child holds cur: the first to flip
			best := flipped{}
			for _, k := range terms {
				h := horizon
				if best.kind != flipNever {
					h = best.at
				}
				f, err := ev.flip(k, now, cur, h)
				if err != nil {
					return flipped{}, err
				}
				best = best.earlier(f)
			}
			return best, nil
		}
		// n holds cur because of its children that do: each must flip first
		var from time.Time
		for _, k := range terms {
			v, err := ev.eval(k, now)
			if err != nil {
				return flipped{}, err
			}
			if v != cur {
				continue
			}
			f, err := ev.flip(k, now, cur, horizon)
			if err != nil || f.kind != flipAt {
				return f, err
			}
			if f.at.After(from) {
				from = f.at
			}
		}
		return ev.search(n, now, cur, horizon, from)
	}
	return ev.search(n, now, cur, horizon, time.Time{})
}

// search evaluates n at each instant where it may flip (after now, from
// from on when not zero, before horizon when not zero) until its value
// differs from cur.
func (ev *evaluator) search(n *Node, now time.Time, cur bool, horizon, from time.Time) (flipped, error) {
	c := candidates{now: now, horizon: horizon}
	c.node(ev, n)
	slices.SortFunc(c.list, time.Time.Compare)
	c.list = slices.CompactFunc(c.list, time.Time.Equal)
	if !from.IsZero() {
		i, _ := slices.BinarySearchFunc(c.list, from, time.Time.Compare)
		c.list = c.list[i:]
	}
	for _, t := range c.list {
		v, err := ev.eval(n, t)
		if err != nil {
			return flipped{}, err
		}
		if v != cur {
			return flipped{at: t, kind: flipAt}, nil
		}
	}
	if c.beyond {
		return flipped{at: horizon, kind: flipBeyond}, nil
	}
	return flipped{}, nil
}

// candidates collects the instants after now (and before horizon, when it
// is not zero) at which membership may flip; beyond records that some
// instant at or past horizon was left out.
type candidates struct {
	now, horizon time.Time
	list         []time.Time
	beyond       bool
	seen         []string // in_segment references walked: few, so a list (a map per call was 15 % of a settled stream's allocations)
}

func (c *candidates) add(t time.Time) {
	switch {
	case !t.After(c.now):
	case !c.horizon.IsZero() && !t.Before(c.horizon):
		c.beyond = true
	default:
		c.list = append(c.list, t)
	}
}

func (c *candidates) node(ev *evaluator, n *Node) {
	switch n.Kind() {
	case KindAnd:
		for _, k := range n.And {
			if static(k) && !ev.evalStatic(k, c.now) {
				return // false until a trait changes, which routes the segment again
			}
		}
		for _, k := range n.And {
			c.node(ev, k)
		}
	case KindOr:
		for _, k := range n.Or {
			if static(k) && ev.evalStatic(k, c.now) {
				return // true until a trait changes
			}
		}
		for _, k := range n.Or {
			c.node(ev, k)
		}
	case KindNot:
		c.node(ev, n.Not)
	case KindTrait:
		if v, ok := lookup(ev.snap.Traits, n.Trait.Path); ok {
			c.test(&n.Trait.Test, v)
		}
	case KindPerformed:
		c.events(ev, n.Performed.Event, n.Performed.Where, n.Performed.Window, 0)
	case KindFirstPerformed, KindLastPerformed:
		e := n.FirstPerformed
		if e == nil {
			e = n.LastPerformed
		}
		c.events(ev, e.Event, e.Where, nil, 0)
		c.filterEvents(ev, e.Event, e.Has)
		if e.Time != nil {
			for i := range ev.events {
				if ev.events[i].Name == e.Event {
					c.test(e.Time, ev.events[i].Timestamp)
				}
			}
		}
	case KindSequence:
		for _, s := range n.Sequence.Steps {
			c.events(ev, s.Event, s.Where, nil, n.Sequence.Within)
		}
	case KindAggregate:
		c.events(ev, n.Aggregate.Event, n.Aggregate.Where, n.Aggregate.Window, 0)
	case KindChannel:
		for i := range ev.events {
			c.add(ev.events[i].Timestamp)
			c.window(n.Channel.Window, ev.events[i].Timestamp)
		}
	case KindInSegment:
		for _, id := range n.InSegment.IDs {
			if ev.seg == nil || slices.Contains(c.seen, id) {
				continue
			}
			c.seen = append(c.seen, id)
			if def, ok := ev.seg(id); ok && def != nil && def.Root != nil {
				c.node(ev, def.Root)
			}
		}
	}
}

// static reports whether n's value depends on neither the events nor the
// clock, only on traits (without a date operator) or on nothing: it stays
// until a trait changes.
func static(n *Node) bool {
	switch n.Kind() {
	case KindEveryone, KindRandomBucket:
		return true
	case KindTrait:
		return !opSpecs[n.Trait.Op].date
	}
	return false
}

// evalStatic evaluates a static node; it cannot fail.
func (ev *evaluator) evalStatic(n *Node, now time.Time) bool {
	v, err := ev.eval(n, now)
	return v && err == nil
}

// events adds, for every event named name: its timestamp (it becomes
// visible), its window boundaries, span (a sequence's end), and the
// relative-date boundaries of its filters.
func (c *candidates) events(ev *evaluator, name string, where []Filter, w *Window, span Duration) {
	if pos, ok := ev.qualifying(name, where); ok { // an event its filters refuse changes nothing
		c.shifted(ev, pos, 0)
		switch {
		case w == nil:
		case w.Within > 0:
			c.shifted(ev, pos, time.Duration(w.Within))
		case w.FromAgo > 0:
			c.shifted(ev, pos, time.Duration(w.ToAgo))
			c.shifted(ev, pos, time.Duration(w.FromAgo))
		}
		if span > 0 {
			c.shifted(ev, pos, time.Duration(span))
		}
		return
	}
	for i := range ev.events {
		e := &ev.events[i]
		if e.Name != name {
			continue
		}
		c.add(e.Timestamp)
		c.window(w, e.Timestamp)
		if span > 0 {
			c.add(e.Timestamp.Add(time.Duration(span)))
		}
	}
	c.filterEvents(ev, name, where)
}

// shifted adds t+d for the events at pos (ascending by time) whose t+d
// falls after now and, with a horizon, before it: a range found by binary
// search, so a long history's old events cost nothing. Past the horizon
// it sets beyond, as add does.
func (c *candidates) shifted(ev *evaluator, pos []int32, d time.Duration) {
	at := func(i int) time.Time { return ev.events[pos[i]].Timestamp.Add(d) }
	lo := search(len(pos), func(i int) bool { return at(i).After(c.now) })
	hi := len(pos)
	if !c.horizon.IsZero() {
		hi = max(lo, search(len(pos), func(i int) bool { return !at(i).Before(c.horizon) }))
		if hi < len(pos) {
			c.beyond = true
		}
	}
	for i := lo; i < hi; i++ {
		c.list = append(c.list, at(i))
	}
}

func (c *candidates) window(w *Window, t time.Time) {
	switch {
	case w == nil:
	case w.Within > 0:
		c.add(t.Add(time.Duration(w.Within)))
	case w.FromAgo > 0:
		c.add(t.Add(time.Duration(w.ToAgo)))
		c.add(t.Add(time.Duration(w.FromAgo)))
	}
}

func (c *candidates) filterEvents(ev *evaluator, name string, fs []Filter) {
	for fi := range fs {
		f := &fs[fi]
		if !opSpecs[f.Op].date {
			continue
		}
		for i := range ev.events {
			e := &ev.events[i]
			if e.Name != name {
				continue
			}
			var v any
			var ok bool
			if f.Context != "" {
				v, ok = e.ctxValue(f.Context)
			} else {
				v, ok = e.prop(f.Property)
			}
			if ok {
				c.test(&f.Test, v)
			}
		}
	}
}

// test adds the instants at which a date operator on value v can flip.
func (c *candidates) test(t *Test, v any) {
	if !opSpecs[t.Op].date || t.Op == OpBefore || t.Op == OpAfter {
		return
	}
	tv, ok := asTime(v)
	if !ok {
		return
	}
	if t.Op == OpDayOfYear {
		loc := t.zone()
		y := c.now.In(loc).Year()
		for year := y - 1; year <= y+anniversaryYears; year++ {
			m, d := anniversary(tv, year)
			start := time.Date(year, m, d, 0, 0, 0, 0, loc)
			c.add(start)
			c.add(time.Date(year, m, d+1, 0, 0, 0, 0, loc))
		}
		return
	}
	d := time.Duration(t.Value.Dur)
	switch t.Op {
	case OpWithinLast:
		c.add(tv)
		c.add(tv.Add(d))
	case OpWithinNext:
		c.add(tv.Add(-d))
		c.add(tv)
	case OpBeforeLast:
		c.add(tv.Add(d))
	case OpAfterNext:
		c.add(tv.Add(-d))
	}
}
