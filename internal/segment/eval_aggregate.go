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
	add := func(e *Event) {
		acc.n++
		if c.Fn == AggCount {
			return
		}
		if v, ok := e.prop(c.Property); ok {
			acc.add(v)
		}
	}
	if pos, ok := ev.qualifying(c.Event, c.Where); ok {
		for _, i := range ev.inWindowRange(pos, len(vis), c.Window, now) {
			add(&vis[i])
		}
	} else {
		for i := range vis {
			e := &vis[i]
			if e.Name == c.Event && inWindow(c.Window, e.Timestamp, now) && filtersMatch(c.Where, e, now) {
				add(e)
			}
		}
	}
	result := acc.result()
	if result == nil {
		return false
	}
	return c.match(result, true, now)
}

// aggAcc accumulates one aggregate function over qualifying events (n)
// and the values they carry (add). It keeps only what its function reads:
// the first or last value for first/last, distinct values (dist, made on
// the first) for distinct_count, most_frequent and unique_list. Computed
// traits keep one per customer and trait (ComputedAcc), so its size counts.
type aggAcc struct {
	fn     AggFn
	n, sum float64
	numN   int
	bound  float64 // min: the lowest value so far; max: the highest
	val    any     // first: the first value; last: the latest
	dist   *distinct
}

func newAggAcc(fn AggFn) aggAcc {
	a := aggAcc{fn: fn, bound: math.Inf(1)}
	if fn == AggMax {
		a.bound = math.Inf(-1)
	}
	return a
}

// add folds in one non-missing value.
func (a *aggAcc) add(v any) {
	switch a.fn {
	case AggFirst:
		if a.val == nil {
			a.val = v
		}
		return
	case AggLast:
		a.val = v
		return
	case AggDistinctCount, AggMostFrequent, aggUniqueList:
		if a.dist == nil {
			a.dist = &distinct{}
		}
		a.dist.add(valueKey(v), v)
		return
	}
	if f, ok := toFloat(v); ok {
		a.numN++
		a.sum += f
		if a.fn == AggMax {
			a.bound = math.Max(a.bound, f)
		} else {
			a.bound = math.Min(a.bound, f)
		}
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
		if a.dist == nil {
			return 0.0
		}
		return float64(len(a.dist.keys))
	case AggAvg:
		if a.numN > 0 {
			return a.sum / float64(a.numN)
		}
	case AggMin:
		if a.numN > 0 {
			return a.bound
		}
	case AggMax:
		if a.numN > 0 {
			return a.bound
		}
	case AggFirst:
		return a.val
	case AggLast:
		return a.val
	case AggMostFrequent:
		if a.dist == nil {
			return nil
		}
		best := -1
		for i, k := range a.dist.keys {
			if best < 0 || a.dist.counts[i] > a.dist.counts[best] ||
				(a.dist.counts[i] == a.dist.counts[best] && k.compare(a.dist.keys[best]) < 0) {
				best = i
			}
		}
		if best >= 0 {
			return a.dist.vals[best]
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

// distinct counts values by key, keeping the last value of each: a slice
// searched linearly while small (a profile's channels, a few categories;
// cheaper than hashing), indexed by a map once past distinctIndexed keys.
type distinct struct {
	keys   []valKey
	counts []int
	vals   []any
	index  map[valKey]int
}

const distinctIndexed = 16

func (d *distinct) add(k valKey, v any) {
	i := -1
	if d.index != nil {
		if j, ok := d.index[k]; ok {
			i = j
		}
	} else {
		for j := range d.keys {
			if d.keys[j] == k {
				i = j
				break
			}
		}
	}
	if i >= 0 {
		d.counts[i]++
		d.vals[i] = v
		return
	}
	d.keys, d.counts, d.vals = append(d.keys, k), append(d.counts, 1), append(d.vals, v)
	switch {
	case d.index != nil:
		d.index[k] = len(d.keys) - 1
	case len(d.keys) > distinctIndexed:
		d.index = make(map[valKey]int, 2*len(d.keys))
		for j, key := range d.keys {
			d.index[key] = j
		}
	}
}
