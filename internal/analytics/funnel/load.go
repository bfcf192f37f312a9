package funnel

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/analytics/progress"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// History is one profile's events in time order.
type History struct {
	ProfileID string
	Events    []segment.Event
}

// Accumulator is a computation fed one history at a time.
type Accumulator interface {
	Add(h *History)
}

// Profiles is what Scan reads of the state store.
type Profiles interface {
	FindProfiles(ctx context.Context, path string, value json.RawMessage, after string, limit int) ([]store.Profile, error)
	MergedFrom(ctx context.Context, id string) ([]string, error)
	Timeline(ctx context.Context, q store.TimelineQuery) ([]store.TimelineEntry, error)
}

// Events is what Scan reads of the event log.
type Events interface {
	Get(ctx context.Context, seqs []int64) ([]*event.Event, error)
}

// Need says what Scan must load beyond the timeline rows.
type Need struct {
	// Decode lists the event names whose properties and context are read
	// from the log; other events carry none. DecodeAll reads them for every
	// event kept.
	Decode    []string
	DecodeAll bool
	// Exclude lists source ids whose events are dropped (Cairn's internal
	// source), except those named in Keep.
	Exclude []string
	Keep    []string
}

// ScanStats counts what a scan read.
type ScanStats struct {
	Profiles int `json:"profiles"`
	Events   int `json:"events"`
	Decoded  int `json:"decoded"`
}

const (
	profilePage  = 500
	timelinePage = 2000
)

// Scan feeds every surviving profile with at least one event (its own and
// those of the profiles merged into it) to each accumulator, in profile id
// order. The History passed to Add is reused: accumulators must not keep it.
func Scan(ctx context.Context, ps Profiles, log Events, need Need, accs ...Accumulator) (ScanStats, error) {
	var st ScanStats
	decode, keep, exclude := set(need.Decode), set(need.Keep), set(need.Exclude)
	after := ""
	h := &History{}
	prog := progress.From(ctx)
	for {
		if err := ctx.Err(); err != nil {
			return st, fmt.Errorf("scan profiles: %w", err)
		}
		page, err := ps.FindProfiles(ctx, "", nil, after, profilePage)
		if err != nil {
			return st, fmt.Errorf("list profiles after %q: %w", after, err)
		}
		prog.Add(len(page))
		for _, p := range page {
			if err := loadHistory(ctx, ps, log, p.ID, decode, need.DecodeAll, keep, exclude, h, &st); err != nil {
				return st, err
			}
			if len(h.Events) == 0 {
				continue
			}
			st.Profiles++
			st.Events += len(h.Events)
			for _, a := range accs {
				a.Add(h)
			}
		}
		if len(page) < profilePage {
			return st, nil
		}
		after = page[len(page)-1].ID
	}
}

// loadHistory reads one profile's timeline into h (reused between calls).
func loadHistory(ctx context.Context, ps Profiles, log Events, id string, decode map[string]bool, decodeAll bool, keep, exclude map[string]bool, h *History, st *ScanStats) error {
	h.ProfileID, h.Events = id, h.Events[:0]
	var wanted []int64
	at := map[int64]int{}
	merged, err := ps.MergedFrom(ctx, id)
	if err != nil {
		return fmt.Errorf("profiles merged into %s: %w", id, err)
	}
	q := store.TimelineQuery{ProfileIDs: append([]string{id}, merged...), Limit: timelinePage}
	for {
		rows, err := ps.Timeline(ctx, q)
		if err != nil {
			return fmt.Errorf("timeline of %s: %w", id, err)
		}
		for _, r := range rows {
			if exclude[r.SourceID] && !keep[r.Event] {
				continue
			}
			if decodeAll || decode[r.Event] {
				wanted = append(wanted, r.Seq)
				at[r.Seq] = len(h.Events)
			}
			h.Events = append(h.Events, segment.Event{Type: r.Type, Name: r.Event, Timestamp: r.Timestamp, Channel: r.Channel, Source: r.SourceID})
		}
		if len(rows) < timelinePage {
			break
		}
		last := rows[len(rows)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
	slices.Reverse(h.Events) // newest first -> oldest first
	for i := range at {
		at[i] = len(h.Events) - 1 - at[i]
	}
	return FillPayloads(ctx, log, h, wanted, at, st)
}

// FillPayloads reads the wanted events' payloads from the log, 500 at a
// time, and sets the properties and context of h.Events[at[seq]]. Both
// history scans (the store's and internal/analytics/projection's) use it.
func FillPayloads(ctx context.Context, log Events, h *History, wanted []int64, at map[int64]int, st *ScanStats) error {
	for len(wanted) > 0 {
		n := min(len(wanted), 500)
		evs, err := log.Get(ctx, wanted[:n])
		if err != nil {
			return fmt.Errorf("events of %s: %w", h.ProfileID, err)
		}
		for _, e := range evs {
			i, ok := at[e.Seq]
			if !ok {
				continue
			}
			se, err := segment.EventFrom(e)
			if err != nil {
				return fmt.Errorf("events of %s: %w", h.ProfileID, err)
			}
			h.Events[i].Properties, h.Events[i].Context = se.Properties, se.Context
			st.Decoded++
		}
		wanted = wanted[n:]
	}
	return nil
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}
