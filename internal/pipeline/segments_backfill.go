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
	group        int // tests and BenchmarkBackfill: commit pages in groups of this many (0: every page ready)
	commits      int // transactions committed, on the processor goroutine (BenchmarkBackfill)
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
// backfill and reports how many profiles it covered (0: none pending). A
// producer goroutine reads and evaluates the pages (each page read beside
// the evaluation of the one before) while this goroutine commits them,
// every page ready at the time of a commit in one transaction: when the
// commit is the slower stage, pages queue and share transactions. The
// pages hold different profiles and no live batch runs inside a step, so
// what a page read is still what the store holds when it commits.
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
	group := p.bf.group
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
	pctx, stop := context.WithCancel(ctx)
	evals := make(chan backfillEval, pages)
	go p.produceBackfill(pctx, idx, j.ID, needs, rd, pages, p.clk.Now(), evals)
	defer func() {
		stop()
		for range evals { // the producer reads the store until it closes evals
		}
	}()
	covered := 0
	for ev := range evals {
		ready := []backfillEval{ev}
		for len(ready) < pages && (group == 0 || len(ready) < group) {
			var ok bool
			if group > 0 { // tests: wait for the group
				ev, ok = <-evals
			} else {
				select { // take what is ready, not wait
				case ev, ok = <-evals:
				default:
				}
			}
			if !ok {
				break
			}
			ready = append(ready, ev)
		}
		if err := p.commitBackfill(ctx, ready); err != nil {
			return 0, err
		}
		p.bf.commits++
		for _, ev := range ready {
			covered += len(ev.rd.ids)
			j.After, j.Done = ev.rd.ids[len(ev.rd.ids)-1], j.Done+int64(len(ev.rd.ids))
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

// backfillEval is a page of a backfill evaluated: the profiles evaluated
// (those of rd not skipped) and their results, or the error that stopped
// the producer.
type backfillEval struct {
	rd  *backfillRead
	ids []string
	res []segment.Result
	err error
}

// produceBackfill reads and evaluates up to pages pages from first on, the
// read of each page beside the evaluation of the one before, and sends
// them on evals, which it closes. It touches no cache of the processor: a
// page's states are what readBackfillPage read.
func (p *Processor) produceBackfill(ctx context.Context, idx *segment.Index, id string, needs segment.Needs, first *backfillRead, pages int, now time.Time, evals chan<- backfillEval) {
	defer close(evals)
	rd := first
	for page := 1; ; page++ {
		var next chan backfillNext
		if page < pages && len(rd.ids) == segmentBackfillPage {
			next = make(chan backfillNext, 1)
			go func(after string) {
				r, err := p.readBackfillPage(ctx, idx, id, needs, after)
				next <- backfillNext{r, err}
			}(rd.ids[len(rd.ids)-1])
		}
		ev := p.evalBackfillPage(idx, id, rd, now)
		if next == nil || ev.err != nil {
			if next != nil {
				<-next // it reads the store: waited for before closing
			}
			evals <- ev
			return
		}
		evals <- ev
		n := <-next
		if n.err != nil {
			evals <- backfillEval{err: n.err}
			return
		}
		if rd = n.read; len(rd.ids) == 0 {
			return
		}
	}
}

// evalBackfillPage computes segment id (and its dependents) for the
// profiles of rd it does not skip, at now, on the evaluation workers.
func (p *Processor) evalBackfillPage(idx *segment.Index, id string, rd *backfillRead, now time.Time) backfillEval {
	ev := backfillEval{rd: rd, ids: rd.ids}
	if len(rd.skip) > 0 {
		ev.ids = slices.DeleteFunc(slices.Clone(rd.ids), func(pid string) bool { return rd.skip[pid] })
	}
	ev.res = make([]segment.Result, len(ev.ids))
	errs := make([]error, len(ev.ids))
	affected := idx.WithDependents(id)
	p.parallel(len(ev.ids), func(i int) {
		pid := ev.ids[i]
		st := rd.states[pid]
		// id and every segment depending on it, evaluated as for an event:
		// a boundary past the profile's pending timer is not searched for,
		// since that timer re-evaluates every segment when it fires.
		snap := segment.Snapshot{ProfileID: pid, Events: rd.events[pid], Traits: rd.traits[pid]}
		pending := st.timers[profileTimerRef]
		ev.res[i], errs[i] = segment.UpdateProfile(idx, snap, maps.Clone(st.in), affected, now, pending, idx.Lookup)
		ev.res[i].Next = backfillTimer(ev.res[i].Next, pending, now)
	})
	for i, err := range errs {
		if err != nil {
			ev.err = fmt.Errorf("backfill segment %s for profile %s: %w", id, ev.ids[i], err)
			break
		}
	}
	return ev
}

// backfillTimerSlot is the grid a backfill rounds the profile timers it
// writes down to. A segment's boundaries fall at random instants over its
// window (30 days of "bought in the last 30 days"), so a page of profiles
// at their exact instants writes each timer to a random leaf of the due
// index (fire_at, profile_id): at 600k pending timers that cost 36 µs per
// timer against 10 µs on this grid, where a page's timers land in profile
// order beside those of the page before (BenchmarkApplyTimerPage). A
// rounded timer fires early; segment.FireAll then finds nothing to flip
// and writes the exact instant, one profile at a time over the window.
const backfillTimerSlot = 6 * time.Hour

// backfillTimer is the timer a backfill writes for a profile whose next
// change evaluates to next: next rounded down to backfillTimerSlot when it
// replaces the pending timer (is earlier) and the slot starts after now;
// otherwise next as is (the pending timer stays, or the slot has begun).
func backfillTimer(next, pending, now time.Time) time.Time {
	if next.IsZero() || (!pending.IsZero() && !next.Before(pending)) {
		return next
	}
	if slot := next.Truncate(backfillTimerSlot); slot.After(now) {
		return slot
	}
	return next
}

// commitBackfill commits evaluated pages in one transaction.
// Their profiles' states go into the segment state cache first, as read,
// so that apply folds each profile timer with the pending one without a
// read (the cache holds what the store holds: a state already cached is
// the same).
func (p *Processor) commitBackfill(ctx context.Context, group []backfillEval) error {
	out := &segOut{}
	for _, ev := range group {
		if ev.err != nil {
			return ev.err
		}
		for i, pid := range ev.ids {
			if _, ok := p.cache.segs.get(pid); !ok {
				p.cache.segs.put(pid, ev.rd.states[pid])
			}
			res := ev.res[i]
			for k := range res.Transitions {
				res.Transitions[k].Reason = ReasonBackfill
			}
			out.add(pid, res)
		}
	}
	return p.commitSegments(ctx, out)
}
