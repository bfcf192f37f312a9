package segment

import "time"

// sequence reports whether the positive steps happened in order within the
// span, with no negated step in between. Precisely, among visible events
// ordered by (Timestamp, input order), there are events e1 < e2 < ... < em
// matching the positive steps in order such that:
//   - with a span D: every ei.Timestamp < e1.Timestamp + D;
//   - a negated step between positive steps i and j: no event strictly
//     between ei and ej matches it;
//   - a trailing negated step: no event after em matches it before
//     e1.Timestamp + D, and the span has fully elapsed (now >=
//     e1.Timestamp + D) — "opened, then did not buy within 7 days" holds
//     only once the 7 days are over. Without a span, no event after em
//     may match it.
//
// The search tries every e1 and sweeps forward keeping, per step, the set
// of events that can end a valid prefix: O(steps × n²) in the worst case.
func (ev *evaluator) sequence(c *SequenceCond, now time.Time) bool {
	vis := ev.visible(now)
	n := len(vis)
	if n == 0 {
		return false
	}
	// positive step indexes, and negated steps before each positive and trailing
	var pos []int
	var negBefore [][]int
	var negs []int
	for i, s := range c.Steps {
		if s.Negate {
			negs = append(negs, i)
			continue
		}
		pos = append(pos, i)
		negBefore = append(negBefore, negs)
		negs = nil
	}
	trailing := negs
	span := time.Duration(c.Within)
	if cap(ev.scratch[0]) < n {
		ev.scratch[0], ev.scratch[1] = make([]bool, n), make([]bool, n)
	}
	prev, cur := ev.scratch[0][:n], ev.scratch[1][:n]
	var marks [][]bool // per step, when the evaluator keeps its qualifying events
	if len(ev.events) >= ev.qualMin {
		marks = make([][]bool, len(c.Steps))
		for i := range c.Steps {
			marks[i], _ = ev.marks(c.Steps[i].Event, c.Steps[i].Where)
		}
	}
	stepMatch := func(step, i int) bool {
		if marks != nil && marks[step] != nil {
			return marks[step][i]
		}
		s := &c.Steps[step]
		return vis[i].Name == s.Event && filtersMatch(s.Where, &vis[i], now)
	}
	anyMatch := func(steps []int, i int) bool {
		for _, s := range steps {
			if stepMatch(s, i) {
				return true
			}
		}
		return false
	}
	for i0 := range vis {
		if !stepMatch(pos[0], i0) {
			continue
		}
		start := vis[i0].Timestamp
		end := start.Add(span)
		limit := n // events at or after limit are outside the span
		if span > 0 {
			for limit = i0 + 1; limit < n && vis[limit].Timestamp.Before(end); limit++ {
			}
		}
		clear(prev)
		prev[i0] = true
		lastValid := i0
		ok := true
		for k := 1; k < len(pos) && ok; k++ {
			clear(cur)
			latest, lastNeg, found := -1, -1, -1
			for b := i0 + 1; b < limit; b++ {
				if prev[b-1] {
					latest = b - 1
				}
				if anyMatch(negBefore[k], b-1) {
					lastNeg = b - 1
				}
				if latest >= 0 && lastNeg <= latest && stepMatch(pos[k], b) {
					cur[b] = true
					found = b
				}
			}
			if found < 0 {
				ok = false
			}
			lastValid = found
			prev, cur = cur, prev
		}
		if !ok {
			continue
		}
		if len(trailing) == 0 {
			return true
		}
		if span > 0 && now.Before(end) {
			continue
		}
		clean := true
		for j := lastValid + 1; j < limit; j++ {
			if anyMatch(trailing, j) {
				clean = false
				break
			}
		}
		if clean {
			return true
		}
	}
	return false
}
