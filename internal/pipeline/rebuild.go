package pipeline

import (
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// ReasonReplayed is the reason of a send a rebuild's replay decided for a
// step before the rebuild: recorded as skipped, never sent.
const ReasonReplayed = "replayed_by_rebuild"

// replayed reports whether an event of the processor's own stamped at was
// decided by a rebuild's replay of the past: the log holds the copy the
// original processing emitted (the replay reads it back), so outgoingOf
// drops it. Its id may not match the original's (ids changed form between
// versions; a dedupe record may have been pruned), and appended again it
// would reach the timeline twice and start journeys for the past: a
// Segment Entered re-derived for an old event entered a segment-triggered
// journey whose send, queued after the rebuild began, was delivered.
func (p *Processor) replayed(at time.Time) bool {
	return !p.replayBefore.IsZero() && at.Before(p.replayBefore)
}

// skipReplayedSends records the sends of steps before a rebuild began as
// skipped. A rebuild (Reset, then CatchUp over the whole log) re-runs
// every journey step of the past; the sends those steps queued the first
// time are still in the store (Reset keeps them) and were sent or settled
// then. The replay finds them by key when the key derives the same way,
// but instance ids and send keys have changed form between versions
// (journey/ids.go), and a rebuild across such a change must not message a
// customer again for something that happened before it. The same holds
// for the processor's events (journey, segment and stage events: replayed
// drops them): the log already has the ones the original steps emitted,
// and the replay reads them back.
func (p *Processor) skipReplayedSends(pb *store.ProcessBatch) {
	if p.replayBefore.IsZero() {
		return
	}
	for i := range pb.Sends {
		sd := &pb.Sends[i]
		if sd.JourneyID != "" && sd.Status == store.SendQueued && sd.CreatedAt.Before(p.replayBefore) {
			sd.Status, sd.Reason = store.SendSkipped, ReasonReplayed
		}
	}
}
