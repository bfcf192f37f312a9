package segment

import (
	"maps"
	"slices"
	"time"
)

// Incremental reports whether d's value can be kept by folding each new
// event into a ComputedAcc instead of recomputing it from the whole
// history: a lifetime trait (no window) whose filters do not read the
// clock (relative date operators and day_of_year would).
func (d *ComputedDef) Incremental() bool {
	if d.Window != nil {
		return false
	}
	for i := range d.Where {
		switch d.Where[i].Op {
		case OpWithinLast, OpWithinNext, OpBeforeLast, OpAfterNext, OpDayOfYear:
			return false
		}
	}
	return true
}

// ComputedAcc is a computed trait's aggregate over the qualifying events
// folded into it, in event-time order: ComputeValue is a fold over a
// history, and an Incremental trait's value after new events is the same
// fold continued, as long as each new event sorts after the ones folded
// (its timestamp is not before Until: an equal time sorts after, as log
// order breaks ties) and has happened.
type ComputedAcc struct {
	agg  aggAcc
	upTo time.Time // timestamp of the latest qualifying event folded
}

// NewComputedAcc folds the events of snap that happened by now into an
// accumulator of d. ok is false when d is not Incremental, or when a
// qualifying event of snap has not happened yet (future-dated): d's value
// changes when it does, which a fold of later events would not see.
func NewComputedAcc(d *ComputedDef, snap Snapshot, now time.Time) (*ComputedAcc, bool) {
	if !d.Incremental() {
		return nil, false
	}
	ev := newEvaluator(snap, nil)
	vis := ev.visible(now)
	a := &ComputedAcc{agg: newAggAcc(d.Kind)}
	for i := range vis {
		a.Fold(d, &vis[i], now)
	}
	for i := len(vis); i < len(ev.events); i++ {
		if e := &ev.events[i]; d.Matches(e.Name) && filtersMatch(d.Where, e, now) {
			return nil, false
		}
	}
	return a, true
}

// Until is the timestamp of the latest qualifying event folded (zero when
// none): an event before it cannot be folded, the trait has to be
// recomputed from the history.
func (a *ComputedAcc) Until() time.Time { return a.upTo }

// Foldable reports whether e can be folded at now: it happened, and it
// sorts after every qualifying event folded so far.
func (a *ComputedAcc) Foldable(e *Event, now time.Time) bool {
	return !e.Timestamp.After(now) && !e.Timestamp.Before(a.upTo)
}

// Fold is ComputeValue's step: it adds e when e qualifies for d. The
// caller guarantees the order: e happened by now and sorts after every
// event folded before (Foldable).
func (a *ComputedAcc) Fold(d *ComputedDef, e *Event, now time.Time) {
	if !d.Matches(e.Name) || !inWindow(d.Window, e.Timestamp, now) || !filtersMatch(d.Where, e, now) {
		return
	}
	a.agg.n++
	if e.Timestamp.After(a.upTo) {
		a.upTo = e.Timestamp
	}
	if d.Kind == AggCount {
		return
	}
	if v, ok := d.property(e); ok {
		a.agg.add(v)
	}
}

// Value is d's value over the events folded, as ComputeValue gives it.
func (a *ComputedAcc) Value(d *ComputedDef) (any, bool) {
	acc := &a.agg
	if acc.n == 0 {
		return nil, false
	}
	if d.Kind == aggUniqueList {
		d := acc.dist
		if d == nil || len(d.keys) == 0 {
			return nil, false
		}
		order := make([]int, len(d.keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return d.keys[a].compare(d.keys[b]) })
		out := make([]any, len(order))
		for i, j := range order {
			out[i] = d.vals[j]
		}
		return out, true
	}
	v := acc.result()
	return v, v != nil
}

// Clone returns a copy that folds independently of a (values themselves
// are never modified, only replaced, so they are shared).
func (a *ComputedAcc) Clone() *ComputedAcc {
	c := *a
	if d := a.agg.dist; d != nil {
		c.agg.dist = &distinct{keys: slices.Clone(d.keys), counts: slices.Clone(d.counts), vals: slices.Clone(d.vals)}
		if d.index != nil {
			c.agg.dist.index = maps.Clone(d.index)
		}
	}
	return &c
}
