package report

import "errors"

// ErrInvalid reports an invalid report specification.
var ErrInvalid = errors.New("invalid report")
