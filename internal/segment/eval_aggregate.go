package segment

import (
	"encoding/json"
	"math"
	"strings"
	"time"
)

// aggregate computes c.Fn over c.Property of the visible qualifying events
// in the window and compares the result with c.Test. Rules:
//   - sum, avg, min, max read numeric values only; other values are skipped;
//   - count counts events; distinct_count counts distinct non-missing values;
//   - most_frequent: the value seen most often, ties broken by the
//     alphabetically first text form (strings as is, numbers as JSON);
//   - first/last: the value of the earliest/latest qualifying event that
//     has the property;
//   - count, sum and distinct_count of nothing are 0; avg, min, max,
//     most_frequent, first and last of nothing are undefined, and an
//     undefined aggregate makes the node false whatever the operator.
func (ev *evaluator) aggregate(c *AggregateCond, now time.Time) bool {
	vis := ev.visible(now)
	acc := newAggAcc(c.Fn)
	for i := range vis {
		e := &vis[i]
		if e.Name != c.Event || !inWindow(c.Window, e.Timestamp, now) || !filtersMatch(c.Where, e, now) {
			continue
		}
		acc.n++
		if c.Fn == AggCount {
			continue
		}
		if v, ok := lookup(e.Props(), c.Property); ok {
			acc.add(v)
		}
	}
	result := acc.result()
	if result == nil {
		return false
	}
	return c.match(result, true, now)
}

// aggAcc accumulates one aggregate function over qualifying events (n)
// and the values they carry (add).
type aggAcc struct {
	fn          AggFn
	keep        bool // keep distinct values (distinct_count, most_frequent, unique_list)
	n, sum      float64
	numN        int
	lo, hi      float64
	first, last any
	freq        map[valKey]int
	vals        map[valKey]any
}

func newAggAcc(fn AggFn) aggAcc {
	return aggAcc{fn: fn, lo: math.Inf(1), hi: math.Inf(-1),
		keep: fn == AggDistinctCount || fn == AggMostFrequent || fn == aggUniqueList}
}

// add folds in one non-missing value.
func (a *aggAcc) add(v any) {
	if a.first == nil {
		a.first = v
	}
	a.last = v
	if f, ok := toFloat(v); ok {
		a.numN++
		a.sum += f
		a.lo, a.hi = math.Min(a.lo, f), math.Max(a.hi, f)
	}
	if a.keep {
		if a.freq == nil {
			a.freq, a.vals = map[valKey]int{}, map[valKey]any{}
		}
		k := valueKey(v)
		a.freq[k]++
		a.vals[k] = v
	}
}

// result is the aggregate, nil when undefined.
func (a *aggAcc) result() any {
	switch a.fn {
	case AggCount:
		return a.n
	case AggSum:
		return a.sum
	case AggDistinctCount:
		return float64(len(a.freq))
	case AggAvg:
		if a.numN > 0 {
			return a.sum / float64(a.numN)
		}
	case AggMin:
		if a.numN > 0 {
			return a.lo
		}
	case AggMax:
		if a.numN > 0 {
			return a.hi
		}
	case AggFirst:
		return a.first
	case AggLast:
		return a.last
	case AggMostFrequent:
		var best valKey
		bestN := 0
		for k, cnt := range a.freq {
			if cnt > bestN || (cnt == bestN && k.compare(best) < 0) {
				best, bestN = k, cnt
			}
		}
		if bestN > 0 {
			return a.vals[best]
		}
	}
	return nil
}

// valKey is the key used for distinct values and tie-breaking: numbers,
// booleans and other non-strings by their JSON text, sorted before all
// strings; strings by their bytes. "5" and 5 are distinct values. A
// string is its own key, with no copy (most keys are strings).
type valKey struct {
	str  bool
	text string
}

func valueKey(v any) valKey {
	if s, ok := v.(string); ok {
		return valKey{str: true, text: s}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return valKey{text: "?"}
	}
	return valKey{text: string(b)}
}

func (k valKey) compare(o valKey) int {
	if k.str != o.str {
		if o.str {
			return -1
		}
		return 1
	}
	return strings.Compare(k.text, o.text)
}
