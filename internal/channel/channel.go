// Package channel defines what every delivery channel adapter implements:
// one Send per rendered message, errors classified as permanent or
// temporary, and the delivery feedback providers report back.
//
// Adapters live in sub-packages named for the channel or provider
// (channel/email, channel/twilio, channel/fcm, channel/webhook); the
// journey dispatcher only sees this package's types.
package channel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Kind names a channel.
type Kind string

// The channels Cairn delivers on.
const (
	Email      Kind = "email"
	SMS        Kind = "sms"
	Push       Kind = "push"
	InApp      Kind = "inapp"
	Webhook    Kind = "webhook"
	DirectMail Kind = "direct_mail"
	Task       Kind = "task"     // call-center task
	Audience   Kind = "audience" // ad audience
)

// Message is one rendered message for one recipient, ready for a provider.
type Message struct {
	// Key is the send key: stable for one attempt of one send (journey
	// version, instance, node, attempt), so a provider or receiver can
	// deduplicate a resend after a crash. Adapters pass it as the
	// provider's idempotency key where one exists, and email derives its
	// Message-ID from it.
	Key       string
	Channel   Kind
	ProfileID string
	To        string // email address, E.164 phone number, push token or URL

	Subject string            // email
	HTML    string            // email HTML part
	Text    string            // email text part, SMS body, push body
	Title   string            // push title
	Data    map[string]string // push data
	Body    []byte            // webhook request body (JSON)
	Headers map[string]string // extra headers (email, webhook)

	// UnsubscribeURL is the signed one-click unsubscribe link (email
	// List-Unsubscribe with List-Unsubscribe-Post, RFC 8058).
	UnsubscribeURL string
}

// Receipt is a provider's answer to a successful Send.
type Receipt struct {
	ProviderID string // the provider's message id (SMTP Message-ID, Twilio SID, FCM name)
	Status     string // "sent", or "delivered" when the provider confirmed delivery
	Detail     string // e.g. the SMTP server's final reply
	// Response is the body a webhook answered with (JSON), so a journey
	// can save fields of it to traits.
	Response []byte
}

// Sender delivers messages on one channel.
type Sender interface {
	Send(ctx context.Context, m Message) (Receipt, error)
}

// Reconciler is implemented by providers that can be asked, after a crash,
// whether a message whose outcome was not recorded was in fact accepted.
type Reconciler interface {
	// Lookup finds a message sent for m (by its key, provider id or
	// recipient) at or after since; false when the provider has none.
	Lookup(ctx context.Context, m Message, since time.Time) (Receipt, bool, error)
}

// CallbackParser is implemented by providers that report delivery status
// to a callback URL (Twilio's StatusCallback). ParseCallback verifies the
// request's signature with the channel's credentials and returns the
// report; a bad signature is an error.
type CallbackParser interface {
	ParseCallback(r *http.Request) (Feedback, error)
}

// ErrUnavailable is matched by failures to reach the provider at all (the
// relay refuses connections, DNS fails): nothing about the message is
// wrong and nothing was sent. The dispatcher holds such sends like
// configuration errors, so an outage loses no message.
var ErrUnavailable = errors.New("channel provider unreachable")

// ErrAddressGone is matched by permanent failures saying the recipient
// address no longer exists (an unregistered push token): the dispatcher
// drops the address from the customer's profile so nothing is sent there
// again.
var ErrAddressGone = errors.New("the recipient address no longer exists")

// ErrNoReport is matched by a callback that is genuine but carries nothing
// to record (an interim status such as queued or sending).
var ErrNoReport = errors.New("the callback carries no delivery report")

// Inbound is a message a customer sent back (an SMS reply). OptOut and
// OptIn follow the carriers' standard keywords (STOP, UNSUBSCRIBE, ...;
// START, UNSTOP, ...).
type Inbound struct {
	ProviderID string
	From, To   string
	Body       string
	OptOut     bool
	OptIn      bool
}

// InboundParser is implemented by providers that forward customers'
// replies to a webhook (Twilio's messaging webhook); ParseInbound verifies
// the request's signature with the channel's credentials.
type InboundParser interface {
	ParseInbound(r *http.Request) (Inbound, error)
}

// Error is a classified delivery failure.
type Error struct {
	Permanent bool   // retrying cannot help (bad address, 4xx, SMTP 5xx)
	Code      string // provider code, e.g. "550", "21211", "UNREGISTERED"
	Err       error
}

func (e *Error) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Code != "" {
		return fmt.Sprintf("%s failure (%s): %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("%s failure: %v", kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent marks err as a failure retrying cannot fix.
func Permanent(code string, err error) error { return &Error{Permanent: true, Code: code, Err: err} }

// Temporary marks err as a failure worth retrying.
func Temporary(code string, err error) error { return &Error{Code: code, Err: err} }

// ErrConfig is matched (errors.Is) by failures of a channel's configuration
// or of its provider as a whole — wrong credentials, TLS that cannot be set
// up, a relay refusing the sender — rather than of one message. The
// dispatcher holds such sends (re-queued, attempts not counted) and raises
// the channel-error metric instead of failing message after message.
var ErrConfig = errors.New("channel configuration error")

// RetryAfter returns how long the provider asked to wait before retrying
// (a Retry-After header or its API's equivalent), if any error in err's
// chain carries such a hint (a RetryAfterHint method).
func RetryAfter(err error) (time.Duration, bool) {
	var h interface{ RetryAfterHint() time.Duration }
	if errors.As(err, &h) {
		if d := h.RetryAfterHint(); d > 0 {
			return d, true
		}
	}
	return 0, false
}

// IsPermanent tells whether err was classified permanent. Unclassified
// errors (network, timeouts) are temporary.
func IsPermanent(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.Permanent
}

// FeedbackType is what a provider reported about a message after Send.
type FeedbackType string

// Delivery feedback types.
const (
	Delivered    FeedbackType = "delivered"
	Opened       FeedbackType = "opened"
	Clicked      FeedbackType = "clicked"
	Bounced      FeedbackType = "bounced"
	Complained   FeedbackType = "complained"
	Unsubscribed FeedbackType = "unsubscribed"
	Failed       FeedbackType = "failed"
)

// Feedback is one delivery report: from a status callback (Twilio), a
// bounce (DSN) or complaint (ARF) email, a tracking pixel or a click.
type Feedback struct {
	Type       FeedbackType
	Channel    Kind
	Key        string // send key, when the report carries it
	ProviderID string // provider message id, when the report carries it
	Address    string // recipient (for suppression)
	Hard       bool   // bounces: permanent (5.x.x) rather than transient
	Reason     string // e.g. the DSN diagnostic code, the Twilio ErrorCode
	URL        string // clicks
	At         time.Time
}
