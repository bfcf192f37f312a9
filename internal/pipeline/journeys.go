package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// JourneyState is what the processor reads of journeys.
type JourneyState interface {
	ListJourneys(ctx context.Context) ([]store.Journey, error)
	JourneyVersions(ctx context.Context, id string) ([]store.JourneyVersion, error)
	ProfileInstances(ctx context.Context, profileID string) ([]store.JourneyInstance, error)
	ProfilesInstances(ctx context.Context, profileIDs ...string) ([]store.JourneyInstance, error)
	GetProfiles(ctx context.Context, ids ...string) ([]store.Profile, error)
	ListInstances(ctx context.Context, q store.InstanceQuery) ([]store.JourneyInstance, error)
	SegmentMembers(ctx context.Context, segmentID, afterProfileID string, limit int) ([]store.SegmentMember, error)
	GetConfig(ctx context.Context, kind, id string) (store.ConfigObject, error)
	PutConfig(ctx context.Context, o store.ConfigObject) error
	ListConfig(ctx context.Context, kind string) ([]store.ConfigObject, error)
	DeleteConfig(ctx context.Context, kind, id string) error
	CountProfiles(ctx context.Context) (int64, error)
}

// loadJourneys builds the journey catalog: every published version of
// every journey (versions are few; instances stay pinned to theirs).
func (p *Processor) loadJourneys(ctx context.Context) (*journey.Catalog, error) {
	js, err := p.state.ListJourneys(ctx)
	if err != nil {
		return nil, fmt.Errorf("load journeys: %w", err)
	}
	var vs []*journey.Version
	for _, j := range js {
		rows, err := p.state.JourneyVersions(ctx, j.ID)
		if err != nil {
			return nil, fmt.Errorf("load versions of journey %s: %w", j.ID, err)
		}
		for _, r := range rows {
			d, err := journey.ParseJSON(r.Definition)
			if err == nil {
				err = d.Validate(nil)
			}
			if err != nil {
				p.logger.Error("journey version does not load", slog.String("journey_id", j.ID), slog.Int("version", r.Version), slog.Any("error", err))
				continue
			}
			vs = append(vs, &journey.Version{JourneyID: j.ID, Number: r.Version, Def: d, PublishedAt: r.PublishedAt})
		}
	}
	winners, err := p.experimentWinners(ctx)
	if err != nil {
		return nil, err
	}
	return journey.NewCatalog(js, vs).WithWinners(winners), nil
}

// ReloadJourneys re-reads journey definitions after a publish, pause or
// resume. It runs on the processor goroutine (through Do) so no batch sees
// half a change.
func (p *Processor) ReloadJourneys(ctx context.Context) error {
	return p.Do(ctx, func(ctx context.Context) error {
		c, err := p.loadJourneys(ctx)
		if err != nil {
			return err
		}
		p.journeys.Store(c)
		if err := p.syncExperiments(ctx); err != nil {
			return err
		}
		return p.syncSchedules(ctx)
	})
}

// jourOut collects the journey effects of one transaction.
type jourOut struct {
	fx     journey.Effects
	timers map[[2]string]store.Timer // (profile, instance) → last decision; zero FireAt deletes
	acks   []store.Timer
	after  []func(ctx context.Context) error // run after the transaction commits (schedule progress)
}

