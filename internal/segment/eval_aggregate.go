package segment

import (
	"encoding/json"
	"math"
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
	var (
		n, sum      float64
		numN        int
		lo, hi      = math.Inf(1), math.Inf(-1)
		first, last any
		freq        map[string]int
		vals        map[string]any
	)
	for i := range vis {
		e := &vis[i]
		if e.Name != c.Event || !inWindow(c.Window, e.Timestamp, now) || !filtersMatch(c.Where, e, now) {
			continue
		}
		n++
		if c.Fn == AggCount {
			continue
		}
		v, ok := lookup(e.Properties, c.Property)
		if !ok {
			continue
		}
		if first == nil {
			first = v
		}
		last = v
		if f, ok := toFloat(v); ok {
			numN++
			sum += f
			lo, hi = math.Min(lo, f), math.Max(hi, f)
		}
		if c.Fn == AggDistinctCount || c.Fn == AggMostFrequent {
			if freq == nil {
				freq, vals = map[string]int{}, map[string]any{}
			}
			k := valueKey(v)
			freq[k]++
			vals[k] = v
		}
	}
	var result any
	switch c.Fn {
	case AggCount:
		result = n
	case AggSum:
		result = sum
	case AggDistinctCount:
		result = float64(len(freq))
	case AggAvg:
		if numN > 0 {
			result = sum / float64(numN)
		}
	case AggMin:
		if numN > 0 {
			result = lo
		}
	case AggMax:
		if numN > 0 {
			result = hi
		}
	case AggFirst:
		result = first
	case AggLast:
		result = last
	case AggMostFrequent:
		best, bestN := "", 0
		for k, cnt := range freq {
			if cnt > bestN || (cnt == bestN && k < best) {
				best, bestN = k, cnt
			}
		}
		if bestN > 0 {
			result = vals[best]
		}
	}
	if result == nil {
		return false
	}
	return c.match(result, true, now)
}

// valueKey is the key used for distinct values and tie-breaking: numbers,
// booleans and other non-strings by their JSON text, sorted before all
// strings; strings by their bytes. "5" and 5 are distinct values.
func valueKey(v any) string {
	if s, ok := v.(string); ok {
		return "\x01" + s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "\x00?"
	}
	return "\x00" + string(b)
}
