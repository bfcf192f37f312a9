package segment

import (
	"encoding/json"
	"fmt"
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
type Event struct {
	Type       string
	Name       string // track event name, page/screen name
	Timestamp  time.Time
	Channel    string
	Source     string // source id
	Properties map[string]any
	Context    map[string]any
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
		var v any
		if err := json.Unmarshal(t.Value, &v); err != nil {
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
