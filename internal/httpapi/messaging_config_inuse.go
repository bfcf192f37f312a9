package httpapi

import (
	"context"
	"slices"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// journeysUsing lists the journeys that may still use the template,
// channel or subscription group id: those whose live version does while
// live or paused, and those with active instances on a version that does.
func (s *Server) journeysUsing(ctx context.Context, kind, id string) ([]string, error) {
	if kind != ConfigTemplate && kind != ConfigChannel && kind != ConfigSubscriptionGroup {
		return nil, nil
	}
	list, err := s.d.State.ListJourneys(ctx)
	if err != nil {
		return nil, err
	}
	var users []string
	for _, j := range list {
		versions := map[int]bool{}
		if j.LiveVersion > 0 && (j.Status == store.JourneyLive || j.Status == store.JourneyPaused) {
			versions[j.LiveVersion] = true
		}
		active, err := s.d.State.JourneyNodeCounts(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range active {
			versions[c.Version] = true
		}
		for n := range versions {
			v, err := s.d.State.GetJourneyVersion(ctx, j.ID, n)
			if err != nil {
				return nil, err
			}
			def, err := journey.ParseJSON(v.Definition)
			if err == nil && usesConfig(def, kind, id) { // unreadable by this build: it cannot be running either
				users = append(users, j.ID)
				break
			}
		}
	}
	slices.Sort(users)
	return users, nil
}

func usesConfig(def *journey.Definition, kind, id string) bool {
	for i := range def.Nodes {
		n := &def.Nodes[i]
		var tmpl, ch, group string
		switch {
		case n.Message != nil:
			tmpl, ch, group = n.Message.Template, n.Message.Channel, n.Message.Group
		case n.Webhook != nil:
			tmpl, ch = n.Webhook.Template, n.Webhook.Channel
		default:
			continue
		}
		if (kind == ConfigTemplate && tmpl == id) || (kind == ConfigChannel && ch == id) || (kind == ConfigSubscriptionGroup && group == id) {
			return true
		}
	}
	return false
}
