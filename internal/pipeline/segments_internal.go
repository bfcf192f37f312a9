package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// errProfileGone drops an internal event whose profile no longer exists (erased).
var errProfileGone = errors.New("the event's profile no longer exists")

// profileIDLead is how the processor's own envelopes begin their
// properties when profile_id is the first property (segment, stage and
// most journey events: envelope and internalProps encode in field order).
var profileIDLead = []byte(`"properties":{"profile_id":"`)

// internalProfile reads properties.profile_id of an event of the internal
// source. The processor reads back every event it emitted, so the common
// shape is read without decoding the body (a full decode was 3.5 % of
// streaming segments with emission); anything else is decoded.
func internalProfile(e *event.Event) (string, error) {
	if id, ok := leadingProfileID(e.Raw); ok {
		return id, nil
	}
	var body struct {
		Properties struct {
			ProfileID string `json:"profile_id"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(e.Raw, &body); err != nil {
		return "", fmt.Errorf("decode internal event %s: %w", e.MessageID, err)
	}
	if body.Properties.ProfileID == "" {
		return "", fmt.Errorf("internal event %s has no properties.profile_id", e.MessageID)
	}
	return body.Properties.ProfileID, nil
}

// applyInternal attaches an event of the internal source to its profile,
// following merges, without identity resolution. It adds the timeline
// entry only: it is not a customer touchpoint (no counters, sources or
// channels change).
func (p *Processor) applyInternal(ctx context.Context, g *graph, pe *prepared, profileID string) (string, error) {
	b, e := g.b, pe.ev
	id := profileID
	for range 64 { // merge chains are short; the bound guards against a corrupt cycle
		id = b.final(id)
		pr, err := g.profile(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return "", errProfileGone
		}
		if err != nil {
			return "", err
		}
		if pr.MergedInto == "" {
			if e.Name == journey.EventProfileUpdated {
				if err := p.applyProfileUpdate(ctx, g, id, e); err != nil {
					return "", err
				}
			}
			b.timeline = append(b.timeline, store.TimelineEntry{
				ProfileID: id, Seq: e.Seq, Timestamp: e.Timestamp, Type: string(e.Type),
				Event: e.Name, SourceID: e.SourceID, Channel: e.Channel,
			})
			return id, nil
		}
		id = pr.MergedInto
	}
	return "", fmt.Errorf("profile %s: merge chain too long", profileID)
}

// leadingProfileID finds properties.profile_id when it is the first
// property of a top-level properties object and a plain string (no escape,
// valid UTF-8, which a decoder would replace).
// ok is false when the body has another shape; the caller decodes it then.
// It does not validate the rest: a body in the log is valid JSON (ingest
// parsed it or the processor encoded it).
func leadingProfileID(raw []byte) (string, bool) {
	i := bytes.Index(raw, profileIDLead)
	// Only at the top level (what precedes it in an envelope is short:
	// context, event, messageId), and outside any string.
	if i < 0 || depthAt(raw[:i]) != 1 {
		return "", false
	}
	rest := raw[i+len(profileIDLead):]
	end := bytes.IndexByte(rest, '"')
	if end <= 0 || bytes.IndexByte(rest[:end], '\\') >= 0 || !utf8.Valid(rest[:end]) {
		return "", false
	}
	return string(rest[:end]), true
}

// depthAt is the object and array nesting after prefix, a JSON document's
// beginning, or -1 when prefix ends inside a string.
func depthAt(prefix []byte) int {
	depth, inString, escaped := 0, false, false
	for _, c := range prefix {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	if inString {
		return -1
	}
	return depth
}
