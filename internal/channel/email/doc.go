// Package email is the email channel: a channel.Sender that delivers over
// SMTP, and parsers for the bounces (RFC 3464 delivery status
// notifications) and complaints (RFC 5965 abuse reports) that come back.
//
// # Sending
//
// New(cfg, logger) validates a Config and returns a Sender. Each Send
// opens one connection to the relay: TLS per Config.TLS (STARTTLS is
// mandatory in "starttls" mode, never a silent downgrade), AUTH PLAIN or
// LOGIN when credentials are set, then MAIL FROM (Config.EnvelopeFrom, where
// bounces go), RCPT TO and DATA. Messages are built with
// github.com/wneessen/go-mail and sent with its SMTP client; DKIM signatures
// (relaxed/relaxed, rsa-sha256 or ed25519-sha256) come from
// github.com/emersion/go-msgauth/dkim and cover SignedHeaders.
//
// Every message carries:
//   - From (Config.From and FromName), To, Reply-To (Config.ReplyTo, or the
//     message's own Reply-To header), Subject, and Date from the injected
//     clock;
//   - Message-ID derived from channel.Message.Key by MessageID, so a resend
//     under the same key has the same Message-ID;
//   - X-Cairn-Key (KeyHeader), the send key, so bounces and complaints that
//     return the original headers can be matched to the send;
//   - List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click
//     (RFC 8058) when UnsubscribeURL is an https URL (an http URL, as in a
//     development setup, gets List-Unsubscribe alone);
//   - the message's extra Headers (see ValidateHeaders);
//   - a text/plain body, a text/html body, or both as multipart/alternative.
//
// The Receipt's ProviderID is the Message-ID and its Detail the server's
// reply to the end of DATA ("250 2.0.0 Ok: queued as ...").
//
// # Errors
//
// Send returns *channel.Error. 5xx replies are permanent (550 at RCPT TO:
// the mailbox does not exist) with the reply code as Code; 4xx replies,
// refused connections, resets and timeouts are temporary, and an unreachable
// server's error names host:port. Failures of the configuration rather
// than of the message wrap ErrAuth (credentials rejected: permanent), ErrTLS
// (TLS could not be set up: temporary) or ErrRelay (the relay refuses us or
// our sender: permanent); IsConfigError tells them apart so the dispatcher
// can alert and hold instead of failing every queued message. A message
// Send cannot build (no key, no body, bad address or header) is refused
// before connecting, permanent with code CodeInvalidMessage.
//
// # Feedback
//
// ParseDSN reads a bounce and ParseARF a complaint into a channel.Feedback
// whose Key and ProviderID come from the original message's X-Cairn-Key and
// Message-ID, when the report returns its headers. They use only the
// standard library (mime/multipart, net/mail, net/textproto).
//
// Sub-package emailtest runs a real SMTP server in-process for tests.
package email
