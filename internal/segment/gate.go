package segment

import "time"

// Many segments pair behaviour with who the customer is: "gold plan and
// bought twice this month", "email at our domain and viewed 3 products".
// Most of a stream comes from customers such a segment's trait test
// already refuses (anonymous visitors have no plan at all), and for them
// no event can change the answer: a track event does not touch traits,
// and a trait change routes the segment through Traits, which IDsFor never
// leaves out. The gate of a segment is the trait tests its root needs to
// hold — the root itself or, through nested ands, its children — kept to
// tests that read no clock, since a date test can start holding later on
// its own and the event may have changed what the rest of the tree says
// by then.

// gateOf returns the clock-free trait conditions (possibly negated) that
// n cannot hold without.
func gateOf(n *Node) []*Node {
	switch n.Kind() {
	case KindAnd:
		var out []*Node
		for _, c := range n.And {
			out = append(out, gateOf(c)...)
		}
		return out
	case KindTrait:
		if !opSpecs[n.Trait.Op].date {
			return []*Node{n}
		}
	case KindNot:
		if n.Not.Kind() == KindTrait && !opSpecs[n.Not.Trait.Op].date {
			return []*Node{n}
		}
	}
	return nil
}

// gateRefuses reports whether traits fail one of gate's conditions, so
// the segment is false at every instant whatever the profile's events.
func gateRefuses(gate []*Node, traits map[string]any) bool {
	for _, n := range gate {
		neg := n.Kind() == KindNot
		if neg {
			n = n.Not
		}
		v, present := lookup(traits, n.Trait.Path)
		if n.Trait.match(v, present, time.Time{}) == neg {
			return true
		}
	}
	return false
}

// Refuses reports whether traits fail the gate of live segment id: the
// segment is false at every instant whatever the profile's events, until a
// trait changes. False for a segment without a gate or not live.
func (ix *Index) Refuses(id string, traits map[string]any) bool {
	r, ok := ix.rank[id]
	return ok && len(ix.gates[r]) > 0 && gateRefuses(ix.gates[r], traits)
}
