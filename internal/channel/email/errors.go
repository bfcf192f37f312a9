package email

import (
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// Configuration errors. Send wraps one of these inside its channel.Error
// when the failure is not about the message but about how Cairn reaches the
// relay, so every other message would fail the same way. The dispatcher
// checks IsConfigError first: it alerts an operator and holds the queue
// instead of failing (or retrying) message after message.
var (
	// ErrAuth: the server rejected the credentials (535, 534, 538), asked
	// for authentication that is not configured (530), or does not offer a
	// usable AUTH mechanism although credentials are configured. Wrapped in
	// a permanent channel.Error: retrying the same message cannot help until
	// the configuration changes. A temporary AUTH failure (454) is a plain
	// temporary error without ErrAuth.
	ErrAuth = fmt.Errorf("%w: smtp authentication failed", channel.ErrConfig)
	// ErrTLS: TLS could not be set up: the server did not offer STARTTLS,
	// or the handshake failed (certificate not trusted, expired, wrong
	// name). Wrapped in a temporary channel.Error: nothing was sent, so a
	// retry is safe once the relay or the configuration is fixed.
	ErrTLS = fmt.Errorf("%w: smtp tls negotiation failed", channel.ErrConfig)
	// ErrRelay: the server refused this client or its sender address with
	// a 5xx reply at the greeting, EHLO or MAIL FROM (e.g. 554 "access
	// denied", 553 "sender not owned by user"). Wrapped in a permanent
	// channel.Error.
	ErrRelay = fmt.Errorf("%w: smtp relay refused the sender", channel.ErrConfig)
)

// Message errors: Send returns these (inside a permanent channel.Error with
// code CodeInvalidMessage) without connecting to the server.
var (
	ErrNoKey     = errors.New("message has no send key")
	ErrNoBody    = errors.New("message has neither a text nor an html body")
	ErrRecipient = errors.New("invalid recipient address")
	ErrHeader    = errors.New("invalid header")
)

// Report errors from ParseDSN and ParseARF.
var (
	// ErrNotReport: the input is not a multipart/report of the expected
	// report-type (delivery-status for ParseDSN, feedback-report for
	// ParseARF).
	ErrNotReport = errors.New("not a report of the expected type")
	// ErrMalformedReport: the report is of the right type but its
	// machine-readable part is missing or unreadable.
	ErrMalformedReport = errors.New("malformed report")
)

// CodeInvalidMessage is the channel.Error code of a message Send refused
// before connecting (no key, no body, bad recipient or header).
const CodeInvalidMessage = "invalid_message"

// IsConfigError tells whether err is a failure of the sender's
// configuration or of the relay (ErrAuth, ErrTLS or ErrRelay) rather than
// of one message.
func IsConfigError(err error) bool {
	return errors.Is(err, ErrAuth) || errors.Is(err, ErrTLS) || errors.Is(err, ErrRelay)
}
