package segment

import (
	"fmt"
	"slices"
	"strconv"
)

// decoder turns a generic JSON tree into nodes, validating as it goes.
type decoder struct {
	nodes int
}

func (d *decoder) node(path string, v any, depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, invalid(path, fmt.Sprintf("conditions nest deeper than %d levels", MaxDepth), "flatten nested and/or groups or move a part into its own segment and use in_segment")
	}
	d.nodes++
	if d.nodes > MaxNodes {
		return nil, invalid(path, fmt.Sprintf("definition has more than %d conditions", MaxNodes), "move a part into its own segment and use in_segment")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(path, "a condition must be an object, got "+typeName(v), `write e.g. {"trait":{"path":"plan","op":"equals","value":"pro"}}`)
	}
	if len(m) != 1 {
		return nil, invalid(path, fmt.Sprintf("a condition has exactly one key naming its kind, got %d", len(m)), "valid kinds: "+joinList(kinds))
	}
	var key string
	var body any
	for k, b := range m {
		key, body = k, b
	}
	p := path + "." + key
	n := &Node{}
	var err error
	switch Kind(key) {
	case KindAnd, KindOr:
		var kids []*Node
		kids, err = d.children(p, body, depth)
		if err == nil && len(kids) == 1 {
			return kids[0], nil // a group of one is its member
		}
		if Kind(key) == KindAnd {
			n.And = kids
		} else {
			n.Or = kids
		}
	case KindNot:
		n.Not, err = d.node(p, body, depth+1)
	case KindEveryone:
		if b, ok := body.(bool); !ok || !b {
			return nil, invalid(p, "everyone takes the value true", `write {"everyone":true}; for nobody write {"not":{"everyone":true}}`)
		}
		n.Everyone = true
	case KindTrait:
		n.Trait, err = decodeTrait(p, body)
	case KindPerformed:
		n.Performed, err = decodePerformed(p, body)
	case KindFirstPerformed:
		n.FirstPerformed, err = decodeEdge(p, body)
	case KindLastPerformed:
		n.LastPerformed, err = decodeEdge(p, body)
	case KindSequence:
		n.Sequence, err = decodeSequence(p, body)
	case KindAggregate:
		n.Aggregate, err = decodeAggregate(p, body)
	case KindInSegment:
		n.InSegment, err = decodeInSegment(p, body)
	case KindMessage:
		n.Message, err = decodeMessage(p, body)
	case KindSubscription:
		n.Subscription, err = decodeSubscription(p, body)
	case KindRandomBucket:
		n.RandomBucket, err = decodeRandomBucket(p, body)
	case KindChannel:
		n.Channel, err = decodeChannel(p, body)
	default:
		return nil, invalid(path, fmt.Sprintf("unknown condition kind %q", key), "valid kinds: "+joinList(kinds))
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

func (d *decoder) children(path string, v any, depth int) ([]*Node, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, invalid(path, "must be a list of conditions, got "+typeName(v), `write e.g. {"and":[{...},{...}]}`)
	}
	if len(list) == 0 {
		return nil, invalid(path, "must list at least one condition", `use {"everyone":true} for all profiles`)
	}
	kids := make([]*Node, len(list))
	for i, c := range list {
		k, err := d.node(path+"["+strconv.Itoa(i)+"]", c, depth+1)
		if err != nil {
			return nil, err
		}
		kids[i] = k
	}
	return kids, nil
}

func decodeTrait(path string, v any) (*TraitCond, error) {
	m, err := object(path, v, "path", "op", "value", "tz")
	if err != nil {
		return nil, err
	}
	c := &TraitCond{}
	if c.Path, err = requiredString(path, m, "path"); err != nil {
		return nil, err
	}
	if c.Test, err = decodeTest(path, m, allOps, "any operator"); err != nil {
		return nil, err
	}
	return c, nil
}

