// Package segment is Cairn's segment condition language: the definition
// model (a tree of condition nodes), its canonical JSON form (YAML accepted),
// a compact text form for people that round-trips to JSON, validation with
// node-path errors, and the reference batch evaluator.
//
// Evaluate is the specification of membership: a streaming engine is correct
// when, for any event stream, its membership at time t equals Evaluate over
// the events received by t. NextChange gives the next instant at which
// membership flips with no new event (a window boundary), which the
// streaming engine schedules as a durable timer.
//
// Every semantic choice (window boundaries, missing values, count = 0,
// sequence matching, time zones) is documented in docs/segments.md and next
// to the code that implements it.
package segment
