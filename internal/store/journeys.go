package store

import (
	"context"
	"encoding/json"
	"time"
)

// TimerKindJourney is the Kind of journey timers (delays, wait timeouts,
// deferred steps); their Ref is the instance id.
const TimerKindJourney = "journey"

// TimerKindSchedule is the Kind of the timers that wake scheduled journey
// entries; their ProfileID is empty and their Ref the journey id.
const TimerKindSchedule = "journey_schedule"

// TimerKindExperiment is the Kind of the timers that decide an experiment
// node's winner; their ProfileID is empty and their Ref the experiment key.
const TimerKindExperiment = "journey_experiment"

// Journey statuses.
const (
	JourneyDraft   = "draft"   // never published
	JourneyLive    = "live"    // the live version takes entries
	JourneyPaused  = "paused"  // no new entries; instances hold where they are
	JourneyStopped = "stopped" // every instance ejected; no entries
)

// Journey is a journey's control-plane row: its editable draft and which
// published version is live.
type Journey struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Status      string          `json:"status"`
	Draft       json.RawMessage `json:"draft"`                  // canonical JSON of the draft definition, byte for byte
	LiveVersion int             `json:"live_version,omitempty"` // 0 before the first publish
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// JourneyVersion is one published, immutable version.
type JourneyVersion struct {
	JourneyID   string          `json:"journey_id"`
	Version     int             `json:"version"`
	Definition  json.RawMessage `json:"definition"`
	PublishedAt time.Time       `json:"published_at"`
}

// JourneyStore keeps journey definitions (control plane; kept by Reset).
type JourneyStore interface {
	// CreateJourney saves a new draft journey (Status draft). ErrConflict if the id exists.
	CreateJourney(ctx context.Context, j Journey) error
	// UpdateJourneyDraft replaces the draft and name at at; ErrNotFound if absent.
	UpdateJourneyDraft(ctx context.Context, id, name string, draft json.RawMessage, at time.Time) error
	// GetJourney returns a journey; ErrNotFound if absent.
	GetJourney(ctx context.Context, id string) (Journey, error)
	// ListJourneys lists journeys ordered by id.
	ListJourneys(ctx context.Context) ([]Journey, error)
	// PublishJourney appends version n+1 with def, makes it live (Status
	// live, LiveVersion n+1) and returns n+1. ErrNotFound if absent.
	PublishJourney(ctx context.Context, id string, def json.RawMessage, at time.Time) (int, error)
	// SetJourneyStatus sets Status (live, paused or stopped); ErrNotFound if absent.
	SetJourneyStatus(ctx context.Context, id, status string, at time.Time) error
	// JourneyVersions lists every published version, oldest first.
	JourneyVersions(ctx context.Context, id string) ([]JourneyVersion, error)
	// GetJourneyVersion returns one version; ErrNotFound if absent.
	GetJourneyVersion(ctx context.Context, id string, version int) (JourneyVersion, error)
}

// ConfigObject is a named JSON document of the messaging control plane:
// templates, channel configurations, subscription groups, frequency rules
// and workspace settings, each its own Kind.
type ConfigObject struct {
	Kind      string          `json:"kind"`
	ID        string          `json:"id"`
	Body      json.RawMessage `json:"body"` // stored byte for byte
	UpdatedAt time.Time       `json:"updated_at"`
}

// ConfigStore keeps ConfigObjects (control plane; kept by Reset).
type ConfigStore interface {
	// PutConfig inserts or replaces (Kind, ID).
	PutConfig(ctx context.Context, o ConfigObject) error
	// GetConfig returns one object; ErrNotFound if absent.
	GetConfig(ctx context.Context, kind, id string) (ConfigObject, error)
	// ListConfig lists the objects of a kind ordered by id.
	ListConfig(ctx context.Context, kind string) ([]ConfigObject, error)
	// DeleteConfig deletes one object; ErrNotFound if absent.
	DeleteConfig(ctx context.Context, kind, id string) error
}

// Journey instance statuses.
const (
	InstanceActive = "active" // at a node, possibly waiting on a timer, an event or a send
	InstanceExited = "exited" // done: ExitReason says why (completed, goal, exit_criteria, stopped, ...)
)

