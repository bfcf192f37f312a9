package journey

import (
	"encoding/json"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// Definition is one journey version.
type Definition struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Entry       Entry           `json:"entry"`
	ReEntry     ReEntry         `json:"reentry,omitzero"`
	Nodes       []Node          `json:"nodes"`
	Goals       []Goal          `json:"goals,omitempty"`
	Exit        []ExitCriterion `json:"exit_criteria,omitempty"`
	Settings    Settings        `json:"settings,omitzero"`
	// Layout is where the console's canvas draws each step, by node id
	// ("__entry" for the entry, which no node id can be): presentation only, the runtime ignores it.
	Layout map[string]Point `json:"layout,omitempty"`

	index map[string]*Node // node by id, set by Validate
}

// Point is a position on the canvas.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// LayoutEntry is the Layout key of the entry.
const LayoutEntry = "__entry"

// Node returns a node by id (after Validate).
func (d *Definition) Node(id string) (*Node, bool) {
	n, ok := d.index[id]
	return n, ok
}

// Entry starts instances. Exactly one of Event, Segment, Schedule and API is set.
type Entry struct {
	Event    *EventMatch    `json:"event,omitempty"`
	Segment  *SegmentEntry  `json:"segment,omitempty"`
	Schedule *ScheduleEntry `json:"schedule,omitempty"`
	API      *APIEntry      `json:"api,omitempty"`
	Next     string         `json:"next"` // the first node
}

// EventMatch matches an event by name and property filters (the segment
// language's filters). For an event entry, Key names a property whose
// value keys the instance (one instance per key); for a wait or goal,
// MatchKey requires the event's Key property to equal the instance key.
type EventMatch struct {
	Name     string          `json:"name"`
	Where    json.RawMessage `json:"where,omitempty"`
	Key      string          `json:"key,omitempty"`
	MatchKey bool            `json:"match_key,omitempty"`
	// MaxAge (entry only) ignores events older than this when they are
	// processed, so a bulk import of last year's orders starts nothing;
	// default 24h, "none" for any age.
	MaxAge  string           `json:"max_age,omitempty"`
	filters []segment.Filter // decoded Where
}

// SegmentEntry enters customers when they enter (or exit) a segment.
type SegmentEntry struct {
	ID string `json:"id"`
	On string `json:"on,omitempty"` // enter (default) or exit
}

// ScheduleEntry enters a segment's members at a time, once or every interval.
type ScheduleEntry struct {
	Segment string `json:"segment"`
	At      string `json:"at"`              // RFC 3339: first run
	Every   string `json:"every,omitempty"` // e.g. 1d, 1w; empty runs once
	// LocalTime (HH:MM) holds each customer until that time in their zone before the first node.
	LocalTime string `json:"local_time,omitempty"`
}

// APIEntry enters customers by API call; Properties lists the expected entry properties (documentation only).
type APIEntry struct {
	Properties []string `json:"properties,omitempty"`
}

// ReEntry says when a customer may enter again.
type ReEntry struct {
	Mode        string `json:"mode,omitempty"`         // never (default), after_exit, anytime
	MinInterval string `json:"min_interval,omitempty"` // anytime/after_exit: minimum time between entries
	MaxEntries  int    `json:"max_entries,omitempty"`  // 0 = unlimited
}

// Goal is a conversion: an event within a window of entry.
type Goal struct {
	ID       string     `json:"id"`
	Event    EventMatch `json:"event"`
	Within   string     `json:"within,omitempty"`   // default: any time while in the journey
	Continue bool       `json:"continue,omitempty"` // keep the customer in the journey after the goal (default: exit)
}

// ExitCriterion removes a customer immediately, wherever they wait.
type ExitCriterion struct {
	Event   *EventMatch   `json:"event,omitempty"`
	Segment *SegmentEntry `json:"segment,omitempty"` // on: enter or exit
}

// Settings are journey-wide delivery settings.
type Settings struct {
	QuietHours *QuietHours `json:"quiet_hours,omitempty"`
	// OnCap is what a frequency-capped message does: advance (default,
	// recorded as skipped) or wait until the cap allows it.
	OnCap           string  `json:"on_cap,omitempty"`
	HoldoutPercent  float64 `json:"holdout_percent,omitempty"` // per-journey holdout: entered, never messaged
	IgnoreControl   bool    `json:"ignore_global_control,omitempty"`
	DefaultTimezone string  `json:"default_timezone,omitempty"`
}

// QuietHours defers or skips messages between Start and End in the customer's zone.
type QuietHours struct {
	Start   string   `json:"start"`
	End     string   `json:"end"`
	Days    []string `json:"days,omitempty"`
	OnQuiet string   `json:"on_quiet,omitempty"` // defer (default) or skip
}

