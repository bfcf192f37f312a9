// Package event defines a touchpoint as Cairn stores it, and turns the bodies
// sent by Segment- and RudderStack-compatible SDKs into such events: parsing,
// batch-level merging, timestamp correction and per-event validation.
package event
