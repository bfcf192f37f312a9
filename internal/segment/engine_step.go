package segment

import (
	"fmt"
	"slices"
	"time"
)

// Reasons reported in transitions. The processor may refine them (for
// example with the event name) before emitting Segment Entered/Exited;
// TransitionMessageID does not depend on the reason.
const (
	ReasonEvent = "event" // an event or a trait change (Update)
	ReasonTimer = "timer" // a window boundary passed with no new event (Fire)
)

// Transition is one membership change of a profile.
type Transition struct {
	SegmentID string
	Version   int
	Entered   bool      // false: exited
	At        time.Time // the now of the Update or Fire that found it
	Reason    string    // ReasonEvent or ReasonTimer
}

// Result is what one Update or Fire decided for a profile.
type Result struct {
	// Transitions in dependency order; apply them to the membership map
	// (and store them) before the next Update or Fire of the profile.
	Transitions []Transition
	// Timers holds, for every re-evaluated segment, the next instant at
	// which its membership may flip with no new event (NextChange); the
	// zero time means none: delete the segment's timer. Segments not in
	// the map keep their timer. UpdateProfile and FireAll, whose callers
	// keep one timer per profile, leave it nil and report only Next.
	Timers map[string]time.Time
	// Next is the earliest instant at which a re-evaluated segment may flip
	// (for UpdateProfile, counting its pending timer); zero when none.
	Next time.Time
}

var (
	defTrue  = &Definition{Root: &Node{Everyone: true}}
	defFalse = &Definition{Root: &Node{Not: &Node{Everyone: true}}}
)

// Update re-evaluates the affected segments (from Index.Affected, or All for
// a new profile) for snap at now and returns the membership changes
// against current (segment id → member before this step; missing is
// false) and the new timers of those segments. snap holds every event the
// profile has received so far, late ones included, and its current traits;
// now is the processing instant (see docs/segments.md, "Streaming").
//
// Update is a pure function: it reads neither the clock nor current beyond
// comparing, and it does not modify current. seg resolves in_segment
// references; nil means idx.Lookup.
func Update(idx *Index, snap Snapshot, current map[string]bool, affected []string, now time.Time, seg SegmentLookup) (Result, error) {
	return run(idx, snap, current, affected, now, seg, ReasonEvent, false, time.Time{})
}

// UpdateProfile is Update for a caller that keeps one timer per profile,
// pending (zero when there is none), and needs only the earliest instant at
// which the profile may flip: a segment's boundaries are searched only up
// to the earliest instant already known (pending, or a segment evaluated
// before it in this call), and a segment with a possible change past that
// instant counts as changing at it. Result.Next, taken together with
// pending, is the earliest instant Update's Timers would give; Timers is
// nil. Most of a segment's search is then skipped: a profile in a 1-hour
// window segment has its timer within the hour, so the boundaries of its
// 30-day windows are never evaluated.
func UpdateProfile(idx *Index, snap Snapshot, current map[string]bool, affected []string, now, pending time.Time, seg SegmentLookup) (Result, error) {
	return run(idx, snap, current, affected, now, seg, ReasonEvent, true, pending)
}

// Fire handles a due timer of segmentID at now (pass the timer's instant):
// it re-evaluates that segment and every segment depending on it, like
// Update. A segment no longer live yields an empty result whose Timers map
// it to zero, so the caller drops the stale timer.
func Fire(idx *Index, snap Snapshot, current map[string]bool, segmentID string, now time.Time, seg SegmentLookup) (Result, error) {
	ids := idx.dependentsOf(segmentID)
	if ids == nil {
		return Result{Timers: map[string]time.Time{segmentID: {}}}, nil
	}
	return run(idx, snap, current, ids, now, seg, ReasonTimer, false, time.Time{})
}

