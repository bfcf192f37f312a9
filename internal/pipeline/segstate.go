package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// segState is a profile's committed segment memberships and segment timers,
// exactly as the store holds them. The processor keeps it in its cache so
// that a touched profile's membership is not queried every batch, and so
// that a profile timer is rewritten only when it moves earlier
// (foldProfileTimers). Before both, rewriting a timer per re-evaluated
// segment (every window of a profile moves with each of its events) was the
// largest cost of streaming with many segments (BENCHMARKS.md, segments).
type segState struct {
	in     map[string]bool      // segment id → member; nil when none
	timers map[string]time.Time // segment id → fire time of its pending timer; nil when none
}

// segStateOf returns profileID's committed segment state, from the cache or
// the store. The caller must not modify it.
func (p *Processor) segStateOf(ctx context.Context, profileID string) (*segState, error) {
	if st, ok := p.cache.segs.get(profileID); ok {
		return st, nil
	}
	states, err := p.loadSegStates(ctx, []string{profileID})
	if err != nil {
		return nil, err
	}
	return states[profileID], nil
}

// prefetchSegStates caches the segment states of the profiles in ids the
// cache does not hold, a query of memberships and one of timers per
// prefetchPage profiles: a page of due timers then costs a few queries
// instead of two per profile. Only between batches, or for profiles whose
// state the batch has not changed.
func (p *Processor) prefetchSegStates(ctx context.Context, ids []string) error {
	states, err := p.readSegStatesPaged(ctx, p.cache.segs.missing(ids))
	if err != nil {
		return err
	}
	for id, st := range states {
		p.cache.segs.put(id, st)
	}
	return nil
}

// readSegStatesPaged is readSegStates a query per prefetchPage profiles.
func (p *Processor) readSegStatesPaged(ctx context.Context, ids []string) (map[string]*segState, error) {
	out := make(map[string]*segState, len(ids))
	for page := range slices.Chunk(ids, prefetchPage) {
		states, err := p.readSegStates(ctx, page)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, states)
	}
	return out, nil
}

// loadSegStates reads the segment states of ids from the store, caches
// them and returns them by profile id: an empty state for a profile with
// neither membership nor timer.
func (p *Processor) loadSegStates(ctx context.Context, ids []string) (map[string]*segState, error) {
	states, err := p.readSegStates(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		p.cache.segs.put(id, states[id])
	}
	return states, nil
}

// readSegStates reads the segment states of ids from the store without
// touching the cache, so it may run beside the processor goroutine.
func (p *Processor) readSegStates(ctx context.Context, ids []string) (map[string]*segState, error) {
	rows, err := p.state.ProfileSegments(ctx, ids...)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load segments of profile %s: %w", ids[0], err)
	}
	timers, err := p.state.ProfileTimers(ctx, store.TimerKindSegment, ids...)
	if err != nil {
		return nil, fmt.Errorf("load segment timers of profile %s: %w", ids[0], err)
	}
	return segStatesOf(ids, rows, timers), nil
}

// readSegStatesBetween is readSegStates for ids that are a run of the
// alive index (a backfill page): two range reads instead of a seek per
// profile. Rows of ids in between (profiles merged away keep none) are
// not kept.
func (p *Processor) readSegStatesBetween(ctx context.Context, ids []string) (map[string]*segState, error) {
	first, last := ids[0], ids[len(ids)-1]
	rows, err := p.state.ProfileSegmentsBetween(ctx, first, last)
	if err != nil {
		return nil, fmt.Errorf("load segments of profiles %s to %s: %w", first, last, err)
	}
	timers, err := p.state.ProfileTimersBetween(ctx, store.TimerKindSegment, first, last)
	if err != nil {
		return nil, fmt.Errorf("load segment timers of profiles %s to %s: %w", first, last, err)
	}
	return segStatesOf(ids, rows, timers), nil
}

// segStatesOf is the segment state of each of ids from its membership
// and segment timer rows: an empty state (nil maps, as most profiles of a
// backfill page have) for a profile with neither.
func segStatesOf(ids []string, rows []store.SegmentMember, timers []store.Timer) map[string]*segState {
	states := make(map[string]*segState, len(ids))
	all := make([]segState, len(ids))
	for i, id := range ids {
		states[id] = &all[i]
	}
	for _, r := range rows {
		if st, ok := states[r.ProfileID]; ok {
			st.join(r.SegmentID)
		}
	}
	for _, t := range timers {
		if st, ok := states[t.ProfileID]; ok {
			st.setTimer(t.Ref, t.FireAt)
		}
	}
	return states
}

