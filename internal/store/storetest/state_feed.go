package storetest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

// runFeed checks the analytics projection's feed: the timeline in
// processing order up to a seq (entries under their current profile: a
// merge re-points the loser's), and applied merges after an id.
func runFeed(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	// Seq 3 has an entry for two profiles; entries arrive out of time order.
	batch1 := []store.TimelineEntry{entry("p2", 1, 9, "track", "A"), entry("p1", 2, 1, "page", "B"),
		entry("p1", 3, 5, "track", "C"), entry("p0", 3, 5, "track", "C")}
	batch2 := []store.TimelineEntry{entry("p1", 4, 2, "identify", ""), entry("p3", 5, 7, "track", "D")}
	mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, Timeline: batch1})
	mustApply(t, s, &store.ProcessBatch{Checkpoint: 4, Timeline: batch2[:1],
		Merges: []store.Merge{{Winner: "p1", Loser: "p2", Time: at(1), Via: []store.IdentityKey{{Type: "email", Value: "a@x"}}}}})
	mustApply(t, s, &store.ProcessBatch{Checkpoint: 5, Timeline: batch2[1:], Merges: []store.Merge{
		{Winner: "p1", Loser: "p9", Time: at(2), Refused: true, Reason: "limit"},
		{Winner: "p3", Loser: "p1", Time: at(3)}}})

	// Merges re-point entries: p2's went to p1, then p1's (and so p2's) to p3.
	owner := func(e store.TimelineEntry, to string) store.TimelineEntry { e.ProfileID = to; return e }
	all := []store.TimelineEntry{owner(batch1[0], "p3"), owner(batch1[1], "p3"), batch1[3], owner(batch1[2], "p3"),
		owner(batch2[0], "p3"), batch2[1]} // (seq, profile) order
	read := func(after store.TimelineCursor, through int64, limit int) []store.TimelineEntry {
		var out []store.TimelineEntry
		for range 100 {
			page, err := s.TimelineSince(ctx, after, through, limit)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), limit)
			out = append(out, page...)
			if len(page) < limit {
				return out
			}
			last := page[len(page)-1]
			after = store.TimelineCursor{Seq: last.Seq, ProfileID: last.ProfileID}
		}
		t.Fatal("TimelineSince does not end")
		return nil
	}
	for _, limit := range []int{1, 2, 3, 100} {
		require.Equal(t, all, read(store.TimelineCursor{}, 5, limit), "limit %d", limit)
		require.Equal(t, all[:4], read(store.TimelineCursor{}, 3, limit), "through 3, limit %d", limit)
		require.Equal(t, all[3:], read(store.TimelineCursor{Seq: 3, ProfileID: "p0"}, 5, limit), "inside seq 3, limit %d", limit)
	}
	require.Empty(t, read(store.TimelineCursor{Seq: 5, ProfileID: "p3"}, 5, 10))
	require.Equal(t, all[4:], read(store.TimelineCursor{Seq: 3}, 5, 10), "an empty profile id skips the whole seq")

	// The whole timeline from one snapshot, grouped by profile, and where
	// the feed continues from.
	var scanned []store.TimelineEntry
	through, err := s.ScanTimeline(ctx, func(e store.TimelineEntry) error {
		if n := len(scanned); n > 0 && scanned[n-1].ProfileID != e.ProfileID {
			for _, prev := range scanned {
				require.NotEqual(t, e.ProfileID, prev.ProfileID, "entries of a profile come together")
			}
		}
		scanned = append(scanned, e)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, int64(5), through)
	require.ElementsMatch(t, all, scanned)
	require.Empty(t, read(store.TimelineCursor{Seq: through}, through, 10))
	stop := errors.New("stop")
	_, err = s.ScanTimeline(ctx, func(store.TimelineEntry) error { return stop })
	require.ErrorIs(t, err, stop, "the callback's error ends the scan")
	_, err = s.TimelineSince(ctx, store.TimelineCursor{}, 5, 0)
	require.Error(t, err, "a limit is required")

	ms, err := s.AppliedMerges(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, ms, 2, "the refusal is left out")
	require.Equal(t, [2]string{"p1", "p2"}, [2]string{ms[0].Winner, ms[0].Loser})
	require.Equal(t, [2]string{"p3", "p1"}, [2]string{ms[1].Winner, ms[1].Loser})
	require.True(t, at(3).Equal(ms[1].Time))
	require.Less(t, ms[0].ID, ms[1].ID)
	rest, err := s.AppliedMerges(ctx, ms[0].ID, 10)
	require.NoError(t, err)
	require.Equal(t, ms[1:], rest)
	page, err := s.AppliedMerges(ctx, 0, 1)
	require.NoError(t, err)
	require.Equal(t, ms[:1], page)
}
