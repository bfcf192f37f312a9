// Package funnel computes funnels, paths (with a Sankey graph) and cohort
// retention over the events of Cairn's profiles.
//
// The computations are accumulators: each is built from a validated spec,
// fed one profile History at a time (Add) and asked for its Result. They are
// pure; Scan (load.go) streams histories out of the state store's timelines
// and the event log, so the whole event set is never held in memory — only
// one profile's events at a time.
//
// # Data
//
// A History is one surviving profile's events in time order (timestamp, then
// log sequence). Scan reads every profile's timeline, which the processor
// re-points on merges, so a merged person's events are already under the
// survivor. Timeline rows carry type, name, source, channel and time; event
// payloads (properties, context) are fetched from the log only for the event
// names a computation filters or breaks down on (Need.Decode). Events of the
// excluded sources (Cairn's internal source: Segment Entered, journey events)
// are dropped unless their name is in Need.Keep, i.e. a step names them.
// Periods and windows are computed in UTC.
//
// # Funnels
//
// A profile enters a funnel with an occurrence of step 1 inside [Since,
// Until). With strict order, step k+1 is the first matching event after the
// event that completed step k (later in time order; a repeated event name
// needs a second occurrence); with any order, steps 2..n may happen in any
// order after the entry. Every step must happen within Window of the entry.
// Later steps may fall after Until: the window alone bounds them.
// Each occurrence of step 1 in the range is tried and the attempt reaching
// the furthest step wins (the earliest one among equals), so a profile is
// counted once. Step k's time is the time from the previous step's
// completion (any order: the time at which k steps were done) to its own;
// Median and P90 are nearest-rank quantiles, in seconds.
//
// Dropped lists, per step, the profiles that reached the previous step but
// not this one: a sample of at most 100 ids (sorted) and the total.
//
// Breakdown groups entered profiles by the channel, source or a property of
// their entry event, by their lifecycle stage at entry (the stage model
// replayed over the events before the entry, internal/analytics/lifecycle;
// recorded Stage Changed events without a model), or by segment
// membership; the 25 largest groups are kept and the rest summed into
// "(other)". A missing property is "(none)".
//
// # Paths
//
// From an event: each profile's first occurrence of the event in range and
// the touchpoints after it; to an event: the first occurrence and the
// touchpoints before it. A touchpoint is a named event (track, page,
// screen; identify and group events are skipped) labelled by its name or,
// at channel level, its channel; consecutive repeats collapse into one, and a path holds at most
// Depth touchpoints including the anchor. The Top most frequent paths are
// listed, the rest counted as Other. The Sankey graph has one node per
// (step, touchpoint) — at each step the Top touchpoints by volume, the rest
// in an "other" node — and links weighted by the number of profiles.
//
// # Retention
//
// A profile's cohort is the period (ISO week starting Monday, or calendar
// month) of its first cohort event ever; only cohorts starting in [Since,
// Until) are reported. Retained[k] counts cohort members with a return event
// in period k after the cohort's (k = 0: the cohort period itself, after
// the first cohort event; a return event is never the cohort event itself).
// Periods that have not started by Now are left out, so the newest cohort
// rows are shorter.
package funnel
