package report

import (
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// w0 is a Monday.
var w0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// ev is an event hours after w0 with properties.
func ev(name string, hours int, props map[string]any) segment.Event {
	return segment.Event{Type: "track", Name: name, Timestamp: w0.Add(time.Duration(hours) * time.Hour), Properties: props}
}

func hist(id string, evs ...segment.Event) *funnel.History {
	return &funnel.History{ProfileID: id, Events: evs}
}

// jp builds journey event properties.
func jp(journey, inst, node string, extra map[string]any) map[string]any {
	m := map[string]any{"journey_id": journey, "instance_id": inst, "node_id": node}
	for k, v := range extra {
		m[k] = v
	}
	return m
}