// Node is one step. Exactly one kind field is set.
type Node struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Next        string       `json:"next,omitempty"` // single-exit kinds
	Delay       *Delay       `json:"delay,omitempty"`
	Wait        *Wait        `json:"wait,omitempty"`
	Split       *Split       `json:"split,omitempty"`
	MultiSplit  *MultiSplit  `json:"multi_split,omitempty"`
	RandomSplit *RandomSplit `json:"random_split,omitempty"`
	Experiment  *Experiment  `json:"experiment,omitempty"`
	Message     *Message     `json:"message,omitempty"`
	Update      *Update      `json:"update,omitempty"`
	Webhook     *Webhook     `json:"webhook,omitempty"`
	Jump        *Jump        `json:"jump,omitempty"`
	ExitNode    *struct{}    `json:"exit,omitempty"`
}

// Delay holds a customer: for a duration, until a local time of day, or
// until a date trait ± an offset. A moment already past proceeds at once.
type Delay struct {
	Duration string      `json:"duration,omitempty"`
	Until    *LocalTime  `json:"until,omitempty"`
	Trait    *TraitDelay `json:"until_trait,omitempty"`
}

// LocalTime is the next HH:MM in the customer's zone on allowed weekdays.
type LocalTime struct {
	Time string   `json:"time"`
	Days []string `json:"days,omitempty"` // mon..sun; empty = every day
}

// TraitDelay waits until a date/time trait plus Offset (negative allowed, e.g. -1d).
type TraitDelay struct {
	Path   string `json:"path"`
	Offset string `json:"offset,omitempty"`
}

// Wait holds a customer until a branch becomes true or the timeout.
type Wait struct {
	Branches    []WaitBranch `json:"branches"`
	Timeout     string       `json:"timeout"`
	TimeoutNext string       `json:"timeout_next"`
}

// WaitBranch is one thing to wait for. Exactly one of Event, Segment, Engagement.
type WaitBranch struct {
	Event      *EventMatch `json:"event,omitempty"`
	Segment    string      `json:"segment,omitempty"` // becomes (or already is) a member
	Engagement *Engagement `json:"engagement,omitempty"`
	Next       string      `json:"next"`
}

// Engagement waits for the customer to open or click a message sent by a node of this journey.
type Engagement struct {
	Node   string `json:"node"`
	Action string `json:"action"` // opened, clicked
}

// Split branches on a condition of the segment language.
type Split struct {
	Condition json.RawMessage `json:"condition"`
	Yes       string          `json:"yes"`
	No        string          `json:"no"`
	cond      *segment.Definition
}

// MultiSplit takes the first path whose condition holds, else Else.
type MultiSplit struct {
	Paths []SplitPath `json:"paths"`
	Else  string      `json:"else"`
}

// SplitPath is one ordered path of a multi-split.
type SplitPath struct {
	Condition json.RawMessage `json:"condition"`
	Next      string          `json:"next"`
	cond      *segment.Definition
}

// RandomSplit sends each customer down one path by percentage, the same
// path every time (stable hash of the profile, journey and node).
type RandomSplit struct {
	Paths []WeightedPath `json:"paths"`
}

// WeightedPath is a path with its share in percent.
type WeightedPath struct {
	ID      string  `json:"id,omitempty"`
	Percent float64 `json:"percent"`
	Next    string  `json:"next"`
}

// Experiment is a random split whose assignment is recorded on every later
// event (variant or control) so measurement can compare the arms on Metric
// over Window.
type Experiment struct {
	Variants []WeightedPath `json:"variants"`
	Control  *WeightedPath  `json:"control,omitempty"`
	Metric   string         `json:"metric,omitempty"` // conversion event name
	Window   string         `json:"window,omitempty"`
	// AutoWinner sends everyone to the variant that converted best on
	// Metric within Window, once Window has passed since publishing.
	AutoWinner bool `json:"auto_winner,omitempty"`
}

// Message queues a send on a channel with a template.
type Message struct {
	Channel  string `json:"channel"`
	Template string `json:"template"`
	Group    string `json:"subscription_group,omitempty"`
	// Advance: on_sent (default) waits for the send's outcome; always moves on at once.
	Advance   string `json:"advance,omitempty"`
	OnFailure string `json:"on_failure,omitempty"` // exit (default) or skip
	Retries   *int   `json:"retries,omitempty"`    // provider retries on temporary failures (default 3)
}

// Update changes the customer's traits and may add a note event.
type Update struct {
	Set       map[string]any     `json:"set,omitempty"`
	Unset     []string           `json:"unset,omitempty"`
	Increment map[string]float64 `json:"increment,omitempty"`
	Note      string             `json:"note,omitempty"`
}

// Webhook calls an HTTP endpoint with a rendered body (a webhook send).
type Webhook struct {
	Channel  string            `json:"channel,omitempty"`  // a configured webhook channel (URL, secret)
	URL      string            `json:"url,omitempty"`      // or a URL
	Template string            `json:"template,omitempty"` // body template id
	Body     string            `json:"body,omitempty"`     // or an inline Liquid JSON body
	Save     map[string]string `json:"save,omitempty"`     // trait path → response JSON path
	Retries  *int              `json:"retries,omitempty"`
}

// Jump leaves this journey and enters another (its live version).
type Jump struct {
	Journey string `json:"journey"`
}