// committed runs the after-commit work.
func (o *jourOut) committed(ctx context.Context) error {
	if o == nil {
		return nil
	}
	for _, fn := range o.after {
		if err := fn(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (o *jourOut) add(fx *journey.Effects) {
	if o.timers == nil {
		o.timers = map[[2]string]store.Timer{}
	}
	o.fx.Instances = append(o.fx.Instances, fx.Instances...)
	o.fx.Sends = append(o.fx.Sends, fx.Sends...)
	o.fx.Events = append(o.fx.Events, fx.Events...)
	for _, t := range fx.Timers {
		o.timers[[2]string{t.ProfileID, t.Ref}] = t
	}
	for _, t := range fx.TimerDeletes {
		o.timers[[2]string{t.ProfileID, t.Ref}] = t
	}
}

func (o *jourOut) empty() bool {
	return o == nil || (len(o.fx.Instances) == 0 && len(o.fx.Sends) == 0 && len(o.timers) == 0 && len(o.acks) == 0 && len(o.after) == 0)
}

// fill adds the effects to pb: later rows of one instance replace earlier ones.
func (o *jourOut) fill(pb *store.ProcessBatch) {
	if o == nil {
		return
	}
	last := map[string]int{}
	for i, in := range o.fx.Instances {
		last[in.ID] = i
	}
	for i, in := range o.fx.Instances {
		if last[in.ID] == i {
			pb.Instances = append(pb.Instances, in)
		}
	}
	pb.Sends = append(pb.Sends, o.fx.Sends...)
	keys := make([][2]string, 0, len(o.timers))
	for k := range o.timers {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpPair)
	for _, k := range keys {
		t := o.timers[k]
		if t.FireAt.IsZero() {
			pb.TimerDeletes = append(pb.TimerDeletes, t)
		} else {
			pb.Timers = append(pb.Timers, t)
		}
	}
	pb.TimerDeletes = append(pb.TimerDeletes, o.acks...)
}

// session opens a journey session for a surviving profile of the batch.
func (p *Processor) journeySession(ctx context.Context, g *graph, cat *journey.Catalog, id string, evs []*event.Event, now time.Time, pre *preloaded) (*journey.Session, error) {
	var rows []store.JourneyInstance
	if pre != nil {
		rows = pre.instances
	} else {
		var err error
		if rows, err = p.state.ProfileInstances(ctx, id); err != nil {
			return nil, fmt.Errorf("load journey instances of profile %s: %w", id, err)
		}
	}
	var snap *segment.Snapshot
	getSnap := func() (segment.Snapshot, error) {
		if snap != nil {
			return *snap, nil
		}
		s := segment.Snapshot{ProfileID: id}
		if g != nil {
			traits, err := g.traits(ctx, id)
			if err != nil {
				return s, err
			}
			if s.Traits, err = traitsOf(traits); err != nil {
				return s, err
			}
			if s.Events, _, err = p.batchEvents(ctx, g.b, id, evs); err != nil {
				return s, err
			}
		} else {
			var err error
			if s, err = p.committedSnapshot(ctx, id); err != nil {
				return s, err
			}
		}
		snap = &s
		return s, nil
	}
	var current map[string]bool
	inSegment := func(seg string) bool {
		if current == nil {
			cur, err := p.currentSegments(ctx, id)
			if err != nil {
				p.logger.Warn("load segments for a journey wait", slog.String("profile_id", id), slog.Any("error", err))
				return false
			}
			if g != nil && g.b.seg != nil {
				for k, m := range g.b.seg.members {
					if k[0] == id {
						cur[k[1]] = m != nil
					}
				}
			}
			current = cur
		}
		return current[seg]
	}
	// getTraits loads the traits alone (no events), once.
	var traitsOnly map[string]any
	getTraits := func() (map[string]any, error) {
		if traitsOnly != nil {
			return traitsOnly, nil
		}
		var rows map[string]store.Trait
		var err error
		switch {
		case g != nil:
			rows, err = g.traits(ctx, id)
		case pre != nil:
			rows = pre.traits
		default:
			var list []store.Trait
			list, err = p.state.ProfileTraits(ctx, id)
			rows = make(map[string]store.Trait, len(list))
			for _, t := range list {
				rows[t.Path] = t
			}
		}
		if err != nil {
			return nil, err
		}
		if traitsOnly, err = traitsOf(rows); err != nil {
			return nil, err
		}
		return traitsOnly, nil
	}
	idx := p.segIndex()
	prof := journey.Profile{
		ID: id, Snapshot: getSnap, InSegment: inSegment, Segments: idx.Lookup,
		Zone: func() *time.Location {
			if snap != nil {
				return zoneOf(snap.Traits)
			}
			traits, err := getTraits()
			if err != nil {
				return time.UTC
			}
			return zoneOf(traits)
		},
		Traits: func() (map[string]any, error) {
			if snap != nil {
				return snap.Traits, nil
			}
			return getTraits()
		},
	}
	return journey.NewSession(cat, now, prof, rows)
}

// zoneOf resolves a customer's time zone from traits (timezone, then address).
func zoneOf(traits map[string]any) *time.Location {
	str := func(k string) string {
		v, _ := traits[k].(string)
		return v
	}
	loc, _ := policy.ResolveZone(policy.ZoneInput{Timezone: str("timezone"), Country: str("address.country"), Region: str("address.state")}, time.UTC)
	return loc
}

// journeyEvent converts a stored event for the engine, its body decoded
// only if a journey reads its properties (most events start, end or advance
// nothing).
func (p *Processor) journeyEvent(e *event.Event) *journey.Event {
	return &journey.Event{Event: segment.LazyEventFrom(e, nil), MessageID: e.MessageID, Internal: p.isInternal(e)}
}

// isInternal reports whether e is one of Cairn's own timeline events.
func (p *Processor) isInternal(e *event.Event) bool {
	return p.internalSource != "" && e.SourceID == p.internalSource
}
