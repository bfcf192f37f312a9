package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
)

// Source is where events come from: a web site, the store POS, a data vendor...
type Source struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Channel   string     `json:"channel"` // web, app, store, call_center, email, ads, direct_mail, social, partner, vendor, server
	Party     string     `json:"party"`   // first, second, third
	CreatedAt time.Time  `json:"created_at"`
	Keys      []WriteKey `json:"write_keys,omitempty"`
	// LinkAnonymous makes non-identify events link userId with anonymousId.
	// Nil means the channel's default (true for web and app).
	LinkAnonymous *bool `json:"link_anonymous,omitempty"`
}

// WriteKey authenticates a source's SDK traffic.
type WriteKey struct {
	Key       string     `json:"key"`
	SourceID  string     `json:"source_id"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// IdentityKey is one identifier: a type (user_id, anonymous_id, email, phone, or custom) and a normalized value.
type IdentityKey struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Identity is an identifier linked to a profile.
type Identity struct {
	IdentityKey
	ProfileID string    `json:"profile_id"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Profile is the unified customer row. MergedInto is set on a profile that
// was merged away; reads follow it to the survivor.
type Profile struct {
	ID         string    `json:"id"`
	MergedInto string    `json:"merged_into,omitempty"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	EventCount int64     `json:"event_count"`
	Sources    []string  `json:"sources"`  // source ids, sorted
	Channels   []string  `json:"channels"` // channels, sorted
}

// Trait is one leaf value of a profile's or an account's traits, addressed by
// a dotted path (address.city). Newer event time wins.
type Trait struct {
	Path     string          `json:"path"`
	Value    json.RawMessage `json:"value"`
	Time     time.Time       `json:"time"`
	SourceID string          `json:"source_id"`
	Computed bool            `json:"computed,omitempty"`
}

// TimelineEntry indexes one event on a profile's timeline.
type TimelineEntry struct {
	ProfileID string    `json:"profile_id"`
	Seq       int64     `json:"seq"`
	Timestamp time.Time `json:"timestamp"`
	Type      string    `json:"type"`
	Event     string    `json:"event,omitempty"` // track event or page/screen name
	SourceID  string    `json:"source_id"`
	Channel   string    `json:"channel"`
}

// TimelineCursor is a position in the timeline's processing order: after
// the entry (Seq, ProfileID), or after every entry of Seq when ProfileID is
// empty.
type TimelineCursor struct {
	Seq       int64
	ProfileID string
}

// Merge records a merge of Loser into Winner, or a refused merge.
type Merge struct {
	ID        int64         `json:"id"`
	Winner    string        `json:"winner"`
	Loser     string        `json:"loser"`
	Refused   bool          `json:"refused"`
	Reason    string        `json:"reason,omitempty"`  // for refusals: which limit
	Dropped   []IdentityKey `json:"dropped,omitempty"` // identifiers dropped from the event on refusal
	Via       []IdentityKey `json:"via,omitempty"`     // identifiers that linked the two
	MessageID string        `json:"message_id"`
	Time      time.Time     `json:"time"`
}

// Account is a company/household from group calls, with its own traits.
type Account struct {
	GroupID   string    `json:"group_id"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Membership links a profile to an account.
type Membership struct {
	ProfileID string    `json:"profile_id"`
	GroupID   string    `json:"group_id"`
	Since     time.Time `json:"since"`
}

// AuditEntry records an administrative action (erase, export, key rotation...).
type AuditEntry struct {
	ID     int64     `json:"id"`
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Target string    `json:"target"` // never the plain identifier of an erased person
	Detail string    `json:"detail,omitempty"`
}

// ProcessBatch is everything one processor batch changes, written in one
// transaction together with the new checkpoint, so processing is exactly-once
// with respect to the log. Writes are applied in field order: merges first
// (re-pointing identities, timeline rows and memberships from loser to winner
// and deleting the loser's traits), then upserts, then deletes, then inserts.
type ProcessBatch struct {
	Checkpoint    int64          // last log Seq covered by this batch
	Merges        []Merge        // applied merges (re-point) and refusals (record only)
	Profiles      []Profile      // upserted as whole rows
	Identities    []Identity     // upserted: profile_id replaced, first_seen min, last_seen max
	Traits        []ProfileTrait // upserted as given (the processor already resolved event-time order)
	TraitDeletes  []ProfileTrait // only ProfileID and Path are read
	Timeline      []TimelineEntry
	Accounts      []Account      // upserted: first_seen min, last_seen max
	AccountTraits []AccountTrait // upserted as given
	Memberships   []Membership   // inserted if absent
	// Segment membership and durable timers (membership.go), written after
	// everything above in field order: an applied merge first drops the
	// loser's rows, then joins, leaves, timers and timer deletes follow.
	SegmentJoins  []SegmentMember // upserted by (SegmentID, ProfileID); a current member keeps its Since
	SegmentLeaves []SegmentMember // deleted by (SegmentID, ProfileID)
	Timers        []Timer         // upserted by (Kind, ProfileID, Ref); ID is ignored and assigned anew
	TimerDeletes  []Timer         // deleted by (Kind, ProfileID, Ref); a non-zero ID deletes only that timer (by ID: ids are never reused)
	// Journeys (journeys.go), written last: instances upserted by ID, sends
	// inserted unless their Key exists (a replayed step never queues a
	// message twice). A merge re-points the loser's instances and sends.
	Instances []JourneyInstance
	Sends     []Send
	// Outbox holds the processor's own events decided by this batch
	// (Segment Entered/Exited, Stage Changed, journey events), written as
	// one outbox batch so a crash before they reach the log cannot lose
	// them (OutboxStore). Apply sets OutboxID to that batch's id (0 when
	// Outbox is empty).
	Outbox   []*event.Event
	OutboxID int64
	// OutboxClear are the ids of earlier outbox batches that reached the
	// log since: deleted in this transaction, so a publish needs no
	// transaction of its own (unknown ids are ignored).
	OutboxClear []int64
}

// OutboxStore holds the processor's own events from the transaction that
// decided them (ProcessBatch.Outbox) until they are in the log: the
// processor appends them after the commit and clears them, and at start it
// appends whatever a crash left: not the batches the log's OutboxMark
// shows it committed (or, with a log that keeps none, through the log's
// messageId dedupe). One row per commit: writing and clearing a commit's
// events costs a row, not a row and an index entry per event. Reset keeps
// the outbox, and its ids are never reused.
type OutboxStore interface {
	// OutboxBatches lists up to limit batches in the order they were
	// written.
	OutboxBatches(ctx context.Context, limit int) ([]OutboxBatch, error)
	// ClearOutbox deletes the batches of ids; unknown ones are ignored.
	ClearOutbox(ctx context.Context, ids []int64) error
	// OutboxEpoch is a random non-zero number drawn when the store was
	// created: with a batch id it names a batch across state stores (a
	// new store numbers its batches from 1 again).
	OutboxEpoch(ctx context.Context) (int64, error)
}

// ProfileTrait is a trait row of a profile.
type ProfileTrait struct {
	ProfileID string `json:"profile_id"`
	Trait
}

// AccountTrait is a trait row of an account.
type AccountTrait struct {
	GroupID string `json:"group_id"`
	Trait
}

// TimelineQuery filters a profile's timeline.
type TimelineQuery struct {
	ProfileIDs []string  // the profile and every id merged into it
	Type       string    // optional
	Event      string    // optional
	Events     []string  // optional: only these event names (with Event, both apply)
	Since      time.Time // optional, inclusive, on Timestamp
	Until      time.Time // optional, exclusive, on Timestamp
	// Cursor continues after the entry (Timestamp, Seq) last returned; zero starts at the newest.
	CursorTime time.Time
	CursorSeq  int64
	Limit      int
}

// State is the state store: everything derived from the log plus the
// control-plane rows (sources, keys, audit). The processor is its only writer
// of derived state, through Apply.
type State interface {
	// Sources and keys.
	CreateSource(ctx context.Context, s Source) error // s.Keys are created too
	GetSource(ctx context.Context, id string) (Source, error)
	ListSources(ctx context.Context) ([]Source, error)
	AddWriteKey(ctx context.Context, k WriteKey) error
	RevokeWriteKey(ctx context.Context, sourceID, key string, at time.Time) error
	// SourceByWriteKey returns the source of an active key, ErrNotFound for
	// an unknown key; a revoked key returns the source and the key with RevokedAt set.
	SourceByWriteKey(ctx context.Context, key string) (Source, WriteKey, error)

	// Processing.
	Apply(ctx context.Context, b *ProcessBatch) error
	Checkpoint(ctx context.Context) (int64, error)

	// Segment definitions (segments.go); control-plane rows kept by Reset.
	SegmentStore
	// Segment membership and durable timers (membership.go); derived state.
	MembershipStore
	// Lifecycle stage models (stages.go); control-plane rows kept by Reset.
	StageStore
	// Computed trait definitions (computed.go); control-plane rows kept by Reset.
	ComputedTraitStore
	// Journey definitions and published versions (journeys.go); control-plane rows kept by Reset.
	JourneyStore
	// Messaging config objects (journeys.go); control-plane rows kept by Reset.
	ConfigStore
	// Journey instances (derived, dropped by Reset) and the send ledger, subscriptions and suppressions (journeys.go; kept by Reset).
	DeliveryStore
	// The processor's own events on their way to the log; kept by Reset.
	OutboxStore

	// Reads.
	LookupIdentities(ctx context.Context, keys []IdentityKey) ([]Identity, error) // found ones only
	ProfileIdentities(ctx context.Context, profileID string) ([]Identity, error)
	GetProfile(ctx context.Context, id string) (Profile, error) // does not follow MergedInto
	// GetProfiles is GetProfile for several ids at once: the ones that
	// exist, ordered by id.
	GetProfiles(ctx context.Context, ids ...string) ([]Profile, error)
	// MergedFrom returns every profile id that was merged into id, transitively.
	MergedFrom(ctx context.Context, id string) ([]string, error)
	ProfileTraits(ctx context.Context, profileID string) ([]Trait, error)
	// ProfilesTraits is ProfileTraits for several profiles at once, ordered
	// by profile id, then path.
	ProfilesTraits(ctx context.Context, profileIDs ...string) ([]ProfileTrait, error)
	// ProfileTraitsBetween returns the traits at paths (any path when nil) of
	// the profiles whose id lies between first and last inclusive, ordered by
	// profile id, then path: one read for a page of a walk in id order.
	ProfileTraitsBetween(ctx context.Context, first, last string, paths []string) ([]ProfileTrait, error)
	Timeline(ctx context.Context, q TimelineQuery) ([]TimelineEntry, error) // newest first
	// FindProfiles lists surviving profiles, by trait path = JSON value when
	// path is set, ordered by id, after the cursor id.
	FindProfiles(ctx context.Context, path string, value json.RawMessage, after string, limit int) ([]Profile, error)
	// ProfileIDs lists the ids of surviving profiles after the cursor id, in
	// id order: FindProfiles without a trait, for walks that need only ids.
	ProfileIDs(ctx context.Context, after string, limit int) ([]string, error)
	CountProfiles(ctx context.Context) (int64, error)
	Merges(ctx context.Context, profileID string) ([]Merge, error) // as winner or loser

	// The feed of the analytics projection. TimelineSince lists the entries
	// after the cursor in processing order (Seq, ProfileID) with
	// Seq <= through, at most limit. AppliedMerges lists the
	// applied merges (refusals left out) with ID > afterID, ordered by ID, at
	// most limit; only ID, Winner, Loser and Time are set.
	TimelineSince(ctx context.Context, after TimelineCursor, through int64, limit int) ([]TimelineEntry, error)
	// ScanTimeline calls fn with every timeline entry, grouped by profile,
	// from one consistent snapshot, and returns the checkpoint of that
	// snapshot: TimelineSince(TimelineCursor{Seq: through}) continues it.
	ScanTimeline(ctx context.Context, fn func(TimelineEntry) error) (through int64, err error)
	AppliedMerges(ctx context.Context, afterID int64, limit int) ([]Merge, error)
	ProfileAccounts(ctx context.Context, profileID string) ([]Membership, error)
	AccountTraits(ctx context.Context, groupID string) ([]Trait, error)

	// Privacy.
	// EraseProfile deletes a profile, the profiles merged into it, their
	// identities, traits, timeline, memberships, segment memberships,
	// timers, journey instances, sends (with their engagements),
	// subscriptions and merge records.
	EraseProfile(ctx context.Context, profileIDs []string) error
	AddTombstone(ctx context.Context, hash string, at time.Time) error
	HasTombstone(ctx context.Context, hashes []string) (bool, error)
	// Tombstones lists every tombstone hash (loaded into memory at start so
	// ingest can suppress late events for erased people without a query).
	Tombstones(ctx context.Context) ([]string, error)
	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, limit int) ([]AuditEntry, error)

	// Reset deletes all derived state (profiles, identities, traits, timeline,
	// accounts, merges, segment memberships, timers, journey instances,
	// checkpoint) but keeps sources, keys, segment definitions, stage models,
	// computed trait definitions, journeys and their versions, config
	// objects, tombstones, audit and the delivery ledger (sends, engagements,
	// subscriptions, suppressions), so state can be rebuilt from the log
	// without sending any message twice.
	Reset(ctx context.Context) error
	Close() error
}
