package segment

import "slices"

// Needs is what evaluating some definitions reads of a profile: the event
// names their nodes test (AnyEvent when a channel node reads every event),
// the names whose properties or context a filter or aggregate reads, and
// whether any trait is read. Analyses that replay definitions over stored
// histories load only these.
type Needs struct {
	Events   []string
	AnyEvent bool
	Payload  []string
	Traits   bool
}

// NeedsOf collects the needs of defs and of the segments they reference
// through in_segment (read with lookup; unknown ids are skipped).
func NeedsOf(defs []*Definition, lookup SegmentLookup) Needs {
	var n Needs
	seen := map[string]bool{}
	var walk func(*Node)
	walk = func(x *Node) {
		if x == nil {
			return
		}
		event := func(name string, payload bool) {
			n.Events = append(n.Events, name)
			if payload {
				n.Payload = append(n.Payload, name)
			}
		}
		switch x.Kind() {
		case KindAnd:
			for _, c := range x.And {
				walk(c)
			}
		case KindOr:
			for _, c := range x.Or {
				walk(c)
			}
		case KindNot:
			walk(x.Not)
		case KindTrait:
			n.Traits = true
		case KindPerformed:
			event(x.Performed.Event, len(x.Performed.Where) > 0)
		case KindFirstPerformed:
			event(x.FirstPerformed.Event, len(x.FirstPerformed.Where)+len(x.FirstPerformed.Has) > 0)
		case KindLastPerformed:
			event(x.LastPerformed.Event, len(x.LastPerformed.Where)+len(x.LastPerformed.Has) > 0)
		case KindSequence:
			for _, s := range x.Sequence.Steps {
				event(s.Event, len(s.Where) > 0)
			}
		case KindAggregate:
			event(x.Aggregate.Event, true)
		case KindChannel:
			n.AnyEvent = true
		case KindInSegment:
			for _, id := range x.InSegment.IDs {
				if seen[id] || lookup == nil {
					continue
				}
				seen[id] = true
				if d, ok := lookup(id); ok && d != nil {
					walk(d.Root)
				}
			}
		}
	}
	for _, d := range defs {
		if d != nil {
			walk(d.Root)
		}
	}
	for _, l := range []*[]string{&n.Events, &n.Payload} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	return n
}
