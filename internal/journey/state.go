package journey

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// instState is the engine's part of an instance row (JourneyInstance.State).
type instState struct {
	Entry      map[string]any    `json:"entry,omitempty"`       // entry properties (event properties or API data)
	EntryEvent string            `json:"entry_event,omitempty"` // name of the entry event
	EntryTime  time.Time         `json:"entry_time"`            // the entry event's time
	Visits     map[string]int    `json:"visits,omitempty"`      // node → arrivals
	Paths      map[string]string `json:"paths,omitempty"`       // split/experiment node → path taken (variant)
	Arrived    time.Time         `json:"arrived"`               // at the current node
	Waiting    string            `json:"waiting,omitempty"`     // timer, wait or send
	SendKey    string            `json:"send_key,omitempty"`    // the send a message node waits for
	Goals      []string          `json:"goals,omitempty"`       // goals reached
	Holdout    bool              `json:"holdout,omitempty"`     // in the journey's holdout: never messaged
	Steps      int               `json:"steps"`                 // events emitted so far (ids)
	LastSend   string            `json:"last_send,omitempty"`   // key of the latest message queued (goal attribution)
	// MigratedFrom is the node id the instance waited at before a migration
	// moved it to a new version; its pending timer still names that id.
	MigratedFrom string `json:"migrated_from,omitempty"`
}

// inst is an instance being worked on: the row and its decoded state.
type inst struct {
	row   store.JourneyInstance
	st    instState
	ver   *Version
	dirty bool
}

func loadInst(row store.JourneyInstance) (*inst, error) {
	in := &inst{row: row}
	if len(row.State) > 0 {
		if err := json.Unmarshal(row.State, &in.st); err != nil {
			return nil, fmt.Errorf("decode state of instance %s: %w", row.ID, err)
		}
	}
	return in, nil
}

func (in *inst) active() bool { return in.row.Status == store.InstanceActive }

// final encodes the state back into the row.
func (in *inst) final() (store.JourneyInstance, error) {
	b, err := json.Marshal(in.st)
	if err != nil {
		return store.JourneyInstance{}, fmt.Errorf("encode state of instance %s: %w", in.row.ID, err)
	}
	in.row.State = b
	return in.row, nil
}
