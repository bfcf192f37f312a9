package funnel

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/lifecycle"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// Order is how funnel steps must follow each other.
type Order string

// Orders.
const (
	Strict Order = "strict" // steps in the given order
	Any    Order = "any"    // step 1 first, then the others in any order
)

// Breakdown kinds.
const (
	ByChannel  = "channel"
	BySource   = "source"
	ByProperty = "property"
	ByStage    = "stage"   // lifecycle stage at the entry event (replayed with FunnelSpec.Stages, else its latest Stage Changed before)
	BySegment  = "segment" // member or not of a segment now (Breakdown.Members)
)

// EventStageChanged is the processor's lifecycle stage transition event
// (properties from, to), which a stage breakdown reads.
const EventStageChanged = "Stage Changed"

// Limits of a funnel spec.
const (
	MaxSteps     = 20
	MaxWindow    = 366 * 24 * time.Hour
	DroppedLimit = 100
	breakdownTop = 25
)

// Step is one funnel step: an event name and property filters.
type Step struct {
	Event string           `json:"event"`
	Where []segment.Filter `json:"where,omitempty"`
}

// Breakdown groups entered profiles by a field of their entry event, their
// lifecycle stage when they entered, or their membership of a segment.
type Breakdown struct {
	By       string `json:"by"`                 // channel, source, property, stage or segment; empty: none
	Property string `json:"property,omitempty"` // dotted path in properties, for By = property
	Segment  string `json:"segment,omitempty"`  // segment id, for By = segment
	// Members are the segment's members (profile ids), for By = segment;
	// the caller loads them.
	Members map[string]bool `json:"-"`
}

// FunnelSpec is a validated funnel request.
type FunnelSpec struct {
	Steps     []Step
	Window    time.Duration // steps 2..n must happen within Window of the entry
	Order     Order
	Since     time.Time // entries at or after; zero: no bound
	Until     time.Time // entries before; zero: no bound
	Breakdown Breakdown
	Now       time.Time // the time relative filter operators read
	// Stages, when set, is the lifecycle model a stage breakdown replays
	// over each history (the stage at entry is what the model gives over
	// the events before the entry); without it the breakdown reads the
	// processor's recorded Stage Changed events.
	Stages *lifecycle.Model
}

// Validate checks the spec.
func (s *FunnelSpec) Validate() error {
	if len(s.Steps) < 1 || len(s.Steps) > MaxSteps {
		return fmt.Errorf("%w: a funnel has 1 to %d steps, got %d", ErrInvalid, MaxSteps, len(s.Steps))
	}
	for i, st := range s.Steps {
		if strings.TrimSpace(st.Event) == "" {
			return fmt.Errorf("%w: step %d has no event", ErrInvalid, i+1)
		}
	}
	if s.Window <= 0 || s.Window > MaxWindow {
		return fmt.Errorf("%w: window %s must be positive and at most 366 days", ErrInvalid, s.Window)
	}
	switch s.Order {
	case Strict, Any:
	case "":
		s.Order = Strict
	default:
		return fmt.Errorf("%w: order %q must be strict or any", ErrInvalid, s.Order)
	}
	if err := checkRange(s.Since, s.Until); err != nil {
		return err
	}
	b := s.Breakdown
	if b.Property != "" && b.By != ByProperty {
		return fmt.Errorf("%w: breakdown property is only for a property breakdown", ErrInvalid)
	}
	if b.Segment != "" && b.By != BySegment {
		return fmt.Errorf("%w: breakdown segment is only for a segment breakdown", ErrInvalid)
	}
	switch b.By {
	case "", ByChannel, BySource, ByStage:
	case ByProperty:
		if b.Property == "" {
			return fmt.Errorf("%w: a property breakdown needs a property path (property:PATH)", ErrInvalid)
		}
	case BySegment:
		if b.Segment == "" {
			return fmt.Errorf("%w: a segment breakdown needs a segment id (segment:ID)", ErrInvalid)
		}
	default:
		return fmt.Errorf("%w: breakdown %q must be channel, source, property:PATH, stage or segment:ID", ErrInvalid, b.By)
	}
	return nil
}

func checkRange(since, until time.Time) error {
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		return fmt.Errorf("%w: since %s must be before until %s", ErrInvalid,
			since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	return nil
}

// Need is what a scan must load for this funnel: payloads of the steps that
// filter (and of step 1 for a property breakdown); the steps' events even
// from excluded sources.
func (s *FunnelSpec) Need() Need {
	var n Need
	for i, st := range s.Steps {
		n.Keep = append(n.Keep, st.Event)
		if len(st.Where) > 0 || (i == 0 && s.Breakdown.By == ByProperty) {
			n.Decode = append(n.Decode, st.Event)
		}
	}
	switch {
	case s.Breakdown.By == ByStage && s.Stages != nil:
		needs := s.Stages.Needs()
		n.Keep = append(n.Keep, needs.Events...)
		n.Decode = append(n.Decode, needs.Payload...)
	case s.Breakdown.By == ByStage:
		n.Keep = append(n.Keep, EventStageChanged)
		n.Decode = append(n.Decode, EventStageChanged)
	}
	slices.Sort(n.Decode)
	n.Decode = slices.Compact(n.Decode)
	return n
}

func inRange(t, since, until time.Time) bool {
	return (since.IsZero() || !t.Before(since)) && (until.IsZero() || t.Before(until))
}
