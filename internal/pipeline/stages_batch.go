package pipeline

import (
	"context"
	"time"

	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
)

// evalStages computes, after the batch's segment transitions, the stage of
// each touched profile that may have changed stage — one with a transition,
// one created in this batch, a merge winner — and writes the changed stage
// trait into the batch, to commit with it.
func (p *Processor) evalStages(ctx context.Context, g *graph) error {
	m := p.stageModel.Load()
	b := g.b
	if m == nil || len(b.touches) == 0 {
		return nil
	}
	if b.seg == nil {
		b.seg = &segOut{}
	}
	at := map[string]time.Time{}   // candidate → when its stage changes
	created := map[string]bool{}   // created in this batch: no committed membership
	committed := map[string]bool{} // has committed memberships to read
	for _, tc := range b.touches {
		id := b.final(tc.profileID)
		if tc.created {
			created[id] = true
			at[id] = later(at[id], tc.ev.ReceivedAt)
		}
	}
	for _, em := range b.seg.emits {
		at[em.profileID] = later(at[em.profileID], em.t.At)
		committed[em.profileID] = true
	}
	for _, mg := range b.merges {
		if !mg.Refused {
			id := b.final(mg.Winner)
			committed[id] = true
			if _, ok := at[id]; !ok {
				at[id] = latestArrival(b, id)
			}
		}
	}
	for _, id := range sortedKeys(at) {
		pr, ok := b.profiles[id]
		if !ok || pr.MergedInto != "" {
			continue
		}
		cur := map[string]bool{}
		if committed[id] || !created[id] {
			var err error
			if cur, err = p.currentSegments(ctx, id); err != nil {
				return err
			}
		}
		to := m.stageOf(func(seg string) bool {
			if mem, ok := b.seg.members[[2]string{id, seg}]; ok {
				return mem != nil
			}
			return cur[seg]
		})
		traits, err := g.traits(ctx, id)
		if err != nil {
			return err
		}
		from := stageValue(traits)
		if from == to {
			continue
		}
		when := at[id].UTC().Truncate(time.Microsecond)
		t := p.stageTrait(id, to, when)
		for _, c := range profile.Conflicts(t.Path, traits) {
			delete(traits, c)
			delete(b.dirty[id], c)
			mark(b.deleted, id, c)
		}
		traits[t.Path] = t.Trait
		mark(b.dirty, id, t.Path)
		delete(b.deleted[id], t.Path)
		b.seg.stages = append(b.seg.stages, stageChange{profileID: id, from: from, to: to, version: m.version, at: when})
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// latestArrival is the newest arrival time of the profile's events in the batch.
func latestArrival(b *batch, id string) time.Time {
	var at time.Time
	for _, tc := range b.touches {
		if b.final(tc.profileID) == id {
			at = later(at, tc.ev.ReceivedAt)
		}
	}
	return at
}

// stagesOutside computes the stage of each profile with a transition in o
// (timers, backfill) and adds the changed stage traits to pb.
func (p *Processor) stagesOutside(ctx context.Context, o *segOut, pb *store.ProcessBatch) error {
	m := p.stageModel.Load()
	if m == nil || len(o.emits) == 0 {
		return nil
	}
	at := map[string]time.Time{}
	for _, em := range o.emits {
		at[em.profileID] = later(at[em.profileID], em.t.At)
	}
	for _, id := range sortedKeys(at) {
		pending := map[string]bool{}
		for seg := range m.segments {
			if mem, ok := o.members[[2]string{id, seg}]; ok {
				pending[seg] = mem != nil
			}
		}
		ch, t, err := p.committedStage(ctx, m, id, pending, at[id].UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if t != nil {
			pb.Traits = append(pb.Traits, *t)
			o.stages = append(o.stages, ch)
		}
	}
	return nil
}

// stageProps are the properties of a Stage Changed event.
type stageProps struct {
	ProfileID    string    `json:"profile_id"`
	From         string    `json:"from"`
	To           string    `json:"to"`
	ModelVersion int       `json:"model_version"`
	At           time.Time `json:"at"`
}
