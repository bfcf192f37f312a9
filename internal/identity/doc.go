// Package identity resolves the identifiers carried by an event to one
// customer profile. It is pure and deterministic: Config.Extract turns an
// event into normalized identity keys (user_id, anonymous_id, email, phone and
// custom types), and Resolver.Resolve decides, against a read-only Graph view
// supplied by the processor, which profile the event belongs to, which keys to
// link, which profiles to merge and which merges to refuse because they would
// break a per-type limit. The package stores nothing; the processor applies a
// Decision to the state store. docs/identity.md describes the rules.
package identity
