package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func member(segment, profile string, version, since int) store.SegmentMember {
	return store.SegmentMember{SegmentID: segment, ProfileID: profile, Version: version, Since: at(since)}
}

func timer(kind, profile, ref string, fireAt int) store.Timer {
	return store.Timer{Kind: kind, ProfileID: profile, Ref: ref, FireAt: at(fireAt)}
}

// dueAll returns every timer due by at(n), in DueTimers order.
func dueAll(t *testing.T, s store.State, n int) []store.Timer {
	t.Helper()
	due, err := s.DueTimers(t.Context(), at(n), 1000)
	require.NoError(t, err)
	return due
}

// withoutIDs returns timers with ID cleared, for comparisons.
func withoutIDs(ts []store.Timer) []store.Timer {
	out := make([]store.Timer, len(ts))
	for i, t := range ts {
		t.ID = 0
		out[i] = t
	}
	return out
}

func requireMembers(t *testing.T, s store.State, segment string, want ...store.SegmentMember) {
	t.Helper()
	got, err := s.SegmentMembers(t.Context(), segment, "", 100)
	require.NoError(t, err)
	require.Equal(t, want, got, "members of %s", segment)
	n, err := s.CountSegmentMembers(t.Context(), segment)
	require.NoError(t, err)
	require.Equal(t, int64(len(want)), n, "count of %s", segment)
}

