package segment

import "time"

// A profile's events are read by many nodes: every segment routed to the
// profile, and each of them again at every candidate instant nextChange
// tries. Testing every event's name and filters on each read made the
// search quadratic in the history. The evaluator keeps, per event name
// and filter list, the positions of the events that qualify, found once
// per snapshot; a read then walks only those.

// qualMin is the history length from which the evaluator keeps
// qualifying positions: below it, a scan of the events costs less than
// the look-ups and the allocations (BenchmarkUpdateMixed: 10–20 events
// evaluated 7–40 % slower with them; BenchmarkNextChange: 500 events
// twice as fast).
const qualMin = 64

// qualKey names a filter list by its first element's address (and
// length): lists live in their definitions' nodes, which outlive the
// evaluator.
type qualKey struct {
	name  string
	where *Filter // nil for no filter
	n     int
}

func keyOf(name string, where []Filter) qualKey {
	k := qualKey{name: name, n: len(where)}
	if len(where) > 0 {
		k.where = &where[0]
	}
	return k
}

// clockFree reports whether the results of fs do not depend on the
// instant they are tested at: no date operator.
func clockFree(fs []Filter) bool {
	for i := range fs {
		if opSpecs[fs[i].Op].date {
			return false
		}
	}
	return true
}

// qualifying returns the positions in ev.events, ascending, of the events
// named name that pass where. ok is false for a short history, and when a
// filter reads the clock (a date operator): its results differ per
// instant, and the caller tests each event at its own.
func (ev *evaluator) qualifying(name string, where []Filter) (pos []int32, ok bool) {
	if len(ev.events) < ev.qualMin || !clockFree(where) {
		return nil, false
	}
	k := keyOf(name, where)
	if pos, ok := ev.quals[k]; ok {
		return pos, true
	}
	if ev.quals == nil {
		ev.quals = make(map[qualKey][]int32, 8)
	}
	if k.where == nil {
		for i := range ev.events {
			if ev.events[i].Name == name {
				pos = append(pos, int32(i))
			}
		}
	} else {
		named, _ := ev.qualifying(name, nil)
		for _, i := range named {
			if filtersMatch(where, &ev.events[i], time.Time{}) {
				pos = append(pos, i)
			}
		}
	}
	ev.quals[k] = pos
	return pos, true
}

// marks is qualifying as a flag per position of ev.events, for the
// sequence sweep, which asks by position.
func (ev *evaluator) marks(name string, where []Filter) ([]bool, bool) {
	pos, ok := ev.qualifying(name, where)
	if !ok {
		return nil, false
	}
	k := keyOf(name, where)
	if m, ok := ev.qualMarks[k]; ok {
		return m, true
	}
	if ev.qualMarks == nil {
		ev.qualMarks = make(map[qualKey][]bool, 4)
	}
	m := make([]bool, len(ev.events))
	for _, i := range pos {
		m[i] = true
	}
	ev.qualMarks[k] = m
	return m, true
}

// upTo returns the prefix of pos below n (the visible events' count).
func upTo(pos []int32, n int) []int32 {
	lo, hi := 0, len(pos)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if int(pos[mid]) < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return pos[:lo]
}

// inWindowRange returns the part of pos (ascending by time) whose events
// are visible (position below vis) and inside w at now. Every window form
// is an interval of event time (inWindow), so that part is a range found
// by binary search: evaluating a 30-day count on a two-year history reads
// the month, not the two years. The bounds test exactly what inWindow
// tests.
func (ev *evaluator) inWindowRange(pos []int32, vis int, w *Window, now time.Time) []int32 {
	pos = upTo(pos, vis)
	if w == nil {
		return pos
	}
	ts := func(i int) time.Time { return ev.events[pos[i]].Timestamp }
	lo, hi := 0, len(pos)
	switch {
	case w.Within > 0:
		lo = search(len(pos), func(i int) bool { return now.Before(ts(i).Add(time.Duration(w.Within))) })
	case w.FromAgo > 0:
		lo = search(len(pos), func(i int) bool { return now.Before(ts(i).Add(time.Duration(w.FromAgo))) })
		hi = search(len(pos), func(i int) bool { return now.Before(ts(i).Add(time.Duration(w.ToAgo))) })
	default:
		if w.After != nil {
			lo = search(len(pos), func(i int) bool { return !ts(i).Before(*w.After) })
		}
		if w.Before != nil {
			hi = search(len(pos), func(i int) bool { return !ts(i).Before(*w.Before) })
		}
	}
	return pos[lo:max(lo, hi)]
}

// search is sort.Search: the first i in [0, n) for which f holds, n if
// none; f must be false and then true.
func search(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if f(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
