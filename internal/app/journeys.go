package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/httpapi"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/pipeline"
	"github.com/cairn-cdp/cairn/internal/store"
)

// journeys adapts the processor to the journeys API.
type journeys struct {
	p  *pipeline.Processor
	st store.State
}

var _ httpapi.Journeys = journeys{}

func (j journeys) Reload(ctx context.Context) error { return j.p.ReloadJourneys(ctx) }

func (j journeys) Stop(ctx context.Context, journeyID string) error {
	return j.p.StopJourney(ctx, journeyID)
}

func (j journeys) Enter(ctx context.Context, journeyID, profileID string, props map[string]any) (string, error) {
	id, err := j.p.EnterJourney(ctx, journeyID, profileID, "api:"+newID("entry"), props)
	if err != nil {
		return "", fmt.Errorf("enter journey %s: %w", journeyID, err)
	}
	return id, nil
}

func (j journeys) Migrate(ctx context.Context, journeyID string, nodes map[string]string) (int, error) {
	return j.p.MigrateJourney(ctx, journeyID, nodes)
}

// Refs snapshots what a journey may reference, for publish-time validation.
func (j journeys) Refs(ctx context.Context) (journey.Refs, error) {
	r := refs{segments: map[string]bool{}, templates: map[string]string{}, channels: map[string]string{}, groups: map[string]bool{}, journeys: map[string]bool{}}
	segs, err := j.st.ListSegments(ctx)
	if err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	for _, s := range segs {
		r.segments[s.ID] = true
	}
	tpls, err := j.st.ListConfig(ctx, "template")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	for _, t := range tpls {
		var body struct {
			Channel string `json:"channel"`
		}
		if err := json.Unmarshal(t.Body, &body); err == nil {
			r.templates[t.ID] = body.Channel
		}
	}
	chs, err := j.st.ListConfig(ctx, "channel")
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	for _, c := range chs {
		var body struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(c.Body, &body); err == nil {
			r.channels[c.ID] = body.Type
		}
	}
	for _, builtin := range []string{"inapp", "task"} { // built-in channels need no configuration
		if _, ok := r.channels[builtin]; !ok {
			r.channels[builtin] = builtin
		}
	}
	groups, err := j.st.ListConfig(ctx, "subscription_group")
	if err != nil {
		return nil, fmt.Errorf("list subscription groups: %w", err)
	}
	for _, g := range groups {
		r.groups[g.ID] = true
	}
	js, err := j.st.ListJourneys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list journeys: %w", err)
	}
	for _, x := range js {
		r.journeys[x.ID] = true
	}
	return r, nil
}

type refs struct {
	segments  map[string]bool
	templates map[string]string
	channels  map[string]string // id → kind
	groups    map[string]bool
	journeys  map[string]bool
}

func (r refs) SegmentExists(id string) bool { return r.segments[id] }
func (r refs) TemplateChannel(id string) (string, bool) {
	c, ok := r.templates[id]
	return c, ok
}
func (r refs) ChannelKind(c string) (string, bool) {
	k, ok := r.channels[c]
	return k, ok
}
func (r refs) GroupExists(id string) bool   { return r.groups[id] }
func (r refs) JourneyExists(id string) bool { return r.journeys[id] }
