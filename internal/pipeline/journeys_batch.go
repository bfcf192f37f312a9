package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// evalJourneys runs, after segments and stages of the batch are decided,
// every touched customer's journeys over their events of the batch in log
// order; the effects commit with the batch (outbox).
func (p *Processor) evalJourneys(ctx context.Context, g *graph) error {
	cat := p.journeys.Load()
	b := g.b
	if cat.Empty() || len(b.touches) == 0 {
		return nil
	}
	per := map[string][]*event.Event{}
	var order []string
	for _, tc := range b.touches {
		id := b.final(tc.profileID)
		if _, seen := per[id]; !seen {
			order = append(order, id)
		}
		per[id] = append(per[id], tc.ev)
	}
	out := &jourOut{}
	for _, id := range order {
		pr, ok := b.profiles[id]
		if ok && pr.MergedInto != "" {
			continue
		}
		evs := per[id]
		var relevant []*journey.Event
		for _, e := range evs {
			byName := cat.Relevant(e.Name, "")
			if !byName && !p.isInternal(e) {
				continue // most traffic: decode only what a journey may read
			}
			je := p.journeyEvent(e)
			segID, _ := je.Props()["segment_id"].(string)
			if byName || cat.Relevant(e.Name, segID) {
				relevant = append(relevant, je)
			}
		}
		if len(relevant) == 0 {
			continue
		}
		s, err := p.journeySession(ctx, g, cat, id, evs, evs[0].ReceivedAt, nil)
		if err != nil {
			return err
		}
		for i, je := range relevant {
			s.SetNow(arrival(evs, relevant[i]))
			if err := s.Event(je); err != nil {
				return fmt.Errorf("journeys of profile %s at %s: %w", id, je.MessageID, err)
			}
		}
		fx, err := s.Effects()
		if err != nil {
			return err
		}
		out.add(fx)
	}
	b.jour = out
	return nil
}

// arrival is the processing time of an event: when it was received.
func arrival(evs []*event.Event, je *journey.Event) time.Time {
	for _, e := range evs {
		if e.MessageID == je.MessageID {
			return e.ReceivedAt.UTC()
		}
	}
	return je.Timestamp
}

// fireJourneyTimers runs the due journey timers of a page: each moves its
// instance on (a delay ending, a wait timing out) at the timer's due time.
func (p *Processor) fireJourneyTimers(ctx context.Context, due []store.Timer, out *jourOut, pages map[string]*preloaded) error {
	cat := p.journeys.Load()
	// pages, when not nil, was read ahead (segments_timers_ahead.go); else
	// it is read at the first journey timer.
	for _, t := range due {
		if t.Kind == store.TimerKindExperiment {
			if err := p.fireExperiment(ctx, t, out); err != nil {
				return fmt.Errorf("experiment %s: %w", t.Ref, err)
			}
			continue
		}
		if t.Kind == store.TimerKindSchedule {
			if out.timers == nil {
				out.timers = map[[2]string]store.Timer{}
			}
			if err := p.fireSchedule(ctx, t, out); err != nil {
				return fmt.Errorf("scheduled entry of journey %s: %w", t.Ref, err)
			}
			continue
		}
		if t.Kind != store.TimerKindJourney {
			continue
		}
		out.acks = append(out.acks, store.Timer{ID: t.ID, Kind: t.Kind, ProfileID: t.ProfileID, Ref: t.Ref})
		if cat.Empty() {
			continue
		}
		if pages == nil {
			var err error
			if pages, err = p.preloadTimers(ctx, due); err != nil {
				return err
			}
		}
		pre, ok := pages[t.ProfileID]
		if !ok {
			continue // erased or merged away: the instance moved with the merge or is gone
		}
		s, err := p.journeySession(ctx, nil, cat, t.ProfileID, nil, t.FireAt, pre)
		if err != nil {
			return err
		}
		if err := s.Timer(t); err != nil {
			return fmt.Errorf("journey timer %d of profile %s: %w", t.ID, t.ProfileID, err)
		}
		fx, err := s.Effects()
		if err != nil {
			return err
		}
		out.add(fx)
	}
	return nil
}

