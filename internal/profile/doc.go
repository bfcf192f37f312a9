// Package profile builds the unified 360° customer view: it flattens traits
// into dotted leaf paths with per-leaf provenance (value, event time, source),
// decides which write wins (newer event time, not arrival order), and
// reassembles the nested trait object for reads.
package profile
