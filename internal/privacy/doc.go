// Package privacy erases and exports a person's data. Erasure removes the
// profile, everything merged into it, their identities, traits, timeline and
// memberships, the log events that carry any of their identifiers, and the
// matching rejections and dedupe records; it leaves a tombstone holding a
// keyed hash (HMAC-SHA256 with the server secret) of each identifier so that
// late-arriving events for the person are suppressed at ingest and in the
// processor. Nothing that could identify the person is kept in plain text.
package privacy
