package journey

import (
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// NextRun returns the first run of a schedule strictly after after (the
// first run at or after At when after is zero); false when a one-off
// schedule has run.
func (e *ScheduleEntry) NextRun(after time.Time) (time.Time, bool) {
	at, err := time.Parse(time.RFC3339, e.At)
	if err != nil {
		return time.Time{}, false // validated at publish
	}
	at = at.UTC()
	if after.IsZero() || after.Before(at) {
		return at, true
	}
	if e.Every == "" {
		return time.Time{}, false
	}
	d, err := segment.ParseDuration(e.Every)
	if err != nil || d <= 0 {
		return time.Time{}, false
	}
	every := time.Duration(d)
	n := after.Sub(at)/every + 1
	return at.Add(n * every), true
}

// Scheduled lists the live versions entered by a schedule, by journey id.
func (c *Catalog) Scheduled() []*Version {
	var out []*Version
	for _, id := range c.Journeys() {
		if v, ok := c.live[id]; ok && v.Def.Entry.Schedule != nil {
			out = append(out, v)
		}
	}
	return out
}