// preloaded is what a page of journey timers read for one surviving
// customer: instances and traits.
type preloaded struct {
	instances []store.JourneyInstance
	traits    map[string]store.Trait
}

// preloadTimers reads, for the customers of a page of timers' journey
// timers, their profiles, journey instances and traits: a query per
// prefetchPage customers each, instead of three per timer. Customers
// merged away or erased are left out.
func (p *Processor) preloadTimers(ctx context.Context, due []store.Timer) (map[string]*preloaded, error) {
	seen := map[string]bool{}
	var ids []string
	for _, t := range due {
		if t.Kind == store.TimerKindJourney && !seen[t.ProfileID] {
			seen[t.ProfileID] = true
			ids = append(ids, t.ProfileID)
		}
	}
	return p.preload(ctx, ids)
}

// preload reads the profiles, journey instances and traits of distinct
// customers, prefetchPage at a time; customers merged away or erased are
// left out.
func (p *Processor) preload(ctx context.Context, ids []string) (map[string]*preloaded, error) {
	out := make(map[string]*preloaded, len(ids))
	for page := range slices.Chunk(ids, prefetchPage) {
		var (
			profiles  []store.Profile
			instances []store.JourneyInstance
			traits    []store.ProfileTrait
		)
		// Three independent queries on three reader connections, at once.
		err := p.concurrently(
			func() (err error) {
				if profiles, err = p.state.GetProfiles(ctx, page...); err != nil {
					err = fmt.Errorf("load %d profiles: %w", len(page), err)
				}
				return err
			},
			func() (err error) {
				if instances, err = p.state.ProfilesInstances(ctx, page...); err != nil {
					err = fmt.Errorf("load journey instances of %d profiles: %w", len(page), err)
				}
				return err
			},
			func() (err error) {
				if traits, err = p.state.ProfilesTraits(ctx, page...); err != nil {
					err = fmt.Errorf("load traits of %d profiles: %w", len(page), err)
				}
				return err
			},
		)
		if err != nil {
			return nil, err
		}
		for _, pr := range profiles {
			if pr.MergedInto == "" {
				out[pr.ID] = &preloaded{traits: map[string]store.Trait{}}
			}
		}
		for _, in := range instances {
			if pre, ok := out[in.ProfileID]; ok {
				pre.instances = append(pre.instances, in)
			}
		}
		for _, t := range traits {
			if pre, ok := out[t.ProfileID]; ok {
				pre.traits[t.Path] = t.Trait
			}
		}
	}
	return out, nil
}

// profileUpdate is the body of a Profile Updated event (an update node).
type profileUpdate struct {
	Set       map[string]any     `json:"set"`
	Unset     []string           `json:"unset"`
	Increment map[string]float64 `json:"increment"`
}

// applyProfileUpdate applies an update node's trait changes to a profile.
func (p *Processor) applyProfileUpdate(ctx context.Context, g *graph, id string, e *event.Event) error {
	var body struct {
		Properties profileUpdate `json:"properties"`
	}
	if err := json.Unmarshal(e.Raw, &body); err != nil {
		return fmt.Errorf("decode %s: %w", e.MessageID, err)
	}
	u := body.Properties
	set := map[string]any{}
	for k, v := range u.Set {
		set[k] = v
	}
	if len(u.Increment) > 0 {
		cur, err := g.traits(ctx, id)
		if err != nil {
			return err
		}
		for k, d := range u.Increment {
			n := 0.0
			if t, ok := cur[k]; ok {
				_ = json.Unmarshal(t.Value, &n) //nolint:errcheck // a non-number counts from 0
			}
			set[k] = n + d
		}
	}
	if err := p.setTraits(ctx, g, id, set, e); err != nil {
		return err
	}
	if len(u.Unset) > 0 {
		cur, err := g.traits(ctx, id)
		if err != nil {
			return err
		}
		for _, path := range u.Unset {
			if t, ok := cur[path]; ok && !t.Computed {
				delete(cur, path)
				delete(g.b.dirty[id], path)
				mark(g.b.deleted, id, path)
			}
		}
	}
	return nil
}
