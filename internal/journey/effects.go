package journey

import (
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Effects is everything a session decided, to be written in one
// transaction with the processor's checkpoint (and the events appended to
// the log after it commits).
type Effects struct {
	Instances    []store.JourneyInstance
	Timers       []store.Timer
	TimerDeletes []store.Timer
	Sends        []store.Send
	Events       []Emitted
}

// Emitted is a timeline event to append from Cairn's internal source.
type Emitted struct {
	Name      string
	MessageID string
	At        time.Time
	Props     map[string]any // always holds profile_id
}

// SendPayload is what the dispatcher needs to deliver a queued send
// (store.Send.Payload).
type SendPayload struct {
	JourneyName     string            `json:"journey_name,omitempty"`
	Template        string            `json:"template,omitempty"`
	Group           string            `json:"subscription_group,omitempty"`
	Retries         int               `json:"retries"`
	OnCap           string            `json:"on_cap,omitempty"`
	QuietHours      *QuietHours       `json:"quiet_hours,omitempty"`
	DefaultTimezone string            `json:"default_timezone,omitempty"`
	Holdout         bool              `json:"holdout,omitempty"`
	IgnoreControl   bool              `json:"ignore_global_control,omitempty"`
	Transactional   bool              `json:"transactional,omitempty"`
	Tags            []string          `json:"tags,omitempty"` // the template's tags at send time (frequency rules by tag)
	Entry           map[string]any    `json:"entry,omitempty"`
	EntryEvent      string            `json:"entry_event,omitempty"`
	Paths           map[string]string `json:"paths,omitempty"`
	URL             string            `json:"url,omitempty"`  // webhook node
	Body            string            `json:"body,omitempty"` // webhook node inline body template
	Save            map[string]string `json:"save,omitempty"` // webhook node: trait path → response path
	Data            map[string]any    `json:"data,omitempty"` // transactional API data
}
