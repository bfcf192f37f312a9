// Package webhooktest is a webhook receiver for tests: it verifies
// X-Cairn-Signature, deduplicates on Idempotency-Key the way a careful
// receiver should (a repeat gets the first answer again and is recorded as
// a duplicate), and can be told to fail the next requests with a status.
package webhooktest
