package event

import (
	"encoding/json"
	"fmt"
	"time"
)

// Type is the Segment spec call type.
type Type string

// The six call types of the Segment spec.
const (
	Identify Type = "identify"
	Track    Type = "track"
	Page     Type = "page"
	Screen   Type = "screen"
	Group    Type = "group"
	Alias    Type = "alias"
)

// Valid reports whether t is one of the six call types.
func (t Type) Valid() bool {
	switch t {
	case Identify, Track, Page, Screen, Group, Alias:
		return true
	}
	return false
}

// Event is one accepted touchpoint. The typed fields are lifted out of Raw for
// indexing and routing; Raw is the normalized JSON body (batch context merged,
// the four timestamps set, raw identifiers exactly as received) and is the
// source of truth that every later stage re-reads.
type Event struct {
	Seq               int64     // position in the log; 0 until appended
	SourceID          string    // the source whose write key sent it
	Channel           string    // the source's channel (web, app, store, ...)
	MessageID         string    // client id, or generated when absent
	Type              Type      // identify, track, ...
	UserID            string    // userId as sent (numbers are kept as their JSON text)
	AnonymousID       string    // anonymousId as sent
	PreviousID        string    // alias only
	GroupID           string    // group only
	Name              string    // track: event; page/screen: name
	Timestamp         time.Time // corrected event time (see the wire contract §5)
	ReceivedAt        time.Time // server clock at arrival
	SentAt            time.Time // zero when the client sent none
	OriginalTimestamp time.Time // zero when the client sent none
	Raw               json.RawMessage
}

// Payload is the part of Raw that the processor reads. Unknown fields stay in Raw.
type Payload struct {
	Traits     map[string]any `json:"traits,omitempty"`
	Properties map[string]any `json:"properties,omitempty"`
	Context    Context        `json:"context"`
}

// Context is the subset of the Segment context object the pipeline uses.
type Context struct {
	Traits      map[string]any `json:"traits,omitempty"`
	ExternalIDs []ExternalID   `json:"externalIds,omitempty"`
	IP          string         `json:"ip,omitempty"`
	Campaign    map[string]any `json:"campaign,omitempty"`
}

// ExternalID is one entry of context.externalIds.
type ExternalID struct {
	ID   any    `json:"id"`
	Type string `json:"type"`
}

// DecodePayload reads the traits, properties and context of e.
func (e *Event) DecodePayload() (*Payload, error) {
	var p Payload
	if len(e.Raw) == 0 {
		return &p, nil
	}
	if err := json.Unmarshal(e.Raw, &p); err != nil {
		return nil, fmt.Errorf("decode payload of message %s: %w", e.MessageID, err)
	}
	return &p, nil
}
