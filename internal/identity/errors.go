package identity

import "errors"

// Sentinel errors; check them with errors.Is.
var (
	// ErrNoIdentifiers means an event carries no usable identifier (none at
	// all, or every one blocked). The processor records it as a rejection.
	ErrNoIdentifiers = errors.New("event has no usable identifier")
	// ErrInvalidConfig wraps every problem Config.Validate reports.
	ErrInvalidConfig = errors.New("invalid identity config")
)
