package segment

import (
	"time"
)

// Definition is a parsed, validated segment definition: a tree of condition
// nodes. Build one with ParseJSON, ParseYAML or ParseText; the zero value is
// not valid. Definitions are immutable after parsing and safe for
// concurrent use.
type Definition struct {
	Root *Node
}

// Node is one condition. Exactly one field is set; its JSON form is an
// object with exactly one key naming the kind, e.g. {"and":[...]}.
type Node struct {
	And            []*Node           `json:"and,omitempty"`
	Or             []*Node           `json:"or,omitempty"`
	Not            *Node             `json:"not,omitempty"`
	Everyone       bool              `json:"everyone,omitempty"`
	Trait          *TraitCond        `json:"trait,omitempty"`
	Performed      *PerformedCond    `json:"performed,omitempty"`
	FirstPerformed *EdgeCond         `json:"first_performed,omitempty"`
	LastPerformed  *EdgeCond         `json:"last_performed,omitempty"`
	Sequence       *SequenceCond     `json:"sequence,omitempty"`
	Aggregate      *AggregateCond    `json:"aggregate,omitempty"`
	InSegment      *InSegmentCond    `json:"in_segment,omitempty"`
	Message        *MessageCond      `json:"message,omitempty"`
	Subscription   *SubscriptionCond `json:"subscription,omitempty"`
	RandomBucket   *RandomBucketCond `json:"random_bucket,omitempty"`
	Channel        *ChannelCond      `json:"channel,omitempty"`
}

// Test is an operator with its literal: the right-hand side of a trait
// condition, a property filter or an aggregate comparison.
type Test struct {
	Op    Op     `json:"op"`
	Value *Value `json:"value,omitempty"` // nil for exists, not_exists, day_of_year
	TZ    string `json:"tz,omitempty"`    // day_of_year only: IANA zone of "today"; empty is UTC

	loc *time.Location // loaded TZ
}

// TraitCond tests a profile trait addressed by a dotted path.
type TraitCond struct {
	Path string `json:"path"`
	Test
}

// Filter tests one event field: a property (properties.<path>) or, when
// Context is set instead, a context field (context.<path>).
type Filter struct {
	Property string `json:"property,omitempty"`
	Context  string `json:"context,omitempty"`
	Test
}

// Count compares the number of qualifying events. A nil *Count means gte 1.
type Count struct {
	Op    Op    `json:"op"` // equals, not_equals, gt, gte, lt, lte
	Value int64 `json:"value"`
}

// Window bounds event time. Exactly one form is set: Within (the last
// duration), FromAgo+ToAgo (between two relative points, FromAgo > ToAgo),
// or After and/or Before (absolute). A nil *Window is all time.
type Window struct {
	Within  Duration   `json:"within,omitempty"`
	FromAgo Duration   `json:"from_ago,omitempty"`
	ToAgo   Duration   `json:"to_ago,omitempty"`
	After   *time.Time `json:"after,omitempty"`
	Before  *time.Time `json:"before,omitempty"`
}

// PerformedCond counts the events named Event that pass every Where filter
// inside Window and compares the count (default >= 1; equals 0 means "did
// not perform").
type PerformedCond struct {
	Event  string   `json:"event"`
	Where  []Filter `json:"where,omitempty"`
	Count  *Count   `json:"count,omitempty"`
	Window *Window  `json:"window,omitempty"`
}

// EdgeCond selects the earliest (first_performed) or latest
// (last_performed) event named Event that passes Where, then requires every
// Has filter and the Time test (a date operator on its timestamp) to hold.
type EdgeCond struct {
	Event string   `json:"event"`
	Where []Filter `json:"where,omitempty"`
	Has   []Filter `json:"has,omitempty"`
	Time  *Test    `json:"time,omitempty"`
}

// Step is one step of a sequence. A negated step forbids its event between
// the neighbouring positive steps (or, last, until the span has elapsed).
type Step struct {
	Event  string   `json:"event"`
	Where  []Filter `json:"where,omitempty"`
	Negate bool     `json:"not,omitempty"`
}

// SequenceCond holds when the positive steps happened in order, all within
// the span Within (zero: unbounded), with no negated step in between.
type SequenceCond struct {
	Steps  []Step   `json:"steps"`
	Within Duration `json:"within,omitempty"`
}

