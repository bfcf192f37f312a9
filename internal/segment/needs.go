package segment

import (
	"cmp"
	"slices"
)

// Needs is what evaluating some definitions reads of a profile: the event
// names their nodes test (AnyEvent when a channel node reads every event),
// the names whose properties or context a filter or aggregate reads, and
// whether any trait is read. Analyses that replay definitions over stored
// histories load only these. Columns names every payload value those
// filters and aggregates read, so a reader that keeps values apart (the
// analytics projection) can serve them without the bodies.
type Needs struct {
	Events   []string
	AnyEvent bool
	Payload  []string
	Columns  []Column
	Traits   bool
	// TraitPaths are the paths trait conditions test (sorted).
	TraitPaths []string
}

// TraitKeys lists every stored trait path ReadsTrait accepts: each tested
// path and the paths of the objects that may hold it (sorted).
func (n Needs) TraitKeys() []string {
	var out []string
	for _, q := range n.TraitPaths {
		for i := range len(q) {
			if q[i] == '.' {
				out = append(out, q[:i])
			}
		}
		out = append(out, q)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ReadsTrait reports whether a condition can read the stored trait at
// path: a tested path is it, or lies inside it (a nested object).
func (n Needs) ReadsTrait(path string) bool {
	for _, q := range n.TraitPaths {
		if q == path || len(q) > len(path) && q[len(path)] == '.' && q[:len(path)] == path {
			return true
		}
	}
	return false
}

// Column is one value a condition reads from the payloads of events named
// Event: the property at Path, or the context's when Context is set. A
// path is looked up as conditions look it up: the whole key first, then
// through nested objects at each dot.
type Column struct {
	Event   string
	Context bool
	Path    string
}

// ColumnValue reads c's value from e, as a condition reads it.
func ColumnValue(c Column, e *Event) (any, bool) {
	if c.Context {
		return e.ctxValue(c.Path)
	}
	return e.prop(c.Path)
}

// ColumnEvent is an event whose payload is only the values of cols (all of
// one event name; values[i] is cols[i]'s, nil when absent), read with
// ColumnValue: every condition NeedsOf named them for reads the same values
// from it as from e. It keeps both slices instead of building maps (a
// backfill builds one per event it reads), so the caller must not change
// them afterwards; events may share cols.
func ColumnEvent(e Event, cols []Column, values []any) Event {
	e.body, e.Properties, e.Context = nil, nil, nil
	e.cols = &columnValues{defs: cols, vals: values}
	return e
}

// columnValues are the payload of a ColumnEvent.
type columnValues struct {
	defs []Column
	vals []any
}

// value is the value of the column at path, looked up as a map holding
// each column's value at its path would be (lookup matches the whole key
// first, and a column's path is the key conditions read).
func (c *columnValues) value(context bool, path string) (any, bool) {
	for i, d := range c.defs {
		if d.Context == context && d.Path == path {
			return c.vals[i], c.vals[i] != nil
		}
	}
	return nil, false
}

// asMap is the properties (or context) map of the columns' values.
func (c *columnValues) asMap(context bool) map[string]any {
	var m map[string]any
	for i, d := range c.defs {
		if d.Context == context && c.vals[i] != nil {
			if m == nil {
				m = map[string]any{}
			}
			m[d.Path] = c.vals[i]
		}
	}
	return m
}

// NeedsOf collects the needs of defs and of the segments they reference
// through in_segment (read with lookup; unknown ids are skipped).
func NeedsOf(defs []*Definition, lookup SegmentLookup) Needs {
	var n Needs
	event := func(name string, filters ...[]Filter) {
		n.Events = append(n.Events, name)
		for _, fs := range filters {
			for _, f := range fs {
				c := Column{Event: name, Path: f.Property}
				if f.Context != "" {
					c = Column{Event: name, Context: true, Path: f.Context}
				}
				n.Columns = append(n.Columns, c)
			}
		}
	}
	eachNode(defs, lookup, func(x *Node) {
		switch x.Kind() {
		case KindTrait:
			n.Traits = true
			n.TraitPaths = append(n.TraitPaths, x.Trait.Path)
		case KindPerformed:
			event(x.Performed.Event, x.Performed.Where)
		case KindFirstPerformed:
			event(x.FirstPerformed.Event, x.FirstPerformed.Where, x.FirstPerformed.Has)
		case KindLastPerformed:
			event(x.LastPerformed.Event, x.LastPerformed.Where, x.LastPerformed.Has)
		case KindSequence:
			for _, s := range x.Sequence.Steps {
				event(s.Event, s.Where)
			}
		case KindAggregate:
			event(x.Aggregate.Event, x.Aggregate.Where)
			if x.Aggregate.Property != "" { // a count reads no value
				n.Columns = append(n.Columns, Column{Event: x.Aggregate.Event, Path: x.Aggregate.Property})
			}
		case KindChannel:
			n.AnyEvent = true
		}
	})
	for _, c := range n.Columns {
		n.Payload = append(n.Payload, c.Event)
	}
	for _, l := range []*[]string{&n.Events, &n.Payload, &n.TraitPaths} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	slices.SortFunc(n.Columns, compareColumns)
	n.Columns = slices.Compact(n.Columns)
	return n
}

func compareColumns(a, b Column) int {
	if c := cmp.Compare(a.Event, b.Event); c != 0 {
		return c
	}
	if a.Context != b.Context {
		if a.Context {
			return 1
		}
		return -1
	}
	return cmp.Compare(a.Path, b.Path)
}
