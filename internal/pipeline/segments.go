package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// SegmentState is what the streaming segment engine reads and clears in
// the state store; memberships and timers are written through Apply.
type SegmentState interface {
	ListSegments(ctx context.Context) ([]store.Segment, error)
	ProfileSegments(ctx context.Context, profileIDs ...string) ([]store.SegmentMember, error)
	ProfileTimers(ctx context.Context, kind string, profileIDs ...string) ([]store.Timer, error)
	ProfileSegmentsBetween(ctx context.Context, first, last string) ([]store.SegmentMember, error)
	ProfileTimersBetween(ctx context.Context, kind, first, last string) ([]store.Timer, error)
	DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error)
	NextTimer(ctx context.Context) (time.Time, bool, error)
	ClearSegment(ctx context.Context, segmentID string) error
	Timeline(ctx context.Context, q store.TimelineQuery) ([]store.TimelineEntry, error)
	FindProfiles(ctx context.Context, path string, value json.RawMessage, after string, limit int) ([]store.Profile, error)
	ProfileIDs(ctx context.Context, after string, limit int) ([]string, error)
	ProfileTraitsBetween(ctx context.Context, first, last string, paths []string) ([]store.ProfileTrait, error)
}

// Names and reasons of the events the processor emits on membership changes.
const (
	EventSegmentEntered = "Segment Entered"
	EventSegmentExited  = "Segment Exited"
	ReasonBackfill      = "backfill" // a segment created or edited was computed for existing profiles
)

// loadSegments builds the live index from the stored definitions. A stored
// definition this version cannot parse is left out and logged.
func (p *Processor) loadSegments(ctx context.Context) (*segment.Index, error) {
	list, err := p.state.ListSegments(ctx)
	if err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	defs := make(map[string]*segment.Definition, len(list))
	versions := make(map[string]int, len(list))
	for _, s := range list {
		d, err := segment.ParseJSON(s.Definition)
		if err != nil {
			p.logger.Error("stored segment definition not readable; it is not live", slog.String("segment", s.ID), slog.Any("error", err))
			continue
		}
		defs[s.ID], versions[s.ID] = d, s.Version
	}
	idx := segment.NewIndex(defs, versions)
	for id, why := range idx.Excluded() {
		p.logger.Info("segment not live", slog.String("segment", id), slog.Any("reason", why))
	}
	return idx, nil
}

// segIndex is the live index (never nil after New).
func (p *Processor) segIndex() *segment.Index { return p.segments.Load() }

// SegmentLive reports whether a segment is in the live index: its
// membership is kept up to date by the processor.
func (p *Processor) SegmentLive(id string) bool { return p.segIndex().Version(id) > 0 }

// SetInternalSource names the source of the events the processor emits
// (Segment Entered/Exited). Events of that source carry
// properties.profile_id and are attached to that profile without identity
// resolution. Call before Run.
func (p *Processor) SetInternalSource(id string) {
	p.internalSource = id
	p.sortInternalKeys()
}

// sortedSources is a recorder that keeps the dedupe records of sources
// whose message ids ascend with time apart (the SQLite log keeps them in
// its dedupe table, whose B-tree takes them at its right edge, and the
// SDKs' random ids in memory).
type sortedSources interface{ SetSortedSources(ids ...string) }

// sortInternalKeys tells the recorder that the internal source's ids
// ascend with time: every id the processor emits is a
// segment.ProfileOrderedID or TimeOrderedID (the dispatcher's message
// events are hashes, but one per send, few next to the processor's).
func (p *Processor) sortInternalKeys() {
	if s, ok := p.recorder.(sortedSources); ok && p.internalSource != "" {
		s.SetSortedSources(p.internalSource)
	}
}

// Reload rebuilds the live segment index after a definition changed, on
// the processor goroutine. changedID, when set and live, is cleared and
// recomputed for every profile (backfill); when no longer live (deleted,
// or now excluded) its memberships are cleared.
func (p *Processor) Reload(ctx context.Context, changedID string) error {
	return p.Do(ctx, func(ctx context.Context) error { return p.reloadSegments(ctx, changedID) })
}

func (p *Processor) reloadSegments(ctx context.Context, changedID string) error {
	idx, err := p.loadSegments(ctx)
	if err != nil {
		return err
	}
	p.segments.Store(idx)
	// ClearSegment below changes memberships and timers behind the cache.
	p.cache.segs = newGen[string, *segState](p.cache.segs.limit)
	for id := range idx.Excluded() {
		if err := p.state.ClearSegment(ctx, id); err != nil {
			return fmt.Errorf("clear segment %s: %w", id, err)
		}
	}
	if changedID == "" {
		return nil
	}
	if err := p.state.ClearSegment(ctx, changedID); err != nil {
		return fmt.Errorf("clear segment %s: %w", changedID, err)
	}
	if idx.Version(changedID) == 0 {
		return p.restage(ctx, changedID)
	}
	// Computed over the stored profiles a page at a time between batches
	// (segments_backfill.go); the stages follow when it finishes.
	return p.startBackfill(ctx, changedID)
}

// backfillPage is how many profiles one backfill transaction of computed
// traits, stages or RFM scores covers.
const backfillPage = 500

// segmentBackfillPage is how many profiles a segment backfill page covers:
// its reads are a few range reads (or memory) and its evaluation runs on
// the workers, so a larger page pays less per-page cost (15 % at 2000 than
// at 500 in BenchmarkBackfill) for a pause of tens of milliseconds between
// live batches.
const segmentBackfillPage = 2000

// backfillPagesPerStep is how many segment backfill pages run between two
// live batches: each page's reads overlap the evaluation and commit of the
// one before, which a step of one page cannot do.
const backfillPagesPerStep = 4

// LoadDefinitions re-reads segment definitions, the stage model and the
// computed traits without recomputing anything. Only call it when Run is not
// running — offline loaders that create definitions before the events they
// will process (`cairn demo load`) — so what follows is evaluated live.
func (p *Processor) LoadDefinitions(ctx context.Context) error {
	idx, err := p.loadSegments(ctx)
	if err != nil {
		return err
	}
	p.segments.Store(idx)
	m, err := p.loadStages(ctx)
	if err != nil {
		return err
	}
	p.stageModel.Store(m)
	cs, err := p.loadComputed(ctx)
	if err != nil {
		return err
	}
	p.computed.Store(cs)
	cat, err := p.loadJourneys(ctx)
	if err != nil {
		return err
	}
	p.journeys.Store(cat)
	return nil
}
