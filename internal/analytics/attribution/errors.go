package attribution

import (
	"errors"
	"fmt"
)

// ErrUnknownModel is returned by Run for a model name it does not know.
var ErrUnknownModel = errors.New("unknown attribution model")

// ErrBadOptions is returned by Run for options out of range.
var ErrBadOptions = errors.New("bad attribution options")

// ErrBadPath is returned by Run for a path it cannot attribute (no touch,
// negative or non-finite counts, times that do not match the channels).
var ErrBadPath = errors.New("bad path")

// ParseError is a malformed line of a path file.
type ParseError struct {
	Line int // 1-based line number in the file
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *ParseError) Unwrap() error { return e.Err }
