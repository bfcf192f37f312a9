package source

import (
	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

// TouchNeed is what a history scan must load for TouchCollector: every
// event's payload (a touch's channel and campaign are in its context or
// properties), none of Cairn's own events.
func TouchNeed(internal string) funnel.Need {
	n := funnel.Need{DecodeAll: true}
	if internal != "" {
		n.Exclude = []string{internal}
	}
	return n
}

// TouchCollector gathers the touches and conversions of Touches from
// histories (the analytics projection's scan), with the same rules.
type TouchCollector struct {
	q           TouchQuery
	Touches     []attribution.Touch
	Conversions []attribution.Conversion
}

var _ funnel.Accumulator = (*TouchCollector)(nil)

// NewTouchCollector starts collecting for q.
func NewTouchCollector(q TouchQuery) *TouchCollector { return &TouchCollector{q: q} }

// Add reads one profile's history.
func (c *TouchCollector) Add(h *funnel.History) {
	for i := range h.Events {
		e := &h.Events[i]
		if (c.q.Internal != "" && e.Source == c.q.Internal) || (!c.q.Until.IsZero() && !e.Timestamp.Before(c.q.Until)) {
			continue
		}
		switch e.Type {
		case "track", "page", "screen":
		default:
			continue
		}
		if e.Type == "track" && e.Name == c.q.Conversion {
			v := 0.0
			if c.q.Value != "" {
				v, _ = Number(e.Properties, c.q.Value)
			}
			c.Conversions = append(c.Conversions, attribution.Conversion{Customer: h.ProfileID, Time: e.Timestamp, Value: v})
			continue
		}
		c.Touches = append(c.Touches, touchOf(h.ProfileID, e.Timestamp, e.Channel, *e))
	}
}