func decodePerformed(path string, v any) (*PerformedCond, error) {
	m, err := object(path, v, "event", "where", "count", "window")
	if err != nil {
		return nil, err
	}
	c := &PerformedCond{}
	if c.Event, err = requiredString(path, m, "event"); err != nil {
		return nil, err
	}
	if c.Where, err = decodeFilters(path, m, "where"); err != nil {
		return nil, err
	}
	if c.Count, err = decodeCount(path, m); err != nil {
		return nil, err
	}
	if c.Window, err = decodeWindow(path, m); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeEdge(path string, v any) (*EdgeCond, error) {
	m, err := object(path, v, "event", "where", "has", "time")
	if err != nil {
		return nil, err
	}
	c := &EdgeCond{}
	if c.Event, err = requiredString(path, m, "event"); err != nil {
		return nil, err
	}
	if c.Where, err = decodeFilters(path, m, "where"); err != nil {
		return nil, err
	}
	if c.Has, err = decodeFilters(path, m, "has"); err != nil {
		return nil, err
	}
	if tv, ok := m["time"]; ok {
		tm, err := object(path+".time", tv, "op", "value", "tz")
		if err != nil {
			return nil, err
		}
		t, err := decodeTest(path+".time", tm, dateOps, "date operators")
		if err != nil {
			return nil, err
		}
		c.Time = &t
	}
	return c, nil
}

func decodeSequence(path string, v any) (*SequenceCond, error) {
	m, err := object(path, v, "steps", "within")
	if err != nil {
		return nil, err
	}
	c := &SequenceCond{}
	sv, ok := m["steps"]
	if !ok {
		return nil, invalid(path+".steps", "missing", `list the steps in order, e.g. "steps":[{"event":"Email Opened"},{"event":"Order Completed","not":true}]`)
	}
	list, ok := sv.([]any)
	if !ok || len(list) < 2 || len(list) > MaxSteps {
		return nil, invalid(path+".steps", fmt.Sprintf("must be a list of 2 to %d steps", MaxSteps), "for a single event use performed")
	}
	for i, s := range list {
		sp := path + ".steps[" + strconv.Itoa(i) + "]"
		sm, err := object(sp, s, "event", "where", "not")
		if err != nil {
			return nil, err
		}
		st := Step{}
		if st.Event, err = requiredString(sp, sm, "event"); err != nil {
			return nil, err
		}
		if st.Where, err = decodeFilters(sp, sm, "where"); err != nil {
			return nil, err
		}
		if nv, ok := sm["not"]; ok {
			b, ok := nv.(bool)
			if !ok {
				return nil, invalid(sp+".not", "must be true or false, got "+typeName(nv), "")
			}
			st.Negate = b
		}
		if i == 0 && st.Negate {
			return nil, invalid(sp+".not", "the first step cannot be negated", "start with the event that did happen; for \"never did A\" use performed with count equals 0")
		}
		c.Steps = append(c.Steps, st)
	}
	if wv, ok := m["within"]; ok {
		if c.Within, err = decodeDuration(path+".within", wv); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func decodeAggregate(path string, v any) (*AggregateCond, error) {
	m, err := object(path, v, "fn", "event", "property", "where", "window", "op", "value", "tz")
	if err != nil {
		return nil, err
	}
	c := &AggregateCond{}
	fn, err := requiredString(path, m, "fn")
	if err != nil {
		return nil, err
	}
	c.Fn = AggFn(fn)
	if !contains(aggFns, c.Fn) {
		return nil, invalid(path+".fn", fmt.Sprintf("unknown aggregate function %q", fn), "valid functions: "+joinList(aggFns))
	}
	if c.Event, err = requiredString(path, m, "event"); err != nil {
		return nil, err
	}
	if _, ok := m["property"]; ok || c.Fn != AggCount {
		if c.Fn == AggCount {
			return nil, invalid(path+".property", "count counts events and takes no property", `remove "property"; to count events having it add a where filter with op exists`)
		}
		if c.Property, err = requiredString(path, m, "property"); err != nil {
			return nil, err
		}
	}
	if c.Where, err = decodeFilters(path, m, "where"); err != nil {
		return nil, err
	}
	if c.Window, err = decodeWindow(path, m); err != nil {
		return nil, err
	}
	ops, what := valueAggOps, "comparison operators"
	if c.Fn.numeric() {
		ops, what = numericAggOp, "numeric comparisons"
	}
	if c.Test, err = decodeTest(path, m, ops, what); err != nil {
		return nil, err
	}
	if c.Fn.numeric() && !numericLiteral(c.Test.Value) {
		return nil, invalid(path+".value", fmt.Sprintf("%s yields a number; compare it with a number", c.Fn), `write e.g. "value":500`)
	}
	return c, nil
}

func numericLiteral(v *Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ValueList {
		for _, x := range v.List {
			if x.Kind != ValueNumber {
				return false
			}
		}
		return true
	}
	return v.Kind == ValueNumber
}

func decodeInSegment(path string, v any) (*InSegmentCond, error) {
	m, err := object(path, v, "match", "ids")
	if err != nil {
		return nil, err
	}
	c := &InSegmentCond{}
	if c.Match, err = enumString(path, m, "match", inSegmentMatches); err != nil {
		return nil, err
	}
	if c.IDs, err = stringList(path, m, "ids", true); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeMessage(path string, v any) (*MessageCond, error) {
	m, err := object(path, v, "event", "channel", "template", "journey", "count", "window")
	if err != nil {
		return nil, err
	}
	c := &MessageCond{}
	if c.Event, err = enumString(path, m, "event", messageEvents); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"channel", &c.Channel}, {"template", &c.Template}, {"journey", &c.Journey}} {
		if _, ok := m[f.key]; ok {
			if *f.dst, err = requiredString(path, m, f.key); err != nil {
				return nil, err
			}
		}
	}
	if c.Count, err = decodeCount(path, m); err != nil {
		return nil, err
	}
	if c.Window, err = decodeWindow(path, m); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeSubscription(path string, v any) (*SubscriptionCond, error) {
	m, err := object(path, v, "group", "state")
	if err != nil {
		return nil, err
	}
	c := &SubscriptionCond{}
	if c.Group, err = requiredString(path, m, "group"); err != nil {
		return nil, err
	}
	if c.State, err = enumString(path, m, "state", subscriptionStates); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeRandomBucket(path string, v any) (*RandomBucketCond, error) {
	m, err := object(path, v, "percent", "salt")
	if err != nil {
		return nil, err
	}
	c := &RandomBucketCond{}
	pv, ok := m["percent"]
	if !ok {
		return nil, invalid(path+".percent", "missing", `give the share of profiles in percent, e.g. "percent":10`)
	}
	f, ok := number(pv)
	if !ok || f < 0 || f > 100 || f*100 != float64(int64(f*100)) {
		return nil, invalid(path+".percent", "must be a number from 0 to 100 with at most two decimals", `e.g. "percent":12.5`)
	}
	c.Percent = f
	if _, ok := m["salt"]; ok {
		if c.Salt, err = requiredString(path, m, "salt"); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func decodeChannel(path string, v any) (*ChannelCond, error) {
	m, err := object(path, v, "channels", "sources", "window")
	if err != nil {
		return nil, err
	}
	c := &ChannelCond{}
	if c.Channels, err = stringList(path, m, "channels", false); err != nil {
		return nil, err
	}
	if c.Sources, err = stringList(path, m, "sources", false); err != nil {
		return nil, err
	}
	if c.Window, err = decodeWindow(path, m); err != nil {
		return nil, err
	}
	return c, nil
}

func enumString(path string, m map[string]any, key string, valid []string) (string, error) {
	s, err := requiredString(path, m, key)
	if err != nil {
		return "", err
	}
	if !slices.Contains(valid, s) {
		return "", invalid(path+"."+key, fmt.Sprintf("unknown value %q", s), "valid values: "+joinList(valid))
	}
	return s, nil
}
