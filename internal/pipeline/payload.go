package pipeline

import (
	"encoding/json"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
)

// The processor needs traits only from identify and group calls, and only
// context (traits, externalIds) from the rest; decoding properties into maps
// would be most of the decode cost and is skipped.
type withTraits struct {
	Traits  map[string]any `json:"traits"`
	Context event.Context  `json:"context"`
}

type contextOnly struct {
	Context event.Context `json:"context"`
}

// decodePayload reads the parts of e's payload the processor uses.
func decodePayload(e *event.Event) (*event.Payload, error) {
	var p event.Payload
	if len(e.Raw) == 0 {
		return &p, nil
	}
	switch e.Type {
	case event.Identify, event.Group:
		var w withTraits
		if err := json.Unmarshal(e.Raw, &w); err != nil {
			return nil, fmt.Errorf("decode payload of message %s: %w", e.MessageID, err)
		}
		p.Traits, p.Context = w.Traits, w.Context
	default:
		var c contextOnly
		if err := json.Unmarshal(e.Raw, &c); err != nil {
			return nil, fmt.Errorf("decode payload of message %s: %w", e.MessageID, err)
		}
		p.Context = c.Context
	}
	return &p, nil
}
