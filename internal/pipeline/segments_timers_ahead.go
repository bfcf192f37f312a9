package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// A burst of due timers fires a page per transaction. What firing a page
// reads first (the profiles' rows, traits, histories and segment states;
// for journey timers, the profiles, instances and traits) is read for the
// next page while this page commits: the commit is one
// SQLite writer on one core, the reads run on reader connections on the
// other. The next page holds none of this page's profiles (checked), and
// a commit writes only its own page's profiles, so what was read is still
// what the store holds when it goes into the caches.

// timerAhead is what was read for a page of due timers beside the commit
// of the page before, for the profiles the caches lacked when it started.
type timerAhead struct {
	profiles  []store.Profile
	traits    map[string]map[string]store.Trait
	histories map[string][]segment.Event
	states    map[string]*segState
	journeys  map[string]*preloaded // nil: no journey timer, or no journey
	err       error
}

// nextTimerPage returns the first page of chunk: up to timerPage timers,
// and the rest of the last profile's run, so that no page splits the
// timers one profile has due at one instant (they sort together).
func nextTimerPage(chunk []store.Timer) []store.Timer {
	n := min(len(chunk), timerPage)
	for n < len(chunk) && chunk[n].ProfileID == chunk[n-1].ProfileID {
		n++
	}
	return chunk[:n]
}

// segmentTimerProfiles lists the profiles of the page's segment timers,
// each once.
func segmentTimerProfiles(page []store.Timer) []string {
	var ids []string
	for _, t := range page {
		if t.Kind == store.TimerKindSegment && (len(ids) == 0 || ids[len(ids)-1] != t.ProfileID) {
			ids = append(ids, t.ProfileID)
		}
	}
	return ids
}

// readTimersAhead starts reading, on its own goroutines, what firing page
// will read and the caches lack now (nil: nothing to read). Call it on the
// processor goroutine; the result goes in with installAhead after the
// current commit.
func (p *Processor) readTimersAhead(ctx context.Context, page []store.Timer) <-chan *timerAhead {
	ids := segmentTimerProfiles(page)
	missProfiles := p.cache.profiles.missing(ids)
	missTraits := p.cache.traits.missing(ids)
	missHistories := p.cache.events.missing(ids)
	missStates := p.cache.segs.missing(ids)
	journeys := !p.journeys.Load().Empty() &&
		slices.ContainsFunc(page, func(t store.Timer) bool { return t.Kind == store.TimerKindJourney })
	if !journeys && len(missProfiles)+len(missTraits)+len(missHistories)+len(missStates) == 0 {
		return nil // everything cached: nothing to read
	}
	done := make(chan *timerAhead, 1)
	go func() {
		a := &timerAhead{}
		a.err = p.concurrently(
			func() (err error) {
				if journeys {
					a.journeys, err = p.preloadTimers(ctx, page)
				}
				return err
			},
			func() (err error) {
				if a.profiles, err = p.readProfiles(ctx, missProfiles); err != nil {
					return err
				}
				a.traits, err = p.readTraits(ctx, missTraits)
				return err
			},
			func() (err error) {
				a.histories, err = p.readHistories(ctx, missHistories)
				return err
			},
			func() (err error) {
				a.states, err = p.readSegStatesPaged(ctx, missStates)
				return err
			},
		)
		done <- a
	}()
	return done
}

// installAhead puts what readTimersAhead read into the caches where they
// still lack it.
func (p *Processor) installAhead(a *timerAhead) error {
	if a.err != nil {
		return fmt.Errorf("read the next page of due timers: %w", a.err)
	}
	for _, pr := range a.profiles {
		p.cache.profiles.putMissing(pr.ID, pr)
	}
	for id, t := range a.traits {
		p.cache.traits.putMissing(id, t)
	}
	for id, evs := range a.histories {
		p.cache.events.putMissing(id, evs)
	}
	for id, st := range a.states {
		p.cache.segs.putMissing(id, st)
	}
	return nil
}

// readProfiles reads the rows of ids, a page per query, without touching
// the cache.
func (p *Processor) readProfiles(ctx context.Context, ids []string) ([]store.Profile, error) {
	var out []store.Profile
	for page := range slices.Chunk(ids, prefetchPage) {
		rows, err := p.state.GetProfiles(ctx, page...)
		if err != nil {
			return nil, fmt.Errorf("read %d profiles: %w", len(page), err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// readTraits reads the committed traits of ids (an empty map for a
// profile with none), a page per query, without touching the cache.
func (p *Processor) readTraits(ctx context.Context, ids []string) (map[string]map[string]store.Trait, error) {
	got := make(map[string]map[string]store.Trait, len(ids))
	for page := range slices.Chunk(ids, prefetchPage) {
		rows, err := p.state.ProfilesTraits(ctx, page...)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("load traits of %d profiles: %w", len(page), err)
		}
		for _, id := range page {
			got[id] = map[string]store.Trait{}
		}
		for _, r := range rows {
			if t, ok := got[r.ProfileID]; ok {
				t[r.Path] = r.Trait
			}
		}
	}
	return got, nil
}

// readHistories reads the committed histories of ids, a query per
// prefetchPage profiles, without touching the cache.
func (p *Processor) readHistories(ctx context.Context, ids []string) (map[string][]segment.Event, error) {
	out := make(map[string][]segment.Event, len(ids))
	for chunk := range slices.Chunk(ids, prefetchPage) {
		rows, err := p.timelineRows(ctx, chunk, nil)
		if err != nil {
			return nil, err
		}
		by := make(map[string][]store.TimelineEntry, len(chunk))
		for _, r := range rows {
			by[r.ProfileID] = append(by[r.ProfileID], r)
		}
		for _, id := range chunk {
			out[id] = p.historyFrom(by[id])
		}
	}
	return out, nil
}
