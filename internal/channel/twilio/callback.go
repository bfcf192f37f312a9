package twilio

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Twilio's signature scheme is HMAC-SHA1.
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// SignatureHeader is the header Twilio signs webhooks with.
const SignatureHeader = "X-Twilio-Signature"

// FeedbackSent reports that Twilio handed the message to the carrier,
// which is not yet delivery. channel has no FeedbackType for it (yet), so
// it is defined here.
const FeedbackSent channel.FeedbackType = "sent"

// maxCallbackBody caps a status callback body; Twilio sends a few hundred
// bytes.
const maxCallbackBody = 64 << 10

// Signature computes X-Twilio-Signature for a request to fullURL with
// POST params: base64(HMAC-SHA1(authToken, fullURL + name1 + value1 +
// name2 + value2 ...)) with names sorted (byte order) and the values of a
// repeated name sorted too.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security
func Signature(authToken, fullURL string, params url.Values) string {
	h := hmac.New(sha1.New, []byte(authToken))
	_, _ = io.WriteString(h, fullURL)
	for _, name := range slices.Sorted(maps.Keys(params)) {
		values := slices.Clone(params[name])
		slices.Sort(values)
		for _, v := range values {
			_, _ = io.WriteString(h, name)
			_, _ = io.WriteString(h, v)
		}
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// ValidSignature reports whether signature is Twilio's for fullURL and
// params. Like Twilio's helper libraries it accepts the URL with and
// without the scheme's default port, since Twilio may sign either form.
func ValidSignature(authToken, signature, fullURL string, params url.Values) bool {
	if signature == "" {
		return false
	}
	for _, candidate := range portVariants(fullURL) {
		if hmac.Equal([]byte(Signature(authToken, candidate, params)), []byte(signature)) {
			return true
		}
	}
	return false
}

// portVariants returns raw plus raw with the default port added (when it
// has none) or its port removed (when it has one).
func portVariants(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return []string{raw}
	}
	other := *u
	host := u.Hostname()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if u.Port() != "" {
		other.Host = host
	} else {
		def := map[string]string{"http": "80", "https": "443"}[u.Scheme]
		if def == "" {
			return []string{raw}
		}
		other.Host = host + ":" + def
	}
	return []string{raw, other.String()}
}

// ParseStatusCallback validates and reads one of Twilio's message status
// callbacks. publicURL is the URL Twilio was told to call — normally
// Config.StatusCallbackURL — as Twilio sees it (scheme, host and path in
// front of any proxy); the request's own query (which carries cairn_key)
// replaces publicURL's, since Twilio signs the URL it actually called.
// An empty publicURL rebuilds the URL from the request, which is right only
// without a proxy in between. A bad or missing signature returns
// ErrBadSignature or ErrMissingSignature: answer 403 and record nothing.
func ParseStatusCallback(r *http.Request, authToken, publicURL string) (channel.Feedback, error) {
	if r.Method != http.MethodPost {
		return channel.Feedback{}, fmt.Errorf("twilio status callback: method %s, want POST", r.Method)
	}
	params, err := verifiedForm(r, authToken, publicURL)
	if err != nil {
		return channel.Feedback{}, err
	}
	return feedbackOf(params, r.URL.Query().Get(KeyParam))
}

// verifiedForm reads a signed Twilio webhook's form and checks its
// X-Twilio-Signature against the URL Twilio called.
func verifiedForm(r *http.Request, authToken, publicURL string) (url.Values, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return nil, fmt.Errorf("twilio webhook: content type %q, want a form", ct)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCallbackBody+1))
	if err != nil {
		return nil, fmt.Errorf("read twilio webhook: %w", err)
	}
	if len(body) > maxCallbackBody {
		return nil, fmt.Errorf("twilio webhook: body over %d bytes", maxCallbackBody)
	}
	params, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("parse twilio webhook: %w", err)
	}
	signature := r.Header.Get(SignatureHeader)
	if signature == "" {
		return nil, ErrMissingSignature
	}
	fullURL, err := callbackURL(r, publicURL)
	if err != nil {
		return nil, err
	}
	if !ValidSignature(authToken, signature, fullURL, params) {
		return nil, fmt.Errorf("%w for %s", ErrBadSignature, redactURL(fullURL))
	}
	return params, nil
}

func callbackURL(r *http.Request, publicURL string) (string, error) {
	if publicURL == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + r.Host + r.URL.RequestURI(), nil
	}
	u, err := url.Parse(publicURL)
	if err != nil {
		return "", fmt.Errorf("twilio status callback: public url: %w", err)
	}
	if r.URL.RawQuery != "" {
		u.RawQuery = r.URL.RawQuery
	}
	return u.String(), nil
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// hardFailures are error codes that say the number itself cannot take SMS,
// so retrying it later is pointless.
// https://www.twilio.com/docs/api/errors
var hardFailures = map[string]bool{
	"21211": true, // invalid 'To' phone number
	"21614": true, // 'To' number is not a valid mobile number
	"30005": true, // unknown destination handset
	"30006": true, // landline or unreachable carrier
}

// feedbackOf maps the form of a status callback. MessageStatus is
// documented; SmsStatus is its legacy twin.
func feedbackOf(p url.Values, key string) (channel.Feedback, error) {
	status := p.Get("MessageStatus")
	if status == "" {
		status = p.Get("SmsStatus")
	}
	sid := p.Get("MessageSid")
	if sid == "" {
		sid = p.Get("SmsSid")
	}
	if sid == "" || status == "" {
		return channel.Feedback{}, fmt.Errorf("twilio status callback: MessageSid and MessageStatus are required")
	}
	fb := channel.Feedback{
		Channel:    channel.SMS,
		Key:        key,
		ProviderID: sid,
		Address:    p.Get("To"),
		// At stays zero for the caller to stamp: callbacks carry no
		// reliable time (RawDlrDoneDate is minutes in an unstated zone —
		// https://www.twilio.com/en-us/changelog/addition-of-rawdlrdonedate-to-delivered-and-undelivered-status-webhooks).
	}
	switch status {
	case "delivered":
		fb.Type = channel.Delivered
	case "read":
		fb.Type = channel.Opened
	case "sent":
		fb.Type = FeedbackSent
	case "undelivered", "failed", "canceled":
		fb.Type = channel.Failed
		fb.Reason = p.Get("ErrorCode")
		if fb.Reason == "" {
			fb.Reason = status
		}
		fb.Hard = hardFailures[fb.Reason]
	default:
		return fb, fmt.Errorf("%w: %s", ErrInterimStatus, status)
	}
	return fb, nil
}

// ParseCallback parses a status callback sent to the configured
// StatusCallbackURL, verifying it with the account's auth token.
func (s *Sender) ParseCallback(r *http.Request) (channel.Feedback, error) {
	return ParseStatusCallback(r, s.cfg.AuthToken, s.cfg.StatusCallbackURL)
}

var _ channel.CallbackParser = (*Sender)(nil)
