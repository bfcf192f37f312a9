package clv

import (
	"errors"
	"fmt"
)

// ErrNoCustomers means the data hold no customer to fit or summarize.
var ErrNoCustomers = errors.New("no customers")

// ErrNotIdentifiable means the data cannot pin the model's parameters down:
// nobody made a repeat purchase, too few customers, or the optimum lies on the
// boundary of the parameter space (a parameter ran off to 0 or infinity).
// Parameters returned alongside it must not be used.
var ErrNotIdentifiable = errors.New("model not identifiable from the data")

// ParseError is a malformed line of a transaction file.
type ParseError struct {
	Line int   // 1-based line number in the input
	Err  error // what is wrong with it
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *ParseError) Unwrap() error { return e.Err }
