package funnel

import "errors"

// ErrInvalid is returned for a spec that makes no sense (no steps, a
// negative window, since after until, an unknown order or level).
var ErrInvalid = errors.New("invalid analysis request")

// ErrUnknown is returned when a step, anchor or filter names an event or a
// property that no stored event has. It is not returned on an empty data
// set: there every result is empty.
var ErrUnknown = errors.New("unknown event or property")