// AggregateCond computes Fn over Property of the qualifying events in
// Window and compares the result with the embedded Test.
type AggregateCond struct {
	Fn       AggFn    `json:"fn"`
	Event    string   `json:"event"`
	Property string   `json:"property,omitempty"` // required except for count
	Where    []Filter `json:"where,omitempty"`
	Window   *Window  `json:"window,omitempty"`
	Test
}

// InSegmentCond tests membership in other segments.
type InSegmentCond struct {
	Match string   `json:"match"` // any, all, none
	IDs   []string `json:"ids"`
}

// MessageCond tests engagement with Cairn's own messages. Parsed and
// validated now; evaluation returns ErrNotAvailable until journeys exist.
type MessageCond struct {
	Event    string  `json:"event"` // sent, delivered, opened, clicked, ...
	Channel  string  `json:"channel,omitempty"`
	Template string  `json:"template,omitempty"`
	Journey  string  `json:"journey,omitempty"`
	Count    *Count  `json:"count,omitempty"`
	Window   *Window `json:"window,omitempty"`
}

// SubscriptionCond tests a channel consent state. Parsed and validated now;
// evaluation returns ErrNotAvailable until journeys exist.
type SubscriptionCond struct {
	Group string `json:"group"`
	State string `json:"state"` // subscribed, unsubscribed
}

// RandomBucketCond holds for a stable pseudo-random Percent of profiles:
// the bucket of hash(salt, profile id) in [0, 10000) is below Percent*100.
type RandomBucketCond struct {
	Percent float64 `json:"percent"`
	Salt    string  `json:"salt,omitempty"`
}

// ChannelCond holds when the profile has at least one event in Window
// whose channel is in Channels (when set) and whose source is in Sources
// (when set).
type ChannelCond struct {
	Channels []string `json:"channels,omitempty"`
	Sources  []string `json:"sources,omitempty"`
	Window   *Window  `json:"window,omitempty"`
}

// Kind names a node kind as it appears in JSON.
type Kind string

// Node kinds.
const (
	KindAnd            Kind = "and"
	KindOr             Kind = "or"
	KindNot            Kind = "not"
	KindEveryone       Kind = "everyone"
	KindTrait          Kind = "trait"
	KindPerformed      Kind = "performed"
	KindFirstPerformed Kind = "first_performed"
	KindLastPerformed  Kind = "last_performed"
	KindSequence       Kind = "sequence"
	KindAggregate      Kind = "aggregate"
	KindInSegment      Kind = "in_segment"
	KindMessage        Kind = "message"
	KindSubscription   Kind = "subscription"
	KindRandomBucket   Kind = "random_bucket"
	KindChannel        Kind = "channel"
)

var kinds = []Kind{
	KindAnd, KindOr, KindNot, KindEveryone, KindTrait, KindPerformed, KindFirstPerformed,
	KindLastPerformed, KindSequence, KindAggregate, KindInSegment, KindMessage,
	KindSubscription, KindRandomBucket, KindChannel,
}

// Kind reports which kind n is.
// terms are the children of an and or an or node (nil for other kinds).
func (n *Node) terms() []*Node {
	switch n.Kind() {
	case KindAnd:
		return n.And
	case KindOr:
		return n.Or
	}
	return nil
}

func (n *Node) Kind() Kind {
	switch {
	case n.And != nil:
		return KindAnd
	case n.Or != nil:
		return KindOr
	case n.Not != nil:
		return KindNot
	case n.Everyone:
		return KindEveryone
	case n.Trait != nil:
		return KindTrait
	case n.Performed != nil:
		return KindPerformed
	case n.FirstPerformed != nil:
		return KindFirstPerformed
	case n.LastPerformed != nil:
		return KindLastPerformed
	case n.Sequence != nil:
		return KindSequence
	case n.Aggregate != nil:
		return KindAggregate
	case n.InSegment != nil:
		return KindInSegment
	case n.Message != nil:
		return KindMessage
	case n.Subscription != nil:
		return KindSubscription
	case n.RandomBucket != nil:
		return KindRandomBucket
	case n.Channel != nil:
		return KindChannel
	}
	return ""
}
