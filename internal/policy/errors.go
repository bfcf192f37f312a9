package policy

import (
	"errors"
	"fmt"
)

// Sentinel errors.
var (
	// ErrInvalid is matched (errors.Is) by every Validate error.
	ErrInvalid = errors.New("invalid policy")
	// ErrMalformedToken is returned for an unsubscribe token that is not
	// base64url(payload) "." base64url(mac), or whose payload does not decode.
	ErrMalformedToken = errors.New("malformed unsubscribe token")
	// ErrBadSignature is returned for an unsubscribe token whose signature
	// does not match its payload under the secret: it was tampered with, or
	// signed with another secret.
	ErrBadSignature = errors.New("unsubscribe token signature mismatch")
	// ErrNoSecret is returned when verifying with an empty secret.
	ErrNoSecret = errors.New("empty signing secret")
)

// invalidf returns a validation error matching ErrInvalid.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
