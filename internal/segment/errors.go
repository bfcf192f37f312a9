package segment

import (
	"errors"
	"strings"
)

// Sentinel errors. Validation failures are *ValidationError and also match
// ErrInvalid with errors.Is.
var (
	// ErrInvalid is matched by every *ValidationError.
	ErrInvalid = errors.New("invalid segment definition")
	// ErrNotAvailable is returned when evaluating message and subscription
	// nodes, which become live with journeys.
	ErrNotAvailable = errors.New("not available until journeys exist")
	// ErrUnknownSegment is returned when in_segment names a segment the lookup does not know.
	ErrUnknownSegment = errors.New("unknown segment")
	// ErrCycle is returned when in_segment references form a cycle.
	ErrCycle = errors.New("segment reference cycle")
)

// ValidationError says what is wrong with a definition, where (the node
// path, e.g. conditions.and[2].performed.window) and how to fix it.
type ValidationError struct {
	Path string // node path; the root is "conditions"
	Msg  string // what is wrong
	Hint string // how to fix it; may be empty

	cause error // an extra sentinel it matches (ErrCycle, ErrUnknownSegment)
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true for validation errors, and
// ErrCycle or ErrUnknownSegment for reference errors.
func (e *ValidationError) Is(target error) bool {
	return target == ErrInvalid || (e.cause != nil && target == e.cause)
}

func invalid(path, msg, hint string) *ValidationError {
	return &ValidationError{Path: path, Msg: msg, Hint: hint}
}
