package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

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
		if !mayHoldIdentifiers(e.Raw) {
			return &p, nil
		}
		var c contextOnly
		if err := json.Unmarshal(e.Raw, &c); err != nil {
			return nil, fmt.Errorf("decode payload of message %s: %w", e.MessageID, err)
		}
		p.Context = c.Context
	}
	return &p, nil
}

var (
	keyTraits      = []byte(`"traits"`)
	keyExternalIDs = []byte(`"externalIds"`)
)

// mayHoldIdentifiers reports whether a body could carry context.traits or
// context.externalIds, the only parts of a non-identify event the
// processor reads: not when neither key appears in it. encoding/json
// matches keys case-insensitively (and with Unicode folding), so the keys
// are compared without case, and a body with an escape or a non-ASCII byte
// is left to the decoder. Most touchpoints carry neither key, and decoding
// the whole body to find nothing was the processor's largest decoding cost
// (~5 s of a demo load). Bodies in the log were parsed at ingest, so
// skipping one skips no validation.
func mayHoldIdentifiers(raw []byte) bool {
	for i, c := range raw {
		switch {
		case c >= utf8.RuneSelf || c == '\\':
			return true
		case c == '"' && (hasKeyAt(raw, i, keyTraits) || hasKeyAt(raw, i, keyExternalIDs)):
			return true
		}
	}
	return false
}

// hasKeyAt reports whether raw holds key at i, ASCII case ignored.
func hasKeyAt(raw []byte, i int, key []byte) bool {
	return len(raw)-i >= len(key) && bytes.EqualFold(raw[i:i+len(key)], key)
}
