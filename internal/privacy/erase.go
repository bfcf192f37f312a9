package privacy

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/httpapi"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
)

// minNeedle is the shortest identifier value searched for as a substring in
// the log: shorter values (a user id "42") would match unrelated events, so
// they are erased only through the profile's timeline.
const minNeedle = 5

// Runner runs a function on the processor goroutine (pipeline.Processor.Do).
type Runner interface {
	Do(ctx context.Context, fn func(ctx context.Context) error) error
}

// Service erases and exports people.
type Service struct {
	State  store.State
	Log    store.Log
	Runner Runner
	T      *Tombstones
	// Histories is the in-memory analytics projection, told to forget the
	// person in the same step; nil when there is none.
	Histories interface{ Forget(profileIDs []string) }
	Clock     clock.Clock
	Logger    *slog.Logger
}

var _ httpapi.Privacy = (*Service)(nil)

// Erase removes everything Cairn holds about the profile id (already
// resolved to the surviving profile). It runs between processor batches.
func (s *Service) Erase(ctx context.Context, id string) (httpapi.ErasureReport, error) {
	var rep httpapi.ErasureReport
	err := s.Runner.Do(ctx, func(ctx context.Context) error {
		merged, err := s.State.MergedFrom(ctx, id)
		if err != nil {
			return fmt.Errorf("list merged profiles: %w", err)
		}
		ids := append([]string{id}, merged...)
		var keys []store.IdentityKey
		for _, pid := range ids {
			rows, err := s.State.ProfileIdentities(ctx, pid)
			if err != nil {
				return fmt.Errorf("list identities of %s: %w", pid, err)
			}
			for _, r := range rows {
				keys = append(keys, r.IdentityKey)
			}
		}
		now := s.Clock.Now()
		// Tombstones first: from here on, new events for the person are suppressed.
		for _, k := range keys {
			h := s.T.Hash(k)
			if err := s.State.AddTombstone(ctx, h, now); err != nil {
				return fmt.Errorf("add tombstone: %w", err)
			}
			s.T.add(h)
		}
		seqs, err := s.timelineSeqs(ctx, ids)
		if err != nil {
			return err
		}
		needles := needlesFor(keys)
		n, err := s.Log.Erase(ctx, seqs, needles)
		if err != nil {
			return fmt.Errorf("erase log events: %w", err)
		}
		if err := s.State.EraseProfile(ctx, ids); err != nil {
			return fmt.Errorf("erase profile rows: %w", err)
		}
		if s.Histories != nil {
			s.Histories.Forget(ids)
		}
		rep = httpapi.ErasureReport{ProfileIDs: ids, Identifiers: len(keys), Events: n}
		return nil
	})
	if err != nil {
		return rep, err
	}
	// The profile id is a random-looking hash, not an identifier of the person.
	detail := fmt.Sprintf("profiles=%d identifiers=%d events=%d", len(rep.ProfileIDs), rep.Identifiers, rep.Events)
	if err := s.State.Audit(ctx, store.AuditEntry{Time: s.Clock.Now(), Action: "profile.erase", Target: id, Detail: detail}); err != nil {
		s.Logger.Error("write audit entry", slog.Any("error", err))
	}
	return rep, nil
}

func (s *Service) timelineSeqs(ctx context.Context, ids []string) ([]int64, error) {
	var seqs []int64
	q := store.TimelineQuery{ProfileIDs: ids, Limit: 1000}
	for {
		page, err := s.State.Timeline(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("list timeline: %w", err)
		}
		for _, e := range page {
			seqs = append(seqs, e.Seq)
		}
		if len(page) < q.Limit {
			return seqs, nil
		}
		last := page[len(page)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
}

// needlesFor returns the JSON-quoted identifier values long enough to search
// the log for without hitting unrelated events.
func needlesFor(keys []store.IdentityKey) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		v := strings.TrimSpace(k.Value)
		if len(v) < minNeedle || seen[v] {
			continue
		}
		seen[v] = true
		b, _ := json.Marshal(v)
		out = append(out, string(b))
	}
	return out
}

// Export is everything held about a person, as one JSON document.
type Export struct {
	Profile  *profile.View      `json:"profile"`
	Merges   []store.Merge      `json:"merges"`
	Events   []json.RawMessage  `json:"events"`
	Accounts []store.Membership `json:"accounts"`
}

// Export gathers everything held about the profile id.
func (s *Service) Export(ctx context.Context, id string) (any, error) {
	v, err := profile.Load(ctx, s.State, id)
	if err != nil {
		return nil, err
	}
	ids := append([]string{id}, v.MergedFrom...)
	merges, err := s.State.Merges(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("list merges: %w", err)
	}
	seqs, err := s.timelineSeqs(ctx, ids)
	if err != nil {
		return nil, err
	}
	evs, err := s.Log.Get(ctx, seqs)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	out := Export{Profile: v, Merges: merges, Accounts: v.Accounts, Events: make([]json.RawMessage, 0, len(evs))}
	if out.Merges == nil {
		out.Merges = []store.Merge{}
	}
	for _, e := range evs {
		out.Events = append(out.Events, e.Raw)
	}
	if err := s.State.Audit(ctx, store.AuditEntry{Time: s.Clock.Now(), Action: "profile.export", Target: id,
		Detail: fmt.Sprintf("events=%d", len(evs))}); err != nil {
		s.Logger.Error("write audit entry", slog.Any("error", err))
	}
	return out, nil
}
