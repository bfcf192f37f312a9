package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// Units of a lift analysis.
const (
	UnitExposure = "exposure" // every eligible record (customer × wave)
	UnitCustomer = "customer" // each customer's first eligible record in each arm
)

// maxLiftWindow bounds the conversion window.
const maxLiftWindow = 366 * 24 * time.Hour

// LiftSpec compares conversion after a treatment record (a catalog
// delivered, an ad shown) with conversion after a holdout record (the piece
// withheld, at the time it would have arrived): the incrementality of a
// channel measured against its control group.
type LiftSpec struct {
	Exposure   funnel.Step   // the treatment record
	Holdout    funnel.Step   // the control record at the would-be time
	Conversion funnel.Step   // the outcome
	Window     time.Duration // a record converts with a conversion in [t, t+Window)
	// FirstConversion counts only records before the customer's first
	// conversion (first-purchase lift); later records are excluded.
	FirstConversion bool
	Unit            string  // exposure (default) or customer
	HoldoutShare    float64 // the planned holdout share, for the sample-ratio check; 0: not checked
	Since, Until    time.Time
	// End is the data horizon: records whose window ends after it are left
	// out (their outcome is not known yet). Zero: the latest event seen,
	// capped at Now.
	End time.Time
	Now time.Time // the time relative filter operators read
}

// Validate checks the spec and fills defaults.
func (s *LiftSpec) Validate() error {
	for name, st := range map[string]funnel.Step{"exposure": s.Exposure, "holdout": s.Holdout, "conversion": s.Conversion} {
		if strings.TrimSpace(st.Event) == "" {
			return fmt.Errorf("%w: %s needs an event", funnel.ErrInvalid, name)
		}
	}
	if s.Exposure.Event == s.Holdout.Event && len(s.Exposure.Where) == 0 && len(s.Holdout.Where) == 0 {
		return fmt.Errorf("%w: exposure and holdout are both %q: give each arm its own event or filters", funnel.ErrInvalid, s.Exposure.Event)
	}
	if s.Window <= 0 || s.Window > maxLiftWindow {
		return fmt.Errorf("%w: window %s must be positive and at most 366 days", funnel.ErrInvalid, s.Window)
	}
	switch s.Unit {
	case "":
		s.Unit = UnitExposure
	case UnitExposure, UnitCustomer:
	default:
		return fmt.Errorf("%w: unit %q must be exposure or customer", funnel.ErrInvalid, s.Unit)
	}
	if s.HoldoutShare < 0 || s.HoldoutShare >= 1 {
		return fmt.Errorf("%w: holdout_share %g must be in [0, 1)", funnel.ErrInvalid, s.HoldoutShare)
	}
	if !s.Since.IsZero() && !s.Until.IsZero() && !s.Since.Before(s.Until) {
		return fmt.Errorf("%w: since must be before until", funnel.ErrInvalid)
	}
	return nil
}

// Need decodes the events that filter and keeps all three from any source.
func (s *LiftSpec) Need() funnel.Need {
	var n funnel.Need
	for _, st := range []funnel.Step{s.Exposure, s.Holdout, s.Conversion} {
		n.Keep = append(n.Keep, st.Event)
		if len(st.Where) > 0 {
			n.Decode = append(n.Decode, st.Event)
		}
	}
	slices.Sort(n.Decode)
	n.Decode = slices.Compact(n.Decode)
	return n
}

// liftRecord is one eligible record: its time, customer, arm and outcome.
type liftRecord struct {
	at        int64 // unix ms
	customer  int32
	exposed   bool
	converted bool
}

// Lift accumulates a lift analysis.
type Lift struct {
	spec      LiftSpec
	records   []liftRecord
	customers int32
	assigned  [2]int64 // customers with any record in range: holdout, exposed
	afterConv int64
	latest    time.Time
	seen      map[string]bool
	conv      []int64 // scratch: conversion times of a history
}

var _ funnel.Accumulator = (*Lift)(nil)

// NewLift validates spec and returns an empty accumulator.
func NewLift(spec LiftSpec) (*Lift, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	return &Lift{spec: spec, seen: map[string]bool{}}, nil
}

// Add reads one profile's history.
func (l *Lift) Add(h *funnel.History) {
	if n := len(h.Events); n > 0 && h.Events[n-1].Timestamp.After(l.latest) {
		l.latest = h.Events[n-1].Timestamp
	}
	s := &l.spec
	l.conv = l.conv[:0]
	for i := range h.Events {
		e := &h.Events[i]
		l.seen[e.Name] = true
		if l.matches(s.Conversion, e) {
			l.conv = append(l.conv, e.Timestamp.UnixMilli())
		}
	}
	cust := l.customers
	var armSeen [2]bool
	window := s.Window.Milliseconds()
	for i := range h.Events {
		e := &h.Events[i]
		exposed := l.matches(s.Exposure, e)
		if !exposed && !l.matches(s.Holdout, e) {
			continue
		}
		if !inSpan(e.Timestamp, s.Since, s.Until) {
			continue
		}
		arm := 0
		if exposed {
			arm = 1
		}
		armSeen[arm] = true
		t := e.Timestamp.UnixMilli()
		k, _ := slices.BinarySearch(l.conv, t) // first conversion at or after t
		if s.FirstConversion && k > 0 {
			l.afterConv++
			continue
		}
		converted := k < len(l.conv) && l.conv[k] < t+window
		l.records = append(l.records, liftRecord{at: t, customer: cust, exposed: exposed, converted: converted})
	}
	for arm, ok := range armSeen {
		if ok {
			l.assigned[arm]++
		}
	}
	l.customers++
}

func (l *Lift) matches(st funnel.Step, e *segment.Event) bool {
	return e.Name == st.Event && (len(st.Where) == 0 || segment.MatchFilters(st.Where, e, l.spec.Now))
}

func inSpan(t, since, until time.Time) bool {
	return (since.IsZero() || !t.Before(since)) && (until.IsZero() || t.Before(until))
}