// FireAll handles a due profile-level timer at now: one timer per profile
// set at the earliest instant at which any of its segments may flip, which
// the processor keeps instead of one timer per segment. It re-evaluates
// every live segment, so its Result.Next is the profile's next timer. A
// profile-level timer kept as the minimum of what each update reported
// (and of its previous value) may fire before anything flips; that costs an
// evaluation, never a wrong or missed transition. Like UpdateProfile (with
// no pending timer: the one firing is replaced), a segment's boundaries are
// searched only up to the earliest instant found before it; Timers is nil.
func FireAll(idx *Index, snap Snapshot, current map[string]bool, now time.Time, seg SegmentLookup) (Result, error) {
	return run(idx, snap, current, idx.All(), now, seg, ReasonTimer, true, time.Time{})
}

// run evaluates ids in order. With bounded, each segment's next change is
// searched only before horizon, which starts at the given instant (zero:
// none) and moves to every earlier instant found.
func run(idx *Index, snap Snapshot, current map[string]bool, ids []string, now time.Time, seg SegmentLookup, reason string,
	bounded bool, horizon time.Time) (Result, error) {
	if !horizon.After(now) {
		horizon = time.Time{}
	}
	var res Result
	if !bounded {
		res.Timers = make(map[string]time.Time, len(ids))
	}
	if len(ids) == 0 {
		return res, nil
	}
	if seg == nil {
		seg = idx.Lookup
	}
	// sort once here rather than in every Evaluate and NextChange
	if !slices.IsSortedFunc(snap.Events, cmpEventTime) {
		snap.Events = slices.Clone(snap.Events)
		slices.SortStableFunc(snap.Events, cmpEventTime)
	}
	// Membership at now of a segment already evaluated in this run is
	// final, so a dependent reads it as a constant instead of walking the
	// referenced tree, in Evaluate and in NextChange. The dependent's timer
	// then covers only its own boundaries and those of references outside
	// this run; a referenced segment's flips reach it through that
	// segment's own timer, since Fire re-evaluates dependents. References
	// outside the run are evaluated from their definitions (never read
	// from current), so timers due at the same instant can fire in any
	// order without a transient wrong transition.
	var fresh []int8 // by rank: 0 not evaluated in this run, 1 out, 2 in
	evalSeg := seg
	if len(ids) > 1 {
		fresh = make([]int8, len(idx.ids))
		evalSeg = func(id string) (*Definition, bool) {
			if r, ok := idx.rank[id]; ok {
				switch fresh[r] {
				case 1:
					return defFalse, true
				case 2:
					return defTrue, true
				}
			}
			return seg(id)
		}
	}
	// One evaluator for every segment: the events are sorted once, and
	// NextChange starts from the value Evaluate found instead of
	// evaluating at now a second time.
	ev := newEvaluator(snap, evalSeg)
	for _, id := range ids {
		r, ok := idx.rank[id]
		if !ok {
			return Result{}, fmt.Errorf("step segment %s: %w", id, ErrUnknownSegment)
		}
		def := idx.defs[r]
		if def == nil || def.Root == nil {
			return Result{}, fmt.Errorf("evaluate segment %s: empty definition", id)
		}
		in, err := ev.eval(def.Root, now)
		if err != nil {
			return Result{}, fmt.Errorf("evaluate segment %s: %w", id, err)
		}
		if fresh != nil {
			fresh[r] = 1
			if in {
				fresh[r] = 2
			}
		}
		if in != current[id] {
			res.Transitions = append(res.Transitions, Transition{
				SegmentID: id, Version: idx.versions[r], Entered: in, At: now, Reason: reason,
			})
		}
		at, ok, err := ev.nextChange(def, now, in, horizon)
		if err != nil {
			return Result{}, fmt.Errorf("next change of segment %s: %w", id, err)
		}
		if !ok {
			at = time.Time{}
		}
		if res.Timers != nil {
			res.Timers[id] = at
		}
		if ok && (res.Next.IsZero() || at.Before(res.Next)) {
			res.Next = at
		}
		if bounded && ok && (horizon.IsZero() || at.Before(horizon)) {
			horizon = at
		}
	}
	return res, nil
}
