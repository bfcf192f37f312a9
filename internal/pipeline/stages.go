package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// StageState is what the lifecycle stage computation reads.
type StageState interface {
	GetStageModel(ctx context.Context, id string) (store.StageModel, error)
}

// Names of the lifecycle stage trait and event.
const (
	// TraitLifecycleStage is the computed profile trait holding the stage.
	TraitLifecycleStage = "lifecycle_stage"
	// EventStageChanged is emitted from the internal source when a
	// profile's stage changes.
	EventStageChanged = "Stage Changed"
)

// stageModel is the active model as the processor uses it.
type stageModel struct {
	version  int
	stages   []store.Stage
	fallback string // the default stage
	segments map[string]bool
}

func newStageModel(m store.StageModel) *stageModel {
	sm := &stageModel{version: m.Version, stages: m.Stages, fallback: m.Default, segments: map[string]bool{}}
	for _, s := range m.Stages {
		sm.segments[s.SegmentID] = true
	}
	return sm
}

// stageOf is the first stage whose segment member reports, else the default.
func (m *stageModel) stageOf(member func(segmentID string) bool) string {
	for _, s := range m.stages {
		if member(s.SegmentID) {
			return s.Name
		}
	}
	return m.fallback
}

// stageChange is a profile's move from one stage to another.
type stageChange struct {
	profileID, from, to string
	version             int
	at                  time.Time
}

// loadStages reads the active stage model; nil when none is saved.
func (p *Processor) loadStages(ctx context.Context) (*stageModel, error) {
	m, err := p.state.GetStageModel(ctx, store.StageModelDefault)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil //nolint:nilnil // no model: stages are off
	}
	if err != nil {
		return nil, fmt.Errorf("load stage model: %w", err)
	}
	return newStageModel(m), nil
}

// ReloadStages re-reads the stage model after it changed and recomputes
// the stage of every profile, on the processor goroutine.
func (p *Processor) ReloadStages(ctx context.Context) error {
	return p.Do(ctx, func(ctx context.Context) error {
		m, err := p.loadStages(ctx)
		if err != nil {
			return err
		}
		p.stageModel.Store(m)
		return p.restageAll(ctx, m)
	})
}

// restage recomputes every profile's stage when the model uses segmentID
// (its memberships were just cleared and recomputed).
func (p *Processor) restage(ctx context.Context, segmentID string) error {
	m := p.stageModel.Load()
	if m == nil || !m.segments[segmentID] {
		return nil
	}
	return p.restageAll(ctx, m)
}

// restageAll computes the stage of every surviving profile at the clock's
// now from its committed memberships, a page per transaction.
func (p *Processor) restageAll(ctx context.Context, m *stageModel) error {
	if m == nil {
		return nil
	}
	now := p.clk.Now().UTC().Truncate(time.Microsecond)
	after := ""
	for {
		page, err := p.state.FindProfiles(ctx, "", nil, after, backfillPage)
		if err != nil {
			return fmt.Errorf("list profiles after %q: %w", after, err)
		}
		if len(page) == 0 {
			return nil
		}
		after = page[len(page)-1].ID
		pb := &store.ProcessBatch{Checkpoint: p.checkpoint.Load()}
		var changes []stageChange
		for _, pr := range page {
			if pr.MergedInto != "" {
				continue
			}
			ch, t, err := p.committedStage(ctx, m, pr.ID, nil, now)
			if err != nil {
				return err
			}
			if t != nil {
				pb.Traits = append(pb.Traits, *t)
				changes = append(changes, ch)
			}
		}
		if len(pb.Traits) == 0 {
			continue
		}
		ob := p.outgoingOf(nil, changes, nil)
		if err := p.commitWith(ctx, pb, ob); err != nil {
			return fmt.Errorf("commit %d stage changes: %w", len(pb.Traits), err)
		}
		p.cacheStages(pb.Traits)
		p.publish(ctx, ob)
	}
}

// committedStage computes a profile's stage from its committed
// memberships overlaid with pending ones (segment → member, may be nil) and
// compares it with its committed stage trait. It returns the change and
// the trait to write, or a nil trait when the stage is unchanged.
func (p *Processor) committedStage(ctx context.Context, m *stageModel, id string, pending map[string]bool, at time.Time) (stageChange, *store.ProfileTrait, error) {
	cur, err := p.currentSegments(ctx, id)
	if err != nil {
		return stageChange{}, nil, err
	}
	to := m.stageOf(func(seg string) bool {
		if in, ok := pending[seg]; ok {
			return in
		}
		return cur[seg]
	})
	traits, ok := p.cache.traitsOf(id)
	if !ok {
		rows, err := p.state.ProfileTraits(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return stageChange{}, nil, fmt.Errorf("load traits of profile %s: %w", id, err)
		}
		traits = make(map[string]store.Trait, len(rows))
		for _, r := range rows {
			traits[r.Path] = r
		}
	}
	from := stageValue(traits)
	if from == to {
		return stageChange{}, nil, nil
	}
	t := p.stageTrait(id, to, at)
	return stageChange{profileID: id, from: from, to: to, version: m.version, at: at}, &t, nil
}

// stageValue reads the stage trait of a trait map ("" when absent).
func stageValue(traits map[string]store.Trait) string {
	t, ok := traits[TraitLifecycleStage]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(t.Value, &s) != nil {
		return "" // not a string: rewritten by the next computation
	}
	return s
}

func (p *Processor) stageTrait(id, stage string, at time.Time) store.ProfileTrait {
	v, _ := json.Marshal(stage) // a string always encodes
	return store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: TraitLifecycleStage, Value: v, Time: at,
		SourceID: p.internalSource, Computed: true}}
}

// cacheStages writes committed stage traits through to the cache.
func (p *Processor) cacheStages(rows []store.ProfileTrait) {
	for _, r := range rows {
		if r.Path != TraitLifecycleStage {
			continue
		}
		if t, ok := p.cache.traitsOf(r.ProfileID); ok {
			t[r.Path] = r.Trait
			p.cache.traits.put(r.ProfileID, t)
		}
	}
}

// cacheComputed applies computed trait rows written outside a batch (timer
// recomputations) to the cached traits of their profiles.
func (p *Processor) cacheComputed(rows, deletes []store.ProfileTrait) {
	for _, r := range rows {
		if !r.Computed {
			continue
		}
		if t, ok := p.cache.traitsOf(r.ProfileID); ok {
			t[r.Path] = r.Trait
			p.cache.traits.put(r.ProfileID, t)
		}
	}
	for _, r := range deletes {
		if t, ok := p.cache.traitsOf(r.ProfileID); ok {
			delete(t, r.Path)
			p.cache.traits.put(r.ProfileID, t)
		}
	}
}

// StageMessageID is the deterministic message id of a Stage Changed event,
// so a copy re-emitted after a crash is deduplicated by the log.
func StageMessageID(profileID, from, to string, at time.Time) string {
	b := make([]byte, 0, 96)
	b = append(b, "cairn.stage.change.v1"...)
	for _, f := range []string{profileID, from, to} {
		b = strconv.AppendInt(append(b, 0), int64(len(f)), 10)
		b = append(append(b, ':'), f...)
	}
	b = strconv.AppendInt(append(b, 0), at.UnixNano(), 10)
	return segment.ProfileOrderedID("stg_", at, profileID, b)
}
