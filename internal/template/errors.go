package template

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalid is matched by every *ValidationError.
	ErrInvalid = errors.New("invalid template")
	// ErrUndefinedVariable is matched by a *RenderError caused by a missing
	// variable (or a nil value where a value is needed).
	ErrUndefinedVariable = errors.New("undefined variable")
	// ErrInvalidOutput is matched by a *RenderError whose rendered output is
	// unusable: a webhook body that is not JSON, a header with a line break.
	ErrInvalidOutput = errors.New("invalid rendered output")
	// ErrLimitExceeded is matched by a *RenderError that hit a render limit
	// (MaxLoopIterations, MaxOutputSize, MaxArrayLen).
	ErrLimitExceeded = errors.New("render limit exceeded")
)

// Problem is one thing wrong with a template. Field is the JSON name of the
// offending field or part ("channel", "html", "data.title"); Line, when
// known, is the 1-based line within that part.
type Problem struct {
	Field   string `json:"field"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", p.Field, p.Line, p.Message)
	}
	return p.Field + ": " + p.Message
}

// ValidationError lists every problem found in a template, so an API can show
// them all at once.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid template: " + strings.Join(parts, "; ")
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// RenderError is a failure to render one part of a template for one message.
type RenderError struct {
	Part     string // "subject", "html", "data.key", ...
	Line     int    // 1-based line in the part; 0 when unknown
	Variable string // the missing variable's path, when one caused the error
	Message  string
	kind     error // ErrUndefinedVariable, ErrInvalidOutput or nil
	cause    error // the innermost error, which may wrap ErrLimitExceeded
}

func (e *RenderError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("render %s: line %d: %s", e.Part, e.Line, e.Message)
	}
	return fmt.Sprintf("render %s: %s", e.Part, e.Message)
}

// Unwrap returns the error's kind (ErrUndefinedVariable, ErrInvalidOutput)
// and its underlying cause, when there are.
func (e *RenderError) Unwrap() []error {
	var errs []error
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}
