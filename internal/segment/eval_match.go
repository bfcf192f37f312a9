package segment

import (
	"encoding/json"
	"math"
	"strings"
	"time"
)

// match applies t to a tested value. Semantics:
//   - a missing (absent or null) value fails every operator except the
//     negative ones (not_equals, not_in, not_contains, not_exists), which
//     are exactly the negations of their positive operator;
//   - no type coercion: the string "100" does not equal the number 100 and
//     is not > 50; numbers compare as float64;
//   - contains tests a substring of a string or an element of an array.
func (t *Test) match(v any, present bool, now time.Time) bool {
	spec := opSpecs[t.Op]
	if !present {
		return spec.neg
	}
	if spec.date {
		tv, ok := asTime(v)
		return ok && t.matchTime(tv, now)
	}
	lit := t.Value
	switch t.Op {
	case OpExists:
		return true
	case OpNotExists:
		return false
	case OpEquals:
		return scalarEqual(v, *lit)
	case OpNotEquals:
		return !scalarEqual(v, *lit)
	case OpGt, OpGte, OpLt, OpLte:
		x, ok := toFloat(v)
		if !ok {
			return false
		}
		switch t.Op {
		case OpGt:
			return x > lit.Num
		case OpGte:
			return x >= lit.Num
		case OpLt:
			return x < lit.Num
		}
		return x <= lit.Num
	case OpBetween:
		x, ok := toFloat(v)
		return ok && x >= lit.List[0].Num && x <= lit.List[1].Num
	case OpIn:
		return inList(v, lit.List)
	case OpNotIn:
		return !inList(v, lit.List)
	case OpContains:
		return containsValue(v, *lit)
	case OpNotContains:
		return !containsValue(v, *lit)
	case OpStartsWith:
		s, ok := v.(string)
		return ok && strings.HasPrefix(s, lit.Str)
	case OpEndsWith:
		s, ok := v.(string)
		return ok && strings.HasSuffix(s, lit.Str)
	case OpMatches:
		s, ok := v.(string)
		return ok && lit.re != nil && lit.re.MatchString(s)
	}
	return false
}

// matchTime applies a date operator. Every relative operator is true on a
// half-open interval of now, [start, end), so membership flips exactly at
// an instant NextChange can return:
//
//	within_last D:  v <= now < v+D
//	within_next D:  v-D <= now < v     (v in (now, now+D])
//	before_last D:  now >= v+D          (v at least D ago)
//	after_next D:   now < v-D           (v more than D ahead)
//	before T:       v < T;  after T: v >= T
//	day_of_year:    v's month and day (in v's own offset) equal today's in
//	                TZ (default UTC); Feb 29 falls on Feb 28 in other years.
func (t *Test) matchTime(v, now time.Time) bool {
	switch t.Op {
	case OpBefore:
		return v.Before(t.Value.Time)
	case OpAfter:
		return !v.Before(t.Value.Time)
	case OpDayOfYear:
		loc := t.zone()
		y, m, d := now.In(loc).Date()
		am, ad := anniversary(v, y)
		return m == am && d == ad
	}
	dur := time.Duration(t.Value.Dur)
	switch t.Op {
	case OpWithinLast:
		return !v.After(now) && now.Before(v.Add(dur))
	case OpWithinNext:
		return now.Before(v) && !now.Before(v.Add(-dur))
	case OpBeforeLast:
		return !now.Before(v.Add(dur))
	case OpAfterNext:
		return now.Before(v.Add(-dur))
	}
	return false
}

// anniversary returns the month and day on which v's anniversary falls in year.
func anniversary(v time.Time, year int) (time.Month, int) {
	_, m, d := v.Date()
	if m == time.February && d == 29 && !isLeap(year) {
		return time.February, 28
	}
	return m, d
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func (t *Test) zone() *time.Location {
	if t.loc == nil {
		return time.UTC
	}
	return t.loc
}

// asTime reads a tested value as a time: an RFC 3339 string (kept in its
// own offset), "YYYY-MM-DDTHH:MM:SS" (UTC), a YYYY-MM-DD date (midnight
// UTC), or a number of Unix seconds (|n| < 1e11) or milliseconds.
func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t, true
		}
		if t, err := time.Parse("2006-01-02T15:04:05", x); err == nil {
			return t, true
		}
		if t, err := time.Parse(time.DateOnly, x); err == nil {
			return t, true
		}
		return time.Time{}, false
	case time.Time:
		return x, true
	}
	f, ok := toFloat(v)
	if !ok || math.Abs(f) > 1e15 {
		return time.Time{}, false
	}
	if math.Abs(f) < 1e11 {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	return time.UnixMilli(int64(f)).UTC(), true
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func scalarEqual(v any, lit Value) bool {
	switch lit.Kind {
	case ValueString:
		s, ok := v.(string)
		return ok && s == lit.Str
	case ValueNumber:
		f, ok := toFloat(v)
		return ok && f == lit.Num
	case ValueBool:
		b, ok := v.(bool)
		return ok && b == lit.Bool
	}
	return false
}

func inList(v any, list []Value) bool {
	for _, x := range list {
		if scalarEqual(v, x) {
			return true
		}
	}
	return false
}

func containsValue(v any, lit Value) bool {
	switch x := v.(type) {
	case string:
		return lit.Kind == ValueString && strings.Contains(x, lit.Str)
	case []any:
		for _, e := range x {
			if scalarEqual(e, lit) {
				return true
			}
		}
	}
	return false
}
