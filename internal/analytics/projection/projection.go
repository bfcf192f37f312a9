// Package projection keeps an in-memory, compact copy of every profile's
// timeline for the analyses: funnels, paths, retention and the reports read
// each customer's whole history, and reading it from the state store one
// profile at a time (two queries per profile) is what made them slow. The
// projection follows the store incrementally — the timeline in processing
// order up to the processor's checkpoint, and the applied merges — and
// serves the same funnel.History values funnel.Scan builds, so every
// accumulator runs unchanged on either.
//
// Memory is 24 bytes per event plus about 100 bytes per profile, and 24
// bytes per event of a name for each payload column a segment backfill
// read (columns.go); it is built on the first analysis after a start
// (reading the timeline once) and kept current by a cheap refresh before
// each analysis. Erasure removes a person from it (Forget) in the same step
// that erases the store.
package projection

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Feed is what the projection reads of the state store.
type Feed interface {
	Checkpoint(ctx context.Context) (int64, error)
	TimelineSince(ctx context.Context, after store.TimelineCursor, through int64, limit int) ([]store.TimelineEntry, error)
	ScanTimeline(ctx context.Context, fn func(store.TimelineEntry) error) (through int64, err error)
	AppliedMerges(ctx context.Context, afterID int64, limit int) ([]store.Merge, error)
}

// Payloads reads event payloads from the log, for filters on properties.
type Payloads = funnel.Events

const feedPage = 10_000

// ev is one timeline entry: 24 bytes.
type ev struct {
	ts   int64 // unix microseconds
	seq  int64
	name uint32 // interned event name
	src  uint16 // interned source id
	ch   uint8  // interned channel
	typ  uint8  // interned call type
}

func (a ev) compare(b ev) int { return cmp.Or(cmp.Compare(a.ts, b.ts), cmp.Compare(a.seq, b.seq)) }

// sortEvents orders a history by time, then log position.
func sortEvents(es []ev) { slices.SortFunc(es, ev.compare) }

// Projection is the compact timeline of every profile.
type Projection struct {
	feed    Feed
	log     Payloads
	logger  *slog.Logger
	refresh sync.Mutex // one refresh at a time; taken before mu

	mu       sync.RWMutex
	loaded   bool // the whole timeline was read once
	cursor   store.TimelineCursor
	mergeID  int64
	names    interner[uint32]
	sources  interner[uint16]
	channels interner[uint8]
	types    interner[uint8]
	index    map[string]int32 // profile id → slot
	ids      []string         // slot → profile id ("" once erased)
	parent   []int32          // slot → the slot it was merged into, -1 for a root
	events   [][]ev           // root slot → its events and those merged into it, by (ts, seq)
	erased   []bool
	roots    []int32 // root slots with events, by profile id; nil when stale
	total    int64
	colsOf   map[uint32][]*column // event name → the payload values kept of it (columns.go)
}

// New returns an empty projection over feed and log.
func New(feed Feed, log Payloads, logger *slog.Logger) *Projection {
	return &Projection{feed: feed, log: log, logger: logger, index: map[string]int32{}}
}

// Stats describes the projection.
type Stats struct {
	Profiles int   `json:"profiles"` // surviving profiles with events
	Events   int64 `json:"events"`
	Through  int64 `json:"through_seq"` // the log seq it is current to
}

// Stats reads the projection's size.
func (p *Projection) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Profiles: len(p.sortedRoots()), Events: p.total, Through: p.cursor.Seq}
}

// Refresh reads what the processor committed since the last refresh. The
// first call reads the whole timeline.
func (p *Projection) Refresh(ctx context.Context) error {
	p.refresh.Lock()
	defer p.refresh.Unlock()
	_, err := p.refreshLocked(ctx, false)
	return err
}

// refreshLocked is Refresh with p.refresh held. With try set it gives up
// (false) where it would wait for p.mu (an analysis reading), leaving the
// projection consistent up to the last page it added.
func (p *Projection) refreshLocked(ctx context.Context, try bool) (bool, error) {
	start, loaded := time.Now(), 0
	if !p.loaded {
		unsorted := map[int32]bool{}
		n, err := p.load(ctx, unsorted)
		if err != nil {
			return false, err
		}
		loaded += n
		p.mu.Lock()
		p.sortSlots(unsorted)
		p.mu.Unlock()
	}
	through, err := p.feed.Checkpoint(ctx)
	if err != nil {
		return false, fmt.Errorf("projection: read checkpoint: %w", err)
	}
	// Each page leaves its profiles sorted, so giving up between pages
	// leaves nothing half done.
	unsorted := map[int32]bool{}
	for cursor := p.cursor; ; {
		page, err := p.feed.TimelineSince(ctx, cursor, through, feedPage)
		if err != nil {
			return false, fmt.Errorf("projection: read timeline after seq %d: %w", cursor.Seq, err)
		}
		if len(page) == 0 {
			break
		}
		if !p.lock(try) {
			return false, nil
		}
		err = p.addEntries(page, unsorted)
		p.sortSlots(unsorted)
		if err != nil {
			p.mu.Unlock()
			return false, err
		}
		last := page[len(page)-1]
		cursor = store.TimelineCursor{Seq: last.Seq, ProfileID: last.ProfileID}
		p.cursor = cursor
		p.mu.Unlock()
		loaded += len(page)
		if len(page) < feedPage {
			break
		}
	}
	for {
		merges, err := p.feed.AppliedMerges(ctx, p.mergeID, feedPage)
		if err != nil {
			return false, fmt.Errorf("projection: read merges after %d: %w", p.mergeID, err)
		}
		if len(merges) > 0 && !p.lock(try) {
			return false, nil
		}
		if len(merges) > 0 {
			for _, m := range merges {
				p.merge(m.Winner, m.Loser, unsorted)
				p.mergeID = m.ID
			}
			p.sortSlots(unsorted)
			p.mu.Unlock()
		}
		if len(merges) < feedPage {
			break
		}
	}
	if loaded > 10*feedPage {
		if p.lock(try) {
			p.compact()
			p.mu.Unlock()
		}
		p.logger.Info("analytics projection loaded", slog.Int("events", loaded), slog.Int64("through_seq", through),
			slog.Duration("took", time.Since(start)))
	}
	return true, nil
}

