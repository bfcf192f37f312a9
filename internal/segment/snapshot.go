package segment

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Snapshot is what the evaluator reads of one profile.
type Snapshot struct {
	ProfileID string // hashed by random_bucket
	// Traits maps dotted leaf paths (address.city) to decoded JSON values;
	// nested maps are also walked, so {"address":{"city":"Paris"}} works too.
	Traits map[string]any
	// Events in any order; Evaluate orders them by Timestamp (stable).
	Events []Event
}

// Event is one event as the evaluator sees it. Properties and Context hold
// values as decoded by encoding/json (float64 numbers, []any, map[string]any).
// An event from LazyEventFrom leaves them nil and decodes its body the first
// time the evaluator reads them, and one from ColumnEvent holds only some
// values, outside any map: read them through Props and Ctx.
type Event struct {
	Type       string
	Name       string // track event name, page/screen name
	Timestamp  time.Time
	Channel    string
	Source     string // source id
	Properties map[string]any
	Context    map[string]any
	body       *lazyBody     // LazyEventFrom; shared by copies
	cols       *columnValues // ColumnEvent: the only payload values
}

// Props returns the event's properties, decoding a lazy body on first use.
func (e *Event) Props() map[string]any {
	switch {
	case e.body != nil:
		return e.body.decoded().props
	case e.cols != nil:
		return e.cols.asMap(false)
	}
	return e.Properties
}

// Ctx returns the event's context, decoding a lazy body on first use.
func (e *Event) Ctx() map[string]any {
	switch {
	case e.body != nil:
		return e.body.context()
	case e.cols != nil:
		return e.cols.asMap(true)
	}
	return e.Context
}

// prop is the property at path as conditions read it (lookup).
func (e *Event) prop(path string) (any, bool) {
	if e.cols != nil {
		return e.cols.value(false, path)
	}
	return lookup(e.Props(), path)
}

// ctxValue is the context value at path as conditions read it.
func (e *Event) ctxValue(path string) (any, bool) {
	if e.cols != nil {
		return e.cols.value(true, path)
	}
	return lookup(e.Ctx(), path)
}

// lazyBody is a stored event body decoded on first use, at most once even
// when copies of the event are read from several goroutines. The context,
// which few conditions read, is decoded apart, on its first use.
type lazyBody struct {
	once    sync.Once
	done    bool // decoded (set inside once)
	raw     []byte
	load    func() []byte // reads raw when it was not kept (LazyEvent) or was dropped (Unload)
	out     struct{ props, ctx map[string]any }
	ctxOnce sync.Once
	ctxRaw  json.RawMessage // until context decodes it
}

func (l *lazyBody) decoded() *struct{ props, ctx map[string]any } {
	l.once.Do(func() {
		l.done = true
		if l.raw == nil && l.load != nil {
			l.raw = l.load()
		}
		l.load = nil
		if l.raw == nil {
			return
		}
		var body struct {
			Properties map[string]any  `json:"properties"`
			Context    json.RawMessage `json:"context"`
		}
		// The log holds only bodies that parsed at ingest; one that does
		// not decode reads as having no properties and no context.
		if json.Unmarshal(l.raw, &body) == nil {
			l.out.props, l.ctxRaw = body.Properties, body.Context
		}
		l.raw = nil
	})
	return &l.out
}

// context returns the body's context, decoding it on first use.
func (l *lazyBody) context() map[string]any {
	out := l.decoded()
	l.ctxOnce.Do(func() {
		var ctx map[string]any
		// a context that is not an object (or null) reads as none, as
		// it did when the whole body was decoded at once
		if len(l.ctxRaw) > 0 && json.Unmarshal(l.ctxRaw, &ctx) == nil {
			out.ctx = ctx
		}
		l.ctxRaw = nil
	})
	return out.ctx
}

// LazyEvent returns e (its Properties and Context unset) with a body that
// load reads the first time a condition needs it: a history built from
// timeline rows fetches only the bodies some condition reads. load returns
// nil when the body is gone; the event then reads as having none.
func LazyEvent(e Event, load func() []byte) Event {
	e.Properties, e.Context, e.cols = nil, nil, nil
	e.body = &lazyBody{load: load}
	return e
}

// LazyEventFrom converts a stored event like EventFrom but decodes its
// properties and context only when a condition reads them (Props, Ctx):
// most events in a history are only counted or timed, and decoding every
// body was most of the cost of converting histories. It keeps e.Raw until
// Unload; reload, when not nil, reads the body again after that.
func LazyEventFrom(e *event.Event, reload func() []byte) Event {
	out := Event{Type: string(e.Type), Name: e.Name, Timestamp: e.Timestamp, Channel: e.Channel, Source: e.SourceID}
	if len(e.Raw) > 0 {
		out.body = &lazyBody{raw: e.Raw, load: reload}
	}
	return out
}

// Unload drops the kept body of an event no condition has read yet, when it
// can be read again (LazyEventFrom's reload), so a cached history holds a
// few dozen bytes per event instead of its body; a decoded body stays, since
// a condition reads it. Call it only while no other goroutine reads e.
func (e *Event) Unload() {
	if b := e.body; b != nil && !b.done && b.raw != nil && b.load != nil {
		b.raw = nil
	}
}

// EventFrom converts a stored event, decoding its properties and context.
func EventFrom(e *event.Event) (Event, error) {
	out := Event{
		Type:      string(e.Type),
		Name:      e.Name,
		Timestamp: e.Timestamp,
		Channel:   e.Channel,
		Source:    e.SourceID,
	}
	if len(e.Raw) == 0 {
		return out, nil
	}
	var body struct {
		Properties map[string]any `json:"properties"`
		Context    map[string]any `json:"context"`
	}
	if err := json.Unmarshal(e.Raw, &body); err != nil {
		return Event{}, fmt.Errorf("decode event %s: %w", e.MessageID, err)
	}
	out.Properties, out.Context = body.Properties, body.Context
	return out, nil
}

// TraitsFrom converts stored trait rows into a Snapshot's Traits.
func TraitsFrom(ts []store.Trait) (map[string]any, error) {
	out := make(map[string]any, len(ts))
	for _, t := range ts {
		v, err := DecodeValue(t.Value)
		if err != nil {
			return nil, fmt.Errorf("decode trait %s: %w", t.Path, err)
		}
		out[t.Path] = v
	}
	return out, nil
}

// lookup resolves a dotted path: an exact key first, then the longest
// prefix key holding an object, descending into it. A null is missing.
func lookup(m map[string]any, path string) (any, bool) {
	if m == nil {
		return nil, false
	}
	if v, ok := m[path]; ok {
		return v, v != nil
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] != '.' {
			continue
		}
		if sub, ok := m[path[:i]].(map[string]any); ok {
			return lookup(sub, path[i+1:])
		}
	}
	return nil, false
}
