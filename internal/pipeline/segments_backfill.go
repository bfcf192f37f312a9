package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// A segment created or edited is computed over every stored profile by a
// backfill that runs a page at a time between the processor's batches, so
// live traffic keeps flowing and the API answers at once with progress. Its
// cursor is kept as a config object, so a restart resumes it.

const backfillConfigKind = "segment_backfill"

// backfillJob is one segment's backfill in progress.
type backfillJob struct {
	ID      string    `json:"id"`
	After   string    `json:"after"` // last profile id done
	Done    int64     `json:"done"`
	Total   int64     `json:"total"`
	Started time.Time `json:"started"`
}

// backfills holds the jobs; the API reads progress from other goroutines.
type backfills struct {
	mu           sync.Mutex
	jobs         map[string]*backfillJob
	pagesPerStep int // 0: backfillPagesPerStep
}

// BackfillProgress reports a segment's backfill: profiles done, the total
// when it started, and whether it is still running.
func (p *Processor) BackfillProgress(id string) (done, total int64, running bool) {
	p.bf.mu.Lock()
	defer p.bf.mu.Unlock()
	j, ok := p.bf.jobs[id]
	if !ok {
		return 0, 0, false
	}
	return j.Done, j.Total, true
}

// loadBackfills resumes the jobs a restart interrupted.
func (p *Processor) loadBackfills(ctx context.Context) error {
	list, err := p.state.ListConfig(ctx, backfillConfigKind)
	if err != nil {
		return fmt.Errorf("load segment backfills: %w", err)
	}
	p.bf.mu.Lock()
	defer p.bf.mu.Unlock()
	p.bf.jobs = map[string]*backfillJob{}
	for _, o := range list {
		var j backfillJob
		if json.Unmarshal(o.Body, &j) == nil && j.ID != "" {
			p.bf.jobs[j.ID] = &j
		}
	}
	return nil
}

func (p *Processor) saveBackfill(ctx context.Context, j backfillJob) error {
	b, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("encode backfill of %s: %w", j.ID, err)
	}
	if err := p.state.PutConfig(ctx, store.ConfigObject{Kind: backfillConfigKind, ID: j.ID, Body: b, UpdatedAt: p.clk.Now()}); err != nil {
		return fmt.Errorf("save backfill of segment %s: %w", j.ID, err)
	}
	return nil
}

// startBackfill registers (or restarts) the backfill of a segment.
func (p *Processor) startBackfill(ctx context.Context, id string) error {
	total, err := p.state.CountProfiles(ctx)
	if err != nil {
		return fmt.Errorf("count profiles: %w", err)
	}
	j := backfillJob{ID: id, Total: total, Started: p.clk.Now()}
	if err := p.saveBackfill(ctx, j); err != nil {
		return err
	}
	p.bf.mu.Lock()
	p.bf.jobs[id] = &j
	p.bf.mu.Unlock()
	return nil
}

// backfillStep runs up to backfillPagesPerStep pages of the oldest pending
// backfill and reports how many profiles it covered (0: none pending). Each
// page's reads run beside the evaluation and commit of the page before: the
// pages hold different profiles, and no live batch runs in between, so what
// a page read is still what the store holds when it commits.
func (p *Processor) backfillStep(ctx context.Context) (int, error) {
	p.bf.mu.Lock()
	ids := make([]string, 0, len(p.bf.jobs))
	for id := range p.bf.jobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var j backfillJob
	if len(ids) > 0 {
		j = *p.bf.jobs[ids[0]]
	}
	pages := cmp.Or(p.bf.pagesPerStep, backfillPagesPerStep)
	p.bf.mu.Unlock()
	if len(ids) == 0 {
		return 0, nil
	}
	idx := p.segIndex()
	if idx.Version(j.ID) == 0 { // deleted or excluded since: nothing to compute
		return 1, p.finishBackfill(ctx, j.ID)
	}
	needs := backfillNeeds(idx, j.ID)
	rd, err := p.readBackfillPage(ctx, idx, j.ID, needs, j.After)
	if err != nil {
		return 0, err
	}
	if len(rd.ids) == 0 {
		return 1, p.finishBackfill(ctx, j.ID)
	}
	covered := 0
	for page := 1; len(rd.ids) > 0; page++ {
		var next chan backfillNext
		if page < pages && len(rd.ids) == segmentBackfillPage {
			next = make(chan backfillNext, 1)
			go func(after string) {
				r, err := p.readBackfillPage(ctx, idx, j.ID, needs, after)
				next <- backfillNext{r, err}
			}(rd.ids[len(rd.ids)-1])
		}
		err := p.backfillPage(ctx, idx, j.ID, rd)
		if err == nil {
			covered += len(rd.ids)
			j.After, j.Done = rd.ids[len(rd.ids)-1], j.Done+int64(len(rd.ids))
		}
		rd = &backfillRead{}
		if next != nil {
			n := <-next // waited for even after an error: it reads the store
			if err == nil {
				rd, err = n.read, n.err
			}
		}
		if err != nil {
			return 0, err
		}
	}
	if err := p.saveBackfill(ctx, j); err != nil {
		return 0, err
	}
	p.bf.mu.Lock()
	if cur, ok := p.bf.jobs[j.ID]; ok && cur.Started.Equal(j.Started) { // not restarted meanwhile
		*cur = j
	}
	p.bf.mu.Unlock()
	return covered, nil
}

