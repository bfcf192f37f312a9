package segment

import (
	"math"
	"time"
)

// Some conditions can only take an added event into account some time
// after the event's own timestamp: "viewed, then did not buy within 7
// days" turns true on a view no sooner than 7 days after it, and a window
// "from 30 days ago to 1 day ago" counts an event only from a day after it.
// When the profile's pending timer comes no later than that, the event
// changes nothing before the timer fires, and the timer re-evaluates every
// segment on the whole history (FireAll): Settle leaves such a segment out.

// noDelay is the delay of a node the event does not reach: it never moves.
const noDelay = time.Duration(math.MaxInt64)

// delayOf is how long after its timestamp an added event named name can
// first move n's value at all (0: at once; noDelay: never).
func delayOf(n *Node, name string) time.Duration {
	switch n.Kind() {
	case KindAnd, KindOr:
		d := noDelay
		for _, c := range n.terms() {
			d = min(d, delayOf(c, name))
		}
		return d
	case KindNot:
		return delayOf(n.Not, name)
	case KindEveryone, KindTrait, KindRandomBucket:
		return noDelay
	case KindPerformed:
		if n.Performed.Event != name {
			return noDelay
		}
		return windowDelay(n.Performed.Window)
	case KindAggregate:
		if n.Aggregate.Event != name {
			return noDelay
		}
		return windowDelay(n.Aggregate.Window)
	case KindFirstPerformed:
		if n.FirstPerformed.Event != name {
			return noDelay
		}
	case KindLastPerformed:
		if n.LastPerformed.Event != name {
			return noDelay
		}
	case KindSequence:
		return sequenceDelay(n.Sequence, name)
	case KindChannel:
		return windowDelay(n.Channel.Window)
	}
	return 0
}

// windowDelay is how long after an event's timestamp a window first holds
// it: from_ago F to_ago T holds it from T on (eval.go's inWindow).
func windowDelay(w *Window) time.Duration {
	if w != nil && w.FromAgo > 0 {
		return time.Duration(w.ToAgo)
	}
	return 0
}

// sequenceDelay: with a span and a trailing negated step, a sequence holds
// only once the span from its first event has elapsed. An event that can
// only be that first event — its name is the first positive step's and no
// other step's — starts sequences that hold from its timestamp plus the
// span on, and touches no other: it cannot end, extend or break one.
func sequenceDelay(c *SequenceCond, name string) time.Duration {
	first, matches := -1, 0
	for i, s := range c.Steps {
		if first < 0 && !s.Negate {
			first = i
		}
		if s.Event == name {
			matches++
		}
	}
	switch {
	case matches == 0:
		return noDelay
	case first < 0 || matches > 1 || c.Steps[first].Event != name:
		return 0
	case c.Within <= 0 || !c.Steps[len(c.Steps)-1].Negate:
		return 0
	}
	return time.Duration(c.Within)
}