// JourneyInstance is one customer's run through one journey version.
// Written only by the processor through Apply (upsert by ID).
type JourneyInstance struct {
	ID         string          `json:"id"`
	JourneyID  string          `json:"journey_id"`
	Version    int             `json:"version"`
	ProfileID  string          `json:"profile_id"`
	Key        string          `json:"key,omitempty"` // entry key of event-keyed journeys
	Node       string          `json:"node"`          // current node id
	Status     string          `json:"status"`
	EnteredAt  time.Time       `json:"entered_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	ExitedAt   *time.Time      `json:"exited_at,omitempty"`
	ExitReason string          `json:"exit_reason,omitempty"`
	State      json.RawMessage `json:"state,omitempty"` // engine state (entry properties, waits, variants), byte for byte
}

// InstanceQuery filters a journey's instances.
type InstanceQuery struct {
	JourneyID string
	Status    string // optional
	Node      string // optional
	After     string // cursor: instance id
	Limit     int
}

// JourneyNodeCount is how many instances of a journey are active at a node.
type JourneyNodeCount struct {
	Version int    `json:"version"`
	Node    string `json:"node"`
	Active  int64  `json:"active"`
}

// JourneyExitCount is how many instances left a journey with a reason.
type JourneyExitCount struct {
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
}

// Send statuses. A send is the outbox row of one message and then its
// delivery ledger entry.
const (
	SendQueued     = "queued"     // written with the step that decided it; waiting for DueAt
	SendAttempting = "attempting" // recorded before calling the provider
	SendSent       = "sent"       // the provider accepted it
	SendFailed     = "failed"     // the provider refused it for good, or retries ran out
	SendSkipped    = "skipped"    // a send-time rule stopped it (Reason says which)
	SendUnknown    = "unknown"    // attempting at a crash and not resolvable; never resent
)

// Send is one message: queued in the step's transaction, then claimed,
// attempted and settled by the dispatcher. Key is unique (journey version,
// instance, node, attempt), so a step replayed after a crash cannot queue
// the same message twice.
type Send struct {
	Key        string          `json:"key"`
	JourneyID  string          `json:"journey_id,omitempty"` // empty for transactional API sends
	Version    int             `json:"version,omitempty"`
	InstanceID string          `json:"instance_id,omitempty"`
	NodeID     string          `json:"node_id,omitempty"`
	ProfileID  string          `json:"profile_id"`
	Channel    string          `json:"channel"`
	TemplateID string          `json:"template_id,omitempty"`
	Status     string          `json:"status"`
	Reason     string          `json:"reason,omitempty"` // skip or failure reason
	Attempts   int             `json:"attempts"`         // provider calls made
	ProviderID string          `json:"provider_id,omitempty"`
	To         string          `json:"to,omitempty"` // the address used
	DueAt      time.Time       `json:"due_at"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	SentAt     *time.Time      `json:"sent_at,omitempty"`
	Payload    json.RawMessage `json:"payload,omitempty"` // what the dispatcher needs: rules, render vars; byte for byte
	// Content is the rendered message (JSON), kept for channels Cairn
	// serves itself (in-app, agent tasks); written by UpdateSend.
	Content json.RawMessage `json:"content,omitempty"`
	// PendingEvent is the outcome's timeline event while it is not yet in
	// the log (written with the outcome by UpdateSend, cleared by
	// ClearPendingEvent).
	PendingEvent json.RawMessage `json:"pending_event,omitempty"`
}

// SendUpdate changes a send's delivery fields; zero fields keep their value
// except Status, which is always written.
type SendUpdate struct {
	Key        string
	Status     string
	Reason     string
	ProviderID string
	To         string
	Attempts   int             // when > 0
	DueAt      time.Time       // when not zero (deferral, retry backoff)
	SentAt     *time.Time      // when not nil
	Content    json.RawMessage // when not empty; stored byte for byte
	// Event, when not empty, is stored as the send's PendingEvent in the
	// same write: the outcome and the event announcing it commit together.
	Event json.RawMessage
	At    time.Time // UpdatedAt
}

// PendingClear names a send's pending event that reached the log.
type PendingClear struct {
	Key   string
	Event json.RawMessage
}

// Engagement is one delivery-feedback fact recorded on a send.
type Engagement struct {
	Key  string    `json:"key"`
	Type string    `json:"type"` // delivered, opened, clicked, bounced, complained, unsubscribed, seen, dismissed
	Data string    `json:"data,omitempty"`
	At   time.Time `json:"at"`
}

// Subscription is a profile's state in a subscription group.
type Subscription struct {
	ProfileID string    `json:"profile_id"`
	GroupID   string    `json:"group_id"`
	State     string    `json:"state"` // subscribed, unsubscribed
	UpdatedAt time.Time `json:"updated_at"`
	Source    string    `json:"source,omitempty"` // link, api, import, trait
}