// sortSlots puts the events of the slots in unsorted back in order and
// empties it; p.mu is held.
func (p *Projection) sortSlots(unsorted map[int32]bool) {
	for slot := range unsorted {
		sortEvents(p.events[slot])
	}
	clear(unsorted)
}

// load reads the whole timeline from one snapshot (in key order, the
// fastest read a store has) and sets the cursor after it.
func (p *Projection) load(ctx context.Context, unsorted map[int32]bool) (int, error) {
	page := make([]store.TimelineEntry, 0, feedPage)
	n := 0
	flush := func() error {
		p.mu.Lock()
		defer p.mu.Unlock()
		n += len(page)
		err := p.addEntries(page, unsorted)
		page = page[:0]
		return err
	}
	through, err := p.feed.ScanTimeline(ctx, func(e store.TimelineEntry) error {
		page = append(page, e)
		if len(page) == feedPage {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return n, fmt.Errorf("projection: load the timeline: %w", err)
	}
	p.mu.Lock()
	p.cursor, p.loaded = store.TimelineCursor{Seq: through}, true
	p.mu.Unlock()
	return n, nil
}

// addEntries appends a page of the feed; p.mu is held.
func (p *Projection) addEntries(page []store.TimelineEntry, unsorted map[int32]bool) error {
	for _, e := range page {
		slot := p.find(p.slot(e.ProfileID))
		if p.erased[slot] {
			continue
		}
		src, err := p.sources.id(e.SourceID)
		if err != nil {
			return err
		}
		ch, err := p.channels.id(e.Channel)
		if err != nil {
			return err
		}
		typ, err := p.types.id(e.Type)
		if err != nil {
			return err
		}
		name, err := p.names.id(e.Event)
		if err != nil {
			return err
		}
		x := ev{ts: e.Timestamp.UnixMicro(), seq: e.Seq, name: name, src: src, ch: ch, typ: typ}
		list := p.events[slot]
		if n := len(list); n > 0 && x.compare(list[n-1]) < 0 {
			unsorted[slot] = true
		}
		if len(list) == 0 {
			p.roots = nil // a new profile with events
		}
		p.events[slot] = append(list, x)
		p.total++
	}
	return nil
}

// compact gives back the spare capacity appends left after a large load
// (up to half of the memory); p.mu is held.
func (p *Projection) compact() {
	for s, es := range p.events {
		if cap(es)-len(es) > len(es)/4+4 {
			p.events[s] = slices.Clone(es)
		}
	}
}

// slot returns the slot of a profile id, adding it; p.mu is held.
func (p *Projection) slot(id string) int32 {
	if s, ok := p.index[id]; ok {
		return s
	}
	s := int32(len(p.ids))
	p.index[id] = s
	p.ids = append(p.ids, id)
	p.parent = append(p.parent, -1)
	p.events = append(p.events, nil)
	p.erased = append(p.erased, false)
	return s
}

// find follows merges to the surviving slot, compressing the path.
func (p *Projection) find(s int32) int32 {
	root := s
	for p.parent[root] >= 0 {
		root = p.parent[root]
	}
	for p.parent[s] >= 0 {
		next := p.parent[s]
		p.parent[s] = root
		s = next
	}
	return root
}

// merge moves loser's events to winner; p.mu is held.
func (p *Projection) merge(winner, loser string, unsorted map[int32]bool) {
	w, l := p.find(p.slot(winner)), p.find(p.slot(loser))
	if w == l {
		return
	}
	p.parent[l] = w
	if p.erased[l] || p.erased[w] { // nothing of an erased person comes back
		p.total -= int64(len(p.events[l]))
		p.events[l] = nil
		p.dropValues(l)
		return
	}
	if len(p.events[l]) > 0 {
		p.events[w] = append(p.events[w], p.events[l]...)
		p.events[l] = nil
		unsorted[w] = true
	}
	p.mergeValues(w, l)
	delete(unsorted, l)
	p.roots = nil
}

// Forget drops profiles (an erasure): their events now, and any event the
// feed still brings under their ids.
func (p *Projection) Forget(profileIDs []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range profileIDs {
		s, ok := p.index[id]
		if !ok {
			continue
		}
		for _, slot := range []int32{s, p.find(s)} {
			p.dropValues(slot)
			p.total -= int64(len(p.events[slot]))
			p.events[slot] = nil
			p.erased[slot] = true
		}
		p.ids[s] = ""
		delete(p.index, id)
		p.roots = nil
	}
}

// sortedRoots returns the surviving slots with events ordered by profile
// id (the order funnel.Scan reads them in); p.mu is held.
func (p *Projection) sortedRoots() []int32 {
	if p.roots != nil {
		return p.roots
	}
	roots := make([]int32, 0, len(p.ids)/2+1)
	for s := range p.ids {
		if p.parent[s] < 0 && !p.erased[s] && len(p.events[s]) > 0 {
			roots = append(roots, int32(s))
		}
	}
	slices.SortFunc(roots, func(a, b int32) int { return cmp.Compare(p.ids[a], p.ids[b]) })
	p.roots = roots
	return roots
}
