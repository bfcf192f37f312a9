package store

import (
	"context"
	"encoding/json"
	"time"
)

// TimerKindSegment is the Kind of the timers of segment windows; their Ref is
// the segment id, and ClearSegment drops them.
const TimerKindSegment = "segment"

// TimerKindComputed is the Kind of the timers that recompute a windowed
// computed trait when an event leaves (or enters) its window; their Ref is
// the trait name.
const TimerKindComputed = "computed"

// SegmentMember is the membership of a profile in a segment, entered at Since
// under the segment's definition Version.
type SegmentMember struct {
	SegmentID string    `json:"segment_id"`
	ProfileID string    `json:"profile_id"`
	Version   int       `json:"version"`
	Since     time.Time `json:"since"`
}

// Timer is a durable timer: a row written in the same Apply transaction as
// the state change that schedules it, read back by DueTimers once FireAt has
// passed. There is at most one pending timer per (Kind, ProfileID, Ref).
type Timer struct {
	// ID is assigned by the store, and anew each time the timer is
	// replaced, so a reader can tell a fired timer from its replacement.
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`       // what the timer is for, e.g. TimerKindSegment
	ProfileID string          `json:"profile_id"` // whose timer
	Ref       string          `json:"ref"`        // e.g. the segment id
	FireAt    time.Time       `json:"fire_at"`
	Payload   json.RawMessage `json:"payload,omitempty"` // optional JSON, stored byte for byte; nil when absent
}

// MembershipStore keeps real-time segment membership and durable timers.
// Writes go through Apply (ProcessBatch.SegmentJoins, SegmentLeaves, Timers,
// TimerDeletes), in the same transaction as the checkpoint; a merge drops the
// loser's memberships and timers (the engine recomputes the winner), except
// its journey timers, which move to the winner with its journey instances.
// EraseProfile drops a person's rows and Reset drops them all.
type MembershipStore interface {
	// SegmentMembers lists the members of a segment ordered by profile id,
	// after the cursor afterProfileID ("" starts at the first).
	SegmentMembers(ctx context.Context, segmentID, afterProfileID string, limit int) ([]SegmentMember, error)
	// CountSegmentMembers counts the members of a segment.
	CountSegmentMembers(ctx context.Context, segmentID string) (int64, error)
	// ProfileSegments lists the memberships of the profiles ordered by
	// profile id, then segment id: one profile's for the API, a page of
	// profiles' at once for the processor firing their timers.
	ProfileSegments(ctx context.Context, profileIDs ...string) ([]SegmentMember, error)
	// ProfileSegmentsBetween lists, ordered as ProfileSegments, the
	// memberships of the profiles with first <= id <= last: one range read
	// for a walk over every profile (a backfill page) instead of a seek per
	// profile.
	ProfileSegmentsBetween(ctx context.Context, first, last string) ([]SegmentMember, error)
	// DueTimers lists up to limit timers with FireAt <= now, ordered by
	// FireAt, then ProfileID (bytes), then ID: a burst due at one instant
	// comes customer by customer in id order, so its writes land in
	// ascending key order. Timers stay until deleted through Apply
	// (TimerDeletes), so a reader drains a burst by reading a page and
	// acknowledging it.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error)
	// NextTimer returns the earliest FireAt of all pending timers; false
	// when there is none.
	NextTimer(ctx context.Context) (time.Time, bool, error)
	// ProfileTimers lists the pending timers of one kind of the profiles
	// ordered by profile id, then Ref, so the processor can tell which
	// timer writes would change nothing.
	ProfileTimers(ctx context.Context, kind string, profileIDs ...string) ([]Timer, error)
	// ProfileTimersBetween lists, ordered as ProfileTimers, the pending
	// timers of one kind of the profiles with first <= id <= last.
	ProfileTimersBetween(ctx context.Context, kind, first, last string) ([]Timer, error)
	// ClearSegment drops every membership of a segment and its timers
	// (Kind TimerKindSegment, Ref segmentID), for re-computation after an
	// edit. Clearing an unknown or empty segment is a no-op.
	ClearSegment(ctx context.Context, segmentID string) error
}
