package demo

import "errors"

// Sentinel errors; wrapped with context where they are returned.
var (
	// ErrInvalidConfig reports a Config that Generate cannot use.
	ErrInvalidConfig = errors.New("invalid demo config")
	// ErrMalformedLine reports a line of a demo file that is not
	// {"source":"…","event":{…}}.
	ErrMalformedLine = errors.New("malformed demo line")
)
