// Package twilio sends SMS through the Twilio Programmable Messaging API and
// reads Twilio's delivery status callbacks.
//
// Send creates a Message resource:
//
//	POST {BaseURL}/2010-04-01/Accounts/{AccountSid}/Messages.json
//	(form: To, Body, From or MessagingServiceSid, StatusCallback)
//
// with HTTP Basic auth (Account SID and Auth Token, or an API key SID and
// secret) — https://www.twilio.com/docs/messaging/api/message-resource.
// Twilio answers 201 with the resource (sid, status "queued", or
// "accepted" through a Messaging Service); errors carry
// {"code","message","more_info","status"}
// (https://www.twilio.com/docs/usage/twilios-response). A 4xx is
// permanent except 429 (too many requests); 5xx and network failures are
// temporary. APIError keeps Twilio's code.
//
// # Reconciliation
//
// The Messages API has no idempotency key, so a crash between Twilio
// accepting a message and Cairn recording the SID would, on retry, send the
// SMS twice. Sender therefore also implements channel.Reconciler: Lookup
// lists the account's messages to the recipient sent since the attempt
// began (GET .../Messages.json?To=...&DateSent>=YYYY-MM-DD, following
// next_page_uri) and reports the first outbound one whose To and Body
// equal the message's, whose sender matches the configured From or
// Messaging Service, and whose date_created is at or after since. The
// dispatcher calls Lookup before resending an attempt whose outcome it did
// not record. Limits of this strategy, which the caller must accept:
//
//   - Twilio filters DateSent on date_sent, which stays null while a
//     message waits in Twilio's queue (status queued/accepted/scheduled):
//     such a message is invisible to Lookup until it leaves the queue. Run
//     reconciliation after the queue has had time to drain, or accept the
//     rare duplicate.
//   - Two genuine sends of the same text to the same number after since are
//     indistinguishable; keep since tight (the start of the attempt).
//   - Messaging Service features that rewrite the body (smart encoding,
//     link shortening) defeat the exact Body match.
//
// Each message's StatusCallback is Config.StatusCallbackURL with the send
// key appended as the query parameter cairn_key, so the callback — whose
// signature covers the full URL — names the attempt it reports on.
//
// # Status callbacks
//
// ParseStatusCallback validates X-Twilio-Signature (base64 HMAC-SHA1, keyed
// with the Auth Token, of the full callback URL followed by every POST
// parameter name and value sorted by name —
// https://www.twilio.com/docs/usage/webhooks/webhooks-security) and maps
// MessageStatus to channel.Feedback: delivered → Delivered, undelivered
// and failed → Failed with the ErrorCode as Reason, read → Opened, sent →
// FeedbackSent. Interim statuses (queued, sending, ...) return
// ErrInterimStatus so the handler can answer 200 and move on.
//
// Sub-package twiliotest is a local Twilio that implements these endpoints
// and signs its callbacks the same way.
package twilio
