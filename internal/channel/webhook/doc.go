// Package webhook delivers messages to any HTTP endpoint: one request per
// message, carrying the message body as JSON, the send key as
// Idempotency-Key and, when a secret is configured, a Stripe-style
// signature in X-Cairn-Signature:
//
//	X-Cairn-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// Receivers check it with Verify (or their own ten lines of HMAC), reject
// timestamps outside a tolerance to stop replays, and deduplicate on
// Idempotency-Key: the dispatcher is at-least-once, so a crash between the
// request and recording its outcome resends the same key.
//
// The target URL comes from Config.URL unless Message.To carries one.
// A 2xx answer is a delivery (Receipt.Response holds the body, capped, so a
// journey can save fields of it); 408, 429, 5xx and network failures are
// temporary; every other status is permanent. Redirects are not followed:
// a 3xx is permanent, so a signed body never travels to a host that was not
// configured. Retrying is the dispatcher's job; Backoff is a helper for it.
//
// Sub-package webhooktest is a receiver for tests that verifies signatures,
// deduplicates on Idempotency-Key and fails on demand.
package webhook
