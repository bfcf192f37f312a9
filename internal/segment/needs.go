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
	event := func(name string, payload bool) {
		n.Events = append(n.Events, name)
		if payload {
			n.Payload = append(n.Payload, name)
		}
	}
	eachNode(defs, lookup, func(x *Node) {
		switch x.Kind() {
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
		}
	})
	for _, l := range []*[]string{&n.Events, &n.Payload} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	return n
}
