package segment

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"time"
)

// SegmentLookup returns another segment's definition by id, for in_segment.
type SegmentLookup func(id string) (*Definition, bool)

// Evaluate reports whether profile p is a member of def at now. It is the
// reference (batch) semantics: events with Timestamp after now have not
// happened yet and are ignored; times compare at full precision. in_segment
// evaluates the referenced definitions on the same snapshot and now.
// message and subscription nodes return ErrNotAvailable.
func Evaluate(def *Definition, p Snapshot, now time.Time, seg SegmentLookup) (bool, error) {
	if def == nil || def.Root == nil {
		return false, errors.New("evaluate empty segment definition")
	}
	ev := newEvaluator(p, seg)
	return ev.eval(def.Root, now)
}

type evaluator struct {
	snap     Snapshot
	events   []Event // ordered by Timestamp, stable
	seg      SegmentLookup
	visiting map[string]bool
	scratch  [2][]bool // sequence sweep buffers

	quals     map[qualKey][]int32 // qualifying events by name and filters (eval_qual.go)
	qualMarks map[qualKey][]bool
	qualMin   int // history length from which quals are kept: qualMin, or a test's
}

func newEvaluator(p Snapshot, seg SegmentLookup) *evaluator {
	events := p.Events
	if !slices.IsSortedFunc(events, cmpEventTime) {
		events = slices.Clone(events)
		slices.SortStableFunc(events, cmpEventTime)
	}
	return &evaluator{snap: p, events: events, seg: seg, qualMin: qualMin}
}

func cmpEventTime(a, b Event) int { return a.Timestamp.Compare(b.Timestamp) }

// visible returns the events that happened by now (Timestamp <= now).
func (ev *evaluator) visible(now time.Time) []Event {
	n, _ := slices.BinarySearchFunc(ev.events, now, func(e Event, t time.Time) int {
		if e.Timestamp.After(t) {
			return 1
		}
		return -1
	})
	return ev.events[:n]
}