func (p *Processor) finishBackfill(ctx context.Context, id string) error {
	if err := p.state.DeleteConfig(ctx, backfillConfigKind, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("finish backfill of segment %s: %w", id, err)
	}
	p.bf.mu.Lock()
	delete(p.bf.jobs, id)
	p.bf.mu.Unlock()
	return p.restage(ctx, id)
}

// backfillRead is what a backfill page reads before evaluating: a run of
// surviving profile ids and their needed events, traits and committed
// segment states.
type backfillRead struct {
	ids    []string
	events map[string][]segment.Event
	traits map[string]map[string]any
	states map[string]*segState
	skip   map[string]bool // profiles not evaluated (backfillSkips)
}

type backfillNext struct {
	read *backfillRead
	err  error
}

// readBackfillPage reads the next page of surviving profiles after cursor
// for segment id, its reads side by side. It touches no cache of the
// processor, so it may run beside the processor goroutine. When a
// condition reads traits, the events are read after them, and only for the
// profiles the backfill evaluates (backfillSkips).
func (p *Processor) readBackfillPage(ctx context.Context, idx *segment.Index, id string, needs segment.Needs, after string) (*backfillRead, error) {
	ids, err := p.state.ProfileIDs(ctx, after, segmentBackfillPage)
	if err != nil {
		return nil, fmt.Errorf("list profiles after %q: %w", after, err)
	}
	rd := &backfillRead{ids: ids}
	if len(ids) == 0 {
		return rd, nil
	}
	reads := []func() error{
		func() (err error) {
			rd.states, err = p.readSegStatesBetween(ctx, ids)
			return err
		},
		func() (err error) {
			rd.traits, err = p.pageTraits(ctx, ids, needs)
			return err
		},
	}
	events := func(ids []string) func() error {
		return func() (err error) {
			rd.events, err = p.backfillEvents(ctx, ids, needs)
			return err
		}
	}
	if !needs.Traits { // no gate to test first
		reads = append(reads, events(ids))
	}
	if err := p.concurrently(reads...); err != nil {
		return nil, err
	}
	if !needs.Traits {
		return rd, nil
	}
	rd.skip = backfillSkips(idx, id, rd)
	evaluated := ids
	if len(rd.skip) > 0 {
		evaluated = slices.DeleteFunc(slices.Clone(ids), func(pid string) bool { return rd.skip[pid] })
	}
	if err := events(evaluated)(); err != nil {
		return nil, err
	}
	return rd, nil
}

// backfillSkips is the profiles of a page for which computing segment id
// cannot change anything: their traits fail its gate (Index.Refuses: false
// whatever their events), they are not members, and no segment depends on
// it (a dependent such as "in_segment none" could still flip). Their events
// are not read and they are not evaluated. Most profiles of a store can be
// such (anonymous visitors hold no plan).
func backfillSkips(idx *segment.Index, id string, rd *backfillRead) map[string]bool {
	if len(idx.WithDependents(id)) > 1 {
		return nil
	}
	var skip map[string]bool
	for _, pid := range rd.ids {
		if st := rd.states[pid]; !st.in[id] && idx.Refuses(id, rd.traits[pid]) {
			if skip == nil {
				skip = map[string]bool{}
			}
			skip[pid] = true
		}
	}
	return skip
}

// backfillPage computes segment id (and its dependents) for a page read by
// readBackfillPage at the clock's now, and commits it. Its profiles are
// evaluated on the evaluation workers and the results applied in profile
// order.
func (p *Processor) backfillPage(ctx context.Context, idx *segment.Index, id string, rd *backfillRead) error {
	ids := rd.ids
	now := p.clk.Now()
	type job struct {
		snap    segment.Snapshot
		current map[string]bool
		pending time.Time
		res     segment.Result
		err     error
	}
	if len(rd.skip) > 0 {
		ids = slices.DeleteFunc(slices.Clone(ids), func(pid string) bool { return rd.skip[pid] })
	}
	jobs := make([]job, len(ids))
	for i, pid := range ids { // the caches are this goroutine's
		st, ok := p.cache.segs.get(pid) // what a live batch left, else the store's
		if !ok {
			st = rd.states[pid]
			p.cache.segs.put(pid, st) // apply folds the profile timer with it
		}
		jobs[i] = job{snap: segment.Snapshot{ProfileID: pid, Events: rd.events[pid], Traits: rd.traits[pid]},
			current: maps.Clone(st.in), pending: st.timers[profileTimerRef]}
	}
	affected := idx.WithDependents(id)
	p.parallel(len(jobs), func(i int) {
		j := &jobs[i]
		// id and every segment depending on it, evaluated as for an event:
		// a boundary past the profile's pending timer is not searched for,
		// since that timer re-evaluates every segment when it fires.
		j.res, j.err = segment.UpdateProfile(idx, j.snap, j.current, affected, now, j.pending, idx.Lookup)
	})
	out := &segOut{}
	for i, pid := range ids {
		j := &jobs[i]
		if j.err != nil {
			return fmt.Errorf("backfill segment %s for profile %s: %w", id, pid, j.err)
		}
		for k := range j.res.Transitions {
			j.res.Transitions[k].Reason = ReasonBackfill
		}
		out.add(pid, j.res)
	}
	return p.commitSegments(ctx, out)
}
