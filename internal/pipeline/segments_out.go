package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// segOut collects the membership and timer changes of one transaction.
// The last change of a (profile, segment) pair wins, so a join followed by
// a leave in the same transaction stores the leave.
type segOut struct {
	members map[[2]string]*store.SegmentMember // (profile, segment) → join, or nil for a leave
	// timers holds per profile the earliest instant at which any segment it
	// was evaluated for may flip: one segment timer per profile (ref
	// profileTimerRef), not one per segment, so an event that moves every
	// window of a profile rewrites one row. Apply keeps the earlier of this
	// and the pending timer (segstate.go).
	timers map[string]time.Time
	acks   []store.Timer // fired timers, deleted by id
	emits  []emission
	stages []stageChange // lifecycle stage changes (stages*.go)
	jour   *jourOut      // journey effects of fired journey timers (journeys*.go)
	// Windowed computed traits recomputed by their timers (computed_timers.go).
	traits, traitDeletes []store.ProfileTrait
	compTimers           map[[2]string]time.Time
}

// emission is a transition to report as a Segment Entered/Exited event.
type emission struct {
	profileID string
	t         segment.Transition
}

func (o *segOut) add(profileID string, res segment.Result) {
	if o.members == nil {
		o.members = map[[2]string]*store.SegmentMember{}
		o.timers = map[string]time.Time{}
	}
	for _, t := range res.Transitions {
		k := [2]string{profileID, t.SegmentID}
		if t.Entered {
			o.members[k] = &store.SegmentMember{SegmentID: t.SegmentID, ProfileID: profileID, Version: t.Version, Since: t.At}
		} else {
			o.members[k] = nil
		}
		o.emits = append(o.emits, emission{profileID: profileID, t: t})
	}
	if at := res.Next; !at.IsZero() {
		if prev, had := o.timers[profileID]; !had || at.Before(prev) {
			o.timers[profileID] = at
		}
	}
}

func (o *segOut) empty() bool {
	return len(o.members) == 0 && len(o.timers) == 0 && len(o.acks) == 0 && o.jour.empty() &&
		len(o.traits) == 0 && len(o.traitDeletes) == 0 && len(o.compTimers) == 0
}

func cmpPair(a, b [2]string) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

// fill adds the changes to pb in a deterministic order.
func (o *segOut) fill(pb *store.ProcessBatch) {
	keys := make([][2]string, 0, len(o.members))
	for k := range o.members {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpPair)
	for _, k := range keys {
		if m := o.members[k]; m != nil {
			pb.SegmentJoins = append(pb.SegmentJoins, *m)
		} else {
			pb.SegmentLeaves = append(pb.SegmentLeaves, store.SegmentMember{ProfileID: k[0], SegmentID: k[1]})
		}
	}
	for _, id := range sortedKeys(o.timers) {
		pb.Timers = append(pb.Timers, store.Timer{Kind: store.TimerKindSegment, ProfileID: id, Ref: profileTimerRef, FireAt: o.timers[id]})
	}
	// Acknowledge by id: a replacement written above has a new id and stays.
	pb.TimerDeletes = append(pb.TimerDeletes, o.acks...)
}

// commitSegments writes changes made outside a log batch (timers, backfill)
// in one transaction that keeps the checkpoint, then reports transitions.
func (p *Processor) commitSegments(ctx context.Context, o *segOut) error {
	if o.empty() {
		return nil
	}
	pb := &store.ProcessBatch{Checkpoint: p.checkpoint.Load(), Traits: o.traits, TraitDeletes: o.traitDeletes}
	o.fill(pb)
	o.jour.fill(pb)
	fillComputedTimers(o.compTimers, pb)
	if err := p.stagesOutside(ctx, o, pb); err != nil {
		return err
	}
	emits, stages := o.emitted()
	out := p.outgoingOf(emits, stages, o.jour.emitted())
	if err := p.commitWith(ctx, pb, out); err != nil {
		return fmt.Errorf("commit %d segment changes: %w", len(pb.SegmentJoins)+len(pb.SegmentLeaves)+len(pb.Timers)+len(pb.TimerDeletes), err)
	}
	p.cacheStages(pb.Traits)
	p.cacheComputed(pb.Traits, pb.TraitDeletes)
	p.publish(ctx, out)
	if o.jour != nil {
		p.notifySends(o.jour)
		return o.jour.committed(ctx)
	}
	return nil
}

// internalProps are the properties of a Segment Entered/Exited event.
type internalProps struct {
	ProfileID string    `json:"profile_id"`
	SegmentID string    `json:"segment_id,omitempty"`
	Version   int       `json:"version,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at"`
}