func (ev *evaluator) eval(n *Node, now time.Time) (bool, error) {
	switch n.Kind() {
	case KindAnd:
		for _, k := range n.And {
			ok, err := ev.eval(k, now)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case KindOr:
		for _, k := range n.Or {
			ok, err := ev.eval(k, now)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case KindNot:
		ok, err := ev.eval(n.Not, now)
		return !ok && err == nil, err
	case KindEveryone:
		return true, nil
	case KindTrait:
		v, present := lookup(ev.snap.Traits, n.Trait.Path)
		return n.Trait.match(v, present, now), nil
	case KindPerformed:
		c := n.Performed
		return compareCount(c.Count, ev.countEvents(c.Event, c.Where, c.Window, now)), nil
	case KindFirstPerformed:
		return ev.edge(n.FirstPerformed, true, now), nil
	case KindLastPerformed:
		return ev.edge(n.LastPerformed, false, now), nil
	case KindSequence:
		return ev.sequence(n.Sequence, now), nil
	case KindAggregate:
		return ev.aggregate(n.Aggregate, now), nil
	case KindInSegment:
		return ev.inSegment(n.InSegment, now)
	case KindMessage:
		return false, fmt.Errorf("evaluate message condition: %w", ErrNotAvailable)
	case KindSubscription:
		return false, fmt.Errorf("evaluate subscription condition: %w", ErrNotAvailable)
	case KindRandomBucket:
		return randomBucket(n.RandomBucket, ev.snap.ProfileID), nil
	case KindChannel:
		return ev.channel(n.Channel, now), nil
	}
	return false, errors.New("evaluate empty condition node")
}

func compareCount(c *Count, n int64) bool {
	if c == nil {
		return n >= 1
	}
	switch c.Op {
	case OpEquals:
		return n == c.Value
	case OpNotEquals:
		return n != c.Value
	case OpGt:
		return n > c.Value
	case OpGte:
		return n >= c.Value
	case OpLt:
		return n < c.Value
	case OpLte:
		return n <= c.Value
	}
	return false
}

// inWindow reports whether an event at t (t <= now) is inside w at now.
// Every form is half-open so that membership flips exactly at an instant:
//
//	within D:            now-D < t       (the event leaves at t+D)
//	from_ago F to_ago T: now-F < t <= now-T  (enters at t+T, leaves at t+F)
//	after A / before B:  A <= t < B
func inWindow(w *Window, t, now time.Time) bool {
	switch {
	case w == nil:
		return true
	case w.Within > 0:
		return now.Before(t.Add(time.Duration(w.Within)))
	case w.FromAgo > 0:
		return !now.Before(t.Add(time.Duration(w.ToAgo))) && now.Before(t.Add(time.Duration(w.FromAgo)))
	}
	if w.After != nil && t.Before(*w.After) {
		return false
	}
	return w.Before == nil || t.Before(*w.Before)
}

// filtersMatch applies every filter to e (all must hold).
func filtersMatch(fs []Filter, e *Event, now time.Time) bool {
	for i := range fs {
		f := &fs[i]
		var v any
		var present bool
		if f.Context != "" {
			v, present = e.ctxValue(f.Context)
		} else {
			v, present = e.prop(f.Property)
		}
		if !f.match(v, present, now) {
			return false
		}
	}
	return true
}

// countEvents counts visible events named name passing where inside w.
func (ev *evaluator) countEvents(name string, where []Filter, w *Window, now time.Time) int64 {
	var n int64
	vis := ev.visible(now)
	if pos, ok := ev.qualifying(name, where); ok {
		return int64(len(ev.inWindowRange(pos, len(vis), w, now)))
	}
	for i := range vis {
		e := &vis[i]
		if e.Name == name && inWindow(w, e.Timestamp, now) && filtersMatch(where, e, now) {
			n++
		}
	}
	return n
}

// edge selects the first (earliest) or last (latest; on equal timestamps
// the later in input order) qualifying event and tests it. No qualifying
// event: false.
func (ev *evaluator) edge(c *EdgeCond, first bool, now time.Time) bool {
	vis := ev.visible(now)
	sel := ev.edgeEvent(c, first, vis, now)
	if sel == nil || !filtersMatch(c.Has, sel, now) {
		return false
	}
	return c.Time == nil || c.Time.match(sel.Timestamp, true, now)
}

// edgeEvent is the first or last qualifying event of vis, nil for none.
func (ev *evaluator) edgeEvent(c *EdgeCond, first bool, vis []Event, now time.Time) *Event {
	if pos, ok := ev.qualifying(c.Event, c.Where); ok {
		pos = upTo(pos, len(vis))
		switch {
		case len(pos) == 0:
			return nil
		case first:
			return &vis[pos[0]]
		}
		return &vis[pos[len(pos)-1]]
	}
	for i := range vis {
		j := i
		if !first {
			j = len(vis) - 1 - i
		}
		if e := &vis[j]; e.Name == c.Event && filtersMatch(c.Where, e, now) {
			return e
		}
	}
	return nil
}

func (ev *evaluator) inSegment(c *InSegmentCond, now time.Time) (bool, error) {
	if ev.visiting == nil {
		ev.visiting = map[string]bool{}
	}
	hits := 0
	for _, id := range c.IDs {
		if ev.seg == nil {
			return false, fmt.Errorf("evaluate in_segment %s: %w", id, ErrUnknownSegment)
		}
		def, ok := ev.seg(id)
		if !ok || def == nil || def.Root == nil {
			return false, fmt.Errorf("evaluate in_segment %s: %w", id, ErrUnknownSegment)
		}
		if ev.visiting[id] {
			return false, fmt.Errorf("evaluate in_segment %s: %w", id, ErrCycle)
		}
		ev.visiting[id] = true
		in, err := ev.eval(def.Root, now)
		delete(ev.visiting, id)
		if err != nil {
			return false, fmt.Errorf("evaluate in_segment %s: %w", id, err)
		}
		if in {
			hits++
		}
	}
	switch c.Match {
	case "all":
		return hits == len(c.IDs), nil
	case "none":
		return hits == 0, nil
	}
	return hits > 0, nil
}

// randomBucket: FNV-1a 64 of salt, a zero byte and the profile id, modulo
// 10000, is below percent*100. Stable across evaluations and processes.
func randomBucket(c *RandomBucketCond, profileID string) bool {
	h := fnv.New64a()
	_, _ = h.Write([]byte(c.Salt))    //nolint:errcheck // hash writes never fail
	_, _ = h.Write([]byte{0})         //nolint:errcheck // hash writes never fail
	_, _ = h.Write([]byte(profileID)) //nolint:errcheck // hash writes never fail
	return h.Sum64()%10000 < uint64(math.Round(c.Percent*100))
}

func (ev *evaluator) channel(c *ChannelCond, now time.Time) bool {
	vis := ev.visible(now)
	for i := range vis {
		e := &vis[i]
		if (c.Channels == nil || slices.Contains(c.Channels, e.Channel)) &&
			(c.Sources == nil || slices.Contains(c.Sources, e.Source)) &&
			inWindow(c.Window, e.Timestamp, now) {
			return true
		}
	}
	return false
}
