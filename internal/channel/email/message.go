package email

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/mail"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// maxKeyLen bounds the send key carried in KeyHeader.
const maxKeyLen = 512

// reservedHeaders are set by the sender and cannot come from
// channel.Message.Headers (canonical MIME form). Reply-To is not reserved:
// a message's Reply-To replaces Config.ReplyTo.
var reservedHeaders = []string{
	"Bcc", "Cc", "Content-Transfer-Encoding", "Content-Type", "Date",
	"Dkim-Signature", "From", "List-Unsubscribe", "List-Unsubscribe-Post",
	"Message-Id", "Mime-Version", "Received", "Return-Path", "Sender",
	"Subject", "To", textproto.CanonicalMIMEHeaderKey(KeyHeader),
}

// ValidateHeaders checks extra headers as channel.Message.Headers carries
// them: names of printable ASCII without ':' that Send does not set itself
// (From, To, Subject, Date, Message-ID, MIME and DKIM fields,
// List-Unsubscribe*, X-Cairn-Key ...; Reply-To is allowed), values on one
// line. Send refuses a message whose headers fail it; a template editor can
// call it when a template is saved. Every error wraps ErrHeader.
func ValidateHeaders(h map[string]string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(h)) {
		if err := validateHeader(name, h[name]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func validateHeader(name, value string) error {
	if name == "" {
		return fmt.Errorf("%w: empty header name", ErrHeader)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return fmt.Errorf("%w: header name %q may hold only printable ASCII without ':'", ErrHeader, name)
		}
	}
	canon := textproto.CanonicalMIMEHeaderKey(name)
	if slices.Contains(reservedHeaders, canon) {
		return fmt.Errorf("%w: header %s is set by the email sender and cannot be overridden", ErrHeader, name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("%w: header %s value contains a line break or NUL", ErrHeader, name)
	}
	if max := 998 - len(name) - 2; len(value) > max {
		return fmt.Errorf("%w: header %s value is %d bytes, longer than the %d a line allows", ErrHeader, name, len(value), max)
	}
	if canon == "Reply-To" {
		if _, err := mail.ParseAddressList(value); err != nil {
			return fmt.Errorf("%w: Reply-To %q is not an address list: %w", ErrHeader, value, err)
		}
	}
	return nil
}

// built is a rendered message ready for the SMTP transaction.
type built struct {
	data      []byte // RFC 5322 message, CRLF line endings, DKIM-signed when configured
	messageID string // with angle brackets
	rcpt      string // envelope recipient (bare address)
}

// build renders m as the message Send delivers, dated now. Its errors are
// about the message, never the configuration.
func (s *Sender) build(m channel.Message, now time.Time) (built, error) {
	if err := validateKey(m.Key); err != nil {
		return built{}, err
	}
	if m.Text == "" && m.HTML == "" {
		return built{}, ErrNoBody
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return built{}, fmt.Errorf("%w %q: %w", ErrRecipient, m.To, err)
	}
	if err := ValidateHeaders(m.Headers); err != nil {
		return built{}, err
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if s.cfg.FromName != "" {
		err = msg.FromFormat(s.cfg.FromName, s.cfg.From)
	} else {
		err = msg.From(s.cfg.From)
	}
	if err != nil {
		return built{}, fmt.Errorf("from %q: %w", s.cfg.From, err)
	}
	msg.ToMailAddress(to)
	replyTo := s.cfg.ReplyTo
	for name, value := range m.Headers {
		if textproto.CanonicalMIMEHeaderKey(name) == "Reply-To" {
			replyTo = value
			continue
		}
		msg.SetGenHeader(gomail.Header(textproto.CanonicalMIMEHeaderKey(name)), value)
	}
	if replyTo != "" {
		addrs, err := mail.ParseAddressList(replyTo)
		if err != nil {
			return built{}, fmt.Errorf("%w: Reply-To %q: %w", ErrHeader, replyTo, err)
		}
		msg.ReplyToMailAddress(addrs...)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetDateWithValue(now)
	id := MessageID(m.Key, s.cfg.MessageIDDomain)
	msg.SetMessageIDWithValue(strings.Trim(id, "<>"))
	msg.SetGenHeader(KeyHeader, m.Key)
	if m.UnsubscribeURL != "" {
		if err := setUnsubscribe(msg, m.UnsubscribeURL); err != nil {
			return built{}, err
		}
	}
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.HTML != "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	}

	var buf bytes.Buffer
	buf.Grow(1024 + len(m.Text) + len(m.HTML)*11/10)
	if _, err := msg.WriteTo(&buf); err != nil {
		return built{}, fmt.Errorf("render message: %w", err)
	}
	data := buf.Bytes()
	if s.dkim != nil {
		if data, err = sign(data, s.dkim); err != nil {
			return built{}, err
		}
	}
	return built{data: data, messageID: id, rcpt: to.Address}, nil
}

func validateKey(key string) error {
	if key == "" {
		return ErrNoKey
	}
	if len(key) > maxKeyLen {
		return fmt.Errorf("%w: send key is %d bytes, more than %d", ErrHeader, len(key), maxKeyLen)
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 33 || c > 126 {
			return fmt.Errorf("%w: send key %q may hold only printable ASCII without spaces", ErrHeader, key)
		}
	}
	return nil
}

// setUnsubscribe sets List-Unsubscribe, and List-Unsubscribe-Post for
// one-click unsubscribe (RFC 8058), which requires an https URL. An http
// URL (a development setup) gets List-Unsubscribe alone (RFC 2369).
func setUnsubscribe(msg *gomail.Msg, raw string) error {
	if strings.ContainsAny(raw, "<>\", \t\r\n") {
		return fmt.Errorf("%w: unsubscribe URL %q contains a character not allowed in List-Unsubscribe", ErrHeader, raw)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%w: unsubscribe URL %q is not an absolute https URL", ErrHeader, raw)
	}
	msg.SetListUnsubscribe(raw)
	if u.Scheme == "https" {
		msg.SetListUnsubscribePost()
	}
	return nil
}

// oneLine folds line breaks (a template may render one into a subject)
// into spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}
