// Package pipeline is the processor: it consumes the event log in order and,
// for each batch of events, resolves identities, updates profiles, accounts
// and timelines, and commits all of it together with the new log checkpoint
// in one state transaction. Processing is therefore exactly-once with respect
// to the log, and state can always be rebuilt by replaying the log from zero.
//
// Routing: the unit of ordering is the customer (the canonical profile id).
// This package runs one partition; see ARCHITECTURE.md for how events are
// routed by identifier before resolution and re-routed after a merge when the
// log moves to NATS JetStream.
package pipeline
