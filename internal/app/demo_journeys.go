package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/demo"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// ensureDemoJourneys creates the demo's messaging setup and publishes the
// three example journeys, keeping whatever already exists (a user's real
// SMTP channel named "email" stays). It reports whether it published any.
func (a *App) ensureDemoJourneys(ctx context.Context) (bool, error) {
	m, err := demo.ExampleMessaging()
	if err != nil {
		return false, err
	}
	msg := &messaging{st: a.State, clk: a.Clock, logger: a.logger}
	for _, set := range []struct {
		kind   string
		bodies []json.RawMessage
	}{{"channel", m.Channels}, {"subscription_group", m.Groups}, {"frequency_rule", m.Rules}, {"template", m.Templates}} {
		for _, body := range set.bodies {
			var id struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(body, &id); err != nil {
				return false, fmt.Errorf("demo %s: %w", set.kind, err)
			}
			if _, err := a.State.GetConfig(ctx, set.kind, id.ID); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return false, err
			}
			canon, err := msg.ValidateConfig(set.kind, body)
			if err != nil {
				return false, fmt.Errorf("demo %s %s: %w", set.kind, id.ID, err)
			}
			if err := a.State.PutConfig(ctx, store.ConfigObject{Kind: set.kind, ID: id.ID, Body: canon, UpdatedAt: a.Clock.Now()}); err != nil {
				return false, fmt.Errorf("save demo %s %s: %w", set.kind, id.ID, err)
			}
		}
	}
	refs, err := journeys{p: a.Processor, st: a.State}.Refs(ctx)
	if err != nil {
		return false, err
	}
	published := false
	for _, id := range demo.ExampleJourneys {
		if _, err := a.State.GetJourney(ctx, id); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return false, err
		}
		src, err := demo.ExampleJourney(id)
		if err != nil {
			return false, err
		}
		d, err := journey.ParseJSON(src)
		if err != nil {
			return false, fmt.Errorf("demo journey %s: %w", id, err)
		}
		if err := d.Validate(refs); err != nil {
			return false, fmt.Errorf("demo journey %s: %w", id, err)
		}
		now := a.Clock.Now()
		if err := a.State.CreateJourney(ctx, store.Journey{ID: d.ID, Name: d.Name, Status: store.JourneyDraft, Draft: d.JSON(), CreatedAt: now, UpdatedAt: now}); err != nil {
			return false, fmt.Errorf("create demo journey %s: %w", id, err)
		}
		if _, err := a.State.PublishJourney(ctx, d.ID, d.JSON(), now); err != nil {
			return false, fmt.Errorf("publish demo journey %s: %w", id, err)
		}
		published = true
	}
	return published, nil
}
