// Package delivery is the dispatcher: it takes queued sends from the
// outbox (written by the processor in the same transaction as the journey
// step that decided them), applies the send-time rules (control group and
// holdout, consent, suppression, quiet hours, frequency caps), renders the
// template, records the send as attempting, calls the channel adapter and
// records the outcome — then appends Message Sent/Skipped/Failed to the log
// so journeys waiting on the send move on and the timeline shows it.
//
// After a crash, sends left attempting are resolved per channel (Recover):
// webhook and in-app are resent with the same key (receivers deduplicate on
// Idempotency-Key); providers that can be queried are reconciled; the rest
// are marked unknown — never resent — and counted.
package delivery