func (st *segState) join(segmentID string) {
	if st.in == nil {
		st.in = map[string]bool{}
	}
	st.in[segmentID] = true
}

func (st *segState) setTimer(ref string, at time.Time) {
	if st.timers == nil {
		st.timers = map[string]time.Time{}
	}
	st.timers[ref] = at
}

// currentSegments is a profile's committed membership as a set the caller
// may modify.
func (p *Processor) currentSegments(ctx context.Context, profileID string) (map[string]bool, error) {
	st, err := p.segStateOf(ctx, profileID)
	if err != nil {
		return nil, err
	}
	cur := maps.Clone(st.in)
	if cur == nil {
		cur = map[string]bool{}
	}
	return cur, nil
}

// profileTimerRef is the Ref of a profile's one segment timer (segOut).
// Segment ids cannot contain "*", so it never names a segment; timers whose
// Ref is a segment id are those of stores written before, still honoured.
const profileTimerRef = "*"

// apply commits pb through the state store. It is the one way the processor
// writes derived state, so the cached segment states stay what the store
// holds: profile timers are folded with the pending one first, and the
// cache follows what was committed.
func (p *Processor) apply(ctx context.Context, pb *store.ProcessBatch) error {
	if err := p.foldProfileTimers(ctx, pb); err != nil {
		return err
	}
	pb.OutboxClear = p.appended
	p.skipReplayedSends(pb)
	if err := p.state.Apply(ctx, pb); err != nil {
		return err
	}
	p.appended = nil
	p.commitSegState(pb)
	return nil
}

type profileRef struct{ profile, ref string }

// foldProfileTimers makes each profile timer in pb the earlier of its
// instant and the profile's pending timer, and drops the write when that
// is the pending timer itself. An evaluation covers only the segments an
// event could affect, so the pending instant (another segment's boundary)
// still stands; when it belonged to a segment whose boundary moved, the
// timer fires early, re-evaluates everything (segment.FireAll) and is
// replaced by the exact instant. A pending timer acknowledged in pb has
// fired: the FireAll result replaces it as is.
func (p *Processor) foldProfileTimers(ctx context.Context, pb *store.ProcessBatch) error {
	if len(pb.Timers) == 0 {
		return nil
	}
	losers := map[string]bool{}
	for _, m := range pb.Merges {
		if !m.Refused {
			losers[m.Loser] = true
		}
	}
	fired := map[profileRef]bool{}
	for _, d := range pb.TimerDeletes {
		if d.Kind == store.TimerKindSegment && d.ID != 0 {
			fired[profileRef{d.ProfileID, d.Ref}] = true
		}
	}
	keep := pb.Timers[:0]
	for _, t := range pb.Timers {
		if t.Kind != store.TimerKindSegment || t.Ref != profileTimerRef || losers[t.ProfileID] ||
			fired[profileRef{t.ProfileID, t.Ref}] {
			keep = append(keep, t)
			continue
		}
		st, err := p.segStateOf(ctx, t.ProfileID)
		if err != nil {
			return err
		}
		if pending, ok := st.timers[profileTimerRef]; ok && !t.FireAt.Before(pending) {
			continue
		}
		keep = append(keep, t)
	}
	pb.Timers = keep
	return nil
}

// commitSegState updates the cached segment states with what pb committed.
// A profile whose outcome the cache cannot tell (a timer acknowledged by id
// and not replaced) is dropped and re-read when next needed.
func (p *Processor) commitSegState(pb *store.ProcessBatch) {
	c := &p.cache.segs
	for _, m := range pb.Merges {
		if !m.Refused {
			c.del(m.Loser)
		}
	}
	for _, j := range pb.SegmentJoins {
		if st, ok := c.peek(j.ProfileID); ok {
			st.join(j.SegmentID)
		}
	}
	for _, l := range pb.SegmentLeaves {
		if st, ok := c.peek(l.ProfileID); ok {
			delete(st.in, l.SegmentID)
		}
	}
	written := map[profileRef]bool{}
	for _, t := range pb.Timers {
		if t.Kind != store.TimerKindSegment {
			continue
		}
		written[profileRef{t.ProfileID, t.Ref}] = true
		if st, ok := c.peek(t.ProfileID); ok {
			st.setTimer(t.Ref, t.FireAt)
		}
	}
	for _, d := range pb.TimerDeletes {
		if d.Kind != store.TimerKindSegment {
			continue
		}
		switch {
		case d.ID == 0:
			if st, ok := c.peek(d.ProfileID); ok {
				delete(st.timers, d.Ref)
			}
		case !written[profileRef{d.ProfileID, d.Ref}]:
			c.del(d.ProfileID)
		}
	}
}