// Suppression blocks an address on a channel (hard bounce, complaint, import).
type Suppression struct {
	Channel   string    `json:"channel"`
	Address   string    `json:"address"` // normalized (lowercase email, E.164 phone)
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// DeliveryStore keeps journey instances, the send outbox/ledger and the
// delivery rules' state. Instances and queued sends are written by the
// processor through Apply (ProcessBatch.Instances, ProcessBatch.Sends);
// the dispatcher settles sends with UpdateSend. Reset drops instances but
// keeps sends, subscriptions and suppressions: the ledger records what was
// sent in the real world, so a rebuild never sends it again.
type DeliveryStore interface {
	GetInstance(ctx context.Context, id string) (JourneyInstance, error)
	// ProfileInstances lists a profile's instances (active and exited), newest entry first.
	ProfileInstances(ctx context.Context, profileID string) ([]JourneyInstance, error)
	// ProfilesInstances is ProfileInstances for several profiles at once,
	// ordered by profile id, then as ProfileInstances orders them.
	ProfilesInstances(ctx context.Context, profileIDs ...string) ([]JourneyInstance, error)
	// ListInstances lists a journey's instances ordered by id after q.After.
	ListInstances(ctx context.Context, q InstanceQuery) ([]JourneyInstance, error)
	// CountInstances counts a journey's instances (all versions).
	CountInstances(ctx context.Context, journeyID string) (int64, error)
	// JourneyNodeCounts counts active instances per (version, node).
	JourneyNodeCounts(ctx context.Context, journeyID string) ([]JourneyNodeCount, error)
	// JourneyExitCounts counts exited instances per exit reason.
	JourneyExitCounts(ctx context.Context, journeyID string) ([]JourneyExitCount, error)

	GetSend(ctx context.Context, key string) (Send, error)
	SendByProviderID(ctx context.Context, channel, providerID string) (Send, error)
	// DueSends lists up to limit queued sends with DueAt <= now, by DueAt then Key.
	DueSends(ctx context.Context, now time.Time, limit int) ([]Send, error)
	// NextSendDue returns the earliest DueAt of queued sends; false if none.
	NextSendDue(ctx context.Context) (time.Time, bool, error)
	// SendsByStatus lists up to limit sends in a status, by UpdatedAt then Key (recovery of attempting sends).
	SendsByStatus(ctx context.Context, status string, limit int) ([]Send, error)
	// ProfileSends lists a profile's sends created at or after since, newest first (frequency caps, profile view).
	ProfileSends(ctx context.Context, profileID string, since time.Time, limit int) ([]Send, error)
	// ChannelSends lists sends of a channel in a status ordered by key after
	// the cursor (agent task queues).
	ChannelSends(ctx context.Context, channel, status, after string, limit int) ([]Send, error)
	// JourneySendCounts counts a journey's sends per (node, status, reason).
	JourneySendCounts(ctx context.Context, journeyID string) ([]SendCount, error)
	// UpdateSend changes one send; ErrNotFound if absent.
	UpdateSend(ctx context.Context, u SendUpdate) error
	// PendingEvents lists up to limit sends whose PendingEvent is set, by key.
	PendingEvents(ctx context.Context, limit int) ([]Send, error)
	// ClearPendingEvents clears, in one write, each listed send's
	// PendingEvent if it still equals the listed event (a newer one written
	// meanwhile stays); a missing send is no error.
	ClearPendingEvents(ctx context.Context, list []PendingClear) error
	// InsertSend inserts a send outside a processor batch (transactional API
	// sends); ErrConflict if the key exists.
	InsertSend(ctx context.Context, s Send) error
	// AddEngagement records a feedback fact (idempotent on Key, Type, At).
	AddEngagement(ctx context.Context, e Engagement) error
	// Engagements lists the facts of a send, oldest first.
	Engagements(ctx context.Context, key string) ([]Engagement, error)

	SetSubscription(ctx context.Context, s Subscription) error
	// Subscriptions lists a profile's subscription states ordered by group.
	Subscriptions(ctx context.Context, profileID string) ([]Subscription, error)
	AddSuppression(ctx context.Context, s Suppression) error
	// Suppressed returns the suppression of an address; ErrNotFound if none.
	Suppressed(ctx context.Context, channel, address string) (Suppression, error)
	ListSuppressions(ctx context.Context, channel, after string, limit int) ([]Suppression, error)
}

// SendCount is how many of a journey's sends at a node are in a status for a reason.
type SendCount struct {
	Node   string `json:"node"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	Count  int64  `json:"count"`
}
