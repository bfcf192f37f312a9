package source

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/progress"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Page sizes of the store reads.
const (
	profilePage  = 500
	timelinePage = 1000
	getBatch     = 500
)

// State is what extraction reads of the state store.
type State interface {
	FindProfiles(ctx context.Context, path string, value json.RawMessage, after string, limit int) ([]store.Profile, error)
	MergedFrom(ctx context.Context, id string) ([]string, error)
	Timeline(ctx context.Context, q store.TimelineQuery) ([]store.TimelineEntry, error)
}

// Log is what extraction reads of the event log.
type Log interface {
	Get(ctx context.Context, seqs []int64) ([]*event.Event, error)
}

// Filter selects timeline entries of each profile; ProfileIDs, cursors and
// Limit are set by Each.
type Filter struct {
	Type, Event  string
	Since, Until time.Time
}

// Each calls fn with every surviving profile's id and its timeline entries
// matching f (its own and those of the profiles merged into it), oldest
// first. Profiles without a matching entry are skipped.
func Each(ctx context.Context, st State, f Filter, fn func(profileID string, es []store.TimelineEntry) error) error {
	after := ""
	prog := progress.From(ctx)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("scan profiles: %w", err)
		}
		page, err := st.FindProfiles(ctx, "", nil, after, profilePage)
		if err != nil {
			return fmt.Errorf("list profiles after %q: %w", after, err)
		}
		prog.Add(len(page))
		for _, p := range page {
			es, err := Entries(ctx, st, p.ID, f)
			if err != nil {
				return err
			}
			if len(es) == 0 {
				continue
			}
			if err := fn(p.ID, es); err != nil {
				return err
			}
		}
		if len(page) < profilePage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// Entries reads one profile's timeline entries matching f, oldest first.
func Entries(ctx context.Context, st State, profileID string, f Filter) ([]store.TimelineEntry, error) {
	ids, err := st.MergedFrom(ctx, profileID)
	if err != nil {
		return nil, fmt.Errorf("merged ids of %s: %w", profileID, err)
	}
	q := store.TimelineQuery{ProfileIDs: append([]string{profileID}, ids...), Type: f.Type, Event: f.Event,
		Since: f.Since, Until: f.Until, Limit: timelinePage}
	var out []store.TimelineEntry
	for {
		page, err := st.Timeline(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("timeline of %s: %w", profileID, err)
		}
		out = append(out, page...)
		if len(page) < q.Limit {
			break
		}
		last := page[len(page)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// Payloads reads and decodes the events of the entries from the log, by
// sequence number. Events erased from the log are absent.
func Payloads(ctx context.Context, lg Log, es []store.TimelineEntry) (map[int64]segment.Event, error) {
	out := make(map[int64]segment.Event, len(es))
	for lo := 0; lo < len(es); lo += getBatch {
		hi := min(lo+getBatch, len(es))
		seqs := make([]int64, 0, hi-lo)
		for _, e := range es[lo:hi] {
			seqs = append(seqs, e.Seq)
		}
		evs, err := lg.Get(ctx, seqs)
		if err != nil {
			return nil, fmt.Errorf("read %d events from the log: %w", len(seqs), err)
		}
		for _, ev := range evs {
			se, err := segment.EventFrom(ev)
			if err != nil {
				return nil, err
			}
			out[ev.Seq] = se
		}
	}
	return out, nil
}