func runMembership(t *testing.T, open Opener) {
	t.Run("joins and leaves in Apply", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		requireMembers(t, s, "s1")
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, SegmentJoins: []store.SegmentMember{
			member("s1", "p3", 1, 3), member("s1", "p1", 1, 1), member("s2", "p1", 4, 2), member("s1", "p2", 1, 2)}})
		requireMembers(t, s, "s1", member("s1", "p1", 1, 1), member("s1", "p2", 1, 2), member("s1", "p3", 1, 3))
		requireMembers(t, s, "s2", member("s2", "p1", 4, 2))
		segs, err := s.ProfileSegments(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, []store.SegmentMember{member("s1", "p1", 1, 1), member("s2", "p1", 4, 2)}, segs)
		segs, err = s.ProfileSegments(ctx, "p3", "p9", "p1")
		require.NoError(t, err)
		require.Equal(t, []store.SegmentMember{member("s1", "p1", 1, 1), member("s2", "p1", 4, 2), member("s1", "p3", 1, 3)}, segs,
			"several profiles: by profile id, then segment id")
		segs, err = s.ProfileSegments(ctx)
		require.NoError(t, err)
		require.Empty(t, segs, "no profile, no membership")
		for _, tc := range []struct {
			first, last string
			want        []store.SegmentMember
		}{
			{"p1", "p3", []store.SegmentMember{member("s1", "p1", 1, 1), member("s2", "p1", 4, 2), member("s1", "p2", 1, 2), member("s1", "p3", 1, 3)}},
			{"p2", "p2", []store.SegmentMember{member("s1", "p2", 1, 2)}},
			{"p10", "p2", []store.SegmentMember{member("s1", "p2", 1, 2)}}, // ids compare as bytes: p1 < p10 < p2
			{"p4", "p9", nil},
			{"p3", "p1", nil},
		} {
			segs, err = s.ProfileSegmentsBetween(ctx, tc.first, tc.last)
			require.NoError(t, err)
			if len(segs) == 0 {
				segs = nil
			}
			require.Equal(t, tc.want, segs, "memberships of %s to %s", tc.first, tc.last)
		}

		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2,
			SegmentLeaves: []store.SegmentMember{{SegmentID: "s1", ProfileID: "p2"}, {SegmentID: "s2", ProfileID: "p9"}}})
		requireMembers(t, s, "s1", member("s1", "p1", 1, 1), member("s1", "p3", 1, 3))
		requireMembers(t, s, "s2", member("s2", "p1", 4, 2)) // the leave of a non-member counts nothing
		segs, err = s.ProfileSegments(ctx, "p2")
		require.NoError(t, err)
		require.Empty(t, segs)
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(2), cp)

		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, SegmentJoins: []store.SegmentMember{member("s1", "p2", 1, 5)},
			SegmentLeaves: []store.SegmentMember{member("s1", "p2", 1, 5)}})
		requireMembers(t, s, "s1", member("s1", "p1", 1, 1), member("s1", "p3", 1, 3))
	})

	t.Run("a re-join keeps since and takes the new version", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		b := &store.ProcessBatch{Checkpoint: 1, SegmentJoins: []store.SegmentMember{member("s1", "p1", 1, 1)}}
		mustApply(t, s, b)
		mustApply(t, s, b)
		requireMembers(t, s, "s1", member("s1", "p1", 1, 1))
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, SegmentJoins: []store.SegmentMember{member("s1", "p1", 2, 7),
			member("s1", "p2", 2, 7), member("s1", "p2", 3, 8)}})
		requireMembers(t, s, "s1", member("s1", "p1", 2, 1), member("s1", "p2", 3, 7))
	})

	t.Run("SegmentMembers pages by profile id", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		var joins []store.SegmentMember
		for i := range 7 {
			joins = append(joins, member("s1", fmt.Sprintf("p%d", 6-i), 1, i))
		}
		joins = append(joins, member("s0", "p0", 1, 0), member("s2", "p0", 1, 0), member("s1", "P-upper", 1, 0))
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, SegmentJoins: joins})
		var pages [][]string
		after := ""
		for {
			page, err := s.SegmentMembers(ctx, "s1", after, 3)
			require.NoError(t, err)
			if len(page) == 0 {
				break
			}
			var ids []string
			for _, m := range page {
				require.Equal(t, "s1", m.SegmentID)
				ids = append(ids, m.ProfileID)
			}
			pages = append(pages, ids)
			after = page[len(page)-1].ProfileID
		}
		require.Equal(t, [][]string{{"P-upper", "p0", "p1"}, {"p2", "p3", "p4"}, {"p5", "p6"}}, pages, "byte order")
		_, err := s.SegmentMembers(ctx, "s1", "", 0)
		require.Error(t, err, "a limit must be positive")
	})

	t.Run("a timer upsert replaces the same key with a new id", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		first := timer("segment", "p1", "s1", 5)
		first.Payload = json.RawMessage(`{"b": 1, "a": [true]}`)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Timers: []store.Timer{first, timer("segment", "p1", "s2", 6),
			timer("trait", "p1", "s1", 7), timer("segment", "p2", "s1", 8)}})
		due := dueAll(t, s, 10)
		require.Len(t, due, 4)
		require.Equal(t, first.Payload, due[0].Payload, "payload byte for byte")
		require.Equal(t, []store.Timer{first, timer("segment", "p1", "s2", 6), timer("trait", "p1", "s1", 7),
			timer("segment", "p2", "s1", 8)}, withoutIDs(due))
		oldID := due[0].ID
		require.NotZero(t, oldID)

		replaced := timer("segment", "p1", "s1", 9)
		replaced.ID = oldID // ignored
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Timers: []store.Timer{replaced}})
		due = dueAll(t, s, 10)
		require.Equal(t, []store.Timer{timer("segment", "p1", "s2", 6), timer("trait", "p1", "s1", 7),
			timer("segment", "p2", "s1", 8), timer("segment", "p1", "s1", 9)}, withoutIDs(due))
		require.Nil(t, due[3].Payload, "no payload reads back as nil")
		require.Greater(t, due[3].ID, due[2].ID, "a replaced timer gets a new id")

		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, Timers: []store.Timer{timer("segment", "p3", "s1", 4),
			timer("segment", "p3", "s1", 2)}})
		due = dueAll(t, s, 4)
		require.Equal(t, []store.Timer{timer("segment", "p3", "s1", 2)}, withoutIDs(due), "the last of a key in one batch wins")
	})

	t.Run("DueTimers orders by fire time, then profile, then id, with a limit", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Timers: []store.Timer{timer("segment", "p1", "s1", 3),
			timer("segment", "p2", "s1", 1), timer("segment", "p3", "s1", 3), timer("segment", "p4", "s1", 2),
			timer("segment", "p5", "s1", 4)}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Timers: []store.Timer{timer("segment", "p0", "s1", 3),
			timer("journey", "p1", "j1", 3), timer("segment", "P9", "s1", 3)}})
		due := dueAll(t, s, 3)
		require.Equal(t, []store.Timer{timer("segment", "p2", "s1", 1), timer("segment", "p4", "s1", 2),
			timer("segment", "P9", "s1", 3), timer("segment", "p0", "s1", 3), timer("segment", "p1", "s1", 3),
			timer("journey", "p1", "j1", 3), timer("segment", "p3", "s1", 3)}, withoutIDs(due),
			"fire_at equal to now is due; equal fire times by profile id (bytes), then id")
		for i := 1; i < len(due); i++ {
			if due[i].FireAt.Equal(due[i-1].FireAt) && due[i].ProfileID == due[i-1].ProfileID {
				require.Less(t, due[i-1].ID, due[i].ID)
			}
		}
		page, err := s.DueTimers(ctx, at(3), 2)
		require.NoError(t, err)
		require.Equal(t, due[:2], page)
		none, err := s.DueTimers(ctx, at(0), 10)
		require.NoError(t, err)
		require.Empty(t, none)
		_, err = s.DueTimers(ctx, at(3), 0)
		require.Error(t, err, "a limit must be positive")
	})

	t.Run("ProfileTimers lists one profile's timers of one kind by ref", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		withPayload := timer("segment", "p1", "s0", 9)
		withPayload.Payload = json.RawMessage(`{"n":1}`)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Timers: []store.Timer{timer("segment", "p1", "s2", 5),
			withPayload, timer("computed", "p1", "s1", 3), timer("segment", "p2", "s1", 8)}})
		got, err := s.ProfileTimers(ctx, "segment", "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Timer{withPayload, timer("segment", "p1", "s2", 5)}, withoutIDs(got))
		for _, tm := range got {
			require.NotZero(t, tm.ID, "the id an acknowledgement would use")
		}
		none, err := s.ProfileTimers(ctx, "segment", "p9")
		require.NoError(t, err)
		require.Empty(t, none)
		none, err = s.ProfileTimers(ctx, "segment")
		require.NoError(t, err)
		require.Empty(t, none, "no profile, no timer")
		several, err := s.ProfileTimers(ctx, "segment", "p2", "p9", "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Timer{withPayload, timer("segment", "p1", "s2", 5), timer("segment", "p2", "s1", 8)},
			withoutIDs(several), "by profile id, then ref")
		for _, tc := range []struct {
			kind, first, last string
			want              []store.Timer
		}{
			{"segment", "p1", "p2", []store.Timer{withPayload, timer("segment", "p1", "s2", 5), timer("segment", "p2", "s1", 8)}},
			{"segment", "p10", "p3", []store.Timer{timer("segment", "p2", "s1", 8)}},
			{"computed", "p0", "p9", []store.Timer{timer("computed", "p1", "s1", 3)}},
			{"segment", "p3", "p9", nil},
			{"segment", "p2", "p1", nil},
		} {
			got, err := s.ProfileTimersBetween(ctx, tc.kind, tc.first, tc.last)
			require.NoError(t, err)
			if got = withoutIDs(got); len(got) == 0 {
				got = nil
			}
			require.Equal(t, tc.want, got, "%s timers of %s to %s", tc.kind, tc.first, tc.last)
		}
	})

	t.Run("NextTimer and timer deletes", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		_, ok, err := s.NextTimer(ctx)
		require.NoError(t, err)
		require.False(t, ok)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Timers: []store.Timer{timer("segment", "p1", "s1", 5),
			timer("segment", "p2", "s1", 3), timer("segment", "p3", "s1", 8)}})
		next, ok, err := s.NextTimer(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, at(3), next)

		fired := dueAll(t, s, 3)
		require.Len(t, fired, 1)
		// p1's timer is acknowledged by key; p2's fired timer is replaced
		// before its acknowledgement by id arrives, which must keep the replacement.
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Timers: []store.Timer{timer("segment", "p2", "s1", 6)}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, TimerDeletes: []store.Timer{fired[0],
			{Kind: "segment", ProfileID: "p1", Ref: "s1"}, {Kind: "segment", ProfileID: "p9", Ref: "s1"}}})
		due := dueAll(t, s, 10)
		require.Equal(t, []store.Timer{timer("segment", "p2", "s1", 6), timer("segment", "p3", "s1", 8)}, withoutIDs(due))

		mustApply(t, s, &store.ProcessBatch{Checkpoint: 4, TimerDeletes: []store.Timer{due[0], due[1]}})
		_, ok, err = s.NextTimer(ctx)
		require.NoError(t, err)
		require.False(t, ok, "acknowledged by id")
	})

	t.Run("a merge drops the loser's memberships and timers but moves its journey timers", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1,
			Profiles:     []store.Profile{profile("a", 1, 1, 1), profile("b", 1, 1, 1)},
			SegmentJoins: []store.SegmentMember{member("s1", "a", 1, 1), member("s1", "b", 1, 1), member("s2", "b", 1, 1)},
			Timers: []store.Timer{timer("segment", "a", "s1", 5), timer("segment", "b", "s1", 6), timer("trait", "b", "t1", 7),
				timer(store.TimerKindJourney, "b", "inst-b", 8)}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "a", Loser: "b", Time: at(2)}},
			SegmentJoins: []store.SegmentMember{member("s2", "a", 1, 2)}})
		requireMembers(t, s, "s1", member("s1", "a", 1, 1))
		requireMembers(t, s, "s2", member("s2", "a", 1, 2))
		segs, err := s.ProfileSegments(ctx, "b")
		require.NoError(t, err)
		require.Empty(t, segs)
		// The loser's journey instance moved to the winner (journeys.go), and
		// so did the timer it waits on.
		require.Equal(t, []store.Timer{timer("segment", "a", "s1", 5), timer(store.TimerKindJourney, "a", "inst-b", 8)}, withoutIDs(dueAll(t, s, 10)))

		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, SegmentJoins: []store.SegmentMember{member("s3", "a", 1, 3)},
			Merges: []store.Merge{{Winner: "b", Loser: "a", Refused: true, Reason: "limit", Time: at(3)}}})
		requireMembers(t, s, "s3", member("s3", "a", 1, 3))
		require.Len(t, dueAll(t, s, 10), 2, "a refused merge drops nothing")
	})

	t.Run("EraseProfile and Reset clear them", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1,
			Profiles:     []store.Profile{profile("a", 1, 1, 1), profile("b", 1, 1, 1), profile("c", 1, 1, 1)},
			SegmentJoins: []store.SegmentMember{member("s1", "a", 1, 1), member("s1", "b", 1, 1), member("s1", "c", 1, 1)},
			Timers:       []store.Timer{timer("segment", "a", "s1", 5), timer("segment", "b", "s1", 6), timer("segment", "c", "s1", 7)}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "a", Loser: "b", Time: at(2)}},
			SegmentJoins: []store.SegmentMember{member("s2", "b", 1, 2)}, Timers: []store.Timer{timer("segment", "b", "s2", 8)}})
		require.NoError(t, s.EraseProfile(ctx, []string{"a"}))
		requireMembers(t, s, "s1", member("s1", "c", 1, 1))
		requireMembers(t, s, "s2")
		require.Equal(t, []store.Timer{timer("segment", "c", "s1", 7)}, withoutIDs(dueAll(t, s, 10)),
			"the timers of the erased profile and of the one merged into it are gone")

		require.NoError(t, s.Reset(ctx))
		requireMembers(t, s, "s1")
		_, ok, err := s.NextTimer(ctx)
		require.NoError(t, err)
		require.False(t, ok)
	})

	t.Run("ClearSegment drops its memberships and segment timers", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1,
			SegmentJoins: []store.SegmentMember{member("s1", "a", 1, 1), member("s1", "b", 1, 1), member("s2", "a", 1, 1)},
			Timers: []store.Timer{timer(store.TimerKindSegment, "a", "s1", 5), timer(store.TimerKindSegment, "b", "s1", 6),
				timer(store.TimerKindSegment, "a", "s2", 7), timer("trait", "a", "s1", 8)}})
		require.NoError(t, s.ClearSegment(ctx, "s1"))
		require.NoError(t, s.ClearSegment(ctx, "nosuch"))
		requireMembers(t, s, "s1")
		requireMembers(t, s, "s2", member("s2", "a", 1, 1))
		require.Equal(t, []store.Timer{timer(store.TimerKindSegment, "a", "s2", 7), timer("trait", "a", "s1", 8)},
			withoutIDs(dueAll(t, s, 10)))
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), cp, "ClearSegment leaves the checkpoint")
	})

	t.Run("a failing Apply writes none of it", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, SegmentJoins: []store.SegmentMember{member("s1", "a", 1, 1)},
			Timers: []store.Timer{timer("segment", "a", "s1", 5)}})
		bad := timer("segment", "c", "s1", 7)
		bad.Payload = json.RawMessage(`{"unterminated":`)
		err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: 2, Profiles: []store.Profile{profile("b", 2, 2, 1)},
			Merges:        []store.Merge{{Winner: "b", Loser: "a", Time: at(2)}},
			SegmentJoins:  []store.SegmentMember{member("s1", "b", 1, 2)},
			SegmentLeaves: []store.SegmentMember{member("s1", "a", 1, 1)},
			Timers:        []store.Timer{timer("segment", "b", "s1", 6), bad},
			TimerDeletes:  []store.Timer{timer("segment", "a", "s1", 5)}})
		require.ErrorContains(t, err, "payload")
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), cp)
		requireMembers(t, s, "s1", member("s1", "a", 1, 1))
		require.Equal(t, []store.Timer{timer("segment", "a", "s1", 5)}, withoutIDs(dueAll(t, s, 10)))
		_, err = s.GetProfile(ctx, "b")
		require.ErrorIs(t, err, store.ErrNotFound)
	})
}
