// Package twiliotest is a local Twilio for tests: an httptest server that
// implements the Programmable Messaging API as documented — create and
// list Message resources with HTTP Basic auth, Twilio's error bodies and
// codes, paging by next_page_uri — and posts status callbacks signed
// exactly like Twilio (X-Twilio-Signature).
//
// References:
//   - https://www.twilio.com/docs/messaging/api/message-resource
//   - https://www.twilio.com/docs/usage/twilios-response
//   - https://www.twilio.com/docs/usage/webhooks/webhooks-security
//   - https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
//   - https://www.twilio.com/docs/api/errors
//
// Like Twilio's test credentials, some magic recipients fail:
// +15005550001 (21211 invalid number), +15005550009 (21614 not a mobile
// number) and +15005550004 (21610 unsubscribed recipient).
package twiliotest
