package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

const (
	timerPage   = 1000 // due timers fired per transaction
	timerChunk  = 4000 // due timers read at once, fired a page at a time
	timerRounds = 100  // pages per fireDue call, so a burst cannot starve the log
)

// fireDue fires the segment timers due at the clock's now, in due order, a
// page per transaction (memberships, new timers and the acknowledgement of
// the fired timers together, keeping the checkpoint). It reads due timers
// a chunk of pages at a time, and what the next page's profiles need while
// a page commits (segments_timers_ahead.go). It returns how many timers it
// handled.
func (p *Processor) fireDue(ctx context.Context) (int, error) {
	// What a crash or a failed append left goes first: the pages' events
	// publish behind it (publish).
	if err := p.drainOutbox(ctx); err != nil {
		return 0, err
	}
	fired := 0
	var (
		chunk []store.Timer      // read and not fired yet
		seen  map[string]bool    // profiles of the chunk fired so far
		ahead <-chan *timerAhead // reads for chunk's first page
	)
	for range timerRounds {
		if len(chunk) == 0 { // (again: a page may have made new timers due)
			due, err := p.state.DueTimers(ctx, p.clk.Now(), timerChunk)
			if err != nil {
				return fired, fmt.Errorf("read due timers: %w", err)
			}
			if len(due) == 0 {
				return fired, nil
			}
			chunk, seen = due, map[string]bool{}
		}
		due := nextTimerPage(chunk)
		chunk = chunk[len(due):]
		var journeys map[string]*preloaded
		if ahead != nil {
			a := <-ahead
			if err := p.installAhead(a); err != nil {
				return fired, err
			}
			journeys, ahead = a.journeys, nil
		}
		out := &segOut{jour: &jourOut{}}
		if err := p.fireTimers(ctx, due, out); err != nil {
			return fired, err
		}
		if err := p.fireComputedTimers(ctx, due, out); err != nil {
			return fired, err
		}
		if err := p.fireJourneyTimers(ctx, due, out.jour, journeys); err != nil {
			return fired, err
		}
		for _, t := range due {
			seen[t.ProfileID] = true
		}
		if len(chunk) > 0 {
			// A profile met again (another instant of its timers) may see
			// this commit change its timers: read the chunk afresh then.
			if slices.ContainsFunc(nextTimerPage(chunk), func(t store.Timer) bool { return seen[t.ProfileID] }) {
				chunk = nil
			} else {
				ahead = p.readTimersAhead(ctx, nextTimerPage(chunk))
			}
		}
		err := p.commitSegments(ctx, out)
		if err != nil {
			if ahead != nil {
				<-ahead // it reads the store: waited for before returning
			}
			return fired, err
		}
		fired += len(due)
	}
	if ahead != nil {
		<-ahead // a chunk left for the next call, which reads it afresh
	}
	return fired, nil
}

// profileState is a profile's snapshot and membership while its timers
// fire, and the timers of the page that are its own (indexes into due).
type profileState struct {
	snap    segment.Snapshot
	current map[string]bool
	timers  []int
}

// timerResult is what firing one timer decided.
type timerResult struct {
	res segment.Result
	err error
	set bool
}

// fireTimers fires a page of due segment timers: what each profile reads
// is gathered on the processor goroutine, the profiles are evaluated in
// parallel (each fires its own timers in order), and the results are added
// in the page's order.
func (p *Processor) fireTimers(ctx context.Context, due []store.Timer, out *segOut) error {
	idx := p.segIndex()
	var ids []string
	for _, t := range due {
		if t.Kind == store.TimerKindSegment {
			ids = append(ids, t.ProfileID)
		}
	}
	// Two caches, two queries per page: read both at once.
	if err := p.concurrently(
		func() error { return p.prefetchHistories(ctx, ids) },
		func() error { return p.prefetchSegStates(ctx, ids) },
	); err != nil {
		return err
	}
	profiles := map[string]*profileState{}
	var order []*profileState
	for i, t := range due {
		if t.Kind != store.TimerKindSegment {
			continue // not ours: another engine acknowledges it
		}
		out.acks = append(out.acks, store.Timer{ID: t.ID, Kind: t.Kind, ProfileID: t.ProfileID, Ref: t.Ref})
		ps, seen := profiles[t.ProfileID]
		if !seen {
			var err error
			if ps, err = p.timerProfile(ctx, t.ProfileID); err != nil {
				return err
			}
			profiles[t.ProfileID] = ps
			if ps != nil {
				order = append(order, ps)
			}
		}
		if ps != nil { // else merged away or erased: only acknowledge
			ps.timers = append(ps.timers, i)
		}
	}
	results := make([]timerResult, len(due))
	p.parallel(len(order), func(k int) {
		ps := order[k]
		for _, i := range ps.timers {
			t := due[i]
			r := &results[i]
			r.set = true
			if t.Ref == profileTimerRef {
				r.res, r.err = segment.FireAll(idx, ps.snap, ps.current, t.FireAt, idx.Lookup)
			} else { // one timer per segment, as stores written before profile timers hold
				r.res, r.err = segment.Fire(idx, ps.snap, ps.current, t.Ref, t.FireAt, idx.Lookup)
			}
			if r.err != nil {
				return
			}
			for _, tr := range r.res.Transitions {
				ps.current[tr.SegmentID] = tr.Entered
			}
		}
	})
	for i, r := range results {
		if !r.set {
			continue
		}
		if r.err != nil {
			return fmt.Errorf("fire timer %d of profile %s: %w", due[i].ID, due[i].ProfileID, r.err)
		}
		out.add(due[i].ProfileID, r.res)
	}
	return nil
}

// timerProfile loads a surviving profile's committed snapshot; nil when it
// no longer exists or was merged away.
func (p *Processor) timerProfile(ctx context.Context, id string) (*profileState, error) {
	pr, ok := p.cache.profile(id)
	if !ok {
		var err error
		pr, err = p.state.GetProfile(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil //nolint:nilnil // nil state means "acknowledge only"
		}
		if err != nil {
			return nil, fmt.Errorf("load profile %s: %w", id, err)
		}
		// Between batches the store's row is the committed one: cache it
		// for the batch that processes what this timer emits.
		p.cache.profiles.put(id, pr)
	}
	if pr.MergedInto != "" {
		return nil, nil //nolint:nilnil // merged away: acknowledge only
	}
	snap, err := p.committedSnapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	cur, err := p.currentSegments(ctx, id)
	if err != nil {
		return nil, err
	}
	return &profileState{snap: snap, current: cur}, nil
}

// nextTimerC returns a channel that fires (on the injected clock) when the
// earliest pending timer is due, or nil when there is none or it is
// already due (fireDue just ran; waiting on it again would spin).
func (p *Processor) nextTimerC(ctx context.Context) <-chan time.Time {
	at, ok, err := p.state.NextTimer(ctx)
	if err != nil {
		p.logger.Warn("read the next timer", slog.Any("error", err))
		return nil
	}
	if !ok {
		return nil
	}
	d := at.Sub(p.clk.Now())
	if d <= 0 {
		return nil
	}
	return p.clk.After(d)
}
