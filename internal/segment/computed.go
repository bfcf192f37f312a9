package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// aggUniqueList is the computed-trait-only kind: the sorted distinct values.
const aggUniqueList AggFn = "unique_list"

// computedKinds are the kinds a computed trait may use.
var computedKinds = []AggFn{AggCount, AggSum, AggAvg, AggMin, AggMax, AggMostFrequent, AggFirst, AggLast, aggUniqueList, AggDistinctCount}

// Pseudo-properties of computed traits: event fields, not properties.
const (
	PropChannel   = "channel"   // the event's channel
	PropSource    = "source"    // the event's source id
	PropTimestamp = "timestamp" // the event's timestamp (RFC 3339, UTC)
)

// computedPath is the root path in computed trait validation errors.
const computedPath = "computed"

// ComputedDef is a computed trait: Kind (an aggregate function or
// unique_list) over Property of the events named Event ("" is any event)
// that pass every Where filter, lifetime or inside Window. It writes the
// profile trait Name.
type ComputedDef struct {
	Name     string   `json:"name"`
	Kind     AggFn    `json:"kind"`
	Event    string   `json:"event"`
	Property string   `json:"property,omitempty"`
	Where    []Filter `json:"where,omitempty"`
	Window   *Window  `json:"window,omitempty"`
}

// ParseComputed parses and validates a computed trait definition in JSON.
// A window may be relative (within, or from_ago/to_ago): the processor
// recomputes the trait when an event leaves (or enters) it, on a durable
// timer at ComputedNextChange.
func ParseComputed(data []byte) (*ComputedDef, error) {
	if len(data) > MaxInputLen {
		return nil, invalid(computedPath, fmt.Sprintf("definition is %d bytes, more than the limit of %d", len(data), MaxInputLen), "")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, invalid(computedPath, "not valid JSON: "+err.Error(), `write e.g. {"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue"}`)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, invalid(computedPath, "unexpected data after the JSON object", "send exactly one JSON object")
	}
	m, err := object(computedPath, tree, "name", "kind", "event", "property", "where", "window")
	if err != nil {
		return nil, err
	}
	d := &ComputedDef{}
	if d.Name, err = requiredString(computedPath, m, "name"); err != nil {
		return nil, err
	}
	if !isIdent(d.Name) {
		return nil, invalid(computedPath+".name", fmt.Sprintf("%q is not a trait path", d.Name), "use letters, digits, _ and . such as lifetime_revenue")
	}
	kind, err := requiredString(computedPath, m, "kind")
	if err != nil {
		return nil, err
	}
	d.Kind = AggFn(kind)
	if !contains(computedKinds, d.Kind) {
		return nil, invalid(computedPath+".kind", fmt.Sprintf("unknown kind %q", kind), "valid kinds: "+joinList(computedKinds))
	}
	if v, ok := m["event"]; ok && v != "" {
		if d.Event, err = checkString(computedPath+".event", v); err != nil {
			return nil, err
		}
	}
	if _, ok := m["property"]; ok || d.Kind != AggCount {
		if d.Kind == AggCount {
			return nil, invalid(computedPath+".property", "count counts events and takes no property", `remove "property"; to count events having it add a where filter with op exists`)
		}
		if d.Property, err = requiredString(computedPath, m, "property"); err != nil {
			return nil, err
		}
	}
	if d.Where, err = decodeFilters(computedPath, m, "where"); err != nil {
		return nil, err
	}
	if d.Window, err = decodeWindow(computedPath, m); err != nil {
		return nil, err
	}
	if w := d.Window; w != nil && w.Within == 0 && w.FromAgo == 0 {
		return nil, invalid(computedPath+".window", "a computed trait's window must be relative (within, or from_ago/to_ago)", `write e.g. {"within":"30d"}; for fixed dates use a segment aggregate`)
	}
	return d, nil
}

// JSON is the canonical JSON form.
func (d *ComputedDef) JSON() []byte {
	b, err := json.Marshal(d)
	if err != nil {
		return nil
	}
	return b
}

// Matches reports whether an event named name can change the value.
func (d *ComputedDef) Matches(name string) bool { return d.Event == "" || d.Event == name }

// ComputeValue computes d over the events of snap that happened by now.
// Values are as the segment aggregate computes them (count, sum, avg, min,
// max, distinct_count and the value forms of most_frequent, first, last),
// plus unique_list: the distinct values sorted (numbers before strings).
// Unlike a segment aggregate, a trait over no qualifying event is
// undefined for every kind (ok false): the trait is absent.
func ComputeValue(d *ComputedDef, snap Snapshot, now time.Time) (value any, ok bool, err error) {
	if d == nil || d.Kind == "" {
		return nil, false, errors.New("compute trait: empty definition")
	}
	ev := newEvaluator(snap, nil)
	vis := ev.visible(now)
	a := &ComputedAcc{agg: newAggAcc(d.Kind)}
	for i := range vis {
		a.Fold(d, &vis[i], now)
	}
	v, ok := a.Value(d)
	return v, ok, nil
}

// property reads the definition's property of e, or the pseudo-property.
func (d *ComputedDef) property(e *Event) (any, bool) {
	switch d.Property {
	case PropChannel:
		return e.Channel, e.Channel != ""
	case PropSource:
		return e.Source, e.Source != ""
	case PropTimestamp:
		return e.Timestamp.UTC().Format(time.RFC3339Nano), !e.Timestamp.IsZero()
	}
	return e.prop(d.Property)
}

// ComputedNextChange returns the first instant after now at which d's value
// over snap can change with no new event: a qualifying event leaving (or
// entering) a relative window, or a future-dated event becoming visible.
// False when nothing will change by itself (a lifetime trait over past
// events). Property filters are taken as they match at now.
func ComputedNextChange(d *ComputedDef, snap Snapshot, now time.Time) (time.Time, bool) {
	var next time.Time
	consider := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	ev := newEvaluator(snap, nil) // events sorted by time
	events := ev.events
	if d.Window == nil {
		// A lifetime trait changes by itself only when a future-dated
		// event becomes visible: skip the past, the bulk of a history.
		events = events[len(ev.visible(now)):]
	}
	for i := range events {
		e := &events[i]
		if !d.Matches(e.Name) || !filtersMatch(d.Where, e, now) {
			continue
		}
		consider(e.Timestamp) // a future-dated event becomes visible
		if w := d.Window; w != nil {
			if w.Within > 0 {
				consider(e.Timestamp.Add(time.Duration(w.Within))) // leaves "within the last"
			}
			if w.FromAgo > 0 {
				consider(e.Timestamp.Add(time.Duration(w.ToAgo)))   // enters "between from_ago and to_ago"
				consider(e.Timestamp.Add(time.Duration(w.FromAgo))) // leaves it
			}
		}
	}
	return next, !next.IsZero()
}
