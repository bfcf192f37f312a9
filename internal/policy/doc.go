// Package policy holds the cross-cutting send rules that Cairn's journey
// dispatcher evaluates at send time: the customer's time zone, quiet hours and
// send windows, frequency caps across journeys, the global control group and
// per-journey holdouts, subscription-group consent with signed unsubscribe
// links, in-app identity hashes, and per-provider rate limits.
//
// Everything here is pure and deterministic: no function reads the wall clock
// or does I/O on the hot path. Callers pass now and the customer's
// *time.Location (resolved once with ResolveZone); a nil location means UTC.
// The one exception is the first resolution of a zone name, which loads it
// from the system tz database (or the embedded time/tzdata, if the binary
// imports it) and caches it for the life of the process.
//
// Local-time rules are computed on the customer's wall clock, never on the
// workspace's (the bug Laudspeaker has: quiet hours from the workspace
// offset). Wall times are turned into instants with one rule used everywhere
// (see zone_wall.go):
//
//   - a wall time that does not exist (skipped by a spring-forward
//     transition, e.g. 02:30 in New York on the second Sunday of March)
//     resolves to the first instant after it, which is the transition itself
//     (03:00 EDT);
//   - a wall time that occurs twice (fall-back) resolves to its first, earlier
//     occurrence.
//
// Every function that returns an instant returns it in the given location.
// Configuration types have a Validate method whose errors match ErrInvalid;
// evaluation functions treat an invalid configuration as no restriction, so
// validate when configuration is saved.
package policy
