package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// errProfileGone drops an internal event whose profile no longer exists (erased).
var errProfileGone = errors.New("the event's profile no longer exists")

// internalProfile reads properties.profile_id of an event of the internal source.
func internalProfile(e *event.Event) (string, error) {
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
