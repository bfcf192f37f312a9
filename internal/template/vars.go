package template

import "time"

// Vars is the render context. In a template its fields are the variables:
//
//	profile   the customer's traits, computed traits included (they are
//	          traits), as nested maps, plus "id": {{ profile.first_name }},
//	          {{ profile.address.city }}, {{ profile.id }}
//	event     the event that triggered the journey: {{ event.name }},
//	          {{ event.id }}, {{ event.timestamp | date: "%b %d" }},
//	          {{ event.properties.order_id }}
//	entry     the journey entry's properties: {{ entry.plan }}
//	journey   {{ journey.id }}, {{ journey.name }}, {{ journey.node }}
//	message   {{ message.key }} (the idempotency key of this message),
//	          {{ message.unsubscribe_url }}, {{ message.tracking.utm_campaign }}
//	now       the send time (from the caller's clock): {{ now | date: "%Y" }}
//
// Maps hold what encoding/json produces (map[string]any, []any, string,
// float64, bool, nil); other maps with string keys and slices also work. An
// absent key, a null and an empty string field of EventVars, JourneyVars or
// MessageVars are all missing variables. Vars unmarshals from JSON with the
// same names, for previews.
type Vars struct {
	Profile map[string]any `json:"profile,omitempty"`
	Event   EventVars      `json:"event,omitzero"`
	Entry   map[string]any `json:"entry,omitempty"`
	Journey JourneyVars    `json:"journey,omitzero"`
	Message MessageVars    `json:"message,omitzero"`
	Now     time.Time      `json:"now,omitzero"`
}

// EventVars is the triggering event.
type EventVars struct {
	ID         string         `json:"id,omitempty"`
	Name       string         `json:"name,omitempty"`
	Timestamp  time.Time      `json:"timestamp,omitzero"`
	Properties map[string]any `json:"properties,omitempty"`
}

// JourneyVars names the journey and the node sending the message.
type JourneyVars struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Node string `json:"node,omitempty"`
}

// MessageVars describes the message being rendered.
type MessageVars struct {
	Key            string         `json:"key,omitempty"`
	UnsubscribeURL string         `json:"unsubscribe_url,omitempty"`
	Tracking       map[string]any `json:"tracking,omitempty"`
}

// Root variable names.
const (
	varProfile = "profile"
	varEvent   = "event"
	varEntry   = "entry"
	varJourney = "journey"
	varMessage = "message"
	varNow     = "now"
)

// bindings builds the per-render Liquid bindings, each root wrapped strictly.
func (v *Vars) bindings(rec *recorder) map[string]any {
	event := make(map[string]any, 4)
	putString(event, "id", v.Event.ID)
	putString(event, "name", v.Event.Name)
	if !v.Event.Timestamp.IsZero() {
		event["timestamp"] = v.Event.Timestamp
	}
	if v.Event.Properties != nil {
		event["properties"] = v.Event.Properties
	}
	journey := make(map[string]any, 3)
	putString(journey, "id", v.Journey.ID)
	putString(journey, "name", v.Journey.Name)
	putString(journey, "node", v.Journey.Node)
	message := make(map[string]any, 3)
	putString(message, "key", v.Message.Key)
	putString(message, "unsubscribe_url", v.Message.UnsubscribeURL)
	if v.Message.Tracking != nil {
		message["tracking"] = v.Message.Tracking
	}
	var now any = missing{varNow, rec}
	if !v.Now.IsZero() {
		now = v.Now
	}
	return map[string]any{
		varProfile: &strictMap{m: v.Profile, path: varProfile, rec: rec},
		varEvent:   &strictMap{m: event, path: varEvent, rec: rec},
		varEntry:   &strictMap{m: v.Entry, path: varEntry, rec: rec},
		varJourney: &strictMap{m: journey, path: varJourney, rec: rec},
		varMessage: &strictMap{m: message, path: varMessage, rec: rec},
		varNow:     now,
	}
}

func putString(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}
